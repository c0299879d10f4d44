// The action end to end: dist/index.js run as the runner runs it, with INPUT_* variables and the
// runner's files. Only this outermost test touches the action's environment.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { githubToken } from '../secrets/helpers.js';
import { sarifSchemaErrors } from '../helpers/sarif.js';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function runAction(workspace: string, inputs: Record<string, string>) {
  const runnerTemp = await tempDir('runner-temp');
  const summary = path.join(runnerTemp, 'summary.md');
  const output = path.join(runnerTemp, 'output.txt');
  await fs.writeFile(summary, '');
  await fs.writeFile(output, '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  Object.assign(env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/widget',
    GITHUB_SHA: 'abc123',
    RUNNER_TEMP: runnerTemp,
    INPUT_CACHE: 'false',
  });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], { cwd: workspace, env, encoding: 'utf8' });
  const outputs: Record<string, string> = {};
  const text = await fs.readFile(output, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, summary: await fs.readFile(summary, 'utf8'), outputs, runnerTemp };
}

describe('the action (dist/index.js)', () => {
  it('annotates, summarises, writes outputs and the report, and fails the step on failure', async () => {
    const ws = await makeRepo({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n', '.go-version': '1.10.1\n' });
    await fs.writeFile(path.join(ws, 'stray.txt'), 'left by a build step');
    const before = await snapshotTree(ws);
    const r = await runAction(ws, { checks: 'toolchain,git-clean', 'sarif-file': 'out/go-preflight.sarif' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error title=go-preflight%3A toolchain,file=\.go-version,line=1,col=1::\.go-version asks for Go 1\.10\.1/m);
    expect(r.stdout).toMatch(/^::error title=go-preflight%3A git-clean,file=stray\.txt::stray\.txt is untracked/m);
    expect(r.outputs.conclusion).toBe('failure');
    expect(r.outputs['failed-checks']).toBe('toolchain,git-clean');
    expect(r.outputs['warned-checks']).toBe('');
    const report = JSON.parse(await fs.readFile(r.outputs['report-file']!, 'utf8'));
    expect(report.conclusion).toBe('failure');
    expect(r.outputs['report-file']!.startsWith(r.runnerTemp)).toBe(true);
    const sarif = JSON.parse(await fs.readFile(path.join(ws, 'out', 'go-preflight.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(r.summary).toContain('toolchain');
    expect(r.summary).toContain('https://github.com/acme/widget/blob/abc123/.go-version#L1');
    // Only the SARIF file we were asked to write is new in the workspace.
    const after = await snapshotTree(ws);
    after.delete(path.join('out', 'go-preflight.sarif'));
    expect(after).toEqual(before);
  });

  it('never fails the step in warn mode, and reports findings as warnings', async () => {
    const ws = await makeRepo({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n', '.go-version': '1.10.1\n' });
    const r = await runAction(ws, { checks: 'toolchain', mode: 'warn', summary: 'false' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^::warning title=go-preflight%3A toolchain \(would fail\),file=\.go-version/m);
    expect(r.outputs.conclusion).toBe('warning');
    expect(r.summary).toBe('');
  });

  it('fails with one clear line on a bad input', async () => {
    const ws = await makeRepo({ 'go.mod': goMod('example.com/act', '1.21') });
    const r = await runAction(ws, { checks: 'toolchain,nope' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::go-preflight: input checks: unknown check id "nope"');
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it('inspects working-directory and prefixes annotation paths with it', async () => {
    const ws = await makeRepo({ 'svc/go.mod': goMod('example.com/svc', '1.21'), 'svc/main.go': 'package main\n\nfunc main() {}\n', 'svc/.go-version': '1.10.1\n' });
    const r = await runAction(ws, { 'working-directory': 'svc', checks: 'toolchain', annotations: 'true' });
    expect(r.stdout).toMatch(/^::error title=go-preflight%3A toolchain,file=svc\/\.go-version,line=1/m);
  });

  it('masks every found secret with add-mask and shows it nowhere else: log, annotations, summary, report, SARIF', async () => {
    const token = githubToken();
    const ws = await makeRepo({ 'go.mod': goMod('example.com/act', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n', 'deploy.go': `package main\n\nconst deployToken = "${token}"\n` });
    const r = await runAction(ws, { checks: 'secrets', 'sarif-file': 'out/s.sarif' });
    expect(r.status).toBe(1);
    // The runner hides a value registered with ::add-mask:: everywhere in the job's log.
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes(token))).toEqual([`::add-mask::${token}`]);
    expect(r.stdout).toMatch(/^::error title=go-preflight%3A secrets,file=deploy\.go,line=3/m);
    expect(r.stderr).not.toContain(token);
    expect(r.summary).toContain('deploy.go');
    expect(r.summary).not.toContain(token);
    expect(await fs.readFile(r.outputs['report-file']!, 'utf8')).not.toContain(token);
    const sarifText = await fs.readFile(path.join(ws, 'out', 's.sarif'), 'utf8');
    expect(sarifText).not.toContain(token);
    expect(sarifSchemaErrors(JSON.parse(sarifText))).toEqual([]);
    // Not even a long prefix of it: previews keep four characters.
    expect(r.stdout.replace(`::add-mask::${token}`, '')).not.toContain(token.slice(0, 8));
  });
});
