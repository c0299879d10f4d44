// mod-verify on repositories of several modules: each module@version of the shared module cache is
// hashed once per run, and a bad one is still reported for every module that uses it, on that
// module's go.mod line. Real go, real modules (github.com/google/uuid v1.6.0 through the proxy of
// the environment), private module caches in temp dirs (the shared cache is never touched).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { modVerifyCheck } from '../../src/checks/mod-verify.js';
import { cachePaths, createCacheVerifier, escapeModulePath } from '../../src/core/modverify-cache.js';
import { parseFetchError, proxyRefusal, vendorModeOf } from '../../src/core/modverify-errors.js';
import { createLimiter, hashDir, hashZip } from '../../src/core/modverify-hash.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

const UUID = 'github.com/google/uuid';
const USE = `package main\n\nimport "${UUID}"\n\nfunc main() { _ = uuid.New() }\n`;
const envFor = (cache: string, extra: Record<string, string> = {}) => ({ GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOWORK: undefined, ...extra });
let goodSum = '';

function goEnv(cache: string): NodeJS.ProcessEnv {
  return { ...process.env, ...envFor(cache), GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv;
}

/** Download uuid into a fresh private cache; returns the cache and go's Zip/Dir/Sum. */
async function warmCache(): Promise<{ cache: string; zip: string; dir: string; sum: string }> {
  const cache = await tempDir('gp-mc');
  const scratch = await tempDir('gp-scratch');
  await fs.writeFile(path.join(scratch, 'go.mod'), goMod('example.com/scratch', '1.22', `require ${UUID} v1.6.0`));
  await fs.writeFile(path.join(scratch, 'go.sum'), goodSum);
  const out = execFileSync('go', ['mod', 'download', '-json', `${UUID}@v1.6.0`], { cwd: scratch, env: goEnv(cache), encoding: 'utf8' });
  const j = JSON.parse(out) as { Zip: string; Dir: string; Sum: string };
  return { cache, zip: j.Zip, dir: j.Dir, sum: j.Sum };
}

/** A repo of three modules that require uuid and one that requires nothing. */
function monorepo(): Promise<string> {
  const req = `require ${UUID} v1.6.0`;
  return makeRepo({
    'go.mod': goMod('example.com/mono', '1.22', req),
    'go.sum': goodSum,
    'main.go': USE,
    'svc/a/go.mod': goMod('example.com/mono/svc/a', '1.22', req),
    'svc/a/go.sum': goodSum,
    'svc/a/main.go': USE,
    'svc/b/go.mod': goMod('example.com/mono/svc/b', '1.22', `// b needs uuid too\n${req}`),
    'svc/b/go.sum': goodSum,
    'svc/b/main.go': USE,
    'tools/go.mod': goMod('example.com/mono/tools'),
    'tools/t.go': 'package tools\n',
  });
}

beforeAll(async () => {
  const cache = await tempDir('gp-mc0');
  const scratch = await tempDir('gp-scratch');
  await fs.writeFile(path.join(scratch, 'go.mod'), goMod('example.com/scratch'));
  const out = execFileSync('go', ['mod', 'download', '-json', `${UUID}@v1.6.0`], { cwd: scratch, env: goEnv(cache), encoding: 'utf8' });
  const j = JSON.parse(out) as { Sum: string; GoModSum: string };
  goodSum = `${UUID} v1.6.0 ${j.Sum}\n${UUID} v1.6.0/go.mod ${j.GoModSum}\n`;
});

afterAll(cleanupTempDirs);

describe('dirhash in Node', () => {
  it('computes the h1: hashes go records in .ziphash and go.sum, for the zip and the extracted tree', async () => {
    const { zip, dir, sum } = await warmCache();
    const limit = createLimiter(4);
    expect(await hashZip(zip, limit)).toBe(sum);
    // The path for zips too large to read whole: entry by entry.
    expect(await hashZip(zip, limit, 0)).toBe(sum);
    expect(await hashDir(dir, `${UUID}@v1.6.0`, limit)).toBe(sum);
    expect((await fs.readFile(`${zip}hash`, 'utf8')).trim()).toBe(sum);
  });

  it('escapes module paths as the module cache does', () => {
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
    const p = cachePaths('/c', 'github.com/Foo/x', 'v1.0.0');
    expect(p.dir.split(path.sep).join('/')).toBe('/c/github.com/!foo/x@v1.0.0');
    expect(p.zip.split(path.sep).join('/')).toBe('/c/cache/download/github.com/!foo/x/@v/v1.0.0.zip');
  });
});

describe('mod-verify across modules', () => {
  it('hashes a module@version once however many modules ask', async () => {
    const { cache, zip, dir } = await warmCache();
    const v = createCacheVerifier({ gomodcache: cache });
    const asks = await Promise.all([1, 2, 3].map(() => v.verify({ path: UUID, version: 'v1.6.0', zip, dir })));
    expect(asks).toEqual([[], [], []]);
    expect(v.hashed).toBe(1);
    // An entry that was never downloaded: nothing to verify (as go mod verify).
    expect(await v.verify({ path: 'example.com/none', version: 'v1.0.0' })).toEqual([]);
  });

  it('passes a clean monorepo without running go mod verify, and changes nothing', async () => {
    const { cache } = await warmCache();
    const dir = await monorepo();
    const before = await snapshotTree(dir);
    const { result, report } = await runCheck(modVerifyCheck, dir, { env: envFor(cache) });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'mod-verify')!.status).toBe('pass');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('finds a tampered extracted module for EVERY module that uses it, each on its own require line', async () => {
    const { cache, dir: modDir } = await warmCache();
    const victim = path.join(modDir, 'uuid.go');
    await fs.chmod(victim, 0o644);
    await fs.appendFile(victim, '\n// tampered\n');
    const dir = await monorepo();
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(cache) });
    expect(result.status).toBe('fail');
    const byModule = result.findings.map((f) => [f.module, f.file, f.line, f.ruleId]).sort();
    expect(byModule).toEqual([
      ['.', 'go.mod', 5, 'mod-cache-modified'],
      ['svc/a', 'svc/a/go.mod', 5, 'mod-cache-modified'],
      ['svc/b', 'svc/b/go.mod', 6, 'mod-cache-modified'],
    ]);
    for (const f of result.findings) {
      expect(f.message).toBe(`the module cache copy of ${UUID}@v1.6.0 has been modified since it was downloaded: dir ${modDir}`);
      // go mod verify's own words are kept.
      expect(f.hint).toContain(`${UUID} v1.6.0: dir has been modified (${modDir})`);
    }
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('finds a tampered zip and a missing .ziphash, with go mod verify messages', async () => {
    const { cache, zip } = await warmCache();
    // Replace the downloaded zip with a valid but empty zip: its hash no longer matches the .ziphash.
    const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
    await fs.chmod(zip, 0o644);
    await fs.writeFile(zip, emptyZip);
    const dir = await monorepo();
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(cache) });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(3);
    expect(result.findings.every((f) => f.message.includes(`has been modified since it was downloaded: zip ${zip}`))).toBe(true);

    await fs.rm(`${zip}hash`, { force: true });
    const v = createCacheVerifier({ gomodcache: cache });
    const problems = await v.verify({ path: UUID, version: 'v1.6.0' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.what).toBe('ziphash');
    expect(problems[0]!.goMessage).toMatch(new RegExp(`^${UUID} v1.6.0: missing ziphash: `));
  });
});

