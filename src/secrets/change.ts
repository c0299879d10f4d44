// The secret scan's view of "the change": which commits to read (from the CI event or the CLI
// flags, in what this clone holds), how a secret found in commits and in the tree becomes one
// finding per place, and which findings an inline allow comment hid in the tree.

import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeCommits, Finding } from '../core/types.js';
import { INLINE_ALLOW_RE, resolveCommit, runGit, shallowBoundary, type CommitFinding, type CommitRange } from './commits.js';
import { scanText, type Ruleset } from './engine.js';
import type { GitOptions } from './files.js';
import type { RawFinding } from './types.js';

export interface CommitPlan {
  range?: CommitRange;
  /** The sha the change starts from (added lines are those since it), when known. */
  base?: string;
  /** Findings to add (the fetch-depth warning, what a new branch's push scanned). */
  findings: Finding[];
  notes: string[];
  /** What was scanned, for the summary note: "the 3 commits of the pull request". */
  what: string;
}

const FETCH_DEPTH_HINT =
  'Set `fetch-depth: 0` on actions/checkout (`with: fetch-depth: 0`) so that every commit of the change is in the clone; go-preflight never fetches.';

function label(c: ChangeCommits): string {
  switch (c.source) {
    case 'pull_request':
      return 'the pull request';
    case 'push':
      return 'the push';
    case 'since':
      return `--since ${c.base}`;
    case 'history':
      return 'the history';
  }
}

/** Decide which commits to scan with what this clone holds; never fetches. */
export async function commitsToScan(dir: string, c: ChangeCommits, git: GitOptions, shallow: boolean): Promise<CommitPlan> {
  const plan: CommitPlan = { findings: [], notes: [], what: '' };
  if (c.source === 'history') {
    plan.range = { kind: 'all' };
    plan.what = 'every commit reachable from any ref';
    if (shallow) {
      plan.findings.push({
        severity: 'warning',
        message: 'The clone is shallow, so --history scanned only the commits it holds, not the whole history',
        hint: 'Run it on a full clone (git fetch --unshallow, or fetch-depth: 0 on actions/checkout).',
      });
    }
    return plan;
  }
  const head = c.head ? await resolveCommit(dir, c.head, git) : undefined;
  const name = label(c);
  if (!head) {
    plan.findings.push({
      severity: 'warning',
      message: `The commits of ${name} (${c.head ? c.head.slice(0, 12) : 'its head'}) are not in this clone${shallow ? ' (a shallow checkout: actions/checkout fetches one commit by default)' : ''}, so only the files were scanned for secrets, not the lines each commit added`,
      hint:
        c.source === 'pull_request'
          ? `${FETCH_DEPTH_HINT} With pull_request_target, actions/checkout checks out the base branch: the pull request's commits are in the clone only when its head is fetched too.`
          : FETCH_DEPTH_HINT,
    });
    return plan;
  }
  let base: string | undefined;
  if (c.base) {
    base = await resolveCommit(dir, c.base, git);
    if (!base && c.source === 'since' && !shallow) throw new Error(`--since ${c.base}: no commit of that name in this clone`);
  }
  if (base) {
    plan.range = { kind: 'range', base, head };
    plan.base = base;
    plan.what = `the commits of ${name} (${base.slice(0, 12)}..${head.slice(0, 12)})`;
    return plan;
  }
  if (c.source === 'push' && !c.base && c.defaultBranch) {
    // A new branch: its commits are those not on the default branch.
    let def: string | undefined;
    for (const ref of [`refs/remotes/origin/${c.defaultBranch}`, `refs/heads/${c.defaultBranch}`]) {
      def = await resolveCommit(dir, ref, git);
      if (def) break;
    }
    if (def && def !== head) {
      plan.range = { kind: 'range', head, not: [def] };
      plan.base = await mergeBase(dir, def, head, git);
      plan.what = `the commits of the new branch that are not on ${c.defaultBranch}`;
      plan.notes.push(`A new branch was pushed: scanned the commits reachable from ${head.slice(0, 12)} and not from ${c.defaultBranch}.`);
      return plan;
    }
  }
  // The start is not here (a shallow clone, or a new branch without the default branch): scan
  // what is, never past the clone's boundary (a boundary commit "adds" every file it holds).
  const boundary = await shallowBoundary(dir, git);
  const count = c.count ?? 1;
  plan.range = { kind: 'range', head, not: boundary.filter((b) => b !== head), maxCount: count };
  if (boundary.includes(head)) plan.range = undefined;
  plan.what = `the last ${count} commit(s) up to ${head.slice(0, 12)}`;
  if (c.base || shallow) {
    plan.findings.push({
      severity: 'warning',
      message: `The start of ${name} (${c.base ? c.base.slice(0, 12) : 'its base'}) is not in this clone${shallow ? ' (a shallow checkout)' : ''}, so ${plan.range ? `only ${plan.what} were` : 'no commit was'} scanned for secrets besides the files`,
      hint: FETCH_DEPTH_HINT,
    });
  } else {
    plan.notes.push(`A new branch was pushed and ${c.defaultBranch ? `${c.defaultBranch} is not in this clone` : 'the default branch is unknown'}: scanned ${plan.what}.`);
  }
  return plan;
}

