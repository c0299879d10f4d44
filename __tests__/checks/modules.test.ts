import { afterAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import {
  compareSemver,
  escapeModulePath,
  modulesCheck,
  parseDeprecation,
  parseRemoteUrl,
  parseRetractions,
} from '../../src/checks/modules.js';
import { goEnvCheck } from '../../src/checks/go-env.js';
import type { CheckResult, Finding } from '../../src/core/types.js';
import { cleanupTempDirs, git, goMod, makeRepo, snapshotTree, tempDir, writeFiles } from '../helpers/repo.js';
import { runCheck, runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

/** A module cache holding only these go.mod files (`path@version` -> text), so nothing is fetched. */
async function fakeModCache(mods: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('gp-modcache');
  const files: Record<string, string> = {};
  for (const [key, text] of Object.entries(mods)) {
    const [p, v] = key.split('@') as [string, string];
    files[`cache/download/${escapeModulePath(p)}/@v/${escapeModulePath(v)}.mod`] = text;
  }
  await writeFiles(dir, files);
  return dir;
}

/** The environment of every test: nothing inherited that changes go's behaviour or the repo identity. */
async function env(extra: Record<string, string | undefined> = {}): Promise<Record<string, string | undefined>> {
  return {
    GOENV: 'off',
    GOFLAGS: undefined,
    GOWORK: undefined,
    GO111MODULE: undefined,
    GOPROXY: undefined,
    GOPRIVATE: undefined,
    GONOPROXY: undefined,
    GONOSUMDB: undefined,
    GITHUB_REPOSITORY: undefined,
    GITHUB_EVENT_PATH: undefined,
    GITHUB_SERVER_URL: undefined,
    GOMODCACHE: await fakeModCache(),
    ...extra,
  };
}

function byRule(result: CheckResult, ruleId: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

describe('modules: helpers', () => {
  it('parses remote URLs in https, ssh and scp form', () => {
    expect(parseRemoteUrl('https://github.com/Acme/App.git')).toEqual({ host: 'github.com', path: 'Acme/App' });
    expect(parseRemoteUrl('https://x-access-token:abc@github.com/acme/app')).toEqual({ host: 'github.com', path: 'acme/app' });
    expect(parseRemoteUrl('git@github.com:acme/app.git\n')).toEqual({ host: 'github.com', path: 'acme/app' });
    expect(parseRemoteUrl('ssh://git@gitlab.example.com:2222/group/sub/repo.git')).toEqual({ host: 'gitlab.example.com', path: 'group/sub/repo' });
    expect(parseRemoteUrl('/srv/git/app.git')).toBeUndefined();
    expect(parseRemoteUrl('../other')).toBeUndefined();
  });

  it('escapes upper case like the module cache', () => {
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
  });

  it('orders semantic versions and reads retractions and deprecations', () => {
    expect(compareSemver('v1.2.0', 'v1.10.0')).toBeLessThan(0);
    expect(compareSemver('v1.0.0-rc.1', 'v1.0.0')).toBeLessThan(0);
    expect(compareSemver('v1.0.0-rc.2', 'v1.0.0-rc.10')).toBeLessThan(0);
    expect(parseRetractions('module m\n\nretract (\n\tv1.0.0 // oops\n\t[v1.1.0, v1.2.0]\n)\n')).toEqual([
      { low: 'v1.0.0', high: 'v1.0.0', rationale: 'oops' },
      { low: 'v1.1.0', high: 'v1.2.0', rationale: undefined },
    ]);
    expect(parseDeprecation('// Deprecated: use example.com/new\n// instead.\nmodule example.com/old\n')).toBe('use example.com/new instead.');
    expect(parseDeprecation('module example.com/old // Deprecated: gone\n')).toBe('gone');
    expect(parseDeprecation('// Package old does things.\nmodule example.com/old\n')).toBeUndefined();
  });
});

describe('modules check', () => {
  it('passes a healthy multi-module repo with go.work (both checks) and changes nothing', async () => {
    const dir = await makeRepo({
      'go.work': 'go 1.22\n\nuse (\n\t.\n\t./lib\n)\n',
      'go.mod': goMod('github.com/acme/app', '1.22', 'require (\n\tgithub.com/acme/app/lib v0.0.0\n\tgithub.com/google/uuid v1.6.0\n)\n\nreplace github.com/acme/app/lib => ./lib'),
      'main.go': 'package main\n\nimport _ "github.com/acme/app/lib"\n\nfunc main() {}\n',
      'lib/go.mod': goMod('github.com/acme/app/lib', '1.21'),
      'lib/lib.go': 'package lib\n',
    });
    git(dir, 'remote', 'add', 'origin', 'git@github.com:acme/app.git');
    const before = await snapshotTree(dir);
    const gomodcache = await fakeModCache({ 'github.com/google/uuid@v1.6.0': 'module github.com/google/uuid\n' });
    const { report } = await runChecksIn(dir, [goEnvCheck, modulesCheck], { env: await env({ GOMODCACHE: gomodcache }) });
    const modules = report.checks.find((c) => c.id === 'modules')!;
    const goEnv = report.checks.find((c) => c.id === 'go-env')!;
    expect(modules.findings).toEqual([]);
    expect(modules.status).toBe('pass');
    expect(goEnv.status).toBe('pass');
    expect(goEnv.findings.map((f) => f.ruleId)).toEqual(['gowork-committed']);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports a local replace target that does not exist, on the replace line', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/other v0.1.0\n\nreplace example.com/other => ../missing'),
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(result.status).toBe('fail');
    const [f] = byRule(result, 'replace-missing');
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 7 });
    expect(f!.message).toContain('../missing');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('only notes a missing replace target of a module nothing requires (go never reads it)', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app', '1.22', 'replace example.com/unused => ../missing') });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(result.status).toBe('pass');
    expect(byRule(result, 'replace-missing')).toMatchObject([{ severity: 'notice', line: 5 }]);
  });

  it('reports a local replace target without go.mod', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/other v0.1.0\n\nreplace example.com/other v0.1.0 => ./third_party/other'),
      'third_party/other/other.go': 'package other\n',
    });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(byRule(result, 'replace-no-gomod')).toMatchObject([{ severity: 'error', file: 'go.mod', line: 7 }]);
  });

  it('warns about a replace target outside the repository, and passes one inside', async () => {
    const outside = await makeRepo({ 'go.mod': goMod('example.com/other', '1.21') }, { git: false });
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', `require example.com/other v0.1.0\n\nreplace example.com/other => ../${path.basename(outside)}`),
    });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(result.status).toBe('warn');
    expect(byRule(result, 'replace-outside')).toMatchObject([{ severity: 'warning', file: 'go.mod', line: 7 }]);

    await writeFiles(dir, { 'third_party/other/go.mod': goMod('example.com/other', '1.21') });
    await writeFiles(dir, { 'go.mod': goMod('example.com/app', '1.22', 'require example.com/other v0.1.0\n\nreplace example.com/other => ./third_party/other') });
    const inside = await runCheck(modulesCheck, dir, { env: await env() });
    expect(inside.result.findings).toEqual([]);
  });

  it('reports a local module outside the repository whose go line is newer than this Go, and a use dir outside', async () => {
    const outside = await makeRepo({ 'go.mod': goMod('example.com/other', '1.99.0') }, { git: false });
    const name = path.basename(outside);
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', `require example.com/other v0.1.0\n\nreplace example.com/other => ../${name}`),
    });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(byRule(result, 'dep-go-too-new')).toMatchObject([{ severity: 'error', file: 'go.mod', line: 7 }]);
    expect(byRule(result, 'dep-go-too-new')[0]!.message).toContain('requires go 1.99.0');
    expect(byRule(result, 'replace-outside')).toMatchObject([{ severity: 'warning', line: 7 }]);

    const ws = await makeRepo({ 'go.work': `go 1.22\n\nuse (\n\t.\n\t../${name}\n)\n`, 'go.mod': goMod('example.com/ws', '1.22') });
    const used = await runCheck(modulesCheck, ws, { env: await env() });
    expect(byRule(used.result, 'work-use-outside')).toMatchObject([{ severity: 'warning', file: 'go.work', line: 5 }]);
  });

  it('reports go.work use dirs that do not exist or hold no go.mod, and a missing go.work replace', async () => {
    const dir = await makeRepo({
      'go.work': 'go 1.22\n\nuse (\n\t.\n\t./missing\n\t./nomod\n)\n\nreplace example.com/x => ./gone\n',
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/x v1.0.0'),
      'nomod/doc.go': 'package nomod\n',
    });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(result.status).toBe('fail');
    expect(byRule(result, 'work-use-missing')).toMatchObject([{ severity: 'error', file: 'go.work', line: 5 }]);
    expect(byRule(result, 'work-use-no-gomod')).toMatchObject([{ severity: 'error', file: 'go.work', line: 6 }]);
    expect(byRule(result, 'replace-missing')).toMatchObject([{ severity: 'error', file: 'go.work', line: 9 }]);
  });

  it('reports a workspace module whose go line is newer than go.work', async () => {
    const dir = await makeRepo({
      'go.work': 'go 1.21\n\nuse (\n\t.\n\t./lib\n)\n',
      'go.mod': goMod('example.com/app', '1.21'),
      'lib/go.mod': goMod('example.com/lib', '1.22'),
    });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    const [f] = byRule(result, 'work-go-older');
    expect(f).toMatchObject({ severity: 'error', file: 'go.work', line: 1 });
    expect(f!.message).toContain('lib/go.mod requires go 1.22');
    expect(f!.hint).toContain('go work use');
  });

  it('warns when the module path names another repository (GITHUB_REPOSITORY), case-insensitively', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('github.com/a/b', '1.22') });
    const { result } = await runCheck(modulesCheck, dir, { env: await env({ GITHUB_REPOSITORY: 'c/d' }) });
    expect(result.status).toBe('warn');
    const [f] = byRule(result, 'module-path-repo');
    expect(f).toMatchObject({ severity: 'warning', file: 'go.mod', line: 1 });
    expect(f!.message).toContain('github.com/a/b but the repository is github.com/c/d');

    const ok = await runCheck(modulesCheck, dir, { env: await env({ GITHUB_REPOSITORY: 'A/B' }) });
    expect(ok.result.status).toBe('pass');

    // A fork usually keeps the upstream module path: only a notice there.
    const eventDir = await tempDir('gp-event');
    await writeFiles(eventDir, { 'event.json': JSON.stringify({ repository: { private: false, fork: true } }) });
    const fork = await runCheck(modulesCheck, dir, { env: await env({ GITHUB_REPOSITORY: 'c/d', GITHUB_EVENT_PATH: path.join(eventDir, 'event.json') }) });
    expect(fork.result.status).toBe('pass');
    expect(byRule(fork.result, 'module-path-repo')).toMatchObject([{ severity: 'notice' }]);
  });

  it('checks the module paths against the origin remote, nested modules by directory', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('github.com/acme/app/v2', '1.22'),
      'tools/go.mod': goMod('github.com/acme/app/tool', '1.22'),
      'api/go.mod': goMod('github.com/acme/app/api', '1.22'),
    });
    git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    const found = byRule(result, 'module-path-repo');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', file: 'tools/go.mod', line: 1 });
    expect(found[0]!.message).toContain('github.com/acme/app/tools');
  });

  it('reports a dependency whose go line (from the module cache) is newer than the running Go', async () => {
    const gomodcache = await fakeModCache({ 'example.com/newgo@v1.0.0': 'module example.com/newgo\n\ngo 1.99.0\n' });
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app', '1.22', 'require example.com/newgo v1.0.0') });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modulesCheck, dir, { env: await env({ GOMODCACHE: gomodcache }) });
    expect(result.status).toBe('fail');
    const [f] = byRule(result, 'dep-go-too-new');
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 5 });
    expect(f!.message).toContain('example.com/newgo v1.0.0 requires go 1.99.0');
    expect(f!.message).toContain('required by go.mod line 5');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('passes a dependency whose go line this Go supports', async () => {
    const gomodcache = await fakeModCache({ 'example.com/oldgo@v1.0.0': 'module example.com/oldgo\n\ngo 1.18\n' });
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app', '1.22', 'require example.com/oldgo v1.0.0') });
    const { result } = await runCheck(modulesCheck, dir, { env: await env({ GOMODCACHE: gomodcache }) });
    expect(result.findings).toEqual([]);
  });

  it('notes retracted and deprecated dependency versions already in the module cache', async () => {
    const gomodcache = await fakeModCache({
      'example.com/old@v1.0.0': 'module example.com/old\n\ngo 1.20\n',
      'example.com/old@v1.1.0': '// Deprecated: use example.com/new.\nmodule example.com/old\n\ngo 1.20\n\nretract v1.0.0 // data loss bug\n',
    });
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app', '1.22', 'require example.com/old v1.0.0') });
    const { result } = await runCheck(modulesCheck, dir, { env: await env({ GOMODCACHE: gomodcache }) });
    expect(result.status).toBe('pass');
    expect(byRule(result, 'dep-retracted')).toMatchObject([{ severity: 'notice', file: 'go.mod', line: 5 }]);
    expect(byRule(result, 'dep-retracted')[0]!.message).toContain('data loss bug');
    expect(byRule(result, 'dep-deprecated')[0]!.message).toContain('use example.com/new');
  });

  it('reports a go.mod that go cannot parse, on the line go names', async () => {
    const dir = await makeRepo({ 'go.mod': 'module example.com/app\n\ngo 1.22\n\nfrobnicate yes\n' });
    const { result } = await runCheck(modulesCheck, dir, { env: await env() });
    expect(result.status).toBe('fail');
    const [f] = byRule(result, 'gomod-parse');
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 5 });
    expect(f!.message).toContain('unknown directive: frobnicate');
  });
});
