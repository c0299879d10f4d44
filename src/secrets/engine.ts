// The scanning engine: rule sets and `scanText`, the pure function that finds secrets in one file.
//
// Per file: one pass of the keyword automaton (overlapping, case-insensitive) tells which rules
// can match and where; then each rule runs only near its keywords (anchor/line/generic modes) or
// on the whole file (text mode) when one occurs. Candidates go through gitleaks' checks in
// gitleaks' order (inline allow, entropy, global allowlists, rule allowlists), then go-preflight's
// validators (checksums, JWT headers, placeholders), then overlaps are resolved (the most specific
// rule wins, as gitleaks drops a generic finding inside a provider token).

import type { Severity } from '../core/types.js';
import { HitBuffer, KeywordMatcher, isAsciiKeyword } from './aho-corasick.js';
import { shannonEntropy } from './entropy.js';
import { hasRuleStopword, isKnownPublic, isPlaceholder } from './filters.js';
import { redactedPreview } from './redact.js';
import { allowlistAllows, compileAllowlist, compileJsRegex, type CompiledAllowlist, type MatchContext, type RegexLike, type Rule, type Verdict } from './rule.js';
import { CREDENTIAL_FILE_RE, builtinRules, isBenignValue, isNonSecretName } from './rules.js';
import { DEFAULT_RULESET_CONFIG, type CustomRuleSpec, type FileKind, type RawFinding, type RulesetConfig, type Tier } from './types.js';

export interface Ruleset {
  readonly rules: readonly Rule[];
  readonly matcher: KeywordMatcher;
  /** For each rule (same index), the ids of its keywords in the matcher; empty = always runs. */
  readonly ruleKeywordIds: readonly (readonly number[])[];
  readonly globalAllowlists: readonly CompiledAllowlist[];
  /** For each keyword id: 1 when only generic-mode rules use it (its hits can be prefiltered on bytes). */
  readonly genericOnly: Uint8Array;
  /** Some rule runs on every file whatever its keywords (a user rule without keywords). */
  readonly alwaysRuns: boolean;
  /**
   * For each keyword id: the rules that use it when every one of them can be prefiltered on bytes
   * (anchor rules on a window, rules with a bytePrefilter).
   */
  readonly anchorOnly: ReadonlyArray<readonly Rule[] | undefined>;
}

/** At most this many findings per file: a file full of secrets is reported, not enumerated. */
export const MAX_FINDINGS_PER_FILE = 200;
const DEFAULT_WINDOW = 4096;
/** Longest match of an anchor rule, unless its `window` says more (JWTs). */
const ANCHOR_WINDOW = 1100;
const INLINE_ALLOW = ['gitleaks:allow', 'preflight:allow'];
const GENERATED_RE = /^\/\/ Code generated .* DO NOT EDIT\.\r?$/m;
/** Programming-language sources, where literals are quoted. */
const CODE_EXT_RE =
  /\.(?:go|s|c|cc|cpp|cxx|h|hh|hpp|m|mm|rs|swift|java|kt|kts|scala|groovy|gradle|cs|fs|vb|js|mjs|cjs|jsx|ts|mts|cts|tsx|vue|svelte|html?|py|rb|php|pl|pm|lua|dart|zig|hs|ex|exs|erl|clj|cljs|r|jl|proto|sql)$/i;

function compileCustomRule(spec: CustomRuleSpec, builtinFilters: boolean): Rule | undefined {
  let regex: RegexLike | undefined;
  let path: RegexLike | undefined;
  try {
    regex = spec.regex ? compileJsRegex(spec.regex, 'gd') : undefined;
    path = spec.path ? compileJsRegex(spec.path) : undefined;
  } catch {
    return undefined; // the config loader already reported it
  }
  if (!regex && !path) return undefined;
  return {
    id: spec.id,
    title: spec.description?.trim() || spec.id,
    tier: 'custom',
    keywords: spec.keywords.map((k) => k.toLowerCase()),
    mode: regex ? 'text' : 'path',
    regex,
    secretGroup: spec.secretGroup,
    entropy: spec.entropy,
    path,
    identifierPrefix: spec.regex?.identifierPrefix,
    allowlists: spec.allowlists.map(compileAllowlist),
    builtinFilters,
    priority: 25,
  };
}

