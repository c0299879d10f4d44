// A checkout that git refuses ("detected dubious ownership": another user owns it, as in container
// jobs) makes `go build` of a main package fail while it stamps VCS information. The test makes
// the repository belong to another user (nobody), which needs root; it is skipped with a printed
// reason otherwise.

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { goEnvCheck } from '../../src/checks/go-env.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { runCheck, testEnv } from '../helpers/run-check.js';
import { realGo } from '../helpers/fake-go.js';
import { goEnvFor } from './old-go.js';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';

// Never `go build -o /dev/null`: run as root, some Go versions replace the device with the output
// file (a rename over /dev/null), which breaks every later process on the machine.
function buildOutput(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'gp-build-out-')), 'out');
}


afterAll(cleanupTempDirs);

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// The running go, without the machine's `go env -w` file (which may set -buildvcs=false).
const baseEnv = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined };

async function foreignRepo(files: Record<string, string>): Promise<string> {
  const dir = await makeRepo(files);
  execFileSync('chown', ['-R', '65534:65534', dir]);
  return dir;
}

function build(dir: string, env: Record<string, string | undefined>): string | undefined {
  try {
    execFileSync('go', ['build', '-o', buildOutput(), '.'], { cwd: dir, env: testEnv(env) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? '');
  }
}

describe('VCS stamping in a repository git refuses', () => {
  const main = { 'go.mod': goMod('example.com/vcs', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

  it('is an error naming both fixes when the build stamps a main package', async () => {
    if (!asRoot) return void console.warn('skipped: making a repository owned by another user needs root');
    const dir = await foreignRepo(main);
    expect(build(dir, baseEnv)).toContain('error obtaining VCS status');
    const { result } = await runCheck(goEnvCheck, dir, { env: baseEnv });
    expect(result.status).toBe('fail');
    const f = result.findings.find((x) => x.ruleId === 'buildvcs-dubious-ownership')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('dubious ownership');
    expect(f.hint).toContain(`git config --global --add safe.directory ${dir}`);
    expect(f.hint).toContain('-buildvcs=false');
  });

  it('says nothing when GOFLAGS has -buildvcs=false, or when nothing is a main package', async () => {
    if (!asRoot) return void console.warn('skipped: making a repository owned by another user needs root');
    const dir = await foreignRepo(main);
    const env = { ...baseEnv, GOFLAGS: '-buildvcs=false' };
    expect(build(dir, env)).toBeUndefined();
    expect((await runCheck(goEnvCheck, dir, { env })).result.findings.filter((x) => x.ruleId === 'buildvcs-dubious-ownership')).toEqual([]);

    const lib = await foreignRepo({ 'go.mod': goMod('example.com/lib', '1.21'), 'lib.go': 'package lib\n' });
    expect(build(lib, baseEnv)).toBeUndefined();
    expect((await runCheck(goEnvCheck, lib, { env: baseEnv })).result.findings.filter((x) => x.ruleId === 'buildvcs-dubious-ownership')).toEqual([]);
  });
});
