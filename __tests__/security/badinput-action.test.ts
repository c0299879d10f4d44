// The action's bad inputs and the runner's files it cannot write: one clear line each, never a
// stack trace, and a summary that cannot be written never fails a passing run. Run as the runner
// runs it (dist/index.js with INPUT_* variables).
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = process.env.GP_TEST_DIST ?? path.join(root, 'dist');
const healthy = { 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

async function runAction(workspace: string, inputs: Record<string, string>, files: { summary?: string; output?: string } = {}) {
  const runnerTemp = await tempDir('runner-temp');
  const summary = files.summary ?? path.join(runnerTemp, 'summary.md');
  const output = files.output ?? path.join(runnerTemp, 'output.txt');
  if (!files.summary) await fs.writeFile(summary, '');
  if (!files.output) await fs.writeFile(output, '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  Object.assign(env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: runnerTemp,
    INPUT_CACHE: 'false',
  });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [path.join(dist, 'index.js')], { cwd: workspace, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Workflow-command lines of a level (`::error::…`, `::warning::…`). */
function commands(stdout: string, level: 'error' | 'warning'): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(`::${level}`));
}

function expectNoStack(r: { stdout: string; stderr: string }): void {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/internal error|\n\s+at [\w.<]+ \(|%0A\s+at /);
}

describe.each(existsSync(path.join(dist, 'index.js')) ? ['index.js'] : [])('the action (dist/%s)', () => {
  it('checks that name nothing, or skip everything: one error line', async () => {
    const ws = await makeRepo(healthy);
    for (const [inputs, line] of [
      [{ checks: ',' }, '::error::go-preflight: input checks: names no check: give check ids (e.g. toolchain,secrets), or leave it out to run them all'],
      [{ skip: 'toolchain,go-env,mod-verify,mod-tidy,vendor,modules,git-clean,targets,packages,cgo,secrets' }, '::error::go-preflight: input skip: leaves no check to run: skip fewer checks'],
    ] as const) {
      const r = await runAction(ws, inputs);
      expect(commands(r.stdout, 'error')).toEqual([line]);
      expect(r.status).toBe(1);
      expectNoStack(r);
    }
  });

  it('a config input that is a directory: one error line naming it', async () => {
    const ws = await makeRepo(healthy);
    await fs.mkdir(path.join(ws, 'cfg'));
    const r = await runAction(ws, { checks: 'toolchain', config: 'cfg' });
    expect(commands(r.stdout, 'error')).toEqual(['::error::go-preflight: cfg: the config file is a directory, not a regular file: not read']);
    expect(r.status).toBe(1);
    expectNoStack(r);
  });

  it('a summary that cannot be written is a warning, and the passing run still passes', async () => {
    const ws = await makeRepo(healthy);
    const notAFile = await tempDir('summary-dir');
    const r = await runAction(ws, { checks: 'toolchain' }, { summary: notAFile });
    expect(commands(r.stdout, 'warning')).toEqual([
      '::warning title=go-preflight::go-preflight: the job summary could not be written to GITHUB_STEP_SUMMARY (it is a directory (EISDIR)); the report is in the log above',
    ]);
    expect(commands(r.stdout, 'error')).toEqual([]);
    expect(r.status).toBe(0);
    expectNoStack(r);
  });

  it('GITHUB_OUTPUT on a full disk, and a report-file that is a directory: one error line each', async () => {
    const ws = await makeRepo(healthy);
    if (existsSync('/dev/full')) {
      const r = await runAction(ws, { checks: 'toolchain' }, { output: '/dev/full' });
      expect(commands(r.stdout, 'error')).toEqual(['::error::go-preflight: the step outputs could not be written to GITHUB_OUTPUT (no space left on the device (ENOSPC))']);
      expect(r.status).toBe(1);
      expectNoStack(r);
    }
    const dir = await tempDir('report-dir');
    const r2 = await runAction(ws, { checks: 'toolchain', 'report-file': dir });
    expect(commands(r2.stdout, 'error')).toEqual([`::error::go-preflight: input report-file: cannot write ${dir}: it is a directory (EISDIR)`]);
    expect(r2.status).toBe(1);
    expectNoStack(r2);
  });
});
