// Verifies module cache entries once per run. `go mod verify` in each of a hundred modules
// re-hashes the same shared dependencies a hundred times; here each module@version is hashed once
// and every module of the repository that uses it gets the answer.
//
// Same checks as `go mod verify` (cmd/go/internal/modcmd/verify.go, verifyMod): the cache's
// `.ziphash` (written at download, after go checked the zip against go.sum and the checksum
// database) must exist when the zip or the extracted directory does, and both the zip's and the
// directory's dirhash must equal it. The messages are go's: `X v: zip has been modified (ZIP)`,
// `X v: dir has been modified (DIR)`, `X v: missing ziphash: ERR`, `X v: ERR`.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLimiter, hashDir, hashZip, type Limiter } from './modverify-hash.js';

export interface CacheProblem {
  path: string;
  version: string;
  what: 'dir' | 'zip' | 'ziphash' | 'error';
  /** The cache path (`dir`/`zip`) or the error text (`ziphash`/`error`). */
  detail: string;
  /** The line `go mod verify` prints for it. */
  goMessage: string;
}

export interface CacheEntry {
  path: string;
  version: string;
  /** From `go mod download -json` when known; else computed from GOMODCACHE. */
  zip?: string;
  dir?: string;
}

export interface CacheVerifier {
  /** Problems of one module@version (memoized: hashed once per run). */
  verify(entry: CacheEntry): Promise<CacheProblem[]>;
  /** How many module@versions were hashed (not served from the memo). */
  readonly hashed: number;
}

/** Module path/version escaping of the module cache (`A` -> `!a`), as golang.org/x/mod/module does. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Where go keeps a module's zip and extracted tree. */
export function cachePaths(gomodcache: string, modPath: string, version: string): { zip: string; dir: string } {
  const enc = escapeModulePath(modPath);
  const ver = escapeModulePath(version);
  return {
    zip: path.join(gomodcache, 'cache', 'download', ...enc.split('/'), '@v', `${ver}.zip`),
    dir: path.join(gomodcache, ...`${enc}@${ver}`.split('/')),
  };
}

async function existsOrError(p: string): Promise<'yes' | 'no' | 'other'> {
  try {
    await fs.lstat(p);
    return 'yes';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'no' : 'other';
  }
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code && err.path) return `${err.syscall ?? 'open'} ${err.path}: ${err.code}`;
  return e instanceof Error ? e.message : String(e);
}

export function createCacheVerifier(opts: {
  gomodcache: string;
  /** Module@versions hashed at once (default: the core count, at most 8, which bounds memory: see hashZip). */
  modules?: number;
  /** Files read and hashed at once across all modules (default: 4 per core, at least 8). */
  files?: number;
}): CacheVerifier {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const moduleLimit = createLimiter(Math.max(1, opts.modules ?? Math.min(cores, 8)));
  const fileLimit: Limiter = createLimiter(Math.max(8, opts.files ?? cores * 4));
  const memo = new Map<string, Promise<CacheProblem[]>>();
  let hashed = 0;

  const verifyOne = async (e: CacheEntry): Promise<CacheProblem[]> => {
    const where = cachePaths(opts.gomodcache, e.path, e.version);
    const zip = e.zip || where.zip;
    const dir = e.dir || where.dir;
    const problem = (what: CacheProblem['what'], detail: string): CacheProblem => ({
      path: e.path,
      version: e.version,
      what,
      detail,
      goMessage:
        what === 'ziphash'
          ? `${e.path} ${e.version}: missing ziphash: ${detail}`
          : what === 'error'
            ? `${e.path} ${e.version}: ${detail}`
            : `${e.path} ${e.version}: ${what} has been modified (${detail})`,
    });
    const [zipState, dirState] = await Promise.all([existsOrError(zip), existsOrError(dir)]);
    let want: string;
    try {
      want = (await fs.readFile(`${zip}hash`, 'utf8')).trim();
    } catch (err) {
      // Nothing downloaded yet: nothing to verify.
      if (zipState === 'no' && dirState === 'no') return [];
      return [problem('ziphash', errText(err))];
    }
    hashed++;
    const out: CacheProblem[] = [];
    if (zipState !== 'no') {
      try {
        if ((await hashZip(zip, fileLimit)) !== want) out.push(problem('zip', zip));
      } catch (err) {
        return [problem('error', errText(err))];
      }
    }
    if (dirState !== 'no') {
      try {
        if ((await hashDir(dir, `${e.path}@${e.version}`, fileLimit)) !== want) out.push(problem('dir', dir));
      } catch (err) {
        return [...out, problem('error', errText(err))];
      }
    }
    return out;
  };

  return {
    verify(e) {
      const key = `${e.path}@${e.version}`;
      let p = memo.get(key);
      if (!p) {
        p = moduleLimit(() => verifyOne(e));
        memo.set(key, p);
      }
      return p;
    },
    get hashed() {
      return hashed;
    },
  };
}
