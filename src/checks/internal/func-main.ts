// A small Go source scanner: enough of the Go lexer to answer questions `go list` cannot
// (does a `package main` declare `func main`?) and to find positions go gives no line for (the
// `import "x"` line that pulls a package in, the `package` clause, the `//go:build` line).
//
// It is a real tokenizer, not a line grep: `// func main()`, `/* func main() */`,
// `"func main()"`, `` `func main()` `` and `'"'` never count, and a method `func (T) main()` or a
// generic `func main[T any]()` is not the program's entry point.

export type GoTokenKind = 'ident' | 'string' | 'char' | 'number' | 'op';

export interface GoToken {
  kind: GoTokenKind;
  /** Source text of the token (for strings: with quotes). */
  text: string;
  /** 1-based line and column (column counts UTF-16 code units, as editors do). */
  line: number;
  column: number;
}

const IDENT_RE = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
// Go numbers: decimal, hex (with p exponents), octal, binary, floats, imaginary, `_` separators.
const NUMBER_RE = /\.?\d(?:[eEpP][+-]|[\p{L}\p{Nd}_.])*/uy;

/**
 * Tokens of a Go source file, comments and whitespace skipped. Lenient: an unterminated string,
 * rune or comment ends the token (or the file) instead of throwing, since we read files that may
 * not compile.
 */
