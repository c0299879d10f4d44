import { afterAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  displayUrl,
  goEnvCheck,
  likelyGoVarTypo,
  parseProxyList,
} from '../../src/checks/go-env.js';
import { editDistance } from '../../src/core/text.js';
import { matchPrefixPatterns } from '../../src/core/module-paths.js';
import { escapeModulePath } from '../../src/checks/modules.js';
import type { CheckResult, Finding } from '../../src/core/types.js';
import { cleanupTempDirs, git, goMod, makeRepo, snapshotTree, tempDir, writeFiles } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

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
    GOINSECURE: undefined,
    GOSUMDB: undefined,
    GOBIN: undefined,
    GOTMPDIR: undefined,
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

const UUID = 'github.com/google/uuid';
const withUuid = () => goMod('example.com/app', '1.22', `require ${UUID} v1.6.0`);

describe('go-env: helpers', () => {
  it('matches GOPRIVATE globs against path prefixes like go', () => {
    expect(matchPrefixPatterns('example.com', 'example.com/a/b')).toBe(true);
    expect(matchPrefixPatterns('github.com/acme', 'github.com/acme/lib/v2')).toBe(true);
    expect(matchPrefixPatterns('github.com/acme/*', 'github.com/acme/lib/v2')).toBe(true);
    expect(matchPrefixPatterns('github.com/acme/*', 'github.com/acme')).toBe(false);
    expect(matchPrefixPatterns('github.com/acme', 'github.com/acmecorp/lib')).toBe(false);
    expect(matchPrefixPatterns('*.corp.example', 'git.corp.example/team/x')).toBe(true);
    expect(matchPrefixPatterns('*.corp.example', 'corp.example/x')).toBe(false);
    expect(matchPrefixPatterns(' ,foo.io/, github.com/[ab]cme', 'github.com/bcme/x')).toBe(true);
    expect(matchPrefixPatterns('github.com/[', 'github.com/[')).toBe(false); // malformed glob matches nothing
  });

  it('parses GOPROXY like go', () => {
    const l = parseProxyList('https://p.example|https://q.example,direct,https://ignored.example');
    expect(l.entries.map((e) => [e.kind, e.url, e.fallbackOnError])).toEqual([
      ['url', 'https://p.example', true],
      ['url', 'https://q.example', false],
      ['direct', 'direct', false],
    ]);
    expect(l.ignored).toEqual(['https://ignored.example']);
    expect(parseProxyList('p.example/go').entries[0]!.url).toBe('https://p.example/go');
    expect(parseProxyList('ftp://x').invalid[0]!.reason).toContain('invalid proxy URL scheme');
    expect(parseProxyList('foo').invalid[0]!.reason).toContain('missing scheme');
    expect(parseProxyList(' , ')).toMatchObject({ entries: [], emptyEntries: 2 });
    expect(displayUrl('https://user:s3cret@p.example/x')).toBe('https://***@p.example/x');
  });

  it('recognises misspelt Go variables and leaves other tools alone', () => {
    const known = new Set(['GOPRIVATE', 'GONOSUMDB', 'GOFLAGS', 'GOPROXY', 'GOOS']);
    expect(editDistance('GOSUMBD', 'GOSUMDB')).toBe(1);
    expect(likelyGoVarTypo('GONOSUMCHECK', known)).toContain('GONOSUMDB');
    expect(likelyGoVarTypo('GOPRIVTE', known)).toBe('GOPRIVATE');
    expect(likelyGoVarTypo('GO_PRIVATE', known)).toBe('GOPRIVATE');
    expect(likelyGoVarTypo('GOFLAG', known)).toBe('GOFLAGS');
    expect(likelyGoVarTypo('GOOSE', known)).toBeUndefined();
    expect(likelyGoVarTypo('GOTESTSUM_FORMAT', known)).toBeUndefined();
    // Workflow variables of their own, not typos of GOVERSION/GOARCH.
    expect(likelyGoVarTypo('GO_VERSION', new Set([...known, 'GOVERSION']))).toBeUndefined();
    expect(likelyGoVarTypo('GO_ARCH', new Set([...known, 'GOARCH']))).toBeUndefined();
    expect(likelyGoVarTypo('GOPRIVATE', known)).toBeUndefined();
  });
});

