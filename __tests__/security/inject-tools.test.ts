// Argument injection through the other processes go-preflight starts: `#cgo pkg-config:` names
// and `#cgo CFLAGS` from the repository (the cgo check runs pkg-config and the C compiler), targets
// (GOOS/GOARCH reach go's environment), a git ref for the secrets diff scope (config and
// GITHUB_BASE_REF). Recording stand-ins for CC and PKG_CONFIG show exactly what they were given.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cgoCheck, safePkgConfigName } from '../../src/checks/cgo.js';
import { secretsCheck } from '../../src/checks/secrets.js';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { cleanupTempDirs, git, goMod, makeRepo, snapshotTree, tempDir, writeFiles } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const linux = process.platform === 'linux';

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

describe('pkg-config names', () => {
  it('follow go\'s own rule (cmd/go load.SafeArg): no name that starts like an option', () => {
    for (const ok of ['zlib', 'gtk+-3.0', '_x', '/abs/x.pc', './rel', 'é']) expect(safePkgConfigName(ok)).toBe(true);
    for (const bad of ['--define-variable=prefix=/x', '-lz', '', '@file', '+x', ' x']) expect(safePkgConfigName(bad)).toBe(false);
  });
});

(linux ? describe : describe.skip)('hostile values never become options of the tools we start', () => {
  it('#cgo pkg-config names and #cgo CFLAGS from the repo: pkg-config gets -- and safe names only, CC never sees the repo flags', async () => {
    const tools = await tempDir('inject-tools');
    const ccLog = path.join(tools, 'cc.log');
    const pcLog = path.join(tools, 'pc.log');
    const cc = path.join(tools, 'cc');
    const pc = path.join(tools, 'pkg-config');
    await fs.writeFile(cc, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${ccLog}'\nexec gcc "$@"\n`, { mode: 0o755 });
    await fs.writeFile(pc, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${pcLog}'\nexit 0\n`, { mode: 0o755 });
    const dir = await makeRepo({
      'go.mod': goMod('example.com/cgoinject', '1.21'),
      'main.go':
        'package main\n\n// #cgo pkg-config: --define-variable=prefix=/evil zlib\n// #cgo CFLAGS: -fplugin=/evil/plugin.so\n// #cgo LDFLAGS: -Wl,--wrap=main\nimport "C"\n\nfunc main() {}\n',
    });
    const before = await snapshotTree(dir);
    await runChecksIn(dir, [cgoCheck], { env: { CC: cc, PKG_CONFIG: pc, CGO_ENABLED: '1' } });
    const pcArgs = (await fs.readFile(pcLog, 'utf8')).trim().split('\n');
    expect(pcArgs).toEqual(['--exists', '--', 'zlib']);
    const ccArgs = (await fs.readFile(ccLog, 'utf8')).split('\n');
    expect(ccArgs.length).toBeGreaterThan(1);
    expect(ccArgs.filter((a) => a.includes('evil') || a.includes('--wrap'))).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('a diff-base that looks like an option (config or GITHUB_BASE_REF) is not a ref: nothing is written, the scan still runs', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/ref', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
    const out = path.join(await tempDir('inject-ref'), 'WRITTEN');
    for (const base of [`--output=${out}`, `--exec=touch ${out}`, `-o${out}`]) {
      for (const opts of [{ options: { 'diff-base': base } }, { ci: { baseRef: base } }]) {
        const { report } = await runChecksIn(dir, [secretsCheck], opts);
        const c = report.checks.find((x) => x.id === 'secrets')!;
        expect(await exists(out)).toBe(false);
        expect(c.status === 'pass' || c.status === 'warn').toBe(true);
        expect(c.notes?.join('\n') ?? '').toMatch(/Scanned \d+ tracked files/);
      }
    }
  });

  it('targets that look like flags are refused before they reach go (exit 2)', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/t', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
    await writeFiles(dir, { '.github/go-preflight.yml': 'targets: ["-toolexec=x/amd64"]\n' });
    git(dir, 'add', '-A');
    let stderr = '';
    const io: CliIo = { stdout: () => {}, stderr: (s) => (stderr += s), stdoutIsTTY: false, stderrIsTTY: false, env: process.env, cwd: dir };
    expect(await runCli(['--checks', 'targets', dir], io)).toBe(2);
    expect(stderr).toContain('.github/go-preflight.yml:1:11 (targets[0])');
    stderr = '';
    expect(await runCli(['--checks', 'targets', '--targets=linux/amd64,-x/y', dir], io)).toBe(2);
    expect(stderr).toContain('--targets: invalid target "-x/y"');
  });
});
