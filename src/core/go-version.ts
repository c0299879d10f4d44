// Go's own version order (a port of src/internal/gover/gover.go): 1.21 < 1.21rc1 < 1.21.0 < 1.21.1.
// Not semver. For Go < 1.21 a missing patch means .0 (1.20 == 1.20.0).

interface Parsed {
  maj: string;
  min: string;
  pat: string;
  kind: string;
  pre: string;
}

function cutInt(s: string): [string, string] | null {
  const m = /^\d+/.exec(s);
  if (!m || (m[0].length > 1 && m[0][0] === '0')) return null;
  return [m[0], s.slice(m[0].length)];
}

function cmpInt(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : 1;
}

function parse(x: string): Parsed | null {
  let r = cutInt(x);
  if (!r) return null;
  const v: Parsed = { maj: r[0], min: '', pat: '', kind: '', pre: '' };
  x = r[1];
  if (x === '') {
    v.min = '0';
    v.pat = '0';
    return v;
  }
  if (x[0] !== '.') return null;
  r = cutInt(x.slice(1));
  if (!r) return null;
  v.min = r[0];
  x = r[1];
  if (x === '') {
    if (cmpInt(v.min, '21') < 0) v.pat = '0';
    return v;
  }
  if (x[0] === '.') {
    r = cutInt(x.slice(1));
    if (!r || r[1] !== '') return null;
    v.pat = r[0];
    return v;
  }
  const k = /^[a-z]+/.exec(x);
  if (!k) return null;
  v.kind = k[0];
  x = x.slice(k[0].length);
  if (x === '') return v;
  r = cutInt(x);
  if (!r || r[1] !== '') return null;
  v.pre = r[0];
  return v;
}

/** `go1.22.1 X:boringcrypto` / `go1.21.0-custom` / `devel go1.24-abc` -> `1.22.1` / `1.21.0` / `1.24`. */
export function normalizeGoVersion(s: string): string {
  let t = s.trim();
  if (t.startsWith('devel ')) t = t.slice(6);
  t = t.split(/[\s]/)[0] ?? '';
  t = t.replace(/^go/, '');
  t = t.split('-')[0] ?? '';
  return t;
}

export function isValidGoVersion(s: string): boolean {
  return parse(normalizeGoVersion(s)) !== null;
}

/** Compare two Go versions (with or without the `go` prefix). Malformed sorts before everything. */
export function compareGo(a: string, b: string): number {
  const x = parse(normalizeGoVersion(a));
  const y = parse(normalizeGoVersion(b));
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return (
    cmpInt(x.maj, y.maj) ||
    cmpInt(x.min, y.min) ||
    cmpInt(x.pat, y.pat) ||
    (x.kind === y.kind ? 0 : x.kind < y.kind ? -1 : 1) ||
    cmpInt(x.pre, y.pre)
  );
}

/** `1.22.3` -> `1.22`; the language version of a release. */
export function languageVersion(v: string): string {
  const p = parse(normalizeGoVersion(v));
  return p ? `${p.maj}.${p.min}` : normalizeGoVersion(v);
}

/** True for `1.22.3`, `1.22rc1` (a full toolchain release); false for a bare language version `1.22` (N>=21). */
export function isReleaseVersion(v: string): boolean {
  const p = parse(normalizeGoVersion(v));
  return !!p && (p.pat !== '' || p.kind !== '');
}
