// Fault injection: a `go` on PATH that delegates to the real go except for the commands a test
// wants to break (hang, crash, print garbage). Used only where a real go cannot produce the fault.

import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from './repo.js';

export const realGo = execFileSync(process.platform === 'win32' ? 'where' : 'which', ['go'], { encoding: 'utf8' }).split(/\r?\n/)[0]!.trim();

export type Fault = 'hang' | 'crash' | 'garbage';

/**
 * A directory holding a fake `go` (POSIX shell script). `faults` maps a shell glob over the
 * arguments (`list -json*`, `env -json*`) to a fault; other invocations run the real go.
 */
export async function fakeGoDir(faults: Record<string, Fault>): Promise<string> {
  const dir = await tempDir('fake-go');
  const cases = Object.entries(faults)
    .map(([cmd, fault]) => {
      const action =
        fault === 'hang'
          ? 'sleep 600'
          : fault === 'crash'
            ? 'echo "panic: runtime error: invalid memory address" >&2; exit 2'
            : 'echo "this is not json {"; exit 0';
      return `  ${cmd.replace(/ /g, '\\ ')}) ${action} ;;`;
    })
    .join('\n');
  const script = `#!/bin/sh\ncase "$*" in\n${cases}\n  *) exec "${realGo}" "$@" ;;\nesac\n`;
  const file = path.join(dir, 'go');
  await fs.writeFile(file, script, { mode: 0o755 });
  return dir;
}

/** PATH with the fake go first. */
export function pathWith(dir: string): string {
  return `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
}

/** PATH without any directory that holds a `go` binary (git stays reachable). */
export function pathWithoutGo(): string {
  const goDir = path.dirname(realGo);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => d && path.resolve(d) !== path.resolve(goDir))
    .join(path.delimiter);
}
