import { afterAll, describe, expect, it } from '@jest/globals';
import { cgoCheck, tripleMatches } from '../../src/checks/cgo.js';
import { packagesCheck } from '../../src/checks/packages.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runCheck, runChecksIn } from '../helpers/run-check.js';
import { runProcess, type ProcessRunner } from '../../src/core/process.js';
import type { Target } from '../../src/core/types.js';

afterAll(cleanupTempDirs);

const t = (s: string): Target => {
  const [goos, goarch] = s.split('/');
  return { goos: goos!, goarch: goarch! };
};

// Let go decide CGO_ENABLED and CC unless a test sets them.
const GO_DEFAULTS = { CGO_ENABLED: undefined, CC: undefined, CGO_CFLAGS: undefined, CGO_LDFLAGS: undefined, PKG_CONFIG: undefined };

const NATIVE_GO = 'package native\n\n/*\nint add(int a, int b) { return a + b; }\n*/\nimport "C"\n\nfunc Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }\n';

function cgoRepo(extra: Record<string, string> = {}) {
  return makeRepo({
    'go.mod': goMod('example.com/app'),
    'cmd/app/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/app/native"\n)\n\nfunc main() { fmt.Println(native.Add(1, 2)) }\n',
    'native/native.go': NATIVE_GO,
    ...extra,
  });
}

