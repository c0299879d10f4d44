// Secrets in commits: a pull request that adds a key in one commit and deletes it in the next,
// --since, --history, a shallow clone, and one finding per place. Real git repositories.
import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { changeCommitsFromEvent, readChangeCommits } from '../../src/action/event.js';
import { secretsCheck } from '../../src/checks/secrets.js';
import { parseLogPatch } from '../../src/secrets/commits.js';
import { cleanupTempDirs, git, goMod, makeRepo, tempDir, writeFiles } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import { Planted, githubToken, tokens } from './helpers.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

const base = { 'go.mod': goMod('example.com/commits'), 'main.go': 'package main\n\nfunc main() {}\n' };

function commit(dir: string, files: Record<string, string | null>, msg: string): Promise<string> {
  return (async () => {
    for (const [rel, content] of Object.entries(files)) {
      if (content === null) await fs.rm(path.join(dir, rel));
      else await writeFiles(dir, { [rel]: content });
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', msg);
    return git(dir, 'rev-parse', 'HEAD').trim();
  })();
}

/** main with one commit, then a branch `feature` that adds a key and deletes it in the next commit. */
async function addThenDelete(p: Planted) {
  const dir = await makeRepo(base);
  const baseSha = git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'checkout', '-q', '-b', 'feature');
  const key = p.add(githubToken());
  const added = await commit(dir, { 'config/deploy.go': `package config\n\n// deploy\nconst token = "${key}"\n` }, 'add deploy token');
  const head = await commit(dir, { 'config/deploy.go': 'package config\n\n// deploy\nvar token = readToken()\n' }, 'read the token from the environment');
  return { dir, baseSha, added, head };
}

async function eventFile(payload: unknown): Promise<string> {
  const d = await tempDir('event');
  const f = path.join(d, 'event.json');
  await fs.writeFile(f, JSON.stringify(payload));
  return f;
}

function cli(args: string[]) {
  return runCliCaptured(args, { env: { CI: '' } });
}

describe('parseLogPatch', () => {
  it('maps added lines to their line numbers, joins hunks, and reads a "+++" content line as content', () => {
    const out = [
      '\0' + 'a'.repeat(40),
      '',
      'diff --git a/x.txt b/x.txt',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -1,0 +2,2 @@',
      '+one',
      '+++ two',
      '@@ -9 +10 @@',
      '-old',
      '+ten',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '\0' + 'b'.repeat(40),
      '',
      'diff --git "a/sp ace.txt" "b/sp ace.txt"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/sp ace.txt"',
      '@@ -0,0 +1 @@',
      '+hi',
      '\\ No newline at end of file',
    ].join('\n');
    const units = parseLogPatch(out);
    expect(units.map((u) => [u.commit[0], u.file, u.text, u.lines])).toEqual([
      ['a', 'x.txt', 'one\n++ two\n\nten', [2, 3, 0, 10]],
      ['b', 'sp ace.txt', 'hi', [1]],
    ]);
  });
});

describe('the event payload', () => {
  it('gives a pull request its base..head, a push before..after, and a new branch its default branch', async () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    expect(changeCommitsFromEvent('pull_request', { pull_request: { base: { sha: a }, head: { sha: b }, commits: 2 } })).toEqual({ source: 'pull_request', base: a, head: b, count: 2 });
    expect(changeCommitsFromEvent('pull_request_target', { pull_request: { base: { sha: a }, head: { sha: b } } })).toEqual({ source: 'pull_request', base: a, head: b });
    expect(changeCommitsFromEvent('push', { before: a, after: b, commits: [{}, {}] })).toEqual({ source: 'push', base: a, head: b, count: 2 });
    expect(changeCommitsFromEvent('push', { before: '0'.repeat(40), after: b, repository: { default_branch: 'main' } })).toEqual({ source: 'push', head: b, defaultBranch: 'main' });
    expect(changeCommitsFromEvent('push', { before: a, after: '0'.repeat(40) })).toBeUndefined();
    expect(changeCommitsFromEvent('pull_request', { pull_request: { head: { sha: '--output=x' } } })).toBeUndefined();
    expect(changeCommitsFromEvent('workflow_dispatch', {})).toBeUndefined();
    const f = await eventFile({ pull_request: { base: { sha: a }, head: { sha: b } } });
    expect(await readChangeCommits({ GITHUB_EVENT_PATH: f, GITHUB_EVENT_NAME: 'pull_request' })).toEqual({ source: 'pull_request', base: a, head: b });
    expect(await readChangeCommits({ GITHUB_EVENT_PATH: path.join(path.dirname(f), 'missing.json'), GITHUB_EVENT_NAME: 'pull_request' })).toBeUndefined();
  });
});

