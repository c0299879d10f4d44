// Redaction belongs to the report layer: any check may quote what it read (a go.mod require
// path, a replace, a go.work `use`, `.go-version`, an import path, a GOPROXY value, a config
// value), and any of those may hold a pasted credential. `redactReport` runs every string of the
// report through the secret rules once, before any renderer sees it, and cuts each value they
// recognise to its redacted preview (at most the first 4 characters), as the secrets check does.
// URLs with userinfo (`https://user:token@host/...`) lose the password whatever the rules say.
// Both adapters (CLI and action) call it; the renderers stay pure functions of what they get.

import { scanText, MAX_FINDINGS_PER_FILE } from '../secrets/engine.js';
import { maskPieces, redactedPreview } from '../secrets/redact.js';
import type { Report } from '../core/types.js';

/** The path the report's text is scanned as: neutral (not a test file, not a credential file). */
const SCAN_PATH = 'go-preflight-report.txt';
/**
 * Strings are scanned together, joined by newlines, up to this many characters (one scan per
 * string would cost seconds on a report of 100k findings); a batch that reaches the engine's
 * per-file cap of findings is rescanned one string at a time.
 */
const BATCH_CHARS = 256 * 1024;
/** Shorter strings cannot hold a value any rule recognises (ids, statuses, severities). */
const MIN_SCAN_LENGTH = 8;

/**
 * `scheme://user:password@` -> `scheme://user:***@`; a long userinfo without a password (a
 * token used as the user name, `https://<token>@host`) keeps only its preview.
 */
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/)([^\s/@:?#'"`<>]*)(?::([^\s/@?#'"`<>]*))?@(?=[^\s/@]*[a-zA-Z0-9])/g;

function redactUserinfo(s: string): string {
  if (!s.includes('@') || !s.includes('://')) return s;
  return s.replace(URL_USERINFO, (whole, scheme: string, user: string, password: string | undefined) => {
    if (password !== undefined) return password === '' ? whole : `${scheme}${user}:***@`;
    return user.length >= 16 ? `${scheme}${redactedPreview(user)}@` : whole;
  });
}

/** The secret values the rules recognise in these strings. */
function findSecrets(texts: readonly string[], out: Set<string>): void {
  const collect = (text: string): number => {
    let n = 0;
    for (const f of scanText(SCAN_PATH, text)) {
      n++;
      if (f.secret && f.secret.length >= 4) out.add(f.secret);
    }
    return n;
  };
  let batch: string[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    if (collect(batch.join('\n')) >= MAX_FINDINGS_PER_FILE && batch.length > 1) for (const t of batch) collect(t);
    batch = [];
    size = 0;
  };
  for (const t of texts) {
    if (t.length < MIN_SCAN_LENGTH) continue;
    if (size + t.length > BATCH_CHARS) flush();
    batch.push(t);
    size += t.length + 1;
  }
  flush();
}

/** Replace each secret (and each line of a multi-line one) by its preview, longest first. */
function makeReplacer(secrets: Set<string>): (s: string) => string {
  const pieces = new Map<string, string>();
  for (const secret of secrets) {
    pieces.set(secret, redactedPreview(secret));
    for (const p of maskPieces(secret)) if (!pieces.has(p)) pieces.set(p, redactedPreview(p));
  }
  const ordered = [...pieces.entries()].sort((a, b) => b[0].length - a[0].length);
  return (s) => {
    let out = s;
    for (const [value, preview] of ordered) if (out.includes(value)) out = out.split(value).join(preview);
    return redactUserinfo(out);
  };
}

/** Every string in a JSON-like value, depth first. */
function collectStrings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

function mapStrings<T>(v: T, f: (s: string) => string): T {
  if (typeof v === 'string') return f(v) as T;
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, f);
    return out as T;
  }
  return v;
}

/**
 * A copy of `text` with every value the secret rules recognise cut to its preview and URL
 * passwords replaced by `***`. For single lines outside a report (log lines, error messages).
 */
export function redactText(text: string): string {
  const secrets = new Set<string>();
  findSecrets([text], secrets);
  return makeReplacer(secrets)(text);
}

/**
 * A copy of the report in which no string (message, hint, details, note, skip reason,
 * suppression, file name, directory...) holds a value the secret rules recognise. The report's
 * shape and every non-string field are kept; the input is not changed.
 */
export function redactReport(report: Report): Report {
  const strings = new Set<string>();
  collectStrings(report, strings);
  const secrets = new Set<string>();
  findSecrets([...strings], secrets);
  const replace = makeReplacer(secrets);
  const cache = new Map<string, string>();
  return mapStrings(report, (s) => {
    let r = cache.get(s);
    if (r === undefined) cache.set(s, (r = replace(s)));
    return r;
  });
}
