// Two ESM entry points (the action and the CLI) sharing chunks. Heavy optional modules
// (@actions/cache) are imported dynamically and land in their own chunk, loaded only when used.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

export default {
  input: { index: 'src/index.ts', cli: 'src/cli.ts', 'secrets-worker': 'src/secrets/worker.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
  },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true }),
    commonjs(),
    json(),
  ],
  onwarn(warning, warn) {
    // Circular dependencies inside @actions/* and the Azure SDK are upstream and harmless.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};
