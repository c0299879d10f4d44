// Committed symlinks and special files in the inspected repository: every file go-preflight reads
// may link to a process environment under procfs, the password file or an endless device, or be a
// FIFO. None is followed out of the repository, none blocks the run, and no byte of what they point
// at appears in any output: text, JSON, SARIF, Markdown, annotations or the log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/core/types.js';
import { toAnnotations } from '../../src/report/annotations.js';
import { cleanupTempDirs, git, goMod, makeRepo } from '../helpers/repo.js';
import { runCliCaptured } from '../helpers/cli.js';

const posix = process.platform !== 'win32' && existsSync('/proc/self/environ');
const PLANTED = `gp-planted-${process.pid}-a8f3c1`;
let child: ChildProcess | undefined;
/** The environment of a process that holds PLANTED, through procfs. */
let plantedEnviron = '';

beforeAll(async () => {
  if (!posix) return;
  // A process whose environment holds the planted value (our own /proc/self/environ is the jest
  // worker's start-up environment, which the test cannot plant into).
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { env: { PATH: process.env.PATH, GP_PLANTED_SECRET: PLANTED }, stdio: 'ignore' });
  plantedEnviron = `/proc/${child.pid}/environ`;
  for (let i = 0; i < 100 && !(await fs.readFile(plantedEnviron, 'utf8').catch(() => '')).includes(PLANTED); i++) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  child?.kill();
  await cleanupTempDirs();
});

function cli(args: string[]) {
  return runCliCaptured(args, { env: { CI: '1' } });
}

/**
 * Run the CLI once per report format (text with --verbose, JSON, Markdown with its details, SARIF)
 * and return the JSON report with everything any run printed, plus the annotations.
 */
async function everySurface(args: string[]): Promise<{ report: Report; out: string }> {
  const outs: string[] = [];
  let report: Report | undefined;
  for (const format of ['json', 'text', 'markdown', 'sarif']) {
    const r = await cli(['--format', format, ...(format === 'text' ? ['--verbose'] : []), ...args]);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    outs.push(r.stdout, r.stderr);
    if (format === 'json') report = JSON.parse(r.stdout) as Report;
  }
  const annotations = toAnnotations(report!, { pathPrefix: '' }).map((a) => `${a.title} ${a.file} ${a.message}`);
  return { report: report!, out: [...outs, ...annotations].join('\n') };
}

function expectNothingFrom(out: string): void {
  expect(out).not.toContain(PLANTED);
  expect(out).not.toContain('GP_PLANTED_SECRET');
  expect(out).not.toMatch(/root:x?:0:0/);
  expect(out).not.toContain('\0');
}

function messages(report: Report, id: string): string[] {
  return report.checks.find((c) => c.id === id)!.findings.map((f) => f.message);
}

