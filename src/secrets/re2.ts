// RE2 (Go regexp) -> JavaScript RegExp translation, for the patterns of a user's .gitleaks.toml.
//
// The two dialects mostly agree; the differences that matter, handled here:
// - inline flags anywhere: `(?i)` mid-pattern, `(?i:…)`, `(?-i:…)`, `(?s:…)`, `(?m)`. Node 20 has
//   no inline modifiers, so case-insensitivity becomes letter classes (`k` -> `[kK]`), `(?s)`
//   makes `.` `[\s\S]`, `(?m)` rewrites `^`/`$` as look-arounds;
// - RE2's `.` never matches `\n`, JavaScript's also skips `\r` and U+2028/9: `.` -> `[^\n]`;
// - `\z` and `\A`, `(?P<name>`, POSIX classes `[[:alnum:]]`, `\Q…\E`, `\x{hh}`, a leading `]` in
//   a class (`[]a]`);
// - what JavaScript cannot express (`\p{…}` without the `u` flag, `(?U)`) or RE2 rejects
//   (look-arounds, back-references) raises Re2TranslateError, which the config loader reports.
// The `u` flag is never used: gitleaks patterns contain lone `{`/`}` that `u` rejects.

export class Re2TranslateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Re2TranslateError';
  }
}

export interface TranslatedRegex {
  source: string;
  /** JavaScript flags without `g`/`y` (only ever '' or 'i'). */
  flags: string;
  /**
   * The pattern started with gitleaks' lazy identifier prefix `[\w.-]{0,50}?`, which was removed:
   * it costs ~10x in V8 and only matters for match-target allowlists, so the engine rebuilds it by
   * scanning back over `[\w.-]` from the match start.
   */
  identifierPrefix: boolean;
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const LAZY_PREFIX = /^(\(\?i\))?\[\\w\.-\]\{0,50\}\?/;

/** Translate an RE2 pattern; throws Re2TranslateError when it cannot be expressed in JavaScript. */
export function translateRe2(pattern: string): TranslatedRegex {
  let p = pattern;
  let identifierPrefix = false;
  const lazy = LAZY_PREFIX.exec(p);
  if (lazy) {
    identifierPrefix = true;
    p = (lazy[1] ?? '') + p.slice(lazy[0].length);
  }
  let flags = '';
  // A leading (?i) with no other case-flag change maps to the `i` flag (cheaper to read);
  // otherwise the translator handles it like any inline flag.
  if (p.startsWith('(?i)') && !/\(\?[a-zA-Z]*-?[a-zA-Z]*i/.test(p.slice(4))) {
    p = p.slice(4);
    flags = 'i';
  }
  const source = new Translator(p, { i: false, s: false, m: false }).run();
  try {
    new RegExp(source, flags);
  } catch (e) {
    throw new Re2TranslateError(`not a valid pattern once translated (${e instanceof Error ? e.message : String(e)})`);
  }
  return { source, flags, identifierPrefix };
}

class Translator {
  private i = 0;
  private out = '';
  private readonly stack: Flags[];
  constructor(
    private readonly p: string,
    initial: Flags,
  ) {
    this.stack = [{ ...initial }];
  }

  private get f(): Flags {
    return this.stack[this.stack.length - 1]!;
  }

  run(): string {
    const p = this.p;
    while (this.i < p.length) {
      const ch = p[this.i]!;
      if (ch === '\\') this.escape();
      else if (ch === '[') this.charClass();
      else if (ch === '(') this.openGroup();
      else if (ch === ')') {
        if (this.stack.length <= 1) throw new Re2TranslateError('unbalanced )');
        this.stack.pop();
        this.out += ')';
        this.i++;
      } else if (ch === '.') {
        this.out += this.f.s ? '[\\s\\S]' : '[^\\n]';
        this.i++;
      } else if (ch === '^') {
        this.out += this.f.m ? '(?<=^|\\n)' : '^';
        this.i++;
      } else if (ch === '$') {
        this.out += this.f.m ? '(?=\\n|$)' : '$';
        this.i++;
      } else {
        this.literal(ch);
        this.i++;
      }
    }
    if (this.stack.length !== 1) throw new Re2TranslateError('missing )');
    return this.out;
  }

  private literal(ch: string): void {
    if (this.f.i && /[a-zA-Z]/.test(ch)) this.out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else if (ch === '/') this.out += '\\/';
    else this.out += ch;
  }

  private openGroup(): void {
    const p = this.p;
    const rest = p.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.stack.push({ ...this.f });
      this.out += '(';
      this.i++;
      return;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.stack.push({ ...this.f });
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    if (/^\(\?(?:=|!|<=|<!)/.test(rest)) throw new Re2TranslateError('look-arounds are not RE2 syntax');
    const fl = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (!fl) throw new Re2TranslateError(`unknown group syntax near "${rest.slice(0, 8)}"`);
    const next: Flags = { ...this.f };
    const apply = (letters: string, on: boolean) => {
      for (const l of letters) {
        if (l === 'i') next.i = on;
        else if (l === 's') next.s = on;
        else if (l === 'm') next.m = on;
        else if (l === 'U') throw new Re2TranslateError('the ungreedy flag (?U) is not supported');
        else throw new Re2TranslateError(`unknown flag "${l}"`);
      }
    };
    apply(fl[1] ?? '', true);
    apply(fl[2] ?? '', false);
    this.i += fl[0].length;
    if (fl[3] === ')') {
      // (?i) mid-pattern: applies to the rest of the enclosing group.
      this.stack[this.stack.length - 1] = next;
    } else {
      this.stack.push(next);
      this.out += '(?:';
    }
  }

  private escape(): void {
    const p = this.p;
    const c = p[this.i + 1];
    if (c === undefined) throw new Re2TranslateError('trailing backslash');
    this.i += 2;
    switch (c) {
      case 'z':
        this.out += '(?![\\s\\S])';
        return;
      case 'A':
        this.out += '(?<![\\s\\S])';
        return;
      case 'a':
        this.out += '\\x07';
        return;
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const lit = end === -1 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end === -1 ? p.length : end + 2;
        for (const ch of lit) {
          if (/[a-zA-Z]/.test(ch)) this.literal(ch);
          else this.out += escapeLiteral(ch);
        }
        return;
      }
      case 'x':
        this.out += this.hexEscape();
        return;
      case 'p':
      case 'P':
        throw new Re2TranslateError('Unicode classes (\\p{…}) are not supported');
      case 'C':
        throw new Re2TranslateError('\\C is not supported');
      case 'Z':
        throw new Re2TranslateError('\\Z is not RE2 syntax (use \\z)');
      default:
        if (/[1-9]/.test(c)) throw new Re2TranslateError('back-references are not RE2 syntax');
        if (c === '0') {
          const oct = /^[0-7]{0,2}/.exec(p.slice(this.i))![0];
          this.i += oct.length;
          this.out += `\\x${parseInt(`0${oct}`, 8).toString(16).padStart(2, '0')}`;
          return;
        }
        this.out += `\\${c}`;
    }
  }

  /** After `\x`: `hh` or `{h…}`. */
  private hexEscape(): string {
    const p = this.p;
    if (p[this.i] === '{') {
      const end = p.indexOf('}', this.i);
      const hex = end === -1 ? '' : p.slice(this.i + 1, end);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new Re2TranslateError('bad \\x{…} escape');
      this.i = end + 1;
      const v = parseInt(hex, 16);
      if (v > 0xffff) throw new Re2TranslateError('code points above U+FFFF are not supported');
      return `\\u${v.toString(16).padStart(4, '0')}`;
    }
    const hex = p.slice(this.i, this.i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Re2TranslateError('bad \\x escape');
    this.i += 2;
    return `\\x${hex}`;
  }

  private charClass(): void {
    const p = this.p;
    this.i++; // [
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    let body = '';
    const ranges: Array<[number, number]> = [];
    let first = true;
    for (;;) {
      if (this.i >= p.length) throw new Re2TranslateError('missing ]');
      const ch = p[this.i]!;
      if (ch === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (ch === '[' && p[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.i));
        if (!m) throw new Re2TranslateError('bad POSIX class');
        if (m[1]) throw new Re2TranslateError(`negated POSIX class [:^${m[2]}:] is not supported`);
        const exp = POSIX[m[2]!];
        if (!exp) throw new Re2TranslateError(`unknown POSIX class [:${m[2]}:]`);
        body += exp;
        this.i += m[0].length;
        continue;
      }
      // One class atom (a char or an escape), possibly the start of a range.
      const lo = this.classAtom();
      if (lo.code === undefined) {
        body += lo.text;
        continue;
      }
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        this.i++;
        const hi = this.classAtom();
        if (hi.code === undefined) throw new Re2TranslateError('bad range in class');
        if (hi.code < lo.code) throw new Re2TranslateError('inverted range in class');
        body += `${lo.text}-${hi.text}`;
        ranges.push([lo.code, hi.code]);
      } else {
        body += lo.text;
        ranges.push([lo.code, lo.code]);
      }
    }
    if (this.f.i) body += caseMirror(ranges);
    this.out += `[${negate ? '^' : ''}${body}]`;
  }

  /** A char or escape inside a class; `code` is set for single characters (range endpoints). */
  private classAtom(): { text: string; code?: number } {
    const p = this.p;
    const ch = p[this.i]!;
    if (ch !== '\\') {
      this.i++;
      return { text: escapeClassChar(ch), code: ch.charCodeAt(0) };
    }
    const c = p[this.i + 1];
    if (c === undefined) throw new Re2TranslateError('trailing backslash');
    this.i += 2;
    if ('dDwWsS'.includes(c)) return { text: `\\${c}` };
    if (c === 'p' || c === 'P') throw new Re2TranslateError('Unicode classes (\\p{…}) are not supported');
    if (c === 'x') {
      const t = this.hexEscape();
      return { text: t, code: parseInt(t.slice(2), 16) };
    }
    const named: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, a: 7 };
    if (c in named) return { text: escapeClassChar(String.fromCharCode(named[c]!)), code: named[c]! };
    if (/[0-9A-Za-z]/.test(c)) throw new Re2TranslateError(`unknown escape \\${c} in class`);
    return { text: escapeClassChar(c), code: c.charCodeAt(0) };
  }
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

/** For (?i) classes: the other-case ranges of the ASCII letters the given ranges cover. */
function caseMirror(ranges: Array<[number, number]>): string {
  let extra = '';
  for (const [lo, hi] of ranges) {
    const add = (a: number, b: number, shift: number) => {
      const x = Math.max(lo, a);
      const y = Math.min(hi, b);
      if (x <= y) extra += x === y ? String.fromCharCode(x + shift) : `${String.fromCharCode(x + shift)}-${String.fromCharCode(y + shift)}`;
    };
    add(97, 122, -32); // a-z -> A-Z
    add(65, 90, 32); // A-Z -> a-z
  }
  return extra;
}
