// The pre-commit hook (.pre-commit-hooks.yaml): its entry is the real CLI with the checks that make
// sense before a commit, and it catches a secret that is only staged.

import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { cleanupTempDirs, git, goMod, makeRepo } from '../helpers/repo.js';
import { githubToken } from '../secrets/helpers.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hooks = parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
const hook = hooks.find((h) => h.id === 'go-preflight')!;

async function runEntry(dir: string) {
  const [bin, ...args] = String(hook.entry).split(/\s+/);
  expect(bin).toBe('go-preflight');
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: false, stderrIsTTY: false, env: { ...process.env, NO_COLOR: '1' }, cwd: dir };
  // pre-commit runs the hook at the repository root, without file names (pass_filenames: false).
  return { code: await runCli(args, io), stdout, stderr };
}

describe('.pre-commit-hooks.yaml', () => {
  it('runs secrets, mod-tidy and modules once per commit, never git-clean', () => {
    expect(hook).toMatchObject({ language: 'node', pass_filenames: false, always_run: true });
    const checks = /--checks (\S+)/.exec(String(hook.entry))![1]!.split(',');
    expect(checks.sort()).toEqual(['mod-tidy', 'modules', 'secrets']);
  });

  it('passes a clean commit in progress (untracked and modified files do not matter) and fails one with a staged secret', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/hook', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
    await fs.writeFile(path.join(dir, 'notes.txt'), 'work in progress');
    await fs.appendFile(path.join(dir, 'main.go'), '\n// edited\n');
    const clean = await runEntry(dir);
    expect(clean.code).toBe(0);

    const token = githubToken();
    await fs.writeFile(path.join(dir, 'deploy.go'), `package main\n\nconst deployToken = "${token}"\n`);
    git(dir, 'add', 'deploy.go');
    const r = await runEntry(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/deploy\.go.?:3/);
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});
