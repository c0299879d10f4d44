// The runner owns what checks must not: timing, status, levels and mode, fail-fast, timeouts,
// prerequisites, and turning a crash into an `error` status instead of a dead run.

import { isUnsafeReadError } from './safe-read.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGoRunner, type GoRunner } from './go.js';
import { CheckIncompleteError, getErrorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { findExecutable, runProcess, type ProcessRunner } from './process.js';
import { createProbe, type Probe } from './probe.js';
import { parseJsonStream } from './json-stream.js';
import { formatShard, modulesOfShard, REPO_WIDE_CHECKS } from './shard.js';
import { createWorkClock } from './work-clock.js';
import {
  CHECK_IDS,
  formatTarget,
  type Check,
  type CheckContext,
  type CheckId,
  type CheckOutcome,
  type CheckResult,
  type CiFacts,
  type Conclusion,
  type Finding,
  type Need,
  type Report,
  type Settings,
  type Status,
  type Target,
} from './types.js';

export interface RunDeps {
  exec?: ProcessRunner;
  env?: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  ci?: CiFacts;
  /** Called when a check starts and ends (the CLI's live progress line). */
  onCheckStart?: (id: CheckId, title: string) => void;
  onCheckEnd?: (result: CheckResult) => void;
  /** Cancels the whole run. */
  signal?: AbortSignal;
}

export interface DistPort {
  GOOS: string;
  GOARCH: string;
  CgoSupported: boolean;
  FirstClass: boolean;
  Broken?: boolean;
}

/** `go tool dist list -json -broken` through the shared runner (one process per run). */
export async function distList(go: GoRunner, signal?: AbortSignal, cwd?: string): Promise<DistPort[] | undefined> {
  // In a module directory: when GOTOOLCHAIN switches, the ports are those of the Go the build runs.
  const r = await go.run(['tool', 'dist', 'list', '-json', '-broken'], { signal, timeoutMs: 60_000, ...(cwd ? { cwd } : {}) });
  if (r.code !== 0) return undefined;
  const parsed = parseJsonStream<DistPort[]>(r.stdout).values[0];
  return Array.isArray(parsed) ? parsed : undefined;
}

const NEED_TEXT: Record<Need, string> = {
  go: 'go',
  module: 'module',
  git: 'git',
  env: 'env',
  loadable: 'loadable',
};

/** Decide whether a need is met; returns the skip/error reason when not. */
function unmetNeed(need: Need, probe: Probe): { status: Status; reason: string } | undefined {
  switch (need) {
    case 'go':
      return probe.go.available ? undefined : { status: 'error', reason: probe.go.error ?? '`go` is not usable' };
    case 'module':
      return probe.modules.length > 0 ? undefined : { status: 'skip', reason: 'not applicable: no go.mod in the directory' };
    case 'git':
      if (probe.git.isRepo) return undefined;
      // Only "not a git repository" is not applicable; a git that failed could not look.
      return probe.git.error ? { status: 'error', reason: probe.git.error } : { status: 'skip', reason: 'not applicable: not a git repository' };
    case 'env':
      return probe.envError ? { status: 'skip', reason: `prerequisite failed: go-env (${probe.envError.reason})` } : undefined;
    case 'loadable':
      if (probe.envError) return { status: 'skip', reason: `prerequisite failed: go-env (${probe.envError.reason})` };
      return probe.loadable.ok ? undefined : { status: 'skip', reason: `prerequisite failed: ${probe.loadable.reason ?? 'go cannot load the modules'}` };
  }
  void NEED_TEXT;
  return undefined;
}

/** Apply the check's level and the run's mode to a finding's severity. */
function downgrade(f: Finding, downgradeErrors: boolean): Finding {
  return downgradeErrors && f.severity === 'error' ? { ...f, severity: 'warning', downgraded: true } : f;
}

export function statusOf(findings: readonly Finding[]): Status {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

/** The run's conclusion; `onError: 'warn'` counts a check that could not complete as a warning. */
export function conclusionOf(checks: readonly CheckResult[], onError: 'fail' | 'warn' = 'fail'): Conclusion {
  if (checks.some((c) => c.status === 'fail' || (c.status === 'error' && onError === 'fail'))) return 'failure';
  if (checks.some((c) => c.status === 'warn' || c.status === 'error')) return 'warning';
  return 'success';
}

const SEVERITY_ORDER = { error: 0, warning: 1, notice: 2 } as const;

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

export interface PreparedRun {
  probe: Probe;
  go: GoRunner;
  exec: ProcessRunner;
  env: Readonly<Record<string, string | undefined>>;
}

/** Find go, build the shared runner and the probe. */
export async function prepareRun(settings: Settings, deps: Pick<RunDeps, 'exec' | 'env' | 'signal'>): Promise<PreparedRun> {
  const exec = deps.exec ?? runProcess;
  const env = deps.env ?? process.env;
  const bin = await findExecutable('go', env);
  const go = createGoRunner({ bin, exec, baseEnv: env, concurrency: Math.max(2, os.cpus().length) });
  const probe = await createProbe({ dir: settings.dir, go, exec, env, signal: deps.signal });
  return { probe, go, exec, env };
}

export async function runChecks(
  settings: Settings,
  checks: Partial<Record<CheckId, Check>>,
  deps: RunDeps,
  prepared?: PreparedRun,
): Promise<Report> {
  const started = Date.now();
  const { probe, go, exec, env } = prepared ?? (await prepareRun(settings, deps));
  const tempDirs: string[] = [];

  let validTargetsP: Promise<Target[]> | undefined;
  const validTargets = () =>
    (validTargetsP ??= (async () => {
      const ports = await distList(go, deps.signal, probe.modules[0]?.dir);
      if (!ports) return settings.targets;
      return settings.targets.filter((t) => ports.some((p) => p.GOOS === t.goos && p.GOARCH === t.goarch));
    })());

  const results = new Map<CheckId, CheckResult>();
  let failFastBy: CheckId | undefined;

  // Sharded: module-level checks see only this shard's modules (one probe object, so the checks'
  // per-probe caches stay shared); repo-wide checks run in shard 1 with every module.
  const shard = settings.shard && settings.shard.count > 1 ? settings.shard : undefined;
  const shardProbe: Probe = shard ? { ...probe, modules: await modulesOfShard(probe.modules, shard), allModules: probe.modules } : probe;

  const finish = (r: CheckResult) => {
    results.set(r.id, r);
    deps.onCheckEnd?.(r);
    if (settings.failFast && !failFastBy && (r.status === 'fail' || r.status === 'error')) failFastBy = r.id;
  };

  const runOne = async (id: CheckId): Promise<void> => {
    const check = checks[id];
    const cs = settings.checks[id];
    const title = check?.title ?? id;
    const skip = (reason: string, status: Status = 'skip') => finish({ id, title, status, skipReason: reason, durationMs: 0, findings: [] });
    if (cs.level === 'off') return skip(cs.offReason ?? 'disabled in the configuration');
    if (!check) return skip('not implemented yet');
    if (failFastBy) return skip(`fail-fast: ${failFastBy} failed`);
    const repoWide = REPO_WIDE_CHECKS.has(id);
    if (shard && repoWide && shard.index !== 1) return skip(`runs in shard 1/${shard.count}`);
    const checkProbe = repoWide ? probe : shardProbe;
    for (const need of check.needs) {
      if (need === 'module' && shard && probe.modules.length > 0 && checkProbe.modules.length === 0) {
        return skip(`not applicable: no module in shard ${formatShard(shard)}`);
      }
      const unmet = unmetNeed(need, probe);
      if (unmet) return skip(unmet.reason, unmet.status);
    }

    deps.onCheckStart?.(id, title);
    const t0 = Date.now();
    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    deps.signal?.addEventListener('abort', onRunAbort, { once: true });
    // What the check finished before a timeout: its published findings and units of work.
    const partial: Finding[] = [];
    const planned: string[] = [];
    const done = new Set<string>();
    let rejectTimeout: (e: Error) => void = () => {};
    const timeout = new Promise<never>((_, reject) => {
      rejectTimeout = reject;
    });
    // The timeout counts the check's own work only, not time queued for a `go` process slot.
    const clock = createWorkClock(cs.timeoutMs, () => {
      controller.abort();
      rejectTimeout(new TimeoutError(cs.timeoutMs, id));
    });
    const ctx: CheckContext = {
      dir: settings.dir,
      settings,
      options: cs.options,
      probe: checkProbe,
      go: go.withMeter(clock),
      progress: {
        plan: (units) => {
          for (const u of units) if (!planned.includes(u)) planned.push(u);
        },
        add: (findings, unitDone) => {
          partial.push(...findings);
          if (unitDone !== undefined) done.add(unitDone);
        },
      },
      exec,
      logger: deps.logger,
      signal: controller.signal,
      validTargets,
      env,
      ci: deps.ci ?? {},
      tempDir: async (prefix: string) => {
        const d = await fs.mkdtemp(path.join(os.tmpdir(), `go-preflight-${prefix.replace(/[^\w-]/g, '')}-`));
        tempDirs.push(d);
        return d;
      },
    };
    const downgradeErrors = cs.level === 'warn' || settings.mode === 'warn';
    try {
      const outcome: CheckOutcome = await Promise.race([check.run(ctx), timeout]);
      const findings = sortFindings(outcome.findings.map((f) => downgrade(f, downgradeErrors)));
      // A level of warn in the config hides each error as a warning: list them as suppressed.
      const suppressed = [...(outcome.suppressed ?? [])];
      if (cs.level === 'warn') {
        for (const f of outcome.findings) {
          if (f.severity !== 'error') continue;
          suppressed.push({ ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}), ...(f.ruleId ? { ruleId: f.ruleId } : {}), by: 'level: warn', ...(f.commit ? { commit: f.commit } : {}) });
        }
      }
      const status: Status = outcome.skipReason && findings.length === 0 ? 'skip' : statusOf(findings);
      finish({
        id,
        title,
        status,
        ...(status === 'skip' ? { skipReason: outcome.skipReason } : {}),
        durationMs: Date.now() - t0,
        findings,
        ...(outcome.details ? { details: outcome.details } : {}),
        ...(outcome.notes?.length ? { notes: outcome.notes } : {}),
        ...(suppressed.length ? { suppressed } : {}),
      });
    } catch (e) {
      // A tool that failed, a file that could not be read, or a repository file refused by
      // safe-read.ts is the reason itself, not a crash.
      const known = e instanceof TimeoutError || e instanceof CheckIncompleteError || (e instanceof Error && e.name === 'ToolFailure');
      let reason = known ? (e as Error).message : isUnsafeReadError(e) ? `could not look: ${e.message}` : `the check crashed: ${getErrorMessage(e)}`;
      if (!known) deps.logger.debug(`${id}: ${e instanceof Error && e.stack ? e.stack : reason}`);
      if (e instanceof TimeoutError && planned.length > 0) reason += `; ${describeProgress(planned, done)}`;
      // A timed-out check still reports what it finished.
      const findings = e instanceof TimeoutError ? sortFindings(partial.map((f) => downgrade(f, downgradeErrors))) : [];
      finish({ id, title, status: 'error', skipReason: reason, durationMs: Date.now() - t0, findings });
    } finally {
      clock.stop();
      deps.signal?.removeEventListener('abort', onRunAbort);
    }
  };

  try {
    if (settings.failFast) {
      // Fail-fast is only meaningful in a fixed order: run one check at a time, table order.
      for (const id of CHECK_IDS) await runOne(id);
    } else {
      await Promise.all(CHECK_IDS.map((id) => runOne(id)));
    }
  } finally {
    await Promise.all(tempDirs.map((d) => fs.rm(d, { recursive: true, force: true }).catch(() => {})));
  }

  const ordered = CHECK_IDS.map((id) => results.get(id)!);
  return {
    schemaVersion: 1,
    conclusion: conclusionOf(ordered, settings.onError),
    dir: settings.dir,
    go: { version: probe.go.version, goos: probe.host.goos, goarch: probe.host.goarch },
    targets: settings.targets.map(formatTarget),
    durationMs: Date.now() - started,
    checks: ordered,
    runner: runnerPlatform(),
    modules: probe.modules.map((m) => m.relDir),
    ...(settings.shard ? { shard: { ...settings.shard } } : {}),
  };
}

/** `finished 37 of 99 modules; not finished: a, b, c and 59 more`. */
export function describeProgress(planned: readonly string[], done: ReadonlySet<string>): string {
  const left = planned.filter((u) => !done.has(u));
  const n = planned.length;
  const head = `finished ${n - left.length} of ${n} module${n === 1 ? '' : 's'}`;
  if (left.length === 0) return head;
  const shown = left.slice(0, 5).join(', ');
  return `${head}; not finished: ${shown}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`;
}

/** This machine's OS and architecture, named as Go names them (a merged report says which runner ran what). */
export function runnerPlatform(): { os: string; arch: string } {
  const os = process.platform === 'win32' ? 'windows' : process.platform === 'sunos' ? 'solaris' : process.platform;
  const archs: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
  return { os, arch: archs[process.arch] ?? process.arch };
}

export class TimeoutError extends Error {
  constructor(ms: number, id?: string) {
    super(`timed out after ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} (raise checks.${id ?? '<id>'}.timeout in the config)`);
    this.name = 'TimeoutError';
  }
}
