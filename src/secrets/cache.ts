// The results cache: findings per git blob, so that an unchanged file is never read again.
//
// One JSON file, `{ v, blobs: { <blob id>: { <path>: StoredFinding[] } } }`, restored into and
// saved from a temporary directory through the CI's CacheStore. The path is part of the entry
// because severity and path-conditioned rules depend on it. Secrets are never stored: only the
// rule, position, redacted preview and fingerprint. Any failure is the caller's warning, never
// the check's failure.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RawFinding, StoredFinding } from './types.js';

export const CACHE_FILE = 'secrets-cache.json';
const FORMAT = 1;

export type BlobCache = Map<string, Map<string, StoredFinding[]>>;

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
  const doc = JSON.parse(await fs.readFile(path.join(dir, CACHE_FILE), 'utf8')) as { v?: number; blobs?: Record<string, Record<string, StoredFinding[]>> };
  const out: BlobCache = new Map();
  if (doc.v !== FORMAT || typeof doc.blobs !== 'object' || doc.blobs === null) return out;
  for (const [blob, byPath] of Object.entries(doc.blobs)) {
    const m = new Map<string, StoredFinding[]>();
    for (const [p, list] of Object.entries(byPath)) if (Array.isArray(list)) m.set(p, list);
    out.set(blob, m);
  }
  return out;
}

export async function writeCacheFile(dir: string, cache: BlobCache): Promise<void> {
  const blobs: Record<string, Record<string, StoredFinding[]>> = {};
  for (const [blob, byPath] of cache) blobs[blob] = Object.fromEntries(byPath);
  await fs.writeFile(path.join(dir, CACHE_FILE), JSON.stringify({ v: FORMAT, blobs }));
}
