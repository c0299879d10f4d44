// mod-verify against real modules: github.com/google/uuid v1.6.0 (no dependencies) through the
// module proxy configured in the environment, with a private, cold GOMODCACHE per test so every
// download really happens and really verifies.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { modVerifyCheck, parseChecksumMismatches, parseVerifyOutput } from '../../src/checks/mod-verify.js';
import { classifyFetchError } from '../../src/checks/internal/mod-copy.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

const UUID = 'github.com/google/uuid';
const MAIN = `package main\n\nimport "${UUID}"\n\nfunc main() { _ = uuid.New() }\n`;
const MOD = goMod('example.com/app', '1.22', `require ${UUID} v1.6.0`);
let goodSum = '';
let sharedCache = '';

/** GOFLAGS=-modcacherw so the temp module caches can be deleted. */
const envFor = (cache: string, extra: Record<string, string> = {}) => ({ GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOWORK: undefined, ...extra });

beforeAll(async () => {
  // The correct go.sum, as go computes it (downloaded and checked against the checksum database).
  sharedCache = await tempDir('gp-modcache');
  const scratch = await tempDir('gp-scratch');
  await fs.writeFile(path.join(scratch, 'go.mod'), MOD);
  const out = execFileSync('go', ['mod', 'download', '-json', `${UUID}@v1.6.0`], {
    cwd: scratch,
    env: { ...process.env, ...envFor(sharedCache), GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  const j = JSON.parse(out) as { Sum: string; GoModSum: string };
  expect(j.Sum).toMatch(/^h1:/);
  goodSum = `${UUID} v1.6.0 ${j.Sum}\n${UUID} v1.6.0/go.mod ${j.GoModSum}\n`;
});

afterAll(cleanupTempDirs);

describe('mod-verify', () => {
  it('passes a module with a correct go.sum and one without dependencies, and changes nothing', async () => {
    const dir = await makeRepo({
      'go.mod': MOD,
      'go.sum': goodSum,
      'main.go': MAIN,
      'tools/go.mod': goMod('example.com/tools'),
      'tools/t.go': 'package tools\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold')) });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports a corrupted go.sum hash as a security error on the go.sum line of the nested module', async () => {
    const bad = goodSum.replace(/ h1:[A-Za-z0-9]{4}/, ' h1:AAAA');
    expect(bad).not.toBe(goodSum);
    const dir = await makeRepo({ 'go.mod': goMod('example.com/root'), 'sub/go.mod': MOD, 'sub/go.sum': bad, 'sub/main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold')) });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.message).toBe(
      `go.sum does not match what was downloaded for ${UUID}@v1.6.0: SECURITY ERROR, the module content differs from what was recorded`,
    );
    expect(f.file).toBe('sub/go.sum');
    expect(f.line).toBe(1);
    expect(f.hint).toContain('go clean -modcache');
    expect(f.hint).toContain('re-tagged');
    expect(f.hint).toMatch(/Do not .*go mod tidy/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports missing go.sum entries on the require line without creating go.sum', async () => {
    const dir = await makeRepo({ 'go.mod': MOD, 'main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(sharedCache) });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.message).toContain(`go.sum has no checksum for the go.mod file and content of ${UUID}@v1.6.0`);
    expect(f.file).toBe('go.mod');
    expect(f.line).toBe(5);
    expect(f.hint).toContain(`go mod download ${UUID}`);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports a module cache edited after download (dir has been modified)', async () => {
    const cache = await tempDir('gp-tamper');
    const dir = await makeRepo({ 'go.mod': MOD, 'go.sum': goodSum, 'main.go': MAIN });
    // Download into the private cache from a scratch copy (go mod download would write go.sum in the repo).
    const scratch = await tempDir('gp-scratch');
    await fs.writeFile(path.join(scratch, 'go.mod'), MOD);
    await fs.writeFile(path.join(scratch, 'go.sum'), goodSum);
    const out = execFileSync('go', ['mod', 'download', '-json'], {
      cwd: scratch,
      env: { ...process.env, ...envFor(cache), GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });
    const modDir = (JSON.parse(out) as { Dir: string }).Dir;
    const victim = path.join(modDir, 'uuid.go');
    await fs.chmod(victim, 0o644);
    await fs.appendFile(victim, '\n// tampered\n');

    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(cache) });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.message).toContain(`the module cache copy of ${UUID}@v1.6.0 has been modified`);
    expect(f.message).toContain(modDir);
    expect(f.hint).toContain('go clean -modcache && go mod download');
    expect(f.file).toBe('go.mod');
    expect(f.line).toBe(5);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('tells an unreachable proxy apart from tampering', async () => {
    const dir = await makeRepo({ 'go.mod': MOD, 'go.sum': goodSum, 'main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold'), { GOPROXY: 'http://127.0.0.1:9' }) });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.message).toContain(`cannot download ${UUID}@v1.6.0: the module proxy or origin could not be reached`);
    expect(f.message).toContain('connection refused');
    expect(f.hint).toMatch(/^Not an integrity problem/);
    expect(f.line).toBe(5);

    const off = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold'), { GOPROXY: 'off' }) });
    expect(off.result.findings).toHaveLength(1);
    expect(off.result.findings[0]!.message).toContain('downloads are disabled (GOPROXY=off)');
    expect(off.result.findings[0]!.ruleId).toBe('mod-offline');
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe('mod-verify in a go.work workspace', () => {
  it('checks each module with GOWORK=off and explains a sibling required without replace', async () => {
    const dir = await makeRepo({
      'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n',
      'app/go.mod': goMod('example.com/wsapp', '1.22', 'require example.com/wslib v0.0.0'),
      'app/main.go': 'package main\n\nimport _ "example.com/wslib"\n\nfunc main() {}\n',
      'lib/go.mod': goMod('example.com/wslib'),
      'lib/lib.go': 'package wslib\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modVerifyCheck, dir, { env: envFor(await tempDir('gp-cold'), { GOPROXY: 'off' }) });
    expect(result.status).toBe('warn');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      severity: 'warning',
      file: 'app/go.mod',
      line: 5,
      hint: 'Add `replace example.com/wslib => ../lib` to app/go.mod, or publish example.com/wslib and require a released version.',
    });
    expect(result.findings[0]!.message).toContain('a module of the go.work workspace (lib/go.mod), without a replace');
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe('mod-verify parsers', () => {
  it('reads checksum mismatches, go.sum and checksum database variants', () => {
    const text =
      'verifying example.com/dep@v1.1.0/go.mod: checksum mismatch\n\tdownloaded: h1:Q5=\n\tgo.work.sum:     h1:AA=\n\nSECURITY ERROR\n' +
      'verifying example.com/x@v2.0.0: checksum mismatch\n\tdownloaded: h1:B=\n\tsum.example.org: h1:C=\n';
    expect(parseChecksumMismatches(text)).toEqual([
      { path: 'example.com/dep', version: 'v1.1.0', goMod: true, downloaded: 'h1:Q5=', source: 'go.work.sum', recorded: 'h1:AA=' },
      { path: 'example.com/x', version: 'v2.0.0', goMod: false, downloaded: 'h1:B=', source: 'sum.example.org', recorded: 'h1:C=' },
    ]);
  });

  it('reads go mod verify complaints', () => {
    const text =
      'example.com/dep v1.1.0: zip has been modified (/c/cache/download/example.com/dep/@v/v1.1.0.zip)\n' +
      'example.com/dep v1.1.0: missing ziphash: open /c/v1.1.0.ziphash: no such file or directory\n';
    expect(parseVerifyOutput(text)).toEqual([
      { path: 'example.com/dep', version: 'v1.1.0', what: 'zip', detail: '/c/cache/download/example.com/dep/@v/v1.1.0.zip' },
      { path: 'example.com/dep', version: 'v1.1.0', what: 'ziphash', detail: 'open /c/v1.1.0.ziphash: no such file or directory' },
    ]);
  });

  it('classifies fetch failures', () => {
    expect(classifyFetchError('module lookup disabled by GOPROXY=off')).toBe('offline');
    expect(classifyFetchError('Get "https://p.example/x/@v/list": dial tcp: lookup p.example: no such host')).toBe('network');
    expect(classifyFetchError('reading https://p.example/x/@v/v1.0.0.mod: 502 Bad Gateway')).toBe('network');
    expect(classifyFetchError('reading https://p.example/x/@v/v1.0.0.mod: 404 Not Found\n\tserver response: not found')).toBe('not-found');
    expect(classifyFetchError('verifying module: example.com/priv@v1.0.0: reading https://s.example/lookup/example.com/priv@v1.0.0: 410 Gone')).toBe('sumdb');
    expect(classifyFetchError("fatal: could not read Username for 'https://github.com': terminal prompts disabled")).toBe('auth');
  });
});
