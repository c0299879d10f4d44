// Secrets in commits: the lines each commit adds, not only the files as they are now. A secret
// added in one commit and deleted in the next is in every clone forever; the tree scan never
// sees it. One `git log -p -U0` stream per batch of a few hundred commits (never a process per
// commit), parsed into one text per (commit, file) made of the added lines, scanned with the same
// rule set as the tree (on worker threads when there is a lot of it).

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getErrorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { describeFailure, type ProcessResult } from '../core/process.js';
import { runGit as runSafeGit } from '../core/git.js';
import { parseUnifiedDiff, unquoteGitPath } from './diff.js';
import { scanText } from './engine.js';
import { skipReason, type GitOptions } from './files.js';
import { globToRegExp, matchesAny } from './glob.js';
import { findWorkerScript, scanTextsInWorkers, type TextJob } from './pool.js';
import { rulesetFor } from './scan-repo.js';
import type { RawFinding, RulesetConfig } from './types.js';

/**
 * Every git command of the commit scan goes through the project's git runner (core/git.ts): no
 * fsmonitor, hooks, pager, filters, textconv or external diff of the inspected repository can run.
 * Work-tree mode is always on here, so the repository's filter drivers are turned off even for a
 * command that reads files (a diff against the work tree).
 */
export function runGit(dir: string, args: readonly string[], git: GitOptions, opts: { timeoutMs?: number; input?: string; maxOutputBytes?: number } = {}): Promise<ProcessResult> {
  return runSafeGit(['-c', 'log.showRoot=true', ...args], {
    exec: git.exec,
    cwd: dir,
    env: git.env,
    signal: git.signal,
    timeoutMs: opts.timeoutMs ?? 120_000,
    input: opts.input,
    maxOutputBytes: opts.maxOutputBytes,
    worktree: true,
  });
}

/** Which commits to scan. */
export type CommitRange =
  /** Commits reachable from `head` and not from `base` (`base..head`), minus those reachable from `not`. */
  | { kind: 'range'; base?: string; head: string; not?: string[]; maxCount?: number }
  /** Every commit reachable from any ref (`git log --all`, what `gitleaks git` scans). */
  | { kind: 'all' };

export interface CommitScanOptions {
  config: RulesetConfig;
  scanVendor?: boolean;
  /** Added text of one file in one commit larger than this is not scanned. */
  maxFileSize?: number;
  pathsIgnore?: readonly string[];
  /** Exact report paths never scanned. */
  exclude?: readonly string[];
  /** Most commits per `git log` process. */
  batchSize?: number;
  /** git log processes at once (default: the CPUs, at most 4). */
  gitProcesses?: number;
  workers?: number;
  /** Start workers only above this many bytes of added text. */
  parallelThreshold?: number;
  logger?: Logger;
}

export interface CommitFinding extends RawFinding {
  commit: string;
}

/** A line added by a commit that holds an inline allow comment. */
export interface AddedAllow {
  commit: string;
  file: string;
  line: number;
}

export interface CommitScanResult {
  /** Oldest commit first; within a commit by file and line. Not deduplicated. */
  findings: CommitFinding[];
  /** Findings an inline allow comment hid (found by scanning the same lines without the comment). */
  inlineAllowed: CommitFinding[];
  commits: number;
  /** Bytes of added text scanned. */
  bytes: number;
  threads: number;
  durationMs: number;
  /** (commit, file) texts over maxFileSize, not scanned. */
  oversized: number;
}

export const INLINE_ALLOW_RE = /gitleaks:allow|preflight:allow/g;

/** One file's added lines in one commit. `lines[i]` is the new-file line number of text line i+1. */
export interface AddedText {
  commit: string;
  file: string;
  text: string;
  lines: number[];
}

/**
 * Parse `git log -p -U0 --format=%x00%H` output into the added text of each (commit, file).
 * Hunks of one file are joined with an empty line between them (so that a match never spans two
 * hunks), and `lines` maps each text line back to its line in the file at that commit.
 */
