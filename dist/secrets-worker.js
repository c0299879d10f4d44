import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { c as createRuleset, e as scanFileSync, a as scanText } from './chunks/scan-file-Djet_NeU.js';
import 'node:buffer';
import 'node:fs';
import 'node:crypto';

// worker_threads entry (bundled as dist/secrets-worker.js). It builds its own rule set from the
// RulesetConfig in workerData (RegExp objects cannot cross threads) and scans the batches of
// files it is sent. Imported anywhere else, it does nothing.












if (!isMainThread && parentPort && (workerData )?.secretsWorker) {
  const port = parentPort;
  const ruleset = createRuleset((workerData ).config);
  port.on('message', (req) => {
    let res;
    try {
      const results = req.jobs.map((j) => scanFileSync(j, ruleset));
      for (const t of req.texts ?? []) results.push({ rel: t.key, status: 'scanned', bytes: t.text.length, findings: scanText(t.rel, t.text, ruleset) });
      res = { id: req.id, results };
    } catch (e) {
      // Only the error's name and first line: a message must never carry file content.
      res = { id: req.id, error: e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : 'unknown error' };
    }
    port.postMessage(res);
  });
}
//# sourceMappingURL=secrets-worker.js.map
