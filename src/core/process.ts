// The one place go-preflight starts processes.
//
// Why child_process.spawn and not @actions/exec: @actions/exec cannot stop a hung command (it has
// no timeout and no AbortSignal), and a preflight that hangs is worse than none. spawn with an
// argument array (never a shell string), an explicit environment and our own kill-on-abort gives
// us timeouts, cancellation and captured output on every runner OS.

import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';

export interface RunOptions {
  cwd?: string;
  /** The complete environment of the child (not merged with process.env here). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Kill the process after this many ms (status `timedOut`). */
  timeoutMs?: number;
  /** Kill the process when this signal aborts. */
  signal?: AbortSignal;
  /** Text written to the child's stdin, then closed. */
  input?: string;
  /** Cap on captured stdout bytes; the rest is dropped and `truncated` set. Default 512 MiB. */
  maxOutputBytes?: number;
}

export interface ProcessResult {
  command: string;
  args: readonly string[];
  /** Exit code, or null when killed by a signal or not started. */
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
  truncated: boolean;
  /** Set when the process could not start (ENOENT: not found, EACCES...). */
  spawnError?: NodeJS.ErrnoException;
}

export type ProcessRunner = (command: string, args: readonly string[], opts?: RunOptions) => Promise<ProcessResult>;

const DEFAULT_MAX_OUTPUT = 512 * 1024 * 1024;

/** Start a process and capture its output. Never rejects: failures are in the result. */
export const runProcess: ProcessRunner = (command, args, opts = {}) => {
  const started = Date.now();
  return new Promise<ProcessResult>((resolve) => {
    const result: ProcessResult = {
      command,
      args,
      code: null,
      stdout: '',
      stderr: '',
      durationMs: 0,
      timedOut: false,
      aborted: false,
      truncated: false,
    };
    if (opts.signal?.aborted) {
      result.aborted = true;
      resolve(result);
      return;
    }
    const isWindows = process.platform === 'win32';
    let child;
    try {
      child = spawn(command, [...args], {
        cwd: opts.cwd,
        env: (opts.env ?? process.env) as NodeJS.ProcessEnv,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
        // Own process group on POSIX, so a timeout kills `go` and the compilers it started.
        detached: !isWindows,
      });
    } catch (e) {
      result.spawnError = e as NodeJS.ErrnoException;
      result.durationMs = Date.now() - started;
      resolve(result);
      return;
    }
    const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout?.on('data', (b: Buffer) => {
      if (outBytes + b.length > max) {
        result.truncated = true;
        return;
      }
      outBytes += b.length;
      out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      // stderr is for humans; 8 MiB is plenty.
      if (errBytes > 8 * 1024 * 1024) return;
      errBytes += b.length;
      err.push(b);
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }

    let killed = false;
    const kill = () => {
      if (killed || child.pid === undefined) return;
      killed = true;
      try {
        // Windows has no process groups: taskkill /T ends go and the compilers it started.
        if (isWindows) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill('SIGKILL'));
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    const timer =
      opts.timeoutMs && opts.timeoutMs > 0
        ? setTimeout(() => {
            result.timedOut = true;
            kill();
          }, opts.timeoutMs)
        : undefined;
    const onAbort = () => {
      result.aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      result.stdout = Buffer.concat(out).toString('utf8');
      result.stderr = Buffer.concat(err).toString('utf8');
      result.durationMs = Date.now() - started;
      resolve(result);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      result.spawnError = e;
      finish();
    });
    child.on('close', (code) => {
      result.code = code;
      finish();
    });
  });
};

/** A one-line description of why a process failed, for messages. */
export function describeFailure(r: ProcessResult): string {
  const cmd = [path.basename(r.command), ...r.args].join(' ');
  if (r.spawnError) {
    if (r.spawnError.code === 'ENOENT') return `${cmd}: ${r.command} not found`;
    return `${cmd}: could not start (${r.spawnError.code ?? r.spawnError.message})`;
  }
  if (r.timedOut) return `${cmd}: timed out after ${Math.round(r.durationMs / 1000)} s`;
  if (r.aborted) return `${cmd}: cancelled`;
  const firstLine = (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' / ');
  return `${cmd}: exit ${r.code}${firstLine ? `: ${firstLine}` : ''}`;
}

/**
 * Find an executable on PATH like the OS would (PATHEXT on Windows). Returns the absolute path or
 * undefined. An absolute or relative path with a separator is checked as is.
 */
export async function findExecutable(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string | undefined> {
  const isWindows = process.platform === 'win32';
  const exts = isWindows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  const candidates = (base: string) =>
    isWindows && !exts.some((e) => base.toLowerCase().endsWith(e.toLowerCase())) ? [base, ...exts.map((e) => base + e)] : [base];
  const check = async (p: string) => {
    try {
      const st = await fs.stat(p);
      if (!st.isFile()) return false;
      if (!isWindows) await fs.access(p, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (name.includes('/') || (isWindows && name.includes('\\'))) {
    for (const c of candidates(path.resolve(name))) if (await check(c)) return c;
    return undefined;
  }
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    for (const c of candidates(path.join(dir, name))) if (await check(c)) return c;
  }
  return undefined;
}
