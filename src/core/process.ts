// The one place go-preflight starts processes.
//
// Why child_process.spawn and not @actions/exec: @actions/exec cannot stop a hung command (it has
// no timeout and no AbortSignal), and a preflight that hangs is worse than none. spawn with an
// argument array (never a shell string), an explicit environment and our own kill-on-abort gives
// us timeouts, cancellation and captured output on every runner OS.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
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
  /**
   * Cap on captured stdout bytes (default 64 MiB, far below what a V8 string holds). Past it the
   * process is stopped and `truncated` set: its output is incomplete, so it is a failure.
   */
  maxOutputBytes?: number;
  /** Cap on captured stderr bytes (default 8 MiB); the rest is dropped (stderr is for humans). */
  maxErrorBytes?: number;
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
  /** stdout went past `maxOutputBytes`: the process was stopped and stdout is incomplete. */
  truncated: boolean;
  /** The cap that stopped it (bytes), when truncated. */
  outputLimit?: number;
  /** Set when the process could not start (ENOENT: not found, EACCES...). */
  spawnError?: NodeJS.ErrnoException;
}

export type ProcessRunner = (command: string, args: readonly string[], opts?: RunOptions) => Promise<ProcessResult>;

export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ERROR_BYTES = 8 * 1024 * 1024;

// Every child still running, so that a SIGINT/SIGTERM of go-preflight can end them all (each has
// its own process group on POSIX, so the terminal's signal does not reach them by itself).
const live = new Set<ChildProcess>();

/** How many started processes are still running (tests). */
export function liveProcessCount(): number {
  return live.size;
}

/** Kill a child and everything it started (its process group; taskkill /T on Windows). */
function killTree(child: ChildProcess, sync: boolean): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      const args = ['/pid', String(child.pid), '/T', '/F'];
      if (sync) spawnSync('taskkill', args, { stdio: 'ignore', windowsHide: true });
      else spawn('taskkill', args, { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill('SIGKILL'));
    } else process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Kill every process group started through runProcess that is still running. Synchronous. */
export function killAllProcesses(): void {
  for (const child of live) killTree(child, true);
  live.clear();
}

/**
 * Install SIGINT/SIGTERM handlers for a command-line entry point: on a signal, kill every process
 * group started, then exit 128+n (130 for SIGINT, 143 for SIGTERM) like a shell does.
 * Returns a function that removes the handlers.
 */
export function exitOnSignals(exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = () => {
      killAllProcesses();
      exit(128 + (os.constants.signals[sig] ?? 15));
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

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
    let child: ChildProcess;
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
    live.add(child);
    const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const maxErr = opts.maxErrorBytes ?? DEFAULT_MAX_ERROR_BYTES;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout?.on('data', (b: Buffer) => {
      if (result.truncated) return;
      if (outBytes + b.length > max) {
        // Incomplete output is no answer: stop the process instead of reading on.
        result.truncated = true;
        result.outputLimit = max;
        kill();
        return;
      }
      outBytes += b.length;
      out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (errBytes >= maxErr) return;
      const part = errBytes + b.length > maxErr ? b.subarray(0, maxErr - errBytes) : b;
      errBytes += part.length;
      err.push(part);
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }

    let killed = false;
    // Windows has no process groups: taskkill /T ends go and the compilers it started.
    function kill() {
      if (killed || child.pid === undefined) return;
      killed = true;
      killTree(child, false);
    }
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
      live.delete(child);
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

/**
 * A tool the check depends on failed (killed, hung, missing, cut off, or printed something that is
 * not its format): the check could not look. The runner reports the message as the `error` reason
 * as is (it is not a crash of go-preflight).
 */
export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** A one-line description of why a process failed, for messages. */
export function describeFailure(r: ProcessResult): string {
  const cmd = [path.basename(r.command), ...r.args].join(' ');
  if (r.spawnError) {
    if (r.spawnError.code === 'ENOENT') return `${cmd}: ${r.command} not found`;
    return `${cmd}: could not start (${r.spawnError.code ?? r.spawnError.message})`;
  }
  if (r.timedOut) return `${cmd}: timed out after ${Math.round(r.durationMs / 1000)} s`;
  if (r.aborted) return `${cmd}: cancelled`;
  if (r.truncated) return `${cmd}: printed more than ${formatBytes(r.outputLimit ?? DEFAULT_MAX_OUTPUT_BYTES)}; stopped (its output is incomplete)`;
  const firstLine = (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' / ');
  if (r.code === null) return `${cmd}: ${firstLine || 'killed by a signal'}`;
  return `${cmd}: exit ${r.code}${firstLine ? `: ${firstLine}` : ''}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/** True when a process did not finish on its own with complete output (killed, cut off, not started). */
export function incomplete(r: ProcessResult): boolean {
  return !!(r.spawnError || r.timedOut || r.aborted || r.truncated || r.code === null);
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
