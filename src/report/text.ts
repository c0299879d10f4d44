// The terminal/log report: one line per check, findings indented under it, a closing line.
// It is also what the action prints to the job log, so no line may look like `x.go:12: text`
// (setup-go's problem matcher would turn it into an extra error annotation) nor like a workflow
// command: see defuseLogLine.

import type { CheckResult, Finding, Report, Severity, Status } from '../core/types.js';
import {
  cleanModulesNote,
  compareByModule,
  compareFindings,
  groupedModules,
  moduleOf,
  otherModulesNote,
  countAll,
  countBySeverity,
  defuseLogLine,
  formatCounts,
  formatDuration,
  formatLocation,
  formatNumber,
  hasReason,
  present,
  reasonOf,
} from './format.js';

export interface TextOptions {
  /** ANSI colours (the CLI sets it for a TTY without NO_COLOR). */
  color?: boolean;
  /** Every finding (not only the first ones of each check) and each check's details. */
  verbose?: boolean;
}

/** Without `verbose`, a check shows this many findings and says how many more there are. */
const FINDINGS_PER_CHECK = 50;

const STATUS_WORD: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };
const STATUS_ICON: Record<Status, string> = { pass: '✔', warn: '▲', fail: '✖', skip: '○', error: '✖' };

const CONCLUSION_ICON: Record<Report['conclusion'], string> = { success: '✔', warning: '▲', failure: '✖' };

type Paint = (code: string, s: string) => string;

const RED = '31';
const GREEN = '32';
const YELLOW = '33';
const CYAN = '36';
const DIM = '2';
const BOLD = '1';

const STATUS_COLOR: Record<Status, string> = { pass: GREEN, warn: YELLOW, fail: RED, skip: DIM, error: RED };
const SEVERITY_COLOR: Record<Severity, string> = { error: RED, warning: YELLOW, notice: CYAN };
const CONCLUSION_COLOR: Record<Report['conclusion'], string> = { success: GREEN, warning: YELLOW, failure: RED };

/**
 * Finding text comes from files and tools: drop terminal escape sequences and other control
 * characters so it can neither colour nor rewrite the terminal, and split it into lines.
 */
function cleanLines(s: string): string[] {
  return s
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '\uFFFD')
    .split('\n');
}

function oneLine(s: string): string {
  return cleanLines(s).join(' ');
}

function statusLine(report: Report, c: CheckResult, paint: Paint): string {
  const word = `${STATUS_ICON[c.status] ?? '?'} ${(STATUS_WORD[c.status] ?? String(c.status)).padEnd(5)}`;
  const parts = [paint(STATUS_COLOR[c.status] ?? '', word), `${paint(BOLD, oneLine(c.title))} (${oneLine(c.id)})`];
  const ran = !(c.status === 'skip' && c.durationMs === 0);
  if (ran) parts.push(paint(DIM, formatDuration(c.durationMs)));
  const counts = formatCounts(countBySeverity(c.findings));
  if (counts) parts.push(counts);
  const clean = cleanModulesNote(report, c);
  if (clean) parts.push(paint(DIM, clean));
  if (hasReason(c.status)) parts.push(`${c.status === 'error' ? 'could not complete: ' : ''}${oneLine(reasonOf(c))}`);
  return parts.join('  ');
}

function findingLines(f: Finding, paint: Paint, indent = ''): string[] {
  const sev = (['error', 'warning', 'notice'] as const).includes(f.severity) ? f.severity : 'notice';
  const head = [paint(SEVERITY_COLOR[sev], sev.padEnd(7))];
  if (f.downgraded) head.push(paint(RED, '(would fail)'));
  const loc = formatLocation(f);
  if (loc) head.push(oneLine(loc));
  const commit = present(f.commit);
  if (commit) head.push(`@${oneLine(commit.slice(0, 7))}`);
  const target = present(f.target);
  if (target) head.push(`[${oneLine(target)}]`);
  const [first = '', ...rest] = cleanLines(f.message);
  head.push(first);
  // Continuation lines sit under the message, never at column 0.
  const pad = `           ${indent}`;
  const out = [`    ${indent}${head.join('  ')}`, ...rest.map((l) => `    ${pad}${l}`)];
  const hint = present(f.hint);
  if (hint) {
    const [h0 = '', ...hr] = cleanLines(hint);
    out.push(`    ${pad}${paint(DIM, `hint: ${h0}`)}`, ...hr.map((l) => `    ${pad}      ${paint(DIM, l)}`));
  }
  return out;
}

