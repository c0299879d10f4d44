// The results cache: findings per git blob, so that an unchanged file is never read again.
//
// One JSON file, `{ v, clean, found }`: `clean` is one string of `<blob id> <path>` lines for the
// (many) files without findings, `found` maps `<blob id> <path>` to its findings. Flat keys and
// one string keep a warm run cheap: parsing 10,000 entries takes a few milliseconds, where a
// nested object per blob cost far more. Restored into and saved from a temporary directory
// through the CI's CacheStore. The path is part of the entry
// because severity and path-conditioned rules depend on it. Secrets are never stored: only the
// rule, position, redacted preview and fingerprint. Any failure is the caller's warning, never
// the check's failure.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RawFinding, StoredFinding } from './types.js';

export const CACHE_FILE = 'secrets-cache.json';
const FORMAT = 2;

/** Findings per `cacheKey(blob, path)`. */
export type BlobCache = Map<string, readonly StoredFinding[]>;

/** The entry of a file: its blob id and its path (severity and path rules depend on the path). */
export function cacheKey(blob: string, file: string): string {
  return `${blob} ${file}`;
}

const NONE: readonly StoredFinding[] = Object.freeze([]);

export function toStored(f: RawFinding): StoredFinding {
  // Rebuilt field by field, so a field added to RawFinding later cannot slip a secret in here.
  const s: StoredFinding = {
    ruleId: f.ruleId,
    title: f.title,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    severity: f.severity,
    tier: f.tier,
    kind: f.kind,
    preview: f.preview,
    fingerprint: f.fingerprint,
  };
  if (f.note !== undefined) s.note = f.note;
  if (f.name !== undefined) s.name = f.name;
  return s;
}

export function fromStored(s: StoredFinding, file: string): RawFinding {
  return { ...s, file };
}

export async function readCacheFile(dir: string): Promise<BlobCache> {
  const doc = JSON.parse(await fs.readFile(path.join(dir, CACHE_FILE), 'utf8')) as { v?: number; clean?: unknown; found?: unknown };
  const out: BlobCache = new Map();
  // Another format (an older go-preflight): start over rather than misread it.
  if (doc.v !== FORMAT) return out;
  if (typeof doc.clean === 'string') for (const key of doc.clean.split('\n')) if (key) out.set(key, NONE);
  if (doc.found && typeof doc.found === 'object') {
    for (const [key, list] of Object.entries(doc.found as Record<string, unknown>)) if (Array.isArray(list)) out.set(key, list as StoredFinding[]);
  }
  return out;
}

export async function writeCacheFile(dir: string, cache: BlobCache): Promise<void> {
  const clean: string[] = [];
  const found: Record<string, readonly StoredFinding[]> = {};
  for (const [key, list] of cache) {
    if (list.length === 0) clean.push(key);
    else found[key] = list;
  }
  await fs.writeFile(path.join(dir, CACHE_FILE), JSON.stringify({ v: FORMAT, clean: clean.join('\n'), found }));
}
