import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_IDS } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { pathWithoutGo } from '../helpers/fake-go.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const healthy = { 'go.mod': goMod('example.com/cli', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runCliCaptured(args, { env });
}

describe('go-preflight CLI', () => {
  it('prints usage with --help and the version with --version', async () => {
    expect((await cli(['--help'])).stdout).toContain('Usage: go-preflight [options] [DIR]');
    expect((await cli(['--version'])).stdout).toMatch(/^go-preflight \d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with one line on a bad flag, a bad check id, a bad target, a bad mode', async () => {
    for (const [args, text] of [
      [['--chekcs', 'toolchain'], "Unknown option '--chekcs'"],
      [['--checks', 'toolchain,nope'], '--checks: unknown check id "nope"'],
      [['--targets', 'linux'], '--targets: invalid target "linux": write GOOS/GOARCH'],
      [['--mode', 'loud'], '--mode must be fail or warn'],
      [['--format', 'xml'], '--format must be one of text, json, markdown, sarif'],
    ] as const) {
      const r = await cli([...args, '.']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(text);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('exits 2 naming file, line and key for a bad config file', async () => {
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'mode: warn\nchecks:\n  toolchain: loud\n' });
    const r = await cli([dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('go-preflight: .github/go-preflight.yml:3:14 (checks.toolchain): checks.toolchain must be error, warn or off (got "loud")');
  });

  it('exits 2 for a missing dir, a missing --config, and a dir with no go.mod', async () => {
    expect((await cli(['/nonexistent/dir/for/sure'])).stderr).toContain('does not exist');
    const empty = await makeRepo({ 'README.md': 'hi' });
    const r = await cli([empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no go.mod in');
    const r2 = await cli(['--config', 'nope.yml', empty]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/config file \S*nope\.yml does not exist/);
  });

  it('prints only JSON on stdout with --format json, every check id, exit 0 on a healthy module', async () => {
    const dir = await makeRepo(healthy);
    const before = await snapshotTree(dir);
    const r = await cli(['--format', 'json', '--checks', 'toolchain,git-clean', dir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.conclusion).toBe('success');
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.dir).toBe(dir);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('exits 1 on failure, 0 with --mode warn, and writes --output', async () => {
    const dir = await makeRepo({ ...healthy, '.go-version': '1.10.1\n' });
    const fail = await cli(['--checks', 'toolchain', dir]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('.go-version asks for Go 1.10.1');
    const warn = await cli(['--checks', 'toolchain', '--mode', 'warn', dir]);
    expect(warn.code).toBe(0);
    const out = path.join(await tempDir(), 'r', 'report.sarif');
    const sarif = await cli(['--checks', 'toolchain', '--format', 'sarif', '--output', out, dir]);
    expect(sarif.code).toBe(1);
    expect(sarif.stdout).toBe('');
    expect(JSON.parse(await fs.readFile(out, 'utf8')).version).toBe('2.1.0');
  });

  it('says in one line that go is missing, and reports go checks as error', async () => {
    const dir = await makeRepo(healthy);
    const r = await cli(['--format', 'json', '--checks', 'toolchain,git-clean', dir], { PATH: pathWithoutGo(), GOROOT: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`go` was not found on PATH: install Go (actions/setup-go) before go-preflight');
    const report = JSON.parse(r.stdout);
    expect(report.checks.find((c: { id: string }) => c.id === 'toolchain')).toMatchObject({ status: 'error', skipReason: '`go` was not found on PATH' });
  });

  it('keeps secret-scan results per blob in --cache-dir: a re-run scans only what changed', async () => {
    const files: Record<string, string> = { ...healthy };
    for (let i = 0; i < 20; i++) files[`pkg${i}/f.go`] = `package pkg${i}\n\nconst name = "value ${i}"\n`;
    const dir = await makeRepo(files);
    const cacheDir = path.join(await tempDir(), 'cache');
    const notes = async () => {
      const r = await cli(['--checks', 'secrets', '--cache-dir', cacheDir, '--format', 'markdown', dir]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    expect(await notes()).toMatch(/Scanned 22 tracked files/);
    expect((await fs.readdir(cacheDir)).length).toBe(1);
    await fs.writeFile(path.join(dir, 'pkg3', 'f.go'), 'package pkg3\n\nconst name = "changed"\n');
    expect(await notes()).toMatch(/Scanned 1 tracked files? .*21 unchanged files from the cache/);
  });

  it('runs as the bundled binary (dist/cli.js) with the contract exit codes', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), '--checks', 'toolchain', '--format', 'json', path.join(root, 'examples', 'broken')], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'toolchain').status).toBe('fail');
    const bad = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
