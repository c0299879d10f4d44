// GOTOOLCHAIN=auto with a go line newer than the running Go: the build switches toolchains (go
// downloads the one go.mod asks for), so the preflight must judge what that toolchain will do, or
// fail with the reason the switch cannot happen. The running Go here is go1.21.13 (fetched through
// the module proxy); go.mod asks for go1.22.12, which the proxy serves, or go1.99.0, which it does not.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { toolchainCheck } from '../../src/checks/toolchain.js';
import { packagesCheck } from '../../src/checks/packages.js';
import { modTidyCheck } from '../../src/checks/mod-tidy.js';
import { targetsCheck } from '../../src/checks/targets.js';
import { cleanupTempDirs, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runChecksIn, testEnv } from '../helpers/run-check.js';
import { oldGo, skipped, type OldGo } from './old-go.js';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';

// Never `go build -o /dev/null`: run as root, some Go versions replace the device with the output
// file (a rename over /dev/null), which breaks every later process on the machine.
function buildOutput(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'gp-build-out-')), 'out');
}


afterAll(cleanupTempDirs);

let go121: OldGo | string;
beforeAll(async () => {
  go121 = await oldGo('1.21.13');
  // The toolchain go.mod asks for, fetched into the same shared module cache that the tests use
  // as GOMODCACHE: go's own switch then finds it there, and without the proxy the tests skip.
  const go122 = await oldGo('1.22.12');
  if (typeof go122 === 'string') go121 = go122;
}, 900_000);

const mainGo = 'package main\n\nimport "rsc.io/quote"\n\nfunc main() { println(quote.Hello()) }\n';
// A dependency without its go.sum entries: `go build` fails with "missing go.sum entry".
const goModWith = (goLine: string) => `module example.com/sw\n\ngo ${goLine}\n\nrequire rsc.io/quote v1.5.2\n`;

function realBuild(dir: string, env: Record<string, string | undefined>): { ok: boolean; stderr: string } {
  try {
    execFileSync('go', ['build', '-o', buildOutput(), '.'], { cwd: dir, env: testEnv(env) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stderr: '' };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: Buffer }).stderr ?? '') };
  }
}

describe('GOTOOLCHAIN=auto with a newer go line (go1.21.13 is THE go)', () => {
  it('runs the module checks with the toolchain the build switches to, and fails what that build fails', async () => {
    if (skipped(go121)) return;
    const env = go121.env; // GOTOOLCHAIN unset: the toolchain's own go.env says auto
    const dir = await makeRepo({ 'go.mod': goModWith('1.22.12'), 'main.go': mainGo });
    const before = await snapshotTree(dir);
    const build = realBuild(dir, env);
    expect(build.ok).toBe(false);
    expect(build.stderr).toContain('missing go.sum entry');

    const { report } = await runChecksIn(dir, [toolchainCheck, packagesCheck, modTidyCheck, targetsCheck], { env });
    expect(report.go.version).toBe('go1.21.13');
    const tc = report.checks.find((c) => c.id === 'toolchain')!;
    expect(tc.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(tc.notes?.join('\n')).toMatch(/switches from go1\.21\.13 to go1\.22\.12/);
    const pk = report.checks.find((c) => c.id === 'packages')!;
    expect(pk.status).toBe('fail');
    expect(JSON.stringify(pk.findings)).toContain('go.sum');
    // targets asks the Go the build runs.
    expect(report.checks.find((c) => c.id === 'targets')!.notes?.join('\n')).toContain('go1.22.12');
    expect(report.conclusion).toBe('failure');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('fails with the cause when the toolchain go.mod asks for cannot be had (go 1.99.0)', async () => {
    if (skipped(go121)) return;
    const env = go121.env;
    const dir = await makeRepo({ 'go.mod': 'module example.com/typo\n\n// a typo for 1.9\ngo 1.99.0\n', 'main.go': 'package main\n\nfunc main() {}\n' });
    expect(realBuild(dir, env).ok).toBe(false);
    const { report } = await runChecksIn(dir, [toolchainCheck, packagesCheck], { env });
    const tc = report.checks.find((c) => c.id === 'toolchain')!;
    expect(tc.status).toBe('fail');
    const f = tc.findings.find((x) => x.ruleId === 'toolchain-unavailable')!;
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 4 });
    expect(f.message).toContain('go1.99.0');
    expect(f.message).toMatch(/not available/);
    expect(f.hint).toContain('typo');
    const pk = report.checks.find((c) => c.id === 'packages')!;
    expect(pk.status).toBe('skip');
    expect(pk.skipReason).toMatch(/^prerequisite failed: toolchain/);
    expect(report.conclusion).toBe('failure');
  });

  it('keeps "the running Go is too old" with GOTOOLCHAIN=local', async () => {
    if (skipped(go121)) return;
    const env = { ...go121.env, GOTOOLCHAIN: 'local' };
    const dir = await makeRepo({ 'go.mod': goModWith('1.22.12'), 'main.go': mainGo });
    const build = realBuild(dir, env);
    expect(build.stderr).toContain('requires go >= 1.22.12');
    const { report } = await runChecksIn(dir, [toolchainCheck, packagesCheck], { env });
    const tc = report.checks.find((c) => c.id === 'toolchain')!;
    expect(tc.status).toBe('fail');
    expect(tc.findings[0]!.message).toContain('requires go >= 1.22.12 but the running Go is go1.21.13');
    expect(report.checks.find((c) => c.id === 'packages')!.status).toBe('skip');
  });
});
