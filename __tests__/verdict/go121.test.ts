// Messages that fit the Go that runs (go1.21.13 as THE go, fetched through the module proxy):
// what Go 1.21 prints for -mod=vendor in a workspace, and settings/directives it does not know.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { goEnvCheck } from '../../src/checks/go-env.js';
import { modulesCheck } from '../../src/checks/modules.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { runCheck, testEnv } from '../helpers/run-check.js';
import { realGo } from '../helpers/fake-go.js';
import { goEnvFor, oldGo, skipped, type OldGo } from './old-go.js';
import os from 'node:os';
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
}, 600_000);

const main = 'package main\n\nfunc main() {}\n';

function goStderr(dir: string, env: Record<string, string | undefined>, ...args: string[]): string {
  try {
    execFileSync('go', args, { cwd: dir, env: testEnv(env) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? '');
  }
}

describe('go1.21.13', () => {
  it('quotes what Go 1.21 prints for GOFLAGS=-mod=vendor in a workspace, and does not offer go work vendor', async () => {
    if (skipped(go121)) return;
    const env = { ...go121.env, GOFLAGS: '-mod=vendor', GOWORK: undefined };
    const dir = await makeRepo({ 'go.work': 'go 1.21\n\nuse ./app\n', 'app/go.mod': goMod('example.com/app', '1.21'), 'app/main.go': main });
    const said = goStderr(path.join(dir, 'app'), env, 'list', '.');
    expect(said).toContain('-mod may only be set to readonly when in workspace mode, but it is set to "vendor"');
    const { result } = await runCheck(goEnvCheck, dir, { env });
    const f = result.findings.find((x) => x.ruleId === 'goflags-mod-workspace')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('-mod may only be set to readonly when in workspace mode, but it is set to "vendor"');
    expect(f.hint).toContain('needs Go 1.22');
    expect(result.findings.some((x) => /run `go work vendor`/.test(x.hint ?? ''))).toBe(false);
  });

  it('warns about GOARM64 and GOAUTH, which Go 1.21 ignores, naming the Go that added them', async () => {
    if (skipped(go121)) return;
    const dir = await makeRepo({ 'go.mod': goMod('example.com/arm', '1.21'), 'main.go': main });
    const extra = { GOARM64: 'v8.2', GOAUTH: 'netrc' };
    const { result } = await runCheck(goEnvCheck, dir, { env: { ...go121.env, ...extra } });
    const warned = result.findings.filter((x) => x.ruleId === 'goenv-too-new');
    expect(warned.map((x) => x.message.split(' is set')[0])).toEqual(['GOARM64=v8.2', 'GOAUTH=netrc']);
    expect(warned[0]!.message).toContain('added in Go 1.23');
    expect(warned[1]!.message).toContain('added in Go 1.24');
    // The running Go knows both: nothing to say.
    const now = await runCheck(goEnvCheck, dir, { env: { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, ...extra } });
    expect(now.result.findings.filter((x) => x.ruleId === 'goenv-too-new')).toEqual([]);
  });

  it('names the Go that added a godebug directive that Go 1.21 cannot parse', async () => {
    if (skipped(go121)) return;
    const dir = await makeRepo({ 'go.mod': 'module example.com/gd\n\ngo 1.21\n\ngodebug default=go1.21\n', 'main.go': main });
    expect(goStderr(dir, go121.env, 'build', '-o', buildOutput(), '.')).toContain('unknown directive: godebug');
    const { result } = await runCheck(modulesCheck, dir, { env: go121.env });
    const f = result.findings.find((x) => x.ruleId === 'gomod-parse')!;
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 5 });
    expect(f.hint).toContain('The godebug directive needs Go 1.23 or newer and this build runs go1.21.13');
  });
});
