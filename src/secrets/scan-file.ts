// Reading and scanning files, shared by the main thread and the workers.

import { readFileSync } from 'node:fs';
import { scanText, type Ruleset } from './engine.js';
import type { RawFinding } from './types.js';

/** gitleaks and git both call a file binary when it holds a NUL in its first 8000 bytes. */
export const BINARY_SNIFF_BYTES = 8000;

export interface ScanJob {
  rel: string;
  abs: string;
}

export interface FileResult {
  rel: string;
  status: 'scanned' | 'binary' | 'missing';
  bytes: number;
  findings: RawFinding[];
}

export function scanFileSync(job: ScanJob, ruleset: Ruleset): FileResult {
  let buf: Buffer;
  try {
    buf = readFileSync(job.abs);
  } catch {
    return { rel: job.rel, status: 'missing', bytes: 0, findings: [] };
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { rel: job.rel, status: 'binary', bytes: buf.length, findings: [] };
  return { rel: job.rel, status: 'scanned', bytes: buf.length, findings: scanText(job.rel, buf.toString('utf8'), ruleset) };
}

/**
 * Scan files on this thread, yielding to the event loop every ~50 ms so that timeouts, aborts
 * and other checks' process output keep flowing.
 */
export async function scanFilesInThread(jobs: readonly ScanJob[], ruleset: Ruleset, signal?: AbortSignal): Promise<FileResult[]> {
  const out: FileResult[] = [];
  let slice = Date.now();
  for (const job of jobs) {
    if (Date.now() - slice > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = Date.now();
    }
    if (signal?.aborted) throw new Error('the secrets scan was cancelled');
    out.push(scanFileSync(job, ruleset));
  }
  return out;
}
