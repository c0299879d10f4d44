// Diff scope: on a pull request only the lines changed since the branch left its base are
// checked, so a secret committed long ago (and already handled, or not yours) does not fail
// every PR. The changed lines are `git diff -U0 <merge-base>` of the work tree.

import { describeFailure } from '../core/process.js';
import { runGit } from '../core/git.js';
import type { GitOptions } from './files.js';

export interface DiffScope {
  /** The ref as given (`main`). */
  base: string;
  /** What it resolved to (`origin/main`). */
  resolved: string;
  mergeBase: string;
  /** Report path -> added or modified line numbers (1-based). */
  changed: Map<string, Set<number>>;
}

export type DiffScopeResult = { scope: DiffScope } | { problem: 'shallow' | 'unknown-base' | 'no-merge-base' | 'diff-failed'; detail: string };

/** Unquote a path git printed in C style ("a\tb", octal escapes for bytes). */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i]!;
    const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      const oct = body.slice(i, i + 3);
      bytes.push(parseInt(oct, 8));
      i += 2;
    } else bytes.push(...Buffer.from(n, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parse `git diff -U0` output into changed (new-side) line numbers per file. */
export function parseUnifiedDiff(out: string, dstPrefix = 'b/'): Map<string, Set<number>> {
  const changed = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('+++ ')) {
      const raw = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      if (raw === '/dev/null') current = undefined;
      else {
        const p = raw.startsWith(dstPrefix) ? raw.slice(dstPrefix.length) : raw;
        current = changed.get(p) ?? new Set<number>();
        changed.set(p, current);
      }
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && current) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return changed;
}

async function revParse(dir: string, git: GitOptions, ref: string): Promise<string | undefined> {
  const r = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${ref}^{commit}`], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 30_000 });
  const sha = r.code === 0 ? r.stdout.trim() : '';
  return OBJECT_ID.test(sha) ? sha : undefined;
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Resolve `base` (a branch, tag or commit; on a pull request the base branch, which a CI
 * checkout has as `origin/<base>`), find the merge base with HEAD and the changed lines.
 */
export async function resolveDiffScope(dir: string, base: string, git: GitOptions, shallow: boolean): Promise<DiffScopeResult> {
  if (base.startsWith('-')) return { problem: 'unknown-base', detail: `"${base}" is not a git ref` };
  const candidates = base.startsWith('refs/') || base.startsWith('origin/') ? [base] : [base, `origin/${base}`, `refs/remotes/origin/${base}`];
  let resolved: string | undefined;
  let sha: string | undefined;
  for (const c of candidates) {
    sha = await revParse(dir, git, c);
    if (sha) {
      resolved = c;
      break;
    }
  }
  if (!sha || !resolved) return { problem: shallow ? 'shallow' : 'unknown-base', detail: `no commit named ${candidates.join(' or ')}` };
  const mb = await runGit(['merge-base', '--end-of-options', sha, 'HEAD'], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 60_000 });
  if (mb.code !== 0 || !OBJECT_ID.test(mb.stdout.trim())) {
    return { problem: shallow ? 'shallow' : 'no-merge-base', detail: `git merge-base ${resolved} HEAD found no common commit` };
  }
  const mergeBase = mb.stdout.trim();
  const d = await runGit(
    ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--ignore-submodules=all', '--relative', '--src-prefix=a/', '--dst-prefix=b/', '--end-of-options', mergeBase, '--'],
    { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 120_000, worktree: true },
  );
  if (d.code !== 0 || d.truncated) return { problem: 'diff-failed', detail: describeFailure(d) };
  // Not a diff: an empty scope from it would scan nothing and pass.
  if (d.stdout.trim() && !d.stdout.startsWith('diff ')) return { problem: 'diff-failed', detail: `git diff printed something that is not a diff (${JSON.stringify(d.stdout.slice(0, 40))})` };
  return { scope: { base, resolved, mergeBase, changed: parseUnifiedDiff(d.stdout) } };
}

/** True when any line of [line, endLine] changed (path-only findings: when the file changed). */
export function inScope(scope: DiffScope, file: string, line: number, endLine: number): boolean {
  const lines = scope.changed.get(file);
  if (!lines) return false;
  if (line === 0) return true;
  for (let l = line; l <= Math.max(line, endLine); l++) if (lines.has(l)) return true;
  return false;
}
