// The job summary: the complete human record of a run. GitHub rejects a step summary over 1 MiB
// (and then shows nothing, plus an error annotation: anchors.md §6.2), and @actions/core does
// not enforce it, so the renderer keeps the output under `maxBytes` itself whatever the input,
// cutting whole findings or whole details and saying exactly what it cut.

import type { CheckResult, Finding, Report, Severity, Status, Suppression } from '../core/types.js';
import {
  compareFindings,
  countAll,
  countBySeverity,
  formatCounts,
  formatDuration,
  formatLocation,
  formatNumber,
  cleanModulesNote,
  compareByModule,
  groupedModules,
  hasReason,
  markdownCode,
  moduleOf,
  normalizePrefix,
  otherModulesNote,
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
  /**
   * Whether a file (relative to the inspected dir) exists at `sha`; when given, other files
   * (untracked, deleted) are named but not linked, so that no link is dead.
   */
  linkable?: (file: string) => boolean;
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
/** A failing or warning check shows this many findings without a click; the rest fold. */
export const OPEN_FINDINGS = 5;
const MAX_SUPPRESSED_SHOWN = 200;

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

/**
 * Prose from a check (a message, a fix) as inline markdown: text between backticks shows as code
 * (`go mod tidy`), everything else as escaped text. An unpaired backtick stays a literal one.
 */
export function inlineMarkdown(s: string): string {
  const parts = s.split('`');
  // An even number of parts means an odd number of backticks: the last one has no pair.
  const paired = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1 && i < paired) out += part === '' ? escapeMarkdown('``') : markdownCode(part);
    else out += (i % 2 === 1 ? escapeMarkdown('`') : '') + escapeMarkdown(part);
  }
  return out;
}

type Linker = (file: string, line: number | undefined, commit?: string) => string | undefined;

function makeLinker(opts: MarkdownOptions): Linker {
  const server = present(opts.serverUrl)?.replace(/\/+$/, '');
  const repo = present(opts.repository)?.replace(/^\/+|\/+$/g, '');
  const sha = present(opts.sha);
  if (!server || !repo) return () => undefined;
  const prefix = normalizePrefix(opts.pathPrefix);
  return (file, line, commit) => {
    // A finding seen in a commit is linked at that commit, where the file is; any other at the
    // linked sha, and only when the file is there (an untracked or deleted file would be a 404).
    const at = commit && /^[0-9a-f]{7,64}$/i.test(commit) ? commit : sha;
    if (!at) return undefined;
    if (at === sha && opts.linkable && !opts.linkable(file.replace(/\\/g, '/'))) return undefined;
    return `${server}/${repo}/blob/${at}/${encodePath(prefixedPath(prefix, file))}${line ? `#L${line}` : ''}`;
  };
}

function findingLine(f: Finding, link: Linker, pathPrefix: string): string {
  const sev = (['error', 'warning', 'notice'] as const).includes(f.severity) ? f.severity : 'notice';
  let s = `- ${SEVERITY_ICON[sev]} **${sev}${f.downgraded ? ' (would fail)' : ''}**`;
  const commit = present(f.commit);
  const loc = formatLocation(f, pathPrefix);
  if (loc) {
    const file = present(f.file)!;
    const url = link(file, position(f.line), commit);
    s += url ? ` [${escapeMarkdown(loc)}](${url})` : ` ${escapeMarkdown(loc)}`;
  }
  if (commit) s += ` in commit ${markdownCode(commit.slice(0, 7))}`;
  const target = present(f.target);
  if (target) s += ` (${escapeMarkdown(target)})`;
  s += `: ${inlineMarkdown(truncateChars(f.message, MAX_MESSAGE_CHARS))}`;
  const hint = present(f.hint);
  if (hint) s += `<br>Fix: ${inlineMarkdown(truncateChars(hint, MAX_HINT_CHARS))}`;
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
      formatCounts(countBySeverity(c.findings)) || escapeMarkdown(cleanModulesNote(report, c)) || '—',
      hasReason(c.status) ? escapeMarkdown(truncateChars(reasonOf(c), MAX_CELL_CHARS)) : '',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', '');
  return lines.join('\n');
}

