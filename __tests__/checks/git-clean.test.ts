import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gitCleanCheck, globToRegExp, parsePorcelainV2 } from '../../src/checks/git-clean.js';
import { cleanupTempDirs, git, goMod, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const base = { 'go.mod': goMod('example.com/clean'), 'main.go': 'package main\n\nfunc main() {}\n', 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', '.gitignore': 'bin/\n' };

describe('parsePorcelainV2', () => {
  it('parses changed, renamed, unmerged and untracked records with spaces in names', () => {
    const out = [
      '1 .M N... 100644 100644 100644 aaa aaa my file.go',
      '2 R. N... 100644 100644 100644 aaa aaa R100 new.go',
      'old.go',
      'u UU N... 100644 100644 100644 100644 a b c conflict.go',
      '? untracked dir/x.go',
      '',
    ].join('\0');
    const e = parsePorcelainV2(out)!;
    expect(e.map((x) => [x.kind, x.path, x.x, x.y])).toEqual([
      ['changed', 'my file.go', '.', 'M'],
      ['renamed', 'new.go', 'R', '.'],
      ['unmerged', 'conflict.go', 'U', 'U'],
      ['untracked', 'untracked dir/x.go', '?', '?'],
    ]);
    expect(e[1]!.from).toBe('old.go');
  });
});

describe('globToRegExp', () => {
  it('matches gitignore-like globs', () => {
    expect(globToRegExp('*.log').test('a/b/c.log')).toBe(true);
    expect(globToRegExp('docs/**').test('docs/a/b.md')).toBe(true);
    expect(globToRegExp('docs/**').test('src/docs/a.md')).toBe(false);
    expect(globToRegExp('gen/*.go').test('gen/x.go')).toBe(true);
    expect(globToRegExp('gen/*.go').test('gen/sub/x.go')).toBe(false);
    expect(globToRegExp('build/').test('build/out/a')).toBe(true);
  });
});

describe('git-clean check', () => {
  it('passes on a clean tree and ignores ignored files', async () => {
    const dir = await makeRepo(base);
    await fs.mkdir(path.join(dir, 'bin'));
    await fs.writeFile(path.join(dir, 'bin', 'app'), 'binary');
    const { result } = await runCheck(gitCleanCheck, dir);
    expect(result.status).toBe('pass');
  });

  it('reports each file state: modified, staged, deleted, untracked, renamed', async () => {
    const dir = await makeRepo(base);
    await fs.appendFile(path.join(dir, 'main.go'), '// edit\n');
    await fs.writeFile(path.join(dir, 'a.txt'), 'changed\n');
    git(dir, 'add', 'a.txt');
    await fs.rm(path.join(dir, 'b.txt'));
    git(dir, 'mv', 'c.txt', 'd.txt');
    await fs.mkdir(path.join(dir, 'new'));
    await fs.writeFile(path.join(dir, 'new', 'x.go'), 'package x\n');
    const before = await snapshotTree(dir);
    const { result } = await runCheck(gitCleanCheck, dir);
    expect(result.status).toBe('fail');
    const byMsg = (s: string) => result.findings.find((f) => f.message.startsWith(s));
    expect(byMsg('main.go is modified (not staged)')).toMatchObject({ file: 'main.go', severity: 'error' });
    expect(byMsg('a.txt is staged (modified)')).toBeDefined();
    expect(byMsg('b.txt is deleted (not staged)')).toBeDefined();
    expect(byMsg('d.txt is staged (renamed from c.txt)')).toBeDefined();
    expect(byMsg('new/x.go is untracked')).toMatchObject({ file: 'new/x.go' });
    expect(result.findings).toHaveLength(5);
    expect(result.details).toContain('| <code>new/x.go</code> | untracked |');
    // git status ran with --no-optional-locks: not even the index was rewritten.
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('explains a go.sum changed by an earlier step', async () => {
    const dir = await makeRepo({ ...base, 'go.sum': '' });
    await fs.writeFile(path.join(dir, 'go.sum'), 'example.com/x v1.0.0 h1:abc=\n');
    const { result } = await runCheck(gitCleanCheck, dir);
    expect(result.findings[0]!.hint).toContain('go mod tidy');
  });

  it('honours the allow list and the untracked option', async () => {
    const dir = await makeRepo(base);
    await fs.writeFile(path.join(dir, 'coverage.out'), 'x');
    await fs.writeFile(path.join(dir, 'a.txt'), 'changed\n');
    const allowed = (await runCheck(gitCleanCheck, dir, { options: { allow: ['*.out', 'a.txt'] } })).result;
    expect(allowed.status).toBe('pass');
    expect(allowed.notes?.join(' ')).toContain('2 changed file(s) allowed');
    const noUntracked = (await runCheck(gitCleanCheck, dir, { options: { untracked: false } })).result;
    expect(noUntracked.findings.map((f) => f.file)).toEqual(['a.txt']);
  });

  it('only looks inside the inspected directory and reports paths relative to it', async () => {
    const dir = await makeRepo({ ...base, 'svc/go.mod': goMod('example.com/svc'), 'svc/s.go': 'package svc\n' });
    await fs.appendFile(path.join(dir, 'main.go'), '// outside svc\n');
    await fs.appendFile(path.join(dir, 'svc', 's.go'), '// inside\n');
    const { result } = await runCheck(gitCleanCheck, path.join(dir, 'svc'));
    expect(result.findings.map((f) => f.file)).toEqual(['s.go']);
  });

  it('skips a directory that is not a git repository, with the reason', async () => {
    const dir = await makeRepo(base, { git: false });
    const { result } = await runCheck(gitCleanCheck, dir);
    expect(result.status).toBe('skip');
    expect(result.skipReason).toBe('not applicable: not a git repository');
  });

  it('notes a shallow clone', async () => {
    const origin = await makeRepo(base);
    await fs.appendFile(path.join(origin, 'a.txt'), 'more\n');
    git(origin, 'commit', '-qam', 'second');
    const clone = origin + '-shallow';
    git(path.dirname(origin), 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    const { result } = await runCheck(gitCleanCheck, clone);
    await fs.rm(clone, { recursive: true, force: true });
    expect(result.status).toBe('pass');
    expect(result.notes?.join(' ')).toContain('shallow clone');
  });
});