export function* goTokens(src: string): Generator<GoToken> {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  // Advance over src[from, to), counting newlines.
  const advance = (to: number) => {
    for (let k = i; k < to; k++) {
      if (src.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    i = to;
  };
  while (i < n) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      advance(end < 0 ? n : end + 2);
      continue;
    }
    const tokLine = line;
    const column = i - lineStart + 1;
    const start = i;
    if (c === '"' || c === "'") {
      // Interpreted string or rune: ends at the matching unescaped quote, never crosses a newline.
      let k = i + 1;
      while (k < n) {
        const d = src[k]!;
        if (d === '\\') {
          k += 2;
          continue;
        }
        if (d === c) {
          k++;
          break;
        }
        if (d === '\n') break;
        k++;
      }
      i = Math.min(k, n);
      yield { kind: c === '"' ? 'string' : 'char', text: src.slice(start, i), line: tokLine, column };
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      const stop = end < 0 ? n : end + 1;
      const text = src.slice(start, stop);
      advance(stop);
      yield { kind: 'string', text, line: tokLine, column };
      continue;
    }
    IDENT_RE.lastIndex = i;
    const id = IDENT_RE.exec(src);
    if (id) {
      i += id[0].length;
      yield { kind: 'ident', text: id[0], line: tokLine, column };
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const num = NUMBER_RE.exec(src);
    if (num) {
      i += num[0].length;
      yield { kind: 'number', text: num[0], line: tokLine, column };
      continue;
    }
    // Operators: we only ever look at single punctuation characters (brackets, `.`, `;`).
    i++;
    yield { kind: 'op', text: c, line: tokLine, column };
  }
}

/** The value of a Go string literal token (`"a\"b"` -> `a"b`, `` `raw` `` -> `raw`). */
export function stringValue(tok: GoToken): string {
  const t = tok.text;
  if (t.startsWith('`')) return t.slice(1, t.endsWith('`') && t.length > 1 ? -1 : undefined).replace(/\r/g, '');
  const body = t.slice(1, t.length > 1 && t.endsWith('"') ? -1 : undefined);
  // Import paths never need the full escape set; decode the simple ones and keep the rest.
  return body.replace(/\\(["\\nt])/g, (_, e: string) => (e === 'n' ? '\n' : e === 't' ? '\t' : e));
}

/** True when the file declares a top-level `func main(` (no receiver, no type parameters). */
export function hasFuncMain(src: string): boolean {
  let depth = 0;
  // Position in the pattern `func` `main` `(` (only at depth 0).
  let state = 0;
  for (const tok of goTokens(src)) {
    if (tok.kind === 'op') {
      if (state === 2 && tok.text === '(' && depth === 0) return true;
      state = 0;
      if (tok.text === '(' || tok.text === '[' || tok.text === '{') depth++;
      else if ((tok.text === ')' || tok.text === ']' || tok.text === '}') && depth > 0) depth--;
      continue;
    }
    if (depth !== 0) {
      state = 0;
      continue;
    }
    if (tok.kind === 'ident' && tok.text === 'func') state = 1;
    else if (state === 1 && tok.kind === 'ident' && tok.text === 'main') state = 2;
    else state = 0;
  }
  return false;
}

export interface PackageClause {
  name: string;
  line: number;
  column: number;
}

/** The `package name` clause (position of the `package` keyword). */
export function packageClause(src: string): PackageClause | undefined {
  const it = goTokens(src);
  const first = it.next();
  if (first.done || first.value.kind !== 'ident' || first.value.text !== 'package') return undefined;
  const name = it.next();
  if (name.done || name.value.kind !== 'ident') return undefined;
  return { name: name.value.text, line: first.value.line, column: first.value.column };
}

export interface ImportSpec {
  path: string;
  /** `_`, `.`, or a name when the import is renamed. */
  name?: string;
  /** Position of the path string. */
  line: number;
  column: number;
}

/** Every import of the file, in order (stops at the first declaration after the imports). */
export function importSpecs(src: string): ImportSpec[] {
  const out: ImportSpec[] = [];
  const it = goTokens(src);
  const next = (): GoToken | undefined => {
    for (;;) {
      const r = it.next();
      if (r.done) return undefined;
      // Explicit semicolons separate declarations; automatic ones are newlines, already skipped.
      if (r.value.kind === 'op' && r.value.text === ';') continue;
      return r.value;
    }
  };
  const spec = (tok: GoToken | undefined): { spec?: ImportSpec; rest?: GoToken } => {
    if (!tok) return {};
    let name: string | undefined;
    if (tok.kind === 'ident' || (tok.kind === 'op' && tok.text === '.')) {
      name = tok.text;
      tok = next();
      if (!tok) return {};
    }
    if (tok.kind !== 'string') return { rest: tok };
    return { spec: { path: stringValue(tok), name, line: tok.line, column: tok.column } };
  };
  let tok = next();
  if (!tok || tok.text !== 'package') return out;
  next(); // package name
  tok = next();
  while (tok && tok.kind === 'ident' && tok.text === 'import') {
    tok = next();
    if (tok && tok.kind === 'op' && tok.text === '(') {
      for (;;) {
        tok = next();
        if (!tok || (tok.kind === 'op' && tok.text === ')')) break;
        const r = spec(tok);
        if (r.spec) out.push(r.spec);
        else if (r.rest?.kind === 'op' && r.rest.text === ')') break;
        else if (!r.rest) break;
      }
      tok = next();
    } else {
      const r = spec(tok);
      if (r.spec) out.push(r.spec);
      tok = r.spec ? next() : r.rest;
    }
  }
  return out;
}

/** The file imports "C" (a cgo file). */
export function importsC(src: string): boolean {
  return importSpecs(src).some((s) => s.path === 'C');
}

/**
 * The file's build constraint as one `//go:build` expression, or undefined when it has none.
 * Only comments before the package clause count (as for Go). Legacy `// +build` lines are
 * converted (space = OR, comma = AND, `!` = NOT, several lines = AND) when there is no
 * `//go:build` line, as Go still honours them then.
 */
export function buildConstraint(src: string): string | undefined {
  let goBuild: string | undefined;
  const plus: string[] = [];
  let inBlock = false;
  for (const raw of src.split('\n')) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (inBlock) {
      if (line.includes('*/')) {
        inBlock = false;
        if (line.slice(line.indexOf('*/') + 2).trim() !== '') break;
      }
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('//')) {
      const m = /^\/\/go:build(?:\s+(.*))?$/.exec(line);
      if (m && goBuild === undefined) goBuild = (m[1] ?? '').trim();
      const p = /^\/\/\s*\+build(?:\s+(.*))?$/.exec(line);
      if (p) plus.push((p[1] ?? '').trim());
      continue;
    }
    if (line.startsWith('/*')) {
      if (!line.includes('*/', 2)) inBlock = true;
      else if (line.slice(line.indexOf('*/', 2) + 2).trim() !== '') break;
      continue;
    }
    break;
  }
  if (goBuild !== undefined) return goBuild;
  if (plus.length === 0) return undefined;
  const lineExpr = (l: string) =>
    l
      .split(/\s+/)
      .filter(Boolean)
      .map((opt) => `(${opt.split(',').join(' && ')})`)
      .join(' || ');
  return plus.map((l) => `(${lineExpr(l) || 'true'})`).join(' && ');
}

/** Lines holding a `#cgo ... pkg-config: ...` directive that names pkg (1-based line and column of `#cgo`). */
export function cgoPkgConfigLine(src: string, pkg: string): { line: number; column: number } | undefined {
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(\s*(?:\/\/\s*)?)#cgo\b([^:]*)\bpkg-config:(.*)$/.exec(l);
    if (!m) continue;
    const names = m[3]!.trim().split(/\s+/);
    if (names.includes(pkg)) return { line: i + 1, column: m[1]!.length + 1 };
  }
  return undefined;
}
