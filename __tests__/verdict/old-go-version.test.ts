// Go 1.20 and older: go-preflight stops at once with one line and exit 2 (as for bad usage), instead
// of a report where every check errors (`go tool dist list -broken` and toolchain lines are 1.21+).
// The proxy serves go1.20.14 too, but the tests keep to two old toolchains (about 70 MB each), so
// the only fault injected here is the version: a `go` that delegates to the real go but reports
// GOVERSION go1.20.14 and rejects -broken as go1.20 does.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { realGo } from '../helpers/fake-go.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

async function go120Dir(): Promise<string> {
  const dir = await tempDir('fake-go120');
  const script = `#!/bin/sh
case "$*" in
  "env -json"*) "${realGo}" "$@" | sed 's/"GOVERSION": "go[^"]*"/"GOVERSION": "go1.20.14"/' ;;
  "env GOVERSION") echo go1.20.14 ;;
  *-broken*) echo 'flag provided but not defined: -broken' >&2; exit 2 ;;
  *) exec "${realGo}" "$@" ;;
esac
`;
  await fs.writeFile(path.join(dir, 'go'), script, { mode: 0o755 });
  return dir;
}

describe('Go 1.20 and older', () => {
  it('stops with one line naming the version, exit 2', async () => {
    if (process.platform === 'win32') return void console.warn('skipped: the fake go is a POSIX shell script');
    const bin = await go120Dir();
    const dir = await makeRepo({ 'go.mod': goMod('example.com/old', '1.20'), 'main.go': 'package main\n\nfunc main() {}\n' });
    const { code, stdout, stderr } = await runCliCaptured(['--format', 'json', dir], {
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, GOENV: 'off', CI: '1' },
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('go-preflight needs Go 1.21 or newer; this is go1.20.14');
  });
});
