// Three ESM entry points (the action, the CLI, the secret-scan worker) sharing chunks. Heavy optional modules
// (@actions/cache) are imported dynamically and land in their own chunk, loaded only when used.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import sucrase from '@rollup/plugin-sucrase';

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
    nodeResolve({ preferBuiltins: true, extensions: ['.ts', '.mjs', '.js', '.json', '.node'] }),
    // Type-stripping only (fast); `npm test` type-checks the whole project with tsc.
    sucrase({ transforms: ['typescript'], exclude: ['node_modules/**'], disableESTransforms: true }),
    commonjs(),
    json(),
  ],
  onwarn(warning, warn) {
    // Circular dependencies inside @actions/* and the Azure SDK are upstream and harmless.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};
