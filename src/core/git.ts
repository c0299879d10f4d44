// The one place go-preflight runs git. The inspected repository is a stranger's: its .git/config
// (a cloned archive, someone's checkout) and .gitattributes can name programs that git starts on
// its own: core.fsmonitor on `git status`, filter.<x>.clean/process on reading work-tree files,
// diff.<x>.textconv and diff.external on `git diff`, hooks, a pager. Every git process started
// here gets settings on the command line (`-c`, which outrank every config file and reach git's
// own child processes through GIT_CONFIG_PARAMETERS) that turn each of these off, and read-only
// environment (no optional locks: `git status` does not rewrite the index).
//
// Filter drivers cannot be turned off with one setting: their names are free. Before a command
// that reads work-tree files (status, diff of the work tree), the filter keys defined in the
// repository's own config (scopes local and worktree, with its includes) are listed with
// `git config` (which runs nothing) and each is overridden with an empty value and
// `required=false`. Drivers from the user's own global/system config (git-lfs) are left alone:
// they are the user's programs, which their own git runs on the same repository anyway.
// Submodules are not descended into for work-tree changes (`--ignore-submodules=dirty` is the
// caller's choice; see git-clean), since their configs are not listed here.
//
// Values that come from users or the repository (refs, paths) always follow `--` or
// `--end-of-options`, so that none is read as an option.

import os from 'node:os';
import path from 'node:path';
import { runProcess, type ProcessResult, type ProcessRunner } from './process.js';

export interface GitRunOptions {
  cwd: string;
  /** The base environment (process.env or the run's env); git's safety variables are added. */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** Text written to git's stdin (e.g. `--stdin` commit lists). */
  input?: string;
  /** The command reads work-tree files (status, diff against the work tree): filter drivers are disabled first. */
  worktree?: boolean;
  exec?: ProcessRunner;
}

// A hooks directory that cannot exist: no hook runs whatever .git/hooks or core.hooksPath hold.
const NO_HOOKS = path.join(os.devNull, 'go-preflight-no-hooks');

/** `-c` settings given to every git process, before the subcommand. */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.useBuiltinFSMonitor=false',
  `core.hooksPath=${NO_HOOKS}`,
  'core.pager=cat',
  'core.askPass=',
  'core.sshCommand=ssh',
  'core.quotepath=false',
  'core.untrackedCache=false',
  'credential.helper=',
  'diff.external=',
  'diff.noprefix=false',
  'color.ui=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'log.showSignature=false',
  'gpg.program=gpg',
  'gpg.ssh.program=ssh-keygen',
  'gpg.x509.program=gpgsm',
  // No transport can start a program (ext::, file:// to a hostile repo's hooks, ssh with options);
  // https stays for the lazy fetch of a partial clone (actions/checkout `filter: blob:none`).
  'protocol.allow=never',
  'protocol.https.allow=always',
  'submodule.recurse=false',
  'status.submoduleSummary=false',
  'fetch.recurseSubmodules=false',
];

/** Environment for every git process: no prompts, no optional locks (read-only), no pager, plain messages. */
export function gitEnvironment(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_PAGER = 'cat';
  env.PAGER = 'cat';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  // "not a git repository" is recognised in git's own words.
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  return env;
}

/** The full argument list: `--no-pager`, the safe settings, extra `-c` settings, then args. */
export function safeGitArgs(args: readonly string[], extraConfig: readonly string[] = []): string[] {
  return ['--no-pager', '--no-optional-locks', ...[...SAFE_GIT_CONFIG, ...extraConfig].flatMap((c) => ['-c', c]), ...args];
}

const FILTER_KEYS = '^filter\\..+\\.(clean|smudge|process|required)$';

/**
 * The repository's own filter drivers (local and worktree config, with includes), each turned
 * off: `filter.<name>.clean=`, `.smudge=`, `.process=`, `.required=false`.
 */
export async function repoFilterOverrides(opts: GitRunOptions): Promise<string[] | { error: string }> {
  // Listed before every such command, never cached: the config may change between two runs.
  const exec = opts.exec ?? runProcess;
  const list = (scoped: boolean) =>
    exec('git', safeGitArgs(['config', ...(scoped ? ['--show-scope'] : []), '--name-only', '-z', '--get-regexp', FILTER_KEYS]), {
      cwd: opts.cwd,
      env: gitEnvironment(opts.env ?? process.env),
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
  let scoped = true;
  let r = await list(true);
  // git before 2.26 has no --show-scope (usage error, exit 129): then every filter is turned off.
  if (r.code === 129) {
    scoped = false;
    r = await list(false);
  }
  // Exit 1: no such key. Anything else without a listing: we cannot know, so we cannot run safely.
  if (r.code === 1 && !r.stdout) return [];
  if (r.code !== 0 || r.truncated) return { error: `git config could not list the repository's filter drivers: ${firstLine(r)}` };
  const names = new Set<string>();
  const parts = r.stdout.split('\0');
  parts.pop();
  // -z with --show-scope: scope NUL key NUL, repeated; without it: key NUL.
  for (let i = 0; i < parts.length; i += scoped ? 2 : 1) {
    const scope = scoped ? parts[i]! : 'local';
    const key = scoped ? (parts[i + 1] ?? '') : parts[i]!;
    if (scope !== 'local' && scope !== 'worktree') continue;
    const m = /^filter\.(.+)\.[a-z]+$/s.exec(key);
    if (m) names.add(m[1]!);
  }
  // `-c name=value` splits at the first `=`: a driver whose name holds one cannot be overridden.
  const odd = [...names].find((n) => n.includes('='));
  if (odd !== undefined) return { error: `the repository's git config defines a filter driver whose name contains "=" (${JSON.stringify(odd.slice(0, 40))}), which cannot be turned off safely` };
  return [...names].flatMap((n) => [`filter.${n}.clean=`, `filter.${n}.smudge=`, `filter.${n}.process=`, `filter.${n}.required=false`]);
}

function firstLine(r: ProcessResult): string {
  if (r.spawnError) return r.spawnError.code === 'ENOENT' ? 'git not found' : String(r.spawnError.code ?? r.spawnError.message);
  if (r.timedOut) return 'timed out';
  if (r.aborted) return 'cancelled';
  return (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
}

/**
 * Run git with the safe settings. Never rejects. When the filter drivers of the repository could
 * not be listed for a work-tree command, git is not started and the result says why (code null).
 */
export async function runGit(args: readonly string[], opts: GitRunOptions): Promise<ProcessResult> {
  const exec = opts.exec ?? runProcess;
  let extra: string[] = [];
  if (opts.worktree) {
    const f = await repoFilterOverrides(opts);
    if (!Array.isArray(f)) {
      return { command: 'git', args, code: null, stdout: '', stderr: f.error, durationMs: 0, timedOut: false, aborted: false, truncated: false };
    }
    extra = f;
  }
  const r = await exec('git', safeGitArgs(args, extra), {
    cwd: opts.cwd,
    env: gitEnvironment(opts.env ?? process.env),
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: opts.maxOutputBytes,
    input: opts.input,
  });
  // Messages name the command as the caller wrote it, not the safety settings.
  return { ...r, args };
}
