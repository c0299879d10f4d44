// Findings as workflow-command annotations. GitHub shows at most 10 errors, 10 warnings and 10
// notices per step and drops the rest silently (anchors.md §6.1), so we pick the most important
// ones ourselves and the last one shown of a level says how many more the job summary holds.

import type { CheckResult, Finding, Report, Severity } from '../core/types.js';
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
}

export interface AnnotationOptions {
  /** At most this many annotations per level (GitHub's per-step cap is 10). */
  perLevel?: number;
  /** Prepended to finding files (`sub/dir/`): annotations need repository-root paths. */
  pathPrefix?: string;
}

/** GitHub's caps per annotation (Checks API): message 64 KB, title 255 characters. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TITLE_CHARS = 255;

function title(check: CheckResult, target?: string): string {
  return truncateChars(`go-preflight: ${check.id}${target ? ` [${target}]` : ''}`, MAX_TITLE_CHARS);
}

function fromFinding(check: CheckResult, f: Finding, pathPrefix: string | undefined): Annotation {
  const hint = present(f.hint);
  const a: Annotation = {
    level: f.severity,
    message: hint ? `${f.message}\nFix: ${hint}` : f.message,
    title: title(check, present(f.target)),
  };
  const file = present(f.file);
  if (file) {
    a.file = prefixedPath(pathPrefix, file);
    // A line or column means nothing without the file; GitHub ignores them then.
    const line = position(f.line);
    if (line) {
      a.startLine = line;
      const col = position(f.column);
      if (col) a.startColumn = col;
    }
  }
  return a;
}

function fromErroredCheck(check: CheckResult): Annotation {
  return {
    level: 'error',
    message: `go-preflight could not run check ${check.id}: ${reasonOf(check)}`,
    title: title(check),
  };
}

/** Keep the message under 64 KB; a `suffix` (the "N more" note) always survives the cut. */
function fitMessage(message: string, suffix = ''): string {
  const room = MAX_MESSAGE_BYTES - utf8Bytes(suffix);
  const body = utf8Bytes(message) <= room ? message : `${truncateUtf8(message, room - 3)}…`;
  return body + suffix;
}

export function toAnnotations(report: Report, opts: AnnotationOptions = {}): Annotation[] {
  const perLevel = Math.max(0, Math.floor(opts.perLevel ?? 10));
  const shown: Record<Severity, Annotation[]> = { error: [], warning: [], notice: [] };
  const total: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  const add = (level: Severity, make: () => Annotation) => {
    total[level]++;
    // Only the ones shown are built: a report may hold 100k findings.
    if (shown[level].length < perLevel) shown[level].push(make());
  };
  // Check order as in the report, then file/line inside a check (the sort is stable).
  for (const check of report.checks) {
    if (check.status === 'error') add('error', () => fromErroredCheck(check));
    const findings = [...check.findings].sort(compareByLocation);
    for (const f of findings) {
      if (!(f.severity in total)) continue;
      add(f.severity, () => fromFinding(check, f, opts.pathPrefix));
    }
  }

  const out: Annotation[] = [];
  for (const level of SEVERITIES) {
    const list = shown[level];
    const more = total[level] - list.length;
    list.forEach((a, i) => {
      const isLastCut = more > 0 && i === list.length - 1;
      const note = isLastCut ? `\n… and ${formatNumber(more)} more ${level}${more === 1 ? '' : 's'}: see the job summary` : '';
      out.push({ ...a, message: fitMessage(a.message, note) });
    });
  }
  return out;
}
