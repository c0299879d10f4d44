// Parallel scanning with worker_threads. The worker is the bundled dist/secrets-worker.js; when
// it is not there (tests run the TypeScript sources) the caller scans on its own thread.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult, ScanJob } from './scan-file.js';
import type { RulesetConfig } from './types.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';

/**
 * The worker script next to this module: `dist/secrets-worker.js` seen from `dist/` (entry
 * files) or from `dist/chunks/` (where rollup puts shared code).
 */
export function findWorkerScript(): URL | undefined {
  let here: string;
  try {
    here = import.meta.url;
  } catch {
    return undefined;
  }
  for (const rel of ['./secrets-worker.js', '../secrets-worker.js']) {
    try {
      const url = new URL(rel, here);
      if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
    } catch {
      /* not a file URL */
    }
  }
  return undefined;
}

/** Split jobs into batches of about `target` bytes (sizes known), largest files first. */
export function makeBatches(jobs: ReadonlyArray<ScanJob & { size: number }>, target: number, maxSize?: number): ScanJob[][] {
  const sorted = [...jobs].sort((a, b) => b.size - a.size);
  const batches: ScanJob[][] = [];
  let cur: ScanJob[] = [];
  let bytes = 0;
  for (const j of sorted) {
    cur.push(maxSize === undefined ? { rel: j.rel, abs: j.abs } : { rel: j.rel, abs: j.abs, maxSize });
    bytes += j.size;
    if (bytes >= target || cur.length >= 500) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) batches.push(cur);
  return batches;
}

/** Text already in memory (the lines a commit added), scanned as the file `rel`; results carry `key` as their `rel`. */
export interface TextJob {
  key: string;
  rel: string;
  text: string;
}

/** Scan in-memory texts on `threads` workers, in batches of about 1 MB; rejects if a worker fails. */
export async function scanTextsInWorkers(script: URL, config: RulesetConfig, jobs: readonly TextJob[], threads: number, signal?: AbortSignal): Promise<FileResult[]> {
  const requests: Array<Omit<WorkerRequest, 'id'>> = [];
  let cur: TextJob[] = [];
  let bytes = 0;
  for (const j of jobs) {
    cur.push(j);
    bytes += j.text.length;
    if (bytes >= 1024 * 1024 || cur.length >= 2000) {
      requests.push({ jobs: [], texts: cur });
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) requests.push({ jobs: [], texts: cur });
  return runPool(script, config, requests, threads, signal);
}

/** Scan the batches on `threads` workers; rejects if a worker fails (the caller falls back). */
export async function scanInWorkers(script: URL, config: RulesetConfig, batches: ScanJob[][], threads: number, signal?: AbortSignal): Promise<FileResult[]> {
  return runPool(
    script,
    config,
    batches.map((jobs) => ({ jobs })),
    threads,
    signal,
  );
}

async function runPool(script: URL, config: RulesetConfig, batches: Array<Omit<WorkerRequest, 'id'>>, threads: number, signal?: AbortSignal): Promise<FileResult[]> {
  const results: FileResult[] = [];
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (batches.length === 0) return resolve();
      const onAbort = () => reject(new Error('the secrets scan was cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (err?: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const n = Math.max(1, Math.min(threads, batches.length));
      for (let w = 0; w < n; w++) {
        const worker = new Worker(script, { workerData: { secretsWorker: true, config } });
        workers.push(worker);
        const feed = () => {
          if (next < batches.length) {
            const req: WorkerRequest = { id: next, ...batches[next]! };
            next++;
            worker.postMessage(req);
          }
        };
        worker.on('message', (res: WorkerResponse) => {
          if ('error' in res) return finish(new Error(`secrets worker failed: ${res.error}`));
          results.push(...res.results);
          done++;
          if (done === batches.length) finish();
          else feed();
        });
        worker.on('error', (e) => finish(new Error(`secrets worker failed: ${e.name}: ${e.message.split('\n')[0]}`)));
        worker.on('exit', (code) => {
          if (done < batches.length && code !== 0) finish(new Error(`secrets worker exited with code ${code}`));
        });
        feed();
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  }
  return results;
}
