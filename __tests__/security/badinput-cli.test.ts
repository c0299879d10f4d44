// Bad input is exit 2 and one line naming the file, line and key (no stack, no "internal error");
// a report that cannot be written is one clear line too. In process through runCli, and through
// the real entry points (dist/cli.js, dist/index.js) for what only a real process shows: a full
// disk, a closed pipe, the runner's files.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { parseConfig } from '../../src/core/config-file.js';
import { CHECK_IDS } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The built bundles (the lead rebuilds dist/; GP_TEST_DIST points at another build to try a branch).
const dist = process.env.GP_TEST_DIST ?? path.join(root, 'dist');
const posix = process.platform !== 'win32';
const healthy = { 'go.mod': goMod('example.com/bad', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

function cli(args: string[], cwd = process.cwd()) {
  return runCliCaptured(args, { env: { CI: '1' }, cwd });
}

/** Exit 2, nothing on stdout, exactly this one line on stderr. */
async function expectUsageError(args: string[], line: string | RegExp, cwd?: string): Promise<void> {
  const r = await cli(args, cwd);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(r.stderr.trim()).toBe(line);
  else expect(r.stderr.trim()).toMatch(line);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
}

describe('check selection that leaves nothing to run', () => {
  it('--checks with no id, --skip of everything, --checks all skipped, a config with every check off', async () => {
    const dir = await makeRepo(healthy);
    await expectUsageError(['--checks', '', dir], 'go-preflight: --checks: names no check: give check ids (e.g. toolchain,secrets), or leave it out to run them all');
    await expectUsageError(['--checks', ' , ', dir], /^go-preflight: --checks: names no check/);
    await expectUsageError(['--skip', CHECK_IDS.join(','), dir], 'go-preflight: --skip: leaves no check to run: skip fewer checks');
    await expectUsageError(['--checks', 'toolchain', '--skip', 'toolchain', dir], 'go-preflight: --skip: skips every check that --checks asks for: no check is left to run');
    const off = await makeRepo({ ...healthy, '.github/go-preflight.yml': `checks:\n${CHECK_IDS.map((id) => `  ${id}: off\n`).join('')}` });
    await expectUsageError([off], 'go-preflight: .github/go-preflight.yml: every check is off: turn at least one on (checks.<id>: error)');
  });
});

describe('the config file', () => {
  it('a directory, an endless device or a FIFO given with --config', async () => {
    const dir = await makeRepo(healthy);
    await fs.mkdir(path.join(dir, 'conf.yml'));
    await expectUsageError(['--config', 'conf.yml', '.'], 'go-preflight: conf.yml: the config file is a directory, not a regular file: not read', dir);
    if (!posix) return;
    await expectUsageError(['--config', '/dev/zero', dir], /^go-preflight: \S*dev\/zero: the config file is a device, not a regular file: not read$/);
    execFileSync('mkfifo', [path.join(dir, 'fifo.yml')]);
    await expectUsageError(['--config', 'fifo.yml', '.'], 'go-preflight: fifo.yml: the config file is a FIFO (named pipe), not a regular file: not read', dir);
  });

  it('a timeout beyond what a timer can hold names the file, line and key', async () => {
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'timeout: 9999999999\n' });
    await expectUsageError([dir], 'go-preflight: .github/go-preflight.yml:1:10 (timeout): timeout must be at most 2147483 (seconds: about 24 days, the longest a timer can wait)');
    const per = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'checks:\n  toolchain:\n    timeout: 2147484\n' });
    await expectUsageError([per], /^go-preflight: \.github\/go-preflight\.yml:3:14 \(checks\.toolchain\.timeout\): checks\.toolchain\.timeout must be at most 2147483/);
    // The largest accepted value runs (no Node TimeoutOverflowWarning, no instant "timed out").
    const max = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'timeout: 2147483\n' });
    const r = await cli(['--checks', 'toolchain', '--format', 'json', max]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).checks[0].status).toBe('pass');
  });

  it('YAML anchors and aliases are resolved, with a cap on their use', async () => {
    const c = parseConfig('mode: &m warn\non-error: *m\ntargets: &t [linux/amd64]\nchecks:\n  toolchain: *m\n  git-clean:\n    level: *m\n', 'cfg.yml', ALL_CHECKS);
    expect(c.mode).toBe('warn');
    expect(c.onError).toBe('warn');
    expect(c.checks.toolchain?.level).toBe('warn');
    expect(c.checks['git-clean']?.level).toBe('warn');
    expect(c.targets).toEqual([{ goos: 'linux', goarch: 'amd64' }]);
    // Through the CLI: an alias works like the value it names.
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'mode: &m warn\non-error: *m\n' });
    expect((await cli(['--checks', 'toolchain', dir])).code).toBe(0);
    const many = `packages: [&p ./..., ${Array(101).fill('*p').join(', ')}]\n`;
    const flood = await makeRepo({ ...healthy, '.github/go-preflight.yml': many });
    await expectUsageError([flood], /^go-preflight: \.github\/go-preflight\.yml:1:\d+: more than 100 uses of YAML aliases \(\*name\): write the values out$/);
    // A wrong type behind an alias is reported where the alias is used.
    const wrong = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'targets: &t [linux/amd64]\nmode: *t\n' });
    await expectUsageError([wrong], 'go-preflight: .github/go-preflight.yml:2:7 (mode): mode must be a string');
  });
});

