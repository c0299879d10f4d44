// mod-tidy when the build reads vendor/ and the module cache is empty with GOPROXY=off (issue 14
// item 2): `go build` works offline from vendor/, so tidy must not fail the repository; it judges
// what vendor/ shows and says in one notice what it could not compare.
// github.com/google/uuid v1.6.0 (no dependencies) is vendored once through the configured proxy.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { modTidyCheck } from '../../src/checks/mod-tidy.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck, testEnv } from '../helpers/run-check.js';

const UUID = 'github.com/google/uuid';
const MAIN = `package main\n\nimport "${UUID}"\n\nfunc main() { _ = uuid.New() }\n`;
let vendored: Record<string, string> | undefined;
let skipReason = '';

function goEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return testEnv({ GOFLAGS: '-modcacherw', GOWORK: 'off', GOTOOLCHAIN: 'local', ...extra }) as NodeJS.ProcessEnv;
}

/** Every file under dir, relative, forward slashes. */
async function readTree(dir: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, await readTree(dir, r));
    else out[r] = await fs.readFile(path.join(dir, r), 'utf8');
  }
  return out;
}

beforeAll(async () => {
  const cache = await tempDir('gp-modcache');
  const scratch = await tempDir('gp-vendor-src');
  await fs.writeFile(path.join(scratch, 'go.mod'), goMod('example.com/app', '1.22', `require ${UUID} v1.6.0`));
  await fs.writeFile(path.join(scratch, 'main.go'), MAIN);
  try {
    execFileSync('go', ['mod', 'tidy'], { cwd: scratch, env: goEnv({ GOMODCACHE: cache }), stdio: 'pipe' });
    execFileSync('go', ['mod', 'vendor'], { cwd: scratch, env: goEnv({ GOMODCACHE: cache }), stdio: 'pipe' });
    vendored = await readTree(scratch);
  } catch (e) {
    skipReason = `the module proxy is unreachable, cannot vendor ${UUID}: ${(e as Error).message.split('\n')[0]}`;
    console.warn(`skipped: ${skipReason}`);
  }
});

afterAll(cleanupTempDirs);

describe('mod-tidy with vendor/ and no module cache', () => {
  it('passes a vendored module that builds offline, with one notice saying what was not compared', async () => {
    if (!vendored) return console.warn(`skipped: ${skipReason}`);
    const dir = await makeRepo(vendored);
    const env = { GOMODCACHE: await tempDir('gp-empty-cache'), GOPROXY: 'off' };
    // The build agrees: it works offline from vendor/.
    execFileSync('go', ['build', '-o', path.join(await tempDir('gp-out'), 'app'), '.'], { cwd: dir, env: goEnv(env), stdio: 'pipe' });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: { ...env, GOFLAGS: '-modcacherw' } });
    expect(result.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.findings).toHaveLength(1);
    const [n] = result.findings;
    expect(n).toMatchObject({ severity: 'notice', file: 'go.mod', ruleId: 'tidy-vendor-offline' });
    expect(n!.message).toContain('the build reads vendor/');
    expect(n!.message).toContain('GOPROXY=off');
    expect(n!.message).toContain('were not compared');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('still reports what vendor/ shows: an imported module marked // indirect', async () => {
    if (!vendored) return console.warn(`skipped: ${skipReason}`);
    const dir = await makeRepo({ ...vendored, 'go.mod': vendored['go.mod']!.replace(`${UUID} v1.6.0`, `${UUID} v1.6.0 // indirect`) });
    const { result } = await runCheck(modTidyCheck, dir, { env: { GOMODCACHE: await tempDir('gp-empty-cache'), GOPROXY: 'off', GOFLAGS: '-modcacherw' } });
    expect(result.findings.map((f) => [f.severity, f.ruleId, f.line])).toEqual([
      ['error', 'gomod-indirect', 5],
      ['notice', 'tidy-vendor-offline', undefined],
    ]);
    expect(result.findings[0]!.message).toBe(`${UUID} is imported by the code (by example.com/app) but marked // indirect in go.mod`);
  });

  it('keeps the error in workspace mode, where go ignores the module vendor/ and the build needs the cache', async () => {
    if (!vendored) return console.warn(`skipped: ${skipReason}`);
    const files: Record<string, string> = { 'go.work': 'go 1.22\n\nuse ./app\n' };
    for (const [k, v] of Object.entries(vendored)) files[`app/${k}`] = v;
    const dir = await makeRepo(files);
    const env = { GOMODCACHE: await tempDir('gp-empty-cache'), GOPROXY: 'off' };
    const out = path.join(await tempDir('gp-out'), 'app');
    expect(() => execFileSync('go', ['build', '-o', out, './app'], { cwd: dir, env: goEnv({ ...env, GOWORK: undefined }), stdio: 'pipe' })).toThrow();
    const { result } = await runCheck(modTidyCheck, dir, { env: { ...env, GOFLAGS: '-modcacherw' } });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.ruleId)).not.toContain('tidy-vendor-offline');
  });

  it('keeps the error when GOFLAGS=-mod=mod makes the build download (vendor/ is not read)', async () => {
    if (!vendored) return console.warn(`skipped: ${skipReason}`);
    const dir = await makeRepo(vendored);
    const { result } = await runCheck(modTidyCheck, dir, { env: { GOMODCACHE: await tempDir('gp-empty-cache'), GOPROXY: 'off', GOFLAGS: '-modcacherw -mod=mod' } });
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({ severity: 'error', ruleId: 'tidy-error' });
    expect(result.findings[0]!.message).toContain(`${UUID}@v1.6.0 is not in the module cache and downloads are disabled (GOPROXY=off)`);
  });
});
