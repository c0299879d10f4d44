import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { secretsCheck } from '../../src/checks/secrets.js';
import { findWorkerScript } from '../../src/secrets/pool.js';
import { scanRepo } from '../../src/secrets/scan-repo.js';
import type { CacheStore, CheckResult } from '../../src/core/types.js';
import { cleanupTempDirs, git, goMod, makeRepo, snapshotTree, tempDir, writeFiles } from '../helpers/repo.js';
import { runCheck, type RunCheckResult } from '../helpers/run-check.js';
import { B64, HEX, Planted, ecPem, githubToken, jwt, npmToken, rnd, rsaPem, tokens } from './helpers.js';

afterAll(cleanupTempDirs);

const rules = (r: CheckResult) => r.findings.map((f) => f.ruleId ?? '');
const bySeverity = (r: CheckResult, s: string) => r.findings.filter((f) => f.severity === s);

async function unchanged<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = await snapshotTree(dir);
  const out = await fn();
  expect(await snapshotTree(dir)).toEqual(before);
  return out;
}

describe('a repository of planted secrets', () => {
  it('finds each one, masks each value, and never prints one', async () => {
    const p = new Planted();
    const pem = p.add(rsaPem());
    const sa = JSON.stringify({ type: 'service_account', project_id: 'acme', private_key: p.add(ecPem()), client_email: 'ci@acme.iam' }, null, 2);
    const dockerAuth = p.add(Buffer.from(`ci:${rnd(20)}`).toString('base64'));
    const files: Record<string, string> = {
      'go.mod': goMod('example.com/planted'),
      'main.go': `package main\n\nconst gh = "${p.add(githubToken())}"\nconst aws = "${p.add(tokens.awsKeyId())}"\n\nfunc main() {}\n`,
      'config/app.yaml': `db:\n  password: ${p.add(rnd(24))}\nslack: ${p.add(tokens.slackWebhook())}\nstripe: ${p.add(tokens.stripeLive())}\n`,
      '.env': `API_SECRET=${p.add(rnd(30))}\n`,
      'deploy/id_rsa': pem,
      'deploy/sa.json': sa,
      '.npmrc': `//npm.corp.internal/:_authToken=${p.add(rnd(36))}\n`,
      'scripts/publish.sh': `#!/bin/sh\nexport NODE_AUTH=${p.add(npmToken())}\n`,
      '.netrc': `machine git.corp.internal login ci password ${p.add(rnd(22))}\n`,
      '.docker/config.json': JSON.stringify({ auths: { 'registry.corp.internal': { auth: dockerAuth } } }),
      'api/req.http': `GET /me\nAuthorization: Bearer ${p.add(jwt())}\n`,
      // 10 characters: too short for even a 4-character preview.
      'db/dsn.go': `package db\n\nconst dsn = "postgres://app:${p.add(rnd(10))}@db.corp.internal:5432/app"\n`,
      'pkg/x_test.go': `package pkg\n\nvar apiKey = "${p.add(rnd(32))}"\nvar tok = "${p.add(githubToken('s'))}"\n`,
    };
    const dir = await makeRepo(files);
    const masked: string[] = [];
    const { result, report, logger } = await unchanged(dir, () => runCheck(secretsCheck, dir, { ci: { maskSecret: (v) => masked.push(v) } }));

    expect(result.status).toBe('fail');
    expect(new Set(rules(result))).toEqual(
      new Set([
        'github-pat',
        'aws-access-token',
        'generic-api-key',
        'slack-webhook-url',
        'stripe-access-token',
        'private-key',
        'gcp-service-account',
        'npmrc-auth-token',
        'npm-access-token',
        'netrc-password',
        'docker-config-auth',
        'jwt',
        'basic-auth-url',
        'github-app-token',
      ]),
    );
    const at = (file: string) => result.findings.filter((f) => f.file === file);
    expect(at('main.go').map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual([
      ['github-pat', 3, 13, 'error'],
      ['aws-access-token', 4, 14, 'error'],
    ]);
    expect(at('pkg/x_test.go').map((f) => [f.ruleId, f.severity])).toEqual([
      ['github-app-token', 'warning'],
      ['generic-api-key', 'notice'],
    ]);
    expect(at('.netrc')[0]!.severity).toBe('error');
    const gh = at('main.go')[0]!;
    expect(gh.message).toBe('GitHub personal access token committed (ghp_…): its built-in checksum is valid');
    expect(gh.fingerprint).toBe('main.go:github-pat:3');
    expect(gh.hint).toContain('https://github.com/settings/tokens');
    expect(gh.hint).toContain('`main.go:github-pat:3` to .gitleaksignore');

    // Never leak: not in the result, the report, the logs; every value was handed to masking.
    const everything = JSON.stringify(result) + JSON.stringify(report) + JSON.stringify(logger.lines);
    expect(p.leaksIn(everything)).toEqual([]);
    for (const f of result.findings) {
      const preview = /\(([^()]*)\)(?::|$)/.exec(f.message)?.[1] ?? '';
      expect(preview === '…' || /^.{4}…$/u.test(preview)).toBe(true);
    }
    // Each value (the secret part of a URL, each line of a key) was registered for masking.
    const unmasked = p.values.map((v, i) => (masked.some((m) => m.length >= 8 && v.includes(m)) ? -1 : i)).filter((i) => i >= 0);
    expect(unmasked).toEqual([]);
    expect(masked).toContain(pem.split('\n')[1]!);
    expect(at('db/dsn.go')[0]!.message).toBe('Password in a postgres:// URL committed (…)');
  });
});

describe('suppression', () => {
  it('.gitleaksignore, .gitleaks.toml (custom rule, allowlists, disabledRules) and a baseline', async () => {
    const custom = (hex: string) => ['ACME', '_TOK_', hex].join('');
    const files: Record<string, string> = {
      'a.go': `package a\n\n// rotated\nvar t = "${githubToken()}"\n`,
      'b.go': `package a\n\nvar t = "${githubToken()}"\n`,
      'c.go': `package a\n\nvar t = "${githubToken()}"\n`,
      'conf.yaml': `api_secret: ${rnd(30)}\n`,
      'internal.txt': `token ${custom(rnd(16, HEX))}\nzero ${custom('0'.repeat(16))}\n`,
      'fixtures/x.txt': `t ${githubToken()}\n`,
      '.gitleaksignore': `# accepted\na.go:github-pat:4\n${'f'.repeat(40)}:b.go:github-pat:3\nnot a fingerprint\n`,
      'accepted.json': JSON.stringify([{ fingerprint: 'c.go:github-pat:3' }]),
      '.gitleaks.toml': [
        'title = "acme"',
        '[extend]',
        'useDefault = true',
        'disabledRules = ["generic-api-key"]',
        '',
        '[[rules]]',
        'id = "acme-token"',
        'description = "ACME internal token"',
        // RE2 syntax on purpose: a mid-pattern case flag and a Go-style named group.
        "regex = '''(?P<tok>ACME(?i)_tok_[0-9a-f]{16})'''",
        'keywords = ["acme_tok_"]',
        '[[rules.allowlists]]',
        "regexes = ['''0{16}$''']",
        '',
        '[[rules]]',
        'id = "broken"',
        "regex = '''foo(?=bar)'''",
        '',
        '[[allowlists]]',
        'description = "fixtures"',
        "paths = ['''^fixtures/''']",
      ].join('\n'),
    };
    const dir = await makeRepo(files);
    const { result } = await unchanged(dir, () => runCheck(secretsCheck, dir, { options: { baseline: 'accepted.json' } }));
    const got = result.findings.map((f) => `${f.severity} ${f.file}:${f.line ?? ''} ${f.ruleId ?? ''}`);
    expect(got).toEqual(
      expect.arrayContaining(['error internal.txt:1 acme-token', 'warning .gitleaks.toml:16 gitleaks-config', 'notice .gitleaksignore:4 ']),
    );
    expect(got).toHaveLength(3);
    expect(result.findings.find((f) => f.ruleId === 'acme-token')!.message).toBe('ACME internal token committed (ACME…)');
    expect(result.findings.find((f) => f.ruleId === 'gitleaks-config')!.message).toMatch(/rule "broken" regex: the pattern cannot be used \(look-arounds/);
    expect(result.notes).toEqual(expect.arrayContaining(['2 finding(s) accepted by .gitleaksignore.', '1 finding(s) accepted by the baseline.']));
  });

  it('a previous go-preflight report as baseline, and an unreadable baseline', async () => {
    const dir = await makeRepo({ 'a.go': `package a\n\nvar t = "${githubToken()}"\n` });
    const first = await runCheck(secretsCheck, dir);
    expect(first.result.status).toBe('fail');
    // The report as a user would save it, without the internal ruleId/fingerprint fields.
    const saved = JSON.parse(JSON.stringify(first.report)) as { checks: Array<{ findings: Array<Record<string, unknown>> }> };
    for (const c of saved.checks) {
      for (const f of c.findings) {
        delete f.fingerprint;
        delete f.ruleId;
      }
    }
    // The baseline is a file of the repository (nothing outside it is read); untracked here.
    const side = dir;
    await fs.writeFile(path.join(side, 'report.json'), JSON.stringify(saved));
    const second = await runCheck(secretsCheck, dir, { options: { baseline: path.join(side, 'report.json') } });
    expect(second.result.status).toBe('pass');
    const third = await runCheck(secretsCheck, dir, { options: { baseline: 'missing.json' } });
    expect(third.result.findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(third.result.findings[1]!.message).toMatch(/The baseline missing\.json cannot be used/);
    // A truncated gitleaks report (which holds the secrets themselves): nothing of it is quoted.
    const secret = githubToken();
    await fs.writeFile(path.join(side, 'broken.json'), `[{"RuleID": "github-pat", "Secret": "${secret}", "Match": "${secret}`);
    const fourth = await runCheck(secretsCheck, dir, { options: { baseline: path.join(side, 'broken.json') } });
    expect(fourth.result.findings[1]!.message).toMatch(/cannot be used \(not valid JSON\)/);
    expect(JSON.stringify(fourth.report)).not.toContain(secret);
  });

  it('.gitleaks.toml without [extend] replaces the default rules', async () => {
    const dir = await makeRepo({
      'a.go': `package a\n\nvar t = "${githubToken()}"\nvar c = "corp-${rnd(20, HEX)}"\n`,
      '.gitleaks.toml': "[[rules]]\nid = \"corp\"\nregex = '''corp-[0-9a-f]{20}'''\nkeywords = [\"corp-\"]\n",
    });
    const { result } = await runCheck(secretsCheck, dir);
    expect(rules(result)).toEqual(['corp']);
  });
});

describe('scope', () => {
  it('skips binaries, vendor/, go.sum and ignored paths; notices files over max-file-size', async () => {
    const tok = githubToken();
    const dir = await makeRepo({
      'go.mod': goMod('example.com/x'),
      'go.sum': `example.com/secret-token v1.0.0 h1:${rnd(43, B64)}=\n`,
      'bin/tool': Buffer.concat([Buffer.from('\x7fELF\0\0'), Buffer.from(`"${tok}"`)]),
      'vendor/example.com/dep/dep.go': `package dep\n\nvar t = "${githubToken()}"\n`,
      'docs/generated/api.md': `token ${githubToken()}\n`,
      'big.txt': `${'x'.repeat(3000)}\n${githubToken()}\n`,
      'ok.go': 'package x\n',
    });
    const { result } = await unchanged(dir, () =>
      runCheck(secretsCheck, dir, { options: { 'max-file-size': 2048, 'paths-ignore': ['docs/**'] } }),
    );
    expect(result.findings.map((f) => [f.severity, f.file])).toEqual([['notice', 'big.txt']]);
    expect(result.findings[0]!.message).toMatch(/big\.txt is 0\.0 MB, over max-file-size .*not scanned/);
    const withVendor = await runCheck(secretsCheck, dir, { options: { 'scan-vendor': true, 'paths-ignore': ['docs/**', 'big.txt'] } });
    expect(withVendor.result.findings.map((f) => f.file)).toEqual(['vendor/example.com/dep/dep.go']);
  });

  it('walks a directory that is not a git repository', async () => {
    const dir = await makeRepo(
      {
        'main.go': `package main\n\nvar t = "${githubToken()}"\n`,
        'node_modules/x/index.js': `t = "${githubToken()}"\n`,
        'vendor/a/a.go': `package a\nvar t = "${githubToken()}"\n`,
        '.git-not/x': 'nothing',
      },
      { git: false },
    );
    const { result } = await unchanged(dir, () => runCheck(secretsCheck, dir));
    expect(result.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['main.go:3']);
    expect(result.notes?.[0]).toMatch(/^Scanned \d+ files/);
  });

  it('diff scope: only lines changed since the merge base with the base branch', async () => {
    const oldGo = `package d\n\nvar old = "${githubToken()}"\n`;
    const dir = await makeRepo({ 'go.mod': goMod('example.com/d'), 'old.go': oldGo });
    git(dir, 'checkout', '-q', '-b', 'feature');
    await writeFiles(dir, { 'new.go': `package d\n\nvar fresh = "${githubToken()}"\n`, 'old.go': `${oldGo}// touched\n` });
    git(dir, 'add', 'new.go');
    git(dir, 'commit', '-q', '-m', 'feature');
    // old.go is edited (below the old secret) and not committed: its line 3 did not change.
    const { result } = await unchanged(dir, () => runCheck(secretsCheck, dir, { options: { 'diff-base': 'main' } }));
    expect(result.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['new.go:3']);
    expect(result.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^Only lines changed since main \(merge base [0-9a-f]{12}\) are reported/)]));
    // The pull request's base ref from the CI does the same; an empty diff-base scans everything.
    const ci = await runCheck(secretsCheck, dir, { ci: { baseRef: 'main' } });
    expect(ci.result.findings.map((f) => f.file)).toEqual(['new.go']);
    const all = await runCheck(secretsCheck, dir, { ci: { baseRef: 'main' }, options: { 'diff-base': '' } });
    expect(all.result.findings.map((f) => f.file).sort()).toEqual(['new.go', 'old.go']);
  });

  it('a shallow clone without the base: a notice (warning when configured) about fetch-depth, then a full scan', async () => {
    const origin = await makeRepo({ 'a.go': `package a\n\nvar a = "${githubToken()}"\n` });
    git(origin, 'checkout', '-q', '-b', 'feature');
    await writeFiles(origin, { 'b.go': `package a\n\nvar b = "${githubToken()}"\n` });
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'b');
    const clone = path.join(await tempDir(), 'clone');
    git(origin, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, clone);
    // The pull request's base by default: a notice (the default checkout is shallow on every PR).
    const { result } = await unchanged(clone, () => runCheck(secretsCheck, clone, { ci: { baseRef: 'main' } }));
    expect(bySeverity(result, 'warning')).toEqual([]);
    expect(bySeverity(result, 'notice').map((f) => f.message)).toEqual([expect.stringMatching(/shallow.*every tracked file was scanned/)]);
    expect(bySeverity(result, 'notice')[0]!.hint).toContain('fetch-depth: 0');
    expect(bySeverity(result, 'error').map((f) => f.file).sort()).toEqual(['a.go', 'b.go']);
    // A diff-base the user configured: a warning.
    const configured = (await runCheck(secretsCheck, clone, { options: { 'diff-base': 'main' } })).result;
    expect(bySeverity(configured, 'warning').map((f) => f.message)).toEqual([expect.stringMatching(/shallow.*every tracked file was scanned/)]);
  });
});

