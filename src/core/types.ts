// The vocabulary every part of go-preflight shares. Nothing here knows of GitHub Actions.

import type { Logger } from './logger.js';
import type { ProcessRunner } from './process.js';
import type { GoRunner } from './go.js';
import type { Probe } from './probe.js';
import type { OptionSpec } from './config-spec.js';

/** Stable check ids, in the contract's table order (the report lists them in this order). */
export const CHECK_IDS = [
  'toolchain',
  'go-env',
  'mod-verify',
  'mod-tidy',
  'vendor',
  'modules',
  'git-clean',
  'targets',
  'packages',
  'cgo',
  'secrets',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(s: string): s is CheckId {
  return (CHECK_IDS as readonly string[]).includes(s);
}

export type Severity = 'error' | 'warning' | 'notice';
export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';
export type Conclusion = 'success' | 'warning' | 'failure';
/** Per-check level from the config: `error` keeps severities, `warn` downgrades errors, `off` disables. */
export type Level = 'error' | 'warn' | 'off';
export type Mode = 'fail' | 'warn';

/** A GOOS/GOARCH pair, written `goos/goarch` in reports. */
export interface Target {
  goos: string;
  goarch: string;
}

export function formatTarget(t: Target): string {
  return `${t.goos}/${t.goarch}`;
}

export interface Finding {
  severity: Severity;
  /** Names the cause, in words a tired engineer understands at once. */
  message: string;
  /** Names the fix: a command to run or an edit to make. */
  hint?: string;
  /** Relative to the inspected directory, forward slashes. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** `goos/goarch` when the finding holds for some targets only (several joined with `, `). */
  target?: string;
  /**
   * Not part of the contract's JSON: a stable id of the rule that produced the finding
   * (e.g. a secret rule id, `gomod-untidy`). Used for SARIF rule ids and fingerprints.
   */
  ruleId?: string;
  /** Not part of the JSON report: a stable fingerprint (secrets: `file:rule:line`). */
  fingerprint?: string;
  /** Last line of the region the finding is about (1-based), when known. */
  endLine?: number;
  /** Last column of that region (1-based, inclusive), when known. */
  endColumn?: number;
  /**
   * Addition to the contract: the module a module-level finding is about, as its directory
   * relative to the inspected directory (forward slashes, `.` for the root module).
   */
  module?: string;
  /** Addition to the contract: the full sha of the commit a finding was seen in (secrets in commits). */
  commit?: string;
  /**
   * Addition: the finding was an error that a `warn` level or `mode: warn` downgraded to a
   * warning; the reports say it "would fail".
   */
  downgraded?: boolean;
}

/** Addition to the contract: a finding that a suppression hid, listed per check in the report. */
export interface Suppression {
  /** The hidden finding's file and line. */
  file?: string;
  line?: number;
  /** The hidden finding's rule, when it has one. */
  ruleId?: string;
  /** What hid it: `inline comment`, `.gitleaksignore`, `allowlist`, `baseline`, `paths-ignore`, `level` ... */
  by: string;
  /** Where the suppression itself is written (`file:line`), when it is written somewhere. */
  at?: string;
  /** True when the change under inspection (the pull request's or pushed commits) added the suppression. */
  addedByChange?: boolean;
  /** The commit the hidden finding was seen in, when it was found in a commit. */
  commit?: string;
}

/** What a check returns. The runner owns the status, the timing and the policy. */
export interface CheckOutcome {
  findings: Finding[];
  /** The check did not apply (e.g. no vendor/ directory): status becomes `skip` with this reason. */
  skipReason?: string;
  /** Markdown shown in the job summary under the check (a diff, the full file list...). Never a secret. */
  details?: string;
  /** One-line notes shown in the text and summary output (e.g. "cgo is off for every target"). */
  notes?: string[];
  /** Findings that a suppression hid (see Suppression). */
  suppressed?: Suppression[];
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: Status;
  skipReason?: string;
  durationMs: number;
  findings: Finding[];
  details?: string;
  notes?: string[];
  suppressed?: Suppression[];
}

export interface Report {
  schemaVersion: 1;
  conclusion: Conclusion;
  dir: string;
  go: { version: string; goos: string; goarch: string };
  targets: string[];
  durationMs: number;
  checks: CheckResult[];
  /** Addition: the OS/arch of the machine that ran the checks (`process.platform`/`process.arch` as Go names them). */
  runner?: { os: string; arch: string };
  /** Addition: which shard of the module- and target-level work this report holds (1-based index). */
  shard?: { index: number; count: number };
  /** Addition: the modules inspected (directories relative to `dir`, forward slashes, `.` for the root). */
  modules?: string[];
}

/** Prerequisites a check declares; the runner skips (or errors) the check when one is unmet. */
export type Need =
  /** A working `go` command. Unmet: status `error` ("go not found"). */
  | 'go'
  /** At least one Go module (go.mod) in the directory. */
  | 'module'
  /** A git work tree. Unmet: `skip` ("not a git repository"). */
  | 'git'
  /**
   * A sane Go environment: no variable that makes every go command fail (unknown GOEXPERIMENT,
   * GOFLAGS that does not parse...). Unmet: `skip` with "prerequisite failed: go-env (...)".
   */
  | 'env'
  /**
   * `go` can load the modules: a sane environment ('env'), and the Go that the build runs (the
   * running one, or the toolchain GOTOOLCHAIN switches to) is new enough for every go.mod/go.work
   * `go` line. Unmet: `skip` with "prerequisite failed: go-env/toolchain ...".
   */
  | 'loadable';

export interface Check {
  id: CheckId;
  title: string;
  /** What the check needs; see Need. */
  needs: Need[];
  /** Options this check accepts under `checks.<id>` in the config file (besides level/timeout). */
  options?: Record<string, OptionSpec>;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** Settings after defaults < config file < inputs/flags. */
export interface Settings {
  /** Absolute directory inspected. */
  dir: string;
  /** Absolute path of the config file read, if any. */
  configFile?: string;
  /** 1-based line of each key of that file (`checks.secrets.paths-ignore`...), for messages. */
  configLines?: Record<string, number>;
  mode: Mode;
  /** How a check that could not complete (status `error`) counts: `fail` (default) or `warn`. */
  onError: Mode;
  failFast: boolean;
  /** Targets as given (validated for shape only; `targets` checks them against `go tool dist list`). */
  targets: Target[];
  /** True when targets came from the user (flag, input or config) rather than the host default. */
  targetsExplicit: boolean;
  /** Package patterns the build compiles. */
  packages: string[];
  /** True when the patterns came from the user (flag, input or config) rather than the default `./...`. */
  packagesExplicit?: boolean;
  /** Per-check settings. */
  checks: Record<CheckId, CheckSettings>;
  /** `go-version` input (action) or flag. */
  goVersion?: string;
  /** `go-version-file` input, relative to dir. */
  goVersionFile?: string;
  /** Whether the action may use @actions/cache (secrets cache). */
  cache: boolean;
  /** Timeout per check in ms unless the check sets its own. */
  timeoutMs: number;
  /** Addition: run only shard `index` (1-based) of `count` of the module-level work (`--shard I/N`). */
  shard?: { index: number; count: number };
  /**
   * Checks whose policy the inspected repository's own files cannot weaken (`enforce` input,
   * `--enforce`): its config file's keys that would weaken them were ignored.
   */
  enforce?: CheckId[];
}

export interface CheckSettings {
  level: Level;
  /** Why the check is off when the run's selection (not the config file) left it out: `not selected (--checks)`. */
  offReason?: string;
  timeoutMs: number;
  /** Check-specific options, validated against the check's `options` spec. */
  options: Record<string, unknown>;
}

/** Capabilities given to a check. Checks never print and never touch @actions/core. */
export interface CheckContext {
  dir: string;
  settings: Settings;
  /** Options of this check (`checks.<id>.*` in the config), already validated. */
  options: Record<string, unknown>;
  probe: Probe;
  /** Runs `go` with GOTOOLCHAIN=local; identical invocations share one process (memoized). */
  go: GoRunner;
  /** Runs any other process (git, cc, pkg-config...). */
  exec: ProcessRunner;
  logger: Logger;
  /** Aborted on the check's timeout or when the run is cancelled. Pass it to every process. */
  signal: AbortSignal;
  /** Targets whose GOOS/GOARCH pair this Go supports (the `targets` check reports the others). */
  validTargets(): Promise<Target[]>;
  /** A fresh temporary directory, removed by the runner after the run. */
  tempDir(prefix: string): Promise<string>;
  /** Environment the action itself runs in (process.env unless a test injects one). */
  env: Readonly<Record<string, string | undefined>>;
  /** Event facts from the CI (PR base ref...), empty on the command line. */
  ci: CiFacts;
  /**
   * What the check has finished so far: if it times out, the runner reports these findings and
   * the units (modules) done and not done instead of nothing. Optional for hand-made contexts.
   */
  progress?: CheckProgress;
}

/** See CheckContext.progress. */
export interface CheckProgress {
  /** The units of work (module directories, `.` for the root) the check is going to do. */
  plan(units: readonly string[]): void;
  /** Findings that stand whatever happens next, and (optionally) the unit they complete. */
  add(findings: readonly Finding[], unitDone?: string): void;
}

export interface CiFacts {
  /** `GITHUB_BASE_REF` on pull_request events. */
  baseRef?: string;
  /** The commits of the change under inspection, whose added lines the secret scan reads. */
  commits?: ChangeCommits;
  /** Whether results may be cached with @actions/cache (action mode with cache: true). */
  cache?: CacheStore;
  /** Register a value as secret so that the runner masks it in logs (action: core.setSecret). */
  maskSecret?: (value: string) => void;
}

/**
 * Commits to scan for secrets: a pull request's (event payload base.sha..head.sha), a push's
 * (before..after), `--since REF` (REF..HEAD) or `--history` (every commit reachable from any ref).
 */
export interface ChangeCommits {
  source: 'pull_request' | 'push' | 'since' | 'history';
  /** Exclusive start (a sha or a ref); absent for history and for a new branch's push. */
  base?: string;
  /** Inclusive end (a sha or a ref); absent for history. */
  head?: string;
  /** A new branch's push: the repository's default branch, whose commits are not the push's. */
  defaultBranch?: string;
  /** How many commits the event says the change holds (pull_request.commits, a push's commits). */
  count?: number;
}

/** A tiny key/value store for check caches (the action backs it with @actions/cache). */
export interface CacheStore {
  restore(key: string, dir: string): Promise<boolean>;
  save(key: string, dir: string): Promise<void>;
}
