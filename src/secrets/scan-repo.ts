// scanRepo: the whole-directory scan behind the `secrets` check and the benchmark. Lists the
// files (tracked files in a git work tree, else a walk), applies the path policy, serves unchanged
// blobs from the cache, and scans the rest on worker threads when there is enough to scan.

import os from 'node:os';
import { getErrorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { runGit } from '../core/git.js';
import { runProcess, type ProcessRunner } from '../core/process.js';
import type { CacheStore } from '../core/types.js';
import { cacheKey, fromStored, readCacheFile, toStored, writeCacheFile, type BlobCache } from './cache.js';
import { createRuleset, type Ruleset } from './engine.js';
import { listGitFiles, skipReason, walkFiles, type ListedFile } from './files.js';
import { globToRegExp, matchesAny } from './glob.js';
import { findWorkerScript, makeBatches, scanInWorkers } from './pool.js';
import { ScanCancelledError, scanFilesInThread, type FileResult, type ScanJob } from './scan-file.js';
import { DEFAULT_RULESET_CONFIG, type RawFinding, type RulesetConfig } from './types.js';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
/**
 * Below this many bytes to scan (estimated from the file count), starting workers costs more than
 * it saves: each costs ~0.2 CPU-s to start (an isolate, the bundle, its rules), and one thread
 * scans about 50 MB per CPU-second.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 16 * 1024 * 1024;
/**
 * Sizes are not known before reading (no stat per file): the worker decision and the batches
 * count files at about this size (the mean of Go's src/ and of most Go repositories, 6–10 KB).
 */
const AVERAGE_FILE_BYTES = 8 * 1024;

export interface ScanRepoOptions {
  /** Rules (default: go-preflight's defaults). */
  config?: RulesetConfig;
  /** git: tracked files; walk: every file; auto: git when dir is in a work tree. */
  mode?: 'auto' | 'git' | 'walk';
  scanVendor?: boolean;
  /** Files larger than this (bytes) are not read; they are listed in `oversized`. */
  maxFileSize?: number;
  /** Globs of report paths never scanned. */
  pathsIgnore?: readonly string[];
  /**
   * Scan only the files that `pathsIgnore` matches (and nothing else), to tell what the ignore
   * hides. The cache is not used.
   */
  invertIgnore?: boolean;
  /** Exact report paths never scanned (the gitleaks config, the baseline file...). */
  exclude?: readonly string[];
  /** Only these report paths (the diff scope's changed files). */
  only?: ReadonlySet<string>;
  /** Most worker threads to use (default: available parallelism, at most 8). 1 = this thread only. */
  workers?: number;
  parallelThreshold?: number;
  /** Findings per blob from a previous run (git mode only). */
  cache?: { store: CacheStore; key: string; dir: string };
  exec?: ProcessRunner;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface ScanStats {
  mode: 'git' | 'walk';
  /** Files listed before the path policy. */
  listed: number;
  skippedVendor: number;
  skippedIgnored: number;
  /** Files read and scanned this run (blobs not found in the cache). */
  scanned: number;
  /** Files whose findings came from the cache. */
  fromCache: number;
  binary: number;
  oversized: number;
  /** Bytes read and scanned this run. */
  bytes: number;
  threads: number;
  cache: 'off' | 'hit' | 'miss' | 'error';
  durationMs: number;
}

export interface ScanRepoResult {
  /** Sorted by file and line. Findings from the cache have no `secret`. */
  findings: RawFinding[];
  /** Text files over max-file-size, not scanned (binary files are never listed: they are skipped anyway). */
  oversized: Array<{ file: string; size: number }>;
  /**
   * Files that are there but could not be read (permissions, not a regular file, I/O error):
   * the scan did not look at them, so the check cannot pass.
   */
  unreadable: Array<{ file: string; reason: string }>;
  stats: ScanStats;
}

// The last rule set built on this thread, by its config: the tree scan, the commit scan and the
// inline-comment rescan of one run share it (building one compiles every rule and the automaton).
let lastRuleset: { key: string; rs: Ruleset } | undefined;
export function rulesetFor(config: RulesetConfig): Ruleset {
  const key = JSON.stringify(config);
  if (lastRuleset?.key !== key) lastRuleset = { key, rs: createRuleset(config) };
  return lastRuleset.rs;
}

function defaultThreads(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

async function isGitWorkTree(dir: string, exec: ProcessRunner, env: ScanRepoOptions['env'], signal?: AbortSignal): Promise<boolean> {
  const r = await runGit(['rev-parse', '--is-inside-work-tree'], { exec, cwd: dir, env, signal, timeoutMs: 30_000 });
  return r.code === 0 && r.stdout.trim() === 'true';
}

export async function scanRepo(dir: string, opts: ScanRepoOptions = {}): Promise<ScanRepoResult> {
  const t0 = Date.now();
  const exec = opts.exec ?? runProcess;
  const env = opts.env ?? process.env;
  const config = opts.config ?? DEFAULT_RULESET_CONFIG;
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const scanVendor = opts.scanVendor ?? false;
  const log = opts.logger;
  const mode = opts.mode === 'auto' || opts.mode === undefined ? ((await isGitWorkTree(dir, exec, env, opts.signal)) ? 'git' : 'walk') : opts.mode;

  let listed: ListedFile[];
  let dirty = new Set<string>();
  let dirtyUnknown = false;
  if (mode === 'git') {
    const l = await listGitFiles(dir, { exec, env, signal: opts.signal });
    listed = l.files;
    dirty = l.dirty;
    dirtyUnknown = l.dirtyUnknown;
  } else {
    listed = await walkFiles(dir, { scanVendor, signal: opts.signal });
  }

  const stats: ScanStats = {
    mode,
    listed: listed.length,
    skippedVendor: 0,
    skippedIgnored: 0,
    scanned: 0,
    fromCache: 0,
    binary: 0,
    oversized: 0,
    bytes: 0,
    threads: 1,
    cache: 'off',
    durationMs: 0,
  };
  const ignoreRes = (opts.pathsIgnore ?? []).filter((g) => g.trim()).map(globToRegExp);
  const exclude = new Set(opts.exclude ?? []);
  const files = listed.filter((f) => {
    if (opts.only && !opts.only.has(f.rel)) return false;
    const why = skipReason(f.rel, scanVendor);
    if (why === 'vendor') stats.skippedVendor++;
    if (why) return false;
    if (opts.invertIgnore) return !exclude.has(f.rel) && ignoreRes.length > 0 && matchesAny(f.rel, ignoreRes);
    if (exclude.has(f.rel) || matchesAny(f.rel, ignoreRes)) {
      stats.skippedIgnored++;
      return false;
    }
    return true;
  });

  // Cache: restore, then serve every clean file whose blob (at this path) is known.
  const findings: RawFinding[] = [];
  let cache: BlobCache | undefined;
  const useCache = !!opts.cache && mode === 'git' && !dirtyUnknown && !opts.invertIgnore;
  if (useCache) {
    const c = opts.cache!;
    try {
      const hit = await c.store.restore(c.key, c.dir);
      cache = hit ? await readCacheFile(c.dir) : new Map();
      stats.cache = hit ? 'hit' : 'miss';
    } catch (e) {
      log?.warning(`secrets: could not restore the results cache (${getErrorMessage(e)}); scanning every file`);
      cache = new Map();
      stats.cache = 'error';
    }
  }
  const cacheable = (f: ListedFile) => useCache && !!f.blob && !dirty.has(f.rel);
  const toScan: Array<ListedFile & { size: number }> = [];
  const oversized: Array<{ file: string; size: number }> = [];
  const unreadable: Array<{ file: string; reason: string }> = [];
  let sliceStart = Date.now();
  for (const f of files) {
    const cached = cacheable(f) ? cache?.get(cacheKey(f.blob!, f.rel)) : undefined;
    if (cached) {
      stats.fromCache++;
      for (const s of cached) findings.push(fromStored(s, f.rel));
      continue;
    }
    if (Date.now() - sliceStart > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
      if (opts.signal?.aborted) throw new ScanCancelledError();
    }
    // No stat here: the reader's fstat on the open file decides (missing, not a regular file,
    // over max-file-size, binary), one system call less per file.
    toScan.push({ ...f, size: AVERAGE_FILE_BYTES });
  }

  const totalBytes = toScan.reduce((a, f) => a + f.size, 0);
  const maxThreads = Math.max(1, opts.workers ?? defaultThreads());
  const threshold = opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD;
  let results: FileResult[] | undefined;
  const script = maxThreads > 1 && totalBytes > threshold ? findWorkerScript() : undefined;
  if (script) {
    const threads = Math.min(maxThreads, Math.ceil(totalBytes / (1024 * 1024)));
    // Many small batches: workers pull the next one when done, which evens out unknown sizes.
    const batches = makeBatches(toScan, Math.max(256 * 1024, Math.ceil(totalBytes / (threads * 16))), maxFileSize);
    try {
      results = await scanInWorkers(script, config, batches, threads, opts.signal);
      stats.threads = threads;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      log?.debug(`secrets: worker threads failed (${getErrorMessage(e)}); scanning on the main thread`);
    }
  }
  if (!results) {
    const jobs: ScanJob[] = toScan.map((f) => ({ rel: f.rel, abs: f.abs, maxSize: maxFileSize }));
    // Nothing to read (every file came from the cache): skip building the keyword automaton.
    results = jobs.length ? await scanFilesInThread(jobs, rulesetFor(config), opts.signal) : [];
  }

  const byRel = new Map(toScan.map((f) => [f.rel, f]));
  let newEntries = 0;
  for (const r of results) {
    if (r.status === 'missing') continue;
    if (r.status === 'unreadable') {
      unreadable.push({ file: r.rel, reason: r.reason ?? 'cannot be read' });
      continue;
    }
    if (r.status === 'oversized') {
      // Over max-file-size (and not binary): listed, not read.
      oversized.push({ file: r.rel, size: r.bytes });
      continue;
    }
    stats.scanned++;
    if (r.status === 'binary') stats.binary++;
    else stats.bytes += r.bytes;
    findings.push(...r.findings);
    const f = byRel.get(r.rel);
    if (cache && f && cacheable(f)) {
      cache.set(cacheKey(f.blob!, f.rel), r.findings.map(toStored));
      newEntries++;
    }
  }

  if (cache && newEntries > 0) {
    const c = opts.cache!;
    try {
      // Keep only the entries of files that exist now, so the cache does not grow forever.
      const pruned: BlobCache = new Map();
      for (const f of files) {
        if (!f.blob) continue;
        const key = cacheKey(f.blob, f.rel);
        const list = cache.get(key);
        if (list) pruned.set(key, list);
      }
      await writeCacheFile(c.dir, pruned);
      await c.store.save(c.key, c.dir);
    } catch (e) {
      log?.warning(`secrets: could not save the results cache (${getErrorMessage(e)})`);
    }
  }

  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  stats.oversized = oversized.length;
  stats.durationMs = Date.now() - t0;
  log?.debug(
    `secrets: ${stats.mode} mode, ${stats.listed} files listed, ${stats.scanned} scanned (${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.threads} thread(s)), ${stats.fromCache} from cache (${stats.cache}), ${stats.binary} binary, ${stats.oversized} too large, ${stats.durationMs} ms`,
  );
  return { findings, oversized, unreadable, stats };
}
