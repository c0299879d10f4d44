// Run checks through the real runner and probe, against a real directory, with the real `go`.

import { defaultSettings } from '../../src/core/config.js';
import { createRecordingLogger, type RecordingLogger } from '../../src/core/logger.js';
import { prepareRun, runChecks } from '../../src/core/runner.js';
import type { ProcessRunner } from '../../src/core/process.js';
import { CHECK_IDS, type Check, type CheckId, type CheckResult, type CiFacts, type Report, type Settings, type Target } from '../../src/core/types.js';

export interface RunCheckOptions {
  targets?: Target[];
  /** Options of the check under test (`checks.<id>.*`). */
  options?: Record<string, unknown>;
  /** Extra environment variables (undefined removes one) on top of process.env. */
  env?: Record<string, string | undefined>;
  settings?: Partial<Settings>;
  exec?: ProcessRunner;
  ci?: CiFacts;
  timeoutMs?: number;
}

export interface RunCheckResult {
  result: CheckResult;
  report: Report;
  logger: RecordingLogger;
}

export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Run several checks (the others off) and return the report. */
export async function runChecksIn(dir: string, checks: Check[], opts: RunCheckOptions = {}): Promise<{ report: Report; logger: RecordingLogger }> {
  const settings = defaultSettings(dir, opts.settings);
  const enabled = new Set<CheckId>(checks.map((c) => c.id));
  for (const id of CHECK_IDS) {
    if (!enabled.has(id)) settings.checks[id].level = 'off';
    if (opts.timeoutMs) settings.checks[id].timeoutMs = opts.timeoutMs;
  }
  for (const c of checks) settings.checks[c.id].options = { ...(opts.options ?? {}) };
  const logger = createRecordingLogger();
  const env = testEnv(opts.env);
  const prepared = await prepareRun(settings, { exec: opts.exec, env });
  settings.targets = opts.targets ?? [prepared.probe.host];
  settings.targetsExplicit = !!opts.targets;
  const registry: Partial<Record<CheckId, Check>> = {};
  for (const c of checks) registry[c.id] = c;
  const report = await runChecks(settings, registry, { logger, exec: opts.exec, env, ci: opts.ci }, prepared);
  return { report, logger };
}

/** Run one check against dir and return its result. */
export async function runCheck(check: Check, dir: string, opts: RunCheckOptions = {}): Promise<RunCheckResult> {
  const { report, logger } = await runChecksIn(dir, [check], opts);
  const result = report.checks.find((c) => c.id === check.id)!;
  return { result, report, logger };
}
