// Which files are scanned: tracked files (`git ls-files`, with their blob ids for the cache), or
// every regular file when the directory is not a git work tree. Reading and binary detection
// live in scan-file.ts (shared with the workers).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runGit } from '../core/git.js';
import { describeFailure, ToolFailure, type ProcessRunner } from '../core/process.js';

export interface ListedFile {
  /** Report path: relative to the scanned directory, forward slashes. */
  rel: string;
  abs: string;
  /** Blob id in the index (git mode). */
  blob?: string;
}

export interface GitListing {
  files: ListedFile[];
  /** Paths whose work-tree content differs from the index (their blob id does not describe them). */
  dirty: Set<string>;
  /** Set when the dirty list could not be read: then nothing may come from the cache. */
  dirtyUnknown: boolean;
}

export interface GitOptions {
  exec: ProcessRunner;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

// git runs through runGit (core/git.ts): no optional locks (the index of the inspected repository
// is never rewritten), none of the repository's programs (fsmonitor, filters, hooks). Kept for
// callers that build their own argument lists: `core.quotepath=false` keeps non-ASCII names readable.
export const GIT_READONLY = ['--no-optional-locks', '-c', 'core.quotepath=false'];

/** Tracked files under dir (`git ls-files -s -z`), skipping submodules and symlinks. */
export async function listGitFiles(dir: string, git: GitOptions): Promise<GitListing> {
  const r = await runGit(['ls-files', '-s', '-z'], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 120_000 });
  if (r.code !== 0 || r.truncated) throw new ToolFailure(`cannot list the tracked files: ${describeFailure(r)}`);
  const files: ListedFile[] = [];
  const seen = new Set<string>();
  const records = r.stdout.split('\0');
  // Every record ends with NUL; anything else is not git's listing, and a scan of part of the
  // files (or none: "Scanned 0 tracked files") would be a silent pass.
  if (records.pop() !== '') throw new ToolFailure(`git ls-files printed something that is not its -z listing (${JSON.stringify(r.stdout.slice(0, 60))})`);
  for (const rec of records) {
    // <mode> SP <blob> SP <stage> TAB <path>
    const m = /^([0-7]{6}) ([0-9a-f]{40}|[0-9a-f]{64}) ([0-3])\t(.+)$/s.exec(rec);
    if (!m) throw new ToolFailure(`git ls-files printed something that is not its -z listing (${JSON.stringify(rec.slice(0, 60))})`);
    const [, mode, blob, , rel] = m as unknown as [string, string, string, string, string];
    // 160000: a submodule (gitlink); 120000: a symlink, whose target is not content here.
    if (mode === '160000' || mode === '120000' || seen.has(rel)) continue;
    seen.add(rel);
    files.push({ rel, abs: path.join(dir, ...rel.split('/')), blob });
  }
  const d = await runGit(['diff', '--name-only', '-z', '--relative', '--no-renames', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all'], {
    exec: git.exec,
    cwd: dir,
    env: git.env,
    signal: git.signal,
    timeoutMs: 120_000,
    worktree: true,
  });
  const ok = d.code === 0 && !d.truncated;
  const dirty = new Set(ok ? d.stdout.split('\0').filter(Boolean) : []);
  return { files, dirty, dirtyUnknown: !ok };
}

const WALK_SKIP = new Set(['.git', 'node_modules']);

/** Every regular file under dir outside a git repository (no symlinks; .git, node_modules skipped). */
export async function walkFiles(dir: string, opts: { scanVendor: boolean; signal?: AbortSignal; limit?: number }): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  const limit = opts.limit ?? 200_000;
  const walk = async (abs: string, rel: string): Promise<void> => {
    if (out.length >= limit || opts.signal?.aborted) return;
    let entries;
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (WALK_SKIP.has(e.name) || (!opts.scanVendor && e.name === 'vendor')) continue;
        await walk(path.join(abs, e.name), childRel);
      } else if (e.isFile()) {
        out.push({ rel: childRel, abs: path.join(abs, e.name) });
      }
    }
  };
  await walk(dir, '');
  return out;
}

/** Files never scanned: checksums (go.sum lines are hashes by design) and, by default, vendor/. */
export function skipReason(rel: string, scanVendor: boolean): 'vendor' | 'checksums' | undefined {
  if (/(?:^|\/)go\.(?:work\.)?sum$/.test(rel)) return 'checksums';
  if (!scanVendor && /(?:^|\/)vendor\//.test(rel)) return 'vendor';
  return undefined;
}