async function mergeBase(dir: string, a: string, b: string, git: GitOptions): Promise<string | undefined> {
  const r = await runGit(dir, ['merge-base', a, b], git, { timeoutMs: 60_000 });
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}

const previewKey = (f: RawFinding) => `${f.ruleId}\0${f.file}\0p:${f.preview}\0${f.name ?? ''}`;
const hashKey = (f: RawFinding, secret: string) => `${f.ruleId}\0${f.file}\0h:${secretHash(secret)}`;

/**
 * One finding per place: drop a commit finding whose secret is still in the tree at that file
 * (the tree finding is the one reported), and keep only the first commit that added each secret
 * (same rule, same secret, same file). Tree findings restored from the cache have no secret: they
 * are matched by rule, file and redacted preview.
 */
export function dedupeAgainstTree(tree: readonly RawFinding[], commits: readonly CommitFinding[]): CommitFinding[] {
  const inTree = new Set<string>();
  for (const f of tree) inTree.add(f.secret ? hashKey(f, f.secret) : previewKey(f));
  const seen = new Set<string>();
  const out: CommitFinding[] = [];
  for (const f of commits) {
    const key = f.secret ? hashKey(f, f.secret) : previewKey(f);
    if (inTree.has(key) || inTree.has(previewKey(f))) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** Tracked files under dir that hold an inline allow marker (`git grep`, one process), forward slashes. */
export async function grepAllowFiles(dir: string, git: GitOptions): Promise<string[]> {
  const r = await runGit(dir, ['grep', '-l', '-z', '-I', '--no-color', '-e', 'gitleaks:allow', '-e', 'preflight:allow', '--', '.'], git, { timeoutMs: 120_000 });
  if (r.code !== 0) return []; // 1: no match
  return r.stdout.split('\0').filter(Boolean).map((f) => f.replace(/\\/g, '/'));
}

/**
 * Findings an inline `gitleaks:allow`/`preflight:allow` comment hid in the tree: the files that
 * hold a marker (see grepAllowFiles) scanned again with the markers blanked out. Only findings
 * that the normal scan did not report are returned.
 */
export function inlineAllowedInTree(
  dir: string,
  files: readonly string[],
  ruleset: () => Ruleset,
  reported: readonly RawFinding[],
  keep: (rel: string) => boolean,
  maxFileSize: number,
): RawFinding[] {
  const out: RawFinding[] = [];
  const seen = new Set(reported.map((f) => `${f.file}\0${f.ruleId}\0${f.line}\0${f.column}`));
  for (const file of files) {
    if (!keep(file)) continue;
    const abs = path.join(dir, ...file.split('/'));
    // lstat: a tracked symlink is never followed (its target may be outside the repository).
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > maxFileSize) continue;
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    for (const f of scanText(file, text.replace(INLINE_ALLOW_RE, (m) => 'x'.repeat(m.length)), ruleset())) {
      if (f.line > 0 && !seen.has(`${f.file}\0${f.ruleId}\0${f.line}\0${f.column}`)) out.push(f);
    }
  }
  return out;
}

/** Added lines by root-relative path; `at(file, line)` asks with a path relative to the inspected dir. */
export function addedLookup(added: Map<string, Set<number>> | undefined, dirPrefix: string): ((file: string, line?: number) => boolean) | undefined {
  if (!added) return undefined;
  return (file, line) => {
    const key = dirPrefix && dirPrefix !== '.' ? `${dirPrefix}/${file}` : file;
    const lines = added.get(key);
    if (!lines) return false;
    return line === undefined ? lines.size > 0 : lines.has(line);
  };
}
