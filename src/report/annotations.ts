// Annotations: GitHub shows at most 10 errors, 10 warnings and 10 notices per step and drops the
// rest silently (anchors.md §6.1). That budget is the step's, not the findings': every
// `::warning`/`::error` the step writes counts, config and cache warnings, a "`go` was not found"
// line, and the `core.setFailed` line too. So the whole set is planned here, in one pure function:
// the most important first (a committed secret or a tampered dependency, then what breaks the
// build, then what could not run and what the step logged, then a dirty tree), the same cause said
// once, the failure line kept as the last error, and the last annotation shown of a level saying
// how many more the job summary holds.

import type { CheckId, CheckResult, Finding, Report, Severity } from '../core/types.js';
import {
  compareByLocation,
  formatNumber,
  position,
  prefixedPath,
  present,
  reasonOf,
  SEVERITIES,
  truncateChars,
  truncateUtf8,
  utf8Bytes,
} from './format.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  /** The step's failure line: the adapter writes it with `core.setFailed` (it is still one of the errors). */
  failure?: boolean;
}

/** A line the step logged at warning or error level (the logger's calls in action mode). */
export interface LoggedLine {
  level: 'error' | 'warning' | 'notice';
  message: string;
}

export interface AnnotationOptions {
  /** At most this many annotations per level (GitHub's per-step cap is 10). */
  perLevel?: number;
  /** Prepended to finding files (`sub/dir/`): annotations need repository-root paths. */
  pathPrefix?: string;
  /** What the step logged at warning/error level: it shares the budget with the findings. */
  logged?: readonly LoggedLine[];
  /** One-line cause of the step's failure (written with core.setFailed): always shown, as the last error. */
  failure?: string;
}

/** GitHub's caps per annotation (Checks API): message 64 KB, title 255 characters. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TITLE_CHARS = 255;

/** mod-verify rules that mean a dependency is not what was published. */
const SECURITY_RULES = new Set(['gosum-mismatch', 'sumdb-mismatch', 'mod-cache-modified']);

/** Rank classes, lower first. */
const SECURITY = 0;
const BUILD = 1;
const COULD_NOT_RUN = 2;
const LOGGED = 3;
const TREE = 4;

function rankOf(checkId: CheckId, f: Finding): number {
  if (checkId === 'secrets') return SECURITY;
  if (checkId === 'mod-verify' && f.ruleId && SECURITY_RULES.has(f.ruleId)) return SECURITY;
  if (checkId === 'git-clean') return TREE;
  return BUILD;
}

function title(id: string, target?: string, downgraded?: boolean): string {
  return truncateChars(`go-preflight: ${id}${target ? ` [${target}]` : ''}${downgraded ? ' (would fail)' : ''}`, MAX_TITLE_CHARS);
}

function fromFinding(check: CheckResult, f: Finding, pathPrefix: string | undefined): Annotation {
  const hint = present(f.hint);
  const commit = present(f.commit);
  let message = f.message;
  if (commit) message += ` (in commit ${commit.slice(0, 7)})`;
  if (f.downgraded) message = `Would fail the build check (downgraded to a warning by mode: warn or the check's level): ${message}`;
  if (hint) message += `\nFix: ${hint}`;
  const a: Annotation = { level: f.severity, message, title: title(check.id, present(f.target), f.downgraded) };
  const file = present(f.file);
  if (file) {
    a.file = prefixedPath(pathPrefix, file);
    // A line or column means nothing without the file; GitHub ignores them then.
    const line = position(f.line);
    if (line) {
      a.startLine = line;
      const col = position(f.column);
      if (col) a.startColumn = col;
      const end = position(f.endLine);
      if (end && end > line) a.endLine = end;
    }
  }
  return a;
}

/** Keep the message under 64 KB; a `suffix` (the "N more" note) always survives the cut. */
function fitMessage(message: string, suffix = ''): string {
  const room = MAX_MESSAGE_BYTES - utf8Bytes(suffix);
  const body = utf8Bytes(message) <= room ? message : `${truncateUtf8(message, room - 3)}…`;
  return body + suffix;
}

/** One line, for core.setFailed. */
function oneLine(s: string): string {
  return truncateChars(s.replace(/\s*[\r\n]+\s*/g, ' ').trim(), 1000);
}

