// The JSON report (`--format json`, the action's report-file): the contract's schemaVersion 1
// shape, plus two additions on findings where known: `ruleId` (the rule that produced it) and
// `fingerprint` (stable id, e.g. a secret's `file:rule:line`, usable in .gitleaksignore or a
// baseline), and the additive fields of the contract (module, commit, region end, notes,
// suppressed, runner, shard, modules, downgraded). CheckResult.details is left out, and optional fields are absent
// rather than null.

import type { CheckResult, Finding, Report, Suppression } from '../core/types.js';
import { hasReason, position, present, reasonOf, stringifyJson } from './format.js';

export interface JsonFinding {
  severity: Finding['severity'];
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  target?: string;
  /** Addition to the contract: the rule that produced the finding. */
  ruleId?: string;
  /** Addition to the contract: a stable fingerprint of the finding. */
  fingerprint?: string;
  /** Addition: end of the region, when known. */
  endLine?: number;
  endColumn?: number;
  /** Addition: the module directory (relative, forward slashes) a module-level finding is about. */
  module?: string;
  /** Addition: the full sha of the commit the finding was seen in. */
  commit?: string;
  /** Addition: an error downgraded to a warning by a `warn` level or `mode: warn` (it would fail). */
  downgraded?: true;
}

export interface JsonCheck {
  id: CheckResult['id'];
  title: string;
  status: CheckResult['status'];
  skipReason?: string;
  durationMs: number;
  findings: JsonFinding[];
  /** Addition: one-line notes of the check. */
  notes?: string[];
  /** Addition: findings that a suppression hid. */
  suppressed?: Suppression[];
}

export interface JsonReport {
  schemaVersion: 1;
  conclusion: Report['conclusion'];
  dir: string;
  go: { version: string; goos: string; goarch: string };
  targets: string[];
  durationMs: number;
  checks: JsonCheck[];
  /** Addition: the machine that ran the checks. */
  runner?: { os: string; arch: string };
  /** Addition: the shard of the work this report holds. */
  shard?: { index: number; count: number };
  /** Addition: the modules inspected (directories relative to dir). */
  modules?: string[];
}

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = { severity: f.severity, message: f.message };
  const hint = present(f.hint);
  const file = present(f.file);
  const line = file ? position(f.line) : undefined;
  const column = line ? position(f.column) : undefined;
  const target = present(f.target);
  if (hint) out.hint = hint;
  if (file) out.file = file.replace(/\\/g, '/');
  if (line) out.line = line;
  if (column) out.column = column;
  if (target) out.target = target;
  const ruleId = present(f.ruleId);
  const fingerprint = present(f.fingerprint);
  if (ruleId) out.ruleId = ruleId;
  if (fingerprint) out.fingerprint = fingerprint;
  const endLine = line ? position(f.endLine) : undefined;
  const endColumn = endLine ? position(f.endColumn) : undefined;
  if (endLine) out.endLine = endLine;
  if (endColumn) out.endColumn = endColumn;
  const module = present(f.module);
  const commit = present(f.commit);
  if (module) out.module = module.replace(/\\/g, '/');
  if (commit) out.commit = commit;
  if (f.downgraded) out.downgraded = true;
  return out;
}

function jsonCheck(c: CheckResult): JsonCheck {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    ...(hasReason(c.status) ? { skipReason: reasonOf(c) } : {}),
    durationMs: Math.max(0, Math.round(c.durationMs)),
    findings: c.findings.map(jsonFinding),
    ...(c.notes && c.notes.length > 0 ? { notes: [...c.notes] } : {}),
    ...(c.suppressed && c.suppressed.length > 0 ? { suppressed: c.suppressed.map((s) => ({ ...s })) } : {}),
  };
}

export function toJsonReport(report: Report): JsonReport {
  return {
    schemaVersion: 1,
    conclusion: report.conclusion,
    dir: report.dir,
    go: { version: report.go.version, goos: report.go.goos, goarch: report.go.goarch },
    targets: [...report.targets],
    durationMs: Math.max(0, Math.round(report.durationMs)),
    checks: report.checks.map(jsonCheck),
    ...(report.runner ? { runner: { ...report.runner } } : {}),
    ...(report.shard ? { shard: { ...report.shard } } : {}),
    ...(report.modules ? { modules: [...report.modules] } : {}),
  };
}

/** Pretty-printed (2 spaces) with a trailing newline. */
export function renderJson(report: Report): string {
  return stringifyJson(toJsonReport(report));
}
