// Which files are scanned: tracked files (`git ls-files`, with their blob ids for the cache), or
// every regular file when the directory is not a git work tree. Reading and binary detection
// live in scan-file.ts (shared with the workers).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describeFailure, type ProcessRunner } from '../core/process.js';

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

// `--no-optional-locks`: never refresh (write) the index of the inspected repository.
// `core.quotepath=false` keeps non-ASCII names readable; `-z` output is never quoted anyway.
export const GIT_READONLY = ['--no-optional-locks', '-c', 'core.quotepath=false'];

/** Tracked files under dir (`git ls-files -s -z`), skipping submodules and symlinks. */
export async function listGitFiles(dir: string, git: GitOptions): Promise<GitListing> {
  const r = await git.exec('git', [...GIT_READONLY, 'ls-files', '-s', '-z'], { cwd: dir, env: git.env, signal: git.signal, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(describeFailure(r));
  const files: ListedFile[] = [];
  const seen = new Set<string>();
  for (const rec of r.stdout.split('\0')) {
    if (!rec) continue;
    // <mode> SP <blob> SP <stage> TAB <path>
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, blob] = rec.slice(0, tab).split(' ');
    const rel = rec.slice(tab + 1);
    // 160000: a submodule (gitlink); 120000: a symlink, whose target is not content here.
    if (mode === '160000' || mode === '120000' || seen.has(rel)) continue;
    seen.add(rel);
    files.push({ rel, abs: path.join(dir, ...rel.split('/')), blob });
  }
  const d = await git.exec('git', [...GIT_READONLY, 'diff', '--name-only', '-z', '--relative', '--no-renames'], {
    cwd: dir,
    env: git.env,
    signal: git.signal,
    timeoutMs: 120_000,
  });
  const dirty = new Set(d.code === 0 ? d.stdout.split('\0').filter(Boolean) : []);
  return { files, dirty, dirtyUnknown: d.code !== 0 };
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
