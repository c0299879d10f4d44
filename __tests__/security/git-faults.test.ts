// Faults are a clear result: git missing, killed, hanging, failing or printing garbage makes
// git-clean (and secrets, where it lists files with git) `error` with the reason. Only "not a git
// repository" is a skip. A fake git (POSIX shell) breaks one subcommand and runs the real git for
// the rest; it is injected through the process seam (the runner's exec).

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gitCleanCheck } from '../../src/checks/git-clean.js';
import { secretsCheck } from '../../src/checks/secrets.js';
import { runProcess, type ProcessRunner } from '../../src/core/process.js';
import { cleanupTempDirs, git, goMod, makeRepo, tempDir, writeFiles } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const posix = process.platform !== 'win32';
const realGit = posix ? execFileSync('which', ['git'], { encoding: 'utf8' }).trim() : 'git';

const ACTIONS = {
  hang: 'sleep 600',
  killed: 'kill -9 $$',
  crash: 'echo "fatal: unable to read index: bad signature" >&2; exit 128',
  garbage: 'echo "hello, this is not git output"; exit 0',
} as const;
type Fault = keyof typeof ACTIONS;

/** An exec that runs a fake git: `sub` (status, ls-files, rev-parse) gets the fault. */
async function fakeGitExec(sub: string, fault: Fault): Promise<ProcessRunner> {
  const d = await tempDir('git-fault');
  const fake = path.join(d, 'git');
  await fs.writeFile(fake, `#!/bin/sh\nfor a in "$@"; do\n  if [ "$a" = "${sub}" ]; then ${ACTIONS[fault]}; fi\ndone\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  return (cmd, args, opts) => runProcess(cmd === 'git' ? fake : cmd, args, opts);
}

const missingGit: ProcessRunner = (cmd, args, opts) => runProcess(cmd === 'git' ? path.join(path.sep, 'nonexistent', 'git') : cmd, args, opts);

const files = {
  'go.mod': goMod('example.com/faults', '1.21'),
  'main.go': 'package main\n\nfunc main() {}\n',
  // A committed secret: a scan that silently listed no file would miss it and pass.
  'config.go': 'package main\n\nconst awsKey = "AKIAZ7VRSQ5TLXKMHW4Q"\n',
};

async function run(dir: string, exec: ProcessRunner | undefined, checks = [gitCleanCheck]) {
  const { report } = await runChecksIn(dir, checks, { exec, timeoutMs: 4000 });
  return report;
}

(posix ? describe : describe.skip)('git faults are errors, never a skip or a pass', () => {
  it('not a git repository: git-clean is skip (the only skip)', async () => {
    const dir = await makeRepo(files, { git: false });
    const c = (await run(dir, undefined)).checks.find((x) => x.id === 'git-clean')!;
    expect(c.status).toBe('skip');
    expect(c.skipReason).toBe('not applicable: not a git repository');
  });

  it('git missing outside a work tree: skip; inside a work tree: error naming the cause', async () => {
    const plain = await makeRepo(files, { git: false });
    expect((await run(plain, missingGit)).checks.find((x) => x.id === 'git-clean')!.status).toBe('skip');
    const dir = await makeRepo(files);
    const c = (await run(dir, missingGit)).checks.find((x) => x.id === 'git-clean')!;
    expect(c.status).toBe('error');
    expect(c.skipReason).toBe('git is not installed (not found on PATH), but the directory is in a git work tree');
  });

  for (const fault of Object.keys(ACTIONS) as Fault[]) {
    it(`git status ${fault}: git-clean is error with the reason`, async () => {
      const dir = await makeRepo(files);
      const report = await run(dir, await fakeGitExec('status', fault));
      const c = report.checks.find((x) => x.id === 'git-clean')!;
      expect(c.status).toBe('error');
      expect(report.conclusion).toBe('failure');
      expect(c.skipReason).toMatch(
        {
          hang: /^timed out after 4 s/,
          killed: /^git status .*: killed by a signal$/,
          crash: /^git status .*: exit 128: fatal: unable to read index: bad signature$/,
          garbage: /^git status printed something that is not its porcelain v2 format \("hello, this is not git output\\n"\)/,
        }[fault],
      );
    });
  }

  for (const fault of ['killed', 'garbage', 'crash'] as const) {
    it(`git rev-parse ${fault} (the probe): git-clean is error, not "not applicable"`, async () => {
      const dir = await makeRepo(files);
      const c = (await run(dir, await fakeGitExec('rev-parse', fault))).checks.find((x) => x.id === 'git-clean')!;
      expect(c.status).toBe('error');
      expect(c.skipReason).not.toContain('not applicable');
    });
  }

  for (const fault of ['garbage', 'killed', 'crash'] as const) {
    it(`git ls-files ${fault}: secrets is error with the reason, never "Scanned 0 tracked files"`, async () => {
      const dir = await makeRepo(files);
      const c = (await run(dir, await fakeGitExec('ls-files', fault), [secretsCheck])).checks.find((x) => x.id === 'secrets')!;
      expect(c.status).toBe('error');
      expect(c.skipReason).toMatch(fault === 'garbage' ? /^git ls-files printed something that is not its -z listing/ : /^cannot list the tracked files: git ls-files/);
    });
  }

  it('git diff printing garbage in the diff scope: every file is scanned (with a warning), not none', async () => {
    const dir = await makeRepo({ 'go.mod': files['go.mod'], 'main.go': files['main.go'] });
    git(dir, 'checkout', '-q', '-b', 'feature');
    await writeFiles(dir, { 'config.go': files['config.go'] });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'key');
    const { report } = await runChecksIn(dir, [secretsCheck], { exec: await fakeGitExec('diff', 'garbage'), options: { 'diff-base': 'main' } });
    const c = report.checks.find((x) => x.id === 'secrets')!;
    expect(c.status).toBe('fail');
    expect(c.findings.some((f) => f.message.startsWith('Cannot tell which lines changed since main (git diff printed something that is not a diff'))).toBe(true);
    expect(c.findings.some((f) => f.file === 'config.go')).toBe(true);
  });

  it('the real git on the same repo: secrets finds the committed key (the faults above hid it)', async () => {
    const dir = await makeRepo(files);
    const c = (await run(dir, undefined, [secretsCheck])).checks.find((x) => x.id === 'secrets')!;
    expect(c.status).toBe('fail');
  });
});
