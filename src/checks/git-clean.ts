// git-clean: is the working tree clean (no modified, staged, deleted or untracked files)?
//
// Uses `git status --porcelain=v2 -z`, which is stable across git versions and locales, through
// runGit (core/git.ts): no optional locks (git does not refresh, i.e. write, the index of the
// inspected repo) and none of the repository's fsmonitor, filter or hook programs run.

import path from 'node:path';
import type { Check, Finding } from '../core/types.js';
import { describeFailure, ToolFailure } from '../core/process.js';
import { runGit } from '../core/git.js';
import { isInside, reportPath } from '../core/paths.js';
import { markdownCode, markdownText } from '../report/format.js';

export interface StatusEntry {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** For renames/copies, the original path. */
  from?: string;
  /** Index (staged) state letter, `.` when unchanged. */
  x: string;
  /** Work-tree state letter, `.` when unchanged. */
  y: string;
  kind: 'changed' | 'renamed' | 'unmerged' | 'untracked';
  submodule: boolean;
}

/** Parse `git status --porcelain=v2 -z` output; undefined when it is not that format. */
export function parsePorcelainV2(out: string): StatusEntry[] | undefined {
  const entries: StatusEntry[] = [];
  if (out && !out.endsWith('\0')) return undefined;
  const parts = out.split('\0');
  parts.pop();
  const xy = (f: string | undefined) => (f && /^[.MTADRCU?!]{2}$/.test(f) ? f : undefined);
  for (let i = 0; i < parts.length; i++) {
    const rec = parts[i]!;
    const type = rec[0];
    const f = rec.split(' ');
    if ((type === '?' || type === '!') && rec[1] === ' ' && rec.length > 2) {
      if (type === '?') entries.push({ path: rec.slice(2), x: '?', y: '?', kind: 'untracked', submodule: false });
    } else if (type === '1' && f.length >= 9 && xy(f[1])) {
      // 1 XY sub mH mI mW hH hI path
      entries.push({ path: f.slice(8).join(' '), x: f[1]![0]!, y: f[1]![1]!, kind: 'changed', submodule: f[2]!.startsWith('S') });
    } else if (type === '2' && f.length >= 10 && xy(f[1]) && i + 1 < parts.length) {
      // 2 XY sub mH mI mW hH hI Xscore path \0 origPath
      const from = parts[++i];
      entries.push({ path: f.slice(9).join(' '), from, x: f[1]![0]!, y: f[1]![1]!, kind: 'renamed', submodule: f[2]!.startsWith('S') });
    } else if (type === 'u' && f.length >= 11 && xy(f[1])) {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      entries.push({ path: f.slice(10).join(' '), x: f[1]![0]!, y: f[1]![1]!, kind: 'unmerged', submodule: f[2]!.startsWith('S') });
    } else if (type === '#') {
      // a header line (--branch); not used
    } else return undefined;
  }
  return entries;
}

const WORDS: Record<string, string> = {
  M: 'modified',
  T: 'changed type',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
};

/** Human words for an entry's state: "untracked", "modified (not staged)", "staged (added)"... */
export function describeState(e: StatusEntry): string {
  if (e.kind === 'untracked') return 'untracked';
  if (e.kind === 'unmerged') return 'in a merge conflict';
  const parts: string[] = [];
  if (e.x !== '.') parts.push(`staged (${WORDS[e.x] ?? e.x}${e.from && e.kind === 'renamed' ? ` from ${e.from}` : ''})`);
  if (e.y !== '.') parts.push(`${WORDS[e.y] ?? e.y} (not staged)`);
  return parts.join(', ');
}

/** Glob to RegExp: `**` any path, `*` any run within a segment, `?` one char; a pattern without `/` matches a base name anywhere. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/');
  const anchored = g.includes('/');
  g = g.replace(/^\.\//, '').replace(/^\//, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        i++;
        if (g[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A directory pattern (`build/`) matches everything under it.
  if (g.endsWith('/')) re += '.*';
  return new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`);
}

export const gitCleanCheck: Check = {
  id: 'git-clean',
  title: 'Clean git tree',
  needs: ['git'],
  options: {
    allow: {
      type: 'array',
      items: { type: 'string', description: 'glob, relative to the inspected directory' },
      description: 'Files allowed to be modified or untracked (globs such as "docs/**" or "*.gen.go").',
    },
    untracked: { type: 'boolean', default: true, description: 'Report untracked (not ignored) files.' },
  },
  async run(ctx) {
    const root = ctx.probe.git.root ?? ctx.dir;
    // --ignore-submodules=dirty: a submodule's new commit is reported, but git does not start a
    // `git status` inside each submodule, whose own config (filters) runGit has not neutralised.
    const args = [
      'status',
      '--porcelain=v2',
      '-z',
      '--ignore-submodules=dirty',
      ctx.options.untracked === false ? '--untracked-files=no' : '--untracked-files=all',
      '--',
      '.',
    ];
    const r = await runGit(args, { exec: ctx.exec, cwd: ctx.dir, env: ctx.env, signal: ctx.signal, timeoutMs: 120_000, worktree: true });
    if (r.code !== 0 || r.truncated) throw new ToolFailure(describeFailure(r));
    const entries = parsePorcelainV2(r.stdout);
    if (entries === undefined) throw new ToolFailure(`git status printed something that is not its porcelain v2 format (${JSON.stringify(r.stdout.slice(0, 60))}); cannot tell whether the tree is clean`);
    const allow = ((ctx.options.allow as string[] | undefined) ?? []).map(globToRegExp);
    const findings: Finding[] = [];
    const rows: string[] = [];
    let allowed = 0;
    for (const e of entries) {
      const abs = path.join(root, ...e.path.split('/'));
      if (!isInside(ctx.dir, abs)) continue;
      const rel = reportPath(ctx.dir, abs);
      if (allow.some((re) => re.test(rel))) {
        allowed++;
        continue;
      }
      const state = describeState(e);
      rows.push(`| ${markdownCode(rel)} | ${markdownText(state)}${e.submodule ? ' (submodule)' : ''} |`);
      const base = path.posix.basename(rel);
      const modHint =
        base === 'go.mod' || base === 'go.sum' || base === 'go.work.sum'
          ? ` A step before this one probably ran \`go mod tidy\`, \`go get\` or a build with -mod=mod; run it locally and commit ${base}.`
          : '';
      findings.push({
        severity: 'error',
        message: `${rel} is ${state}${e.submodule ? ' (a submodule with changes)' : ''}: the build would not match the commit`,
        hint:
          e.kind === 'untracked'
            ? `Commit it, delete it, or add it to .gitignore (or to checks.git-clean.allow).${modHint}`
            : e.kind === 'unmerged'
              ? 'Resolve the merge conflict and commit.'
              : `Commit or discard the change (git checkout -- ${rel}), or allow it in checks.git-clean.allow.${modHint}`,
        file: e.y === 'D' || e.x === 'D' ? undefined : rel,
        ruleId: e.kind,
      });
    }
    const notes: string[] = [];
    if (ctx.probe.git.shallow) notes.push('shallow clone (actions/checkout default fetch-depth: 1): fine for this check');
    if (allowed) notes.push(`${allowed} changed file(s) allowed by checks.git-clean.allow`);
    const details = rows.length ? `| file | state |\n|---|---|\n${rows.join('\n')}` : undefined;
    return { findings, notes, details };
  },
};
