// mod-tidy's download failures against a local module proxy (issue 14 item 7, issue 12 item 9):
// the finding names the module that failed, a 404 is "the proxy does not serve MOD@VER", the same
// cause reported by mod-verify is said there once, and a dependency needing a newer Go points at
// the modules check.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { modTidyCheck } from '../../src/checks/mod-tidy.js';
import { modVerifyCheck } from '../../src/checks/mod-verify.js';
import { modulesCheck } from '../../src/checks/modules.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { proxyEnv, startLocalProxy, type LocalProxy } from '../helpers/local-proxy.js';
import { runCheck, runChecksIn } from '../helpers/run-check.js';

let proxy: LocalProxy;

beforeAll(async () => {
  proxy = await startLocalProxy({ gone: 410 });
  // v1.1.0 is listed with its go.mod, but the proxy has no zip for it (404).
  await proxy.publish('example.com/dep', 'v1.1.0', goMod('example.com/dep', '1.21'));
  await proxy.publish('example.com/newgo', 'v1.0.0', goMod('example.com/newgo', '1.99'), { 'pkg/pkg.go': 'package pkg\n' });
});

afterAll(async () => {
  await proxy?.close();
  await cleanupTempDirs();
});

const env = async () => proxyEnv(proxy.url, await tempDir('gp-cache'));

/** A tools module (the collector's internal/tools shape) that imports a tool from a dependency. */
const toolsRepo = (req: string, imp: string) => ({
  'go.mod': goMod('example.com/app'),
  'main.go': 'package main\n\nfunc main() {}\n',
  'internal/tools/go.mod': goMod('example.com/app/internal/tools', '1.22', `require ${req}`),
  'internal/tools/tools.go': `//go:build tools\n\npackage tools\n\nimport _ "${imp}"\n`,
});

describe('mod-tidy: download failures', () => {
  it('names the module the proxy does not serve (404), not the tools module, and never says "fix the import path"', async () => {
    const dir = await makeRepo(toolsRepo('example.com/dep v1.1.0', 'example.com/dep/cmd/gen'));
    const before = await snapshotTree(dir);
    const { result } = await runCheck(modTidyCheck, dir, { env: await env() });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f).toMatchObject({ severity: 'error', file: 'internal/tools/go.mod', line: 5, ruleId: 'tidy-error' });
    expect(f.message).toBe(
      '`go mod tidy -diff` fails in internal/tools: the proxy does not serve example.com/dep@v1.1.0 (404 Not Found) (needed for package example.com/dep/cmd/gen, imported by example.com/app/internal/tools)',
    );
    expect(f.hint).toContain('go list -m -versions example.com/dep');
    expect(f.hint).toContain('cd internal/tools && go mod tidy');
    expect(f.hint).not.toMatch(/import path|No module provides/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('says a cause mod-verify reports once: mod-tidy points at mod-verify with a notice', async () => {
    const dir = await makeRepo(toolsRepo('example.com/gone v1.0.0', 'example.com/gone/pkg'));
    const { report } = await runChecksIn(dir, [modTidyCheck, modVerifyCheck], { env: await env() });
    const verify = report.checks.find((c) => c.id === 'mod-verify')!;
    const tidy = report.checks.find((c) => c.id === 'mod-tidy')!;
    expect(verify.findings.some((f) => f.severity === 'error' && f.message.includes('example.com/gone@v1.0.0'))).toBe(true);
    expect(tidy.findings).toHaveLength(1);
    expect(tidy.findings[0]).toMatchObject({ severity: 'notice', ruleId: 'tidy-see-mod-verify', file: 'internal/tools/go.mod', line: 5 });
    expect(tidy.findings[0]!.message).toContain('the proxy does not serve example.com/gone@v1.0.0 (410 Gone)');
    expect(tidy.findings[0]!.message).toContain('the mod-verify check reports this download failure');
    expect(tidy.status).toBe('pass');

    // Without mod-verify in the run, mod-tidy is the one to say it, as an error.
    const alone = await runCheck(modTidyCheck, dir, { env: await env() });
    expect(alone.result.findings.map((f) => [f.severity, f.ruleId])).toEqual([['error', 'tidy-error']]);
  });

  it('a dependency that needs a newer Go points at the modules check, which reports it (mod-tidy and mod-verify)', async () => {
    const dir = await makeRepo(toolsRepo('example.com/newgo v1.0.0', 'example.com/newgo/pkg'));
    const e = await env();
    const { report } = await runChecksIn(dir, [modTidyCheck, modVerifyCheck], { env: e });
    const tidy = report.checks.find((c) => c.id === 'mod-tidy')!;
    const verify = report.checks.find((c) => c.id === 'mod-verify')!;
    // The modules check reads the module cache, which now holds the dependency's go.mod.
    const modules = (await runCheck(modulesCheck, dir, { env: e })).result;
    expect(modules.findings.some((f) => f.message.includes('example.com/newgo') && f.message.includes('requires go 1.99'))).toBe(true);
    const t = tidy.findings.find((f) => f.message.includes('example.com/newgo@v1.0.0'))!;
    expect(t.message).toContain('example.com/newgo@v1.0.0 requires a newer Go (requires go >= 1.99)');
    expect(t.hint).toContain('see the modules check');
    const hints = [...tidy.findings, ...verify.findings].map((f) => f.hint ?? '');
    expect(hints.some((h) => h.includes('modules check'))).toBe(true);
    expect(hints.filter((h) => h.includes('toolchain check'))).toEqual([]);
  });
});