describe('go-env check', () => {
  it('passes a healthy module and changes nothing', async () => {
    const gomodcache = await fakeModCache({ [`${UUID}@v1.6.0`]: `module ${UUID}\n` });
    const dir = await makeRepo({ 'go.mod': withUuid(), 'main.go': 'package main\n\nfunc main() {}\n' });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOMODCACHE: gomodcache }) });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports GO111MODULE=off in a module', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GO111MODULE: 'off' }) });
    expect(result.status).toBe('fail');
    expect(byRule(result, 'go111module-off')).toMatchObject([{ severity: 'error' }]);
    expect(byRule(result, 'go111module-off')[0]!.hint).toContain('Unset GO111MODULE');
  });

  it('explains GO111MODULE=auto for a module inside GOPATH/src', async () => {
    const repo = await makeRepo({ 'src/example.com/app/go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, path.join(repo, 'src', 'example.com', 'app'), {
      env: await env({ GO111MODULE: 'auto', GOPATH: repo }),
    });
    expect(result.status).toBe('pass');
    expect(byRule(result, 'go111module-auto')).toMatchObject([{ severity: 'notice' }]);
  });

  it('reports a GOFLAGS flag go does not accept, by name', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-trimpath -foo' }) });
    expect(result.status).toBe('fail');
    const [f] = byRule(result, 'goflags-unknown');
    expect(f!.message).toContain('unknown flag -foo');
    expect(f!.hint).toContain('`-foo`');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports -mod=foo, -mod=vendor without vendor/, and -mod=mod', async () => {
    const dir = await makeRepo({ 'go.mod': withUuid() });
    const bad = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-mod=foo' }) });
    expect(byRule(bad.result, 'goflags-mod-invalid')).toMatchObject([{ severity: 'error' }]);

    const vendor = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-mod=vendor' }) });
    expect(byRule(vendor.result, 'goflags-vendor-missing')).toMatchObject([{ severity: 'error', file: 'go.mod' }]);

    const mod = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-mod=mod' }) });
    expect(mod.result.status).toBe('warn');
    expect(byRule(mod.result, 'goflags-mod-mod')).toMatchObject([{ severity: 'warning' }]);
  });

  it('reports -mod=mod in workspace mode as an error', async () => {
    const dir = await makeRepo({ 'go.work': 'go 1.22\n\nuse .\n', 'go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-mod=mod' }) });
    expect(byRule(result, 'goflags-mod-workspace')).toMatchObject([{ severity: 'error' }]);
    expect(byRule(result, 'goflags-mod-mod')).toEqual([]);
  });

  it('lists the build tags GOFLAGS sets, and reports -race without cgo', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const tags = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-tags=integration,netgo -trimpath -buildvcs=false' }) });
    expect(tags.result.status).toBe('pass');
    expect(byRule(tags.result, 'goflags-tags')[0]!.message).toContain('integration, netgo');

    const race = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-race', CGO_ENABLED: '0' }) });
    expect(byRule(race.result, 'goflags-race-nocgo')).toMatchObject([{ severity: 'error' }]);
  });

  it('explains GOFLAGS that change every build: -modfile and -n', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOFLAGS: '-modfile=ci.mod -n' }) });
    expect(byRule(result, 'goflags-modfile')[0]!.message).toContain('-modfile=ci.mod');
    expect(byRule(result, 'goflags-n')).toMatchObject([{ severity: 'warning' }]);
  });

  it('reports GOPROXY=off when required modules are not in the module cache, on the require line', async () => {
    const dir = await makeRepo({ 'go.mod': withUuid() });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'off' }) });
    expect(result.status).toBe('fail');
    const [f] = byRule(result, 'goproxy-off-missing');
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 5 });
    expect(f!.message).toContain(`${UUID} v1.6.0`);

    const gomodcache = await fakeModCache({ [`${UUID}@v1.6.0`]: `module ${UUID}\n` });
    const cached = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'off', GOMODCACHE: gomodcache }) });
    expect(cached.result.findings).toEqual([]);
  });

  it('warns about GOPROXY=direct and reports malformed lists', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const direct = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'direct' }) });
    expect(byRule(direct.result, 'goproxy-direct')).toMatchObject([{ severity: 'warning' }]);

    const scheme = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'ftp://mirror.example' }) });
    expect(byRule(scheme.result, 'goproxy-invalid')).toMatchObject([{ severity: 'error' }]);
    expect(byRule(scheme.result, 'goproxy-invalid')[0]!.hint).toContain('`|`');

    const order = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'direct,https://mirror.example' }) });
    expect(byRule(order.result, 'goproxy-order')).toMatchObject([{ severity: 'warning' }]);

    const empty = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: ',' }) });
    expect(byRule(empty.result, 'goproxy-empty')).toMatchObject([{ severity: 'error' }]);

    const creds = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: 'https://ci:hunter2@mirror.example,,direct' }) });
    expect(byRule(creds.result, 'goproxy-empty-entry')).toMatchObject([{ severity: 'notice' }]);
    expect(byRule(creds.result, 'goproxy-credentials')).toMatchObject([{ severity: 'warning' }]);
    expect(JSON.stringify(creds.report)).not.toContain('hunter2');
  });

  it('warns about a private-looking module GOPRIVATE does not cover, and passes once it does', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app', '1.22', 'require git.corp.example/team/lib v1.2.0') });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env() });
    expect(result.status).toBe('warn');
    const [f] = byRule(result, 'private-module');
    expect(f).toMatchObject({ severity: 'warning', file: 'go.mod', line: 5 });
    expect(f!.message).toContain('git.corp.example/team/lib');
    expect(f!.hint).toContain('GOPRIVATE=git.corp.example');

    const covered = await runCheck(goEnvCheck, dir, { env: await env({ GOPRIVATE: '*.corp.example' }) });
    expect(covered.result.findings).toEqual([]);
    const publicHost = await runCheck(goEnvCheck, dir, { env: await env(), options: { 'public-hosts': ['corp.example'] } });
    expect(publicHost.result.findings).toEqual([]);
  });

  it('presumes modules of the repository owner private only when the event payload says the repository is private', async () => {
    // cobra requires pflag, both public modules of spf13; with a cold module cache and no event
    // payload (the CLI, other CI) nothing says the repository is private: no finding (a GOPRIVATE
    // hint here would turn off checksum verification for a public owner).
    const dir = await makeRepo({ 'go.mod': goMod('github.com/spf13/cobra', '1.22', 'require github.com/spf13/pflag v1.0.5') });
    const cold = await tempDir('gp-modcache');
    const unknown = await runCheck(goEnvCheck, dir, { env: await env({ GITHUB_REPOSITORY: 'spf13/cobra', GITHUB_EVENT_PATH: undefined, GOMODCACHE: cold }) });
    expect(byRule(unknown.result, 'private-module')).toEqual([]);
    const cli = await runCheck(goEnvCheck, dir, { env: await env({ GITHUB_REPOSITORY: undefined, GITHUB_EVENT_PATH: undefined, GOMODCACHE: cold }) });
    expect(byRule(cli.result, 'private-module')).toEqual([]);

    const eventDir = await tempDir('gp-event');
    await writeFiles(eventDir, {
      'private.json': JSON.stringify({ repository: { private: true, fork: false } }),
      'public.json': JSON.stringify({ repository: { private: false, fork: false } }),
    });
    const priv = await runCheck(goEnvCheck, dir, {
      env: await env({ GITHUB_REPOSITORY: 'spf13/cobra', GITHUB_EVENT_PATH: path.join(eventDir, 'private.json'), GOMODCACHE: cold }),
    });
    const [f] = byRule(priv.result, 'private-module');
    expect(f).toMatchObject({ severity: 'warning', file: 'go.mod', line: 5 });
    expect(f!.hint).toContain('GOPRIVATE=github.com/spf13/*');
    const pub = await runCheck(goEnvCheck, dir, {
      env: await env({ GITHUB_REPOSITORY: 'spf13/cobra', GITHUB_EVENT_PATH: path.join(eventDir, 'public.json'), GOMODCACHE: cold }),
    });
    expect(byRule(pub.result, 'private-module')).toEqual([]);
  });

  it('warns about GOSUMDB=off, a GOINSECURE wildcard and misspelt variables', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, dir, {
      env: await env({ GOSUMDB: 'off', GOINSECURE: '*.com', GONOSUMDB: '*', GONOSUMCHECK: 'github.com/acme', GOPRIVTE: 'x', GOTESTSUM_FORMAT: 'dots' }),
    });
    expect(byRule(result, 'goprivate-broad')[0]!.message).toContain('GONOSUMDB=*');
    expect(byRule(result, 'gosumdb-off')).toHaveLength(1);
    expect(byRule(result, 'goinsecure-broad')[0]!.message).toContain('*.com');
    const typos = byRule(result, 'goenv-typo').map((f) => f.message);
    expect(typos).toHaveLength(2);
    expect(typos.join('\n')).toMatch(/GONOSUMCHECK is not a Go environment variable: it does nothing/);
    expect(typos.join('\n')).toContain('GOPRIVTE');
  });

  it('reports a module cache under a regular file and a relative one', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const blocker = await tempDir('gp-file');
    await writeFiles(blocker, { 'file': 'not a directory\n' });
    const under = await runCheck(goEnvCheck, dir, { env: await env({ GOMODCACHE: path.join(blocker, 'file', 'mod') }) });
    expect(byRule(under.result, 'gomodcache-unwritable')).toMatchObject([{ severity: 'error' }]);
    expect(byRule(under.result, 'gomodcache-unwritable')[0]!.message).toContain('is a file');

    const rel = await runCheck(goEnvCheck, dir, { env: await env({ GOMODCACHE: 'relative/mod' }) });
    expect(byRule(rel.result, 'gomodcache-relative')).toMatchObject([{ severity: 'error' }]);
  });

  it('reports a build cache that go cannot create, GOCACHE=off and a missing GOTMPDIR', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const blocker = await tempDir('gp-file');
    await writeFiles(blocker, { 'file': 'not a directory\n' });
    const under = await runCheck(goEnvCheck, dir, { env: await env({ GOCACHE: path.join(blocker, 'file', 'go-build') }) });
    expect(under.result.status).toBe('fail');
    expect(byRule(under.result, 'gocache-unwritable')).toMatchObject([{ severity: 'error' }]);

    const off = await runCheck(goEnvCheck, dir, { env: await env({ GOCACHE: 'off' }) });
    expect(byRule(off.result, 'gocache-off')[0]!.message).toContain('GOCACHE=off');
    const rel = await runCheck(goEnvCheck, dir, { env: await env({ GOCACHE: 'relative/go-build' }) });
    expect(byRule(rel.result, 'gocache-off')[0]!.message).toContain('relative path');

    const tmp = await runCheck(goEnvCheck, dir, { env: await env({ GOTMPDIR: path.join(blocker, 'nope') }) });
    expect(byRule(tmp.result, 'gotmpdir-unusable')).toMatchObject([{ severity: 'error' }]);
  });

  it('reports GOWORK naming a missing file, and notes one naming an existing file', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOWORK: path.join(dir, 'nope', 'go.work') }) });
    expect(result.status).toBe('fail');
    expect(byRule(result, 'gowork-missing')).toMatchObject([{ severity: 'error' }]);

    const ws = await tempDir('gp-ws');
    await writeFiles(ws, { 'go.work': `go 1.22\n\nuse ${dir}\n` });
    const set = await runCheck(goEnvCheck, dir, { env: await env({ GOWORK: path.join(ws, 'go.work') }) });
    expect(set.result.status).toBe('pass');
    expect(byRule(set.result, 'gowork-env')).toMatchObject([{ severity: 'notice' }]);
  });

  it('warns about an untracked go.work in effect', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app'), '.gitignore': 'go.work\n' });
    await writeFiles(dir, { 'go.work': 'go 1.22\n\nuse .\n' });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(goEnvCheck, dir, { env: await env() });
    expect(byRule(result, 'gowork-untracked')).toMatchObject([{ severity: 'warning', file: 'go.work' }]);
    expect(byRule(result, 'gowork-untracked')[0]!.hint).toContain('GOWORK=off');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('warns about a go.work inherited from a directory above the repository', async () => {
    const parent = await tempDir('gp-parent');
    await writeFiles(parent, { 'go.work': 'go 1.22\n\nuse ./repo\n', 'repo/go.mod': goMod('example.com/app') });
    const dir = path.join(parent, 'repo');
    git(dir, 'init', '-q', '-b', 'main');
    const { result } = await runCheck(goEnvCheck, dir, { env: await env() });
    expect(byRule(result, 'gowork-inherited')).toMatchObject([{ severity: 'warning' }]);
  });

  it('warns when GOBIN is not on PATH', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app') });
    const gobin = await tempDir('gp-gobin');
    const off = await runCheck(goEnvCheck, dir, { env: await env({ GOBIN: gobin }) });
    expect(byRule(off.result, 'gobin-not-on-path')).toMatchObject([{ severity: 'warning' }]);
    const on = await runCheck(goEnvCheck, dir, { env: await env({ GOBIN: gobin, PATH: `${gobin}${path.delimiter}${process.env.PATH}` }) });
    expect(on.result.findings).toEqual([]);
  });

  describe('probe-proxy', () => {
    /** A module proxy on localhost that knows only uuid v1.6.0. */
    async function withProxy<T>(fn: (url: string) => Promise<T>): Promise<T> {
      const server = http.createServer((req, res) => {
        res.statusCode = req.url === `/${UUID}/@v/v1.6.0.info` ? 200 : 404;
        res.end(res.statusCode === 200 ? '{"Version":"v1.6.0"}' : 'not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }

    it('asks the first proxy for modules missing from the cache', async () => {
      const dir = await makeRepo({
        'go.mod': goMod('example.com/app', '1.22', `require (\n\t${UUID} v1.6.0\n\tgithub.com/google/nosuch v0.1.0\n\texample.com/served v1.0.0\n)`),
      });
      await withProxy(async (proxy) => {
        const strict = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: proxy }), options: { 'probe-proxy': true } });
        const missing = byRule(strict.result, 'proxy-missing');
        expect(missing).toMatchObject([{ severity: 'error', file: 'go.mod', line: 7 }]);
        expect(missing[0]!.message).toContain('github.com/google/nosuch v0.1.0');
        // example.com is not a public host and the proxy does not have it: presumed private.
        expect(byRule(strict.result, 'private-module')[0]!.message).toContain('the proxy answered 404');

        const fallback = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: `${proxy},direct` }), options: { 'probe-proxy': true } });
        expect(byRule(fallback.result, 'proxy-missing')).toMatchObject([{ severity: 'notice', line: 7 }]);
      });
    });

    it('skips with a notice when the proxy cannot be reached', async () => {
      const closed = await withProxy(async (url) => url); // the port is closed once the server stops
      const dir = await makeRepo({ 'go.mod': withUuid() });
      const { result } = await runCheck(goEnvCheck, dir, { env: await env({ GOPROXY: closed }), options: { 'probe-proxy': true } });
      expect(result.status).toBe('pass');
      expect(byRule(result, 'proxy-unreachable')).toMatchObject([{ severity: 'notice' }]);
    });
  });
});