export function parseLogPatch(out: string): AddedText[] {
  const units: AddedText[] = [];
  let commit = '';
  let file: string | undefined;
  let textLines: string[] = [];
  let lineMap: number[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let next = 0;
  const flush = () => {
    if (file !== undefined && textLines.length) units.push({ commit, file, text: textLines.join('\n'), lines: lineMap });
    file = undefined;
    textLines = [];
    lineMap = [];
  };
  let pos = 0;
  const n = out.length;
  while (pos < n) {
    let end = out.indexOf('\n', pos);
    if (end < 0) end = n;
    const line = out.slice(pos, end);
    pos = end + 1;
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === '+' && newLeft > 0) {
        textLines.push(line.slice(1));
        lineMap.push(next++);
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        oldLeft--;
        continue;
      }
      if (c === '\\') continue; // "\ No newline at end of file"
      // Anything else ends the hunk (a malformed count): fall through to the headers.
      oldLeft = newLeft = 0;
    }
    if (line.charCodeAt(0) === 0) {
      flush();
      commit = line.slice(1).trim();
      continue;
    }
    if (line.startsWith('\\')) continue;
    if (line.startsWith('diff --git ')) {
      flush();
      continue;
    }
    if (line.startsWith('+++ ')) {
      const raw = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      file = raw === '/dev/null' ? undefined : raw.startsWith('b/') ? raw.slice(2) : raw;
      continue;
    }
    if (line.startsWith('@@')) {
      const h = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!h) continue;
      oldLeft = h[1] === undefined ? 1 : Number(h[1]);
      newLeft = h[3] === undefined ? 1 : Number(h[3]);
      next = Number(h[2]);
      if (file !== undefined && textLines.length && newLeft > 0) {
        // Separate hunks by an empty line that maps to no line of the file.
        textLines.push('');
        lineMap.push(0);
      }
    }
  }
  flush();
  return units;
}