interface Section {
  check: CheckResult;
  /** Open view (a failing/warning check: heading, first findings visible) or folded (the others). */
  openView: boolean;
  open: string;
  /** The check's findings, in display order. */
  findings: Finding[];
  /** Lines rendered so far (lazily: 100k findings need not all be escaped to show a few thousand). */
  lines: string[];
  lineBytes: number[];
  renderedBytes: number;
  render: (f: Finding, i: number) => string;
  notes: string;
  details: string;
  detailsBytes: number;
  /** Size of the check's own details text (what the "not shown" line states). */
  rawDetailsBytes: number;
  suppressed: string;
  close: string;
  /** Filled by the budget: how many lines are shown and whether details are. */
  shown: number;
  withDetails: boolean;
}

function suppressedBlock(check: CheckResult, link: Linker, pathPrefix: string): string {
  const list = check.suppressed ?? [];
  if (list.length === 0) return '';
  const line = (x: Suppression): string => {
    let s = '- ';
    const file = present(x.file);
    if (file) {
      const loc = `${prefixedPath(pathPrefix, file)}${position(x.line) ? `:${position(x.line)}` : ''}`;
      const url = link(file, position(x.line), present(x.commit));
      s += url ? `[${escapeMarkdown(loc)}](${url})` : escapeMarkdown(loc);
    } else s += 'a finding';
    if (present(x.commit)) s += ` in commit ${markdownCode(x.commit!.slice(0, 7))}`;
    if (present(x.ruleId)) s += ` (${markdownCode(x.ruleId!)})`;
    s += ` hidden by ${escapeMarkdown(x.by)}`;
    if (present(x.at)) s += ` at ${escapeMarkdown(x.at!)}`;
    if (x.addedByChange) s += ' — **added by this change**';
    return `${truncateChars(s, MAX_MESSAGE_CHARS)}\n`;
  };
  const added = list.filter((x) => x.addedByChange);
  const other = list.filter((x) => !x.addedByChange);
  const parts: string[] = [];
  // A suppression that the change under review added is what a reviewer must see: never folded.
  if (added.length) {
    parts.push(`\n**⚠️ Suppressed by this change (${formatNumber(added.length)}):**\n\n`, ...added.slice(0, MAX_SUPPRESSED_SHOWN).map(line));
  }
  if (other.length) {
    parts.push(
      `\n<details><summary>Suppressed: ${plural(other.length, 'finding')}${added.length ? ' more' : ''}</summary>\n\n`,
      ...other.slice(0, MAX_SUPPRESSED_SHOWN).map(line),
      '\n</details>\n',
    );
  }
  const cut = Math.max(0, added.length - MAX_SUPPRESSED_SHOWN) + Math.max(0, other.length - MAX_SUPPRESSED_SHOWN);
  if (cut) parts.push(`- … ${plural(cut, 'more suppressed finding')}: see the JSON report\n`);
  return parts.join('');
}

