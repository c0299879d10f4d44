// SARIF validation for tests: the SARIF 2.1.0 JSON schema (JSON Schema 2020-12, as published by
// the SARIF SDK; it ships inside the platform package of @microsoft/sarif-multitool, a
// devDependency, MIT) checked with ajv, and the Microsoft SARIF Multitool itself.

import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** The directory of the multitool's package for this platform, or undefined when it is not installed. */
export function multitoolDir(): string | undefined {
  for (const name of [`@microsoft/sarif-multitool-${process.platform}`]) {
    try {
      return path.dirname(require.resolve(`${name}/package.json`));
    } catch {
      /* not installed on this platform */
    }
  }
  return undefined;
}

/** The Multitool binary, when installed for this platform and architecture. */
export function multitoolBinary(): string | undefined {
  const dir = multitoolDir();
  if (!dir) return undefined;
  const bin = path.join(dir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  return existsSync(bin) ? bin : undefined;
}

let validator: ValidateFunction | undefined;

/** Schema errors of a SARIF log (empty when valid). Throws when the schema is not installed: no silent pass. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validator) {
    const dir = multitoolDir();
    const file = dir && path.join(dir, 'sarif-2.1.0.json');
    if (!file || !existsSync(file)) {
      throw new Error('the SARIF 2.1.0 schema was not found: run npm ci (it ships in @microsoft/sarif-multitool-<platform>)');
    }
    const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validator = ajv.compile(schema);
  }
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
