// A CacheStore in a local directory, for `--cache-dir`: the secret scan's per-blob results survive
// between runs on a developer machine or a CI system without the Actions cache.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CacheStore } from '../core/types.js';

/** Keys become directory names: keep them to a safe alphabet. */
function entry(root: string, key: string): string {
  return path.join(root, key.replace(/[^\w.-]/g, '_'));
}

export function createDirCacheStore(root: string): CacheStore {
  return {
    async restore(key, dir) {
      const from = entry(root, key);
      try {
        await fs.access(from);
      } catch {
        return false;
      }
      await fs.cp(from, dir, { recursive: true });
      return true;
    },
    async save(key, dir) {
      const to = entry(root, key);
      // Write beside, then swap, so that a run stopped half way never leaves a torn entry.
      const tmp = `${to}.tmp-${process.pid}`;
      await fs.rm(tmp, { recursive: true, force: true });
      await fs.mkdir(path.dirname(tmp), { recursive: true });
      await fs.cp(dir, tmp, { recursive: true });
      await fs.rm(to, { recursive: true, force: true });
      await fs.rename(tmp, to);
    },
  };
}
