// vendor against a real vendored module: github.com/google/uuid v1.6.0 through the module proxy
// configured in the environment (private GOMODCACHE) plus a local replacement (./lib), vendored
// once by the real `go mod vendor` and copied into each test repo.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseInconsistentVendoring, parseModulesTxt, vendorCheck } from '../../src/checks/vendor.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

const UUID = 'github.com/google/uuid';
const GO_MOD = goMod('example.com/app', '1.22', `require (\n\texample.com/lib v0.0.0\n\t${UUID} v1.6.0\n)\n\nreplace example.com/lib => ./lib`);
// go.mod lines: 6 require example.com/lib, 7 require uuid, 10 replace.
const SOURCES: Record<string, string> = {
  'go.mod': GO_MOD,
  'main.go': `package main\n\nimport (\n\t"example.com/lib"\n\t"${UUID}"\n)\n\nfunc main() { _ = uuid.New(); lib.X() }\n`,
  'lib/go.mod': goMod('example.com/lib'),
  'lib/lib.go': 'package lib\n\nfunc X() {}\n',
};
let vendored: Record<string, Buffer> = {};
let workspace: Record<string, Buffer> = {};
let cache = '';
const env = () => ({ GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOWORK: undefined });

async function readTree(dir: string, prefix = ''): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, await readTree(p, `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = await fs.readFile(p);
  }
  return out;
}

beforeAll(async () => {
  cache = await tempDir('gp-modcache');
  const scratch = await tempDir('gp-scratch');
  for (const [f, c] of Object.entries(SOURCES)) {
    await fs.mkdir(path.dirname(path.join(scratch, f)), { recursive: true });
    await fs.writeFile(path.join(scratch, f), c);
  }
  const goEnv = { ...process.env, ...env(), GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv;
  execFileSync('go', ['mod', 'tidy'], { cwd: scratch, env: goEnv, stdio: 'pipe' });
  execFileSync('go', ['mod', 'vendor'], { cwd: scratch, env: goEnv, stdio: 'pipe' });
  vendored = await readTree(scratch);
  expect(vendored['go.mod']!.toString()).toBe(GO_MOD); // tidy had nothing to change: line numbers hold
  expect(Object.keys(vendored)).toContain(`vendor/${UUID}/uuid.go`);

  // A workspace vendored with `go work vendor` (Go >= 1.22): vendor/ next to go.work.
  const ws = await tempDir('gp-scratch');
  const wsFiles: Record<string, string | Buffer> = {
    'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n',
    'app/go.mod': goMod('example.com/wsapp', '1.22', `require ${UUID} v1.6.0`),
    'app/go.sum': vendored['go.sum']!,
    'app/main.go': `package main\n\nimport (\n\t"example.com/wslib"\n\t"${UUID}"\n)\n\nfunc main() { _ = uuid.New(); wslib.X() }\n`,
    'lib/go.mod': goMod('example.com/wslib'),
    'lib/lib.go': 'package wslib\n\nfunc X() {}\n',
  };
  for (const [f, c] of Object.entries(wsFiles)) {
    await fs.mkdir(path.dirname(path.join(ws, f)), { recursive: true });
    await fs.writeFile(path.join(ws, f), c);
  }
  execFileSync('go', ['work', 'vendor'], { cwd: ws, env: goEnv, stdio: 'pipe' });
  workspace = await readTree(ws);
  expect(workspace['vendor/modules.txt']!.toString()).toMatch(/^## workspace\n/);
});

afterAll(cleanupTempDirs);

const withChanges = (changes: Record<string, Buffer | string | null>) => {
  const files: Record<string, Buffer | string> = { ...vendored };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete files[k];
    else files[k] = v;
  }
  return files;
};

describe('vendor', () => {
  it('passes a consistent vendor/ (with a local replacement and a nested module without vendor/) and changes nothing', async () => {
    const dir = await makeRepo(withChanges({ 'tools/go.mod': goMod('example.com/tools'), 'tools/t.go': 'package tools\n' }));
    const before = await snapshotTree(dir);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('skips when no module has a vendor/ directory', async () => {
    const dir = await makeRepo(SOURCES);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.status).toBe('skip');
    expect(result.skipReason).toBe('not applicable: no vendor/ directory');
  });

  it('reports GOFLAGS=-mod=vendor without vendor/, and skips a vendor/ that GOFLAGS=-mod=mod turns off', async () => {
    const bare = await makeRepo(SOURCES);
    const { result } = await runCheck(vendorCheck, bare, { env: { ...env(), GOFLAGS: '-modcacherw -mod=vendor' } });
    expect(result.findings.map((f) => [f.file, f.message])).toEqual([
      ['go.mod', 'GOFLAGS sets -mod=vendor but there is no vendor/ directory next to go.mod: every build of the module fails with "inconsistent vendoring"'],
      ['lib/go.mod', 'GOFLAGS sets -mod=vendor but there is no vendor/ directory next to lib/go.mod: every build of the module fails with "inconsistent vendoring"'],
    ]);
    const off = await runCheck(vendorCheck, await makeRepo(vendored), { env: { ...env(), GOFLAGS: '-modcacherw -mod=mod' } });
    expect(off.result.status).toBe('skip');
    expect(off.result.skipReason).toBe('not applicable: vendor/ is not used: GOFLAGS sets -mod=mod');
  });

  it('turns every inconsistency reason into its own finding at its line', async () => {
    const txt = vendored['vendor/modules.txt']!.toString()
      .replace(`# ${UUID} v1.6.0\n## explicit\n`, `# ${UUID} v1.6.0\n`)
      .replace('# example.com/lib v0.0.0 => ./lib', '# example.com/lib v0.0.0')
      .replace('# example.com/lib => ./lib\n', '');
    expect(txt).not.toContain('=>');
    const dir = await makeRepo(withChanges({ 'vendor/modules.txt': txt }));
    const before = await snapshotTree(dir);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => [f.file, f.line, f.message])).toEqual([
      ['go.mod', 7, `go.mod requires ${UUID}@v1.6.0, but vendor/modules.txt does not mark it \`## explicit\` (vendor/ was made from another go.mod)`],
      ['go.mod', 10, 'go.mod replaces example.com/lib, but vendor/modules.txt does not record the replacement'],
    ]);
    expect(result.findings[0]!.hint).toBe('Run `go mod vendor` and commit vendor/.');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports vendored files that were edited, deleted or added, and unlisted packages', async () => {
    const dir = await makeRepo(
      withChanges({
        [`vendor/${UUID}/uuid.go`]: vendored[`vendor/${UUID}/uuid.go`]!.toString() + '\n// patched by hand\n',
        [`vendor/${UUID}/version7.go`]: null,
        [`vendor/${UUID}/NOTES.txt`]: 'local notes\n',
        'vendor/example.com/stray/s.go': 'package stray\n',
      }),
    );
    const before = await snapshotTree(dir);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => [f.severity, f.file, f.message])).toEqual([
      ['error', `vendor/${UUID}/NOTES.txt`, `vendor/${UUID}/NOTES.txt is not produced by \`go mod vendor\`: stale, or added by hand`],
      ['error', `vendor/${UUID}/uuid.go`, `vendor/${UUID}/uuid.go differs from what \`go mod vendor\` writes (${UUID} v1.6.0): edited by hand, or vendor/ is stale`],
      ['error', `vendor/${UUID}/version7.go`, `vendor/${UUID}/version7.go is missing: \`go mod vendor\` adds it (${UUID} v1.6.0)`],
      [
        'warning',
        'vendor/example.com/stray',
        'vendor/example.com/stray holds Go files but vendor/modules.txt does not list the package: go builds it from vendor/ although no required module provides it',
      ],
    ]);
    expect(result.details).toContain(`\`vendor/${UUID}/uuid.go\` changed`);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('caps file findings at 50 and summarises the rest, for a nested module', async () => {
    const files: Record<string, Buffer | string> = { 'go.mod': goMod('example.com/root'), 'root.go': 'package root\n' };
    for (const [k, v] of Object.entries(vendored)) files[`sub/${k}`] = v;
    for (let i = 0; i < 60; i++) files[`sub/vendor/${UUID}/extra${String(i).padStart(2, '0')}.txt`] = `${i}\n`;
    const dir = await makeRepo(files);
    const before = await snapshotTree(dir);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.findings).toHaveLength(51);
    expect(result.findings.every((f) => f.file?.startsWith('sub/vendor/'))).toBe(true);
    expect(result.findings.find((f) => /^10 more files/.test(f.message))).toMatchObject({
      message: '10 more files under sub/vendor differ from what `go mod vendor` writes (60 in all)',
      hint: 'Run `cd sub && go mod vendor` and commit vendor/.',
    });
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe('vendor in a go.work workspace', () => {
  it('checks the workspace vendor/ against every module and go work vendor, writing nothing', async () => {
    const clean = await makeRepo(workspace);
    const before = await snapshotTree(clean);
    const ok = await runCheck(vendorCheck, clean, { env: env() });
    expect(ok.result.findings).toEqual([]);
    expect(ok.result.status).toBe('pass');
    expect(ok.result.notes ?? []).toEqual([]);
    expect(await snapshotTree(clean)).toEqual(before); // no go.work.sum either

    const txt = workspace['vendor/modules.txt']!.toString().replace('## explicit\n', '');
    const dir = await makeRepo({ ...workspace, 'vendor/modules.txt': txt, [`vendor/${UUID}/hash.go`]: 'package uuid\n' });
    const before2 = await snapshotTree(dir);
    const { result } = await runCheck(vendorCheck, dir, { env: env() });
    expect(result.findings.map((f) => [f.file, f.line, f.message])).toEqual([
      ['app/go.mod', 5, `app/go.mod requires ${UUID}@v1.6.0, but vendor/modules.txt does not mark it \`## explicit\` (vendor/ was made from another go.mod)`],
      [`vendor/${UUID}/hash.go`, undefined, `vendor/${UUID}/hash.go differs from what \`go work vendor\` writes (${UUID} v1.6.0): edited by hand, or vendor/ is stale`],
    ]);
    expect(result.findings[0]!.hint).toBe('Run `go work vendor` and commit vendor/.');
    expect(await snapshotTree(dir)).toEqual(before2);
  });
});

describe('vendor parsers', () => {
  it('reads every reason of an inconsistent vendoring error', () => {
    const stderr =
      'go: inconsistent vendoring in /abs/module/root:\n' +
      '\texample.com/dep@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt\n' +
      '\texample.com/dep@v1.1.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod\n' +
      '\texample.com/other: is replaced in go.mod, but not marked as replaced in vendor/modules.txt\n' +
      '\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo mod vendor\n';
    expect(parseInconsistentVendoring(stderr)).toEqual({
      dir: '/abs/module/root',
      reasons: [
        { path: 'example.com/dep', version: 'v1.0.0', reason: 'is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt' },
        { path: 'example.com/dep', version: 'v1.1.0', reason: 'is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod' },
        { path: 'example.com/other', reason: 'is replaced in go.mod, but not marked as replaced in vendor/modules.txt' },
      ],
    });
    expect(parseInconsistentVendoring('go: other error\n')).toBeUndefined();
  });

  it('reads modules.txt headers, packages and the workspace marker', () => {
    const mt = parseModulesTxt('## workspace\n# a.example/x v1.0.0 => ./x\n## explicit; go 1.22\na.example/x\na.example/x/sub\n');
    expect(mt.workspace).toBe(true);
    expect(mt.headers).toEqual([{ path: 'a.example/x', version: 'v1.0.0', replaced: true, line: 2 }]);
    expect([...mt.packages.keys()]).toEqual(['a.example/x', 'a.example/x/sub']);
  });
});