function closingLine(report: Report, paint: Paint): string {
  const n: Record<Status, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of report.checks) n[c.status] = (n[c.status] ?? 0) + 1;
  const statuses = [
    n.fail ? `${formatNumber(n.fail)} failed` : '',
    n.error ? `${formatNumber(n.error)} could not run` : '',
    n.warn ? `${formatNumber(n.warn)} warned` : '',
    n.pass ? `${formatNumber(n.pass)} passed` : '',
    n.skip ? `${formatNumber(n.skip)} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const c = countAll(report.checks);
  const counts = `${formatNumber(c.error)} error${c.error === 1 ? '' : 's'}, ${formatNumber(c.warning)} warning${c.warning === 1 ? '' : 's'}, ${formatNumber(c.notice)} notice${c.notice === 1 ? '' : 's'}`;
  const word = `${CONCLUSION_ICON[report.conclusion] ?? '?'} ${report.conclusion}`;
  return `${paint(BOLD, paint(CONCLUSION_COLOR[report.conclusion] ?? '', word))}: ${statuses || 'no checks'} · ${counts} · ${formatDuration(report.durationMs)}`;
}

export function renderText(report: Report, opts: TextOptions = {}): string {
  const paint: Paint = opts.color ? (code, s) => (code && s ? `\x1b[${code}m${s}\x1b[0m` : s) : (_code, s) => s;
  const lines: string[] = [];
  lines.push(
    oneLine(`go-preflight: Go ${report.go.version || 'unknown'} (${report.go.goos}/${report.go.goarch}), targets ${report.targets.join(', ') || 'none'}`),
  );
  if (opts.verbose) lines.push(oneLine(`directory: ${report.dir}`));
  lines.push('');
  for (const c of report.checks) {
    lines.push(statusLine(report, c, paint));
    // Over many modules, findings are grouped under their module ("module svc/a: 2 errors").
    const grouped = groupedModules(c.findings);
    const findings = [...c.findings].sort(grouped ? compareByModule : compareFindings);
    const shown = opts.verbose ? findings : findings.slice(0, FINDINGS_PER_CHECK);
    shown.forEach((f, i) => {
      if (grouped && (i === 0 || moduleOf(f) !== moduleOf(shown[i - 1]!))) {
        const m = moduleOf(f);
        const inModule = c.findings.filter((x) => moduleOf(x) === m);
        lines.push(`    ${paint(BOLD, m === undefined ? 'not about one module' : `module ${oneLine(m)}`)}: ${formatCounts(countBySeverity(inModule))}`);
      }
      lines.push(...findingLines(f, paint, grouped ? '  ' : ''));
    });
    const others = otherModulesNote(report, c, grouped);
    if (others) lines.push(`    ${paint(DIM, others)}`);
    const more = findings.length - shown.length;
    if (more > 0) {
      lines.push(`    … ${formatNumber(more)} more finding${more === 1 ? '' : 's'} of ${c.id} not shown (verbose output and --format json show all)`);
    }
    for (const note of c.notes ?? []) {
      const [n0 = '', ...nr] = cleanLines(note);
      lines.push(`    ${paint(DIM, `note: ${n0}`)}`, ...nr.map((l) => `          ${paint(DIM, l)}`));
    }
    const details = present(c.details);
    if (opts.verbose && details) {
      for (const l of cleanLines(details.replace(/\s+$/, ''))) lines.push(`      ${l}`);
    }
  }
  lines.push('', closingLine(report, paint));
  return `${lines.map(defuseLogLine).join('\n')}\n`;
}
