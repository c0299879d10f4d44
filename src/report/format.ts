// Helpers shared by the pure report renderers: counting, wording, sizes, paths and the defence
// against setup-go's `go` problem matcher. Nothing here does I/O or knows of GitHub Actions.

import { type CheckId, type CheckResult, type Finding, type Report, type Severity, type Status } from '../core/types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** The question each check answers (the contract's table): SARIF rule descriptions. */
export const CHECK_QUESTIONS: Record<CheckId, string> = {
  toolchain:
    'Is the running Go the one this repo asks for (go.mod/go.work go and toolchain lines, .go-version, .tool-versions, the go-version input), and is go on PATH the one GOROOT says?',
  'go-env':
    'Are the Go environment variables and caches sane (GO111MODULE, GOFLAGS, GOPROXY, GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE, GOCACHE/GOMODCACHE writable, GOWORK)?',
  'mod-verify': 'Do go.sum and the module cache agree with what was published (download, then go mod verify)?',
  'mod-tidy': 'Are go.mod and go.sum tidy for every module in the repo?',
  vendor: 'Is vendor/ consistent with go.mod when vendoring is in use?',
  modules:
    'Is the module graph buildable here: local replace targets exist, go.work use dirs exist, the module path fits the repository, no dependency needs a newer Go?',
  'git-clean': 'Is the working tree clean (no modified, staged or untracked files)?',
  targets: 'Is every GOOS/GOARCH target a pair that this Go supports?',
  packages:
    'Do the packages load for every target (no "no Go files", build-constraint exclusions, missing modules or go.sum entries, package main without func main)?',
  cgo: 'For every target that builds with cgo, is a C toolchain for that target present and working (CC, cross compiler, pkg-config packages)?',
  secrets: 'Are there credentials committed in tracked files?',
};

/** Titles used when a report lacks a check (SARIF still lists every rule). */
export const DEFAULT_TITLES: Record<CheckId, string> = {
  toolchain: 'Go toolchain',
  'go-env': 'Go environment',
  'mod-verify': 'Module checksums',
  'mod-tidy': 'go.mod tidy',
  vendor: 'Vendor directory',
  modules: 'Module graph',
  'git-clean': 'Clean working tree',
  targets: 'Build targets',
  packages: 'Packages load',
  cgo: 'cgo toolchain',
  secrets: 'Committed secrets',
};

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) if (f.severity in c) c[f.severity]++;
  return c;
}

export function countAll(checks: readonly CheckResult[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, notice: 0 };
  for (const check of checks) {
    const k = countBySeverity(check.findings);
    c.error += k.error;
    c.warning += k.warning;
    c.notice += k.notice;
  }
  return c;
}

/**
 * `4512` -> `4,512`, the same on every machine locale. Not Intl.NumberFormat: creating one loads
 * ICU data, about 45 ms of start-up on a CI runner.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac.slice(0, 3)}` : ''}`;
}

/** `1 error`, `3 warnings`, `4,512 notices`. */
export function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` (zero counts left out); '' when there is nothing. */
export function formatCounts(c: SeverityCounts): string {
  return SEVERITIES.filter((s) => c[s] > 0)
    .map((s) => plural(c[s], s))
    .join(', ');
}

/** `812 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
}

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` whose UTF-8 encoding fits `maxBytes`, never splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (utf8Bytes(s) <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/** Cut `s` to `max` UTF-16 units, ending with `…` when cut; never splits a surrogate pair. */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return s.slice(0, Math.max(0, max));
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** `sub\dir`, `./sub/dir`, `sub/dir/` -> `sub/dir/`; `''`, `.`, `./` -> `''`. */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  let p = prefix.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/{2,}/g, '/');
  if (p === '' || p === '.') return '';
  return p.endsWith('/') ? p : `${p}/`;
}

/** A finding's file seen from the repository root: prefix + file, forward slashes. */
export function prefixedPath(prefix: string | undefined, file: string): string {
  const p = normalizePrefix(prefix);
  const f = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (f === '' || f === '.') return p === '' ? '.' : p.slice(0, -1);
  return `${p}${f}`;
}

/** A positive 1-based position, or undefined for anything else (0, NaN, negative, non-integer). */
export function position(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A non-empty string, or undefined. */
export function present(s: string | undefined): string | undefined {
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/** `go.mod:3:1`, `go.mod:3`, `go.mod`, or '' when the finding has no file. */
export function formatLocation(f: Finding, prefix?: string): string {
  const file = present(f.file);
  if (!file) return '';
  const line = position(f.line);
  const col = line ? position(f.column) : undefined;
  return `${prefixedPath(prefix, file)}${line ? `:${line}` : ''}${col ? `:${col}` : ''}`;
}

/** Order inside one check and level: by file, line, column, findings without a file last (stable). */
export function compareByLocation(a: Finding, b: Finding): number {
  const fa = present(a.file);
  const fb = present(b.file);
  if (fa !== fb) {
    if (fa === undefined) return 1;
    if (fb === undefined) return -1;
    return fa < fb ? -1 : 1;
  }
  const la = position(a.line) ?? 0;
  const lb = position(b.line) ?? 0;
  if (la !== lb) return la - lb;
  return (position(a.column) ?? 0) - (position(b.column) ?? 0);
}

/** Order inside one check, as the runner sorts: errors, warnings, notices, then by location. */
export function compareFindings(a: Finding, b: Finding): number {
  return (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || compareByLocation(a, b);
}

/** Checks that could not complete or were skipped carry a reason; the others do not. */
export function hasReason(status: Status): boolean {
  return status === 'skip' || status === 'error';
}

/** A reason for a skip/error status even when the result lacks one. */
export function reasonOf(check: CheckResult): string {
  const r = present(check.skipReason);
  if (r) return r;
  return check.status === 'error' ? 'the check could not complete' : 'skipped';
}

// Text printed to a workflow log is read by the runner, line by line, twice:
// - setup-go registers a `go` problem matcher, ^\s*(.+\.go):(?:(\d+):(\d+):)? (.*), that stays
//   active for every later step of the job: any line holding `x.go: ` or `x.go:12:3: ` becomes an
//   extra error annotation and eats the 10-per-step budget (anchors.md §6.1);
// - the runner runs workflow commands: `::cmd::` at a line start after leading spaces, and the
//   legacy `##[cmd]` anywhere in a line (actions/runner ActionCommand.TryParseV2 / TryParse), so a
//   finding quoting a file that holds `::add-mask::` or `##[error]` would act on the job.
const GO_MATCHER_SHAPE = /\.go:(?=(?:\d+:\d+:)? )/g;
/** `x.go:12:` as the first word of a line: the shape other Go matchers (file:line: msg) look for. */
const GO_POSITION_AT_START = /^(\s*\S*?\.go):(?=\d)/;
const LEGACY_COMMAND = /##\[/g;
const COMMAND_AT_START = /^(\s*)::/;
/** WORD JOINER: invisible, and not white space for the runner's TrimStart. */
const JOINER = '\u2060';