/** An in-memory CacheStore, like @actions/cache with exact keys. */
function memoryCache(fail: { restore?: boolean; save?: boolean } = {}) {
  const entries = new Map<string, Map<string, Buffer>>();
  const calls: string[] = [];
  const store: CacheStore = {
    async restore(key, dir) {
      calls.push(`restore ${key}`);
      if (fail.restore) throw new Error('cache service unavailable');
      const e = entries.get(key);
      if (!e) return false;
      for (const [name, data] of e) await fs.writeFile(path.join(dir, name), data);
      return true;
    },
    async save(key, dir) {
      calls.push(`save ${key}`);
      if (fail.save) throw new Error('quota exceeded');
      const e = new Map<string, Buffer>();
      for (const name of await fs.readdir(dir)) e.set(name, await fs.readFile(path.join(dir, name)));
      entries.set(key, e);
    },
  };
  return { store, entries, calls };
}

describe('scanRepo', () => {
  it('exposes its statistics; the second run with a cache reads 0 blobs', async () => {
    const dir = await makeRepo({ 'a.go': `package a\n\nvar t = "${githubToken()}"\n`, 'b.bin': Buffer.from([0, 1, 2, 3]), 'c.txt': 'hello\n' });
    const cache = memoryCache();
    const opts = { cache: { store: cache.store, key: 'k', dir: await tempDir() } };
    const first = await scanRepo(dir, opts);
    expect(first.stats).toMatchObject({ mode: 'git', listed: 3, scanned: 3, binary: 1, fromCache: 0, cache: 'miss' });
    expect(first.findings.map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(first.findings[0]!.secret).toMatch(/^ghp_/);
    const second = await scanRepo(dir, { cache: { ...opts.cache, dir: await tempDir() } });
    expect(second.stats).toMatchObject({ scanned: 0, fromCache: 3, cache: 'hit' });
    // From the cache: the same finding, without the secret (it was never stored).
    expect(second.findings.map((f) => ({ ...f, secret: undefined }))).toEqual(first.findings.map((f) => ({ ...f, secret: undefined })));
    expect(second.findings[0]!.secret).toBeUndefined();
  });

  it('falls back to this thread when no worker script is bundled next to it', async () => {
    expect(findWorkerScript()).toBeUndefined();
    const dir = await makeRepo({ 'a.go': `package a\n\nvar t = "${githubToken()}"\n`, 'b.go': `package a\n\nvar u = "${githubToken('o')}"\n` });
    const r = await scanRepo(dir, { workers: 4, parallelThreshold: 0 });
    expect(r.stats.threads).toBe(1);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['github-pat', 'github-oauth']);
  });
});