/** Build a rule set: the defaults (unless replaced), then the user's rules and allowlists. */
export function createRuleset(config: RulesetConfig = DEFAULT_RULESET_CONFIG): Ruleset {
  let rules: Rule[] = config.useDefault ? builtinRules() : [];
  if (!config.generic) rules = rules.filter((r) => r.tier !== 'generic');
  for (const spec of config.rules) {
    const at = rules.findIndex((r) => r.id === spec.id);
    const existing = at >= 0 ? rules[at] : undefined;
    if (existing && !spec.regex) {
      // gitleaks: a rule with a default's id and no regex extends the default.
      existing.allowlists.push(...spec.allowlists.map(compileAllowlist));
      if (spec.entropy !== undefined) existing.entropy = spec.entropy;
      if (spec.path) {
        try {
          existing.path = compileJsRegex(spec.path);
        } catch {
          /* reported by the loader */
        }
      }
      continue;
    }
    const compiled = compileCustomRule(spec, config.useDefault);
    if (!compiled) continue;
    if (existing) rules[at] = compiled;
    else rules.push(compiled);
  }
  const disabled = new Set(config.disabledRules);
  rules = rules.filter((r) => !disabled.has(r.id));
  for (const r of rules) {
    // Every regex reports group positions (the `d` flag): the secret's column comes from them.
    if (r.regex instanceof RegExp && r.mode !== 'generic' && !r.regex.hasIndices) r.regex = new RegExp(r.regex.source, `${r.regex.flags}d`);
  }

  const keywordIds = new Map<string, number>();
  const ruleKeywordIds = rules.map((r) => {
    // A keyword the ASCII automaton cannot see would hide the rule: run such a rule always.
    if (r.mode === 'text' || r.mode === 'path') {
      if (r.keywords.length === 0 || !r.keywords.every(isAsciiKeyword)) return [];
    }
    return r.keywords.filter(isAsciiKeyword).map((k) => {
      let id = keywordIds.get(k);
      if (id === undefined) {
        id = keywordIds.size;
        keywordIds.set(k, id);
      }
      return id;
    });
  });
  const genericOnly = new Uint8Array(keywordIds.size).fill(1);
  rules.forEach((r, i) => {
    if (r.mode !== 'generic') for (const id of ruleKeywordIds[i]!) genericOnly[id] = 0;
  });
  const anchorOnly: Array<Rule[] | undefined> = [];
  const nonAnchor = new Uint8Array(keywordIds.size);
  rules.forEach((r, i) => {
    for (const id of ruleKeywordIds[i]!) {
      if (r.bytePrefilter || (r.mode === 'anchor' && r.regex instanceof RegExp && r.regex.sticky)) (anchorOnly[id] ??= []).push(r);
      else nonAnchor[id] = 1;
    }
  });
  for (let id = 0; id < keywordIds.size; id++) if (nonAnchor[id]) anchorOnly[id] = undefined;
  return {
    anchorOnly,
    rules,
    matcher: new KeywordMatcher([...keywordIds.keys()]),
    ruleKeywordIds,
    globalAllowlists: config.allowlists.map(compileAllowlist),
    genericOnly,
    alwaysRuns: rules.some((r, i) => r.mode !== 'path' && ruleKeywordIds[i]!.length === 0),
  };
}

let defaultRs: Ruleset | undefined;

/** The default rule set, built once per thread. */
export function defaultRuleset(): Ruleset {
  return (defaultRs ??= createRuleset());
}

/**
 * Test code and fixtures: Go's `_test.go`, `testing.go` and `testdata/`, templates of test files
 * (`x_test.go.tmpl`), and the usual test places of other languages.
 */