describe('a pull request that adds a key in one commit and deletes it in the next', () => {
  it('fails the check in action mode (event payload base.sha..head.sha), naming the commit', async () => {
    const p = new Planted();
    const { dir, baseSha, added, head } = await addThenDelete(p);
    const event = await eventFile({ pull_request: { base: { sha: baseSha }, head: { sha: head }, commits: 2 } });
    const commits = await readChangeCommits({ GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' });

    // The tree alone is clean: what the scan saw before.
    const treeOnly = await runCheck(secretsCheck, dir, { ci: { baseRef: 'main' } });
    expect(treeOnly.result.status).toBe('pass');

    const masked: string[] = [];
    const { result, report } = await runCheck(secretsCheck, dir, { ci: { baseRef: 'main', commits, maskSecret: (v) => masked.push(v) } });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line, f.commit])).toEqual([['github-pat', 'config/deploy.go', 4, added]]);
    const f = result.findings[0]!;
    expect(f.message).toContain(`added in commit ${added.slice(0, 12)}, no longer in the files`);
    expect(f.hint).toContain('remove it from the git history');
    expect(masked.length).toBeGreaterThan(0);
    expect(result.notes?.join('\n')).toMatch(/Scanned the lines added by 2 commit\(s\), the commits of the pull request/);
    expect(p.leaksIn(JSON.stringify(report))).toEqual([]);
  });

  it('fails with the CLI --since, and the JSON finding carries the full commit sha', async () => {
    const p = new Planted();
    const { dir, added } = await addThenDelete(p);
    const r = await cli(['--checks', 'secrets', '--since', 'main', '--format', 'json', dir]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    const secrets = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'secrets');
    expect(secrets.status).toBe('fail');
    expect(secrets.findings.map((f: { commit?: string; file?: string }) => [f.file, f.commit])).toEqual([['config/deploy.go', added]]);
    expect(p.leaksIn(r.stdout + r.stderr)).toEqual([]);
    // Without --since the same repository passes: the tree is clean.
    expect((await cli(['--checks', 'secrets', dir])).code).toBe(0);
  });

  it('--since with a ref that does not exist is an error, not a pass', async () => {
    const { dir } = await addThenDelete(new Planted());
    const r = await cli(['--checks', 'secrets', '--since', 'no-such-branch', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const secrets = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'secrets');
    expect(secrets.status).toBe('error');
    expect(secrets.skipReason).toContain('--since no-such-branch');
  });

  it('a .gitleaksignore entry in gitleaks git form (commit:file:rule:line) accepts it, listed as suppressed and added by the change', async () => {
    const { dir, baseSha, added } = await addThenDelete(new Planted());
    await commit(dir, { '.gitleaksignore': `${added}:config/deploy.go:github-pat:4\n` }, 'accept it');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const { result } = await runCheck(secretsCheck, dir, { ci: { commits: { source: 'pull_request', base: baseSha, head } } });
    expect(result.status).toBe('pass');
    expect(result.suppressed).toEqual([{ file: 'config/deploy.go', line: 4, ruleId: 'github-pat', by: '.gitleaksignore', at: '.gitleaksignore:1', addedByChange: true, commit: added }]);
  });

  it('checks.secrets.commits: off scans only the files', async () => {
    const { dir, baseSha, head } = await addThenDelete(new Planted());
    const { result } = await runCheck(secretsCheck, dir, { options: { commits: 'off' }, ci: { commits: { source: 'pull_request', base: baseSha, head } } });
    expect(result.status).toBe('pass');
    expect(result.notes?.join('\n')).toContain('checks.secrets.commits is off');
  });
});

describe('a push', () => {
  it('scans before..after, and for a new branch only its commits not on the default branch', async () => {
    const p = new Planted();
    const dir = await makeRepo(base);
    // An old secret on main, added and removed long ago: not the push's business.
    await commit(dir, { 'old.txt': `k ${p.add(tokens.awsKeyId())}\n` }, 'old');
    await commit(dir, { 'old.txt': null }, 'old gone');
    const mainSha = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'checkout', '-q', '-b', 'topic');
    const added = await commit(dir, { 'topic.txt': `t ${p.add(githubToken())}\n` }, 'topic');
    const after = await commit(dir, { 'topic.txt': 'nothing\n' }, 'topic fixed');

    const newBranch = await runCheck(secretsCheck, dir, { ci: { commits: { source: 'push', head: after, defaultBranch: 'main' } } });
    expect(newBranch.result.findings.filter((f) => f.ruleId).map((f) => [f.file, f.commit])).toEqual([['topic.txt', added]]);
    expect(newBranch.result.notes?.join('\n')).toContain('A new branch was pushed: scanned the commits reachable from');

    const pushed = await runCheck(secretsCheck, dir, { ci: { commits: { source: 'push', base: mainSha, head: after } } });
    expect(pushed.result.findings.filter((f) => f.ruleId).map((f) => [f.file, f.commit])).toEqual([['topic.txt', added]]);

    // Without the default branch in the clone: the last commits the event names, said in a notice.
    const noDefault = await runCheck(secretsCheck, dir, { ci: { commits: { source: 'push', head: after, defaultBranch: 'trunk', count: 1 } } });
    expect(noDefault.result.findings.filter((f) => f.ruleId)).toEqual([]);
    expect(noDefault.result.notes?.join('\n')).toContain('trunk is not in this clone: scanned the last 1 commit(s)');
  });
});

