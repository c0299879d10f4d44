// The job summary: the complete human record of a run. GitHub rejects a step summary over 1 MiB
// (and then shows nothing, plus an error annotation: anchors.md §6.2), and @actions/core does
// not enforce it, so the renderer keeps the output under `maxBytes` itself whatever the input,
// cutting whole findings or whole details and saying exactly what it cut.

import type { CheckResult, Finding, Report, Severity, Status } from '../core/types.js';
import {
  compareFindings,
  countAll,
  countBySeverity,
  formatCounts,
  formatDuration,
  formatLocation,
  formatNumber,
  hasReason,
  normalizePrefix,
  plural,
  position,
  prefixedPath,
  present,
  reasonOf,
  truncateChars,
  truncateUtf8,
  utf8Bytes,
} from './format.js';

export interface MarkdownOptions {
  /** `GITHUB_SERVER_URL`, e.g. https://github.com. Links need serverUrl, repository and sha. */
  serverUrl?: string;
  /** `GITHUB_REPOSITORY`, `owner/name`. */
  repository?: string;
  /** The commit the files are linked at. */
  sha?: string;
  /** The inspected dir relative to the repository root (`sub/dir/`), prepended to files. */
  pathPrefix?: string;
  /** Output size limit in UTF-8 bytes; the default stays under GitHub's 1 MiB per step. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1_000_000;
/** Room kept per check section for the "N more findings" and "details not shown" lines. */
const SECTION_NOTE_RESERVE = 600;
/** Room kept for the closing line that sums up what was cut. */
const FOOTER_RESERVE = 600;
/** Per-field caps, so that one enormous message cannot crowd out every other finding. */
const MAX_MESSAGE_CHARS = 4000;
const MAX_HINT_CHARS = 2000;
const MAX_CELL_CHARS = 500;
const MAX_NOTES_PER_CHECK = 20;
const MAX_NOTE_CHARS = 1000;

const STATUS_LABEL: Record<Status, string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '⏭️ skip',
  error: '💥 error',
};

const STATUS_ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', error: '💥' };

const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

const HEADING: Record<Report['conclusion'], string> = {
  success: '✅ go-preflight passed',
  warning: '⚠️ go-preflight passed with warnings',
  failure: '❌ go-preflight failed',
};

/**
 * Text shown as text in inline markdown (list items, table cells): HTML is neutralised as
 * entities, markdown punctuation is backslash-escaped, and newlines become `<br>` so a message
 * can neither open a block nor break a table row.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text inside HTML elements (`<summary>`), where markdown is not processed. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Percent-encode each path segment so a link survives spaces, `#`, `(`, `)`. */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

type Linker = (file: string, line: number | undefined) => string | undefined;

function makeLinker(opts: MarkdownOptions): Linker {
  const server = present(opts.serverUrl)?.replace(/\/+$/, '');
  const repo = present(opts.repository)?.replace(/^\/+|\/+$/g, '');
  const sha = present(opts.sha);
  if (!server || !repo || !sha) return () => undefined;
  const prefix = normalizePrefix(opts.pathPrefix);
  return (file, line) => `${server}/${repo}/blob/${sha}/${encodePath(prefixedPath(prefix, file))}${line ? `#L${line}` : ''}`;
}

function findingLine(f: Finding, link: Linker, pathPrefix: string): string {
  const sev = (['error', 'warning', 'notice'] as const).includes(f.severity) ? f.severity : 'notice';
  let s = `- ${SEVERITY_ICON[sev]} **${sev}**`;
  const loc = formatLocation(f, pathPrefix);
  if (loc) {
    const file = present(f.file)!;
    const url = link(file, position(f.line));
    s += url ? ` [${escapeMarkdown(loc)}](${url})` : ` ${escapeMarkdown(loc)}`;
  }
  const target = present(f.target);
  if (target) s += ` (${escapeMarkdown(target)})`;
  s += `: ${escapeMarkdown(truncateChars(f.message, MAX_MESSAGE_CHARS))}`;
  const hint = present(f.hint);
  if (hint) s += `<br>Fix: ${escapeMarkdown(truncateChars(hint, MAX_HINT_CHARS))}`;
  return `${s}\n`;
}