async function revList(dir: string, range: CommitRange, git: GitOptions): Promise<string[]> {
  const args = ['rev-list', '--reverse'];
  if (range.kind === 'all') args.push('--all');
  else {
    if (range.maxCount) args.push(`--max-count=${range.maxCount}`);
    args.push(range.head);
    const not = [...(range.base ? [range.base] : []), ...(range.not ?? [])];
    if (not.length) args.push('--not', ...not);
  }
  args.push('--');
  const r = await runGit(dir, args, git, { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`git rev-list failed: ${describeFailure(r)}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[0-9a-f]{40,64}$/.test(s));
}

const LOG_ARGS = [
  'log',
  '--no-walk=unsorted',
  '--stdin',
  '-p',
  '-U0',
  '--text',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--no-notes',
  '--submodule=short',
  '--relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--format=%x00%H',
];

/** Findings of a unit, with lines mapped back to the file at that commit. */
function mapFindings(u: AddedText, found: RawFinding[]): CommitFinding[] {
  const out: CommitFinding[] = [];
  for (const f of found) {
    if (f.line === 0) continue; // path-only rules describe files, which the tree scan reports
    const line = u.lines[f.line - 1] ?? 0;
    if (!line) continue;
    const endLine = u.lines[f.endLine - 1] || line;
    out.push({ ...f, line, endLine, fingerprint: `${u.commit}:${u.file}:${f.ruleId}:${line}`, commit: u.commit });
  }
  return out;
}

/** Replace the inline allow markers by text of the same length, so positions do not move. */
function withoutAllow(text: string): string {
  return text.replace(INLINE_ALLOW_RE, (m) => 'x'.repeat(m.length));
}

/** Scan the lines added by every commit of the range. Throws when git fails. */
export async function scanCommits(dir: string, range: CommitRange, git: GitOptions, opts: CommitScanOptions): Promise<CommitScanResult> {
  const t0 = Date.now();
  const shas = await revList(dir, range, git);
  const result: CommitScanResult = { findings: [], inlineAllowed: [], commits: shas.length, bytes: 0, threads: 1, durationMs: 0, oversized: 0 };
  if (!shas.length) return result;

  const ignoreRes = (opts.pathsIgnore ?? []).filter((g) => g.trim()).map(globToRegExp);
  const exclude = new Set(opts.exclude ?? []);
  const maxSize = opts.maxFileSize ?? 5 * 1024 * 1024;
  const keep = (u: AddedText) => {
    if (skipReason(u.file, opts.scanVendor ?? false) || exclude.has(u.file) || matchesAny(u.file, ignoreRes)) return false;
    if (u.text.length > maxSize) {
      result.oversized++;
      return false;
    }
    // Binary content (forced into the diff by --text): a NUL byte in the added text.
    return !u.text.slice(0, 8000).includes('\0');
  };

  // Batches of commits, read by as many git processes at once as there are CPUs (at most 4):
  // `git log -p` is much of the work, and one process uses one core. Each batch is parsed and
  // scanned on this thread as it arrives, while git produces the next; a large history (judged
  // from the first batches) is collected and scanned on worker threads instead.
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const parallel = Math.max(1, Math.min(4, opts.gitProcesses ?? cpus));
  const size = Math.max(50, Math.min(opts.batchSize ?? 1000, Math.ceil(shas.length / parallel)));
  const batches: string[][] = [];
  for (let i = 0; i < shas.length; i += size) batches.push(shas.slice(i, i + size));
  const maxThreads = Math.max(1, opts.workers ?? Math.min(8, cpus));
  const threshold = opts.parallelThreshold ?? 2 * 1024 * 1024;
  const script = maxThreads > 1 ? findWorkerScript() : undefined;
  let mode: 'undecided' | 'here' | 'workers' = script ? 'undecided' : 'here';
  const perBatch: AddedText[][] = new Array(batches.length);
  const found: CommitFinding[][] = new Array(batches.length);
  let bytesSeen = 0;
  let batchesSeen = 0;
  let gitMs = 0;
  let scanMs = 0;
  const rs = () => rulesetFor(opts.config);
  const scanHere = async (units: AddedText[]): Promise<CommitFinding[]> => {
    const out: CommitFinding[] = [];
    let slice = Date.now();
    for (const u of units) {
      if (Date.now() - slice > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
        if (git.signal?.aborted) throw new Error('the secrets scan was cancelled');
      }
      out.push(...mapFindings(u, scanText(u.file, u.text, rs())));
    }
    return out;
  };
  let next = 0;
  let failure: Error | undefined;
  const reader = async () => {
    while (next < batches.length && !failure) {
      const i = next++;
      const g0 = Date.now();
      const r = await runGit(dir, LOG_ARGS, git, { input: `${batches[i]!.join('\n')}\n`, timeoutMs: 600_000 });
      gitMs += Date.now() - g0;
      if (r.code !== 0) {
        failure ??= new Error(`git log failed: ${describeFailure(r)}`);
        return;
      }
      if (r.truncated) opts.logger?.warning('secrets: the history output of one batch was too large and was cut; some commits were scanned only in part');
      const units = parseLogPatch(r.stdout).filter(keep);
      perBatch[i] = units;
      for (const u of units) bytesSeen += u.text.length;
      batchesSeen++;
      // Workers cost a start-up each (the rule set is compiled per thread): only for a history
      // whose added text is large, judged once a first batch is in (the first commit of a
      // repository alone can be large, so the estimate must be well above the threshold).
      if (mode === 'undecided') mode = bytesSeen > threshold && (bytesSeen / batchesSeen) * batches.length > 4 * threshold ? 'workers' : 'here';
      if (mode === 'here') {
        const s0 = Date.now();
        found[i] = await scanHere(units);
        scanMs += Date.now() - s0;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, reader));
  if (failure) throw failure;
  const units: AddedText[] = perBatch.flat();
  result.bytes = bytesSeen;

  const missing = batches.map((_, i) => i).filter((i) => !found[i]);
  if (missing.length && script) {
    // Worker threads for what was not scanned yet.
    const todo = missing.flatMap((i) => perBatch[i]!);
    const threads = Math.max(1, Math.min(maxThreads, Math.ceil(todo.reduce((a, u) => a + u.text.length, 0) / (1024 * 1024))));
    const jobs: TextJob[] = todo.map((u, k) => ({ key: String(k), rel: u.file, text: u.text }));
    try {
      const s0 = Date.now();
      const res = await scanTextsInWorkers(script, opts.config, jobs, threads, git.signal);
      const perUnit = new Array<RawFinding[]>(todo.length);
      for (const r of res) perUnit[Number(r.rel)] = r.findings;
      const out: CommitFinding[] = [];
      todo.forEach((u, k) => out.push(...mapFindings(u, perUnit[k] ?? [])));
      // Keep commit order: the worker results go where their batches were.
      const byBatch = new Map<number, CommitFinding[]>(missing.map((i) => [i, []]));
      const batchOf = new Map<string, number>();
      for (const i of missing) for (const sha of batches[i]!) batchOf.set(sha, i);
      for (const f of out) byBatch.get(batchOf.get(f.commit) ?? missing[0]!)!.push(f);
      for (const [i, list] of byBatch) found[i] = list;
      result.threads = threads;
      scanMs += Date.now() - s0;
    } catch (e) {
      if (git.signal?.aborted) throw e;
      opts.logger?.debug(`secrets: worker threads failed on the history (${getErrorMessage(e)}); scanning on the main thread`);
    }
  }
  for (const i of missing) if (!found[i]) found[i] = await scanHere(perBatch[i]!);
  for (const list of found) result.findings.push(...list);

  // What an inline comment hid: scan again without the markers the few units that hold one.
  for (const u of units) {
    INLINE_ALLOW_RE.lastIndex = 0;
    if (!INLINE_ALLOW_RE.test(u.text)) continue;
    const seen = new Set(result.findings.filter((f) => f.commit === u.commit && f.file === u.file).map((f) => `${f.ruleId}:${f.line}:${f.column}`));
    for (const f of mapFindings(u, scanText(u.file, withoutAllow(u.text), rs()))) {
      if (!seen.has(`${f.ruleId}:${f.line}:${f.column}`)) result.inlineAllowed.push(f);
    }
  }
  opts.logger?.debug(
    `secrets: ${shas.length} commits in ${batches.length} git log batches (${parallel} at once, ${gitMs} ms of git), ${(bytesSeen / 1e6).toFixed(1)} MB added text scanned in ${scanMs} ms${result.threads > 1 ? ` on ${result.threads} threads` : ''}`,
  );
  result.durationMs = Date.now() - t0;
  return result;
}

/** The full sha of a ref, or undefined. */
export async function resolveCommit(dir: string, ref: string, git: GitOptions): Promise<string | undefined> {
  if (!ref || ref.startsWith('-')) return undefined;
  const r = await runGit(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${ref}^{commit}`], git, { timeoutMs: 30_000 });
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The boundary commits of a shallow clone (empty when it is not shallow). */
export async function shallowBoundary(dir: string, git: GitOptions): Promise<string[]> {
  const r = await runGit(dir, ['rev-parse', '--git-path', 'shallow'], git, { timeoutMs: 30_000 });
  if (r.code !== 0) return [];
  const p = path.resolve(dir, r.stdout.trim());
  try {
    return (await fs.readFile(p, 'utf8')).split('\n').map((s) => s.trim()).filter((s) => /^[0-9a-f]{40,64}$/.test(s));
  } catch {
    return [];
  }
}

/** Added lines per root-relative path between `base` and the work tree (`git diff -U0 base`). */
export async function addedLinesSince(dir: string, base: string, git: GitOptions): Promise<Map<string, Set<number>> | undefined> {
  const r = await runGit(
    dir,
    ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--text', '--src-prefix=a/', '--dst-prefix=b/', base, '--'],
    git,
    { timeoutMs: 120_000 },
  );
  if (r.code !== 0) return undefined;
  return parseUnifiedDiff(r.stdout);
}
