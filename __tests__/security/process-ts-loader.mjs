// Module hooks that let a test run go-preflight's TypeScript entry points (src/cli.ts) in a child
// process without a bundle: a relative `.js` import resolves to the `.ts` file next to it, and
// TypeScript is stripped with sucrase (as the bundler does). Registered with `--import`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sucrase from 'sucrase';

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const file = fileURLToPath(url);
    const { code } = sucrase.transform(await readFile(file, 'utf8'), { transforms: ['typescript'], disableESTransforms: true, filePath: file });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return next(url, context);
}
