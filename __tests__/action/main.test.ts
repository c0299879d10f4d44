// The action adapter in process (src/action/main.ts), with typed stubs for @actions/core (the
// outermost boundary, as actions/typescript-action tests it): every annotation the step writes,
// the failure line and the cache's "not available" line.

import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Check, CheckId, Finding } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { pathWithoutGo } from '../helpers/fake-go.js';
import { githubToken } from '../secrets/helpers.js';

type Props = { title?: string; file?: string; startLine?: number } | undefined;
interface Call {
  kind: 'error' | 'warning' | 'notice' | 'setFailed' | 'info' | 'debug';
  message: string;
  props?: Props;
}

const calls: Call[] = [];
let inputs: Record<string, string> = {};
const outputs: Record<string, string> = {};

const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => inputs[name] ?? '',
  setOutput: (name: string, value: unknown) => {
    outputs[name] = String(value);
  },
  setSecret: () => {},
  info: (m: string) => calls.push({ kind: 'info', message: m }),
  debug: (m: string) => calls.push({ kind: 'debug', message: m }),
  error: (m: unknown, props?: Props) => calls.push({ kind: 'error', message: text(m), props }),
  warning: (m: unknown, props?: Props) => calls.push({ kind: 'warning', message: text(m), props }),
  notice: (m: unknown, props?: Props) => calls.push({ kind: 'notice', message: text(m), props }),
  setFailed: (m: unknown) => {
    calls.push({ kind: 'setFailed', message: text(m) });
    process.exitCode = 1;
  },
  startGroup: () => {},
  endGroup: () => {},
}));
// @github/local-action's stub of @actions/cache has no isFeatureAvailable.
jest.unstable_mockModule('@actions/cache', () => ({
  restoreCache: async () => undefined,
  saveCache: async () => 0,
}));

const { run } = await import('../../src/action/main.js');
const { createActionsCacheStore, cacheAvailable } = await import('../../src/action/cache.js');

afterAll(cleanupTempDirs);

const savedEnv = { ...process.env };
beforeEach(() => {
  calls.length = 0;
  inputs = {};
  for (const k of Object.keys(outputs)) delete outputs[k];
});
afterEach(() => {
  process.exitCode = undefined;
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});

/** A check that returns these findings (the runner, report and adapter are real). */
function fakeCheck(id: CheckId, findings: Finding[]): Check {
  return { id, title: `Fake ${id}`, needs: [], run: async () => ({ findings }) };
}