describe.each(posix ? ['procfs', 'passwd'] : [])('every repository file as a committed symlink (%s)', (kind) => {
  it('is refused by name, never read, never quoted on any surface', async () => {
    const target = kind === 'procfs' ? plantedEnviron : '/etc/passwd';
    expect(await fs.readFile(plantedEnviron, 'utf8')).toContain(PLANTED);
    const dir = await makeRepo(
      {
        'go.mod': goMod('example.com/sym', '1.21'),
        'main.go': 'package main\n\nfunc main() {}\n',
        '.github/go-preflight.yml': 'checks:\n  secrets:\n    baseline: base.json\n',
      },
      { commit: false },
    );
    const links: Record<string, string> = {
      '.go-version': target,
      '.tool-versions': target,
      'pinned-go-version': target,
      '.gitleaks.toml': target,
      '.gitleaksignore': '/dev/zero',
      'base.json': '/dev/urandom',
      'go.sum': target,
      'vendor/modules.txt': target,
    };
    for (const [rel, to] of Object.entries(links)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.symlink(to, path.join(dir, rel));
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');

    const { report, out } = await everySurface(['--go-version-file', 'pinned-go-version', dir]);
    expectNothingFrom(out);

    const toolchain = messages(report, 'toolchain');
    expect(toolchain).toContain('`.go-version` is a symlink to a file outside the repository: not read');
    expect(toolchain).toContain('`.tool-versions` is a symlink to a file outside the repository: not read');
    expect(toolchain).toContain('The go-version-file `pinned-go-version` is a symlink to a file outside the repository: not read');
    const secrets = report.checks.find((c) => c.id === 'secrets')!;
    expect(secrets.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        '.gitleaks.toml: the file is a symlink to a file outside the repository: not read; it is ignored',
        '`.gitleaksignore` is a symlink to a file outside the repository: not read, so it ignores nothing',
        'The baseline `base.json` is a symlink to a file outside the repository: not read, so no finding is accepted from it',
      ]),
    );
    // go.sum: go would follow it (and `go mod tidy -diff` prints its lines): the module is left
    // alone by every go command, and the modules check says why.
    expect(messages(report, 'modules')).toContain('`go.sum` is a symlink to a file outside the repository: not read');
    for (const id of ['mod-tidy', 'mod-verify', 'vendor', 'packages']) expect(report.checks.find((c) => c.id === id)!.status).not.toBe('pass');
    expect(report.conclusion).toBe('failure');
  });

  it('vendor/modules.txt that links out: refused before any go command reads it', async () => {
    const target = kind === 'procfs' ? plantedEnviron : '/etc/passwd';
    const dir = await makeRepo({ 'go.mod': goMod('example.com/vend', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { commit: false });
    await fs.mkdir(path.join(dir, 'vendor'));
    await fs.symlink(target, path.join(dir, 'vendor', 'modules.txt'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');
    const { report, out } = await everySurface(['--checks', 'modules,vendor,packages,mod-tidy', dir]);
    expectNothingFrom(out);
    expect(messages(report, 'modules')).toEqual(['`vendor/modules.txt` is a symlink to a file outside the repository: not read']);
    expect(report.conclusion).toBe('failure');
  });

  it('a vendor directory that links out: refused before any go command or walk reads it', async () => {
    const outside = kind === 'procfs' ? '/proc/self' : '/etc';
    const dir = await makeRepo({ 'go.mod': goMod('example.com/vdir', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { commit: false });
    await fs.symlink(outside, path.join(dir, 'vendor'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');
    const { report, out } = await everySurface(['--checks', 'modules,vendor,packages', dir]);
    expectNothingFrom(out);
    expect(out).not.toContain('vendor/passwd');
    expect(messages(report, 'modules')).toEqual(['`vendor` is a symlink to a directory outside the repository: not read']);
  });

  it('a go.work that links out: refused, and no go command runs on it', async () => {
    const target = kind === 'procfs' ? plantedEnviron : '/etc/passwd';
    const dir = await makeRepo({ 'go.mod': goMod('example.com/work', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { commit: false });
    await fs.symlink(target, path.join(dir, 'go.work'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');
    const { report, out } = await everySurface(['--checks', 'modules,packages,mod-tidy', dir]);
    expectNothingFrom(out);
    expect(messages(report, 'modules')).toEqual(['go.work cannot be parsed: `go.work` is a symlink to a file outside the repository: not read']);
    const packages = report.checks.find((c) => c.id === 'packages')!;
    expect(packages.status).toBe('skip');
    expect(packages.skipReason).toContain('`go.work` is a symlink to a file outside the repository');
    expect(report.conclusion).toBe('failure');
  });
});

describe.each(posix ? ['/dev/zero', '/dev/urandom', 'procfs', 'FIFO'] : [])('the config file as %s', (kind) => {
  it('is exit 2 with one line naming the file, and no content', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/cfg', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { commit: false });
    await fs.mkdir(path.join(dir, '.github'));
    const cfg = path.join(dir, '.github', 'go-preflight.yml');
    if (kind === 'FIFO') execFileSync('mkfifo', [cfg]);
    else await fs.symlink(kind === 'procfs' ? plantedEnviron : kind, cfg);
    const r = await cli(['--checks', 'toolchain', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe(
      kind === 'FIFO'
        ? 'go-preflight: .github/go-preflight.yml: the config file is a FIFO (named pipe), not a regular file: not read'
        : 'go-preflight: .github/go-preflight.yml: the config file is a symlink to a file outside the repository: not read',
    );
    expectNothingFrom(r.stderr);
  });
});

describe.each(posix ? ['.go-version', '.gitleaksignore'] : [])('%s as a FIFO in the work tree', (name) => {
  it('does not block the run and is reported', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/fifo', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
    execFileSync('mkfifo', [path.join(dir, name)]);
    const r = await cli(['--format', 'json', '--checks', 'toolchain,secrets', dir]);
    const report = JSON.parse(r.stdout) as Report;
    const all = report.checks.flatMap((c) => c.findings.map((f) => f.message));
    expect(all.some((m) => m.startsWith(`\`${name}\` is a FIFO (named pipe), not a regular file: not read`))).toBe(true);
  });
});
