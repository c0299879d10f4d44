// mod-tidy against real modules; github.com/google/uuid v1.6.0 (no dependencies) comes through the
// module proxy configured in the environment into a private GOMODCACHE.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { goModFindings, modTidyCheck } from '../../src/checks/mod-tidy.js';
import { applyDiff, parseUnifiedDiff, splitLines, unifiedDiff } from '../../src/checks/internal/mod-copy.js';
import { runProcess, type ProcessRunner } from '../../src/core/process.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

const UUID = 'github.com/google/uuid';
const MAIN = `package main\n\nimport "${UUID}"\n\nfunc main() { _ = uuid.New() }\n`;
const PLAIN_MAIN = 'package main\n\nfunc main() {}\n';
const MOD = goMod('example.com/app', '1.22', `require ${UUID} v1.6.0`);
let goodSum = '';
let cache = '';
const env = () => ({ GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOWORK: undefined });

beforeAll(async () => {
  cache = await tempDir('gp-modcache');
  const scratch = await tempDir('gp-scratch');
  await fs.writeFile(path.join(scratch, 'go.mod'), MOD);
  const out = execFileSync('go', ['mod', 'download', '-json', `${UUID}@v1.6.0`], {
    cwd: scratch,
    env: { ...process.env, ...env(), GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  const j = JSON.parse(out) as { Sum: string; GoModSum: string };
  goodSum = `${UUID} v1.6.0 ${j.Sum}\n${UUID} v1.6.0/go.mod ${j.GoModSum}\n`;
});

afterAll(cleanupTempDirs);

/** A Go without `go mod tidy -diff` (as Go 1.21/1.22 answer), to exercise the temp-copy path. */
const noDiffFlag: ProcessRunner = (cmd, args, opts) => {
  if (args[0] === 'mod' && args[1] === 'tidy' && args.includes('-diff')) {
    return Promise.resolve({
      command: cmd,
      args,
      code: 2,
      stdout: '',
      stderr: "flag provided but not defined: -diff\nusage: go mod tidy [-e] [-v] [-x] [-go=version] [-compat=version]\nRun 'go help mod tidy' for details.\n",
      durationMs: 1,
      timedOut: false,
      aborted: false,
      truncated: false,
    });
  }
  return runProcess(cmd, args, opts);
};

describe('mod-tidy', () => {
  it('passes tidy modules (one without dependencies) and changes nothing', async () => {
    const dir = await makeRepo({ 'go.mod': MOD, 'go.sum': goodSum, 'main.go': MAIN, 'tools/go.mod': goMod('example.com/tools'), 'tools/t.go': 'package tools\n' });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: env() });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports a missing requirement and the go.sum lines it needs, with the diff in details', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app'), 'main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: env() });
    expect(result.status).toBe('fail');
    const msgs = result.findings.map((f) => [f.file, f.line, f.message]);
    expect(msgs).toEqual([
      ['go.mod', 1, `go.mod is missing a requirement on ${UUID} v1.6.0, imported by the code`],
      ['go.sum', undefined, 'go.sum is missing 2 lines'],
    ]);
    expect(result.findings[0]!.hint).toContain('go mod tidy');
    expect(result.details).toContain('```diff');
    expect(result.details).toContain(`+require ${UUID} v1.6.0`);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('names the nested module when only it is untidy (unused requirement, extra go.sum lines)', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/root'),
      'main.go': PLAIN_MAIN,
      'sub/go.mod': MOD,
      'sub/go.sum': goodSum,
      'sub/main.go': PLAIN_MAIN,
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: env() });
    expect(result.status).toBe('fail');
    const [req, sum] = result.findings;
    expect(req).toMatchObject({
      severity: 'error',
      file: 'sub/go.mod',
      line: 5,
      message: `sub/go.mod requires ${UUID} v1.6.0 but no package imports it (remove it)`,
      hint: 'Run `cd sub && go mod tidy` and commit go.mod and go.sum.',
    });
    expect(sum).toMatchObject({ severity: 'warning', file: 'sub/go.sum', line: 1, message: 'sub/go.sum has 2 extra lines' });
    expect(result.findings).toHaveLength(2);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports go.sum missing lines alone when go.mod is tidy', async () => {
    const dir = await makeRepo({ 'go.mod': MOD, 'go.sum': goodSum.split('\n')[1] + '\n', 'main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: env() });
    expect(result.findings).toEqual([
      expect.objectContaining({ severity: 'error', file: 'go.sum', message: 'go.sum is missing 1 line', hint: expect.stringContaining(`${UUID} v1.6.0`) }),
    ]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('falls back to tidying temp copies on a Go without -diff, with the same findings', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/root'), 'main.go': PLAIN_MAIN, 'sub/go.mod': goMod('example.com/app'), 'sub/main.go': MAIN });
    const before = await snapshotTree(dir);
    const { result, report } = await runCheck(modTidyCheck, dir, { env: env(), exec: noDiffFlag });
    expect(report.go.version).toMatch(/^go1\.(2[3-9]|[3-9]\d)/); // the real Go has -diff: the fake took effect
    expect(result.findings.map((f) => [f.file, f.message])).toEqual([
      ['sub/go.mod', `sub/go.mod is missing a requirement on ${UUID} v1.6.0, imported by the code`],
      ['sub/go.sum', 'sub/go.sum is missing 2 lines'],
    ]);
    expect(result.details).toContain('diff current/go.mod tidy/go.mod');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports tidy failures with the cause, and workspace siblings that go.mod does not require', async () => {
    const dir = await makeRepo({
      'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n',
      'app/go.mod': goMod('example.com/wsapp'),
      'app/main.go': 'package main\n\nimport _ "example.com/wslib"\n\nfunc main() {}\n',
      'lib/go.mod': goMod('example.com/wslib'),
      'lib/lib.go': 'package wslib\n',
      'other/go.mod': goMod('example.com/other'),
      'other/main.go': 'package main\n\nimport _ "example.com/nosuch/pkg"\n\nfunc main() {}\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: { ...env(), GOPROXY: 'off' } });
    const app = result.findings.find((f) => f.file === 'app/go.mod');
    expect(app).toMatchObject({ severity: 'warning', ruleId: 'tidy-workspace-sibling' });
    expect(app!.message).toContain('imports example.com/wslib, a module of the go.work workspace (lib/go.mod), but go.mod neither requires nor replaces it');
    expect(app!.hint).toContain('`replace example.com/wslib => ../lib`');
    const other = result.findings.find((f) => f.file === 'other/go.mod');
    expect(other).toMatchObject({ severity: 'error', ruleId: 'tidy-error' });
    expect(other!.message).toContain('example.com/nosuch/pkg');
    expect(other!.message).toContain('downloads are disabled (GOPROXY=off)');
    expect(result.findings).toHaveLength(2);
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe('mod-tidy analysis', () => {
  it('explains indirect markers, raised versions and go line changes', () => {
    const cur = 'module m\n\ngo 1.21\n\nrequire (\n\ta.example/x v1.0.0 // indirect\n\tb.example/y v1.0.0\n\tc.example/z v1.1.0\n)\n';
    const tidy = 'module m\n\ngo 1.22\n\nrequire (\n\ta.example/x v1.0.0\n\tc.example/z v1.2.0\n)\n\nrequire b.example/y v1.0.0 // indirect\n';
    const fs = goModFindings({ goModFile: 'go.mod', relDir: '.' }, cur, tidy);
    expect(fs.map((f) => [f.line, f.message])).toEqual([
      [6, 'a.example/x is imported by the code but marked // indirect in go.mod'],
      [7, 'b.example/y is not imported by the code but go.mod lists it as a direct requirement (tidy marks it // indirect)'],
      [8, 'go.mod requires c.example/z v1.1.0 but the module graph selects v1.2.0 (a dependency needs it): tidy raises the requirement'],
      [3, 'tidy changes the go line of go.mod from 1.21 to 1.22 (a dependency requires go >= 1.22)'],
    ]);
  });

  it('makes unified diffs that parse and apply back to the new text', () => {
    const a = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n';
    const b = 'l0\nl1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\nl11\n';
    const d = unifiedDiff(a, b, 'current/f', 'tidy/f', 1);
    expect(d).toBe(
      'diff current/f tidy/f\n--- current/f\n+++ tidy/f\n@@ -1,1 +1,2 @@\n+l0\n l1\n@@ -4,3 +5,3 @@\n l4\n-l5\n+L5\n l6\n@@ -10,1 +11,2 @@\n l10\n+l11\n',
    );
    const [s] = parseUnifiedDiff(d);
    expect(applyDiff(splitLines(a), s!).join('\n') + '\n').toBe(b);
    expect(unifiedDiff(a, a, 'x', 'y')).toBe('');
    const fromEmpty = unifiedDiff('', 'x\ny\n', 'current/go.sum', 'tidy/go.sum');
    expect(fromEmpty).toBe('diff current/go.sum tidy/go.sum\n--- current/go.sum\n+++ tidy/go.sum\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(applyDiff([], parseUnifiedDiff(fromEmpty)[0]!)).toEqual(['x', 'y']);
  });
});
