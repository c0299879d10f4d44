// Which files exist at the commit the job summary links at, so that an untracked or deleted file is
// never a dead link. `git ls-tree` reads objects only: it runs no filter, hook, fsmonitor or pager
// of the inspected repository.

import { runGit } from '../core/git.js';
import { runProcess, type ProcessRunner } from '../core/process.js';

/**
 * The files of `rev` under `dir`, relative to `dir` with forward slashes (what findings use), or
 * undefined when git cannot tell (not a repository, no commit yet, git missing): then the caller
 * links every file, as before.
 */
export async function filesAtCommit(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  rev = 'HEAD',
  exec: ProcessRunner = runProcess,
): Promise<Set<string> | undefined> {
  const r = await runGit(['ls-tree', '-r', '-z', '--name-only', '--end-of-options', rev], { exec, cwd: dir, env, timeoutMs: 30_000, maxOutputBytes: 64 * 1024 * 1024 });
  if (r.code !== 0 || r.truncated) return undefined;
  return new Set(r.stdout.split('\0').filter(Boolean));
}