const TEST_PATH_RE =
  /(?:_test\.go(?:\.(?:tmpl|tpl|gotmpl|template|j2|in))?$|(?:^|\/)testing\.go$|(?:^|\/)(?:testdata|test-fixtures|fixtures|tests|__tests__)\/|\.test\.[cm]?[jt]sx?$|(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$)/;
/** Example code, by a directory that says so. */
const EXAMPLE_PATH_RE = /(?:^|\/)_?examples?\//;

/** Where a file sits (see FileKind); generated: Go's `// Code generated … DO NOT EDIT.` header. */
export function fileKind(path: string, text: string): FileKind {
  if (TEST_PATH_RE.test(path)) return 'test';
  if (EXAMPLE_PATH_RE.test(path)) return 'example';
  if (GENERATED_RE.test(text.slice(0, 8192))) return 'generated';
  return 'normal';
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

export function severityFor(tier: Tier, kind: FileKind, path: string, cap?: Severity): Severity {
  const throwaway = kind === 'test' || kind === 'example';
  let s: Severity;
  // A file whose only purpose is holding credentials: whatever was found there is meant to be one
  // (only the rule's own judgement lowers it: an encrypted key, a made-up token).
  if (CREDENTIAL_FILE_RE.test(path)) s = 'error';
  else switch (tier) {
    case 'custom':
      s = 'error';
      break;
    case 'provider':
    case 'private-key':
      // Test and example keys are usually throwaway: worth a look, not a failed build.
      s = throwaway ? 'warning' : 'error';
      break;
    case 'credential':
    case 'generic':
      s = kind !== 'normal' ? 'notice' : 'warning';
      break;
  }
  return cap && RANK[cap] > RANK[s] ? cap : s;
}

interface Candidate {
  rule: Rule;
  start: number;
  end: number;
  matchStart: number;
  matchEnd: number;
  secret: string;
  verdict?: Verdict;
  name?: string;
}

// One buffer per thread: scanText is synchronous, so it is never used by two scans at once.
const hitBuffer = new HitBuffer(4096);

/**
 * Find the secrets in one file's text. `path` is the report path (forward slashes): it decides
 * path-conditioned rules, allowlist paths and the severity (tests, testdata, generated code).
 * The returned findings hold the secret (for log masking); strip it before storing or reporting.
 */
export function scanText(path: string, text: string, ruleset: Ruleset = defaultRuleset()): RawFinding[] {
  return new FileScan(path, text, ruleset).step()!;
}

const isNameByte = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
const isBlank = (c: number) => c === 32 || c === 9;
const isQuote = (c: number) => c === 34 || c === 39 || c === 96;
/** [A-Za-z0-9_.+/~@-]: a bare value's characters. */
const isBareValueByte = (c: number) => isNameByte(c) || c === 43 || c === 47 || c === 126 || c === 64;

/**
 * Whether the generic rule could match after a keyword ending at byte p: a loose (superset) form
 * of GENERIC_TAIL on bytes: the rest of a name, an assignment, then a quoted value of 10+
 * characters (or, outside source code, a bare one). Most keyword occurrences in code (`key :=
 * range`, "Copyright The Go Authors.") fail here, and a file whose occurrences all fail is never
 * decoded to a string.
 */
function genericMayMatch(b: Uint8Array, p: number, isCode: boolean): boolean {
  const n = b.length;
  let i = p;
  for (let k = 0; k < 40 && i < n && isNameByte(b[i]!); k++) i++;
  if (i < n && (isQuote(b[i]!) || b[i] === 93)) i++;
  for (let k = 0; k < 32 && i < n && isBlank(b[i]!); k++) i++;
  if (i >= n) return false;
  const c = b[i]!;
  if (c === 58 /* : */ || c === 61 /* = */ || c === 62 /* > */ || c === 44 /* , */) i++;
  else if (c === 63 /* ? */ || c === 124 /* | */) i += 2;
  else return false;
  while (i < n && (b[i] === 61 || b[i] === 62 || b[i] === 124)) i++;
  for (let k = 0; k < 32 && i < n && isBlank(b[i]!); k++) i++;
  if (i + 10 > n) return false;
  if (b[i] === 91 /* [ */ && b[i + 1] === 93) i += 7; // []byte(
  if (i < n && isQuote(b[i]!)) {
    if (i + 11 > n) return false;
    for (let k = i + 1; k <= i + 10; k++) {
      const v = b[k]!;
      if (isQuote(v) || v === 92 || v === 32 || (v >= 9 && v <= 13)) return false;
    }
    return true;
  }
  if (isCode) return false;
  for (let k = i; k < i + 10; k++) if (!isBareValueByte(b[k]!)) return false;
  return true;
}

/**
 * Whether one of the anchor rules matches at byte `start`, tried on a latin1 window of the bytes
 * (their patterns are ASCII, so a byte >= 128 fails them as its UTF-8 character would).
 */
function anchorMayMatch(b: Buffer, start: number, end: number, rules: readonly Rule[]): boolean {
  let regexRules = 0;
  for (const r of rules) {
    if (!r.bytePrefilter) regexRules++;
    else if (r.bytePrefilter(b, start, end)) return true;
  }
  if (regexRules === 0) return false;
  const from = Math.max(0, start - 1);
  let reach = 0;
  for (const r of rules) if (!r.bytePrefilter) reach = Math.max(reach, r.window ?? ANCHOR_WINDOW);
  const win = b.toString('latin1', from, Math.min(b.length, start + reach + 1));
  for (const r of rules) {
    if (r.bytePrefilter) continue;
    const re = r.regex!;
    re.lastIndex = start - from;
    if (re.exec(win)) return true;
  }
  return false;
}

/** Findings of the path-only rules for a file whose content is not scanned (binary, nothing to match). */
export function pathFindings(path: string, rs: Ruleset = defaultRuleset()): RawFinding[] {
  if (!rs.rules.some((r) => r.mode === 'path' && r.path?.test(path))) return [];
  return scanText(path, '', rs);
}

/**
 * Prepare the scan of a file of ASCII bytes: keywords found on the bytes, generic-rule
 * occurrences prefiltered, and the text decoded only when something is left for a rule to look
 * at. Returns undefined when nothing is (the path-only rules still apply: see scanText(path, '')).
 */
export function prepareAsciiScan(path: string, bytes: Buffer, rs: Ruleset): FileScan | undefined {
  return prepareByteScan(path, bytes, rs, true);
}

/**
 * The same for any file read as bytes. For a file with non-ASCII bytes the byte offsets are not
 * the string's: the prefilter only decides whether to decode it at all, and the decoded text is
 * searched again. (Keywords and the prefilter's structure are ASCII, and a UTF-8 sequence never
 * holds an ASCII byte, so the bytes say the same as the text.)
 */
export function prepareByteScan(path: string, bytes: Buffer, rs: Ruleset, ascii: boolean): FileScan | undefined {
  hitBuffer.reset();
  rs.matcher.scanBytes(bytes, hitBuffer);
  const data = hitBuffer.data;
  const isCode = CODE_EXT_RE.test(path);
  let kept = 0;
  for (let k = 0; k < hitBuffer.length; k++) {
    const end = data[2 * k]!;
    const id = data[2 * k + 1]!;
    if (rs.genericOnly[id] && !genericMayMatch(bytes, end + 1, isCode)) continue;
    const anchors = rs.anchorOnly[id];
    if (anchors && !anchorMayMatch(bytes, end + 1 - rs.matcher.keywords[id]!.length, end + 1, anchors)) continue;
    data[2 * kept] = end;
    data[2 * kept + 1] = id;
    kept++;
  }
  hitBuffer.length = kept;
  if (kept === 0 && !rs.alwaysRuns) return undefined;
  if (!ascii) return new FileScan(path, bytes.toString('utf8'), rs);
  return new FileScan(path, bytes.toString('latin1'), rs, true);
}

/**
 * One file's scan, resumable between rules: `step(deadline)` runs rules until all are done
 * (returns the findings) or until the clock passes `deadline` after a rule (returns undefined;
 * call again to go on). It always makes progress, so a caller can return to the event loop
 * between steps (timeouts and aborts then work on the main thread).
 */
export class FileScan {
  private newlines?: Int32Array;
  private kindCache?: FileKind;
  private readonly candidates: Candidate[] = [];
  private readonly allowCache = new Map<string, boolean>();
  private full = false;
  /** Hit positions (index of the keyword's last char) grouped by keyword id. */
  private byKeyword: Int32Array = new Int32Array(0);
  private kwOffset: Int32Array = new Int32Array(0);
  private started = false;
  private next = 0;
  private readonly pathRules: Rule[] = [];

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly rs: Ruleset,
    /** The thread's hit buffer already holds this text's keyword hits (prepareAsciiScan). */
    hitsReady = false,
  ) {
    if (hitsReady) {
      this.groupHits();
      this.started = true;
    }
  }

  step(deadline = Infinity): RawFinding[] | undefined {
    const { rs, text } = this;
    if (!this.started) {
      // The hit buffer is shared by the thread: grouped (copied) before any other scan can run.
      hitBuffer.reset();
      rs.matcher.scan(text, hitBuffer);
      this.groupHits();
      this.started = true;
    }
    const rules = rs.rules;
    while (this.next < rules.length) {
      const i = this.next++;
      const rule = rules[i]!;
      if (this.full) break;
      if (rule.path && !rule.path.test(this.path)) continue;
      if (rule.mode === 'path') {
        this.pathRules.push(rule);
        continue;
      }
      const ids = rs.ruleKeywordIds[i]!;
      if (ids.length > 0 && !ids.some((id) => this.count(id) > 0)) continue;
      switch (rule.mode) {
        case 'anchor':
          this.runAnchor(rule, ids);
          break;
        case 'line':
          this.runLine(rule, ids);
          break;
        case 'text':
          this.runRegex(rule, 0, text.length);
          break;
        case 'generic':
          this.runGeneric(rule, ids);
          break;
      }
      if (deadline !== Infinity && this.next < rules.length && Date.now() >= deadline) return undefined;
    }
    return this.finish(this.pathRules);
  }

  private groupHits(): void {
    const n = this.rs.matcher.keywords.length;
    const counts = new Int32Array(n + 1);
    const data = hitBuffer.data;
    const len = hitBuffer.length;
    for (let k = 0; k < len; k++) counts[data[2 * k + 1]! + 1]!++;
    for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
    this.kwOffset = counts;
    const fill = counts.slice(0, n);
    const out = new Int32Array(len);
    for (let k = 0; k < len; k++) out[fill[data[2 * k + 1]!]!++] = data[2 * k]!;
    this.byKeyword = out;
  }

  private count(id: number): number {
    return this.kwOffset[id + 1]! - this.kwOffset[id]!;
  }

  private codeCache?: boolean;
  private get isCode(): boolean {
    return (this.codeCache ??= CODE_EXT_RE.test(this.path));
  }

  private get kind(): FileKind {
    return (this.kindCache ??= fileKind(this.path, this.text));
  }

  // --- line arithmetic (newline index built on first use)

  private lines(): Int32Array {
    if (this.newlines) return this.newlines;
    const t = this.text;
    const pos: number[] = [];
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) pos.push(i);
    return (this.newlines = Int32Array.from(pos));
  }

  /** 0-based line index of offset i. */
  private lineIndex(i: number): number {
    const nl = this.lines();
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nl[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lineStart(i: number): number {
    const li = this.lineIndex(i);
    return li === 0 ? 0 : this.lines()[li - 1]! + 1;
  }

  private lineEnd(i: number): number {
    const li = this.lineIndex(i);
    const nl = this.lines();
    return li < nl.length ? nl[li]! : this.text.length;
  }

  // --- modes

  /**
   * Start offsets of the rule's keyword occurrences, ascending, without duplicates (a keyword
   * that is a prefix of another starts at the same place). Typed arrays, no per-hit objects: a
   * 5 MB line of repeated keywords has a million of them.
   */
  private keywordStarts(ids: readonly number[]): Int32Array {
    let total = 0;
    for (const id of ids) total += this.count(id);
    const out = new Int32Array(total);
    let n = 0;
    for (const id of ids) {
      const kwLen = this.rs.matcher.keywords[id]!.length;
      for (let k = this.kwOffset[id]!; k < this.kwOffset[id + 1]!; k++) out[n++] = this.byKeyword[k]! - kwLen + 1;
    }
    // One keyword's hits are already in text order.
    if (ids.length === 1) return out;
    out.sort();
    let u = 0;
    for (let i = 0; i < n; i++) if (i === 0 || out[i] !== out[i - 1]) out[u++] = out[i]!;
    return out.subarray(0, u);
  }

  private runAnchor(rule: Rule, ids: readonly number[]): void {
    const re = rule.regex!;
    const starts = this.keywordStarts(ids);
    for (let i = 0; i < starts.length && !this.full; i++) {
      re.lastIndex = starts[i]!;
      const m = re.exec(this.text);
      if (m) this.fromMatch(rule, m, 0);
    }
  }

  private runLine(rule: Rule, ids: readonly number[]): void {
    const starts = this.keywordStarts(ids);
    let maxKw = 0;
    for (const id of ids) maxKw = Math.max(maxKw, this.rs.matcher.keywords[id]!.length);
    const w = rule.window ?? DEFAULT_WINDOW;
    const n = this.text.length;
    let ws = -1;
    let we = -1;
    for (let i = 0; i < starts.length; i++) {
      if (this.full) return;
      const s = starts[i]!;
      const e = s + maxKw;
      // Inside the current window and cannot widen it: no line arithmetic needed.
      if (s - w <= we && e + w <= we) continue;
      const a = rule.multiline ? Math.max(0, s - w) : Math.max(this.lineStart(s), s - w);
      const b = rule.multiline ? Math.min(n, e + w) : Math.min(this.lineEnd(s), e + w);
      if (a <= we) we = Math.max(we, b);
      else {
        if (ws >= 0) this.runRegex(rule, ws, we);
        ws = a;
        we = b;
      }
    }
    if (ws >= 0 && !this.full) this.runRegex(rule, ws, we);
  }

  /** Run a global regex over text[from, to) (a slice, so a failed search stops at `to`). */
  private runRegex(rule: Rule, from: number, to: number): void {
    const re = rule.regex!;
    const sub = from === 0 && to === this.text.length ? this.text : this.text.slice(from, to);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (!this.full && (m = re.exec(sub)) !== null) {
      if (m[0].length === 0) re.lastIndex++;
      this.fromMatch(rule, m, from);
    }
  }

  private runGeneric(rule: Rule, ids: readonly number[]): void {
    const re = rule.regex!;
    const text = this.text;
    const seen = new Set<number>();
    for (const id of ids) {
      const kwLen = this.rs.matcher.keywords[id]!.length;
      for (let k = this.kwOffset[id]!; k < this.kwOffset[id + 1]! && !this.full; k++) {
        const kwEnd = this.byKeyword[k]! + 1;
        re.lastIndex = kwEnd;
        const m = re.exec(text);
        if (!m) continue;
        const quoted = m[3] !== undefined;
        const value = (quoted ? m[3] : m[4]) ?? '';
        const matchEnd = m.index + m[0].length;
        const valueEnd = matchEnd - (quoted ? 1 : 0);
        const valueStart = valueEnd - value.length;
        if (seen.has(valueStart)) continue;
        seen.add(valueStart);
        // The whole name: back over identifier characters from the keyword (at most 50).
        let nameStart = kwEnd - kwLen;
        const floor = Math.max(0, nameStart - 50);
        while (nameStart > floor && /[A-Za-z0-9_.-]/.test(text[nameStart - 1]!)) nameStart--;
        // `arn:aws:secretsmanager:…:secret:name` and other colon paths: not an assignment.
        if (text[nameStart - 1] === ':') continue;
        const nameEnd = kwEnd + (m[1]?.length ?? 0);
        const name = text.slice(nameStart, nameEnd);
        if (isNonSecretName(name, value)) continue;
        // `"NAME", "value"` counts only as the first arguments of a call (os.Setenv, viper.Set)
        // or a pair in a list of pairs (`{ { "AccountKey", "…" } }`), not as neighbours in a list of strings.
        if (/^["'`]?[ \t]*,/.test(text.slice(nameEnd, nameEnd + 8)) && !/(?:\(|[{,(][ \t]*\{)[ \t]*["'`]$/.test(text.slice(Math.max(0, nameStart - 12), nameStart))) continue;
        if (!quoted) {
          // In source code a bare value is an expression (os.Getenv, k*size), never a literal;
          // bare values count in config files (.env, YAML, INI, shell).
          if (this.isCode) continue;
          // Followed by `(`, `[`, `{`, `:` or `<` (but not a closing tag `</`): code or a URL.
          const next = text[valueEnd] ?? '';
          if (/[([{:$]/.test(next) || (next === '<' && text[valueEnd + 1] !== '/')) continue;
        }
        if (isBenignValue(value, name)) continue;
        this.consider(rule, valueStart, valueEnd, nameStart, matchEnd, m, name);
      }
    }
  }

  private fromMatch(rule: Rule, m: RegExpExecArray, offset: number): void {
    let g = 0;
    if (rule.secretGroup !== undefined) g = m[rule.secretGroup] !== undefined ? rule.secretGroup : 0;
    else for (let i = 1; i < m.length; i++) if (m[i]) {
        g = i;
        break;
      }
    const span = m.indices?.[g];
    const start = (span ? span[0] : m.index) + offset;
    const end = (span ? span[1] : m.index + m[0].length) + offset;
    this.consider(rule, start, end, m.index + offset, m.index + m[0].length + offset, m);
  }

  private lineHasAllow(ls: number, le: number): boolean {
    // Cached per line: a 1 MB line with thousands of candidates is searched once.
    const key = `${ls}:${le}`;
    let v = this.allowCache.get(key);
    if (v === undefined) {
      const line = this.text.slice(ls, le);
      v = INLINE_ALLOW.some((w) => line.includes(w));
      this.allowCache.set(key, v);
    }
    return v;
  }

  private consider(rule: Rule, start0: number, end0: number, matchStart: number, matchEnd: number, m: RegExpExecArray, name?: string): void {
    const text = this.text;
    let start = start0;
    let end = end0;
    if (rule.trim) {
      // PEM bodies pasted into code: drop the quotes, `+`, blanks and `\n` escapes around them.
      const isEscape = (i: number) => text[i] === '\\' && /[nrt]/.test(text[i + 1] ?? '');
      const isJunk = (i: number) => /[\s"'`+,]/.test(text[i] ?? '');
      for (;;) {
        if (start < end && isEscape(start)) start += 2;
        else if (start < end && isJunk(start)) start++;
        else break;
      }
      for (;;) {
        if (end - 2 >= start && isEscape(end - 2)) end -= 2;
        else if (end > start && isJunk(end - 1)) end--;
        else break;
      }
    }
    if (end <= start) return;
    const secret = text.slice(start, end);
    const ls = this.lineStart(matchStart);
    const le = this.lineEnd(Math.max(matchStart, matchEnd - 1));
    if (this.lineHasAllow(ls, le)) return;
    if (rule.entropy !== undefined && shannonEntropy(secret) <= rule.entropy) return;
    if (rule.builtinFilters && (isPlaceholder(secret) || hasRuleStopword(secret, rule.stopwords ?? []) || isKnownPublic(secret))) return;
    const cand = {
      secret,
      path: this.path,
      line: () => text.slice(ls, le),
      match: () => {
        let ms = matchStart;
        if (rule.identifierPrefix) {
          const floor = Math.max(0, ms - 50);
          while (ms > floor && /[\w.-]/.test(text[ms - 1]!)) ms--;
        }
        return text.slice(ms, matchEnd);
      },
    };
    for (const al of this.rs.globalAllowlists) {
      if ((!al.targetRules || al.targetRules.has(rule.id)) && allowlistAllows(al, cand)) return;
    }
    for (const al of rule.allowlists) if (allowlistAllows(al, cand)) return;
    let verdict: Verdict | undefined;
    if (rule.validate) {
      const ctx: MatchContext = { text, path: this.path, kind: this.kind, line: cand.line() };
      verdict = rule.validate(secret, m, ctx);
      if (verdict?.drop) return;
    }
    this.candidates.push({ rule, start, end, matchStart, matchEnd, secret, verdict, name });
    if (this.candidates.length >= MAX_FINDINGS_PER_FILE * 4) this.full = true;
  }

  private finish(pathRules: Rule[]): RawFinding[] {
    const byStrength = [...this.candidates].sort(
      (a, b) => b.rule.priority - a.rule.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
    );
    const kept: Candidate[] = [];
    for (const c of byStrength) {
      if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
      kept.push(c);
    }
    kept.sort((a, b) => a.start - b.start);
    const out: RawFinding[] = [];
    for (const rule of pathRules) {
      out.push({
        ruleId: rule.id,
        title: rule.title,
        file: this.path,
        line: 0,
        column: 0,
        endLine: 0,
        severity: severityFor(rule.tier, this.kind, this.path),
        tier: rule.tier,
        kind: this.kind,
        preview: '',
        fingerprint: `${this.path}:${rule.id}:0`,
      });
    }
    for (const c of kept.slice(0, MAX_FINDINGS_PER_FILE)) {
      const line = this.lineIndex(c.start) + 1;
      const f: RawFinding = {
        ruleId: c.rule.id,
        title: c.verdict?.title ?? c.rule.title,
        file: this.path,
        line,
        column: c.start - this.lineStart(c.start) + 1,
        endLine: this.lineIndex(c.end - 1) + 1,
        severity: severityFor(c.rule.tier, this.kind, this.path, c.verdict?.maxSeverity),
        tier: c.rule.tier,
        kind: this.kind,
        preview: redactedPreview(c.secret),
        fingerprint: `${this.path}:${c.rule.id}:${line}`,
        secret: c.secret,
      };
      if (c.verdict?.note) f.note = c.verdict.note;
      if (c.name && looksLikeName(c.name)) f.name = c.name;
      out.push(f);
    }
    return out;
  }
}

/**
 * Whether a generic finding's name may be shown in its message. The name is read back from the
 * text up to the keyword, so in packed data it could hold the tail of a neighbouring secret:
 * show it only when it reads like a name (words, a few digits, low entropy).
 */
export function looksLikeName(name: string): boolean {
  if (name.length > 40 || shannonEntropy(name) > 4) return false;
  return name
    .replace(/^[-.]+/, '')
    .split(/[_.-]+/)
    .every((seg) => seg === '' || /^(?:[A-Z0-9]{1,12}|[A-Za-z][a-z]*(?:[A-Z][a-z]*)*)\d{0,3}$/.test(seg));
}

/** Find rules by id (for messages and hints). */
export function ruleById(rs: Ruleset, id: string): Rule | undefined {
  return rs.rules.find((r) => r.id === id);
}
