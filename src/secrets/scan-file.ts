// Reading and scanning files, shared by the main thread and the workers.
//
// Reading: one reusable buffer per thread (a fresh buffer per file costs page faults, i.e.
// system time, on every file), `open` without following a symlink and without blocking on a
// FIFO, `fstat` on the open file (a regular file, or it is not read), then one decode: a file of
// ASCII bytes (nearly all source code) becomes a one-byte string by a plain copy, others go
// through the UTF-8 decoder.

import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { FileScan, pathFindings, prepareByteScan, type Ruleset } from './engine.js';
import type { RawFinding } from './types.js';

/** gitleaks and git both call a file binary when it holds a NUL in its first 8000 bytes. */
export const BINARY_SNIFF_BYTES = 8000;

export interface ScanJob {
  rel: string;
  abs: string;
  /** Files larger than this are not read (status `oversized`); default: no limit. */
  maxSize?: number;
}

export interface FileResult {
  rel: string;
  /**
   * missing: gone from the work tree; unreadable: there but could not be read (`reason` says
   * why: permissions, not a regular file, an I/O error); oversized: over `maxSize`, not read
   * (and not binary: a binary file is `binary` whatever its size).
   */
  status: 'scanned' | 'binary' | 'missing' | 'unreadable' | 'oversized';
  bytes: number;
  findings: RawFinding[];
  reason?: string;
}

// O_NOFOLLOW: a work-tree symlink where git tracks a file is never followed out of the repository.
// O_NONBLOCK: opening a FIFO put in place of a tracked file must not wait for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

let shared: Buffer = Buffer.allocUnsafe(1 << 20);

type ReadResult = { status: 'text'; text: string; bytes: number } | Omit<FileResult, 'rel' | 'findings'>;
/** `view` is the thread's shared buffer: valid until the next read. */
type BytesResult = { status: 'bytes'; view: Buffer; bytes: number } | Omit<FileResult, 'rel' | 'findings'>;

function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'a symbolic link in the work tree where git tracks a file';
    case 'EISDIR':
      return 'a directory in the work tree where git tracks a file';
    default:
      return code ? `cannot be read (${code})` : 'cannot be read';
  }
}

/** Read one file as text (see the header), or say why not. Never throws. */
export function readText(abs: string, maxSize = Infinity): ReadResult {
  const r = readBytes(abs, maxSize);
  if (r.status !== 'bytes') return r;
  return { status: 'text', text: r.view.toString(isAscii(r.view) ? 'latin1' : 'utf8'), bytes: r.bytes };
}

/** Read one file into the shared buffer, or say why not. Never throws. */
function readBytes(abs: string, maxSize = Infinity): BytesResult {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { status: 'missing', bytes: 0 };
    return { status: 'unreadable', bytes: 0, reason: describeReadError(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { status: 'unreadable', bytes: 0, reason: st.isDirectory() ? describeReadError({ code: 'EISDIR' }) : 'not a regular file (a FIFO, socket or device)' };
    const size = st.size;
    if (size > maxSize) {
      // Not read: only sniffed, since a binary file is skipped whatever its size.
      const head = shared.subarray(0, Math.min(shared.length, BINARY_SNIFF_BYTES));
      const got = readSync(fd, head, 0, head.length, 0);
      return { status: head.subarray(0, got).indexOf(0) !== -1 ? 'binary' : 'oversized', bytes: size };
    }
    const limit = Math.min(size, maxSize);
    if (shared.length < limit + 1) shared = Buffer.allocUnsafe(Math.max(limit + 1, shared.length * 2));
    // Read the size fstat gave (what the file holds now: one read call for most files, no extra
    // call to see the end); a file that grows meanwhile is read as it was.
    let n = 0;
    for (;;) {
      const want = limit - n;
      if (want <= 0) break;
      const got = readSync(fd, shared, n, want, n);
      if (got === 0) break;
      n += got;
    }
    const sniff = shared.subarray(0, Math.min(n, BINARY_SNIFF_BYTES));
    if (sniff.indexOf(0) !== -1) return { status: 'binary', bytes: Math.max(n, size) };
    if (n > maxSize) return { status: 'oversized', bytes: Math.max(n, size) };
    return { status: 'bytes', view: shared.subarray(0, n), bytes: n };
  } catch (e) {
    return { status: 'unreadable', bytes: 0, reason: describeReadError(e) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* nothing to do */
    }
  }
}

/** Whether the first bytes of a file hold a NUL (git's and gitleaks' binary test). Never throws. */
export function isBinaryFile(abs: string): boolean {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch {
    return false;
  }
  try {
    const head = Buffer.allocUnsafe(BINARY_SNIFF_BYTES);
    const n = readSync(fd, head, 0, BINARY_SNIFF_BYTES, 0);
    return head.subarray(0, n).indexOf(0) !== -1;
  } catch {
    return false;
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* nothing to do */
    }
  }
}

/**
 * Read a job and set up its scan: `done` when nothing is left to run (not text, or an ASCII file
 * where no keyword occurrence can lead to a match: never decoded), else the scan to step.
 */
function startScan(job: ScanJob, ruleset: Ruleset): { done: FileResult } | { scan: FileScan; bytes: number } {
  const r = readBytes(job.abs, job.maxSize);
  if (r.status !== 'bytes') {
    // A .p12 file is binary, but committing it is the finding (path-only rules).
    const findings = r.status === 'binary' || r.status === 'oversized' ? pathFindings(job.rel, ruleset) : [];
    return { done: { rel: job.rel, findings, ...r } };
  }
  const scan = prepareByteScan(job.rel, r.view, ruleset, isAscii(r.view));
  if (!scan) return { done: { rel: job.rel, status: 'scanned', bytes: r.bytes, findings: pathFindings(job.rel, ruleset) } };
  return { scan, bytes: r.bytes };
}

export function scanFileSync(job: ScanJob, ruleset: Ruleset): FileResult {
  const s = startScan(job, ruleset);
  if ('done' in s) return s.done;
  return { rel: job.rel, status: 'scanned', bytes: s.bytes, findings: s.scan.step()! };
}

export class ScanCancelledError extends Error {
  constructor() {
    super('the secrets scan was cancelled');
    this.name = 'ScanCancelledError';
  }
}

export interface InThreadOptions {
  /** Longest stretch of scanning between two returns to the event loop (ms, default 20). */
  sliceMs?: number;
}

/**
 * Scan files on this thread in slices: every `sliceMs` (between files, and between the rules of
 * one file) it returns to the event loop, so that a timeout or an abort can fire and other
 * checks' process output keeps flowing, and it stops when `signal` is aborted. Every built-in
 * rule is linear in the file size and user rules run on re2js, so one slice is bounded.
 */
export async function scanFilesInThread(jobs: readonly ScanJob[], ruleset: Ruleset, signal?: AbortSignal, opts: InThreadOptions = {}): Promise<FileResult[]> {
  const sliceMs = opts.sliceMs ?? 20;
  const out: FileResult[] = [];
  let deadline = Date.now() + sliceMs;
  const pause = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new ScanCancelledError();
    deadline = Date.now() + sliceMs;
  };
  if (signal?.aborted) throw new ScanCancelledError();
  for (const job of jobs) {
    if (Date.now() >= deadline) await pause();
    const s = startScan(job, ruleset);
    if ('done' in s) {
      out.push(s.done);
      continue;
    }
    let findings: RawFinding[] | undefined;
    while (!(findings = s.scan.step(deadline))) await pause();
    out.push({ rel: job.rel, status: 'scanned', bytes: s.bytes, findings });
  }
  return out;
}
