// User patterns (.gitleaks.toml rules, allowlist regexes and paths) run on re2js, a pure-JavaScript
// port of Go's regexp package: the same RE2 syntax gitleaks reads (inline flags anywhere, `\z`,
// `(?P<name>…)`, POSIX classes, `\Q…\E`, Unicode classes), and linear-time matching, so no
// pattern written by the inspected repository can backtrack (`(a+)+$` on a long line costs one
// pass, where V8 would never return). go-preflight's own rules stay on V8 RegExp: each is written
// to be linear (bounded repetitions, atomic look-ahead groups) and tests/redos*.test.ts proves it
// on pathological lines.

import { RE2JS } from 're2js';

export class Re2TranslateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Re2TranslateError';
  }
}

export interface TranslatedRegex {
  /** The RE2 pattern (the lazy identifier prefix removed, see below). */
  source: string;
  /** Always '' (inline flags stay in the pattern, RE2 reads them). */
  flags: string;
  syntax: 're2';
  /**
   * The pattern started with gitleaks' lazy identifier prefix `[\w.-]{0,50}?`, which was removed:
   * it multiplies the matching work and only matters for match-target allowlists, so the engine
   * rebuilds it by scanning back over `[\w.-]` from the match start.
   */
  identifierPrefix: boolean;
}

const LAZY_PREFIX = /^(\(\?i\))?\[\\w\.-\]\{0,50\}\?/;

/** Most characters of a user pattern: a longer one is a mistake or an attack on compile time. */
const MAX_PATTERN = 4096;

function compileOrThrow(pattern: string): RE2JS {
  if (pattern.length > MAX_PATTERN) throw new Re2TranslateError(`longer than ${MAX_PATTERN} characters`);
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    // re2js says "error parsing regexp: <what>: `<fragment>`", as Go does.
    const msg = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    // The two PCRE habits gitleaks users meet most, said in words.
    if (/`\(\?<?[=!]/.test(msg)) throw new Re2TranslateError('look-arounds are not RE2 syntax');
    if (/`\\[1-9]/.test(msg)) throw new Re2TranslateError('back-references are not RE2 syntax');
    throw new Re2TranslateError(`not valid RE2 syntax (${msg.slice(0, 120)})`);
  }
}

/** Check an RE2 pattern and prepare it for compileRe2; throws Re2TranslateError when RE2 rejects it. */
export function translateRe2(pattern: string): TranslatedRegex {
  let p = pattern;
  let identifierPrefix = false;
  const lazy = LAZY_PREFIX.exec(p);
  if (lazy) {
    identifierPrefix = true;
    p = (lazy[1] ?? '') + p.slice(lazy[0].length);
  }
  compileOrThrow(pattern);
  compileOrThrow(p);
  return { source: p, flags: '', syntax: 're2', identifierPrefix };
}

type Indices = Array<[number, number] | undefined>;

/**
 * An RE2 pattern behind the part of the RegExp interface the engine uses: `exec` with `lastIndex`
 * (global semantics: each call continues after the previous match), `test`, `index` and the `d`
 * flag's `indices` (UTF-16 offsets, like RegExp).
 */
export class Re2Regex {
  readonly source: string;
  readonly flags = 'gd';
  readonly hasIndices = true;
  readonly global = true;
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(pattern: string) {
    this.source = pattern;
    this.re = compileOrThrow(pattern);
  }

  test(s: string): boolean {
    return this.re.test(s);
  }

  exec(s: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (from > s.length) {
      this.lastIndex = 0;
      return null;
    }
    // A DFA pass without captures is ~10x cheaper than a capturing search: most texts hold no match.
    if (from === 0 && !this.re.test(s)) {
      this.lastIndex = 0;
      return null;
    }
    const m = this.re.matcher(s);
    if (!m.find(from)) {
      this.lastIndex = 0;
      return null;
    }
    const n = m.groupCount();
    const groups: Array<string | undefined> = [];
    const indices: Indices = [];
    for (let g = 0; g <= n; g++) {
      const a = m.start(g);
      const b = m.end(g);
      if (a < 0 || b < 0) {
        groups.push(undefined);
        indices.push(undefined);
      } else {
        groups.push(s.slice(a, b));
        indices.push([a, b]);
      }
    }
    const out = groups as unknown as RegExpExecArray;
    out.index = m.start(0);
    out.input = s;
    (out as unknown as { indices: Indices }).indices = indices;
    // As RegExp: after an empty match the caller steps lastIndex on.
    this.lastIndex = m.end(0);
    return out;
  }
}

/** Compile a prepared RE2 pattern (see translateRe2). */
export function compileRe2(source: string): Re2Regex {
  return new Re2Regex(source);
}