describe('--history', () => {
  it('finds a key on another branch that is not checked out, like gitleaks git', async () => {
    const p = new Planted();
    const dir = await makeRepo(base);
    git(dir, 'checkout', '-q', '-b', 'experiment');
    const sha = await commit(dir, { 'notes.txt': `aws ${p.add(tokens.awsKeyId())}\n` }, 'experiment');
    git(dir, 'checkout', '-q', 'main');
    const r = await cli(['--checks', 'secrets', '--history', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const secrets = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'secrets');
    expect(secrets.findings.map((f: { ruleId?: string; file?: string; commit?: string }) => [f.file, f.commit])).toEqual([['notes.txt', sha]]);
    expect(p.leaksIn(r.stdout + r.stderr)).toEqual([]);
    expect((await cli(['--since', 'main', '--history', dir])).code).toBe(2);
  });
});

describe('a shallow clone (actions/checkout with its default depth 1)', () => {
  it('warns naming fetch-depth: 0, never fetches, and still scans the tree', async () => {
    const p = new Planted();
    const { dir: origin, baseSha, head } = await addThenDelete(p);
    // A key that is still in the tree, to prove the tree was scanned.
    await commit(origin, { 'cmd/main.go': `package main\n\nconst k = "${p.add(githubToken())}"\n` }, 'tree key');
    const headNow = git(origin, 'rev-parse', 'HEAD').trim();
    const clones = await tempDir('shallow');
    const dir = path.join(clones, 'c');
    git(clones, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, dir);
    const event = await eventFile({ pull_request: { base: { sha: baseSha }, head: { sha: headNow }, commits: 3 } });
    const commits = await readChangeCommits({ GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' });
    const { result } = await runCheck(secretsCheck, dir, { ci: { commits } });
    const warn = result.findings.find((f) => f.severity === 'warning' && /not in this clone/.test(f.message));
    expect(warn?.hint).toContain('fetch-depth: 0');
    expect(result.findings.filter((f) => f.ruleId === 'github-pat').map((f) => [f.file, f.commit])).toEqual([['cmd/main.go', undefined]]);
    expect(result.status).toBe('fail');
    // Nothing was fetched: the clone still holds one commit.
    expect(git(dir, 'rev-list', '--count', '--all').trim()).toBe('1');
    expect(head).not.toBe(headNow);
  });
});

describe('one finding per place', () => {
  it('a key kept in the tree is one tree finding; a key that moved across commits then left is one finding at its first commit', async () => {
    const p = new Planted();
    const dir = await makeRepo(base);
    const baseSha = git(dir, 'rev-parse', 'HEAD').trim();
    const kept = p.add(githubToken());
    const gone = p.add(tokens.awsKeyId());
    const c1 = await commit(dir, { 'a.go': `package main\n\nconst k = "${kept}"\n`, 'b.txt': `id ${gone}\n` }, 'one');
    await commit(dir, { 'a.go': `package main\n\n// moved\n\nconst k = "${kept}"\n`, 'b.txt': `header\n\nid ${gone}\n` }, 'two');
    await commit(dir, { 'b.txt': 'header\n' }, 'three');
    // The same key added again in another file is another place.
    const c4 = await commit(dir, { 'c.txt': `id ${gone}\n` }, 'four');
    const c5 = await commit(dir, { 'c.txt': null }, 'five');
    const { result } = await runCheck(secretsCheck, dir, { ci: { commits: { source: 'since', base: baseSha, head: 'HEAD' } } });
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line, f.commit])).toEqual([
      ['github-pat', 'a.go', 5, undefined],
      ['aws-access-token', 'b.txt', 1, c1],
      ['aws-access-token', 'c.txt', 1, c4],
    ]);
    expect(c5).toBeTruthy();
  });
});