describe('results cache', () => {
  const scannedNote = (r: RunCheckResult) => r.result.notes?.find((n) => n.startsWith('Scanned')) ?? '';

  it('miss, then hit (0 files scanned, same findings), then a dirty file is scanned fresh', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/c'),
      'a.go': `package c\n\nvar t = "${githubToken()}"\n`,
      'b.yaml': `api_secret: ${rnd(30)}\n`,
      'c.go': 'package c\n',
    });
    const cache = memoryCache();
    const first = await runCheck(secretsCheck, dir, { ci: { cache: cache.store } });
    expect(scannedNote(first)).toMatch(/^Scanned 4 tracked files/);
    expect(cache.calls).toEqual([expect.stringMatching(/^restore secrets-v\d+-[0-9a-f]{16}$/), expect.stringMatching(/^save secrets-v\d+-/)]);
    const stored = [...cache.entries.values()][0]!.get('secrets-cache.json')!.toString();
    expect(stored).not.toMatch(/ghp_[A-Za-z0-9]{10}/); // previews only

    const second = await unchanged(dir, () => runCheck(secretsCheck, dir, { ci: { cache: cache.store } }));
    expect(scannedNote(second)).toMatch(/^Scanned 0 tracked files .*4 unchanged files from the cache/);
    expect(second.result.findings).toEqual(first.result.findings);
    expect(cache.calls.filter((c) => c.startsWith('save'))).toHaveLength(1); // nothing new to save

    await fs.appendFile(path.join(dir, 'c.go'), `\nvar k = "${githubToken()}"\n`);
    const third = await runCheck(secretsCheck, dir, { ci: { cache: cache.store } });
    expect(scannedNote(third)).toMatch(/^Scanned 1 tracked files .*3 unchanged files from the cache/);
    expect(third.result.findings.map((f) => f.file)).toEqual(['a.go', 'c.go', 'b.yaml']);
  });

  it('a failing cache is a logged warning; the scan still runs', async () => {
    const dir = await makeRepo({ 'a.go': `package c\n\nvar t = "${githubToken()}"\n` });
    for (const fail of [{ restore: true }, { save: true }]) {
      const { result, logger } = await runCheck(secretsCheck, dir, { ci: { cache: memoryCache(fail).store } });
      expect(result.status).toBe('fail');
      expect(result.findings.map((f) => f.ruleId)).toEqual(['github-pat']);
      expect(logger.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
        expect.stringMatching(fail.restore ? /could not restore the results cache \(cache service unavailable\)/ : /could not save the results cache \(quota exceeded\)/),
      ]);
    }
  });
});
