// An environment that makes every go command fail is one go-env finding, not nine errors: an
// unknown GOEXPERIMENT (go exits 2 at start-up, `go env` included) and a GOFLAGS go cannot parse.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { ALL_CHECKS } from '../../src/checks/index.js';
import type { Check, Report } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { promises as fs } from 'node:fs';
import { runChecksIn, testEnv } from '../helpers/run-check.js';
import { goEnvFor, oldGo, skipped, type OldGo } from './old-go.js';
import { realGo } from '../helpers/fake-go.js';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';

// Never `go build -o /dev/null`: run as root, some Go versions replace the device with the output
// file (a rename over /dev/null), which breaks every later process on the machine.
function buildOutput(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'gp-build-out-')), 'out');
}


afterAll(cleanupTempDirs);

const checks = Object.values(ALL_CHECKS).filter((c): c is Check => !!c && c.id !== 'secrets' && c.id !== 'git-clean');
const files = { 'go.mod': goMod('example.com/env', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

function goFails(dir: string, env: Record<string, string | undefined>): string {
  try {
    execFileSync('go', ['build', '-o', buildOutput(), '.'], { cwd: dir, env: testEnv(env) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? '');
  }
}

function expectOneGoEnvCause(report: Report, variable: string): void {
  const env = report.checks.find((c) => c.id === 'go-env')!;
  expect(env.status).toBe('fail');
  const errors = env.findings.filter((f) => f.severity === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toContain(variable);
  // Nothing concludes that Go is missing, nothing crashes; module and target checks wait for go-env.
  expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
  for (const id of ['targets', 'modules', 'packages', 'mod-tidy', 'mod-verify'] as const) {
    const c = report.checks.find((x) => x.id === id)!;
    expect([id, c.status, c.skipReason?.startsWith('prerequisite failed: go-env')]).toEqual([id, 'skip', true]);
  }
}

describe('an unknown GOEXPERIMENT', () => {
  let go121: OldGo | string;
  beforeAll(async () => {
    go121 = await oldGo('1.21.13');
  }, 600_000);

  it('is one go-env error naming the experiment and the Go that added it (go1.21.13, greenteagc)', async () => {
    if (skipped(go121)) return;
    const env = { ...go121.env, GOEXPERIMENT: 'greenteagc' };
    const dir = await makeRepo(files);
    expect(goFails(dir, env)).toContain('unknown GOEXPERIMENT greenteagc');
    const { report } = await runChecksIn(dir, checks, { env });
    expect(report.go.version).toBe('go1.21.13');
    expectOneGoEnvCause(report, 'GOEXPERIMENT=greenteagc');
    const f = report.checks.find((c) => c.id === 'go-env')!.findings.find((x) => x.severity === 'error')!;
    expect(f.message).toContain('greenteagc needs Go 1.25 or newer');
    expect(f.hint).toContain('loopvar'); // what go1.21.13 does know
  });

  it('suggests the experiment a typo was meant to be (the running Go)', async () => {
    const env = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, GOEXPERIMENT: 'greentea' };
    const dir = await makeRepo(files);
    expect(goFails(dir, env)).toContain('unknown GOEXPERIMENT greentea');
    const { report } = await runChecksIn(dir, checks, { env });
    expectOneGoEnvCause(report, 'GOEXPERIMENT=greentea');
    expect(report.checks.find((c) => c.id === 'go-env')!.findings[0]!.message).toContain('did you mean greenteagc?');
  });
});

describe('a GOEXPERIMENT set with go env -w', () => {
  it('is found in the go env file and named with the command that removes it', async () => {
    const envDir = await tempDir('gp-goenv');
    const file = path.join(envDir, 'env');
    await fs.writeFile(file, 'GOEXPERIMENT=greentea\nGOPRIVATE=example.com/private\n');
    const env = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, GOENV: file };
    const dir = await makeRepo(files);
    expect(goFails(dir, env)).toContain('unknown GOEXPERIMENT greentea');
    const { report } = await runChecksIn(dir, checks, { env });
    expectOneGoEnvCause(report, 'GOEXPERIMENT=greentea');
    expect(report.checks.find((c) => c.id === 'go-env')!.findings[0]!.message).toContain('go env -u GOEXPERIMENT');
  });
});

describe('other variables that make `go env` itself fail', () => {
  it.each([
    ['GOROOT', '/nonexistent-goroot', 'cannot find GOROOT directory'],
    ['GO111MODULE', 'bad', 'unknown environment setting GO111MODULE=bad'],
  ])('%s=%s is said once, in go-env, and Go is not reported missing', async (name, value, said) => {
    const env = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, [name]: value };
    const dir = await makeRepo(files);
    expect(goFails(dir, env)).toContain(said);
    const { report } = await runChecksIn(dir, checks, { env });
    expectOneGoEnvCause(report, `${name}=${value}`);
    expect(report.checks.find((c) => c.id === 'go-env')!.findings[0]!.message).toContain(said);
  });
});

describe('a GOFLAGS with an unknown flag', () => {
  it('is reported by go-env; targets and modules wait for it instead of crashing or blaming go.mod', async () => {
    const env = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, GOFLAGS: '-mod=readonly -frobnicate' };
    const dir = await makeRepo(files);
    expect(goFails(dir, env)).toContain('parsing $GOFLAGS');
    const { report } = await runChecksIn(dir, checks, { env });
    expectOneGoEnvCause(report, 'GOFLAGS');
    expect(report.checks.find((c) => c.id === 'modules')!.findings).toEqual([]);
  });
});
