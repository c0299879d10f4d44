// The JSON report (`--format json`, the action's report-file): the contract's schemaVersion 1
// shape, plus two additions on findings where known: `ruleId` (the rule that produced it) and
// `fingerprint` (stable id, e.g. a secret's `file:rule:line`, usable in .gitleaksignore or a
// baseline). Other fields (CheckResult.details/notes, anything a future type adds) are left out,
// and optional fields are absent rather than null.

import type { CheckResult, Finding, Report } from '../core/types.js';
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
}

export interface JsonCheck {
  id: CheckResult['id'];
  title: string;
  status: CheckResult['status'];
  skipReason?: string;
  durationMs: number;
  findings: JsonFinding[];
}

export interface JsonReport {
  schemaVersion: 1;
  conclusion: Report['conclusion'];
  dir: string;
  go: { version: string; goos: string; goarch: string };
  targets: string[];
  durationMs: number;
  checks: JsonCheck[];
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
  };
}

/** Pretty-printed (2 spaces) with a trailing newline. */
export function renderJson(report: Report): string {
  return stringifyJson(toJsonReport(report));
}