async function setup(files: Record<string, string>, input: Record<string, string>, env: Record<string, string> = {}) {
  const ws = await makeRepo(files);
  const runnerTemp = await tempDir('runner-temp');
  const summary = path.join(runnerTemp, 'summary.md');
  await fs.writeFile(summary, '');
  Object.assign(process.env, { GITHUB_WORKSPACE: ws, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: runnerTemp, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/widget', ...env });
  delete process.env.GITHUB_EVENT_PATH;
  delete process.env.GITHUB_SHA;
  inputs = { cache: 'false', annotations: 'true', summary: 'true', ...input };
  return { ws, summary };
}

const annotations = () => calls.filter((c) => c.kind === 'error' || c.kind === 'warning' || c.kind === 'notice' || c.kind === 'setFailed');
const level = (c: Call) => (c.kind === 'setFailed' ? 'error' : c.kind);

describe('the action adapter: annotations', () => {
  it('keeps every annotation of the step (config warnings, findings, the failure line) within 10 per level, the note last', async () => {
    await setup(
      { 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n', '.go-version': '1.21\n' },
      { checks: 'mod-tidy,git-clean,secrets', 'go-version': '1.21', 'go-version-file': '.go-version' },
    );
    const errors = Array.from({ length: 14 }, (_, i): Finding => ({ severity: 'error', message: `untidy ${i}`, file: 'go.mod', line: i + 1 }));
    const warnings = Array.from({ length: 12 }, (_, i): Finding => ({ severity: 'warning', message: `dirty ${i}`, file: `f${i}.txt` }));
    const secret: Finding = { severity: 'error', message: 'GitHub token committed (ghp_…)', file: 'deploy.go', line: 3, ruleId: 'github-pat' };
    await run({ 'mod-tidy': fakeCheck('mod-tidy', errors), 'git-clean': fakeCheck('git-clean', [...warnings, { severity: 'error', message: 'stray.txt is untracked', file: 'stray.txt' }]), secrets: fakeCheck('secrets', [secret]) });

    const all = annotations();
    for (const l of ['error', 'warning', 'notice']) expect(all.filter((c) => level(c) === l).length).toBeLessThanOrEqual(10);
    const errs = all.filter((c) => level(c) === 'error');
    const warns = all.filter((c) => level(c) === 'warning');
    expect(errs).toHaveLength(10);
    expect(warns).toHaveLength(10);
    // The config warning took a slot of the ten instead of pushing the note off.
    expect(warns.some((c) => c.message.startsWith('Both go-version and go-version-file are given'))).toBe(true);
    expect(warns[9]!.message).toMatch(/… and 3 more warnings: see the job summary$/);
    // The secret first, the dirty tree never before a build error; the step fails with one line, the 10th error.
    expect(errs[0]!.props?.title).toBe('go-preflight: secrets');
    expect(errs[8]!.message).toMatch(/… and 7 more errors: see the job summary$/);
    expect(errs[9]!.kind).toBe('setFailed');
    expect(errs[9]!.message).toBe('go-preflight: mod-tidy, git-clean, secrets failed; the annotations above and the job summary say where and how to fix');
    expect(calls.filter((c) => c.kind === 'setFailed')).toHaveLength(1);
    expect(process.exitCode).toBe(1);
    // What did not fit is still in the log, as plain text.
    expect(calls.some((c) => c.kind === 'info' && c.message.includes('not annotated'))).toBe(false);
  });

  it('says "`go` was not found" once, not once per check', async () => {
    await setup({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { checks: 'toolchain,mod-tidy,packages,mod-verify' }, { PATH: pathWithoutGo() });
    await run();
    const errs = annotations().filter((c) => level(c) === 'error');
    const goLines = errs.filter((c) => /\bgo\b.*not found|not found.*\bgo\b/i.test(c.message) && c.kind !== 'setFailed');
    expect(goLines).toHaveLength(1);
    expect(goLines[0]!.message).toMatch(/checks that could not run: toolchain, mod-verify, mod-tidy, packages|could not run checks toolchain, mod-verify, mod-tidy, packages/);
    expect(errs.filter((c) => c.kind === 'setFailed')).toHaveLength(1);
  });

  it('fails a bad input through setFailed with one line, and says "would fail" in mode: warn', async () => {
    await setup({ 'go.mod': goMod('example.com/act', '1.21') }, { checks: 'toolchain,nope' });
    await run();
    const bad = annotations();
    expect(bad).toHaveLength(1);
    expect(bad[0]!.kind).toBe('setFailed');
    expect(bad[0]!.message).toMatch(/^go-preflight: input checks: unknown check id "nope"[^\n]*$/);
    expect(process.exitCode).toBe(1);

    calls.length = 0;
    process.exitCode = undefined;
    const { summary } = await setup({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { checks: 'secrets', mode: 'warn' });
    await run({ secrets: fakeCheck('secrets', [{ severity: 'error', message: 'GitHub token committed (ghp_…)', file: 'main.go', line: 1, ruleId: 'github-pat' }]) });
    const a = annotations();
    expect(a).toHaveLength(1);
    expect(a[0]!.kind).toBe('warning');
    expect(a[0]!.props?.title).toBe('go-preflight: secrets (would fail)');
    expect(process.exitCode).toBeUndefined();
    expect(await fs.readFile(summary, 'utf8')).toContain('**warning (would fail)**');
  });

  it('links only files that are in the commit, and redacts every surface', async () => {
    const token = githubToken();
    const { ws, summary } = await setup({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' }, { checks: 'git-clean,toolchain,cgo', 'sarif-file': 'out/x.sarif' });
    await fs.writeFile(path.join(ws, 'stray.txt'), 'x');
    const sha = (await import('../helpers/repo.js')).git(ws, 'rev-parse', 'HEAD').trim();
    process.env.GITHUB_SHA = sha;
    await run({
      'git-clean': fakeCheck('git-clean', [
        { severity: 'error', message: 'stray.txt is untracked', file: 'stray.txt' },
        { severity: 'error', message: 'main.go is modified', file: 'main.go', line: 1 },
      ]),
      toolchain: fakeCheck('toolchain', [{ severity: 'error', message: `.go-version says "${token}"`, file: '.go-version', line: 1 }]),
      // A crash whose message quotes the value: the skip reason, the log line and the annotation.
      cgo: {
        id: 'cgo',
        title: 'Fake cgo',
        needs: [],
        run: async () => {
          throw new Error(`cannot parse CGO_CFLAGS=${token}`);
        },
      },
    });
    expect(calls.some((c) => c.kind === 'info' && c.message.startsWith('cgo: error (the check crashed: cannot parse CGO_CFLAGS=ghp_…)'))).toBe(true);
    const md = await fs.readFile(summary, 'utf8');
    expect(md).toContain(`[main.go:1](https://github.com/acme/widget/blob/${sha}/main.go#L1)`);
    expect(md).not.toMatch(/\]\([^)]*stray\.txt/);
    expect(md).toContain('stray.txt');
    const everything = md + JSON.stringify(calls) + (await fs.readFile(path.join(ws, 'out', 'x.sarif'), 'utf8')) + (await fs.readFile(outputs['report-file']!, 'utf8'));
    expect(everything).not.toContain(token);
    expect(everything).toContain(`${token.slice(0, 4)}…`);
  });
});

describe('the Actions cache when the service is not there', () => {
  it('is a debug line, not a warning: no isFeatureAvailable (local-action), or false', async () => {
    const debug: string[] = [];
    const store = createActionsCacheStore({ RUNNER_TEMP: await tempDir('cache') }, (m) => debug.push(m));
    await expect(store.restore('k', await tempDir('d'))).resolves.toBe(false);
    await expect(store.save('k', await tempDir('d'))).resolves.toBeUndefined();
    expect(debug[0]).toMatch(/not available here/);
    const d2: string[] = [];
    expect(cacheAvailable({ isFeatureAvailable: () => false }, (m) => d2.push(m))).toBe(false);
    expect(d2).toEqual(['the Actions cache service is not available on this runner: results are not cached']);
    expect(cacheAvailable({ isFeatureAvailable: () => true })).toBe(true);
    expect(calls.filter((c) => c.kind === 'warning')).toEqual([]);
  });
});
