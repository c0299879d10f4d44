// What a check left out of the run, or stopped by its timeout, says about why (issue 14 item 8).

import { afterAll, describe, expect, it } from '@jest/globals';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { resolveSettings, type Overrides } from '../../src/core/config.js';
import { createRecordingLogger } from '../../src/core/logger.js';
import { prepareRun, runChecks } from '../../src/core/runner.js';
import type { Check, CheckId, Report } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { testEnv } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const files = { 'go.mod': goMod('example.com/r'), 'main.go': 'package main\n\nfunc main() {}\n' };
const quiet: Check = { id: 'modules', title: 'Quiet', needs: [], run: async () => ({ findings: [] }) };
const hanging: Check = { id: 'mod-verify', title: 'Hangs', needs: [], run: () => new Promise(() => {}) };

async function run(dir: string, overrides: Omit<Overrides, 'source'> & { source?: Overrides['source'] }, checks: Check[], timeoutMs?: number): Promise<Report> {
  const settings = resolveSettings({ dir, overrides: { source: 'flag', ...overrides }, checks: ALL_CHECKS, warn: () => {} });
  if (timeoutMs) for (const c of checks) settings.checks[c.id].timeoutMs = timeoutMs;
  const env = testEnv();
  const prepared = await prepareRun(settings, { env });
  settings.targets = [prepared.probe.host];
  const registry: Partial<Record<CheckId, Check>> = {};
  for (const c of checks) registry[c.id] = c;
  return runChecks(settings, registry, { logger: createRecordingLogger(), env }, prepared);
}

describe('skip reasons', () => {
  it('says "not selected (--checks)" / "(--skip)" / "(checks input)" for a check the selection left out', async () => {
    const dir = await makeRepo(files);
    const byFlag = await run(dir, { checks: ['modules'] }, [quiet]);
    expect(byFlag.checks.find((c) => c.id === 'toolchain')).toMatchObject({ status: 'skip', skipReason: 'not selected (--checks)' });
    expect(byFlag.checks.find((c) => c.id === 'modules')!.status).toBe('pass');

    const skipped = await run(dir, { skip: ['toolchain'] }, [quiet]);
    expect(skipped.checks.find((c) => c.id === 'toolchain')).toMatchObject({ status: 'skip', skipReason: 'not selected (--skip)' });

    const byInput = await run(dir, { checks: ['modules'], source: 'input' }, [quiet]);
    expect(byInput.checks.find((c) => c.id === 'secrets')).toMatchObject({ status: 'skip', skipReason: 'not selected (checks input)' });
  });

  it('names the check id in the timeout message', async () => {
    const dir = await makeRepo(files);
    const report = await run(dir, { checks: ['mod-verify'] }, [hanging], 200);
    const r = report.checks.find((c) => c.id === 'mod-verify')!;
    expect(r.status).toBe('error');
    expect(r.skipReason).toContain('raise checks.mod-verify.timeout in the config');
    expect(r.skipReason).not.toContain('<id>');
  });
});
