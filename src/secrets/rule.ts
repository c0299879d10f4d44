// A compiled rule, as the engine runs it (RegExp objects and validators: never sent to workers,
// every thread builds its own from a RulesetConfig).

import type { Severity } from '../core/types.js';
import { compileRe2 } from './re2.js';
import type { AllowlistSpec, FileKind, JsRegex, Tier } from './types.js';

/**
 * How a rule finds its candidates once one of its keywords occurs in a file:
 * - anchor: the sticky regex runs at each keyword occurrence (the keyword starts the token:
 *   `ghp_`, `AKIA`, `://`). Linear in the number of occurrences, immune to long lines.
 * - line: the global regex runs on a window around each occurrence (`window` chars each side,
 *   clamped to the line unless `multiline`).
 * - text: the global regex runs on the whole file (multi-line rules, user rules).
 * - path: the rule matches file paths only (gitleaks path-only rules).
 * - generic: the secret-ish-name = high-entropy-value rule, anchored after each keyword.
 */
/**
 * What the engine needs of a pattern: RegExp (the built-in rules) or Re2Regex (user patterns,
 * linear-time). `exec` follows RegExp's global/sticky `lastIndex` protocol and fills `indices`.
 */
export interface RegexLike {
  readonly source: string;
  readonly flags: string;
  readonly hasIndices: boolean;
  lastIndex: number;
  exec(s: string): RegExpExecArray | null;
  test(s: string): boolean;
}

export type RuleMode = 'anchor' | 'line' | 'text' | 'path' | 'generic';

export interface MatchContext {
  text: string;
  path: string;
  kind: FileKind;
  /** The line(s) holding the match. */
  line: string;
}

export interface Verdict {
  drop?: boolean;
  /** Lower the severity (a Stripe test-mode key, a GitHub token whose checksum does not match). */
  maxSeverity?: Severity;
  /** Words added to the message; never the secret. */
  note?: string;
  /** A more precise title ("RSA private key"). */
  title?: string;
}

export interface Rule {
  id: string;
  title: string;
  tier: Tier;
  /** Lower-cased keywords; the rule runs only on files holding one (none: always runs). */
  keywords: string[];
  mode: RuleMode;
  /** anchor: sticky (`y`); line/text: global (`g`). User rules: an Re2Regex (text mode only). */
  regex?: RegexLike;
  /** Capture group holding the secret; default: the first non-empty group, else the match. */
  secretGroup?: number;
  /** Skip when the secret's Shannon entropy is <= this (gitleaks semantics). */
  entropy?: number;
  /** Run only on files whose report path matches. */
  path?: RegexLike;
  /** line mode: characters each side of a keyword occurrence; anchor mode: the longest match (default 1100). */
  window?: number;
  /** line mode: let the window cross line ends (.netrc entries span lines). */
  multiline?: boolean;
  /** The pattern's `[\w.-]{0,50}?` prefix was stripped; rebuild it for match-target allowlists. */
  identifierPrefix?: boolean;
  allowlists: CompiledAllowlist[];
  /** Apply go-preflight's placeholder, stopword and known-public filters (default rules). */
  builtinFilters: boolean;
  stopwords?: readonly string[];
  /** Trim quotes, `\n` escapes and blanks around the secret (PEM bodies in code). */
  trim?: boolean;
  validate?: (secret: string, m: RegExpExecArray, ctx: MatchContext) => Verdict | undefined;
  /**
   * A cheap test on the file's bytes around one keyword occurrence (kwStart, kwEnd): false only
   * when the rule cannot match there. Lets the engine skip decoding files (see prepareByteScan).
   */
  bytePrefilter?: (bytes: Buffer, kwStart: number, kwEnd: number) => boolean;
  /** When two findings overlap, the higher priority wins (a GitHub token over the generic rule). */
  priority: number;
  /** Where and how to revoke it, for the hint. */
  revoke?: string;
}

export interface CompiledAllowlist {
  condition: 'OR' | 'AND';
  target: 'secret' | 'match' | 'line';
  regexes: RegexLike[];
  paths: RegexLike[];
  stopwords: string[];
  targetRules?: Set<string>;
}

/** Compile a pattern: RE2 ones on re2js (always global, with indices), the others on V8. */
export function compileJsRegex(r: JsRegex, extraFlags = ''): RegexLike {
  if (r.syntax === 're2') return compileRe2(r.source);
  return new RegExp(r.source, [...new Set((r.flags + extraFlags).split(''))].join(''));
}

/** Compile an allowlist; patterns that fail to compile are dropped (the loader already reported them). */
export function compileAllowlist(spec: AllowlistSpec): CompiledAllowlist {
  const compile = (list: JsRegex[]) =>
    list.flatMap((r) => {
      try {
        return [compileJsRegex(r)];
      } catch {
        return [];
      }
    });
  return {
    condition: spec.condition,
    target: spec.regexTarget,
    regexes: compile(spec.regexes),
    paths: compile(spec.paths),
    stopwords: spec.stopwords.map((w) => w.toLowerCase()).filter(Boolean),
    targetRules: spec.targetRules?.length ? new Set(spec.targetRules) : undefined,
  };
}

export interface AllowCandidate {
  secret: string;
  /** Produced lazily: only match-target allowlists need it. */
  match: () => string;
  line: () => string;
  path: string;
}

/** gitleaks semantics: OR = any criterion; AND = every criterion that is set (commits are ignored). */
export function allowlistAllows(al: CompiledAllowlist, c: AllowCandidate): boolean {
  const checks: Array<() => boolean> = [];
  if (al.paths.length) checks.push(() => al.paths.some((re) => re.test(c.path)));
  if (al.regexes.length) {
    checks.push(() => {
      const target = al.target === 'match' ? c.match() : al.target === 'line' ? c.line() : c.secret;
      return al.regexes.some((re) => re.test(target));
    });
  }
  if (al.stopwords.length) {
    checks.push(() => {
      const lower = c.secret.toLowerCase();
      return al.stopwords.some((w) => lower.includes(w));
    });
  }
  if (checks.length === 0) return false;
  return al.condition === 'AND' ? checks.every((f) => f()) : checks.some((f) => f());
}