describe('mod-verify with vendor/ and no module cache', () => {
  it('passes a vendored module that builds offline, and says what it could not compare', async () => {
    // Make vendor/ with the real go, then inspect with a cold cache and GOPROXY=off.
    const { cache } = await warmCache();
    const dir = await makeRepo({ 'go.mod': goMod('example.com/vend', '1.22', `require ${UUID} v1.6.0`), 'go.sum': goodSum, 'main.go': USE }, { commit: false });
    execFileSync('go', ['mod', 'vendor'], { cwd: dir, env: goEnv(cache) });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init'], { cwd: dir });
    const cold = await tempDir('gp-cold');
    // The build this must agree with loads every package offline (-n: plan the build, compile nothing).
    execFileSync('go', ['build', '-n', './...'], { cwd: dir, env: { ...goEnv(cold), GOPROXY: 'off' }, stdio: 'ignore' });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(cold, { GOPROXY: 'off' }) });
    expect(result.status).toBe('pass');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.severity).toBe('notice');
    expect(f.ruleId).toBe('mod-vendor-unverified');
    expect(f.message).toContain('the build uses vendor/ (-mod=vendor)');
    expect(f.message).toContain(`1 module could not be compared with go.sum here because they are not in the module cache and GOPROXY=off forbids downloads: ${UUID}@v1.6.0`);
    expect(f.message).not.toContain('cannot download');
    expect(await snapshotTree(dir)).toEqual(before);

    // The same module with -mod=mod in GOFLAGS does need the cache: that stays a failure.
    const mod = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold'), { GOPROXY: 'off', GOFLAGS: '-modcacherw -mod=mod' }) });
    expect(mod.result.status).toBe('fail');
    expect(mod.result.findings[0]!.ruleId).toBe('mod-offline');
  });

  it('knows when -mod=vendor is in effect', () => {
    expect(vendorModeOf({ hasVendorDir: true, goLine: '1.22' }, undefined)).toBe(true);
    expect(vendorModeOf({ hasVendorDir: true, goLine: '1.13' }, undefined)).toBe(false);
    expect(vendorModeOf({ hasVendorDir: true, goLine: '1.22' }, '-mod=readonly')).toBe(false);
    expect(vendorModeOf({ hasVendorDir: false, goLine: '1.22' }, '-mod=vendor')).toBe(true);
    expect(vendorModeOf({ hasVendorDir: true, goLine: undefined }, '-mod=mod -mod=vendor')).toBe(true);
  });
});