interface Candidate {
  level: Severity;
  rank: number;
  order: number;
  make: () => Annotation;
  /** Identity for "the same cause said once". */
  key: string;
}

export function toAnnotations(report: Report | undefined, opts: AnnotationOptions = {}): Annotation[] {
  const perLevel = Math.max(0, Math.floor(opts.perLevel ?? 10));
  const candidates: Candidate[] = [];
  let order = 0;
  const push = (c: Omit<Candidate, 'order'>) => candidates.push({ ...c, order: order++ });

  // Checks that could not run, one annotation per cause ("`go` was not found" once, not per check).
  const byReason = new Map<string, CheckId[]>();
  for (const check of report?.checks ?? []) {
    if (check.status !== 'error') continue;
    const reason = reasonOf(check);
    const ids = byReason.get(reason);
    if (ids) ids.push(check.id);
    else byReason.set(reason, [check.id]);
  }
  const logged = (opts.logged ?? []).filter((l) => present(l.message));
  const seenLogged = new Set<string>();
  for (const l of logged) {
    const message = l.message.trim();
    const key = `${l.level}\0${message}`;
    if (seenLogged.has(key)) continue;
    seenLogged.add(key);
    // A logged line that states a cause some checks could not run for absorbs their annotation.
    const absorbed: CheckId[] = [];
    for (const [reason, ids] of byReason) {
      if (reason.length >= 8 && message.includes(reason)) {
        absorbed.push(...ids);
        byReason.delete(reason);
      }
    }
    const text = absorbed.length ? `${message} (checks that could not run: ${absorbed.join(', ')})` : message;
    push({
      level: l.level,
      rank: l.level === 'error' ? COULD_NOT_RUN : LOGGED,
      key,
      make: () => ({ level: l.level, message: text, title: 'go-preflight' }),
    });
  }
  for (const [reason, ids] of byReason) {
    push({
      level: 'error',
      rank: COULD_NOT_RUN,
      key: `error\0${reason}`,
      make: () => ({
        level: 'error',
        message: `go-preflight could not run ${ids.length === 1 ? 'check' : 'checks'} ${ids.join(', ')}: ${reason}`,
        title: title(ids.join(', ')),
      }),
    });
  }
  for (const check of report?.checks ?? []) {
    const findings = [...check.findings].sort(compareByLocation);
    for (const f of findings) {
      if (!SEVERITIES.includes(f.severity)) continue;
      push({ level: f.severity, rank: rankOf(check.id, f), key: '', make: () => fromFinding(check, f, opts.pathPrefix) });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order);

  const failure = present(opts.failure) ? oneLine(opts.failure!) : undefined;
  const out: Annotation[] = [];
  for (const level of SEVERITIES) {
    const room = Math.max(0, perLevel - (level === 'error' && failure ? 1 : 0));
    const all = candidates.filter((c) => c.level === level);
    // Only the ones shown are built: a report may hold 100k findings.
    const list = all.slice(0, room).map((c) => c.make());
    const more = all.length - list.length;
    const note = `… and ${formatNumber(more)} more ${level}${more === 1 ? '' : 's'}: see the job summary`;
    list.forEach((a, i) => {
      const isLastCut = more > 0 && i === list.length - 1;
      out.push({ ...a, message: fitMessage(a.message, isLastCut ? `\n${note}` : '') });
    });
    if (level === 'error' && failure) {
      // The failure line is one line; when no other error is shown, it carries the note itself.
      const text = more > 0 && list.length === 0 ? `${failure} (${note})` : failure;
      out.push({ level: 'error', message: text, title: 'go-preflight', failure: true });
    }
  }
  return out;
}

/** The one-line cause the step fails with: which checks failed or could not run. */
export function failureLine(report: Report): string {
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const errored = report.checks.filter((c) => c.status === 'error').map((c) => c.id);
  const parts = [failed.length ? `${failed.join(', ')} failed` : '', errored.length ? `${errored.join(', ')} could not run` : ''].filter(Boolean);
  return `go-preflight: ${parts.join('; ') || 'failure'}; the annotations above and the job summary say where and how to fix`;
}
