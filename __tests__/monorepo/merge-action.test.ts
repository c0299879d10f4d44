// The action's merge-reports input (dist/index.js, as the runner runs it) and the glob it expands.
// Needs a dist/ bundled from this source (npm run bundle).

import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandGlob } from '../../src/core/merge.js';
import { renderJson } from '../../src/report/json.js';
import type { Report } from '../../src/core/types.js';
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function shardReport(index: number, count: number, os: string, findings: Report['checks'][number]['findings']): Report {
  return {
    schemaVersion: 1,
    conclusion: findings.some((f) => f.severity === 'error') ? 'failure' : 'success',
    dir: '/w/repo',
    go: { version: 'go1.26.8', goos: os, goarch: 'amd64' },
    targets: [`${os}/amd64`],
    durationMs: 100,
    runner: { os, arch: 'amd64' },
    shard: { index, count },
    checks: [
      { id: 'toolchain', title: 'Go toolchain', status: index === 1 ? 'pass' : 'skip', ...(index === 1 ? {} : { skipReason: `runs in shard 1/${count}` }), durationMs: 1, findings: [] },
      { id: 'mod-verify', title: 'Module checksums', status: findings.length ? 'fail' : 'pass', durationMs: 50, findings },
    ],
  };
}

describe('expandGlob', () => {
  it('expands *, ? and ** relative to a directory, sorted, files only', async () => {
    const d = await tempDir('gp-glob');
    await writeFiles(d, { 'reports/go-preflight-1/r.json': '{}', 'reports/go-preflight-2/r.json': '{}', 'reports/x.txt': '', 'a.json': '{}' });
    expect((await expandGlob('reports/**/*.json', d)).map((f) => path.relative(d, f).split(path.sep).join('/'))).toEqual([
      'reports/go-preflight-1/r.json',
      'reports/go-preflight-2/r.json',
    ]);
    expect((await expandGlob('reports/go-preflight-?/*.json', d)).length).toBe(2);
    expect((await expandGlob('*.json', d)).map((f) => path.basename(f))).toEqual(['a.json']);
    expect(await expandGlob('nothing/*.json', d)).toEqual([]);
  });
});

describe('the action with merge-reports', () => {
  async function runAction(workspace: string, inputs: Record<string, string>) {
    const runnerTemp = await tempDir('runner-temp');
    const summary = path.join(runnerTemp, 'summary.md');
    const output = path.join(runnerTemp, 'output.txt');
    await fs.writeFile(summary, '');
    await fs.writeFile(output, '');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
    Object.assign(env, { GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: runnerTemp, INPUT_CACHE: 'false' });
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], { cwd: workspace, env, encoding: 'utf8' });
    const outputs: Record<string, string> = {};
    for (const m of (await fs.readFile(output, 'utf8')).matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
    return { status: r.status, stdout: r.stdout, summary: await fs.readFile(summary, 'utf8'), outputs };
  }

  it('merges the downloaded shard reports into one set of annotations, summary and outputs', async () => {
    const ws = await tempDir('gp-ws');
    const bad = { severity: 'error' as const, message: 'the module cache copy of example.com/x@v1.0.0 has been modified', file: 'svc/go.mod', line: 5, module: 'svc' };
    await writeFiles(ws, {
      'reports/go-preflight-1/go-preflight-1.json': renderJson(shardReport(1, 2, 'linux', [])),
      'reports/go-preflight-2/go-preflight-2.json': renderJson(shardReport(2, 2, 'darwin', [bad])),
    });
    const r = await runAction(ws, { 'merge-reports': 'reports/**/*.json' });
    expect(r.status).toBe(1);
    expect(r.outputs.conclusion).toBe('failure');
    expect(r.outputs['failed-checks']).toBe('mod-verify');
    expect(r.stdout).toMatch(/^::error title=go-preflight%3A mod-verify,file=svc\/go\.mod,line=5/m);
    expect(r.summary).toContain('mod-verify');
    const merged = JSON.parse(await fs.readFile(r.outputs['report-file']!, 'utf8')) as Report;
    expect(merged.checks.find((c) => c.id === 'toolchain')!.status).toBe('pass');
    expect(merged.checks.find((c) => c.id === 'mod-verify')!.notes).toEqual([
      'shard 1/2 ran on a linux/amd64 runner (go1.26.8)',
      'shard 2/2 ran on a darwin/amd64 runner (go1.26.8)',
    ]);
  });

  it('fails the step with one line when a shard report is missing', async () => {
    const ws = await tempDir('gp-ws');
    await writeFiles(ws, { 'reports/s1.json': renderJson(shardReport(1, 3, 'linux', [])), 'reports/s3.json': renderJson(shardReport(3, 3, 'linux', [])) });
    const r = await runAction(ws, { 'merge-reports': 'reports/*.json' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::go-preflight: shard 2\/3 missing: got 1\/3, 3\/3 \(s1\.json, s3\.json\)/m);
    expect(r.outputs.conclusion).toBe('failure');
  });
});