describe('mod-verify fetch errors', () => {
  it('names the module that failed, not the package that needed it', () => {
    const block =
      'go: go.opentelemetry.example/collector/internal/tools: go.opentelemetry.example/collector/cmd/githubgen@v0.0.0-20240101000000-abcdefabcdef: ' +
      'reading https://p.example/go.opentelemetry.example/collector/cmd/githubgen/@v/v0.0.0-20240101000000-abcdefabcdef.info: 404 Not Found\n\tserver response: not found';
    expect(parseFetchError(block)).toEqual({
      pkg: 'go.opentelemetry.example/collector/internal/tools',
      path: 'go.opentelemetry.example/collector/cmd/githubgen',
      version: 'v0.0.0-20240101000000-abcdefabcdef',
      rest: expect.stringMatching(/^reading https:.*404 Not Found\n\tserver response: not found$/) as unknown as string,
    });
    expect(parseFetchError('go: example.com/a@v1.0.0 requires\n\texample.com/b@v0.2.0: reading https://p.example/example.com/b/@v/v0.2.0.mod: 410 Gone')).toMatchObject({
      path: 'example.com/b',
      version: 'v0.2.0',
    });
    expect(proxyRefusal(block)).toBe('404 Not Found');
    expect(proxyRefusal('reading https://p.example/x/@v/list: 403 Forbidden')).toBe('403 Forbidden');
    expect(proxyRefusal('reading https://p.example/x/@v/list: 502 Bad Gateway')).toBeUndefined();
  });

  it('says "the proxy does not serve MOD@VER" on a 404, and names the repository module to replace', async () => {
    // A proxy that serves nothing.
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = await makeRepo({
        'go.mod': goMod('example.com/mono', '1.22'),
        'internal/tools/go.mod': goMod('example.com/mono/internal/tools', '1.22', 'require example.com/mono/cmd/gen v0.1.0'),
        'internal/tools/tools.go': '//go:build tools\n\npackage tools\n\nimport _ "example.com/mono/cmd/gen"\n',
        'cmd/gen/go.mod': goMod('example.com/mono/cmd/gen'),
        'cmd/gen/main.go': 'package main\n\nfunc main() {}\n',
      });
      const { result } = await runCheck(modVerifyCheck, dir, {
        env: envFor(await tempDir('gp-cold'), { GOPROXY: `http://127.0.0.1:${port}`, GONOSUMDB: 'example.com', GOSUMDB: 'off' }),
      });
      expect(result.status).toBe('fail');
      expect(result.findings).toHaveLength(1);
      const f = result.findings[0]!;
      expect(f.message).toMatch(/^cannot download example\.com\/mono\/cmd\/gen@v0\.1\.0: the proxy does not serve example\.com\/mono\/cmd\/gen@v0\.1\.0 \(404 Not Found\)/);
      expect(f.message).not.toContain('no module provides package');
      expect(f.hint).toContain('example.com/mono/cmd/gen is a module of this repository (cmd/gen/go.mod)');
      expect(f.hint).toContain('replace example.com/mono/cmd/gen => ../../cmd/gen');
      expect(f).toMatchObject({ file: 'internal/tools/go.mod', line: 5, module: 'internal/tools', ruleId: 'mod-not-served' });
    } finally {
      server.close();
    }
  });
});
