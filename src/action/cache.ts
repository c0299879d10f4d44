// A CacheStore backed by @actions/cache, loaded only when used (it is large: the Azure SDK).
// @actions/cache keys a cache by its paths too, so we always save and restore one fixed directory
// under RUNNER_TEMP and copy to and from the directory a check works in. Caches are immutable:
// a key can be saved once, so each run saves under `<key>-<run id>-<attempt>` and a restore takes
// the newest entry whose key starts with `<key>-`.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheStore } from '../core/types.js';

type CacheModule = typeof import('@actions/cache');

/**
 * Whether the cache service can be used. Not available is normal and worth a debug line only:
 * a runner without the cache service (GHES without it, `ACTIONS_CACHE_URL` unset) or
 * `@github/local-action`, whose `@actions/cache` stub has no `isFeatureAvailable` at all.
 */
export function cacheAvailable(cache: Partial<CacheModule>, debug: (m: string) => void = () => {}): boolean {
  if (typeof cache.isFeatureAvailable !== 'function') {
    debug('the Actions cache is not available here (no isFeatureAvailable in @actions/cache): results are not cached');
    return false;
  }
  let ok = false;
  try {
    ok = cache.isFeatureAvailable();
  } catch {
    ok = false;
  }
  if (!ok) debug('the Actions cache service is not available on this runner: results are not cached');
  return ok;
}

export function createActionsCacheStore(env: Readonly<Record<string, string | undefined>>, debug: (m: string) => void = () => {}): CacheStore {
  const stable = path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-cache');
  return {
    async restore(key, dir) {
      const cache = await import('@actions/cache');
      if (!cacheAvailable(cache, debug)) return false;
      await fs.mkdir(stable, { recursive: true });
      const hit = await cache.restoreCache([stable], key, [`${key}-`]);
      if (!hit) return false;
      await fs.cp(stable, dir, { recursive: true });
      return true;
    },
    async save(key, dir) {
      const cache = await import('@actions/cache');
      if (!cacheAvailable(cache, debug)) return;
      await fs.rm(stable, { recursive: true, force: true });
      await fs.cp(dir, stable, { recursive: true });
      await cache.saveCache([stable], `${key}-${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? 1}`);
    },
  };
}
