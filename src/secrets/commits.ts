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
import { unquoteGitPath } from './diff.js';
import { createRuleset, scanText, type Ruleset } from './engine.js';
import { runGit as runSafeGit } from '../core/git.js';
import { skipReason, type GitOptions } from './files.js';
import { globToRegExp, matchesAny } from './glob.js';
import { findWorkerScript, scanTextsInWorkers, type TextJob } from './pool.js';
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
  /** Commits per `git log` process. */
  batchSize?: number;
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

  // Read every batch with at most two git processes at once, parse as they arrive.
  const batchSize = opts.batchSize ?? 400;
  const batches: string[][] = [];
  for (let i = 0; i < shas.length; i += batchSize) batches.push(shas.slice(i, i + batchSize));
  const units: AddedText[] = [];
  const read = (b: string[]) => runGit(dir, LOG_ARGS, git, { input: `${b.join('\n')}\n`, timeoutMs: 600_000 });
  let pending = batches.length ? read(batches[0]!) : undefined;
  for (let i = 0; i < batches.length; i++) {
    const r = await pending!;
    pending = i + 1 < batches.length ? read(batches[i + 1]!) : undefined;
    if (r.code !== 0) {
      await pending?.catch(() => undefined);
      throw new Error(`git log failed: ${describeFailure(r)}`);
    }
    if (r.truncated) opts.logger?.warning('secrets: the history output of one batch was too large and was cut; some commits were scanned only in part');
    for (const u of parseLogPatch(r.stdout)) if (keep(u)) units.push(u);
  }

  let bytes = 0;
  for (const u of units) bytes += u.text.length;
  result.bytes = bytes;

  // Scan: workers for a large history, else this thread (yielding to the event loop).
  let perUnit: RawFinding[][] | undefined;
  const maxThreads = Math.max(1, opts.workers ?? Math.min(8, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));
  const script = maxThreads > 1 && bytes > (opts.parallelThreshold ?? 2 * 1024 * 1024) ? findWorkerScript() : undefined;
  if (script) {
    const threads = Math.min(maxThreads, Math.ceil(bytes / (1024 * 1024)));
    const jobs: TextJob[] = units.map((u, i) => ({ key: String(i), rel: u.file, text: u.text }));
    try {
      const res = await scanTextsInWorkers(script, opts.config, jobs, threads, git.signal);
      perUnit = new Array<RawFinding[]>(units.length);
      for (const r of res) perUnit[Number(r.rel)] = r.findings;
      result.threads = threads;
    } catch (e) {
      if (git.signal?.aborted) throw e;
      opts.logger?.debug(`secrets: worker threads failed on the history (${getErrorMessage(e)}); scanning on the main thread`);
      perUnit = undefined;
    }
  }
  let ruleset: Ruleset | undefined;
  const rs = () => (ruleset ??= createRuleset(opts.config));
  if (!perUnit) {
    perUnit = [];
    let slice = Date.now();
    for (const u of units) {
      if (Date.now() - slice > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
        if (git.signal?.aborted) throw new Error('the secrets scan was cancelled');
      }
      perUnit.push(scanText(u.file, u.text, rs()));
    }
  }
  units.forEach((u, i) => {
    result.findings.push(...mapFindings(u, perUnit![i] ?? []));
    // What an inline comment hid: scan the unit again without the markers (few units have one).
    INLINE_ALLOW_RE.lastIndex = 0;
    if (INLINE_ALLOW_RE.test(u.text)) {
      const seen = new Set(result.findings.filter((f) => f.commit === u.commit && f.file === u.file).map((f) => `${f.ruleId}:${f.line}:${f.column}`));
      for (const f of mapFindings(u, scanText(u.file, withoutAllow(u.text), rs()))) {
        if (!seen.has(`${f.ruleId}:${f.line}:${f.column}`)) result.inlineAllowed.push(f);
      }
    }
  });
  result.durationMs = Date.now() - t0;
  return result;
}

/** Whether `sha` names a commit present in this clone. */
export async function hasCommit(dir: string, sha: string, git: GitOptions): Promise<boolean> {
  if (!sha || sha.startsWith('-')) return false;
  const r = await runGit(dir, ['cat-file', '-e', `${sha}^{commit}`], git, { timeoutMs: 30_000 });
  return r.code === 0;
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
  const { parseUnifiedDiff } = await import('./diff.js');
  return parseUnifiedDiff(r.stdout);
}