function buildSection(report: Report, check: CheckResult, link: Linker, pathPrefix: string): Section {
  const counts = formatCounts(countBySeverity(check.findings));
  // A suppression that the change under review added opens the check too: a reviewer must see it.
  const openView =
    (check.findings.length > 0 && (check.status === 'fail' || check.status === 'warn' || check.status === 'error')) ||
    (check.suppressed ?? []).some((x) => x.addedByChange);
  const heading =
    `${STATUS_ICON[check.status] ?? ''} <b>${escapeHtml(truncateChars(check.title, 200))}</b> ` +
    `<code>${escapeHtml(check.id)}</code>${counts ? `: ${counts}` : ''}`;
  const open = openView
    ? `### ${STATUS_ICON[check.status] ?? ''} ${escapeMarkdown(truncateChars(check.title, 200))} <code>${escapeHtml(check.id)}</code>${counts ? `: ${counts}` : ''}\n\n`
    : `<details><summary>${heading}</summary>\n\n`;
  const allNotes = check.notes ?? [];
  const noteLines = allNotes.slice(0, MAX_NOTES_PER_CHECK).map((n) => `- Note: ${inlineMarkdown(truncateChars(n, MAX_NOTE_CHARS))}\n`);
  if (allNotes.length > MAX_NOTES_PER_CHECK) {
    noteLines.push(`- … ${plural(allNotes.length - MAX_NOTES_PER_CHECK, 'more note')} not shown\n`);
  }
  const grouped = groupedModules(check.findings);
  const others = otherModulesNote(report, check, grouped);
  if (others) noteLines.unshift(`- ${escapeMarkdown(others)}\n`);
  const notes = noteLines.length ? `\n${noteLines.join('')}` : '';
  const rawDetails = present(check.details);
  // Details are markdown written by the check (a diff in a fence): shown whole or not at all, so
  // a fence is never left open; folded even under an open check (they are long).
  const details = rawDetails ? `\n<details><summary>Details</summary>\n\n${rawDetails.replace(/\s+$/, '')}\n\n</details>\n` : '';
  const findings = [...check.findings].sort(grouped ? compareByModule : compareFindings);
  const render = (f: Finding, i: number): string => {
    const line = findingLine(f, link, pathPrefix);
    if (!grouped) return line;
    const m = moduleOf(f);
    const prev = i > 0 ? moduleOf(findings[i - 1]!) : null;
    if (i !== 0 && i !== OPEN_FINDINGS && m === prev) return line;
    const n = findings.filter((x) => moduleOf(x) === m);
    const label = m === undefined ? 'Not about one module' : `Module ${markdownCode(m)}`;
    return `\n**${label}** (${formatCounts(countBySeverity(n))}):\n\n${line}`;
  };
  return {
    check,
    openView,
    open,
    findings,
    lines: [],
    lineBytes: [],
    renderedBytes: 0,
    render,
    notes,
    details,
    detailsBytes: utf8Bytes(details),
    rawDetailsBytes: rawDetails ? utf8Bytes(rawDetails) : 0,
    suppressed: suppressedBlock(check, link, pathPrefix),
    close: openView ? '\n' : '\n</details>\n\n',
    shown: 0,
    withDetails: false,
  };
}

/** Render finding lines until they hold more than `bytes` or all are rendered. */
function renderUpTo(s: Section, bytes: number): void {
  while (s.renderedBytes <= bytes && s.lines.length < s.findings.length) {
    const line = s.render(s.findings[s.lines.length]!, s.lines.length);
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
  const parts = [s.open];
  const shown = s.lines.slice(0, s.shown);
  if (s.openView && shown.length > OPEN_FINDINGS) {
    // The first findings open; the long tail folds.
    const tail = shown.length - OPEN_FINDINGS;
    parts.push(
      ...shown.slice(0, OPEN_FINDINGS),
      `\n<details><summary>${formatNumber(tail)} more finding${tail === 1 ? '' : 's'} of ${escapeHtml(s.check.id)}</summary>\n\n`,
      ...shown.slice(OPEN_FINDINGS),
    );
  } else parts.push(...shown);
  const cut = s.findings.length - s.shown;
  if (cut > 0) {
    parts.push(
      `- … ${formatNumber(cut)} more finding${cut === 1 ? '' : 's'} of ${s.check.id} not shown (summary size limit); see the JSON report\n`,
    );
  }
  if (s.openView && shown.length > OPEN_FINDINGS) parts.push('\n</details>\n');
  parts.push(s.notes);
  if (s.withDetails) parts.push(s.details);
  else if (s.details) {
    parts.push(`\n… details of ${s.check.id} (${plural(s.rawDetailsBytes, 'byte')}) not shown (summary size limit)\n`);
  }
  parts.push(s.suppressed);
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

  // Failing and warning checks first (open), then the others' notes and details (folded).
  const sections = report.checks
    .filter((c) => c.findings.length > 0 || (c.notes?.length ?? 0) > 0 || present(c.details) || (c.suppressed?.length ?? 0) > 0)
    .map((c) => buildSection(report, c, link, pathPrefix))
    .sort((a, b) => Number(b.openView) - Number(a.openView));

  const fixed =
    utf8Bytes(head) +
    sections.reduce(
      (n, s) => n + utf8Bytes(s.open) + utf8Bytes(s.notes) + utf8Bytes(s.suppressed) + utf8Bytes(s.close) + SECTION_NOTE_RESERVE,
      0,
    ) +
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