/**
 * Make one line of log text inert for the problem matcher and the runner's command parser while
 * it reads the same: a WORD JOINER goes between `.go` and `:` (where a matcher would see a Go
 * position), inside `##[`, and before a leading `::`.
 */
export function defuseLogLine(line: string): string {
  return line
    .replace(GO_MATCHER_SHAPE, `.go${JOINER}:`)
    .replace(GO_POSITION_AT_START, `$1${JOINER}:`)
    .replace(LEGACY_COMMAND, `##${JOINER}[`)
    .replace(COMMAND_AT_START, `$1${JOINER}::`);
}

/** `defuseLogLine` on every line of `text`. */
export function defuseLog(text: string): string {
  return text.split('\n').map(defuseLogLine).join('\n');
}

/**
 * JSON.stringify with 2 spaces and a trailing newline, where `.go:` and `##[` inside strings are
 * written `.go\u003a` and `##\u005b`: the same value for every JSON parser, but a report printed
 * to a log (`--format json` in a workflow step) feeds neither setup-go's problem matcher nor the
 * runner's command parser. Structural colons and brackets never follow `.go` or `##`, and no line
 * of pretty-printed JSON starts with `::`, so only string contents change.
 */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)
    .replace(GO_MATCHER_SHAPE, '.go\\u003a')
    .replace(LEGACY_COMMAND, '##\\u005b')}\n`;
}

/**
 * Any text as inline code in GitHub markdown, safe in a table cell and a list item: an HTML
 * `<code>` element whose content has every character that markdown or HTML would act on written
 * as an entity (a backtick cannot close it, `|` cannot split a table row, `<` cannot open a tag),
 * and line breaks shown as `↵` (a newline would end the table row).
 */
export function markdownCode(s: string): string {
  return `<code>${markdownText(s)}</code>`;
}

/** Any text as plain inline text in GitHub markdown, safe in a table cell (see markdownCode). */
export function markdownText(s: string): string {
  return s.replace(/\r\n|\r|\n/g, '↵').replace(/[&<>`|\\*_[\]~$]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Findings are grouped by module when they concern at least this many modules. */
export const MODULE_GROUP_MIN = 4;

/** Module of a finding for grouping: its `module`, `.` for the root. */
export function moduleOf(f: Finding): string | undefined {
  const m = present(f.module)?.replace(/\\/g, '/');
  return m === undefined ? undefined : m === '' ? '.' : m;
}

/** The modules a check's findings concern, when there are enough of them to group by. */
export function groupedModules(findings: readonly Finding[]): string[] | undefined {
  const mods = new Set<string>();
  for (const f of findings) {
    const m = moduleOf(f);
    if (m !== undefined) mods.add(m);
  }
  return mods.size >= MODULE_GROUP_MIN ? [...mods].sort() : undefined;
}

/** Order for grouping: by module (findings without one last), then as usual. */
export function compareByModule(a: Finding, b: Finding): number {
  const ma = moduleOf(a) ?? '\uffff';
  const mb = moduleOf(b) ?? '\uffff';
  return ma < mb ? -1 : ma > mb ? 1 : compareFindings(a, b);
}

/** Checks whose work is per module: a passing one over many modules says "N modules, all clean". */
export const MODULE_CHECKS: ReadonlySet<string> = new Set(['mod-verify', 'mod-tidy', 'vendor', 'modules', 'packages']);

/** `12 modules, all clean` for a passing module-level check of a multi-module report, else ''. */
export function cleanModulesNote(report: Report, check: CheckResult): string {
  const n = report.modules?.length ?? 0;
  if (n < 2 || !MODULE_CHECKS.has(check.id) || check.status !== 'pass') return '';
  return `${formatNumber(n)} modules, all clean`;
}

/** `3 other modules clean` under a failing module-level check's grouped findings, else ''. */
export function otherModulesNote(report: Report, check: CheckResult, grouped: string[] | undefined): string {
  const all = report.modules;
  if (!grouped || !all || !MODULE_CHECKS.has(check.id)) return '';
  const clean = all.filter((m) => !grouped.includes(m)).length;
  return clean > 0 ? `${formatNumber(clean)} other module${clean === 1 ? '' : 's'} clean` : '';
}