describe('cgo', () => {
  it('passes with the native gcc and says so', async () => {
    const dir = await cgoRepo();
    const before = await snapshotTree(dir);
    const { result } = await runCheck(cgoCheck, dir, { targets: [t('linux/amd64')], env: GO_DEFAULTS });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(result.notes?.join('\n')).toMatch(/cgo is on for linux\/amd64: gcc \(x86_64[^)]*\) compiles C for it/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('fails a cross build to linux/arm64 with CGO_ENABLED=1 and no cross compiler', async () => {
    const dir = await cgoRepo();
    const before = await snapshotTree(dir);
    // CC unset: go picks the host gcc, which only builds x86_64 code.
    const host = await runCheck(cgoCheck, dir, { targets: [t('linux/arm64')], env: { ...GO_DEFAULTS, CGO_ENABLED: '1' } });
    expect(host.result.status).toBe('fail');
    expect(host.result.findings).toHaveLength(1);
    const f = host.result.findings[0]!;
    expect(f).toMatchObject({ severity: 'error', target: 'linux/arm64' });
    expect(f.message).toMatch(/^CC=gcc builds for x86_64-\S+, not for linux\/arm64, but cgo is on and example.com\/app\/native uses cgo$/);
    expect(f.hint).toContain('aarch64-linux-gnu-gcc (Debian/Ubuntu package gcc-aarch64-linux-gnu)');
    expect(f.hint).toContain('CC=aarch64-linux-gnu-gcc CGO_ENABLED=1');
    expect(f.hint).toContain('zig cc -target aarch64-linux-gnu');

    // CC names the cross compiler, which apt did not install.
    const named = await runCheck(cgoCheck, dir, { targets: [t('linux/arm64')], env: { ...GO_DEFAULTS, CGO_ENABLED: '1', CC: 'aarch64-linux-gnu-gcc' } });
    expect(named.result.status).toBe('fail');
    expect(named.result.findings[0]!.message).toContain('C compiler "aarch64-linux-gnu-gcc" (CC=aarch64-linux-gnu-gcc) not found on PATH');
    expect(named.result.findings[0]!.hint).toContain('gcc-aarch64-linux-gnu');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('fails on the #cgo line when a pkg-config package is missing', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/pc'),
      'pc.go': 'package pc\n\n/*\n#cgo CFLAGS: -O2\n#cgo pkg-config: gp-preflight-nosuch-lib\n#include <stdlib.h>\n*/\nimport "C"\n\nfunc F() { C.free(nil) }\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(cgoCheck, dir, { targets: [t('linux/amd64')], env: GO_DEFAULTS });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: 'error', file: 'pc.go', line: 5, column: 1, target: 'linux/amd64' });
    expect(result.findings[0]!.message).toBe('pkg-config cannot find package gp-preflight-nosuch-lib, needed by example.com/pc (#cgo pkg-config)');
    expect(result.findings[0]!.hint).toContain('PKG_CONFIG_PATH');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('with CGO_ENABLED=0 reports a cgo-only dependency with its import chain (and packages does not repeat it)', async () => {
    const dir = await cgoRepo();
    const before = await snapshotTree(dir);
    const started: string[][] = [];
    const exec: ProcessRunner = (cmd, args, opts) => {
      started.push([...args]);
      return runProcess(cmd, args, opts);
    };
    const { report } = await runChecksIn(dir, [cgoCheck, packagesCheck], { targets: [t('linux/amd64')], env: { ...GO_DEFAULTS, CGO_ENABLED: '0' }, exec });
    // Both checks share ONE go list and ONE go env for the module and target.
    expect(started.filter((a) => a[0] === 'list' && a.includes('-deps'))).toHaveLength(1);
    expect(started.filter((a) => a[0] === 'env' && a.includes('CGO_ENABLED'))).toHaveLength(1);
    const cgo = report.checks.find((c) => c.id === 'cgo')!;
    const packages = report.checks.find((c) => c.id === 'packages')!;
    expect(cgo.status).toBe('fail');
    expect(cgo.findings).toHaveLength(1);
    const f = cgo.findings[0]!;
    expect(f).toMatchObject({ severity: 'error', file: 'cmd/app/main.go', line: 6, column: 2, target: 'linux/amd64' });
    expect(f.message).toBe(
      'example.com/app/native needs cgo and has no pure-Go fallback, but cgo is off for linux/amd64 (CGO_ENABLED=0 is set): example.com/app/cmd/app → example.com/app/native',
    );
    expect(f.hint).toContain('CGO_ENABLED=1');
    expect(packages.status).toBe('pass');
    expect(packages.findings).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('fails when the compiler cannot compile with CGO_CFLAGS, or the sysroot is missing', async () => {
    const dir = await cgoRepo();
    const bad = await runCheck(cgoCheck, dir, { targets: [t('linux/amd64')], env: { ...GO_DEFAULTS, CGO_CFLAGS: '-O2 -include gp-preflight-nosuch.h' } });
    expect(bad.result.status).toBe('fail');
    expect(bad.result.findings).toHaveLength(1);
    expect(bad.result.findings[0]!.message).toMatch(/^CC=gcc cannot compile C for linux\/amd64: .*gp-preflight-nosuch\.h/);

    const sysroot = await runCheck(cgoCheck, dir, { targets: [t('linux/amd64')], env: { ...GO_DEFAULTS, CGO_LDFLAGS: '--sysroot=/gp-preflight/no/sysroot' } });
    expect(sysroot.result.status).toBe('fail');
    expect(sysroot.result.findings.map((f) => f.message)).toContain(
      '--sysroot points at /gp-preflight/no/sysroot, which does not exist (from CC/CGO_CFLAGS/CGO_LDFLAGS); the C compiler will not find the target\'s headers and libraries',
    );
  });

  it('passes with a note when cgo is off and nothing needs it', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/pure'),
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
    });
    const { result } = await runCheck(cgoCheck, dir, { targets: [t('linux/arm64')], env: GO_DEFAULTS });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(result.notes).toContain('cgo is off for linux/arm64; no package needs it');
  });

  it('rejects CGO_ENABLED=1 for a port without cgo', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/wasm'), 'main.go': 'package main\n\nfunc main() {}\n' });
    const { result } = await runCheck(cgoCheck, dir, { targets: [t('js/wasm')], env: { ...GO_DEFAULTS, CGO_ENABLED: '1' } });
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({ severity: 'error', target: 'js/wasm', message: 'CGO_ENABLED=1 is set for js/wasm, a port without cgo support' });
  });

  it('matches compiler triples to targets', () => {
    expect(tripleMatches('x86_64-linux-gnu', t('linux/amd64'))).toBe(true);
    expect(tripleMatches('x86_64-linux-gnu', t('linux/arm64'))).toBe(false);
    expect(tripleMatches('aarch64-linux-gnu', t('linux/arm64'))).toBe(true);
    expect(tripleMatches('x86_64-w64-mingw32', t('windows/amd64'))).toBe(true);
    expect(tripleMatches('x86_64-linux-gnu', t('windows/amd64'))).toBe(false);
    expect(tripleMatches('arm64-apple-darwin23.0.0', t('darwin/amd64'))).toBe(true);
    expect(tripleMatches('arm-linux-gnueabihf', t('linux/arm'))).toBe(true);
    expect(tripleMatches('arm-linux-gnueabihf', t('linux/arm64'))).toBe(false);
  });
});