function statusCounts(checks: readonly CheckResult[]): string {
  const n: Record<Status, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) n[c.status] = (n[c.status] ?? 0) + 1;
  const parts = [
    n.fail ? `${formatNumber(n.fail)} failed` : '',
    n.error ? `${formatNumber(n.error)} could not run` : '',
    n.warn ? `${formatNumber(n.warn)} warned` : '',
    n.pass ? `${formatNumber(n.pass)} passed` : '',
    n.skip ? `${formatNumber(n.skip)} skipped` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

function renderHead(report: Report, pathPrefix: string): string {
  const lines: string[] = [];
  lines.push(`## ${HEADING[report.conclusion] ?? `go-preflight: ${escapeMarkdown(String(report.conclusion))}`}`, '');
  const facts = [
    `Go ${escapeMarkdown(truncateChars(report.go.version || 'unknown', 100))} (${escapeMarkdown(`${report.go.goos}/${report.go.goarch}`)})`,
    `targets: ${escapeMarkdown(truncateChars(report.targets.join(', ') || 'none', 2000))}`,
    `${plural(report.checks.length, 'check')} in ${formatDuration(report.durationMs)}`,
  ];
  if (pathPrefix) facts.push(`directory: ${escapeMarkdown(truncateChars(pathPrefix.replace(/\/$/, ''), 500))}`);
  lines.push(facts.join(' · '), '');
  const counts = formatCounts(countAll(report.checks));
  lines.push(`**${statusCounts(report.checks) || 'no checks'}** · ${counts || 'no findings'}`, '');
  lines.push('| Check | Status | Time | Findings | Reason |', '|---|---|---|---|---|');
  for (const c of report.checks) {
    const ran = !(c.status === 'skip' && c.durationMs === 0);
    const row = [
      `${escapeMarkdown(truncateChars(c.title, 200))} (${escapeMarkdown(c.id)})`,
      STATUS_LABEL[c.status] ?? escapeMarkdown(String(c.status)),
      ran ? formatDuration(c.durationMs) : '—',
      formatCounts(countBySeverity(c.findings)) || '—',
      hasReason(c.status) ? escapeMarkdown(truncateChars(reasonOf(c), MAX_CELL_CHARS)) : '',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', '');
  return lines.join('\n');
}

interface Section {
  check: CheckResult;
  open: string;
  /** The check's findings, in display order. */
  findings: Finding[];
  /** Lines rendered so far (lazily: 100k findings need not all be escaped to show a few thousand). */
  lines: string[];
  lineBytes: number[];
  renderedBytes: number;
  render: (f: Finding) => string;
  notes: string;
  details: string;
  detailsBytes: number;
  close: string;
  /** Filled by the budget: how many lines are shown and whether details are. */
  shown: number;
  withDetails: boolean;
}

function buildSection(check: CheckResult, link: Linker, pathPrefix: string): Section {
  const counts = formatCounts(countBySeverity(check.findings));
  const summary =
    `${STATUS_ICON[check.status] ?? ''} <b>${escapeHtml(truncateChars(check.title, 200))}</b> ` +
    `<code>${escapeHtml(check.id)}</code>${counts ? `: ${counts}` : ''}`;
  const open = `<details><summary>${summary}</summary>\n\n`;
  const allNotes = check.notes ?? [];
  const noteLines = allNotes.slice(0, MAX_NOTES_PER_CHECK).map((n) => `- Note: ${escapeMarkdown(truncateChars(n, MAX_NOTE_CHARS))}\n`);
  if (allNotes.length > MAX_NOTES_PER_CHECK) {
    noteLines.push(`- … ${plural(allNotes.length - MAX_NOTES_PER_CHECK, 'more note')} not shown\n`);
  }
  const notes = noteLines.length ? `\n${noteLines.join('')}` : '';
  const rawDetails = present(check.details);
  // Details are markdown written by the check (a diff in a fence): shown whole or not at all, so
  // a fence is never left open.
  const details = rawDetails ? `\n${rawDetails.replace(/\s+$/, '')}\n` : '';
  return {
    check,
    open,
    findings: [...check.findings].sort(compareFindings),
    lines: [],
    lineBytes: [],
    renderedBytes: 0,
    render: (f) => findingLine(f, link, pathPrefix),
    notes,
    details,
    detailsBytes: utf8Bytes(details),
    close: '\n</details>\n\n',
    shown: 0,
    withDetails: false,
  };
}

/** Render finding lines until they hold more than `bytes` or all are rendered. */
function renderUpTo(s: Section, bytes: number): void {
  while (s.renderedBytes <= bytes && s.lines.length < s.findings.length) {
    const line = s.render(s.findings[s.lines.length]!);
    const n = utf8Bytes(line);
    s.lines.push(line);
    s.lineBytes.push(n);
    s.renderedBytes += n;
  }
}

/**
 * Max-min fair shares of `budget` for the given demands: small demands are met in full, the
 * large ones share the rest equally, so one check with 100k findings cannot starve the others.
 */
function fairShares(demands: number[], budget: number): number[] {
  const shares = demands.map(() => 0);
  const order = demands.map((_, i) => i).sort((a, b) => demands[a]! - demands[b]!);
  let remaining = Math.max(0, budget);
  let left = order.length;
  for (const i of order) {
    const give = Math.min(demands[i]!, Math.floor(remaining / left));
    shares[i] = give;
    remaining -= give;
    left--;
  }
  return shares;
}

/** Show as many lines, then the details, as fit in `room`; returns the bytes used. */
function fill(s: Section, room: number): number {
  let used = 0;
  while (s.shown < s.lines.length && used + s.lineBytes[s.shown]! <= room) {
    used += s.lineBytes[s.shown]!;
    s.shown++;
  }
  if (!s.withDetails && s.details && used + s.detailsBytes <= room) {
    used += s.detailsBytes;
    s.withDetails = true;
  }
  return used;
}

function renderSection(s: Section): string {
  const parts = [s.open, ...s.lines.slice(0, s.shown)];
  const cut = s.findings.length - s.shown;
  if (cut > 0) {
    parts.push(
      `- … ${formatNumber(cut)} more finding${cut === 1 ? '' : 's'} of ${s.check.id} not shown (summary size limit); see the JSON report\n`,
    );
  }
  parts.push(s.notes);
  if (s.withDetails) parts.push(s.details);
  else if (s.details) {
    parts.push(`\n… details of ${s.check.id} (${plural(s.detailsBytes, 'byte')}) not shown (summary size limit)\n`);
  }
  parts.push(s.close);
  return parts.join('');
}

/** Last resort when even the fixed parts exceed the limit (a tiny maxBytes): cut at a line end. */
function hardCut(text: string, maxBytes: number): string {
  const note = `\n\n… summary cut at ${formatNumber(maxBytes)} bytes (size limit); see the JSON report\n`;
  const room = maxBytes - utf8Bytes(note);
  if (room <= 0) return truncateUtf8(text, maxBytes);
  const cut = truncateUtf8(text, room);
  const nl = cut.lastIndexOf('\n');
  return (nl > 0 ? cut.slice(0, nl) : cut) + note;
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxBytes = Math.max(0, Math.floor(opts.maxBytes ?? DEFAULT_MAX_BYTES));
  const pathPrefix = normalizePrefix(opts.pathPrefix);
  const link = makeLinker(opts);
  const head = renderHead(report, pathPrefix);

  const sections = report.checks
    .filter((c) => c.findings.length > 0 || (c.notes?.length ?? 0) > 0 || present(c.details))
    .map((c) => buildSection(c, link, pathPrefix));

  const fixed =
    utf8Bytes(head) +
    sections.reduce((n, s) => n + utf8Bytes(s.open) + utf8Bytes(s.notes) + utf8Bytes(s.close) + SECTION_NOTE_RESERVE, 0) +
    FOOTER_RESERVE;
  const budget = maxBytes - fixed;

  if (budget > 0) {
    // First each check gets its fair share; then what a check left unused goes, in report
    // order, to the checks that still have something to show.
    // No section can get more than the whole budget, so rendering past it is wasted work.
    for (const s of sections) renderUpTo(s, budget);
    const demands = sections.map((s) => s.renderedBytes + s.detailsBytes);
    const shares = fairShares(demands, budget);
    let used = 0;
    sections.forEach((s, i) => (used += fill(s, shares[i]!)));
    for (const s of sections) used += fill(s, budget - used);
  }

  let cutFindings = 0;
  let cutDetails = 0;
  for (const s of sections) {
    cutFindings += s.findings.length - s.shown;
    if (s.details && !s.withDetails) cutDetails++;
  }
  let footer = '';
  if (cutFindings > 0 || cutDetails > 0) {
    const what = [cutFindings ? plural(cutFindings, 'finding') : '', cutDetails ? plural(cutDetails, 'details section') : '']
      .filter(Boolean)
      .join(' and ');
    footer =
      `---\n\nThis summary was cut to stay under GitHub's step-summary size limit: ${what} not shown. ` +
      'The JSON report (`--format json`, the `report-file` output) holds every finding.\n';
  }

  const out = head + sections.map(renderSection).join('') + footer;
  return utf8Bytes(out) <= maxBytes ? out : hardCut(out, maxBytes);
}
