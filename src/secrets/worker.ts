// worker_threads entry (bundled as dist/secrets-worker.js). It builds its own rule set from the
// RulesetConfig in workerData (RegExp objects cannot cross threads) and scans the batches of
// files it is sent. Imported anywhere else, it does nothing.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRuleset, scanText } from './engine.js';
import { scanFileSync, type FileResult, type ScanJob } from './scan-file.js';
import type { RulesetConfig } from './types.js';

export interface WorkerRequest {
  id: number;
  jobs: ScanJob[];
  /** Texts in memory (the lines commits added): each result's `rel` is the job's `key`. */
  texts?: Array<{ key: string; rel: string; text: string }>;
}

export type WorkerResponse = { id: number; results: FileResult[] } | { id: number; error: string };

if (!isMainThread && parentPort && (workerData as { secretsWorker?: boolean } | null)?.secretsWorker) {
  const port = parentPort;
  const ruleset = createRuleset((workerData as { config: RulesetConfig }).config);
  port.on('message', (req: WorkerRequest) => {
    let res: WorkerResponse;
    try {
      const results: FileResult[] = req.jobs.map((j) => scanFileSync(j, ruleset));
      for (const t of req.texts ?? []) results.push({ rel: t.key, status: 'scanned', bytes: t.text.length, findings: scanText(t.rel, t.text, ruleset) });
      res = { id: req.id, results };
    } catch (e) {
      // Only the error's name and first line: a message must never carry file content.
      res = { id: req.id, error: e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : 'unknown error' };
    }
    port.postMessage(res);
  });
}