describe('values of the config file in error lines', () => {
  it('are clipped to their first line and 64 characters (error lines are printed before any redaction)', async () => {
    const long = `x${'A'.repeat(5000)}`;
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': `mode: "${long}"\n` });
    await expectUsageError([dir], `go-preflight: .github/go-preflight.yml:1:7 (mode): mode must be one of fail, warn (got "x${'A'.repeat(63)}…")`);
    const multi = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'checks:\n  toolchain: "loud\\nSECOND=line"\n' });
    const r = await cli([multi]);
    expect(r.stderr).not.toContain('SECOND');
    expect(r.stderr.trim()).toBe('go-preflight: .github/go-preflight.yml:2:14 (checks.toolchain): checks.toolchain must be error, warn or off (got "loud…")');
  });
});

describe('--output', () => {
  it('a directory is refused before the run; a full disk is one line', async () => {
    const dir = await makeRepo(healthy);
    const out = await tempDir('out');
    await expectUsageError(['--checks', 'toolchain', '--output', out, dir], `go-preflight: --output: ${out} is a directory: name a file to write the report to`);
    if (!posix || !existsSync('/dev/full')) return;
    await expectUsageError(['--checks', 'toolchain', '--output', '/dev/full', dir], 'go-preflight: --output: cannot write the report to /dev/full: no space left on the device (ENOSPC)');
  });

  it('go-preflight merge refuses the same --output, with one line', async () => {
    const out = await tempDir('merge-out');
    await expectUsageError(['merge', '--output', out, 'shard-1.json'], `go-preflight merge: --output: ${out} is a directory: name a file to write the report to`);
  });
});

/** stderr without the progress lines (`go-preflight: toolchain pass (31 ms)`). */
function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => !/^go-preflight: [a-z-]+ (pass|warn|fail|skip|error) \(\d+ ms\)$/.test(l));
}

describe.each(existsSync(path.join(dist, 'cli.js')) && posix ? ['cli.js'] : [])('the real entry (dist/%s)', (entry) => {
  const bin = path.join(dist, entry);

  it('stdout on a full disk: one line, exit 2', async () => {
    if (!existsSync('/dev/full')) return void console.log('no /dev/full here');
    const dir = await makeRepo(healthy);
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, '--checks', 'toolchain', '--format', 'json', dir], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      // Progress lines (one per check) and then the one error line; no stack trace.
      expect(errorLines(r.stderr)).toEqual(['go-preflight: cannot write the report to stdout: no space left on the device (ENOSPC)']);
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  });

  it('stdout closed by the reader (EPIPE): one line, exit 2, no stack', async () => {
    const dir = await makeRepo(healthy);
    const child = spawn(process.execPath, [bin, '--checks', 'toolchain', '--format', 'json', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(errorLines(stderr)).toEqual(['go-preflight: cannot write the report to stdout: the reader closed the pipe (EPIPE)']);
    expect(code).toBe(2);
  });
});
