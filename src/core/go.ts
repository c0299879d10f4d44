// Runs the `go` command for every check. Three rules live here so no check can forget them:
// 1. GOTOOLCHAIN=local for the probe: otherwise any go command (even `go env`) may download and
//    switch to the toolchain that go.mod asks for before we know it can be had. (actions/setup-go
//    >= v6 exports GOTOOLCHAIN=local for later steps for the same reason.) When the user's
//    GOTOOLCHAIN lets go switch and the probe found that the build will switch (and that the
//    toolchain can be downloaded), the probe calls switchToolchain(): later commands get the
//    user's GOTOOLCHAIN, so each one runs the Go that `go build` in the same directory runs.
// 2. Read-only: a GOFLAGS `-mod=mod` would let `go list` rewrite go.mod/go.sum in the inspected
//    repo; we run with `-mod=readonly` in its place (the go-env check reports the user's setting).
//    GIT_TERMINAL_PROMPT=0 so a direct VCS fetch fails instead of waiting for a password.
// 3. Never the same command twice: identical invocations (args, cwd, env overrides) share one
//    process for the whole run.

import os from 'node:os';
import type { ProcessResult, ProcessRunner } from './process.js';

export interface GoRunOptions {
  cwd?: string;
  /** Variables set (or, with undefined, removed) on top of the base environment. */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Share the result with identical invocations (default true). */
  memo?: boolean;
  /** Told when this call waits for a process slot, starts and ends (a check's timeout clock). */
  meter?: SlotMeter;
}

/**
 * Hears when a caller's `go` process waits for a slot, starts and ends. The runner gives each check
 * one, so that the check's timeout counts its own work and not the time it spent queued behind
 * other checks' processes.
 */
export interface SlotMeter {
  queued(): void;
  started(): void;
  ended(): void;
}

export interface GoInvocation {
  args: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface GoRunner {
  /** Absolute path of `go`, or undefined when not found. */
  readonly bin: string | undefined;
  run(args: readonly string[], opts?: GoRunOptions): Promise<ProcessResult>;
  /** The environment a go process gets, with the given overrides applied. */
  environment(overrides?: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  /** Every process actually started, in order (tests assert that nothing runs twice). */
  readonly invocations: readonly GoInvocation[];
  /** Use this GOFLAGS (e.g. one set with `go env -w`) for later commands, made read-only. */
  useGoFlags(goflags: string): void;
  /** The same runner (shared slots and memo) with every call reported to this meter. */
  withMeter(meter: SlotMeter): GoRunner;
  /**
   * Let later commands switch toolchains as the build does: GOTOOLCHAIN=<the user's value> instead
   * of `local`. Only the probe calls it, after it resolved (and downloaded) the toolchain.
   */
  switchToolchain(gotoolchain: string): void;
  /** The GOTOOLCHAIN later commands run with (`local` unless switchToolchain was called). */
  readonly gotoolchain: string;
}

/** Free memory a new `go` process may count on; below it, a process starts only when none runs. */
export const MIN_FREE_MEMORY = 512 * 1024 * 1024;

/** Rewrite a user's GOFLAGS so our commands cannot modify go.mod/go.sum. */
export function readOnlyGoFlags(goflags: string | undefined): string | undefined {
  if (!goflags) return goflags;
  return goflags
    .split(/\s+/)
    .filter(Boolean)
    .map((f) => (/^--?mod=mod$/.test(f) ? '-mod=readonly' : f))
    .join(' ');
}

export function createGoRunner(opts: {
  bin: string | undefined;
  exec: ProcessRunner;
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Max concurrent go processes (default: 4). */
  concurrency?: number;
  /**
   * Free memory in bytes (default os.freemem). A `go list` of a large module can take hundreds of
   * MiB: while free memory is under MIN_FREE_MEMORY, another process starts only when none runs.
   */
  freeMemory?: () => number;
}): GoRunner {
  const memo = new Map<string, Promise<ProcessResult>>();
  const invocations: GoInvocation[] = [];
  const limit = Math.max(1, opts.concurrency ?? 4);
  const freeMemory = opts.freeMemory ?? (() => os.freemem());
  let active = 0;
  const queue: Array<() => void> = [];
  const mayStart = () => active === 0 || (active < limit && freeMemory() >= MIN_FREE_MEMORY);
  let memoryTimer: NodeJS.Timeout | undefined;
  const pump = () => {
    while (queue.length && mayStart()) {
      active++;
      queue.shift()!();
    }
    // Held back by memory only: look again shortly even if no process ends.
    if (queue.length && active < limit && !memoryTimer) {
      memoryTimer = setTimeout(() => {
        memoryTimer = undefined;
        pump();
      }, 250);
      memoryTimer.unref?.();
    }
  };
  const acquire = (meter?: SlotMeter) =>
    new Promise<void>((resolve) => {
      if (queue.length === 0 && mayStart()) {
        active++;
        resolve();
        return;
      }
      meter?.queued();
      queue.push(resolve);
      pump();
    }).then(() => meter?.started());
  const release = (meter?: SlotMeter) => {
    active--;
    meter?.ended();
    pump();
  };

  let goFlagsOverride: string | undefined;
  let gotoolchain = 'local';
  const environment = (overrides?: Readonly<Record<string, string | undefined>>) => {
    const env: Record<string, string | undefined> = { ...opts.baseEnv };
    if (goFlagsOverride !== undefined && !env.GOFLAGS) env.GOFLAGS = goFlagsOverride;
    env.GOTOOLCHAIN = gotoolchain;
    env.GIT_TERMINAL_PROMPT = '0';
    env.GOFLAGS = readOnlyGoFlags(env.GOFLAGS);
    if (env.GOFLAGS === undefined || env.GOFLAGS === '') delete env.GOFLAGS;
    for (const [k, v] of Object.entries(overrides ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };

  const start = async (args: readonly string[], o: GoRunOptions): Promise<ProcessResult> => {
    if (!opts.bin) {
      const err = Object.assign(new Error('go not found on PATH'), { code: 'ENOENT' }) as NodeJS.ErrnoException;
      return { command: 'go', args, code: null, stdout: '', stderr: '', durationMs: 0, timedOut: false, aborted: false, truncated: false, spawnError: err };
    }
    await acquire(o.meter);
    try {
      invocations.push({ args: [...args], cwd: o.cwd, env: o.env });
      // go takes the working directory from PWD when it names the same directory; setting it keeps
      // the paths go prints unresolved (e.g. /var/... rather than /private/var/... on macOS temp dirs).
      const env = environment(o.env);
      if (o.cwd) env.PWD = o.cwd;
      return await opts.exec(opts.bin, args, { cwd: o.cwd, env, timeoutMs: o.timeoutMs, signal: o.signal });
    } finally {
      release(o.meter);
    }
  };

  const runner: GoRunner = {
    bin: opts.bin,
    invocations,
    environment,
    get gotoolchain() {
      return gotoolchain;
    },
    switchToolchain(value) {
      gotoolchain = value;
    },
    useGoFlags(goflags) {
      // Only when it matters: a value that readOnlyGoFlags changes. Otherwise go reads it itself.
      if (readOnlyGoFlags(goflags) !== goflags) goFlagsOverride = goflags;
    },
    withMeter(meter) {
      // A view of this runner, not a copy: getters (bin, gotoolchain, invocations) stay live.
      const metered = Object.create(runner) as GoRunner & { run: GoRunner['run'] };
      metered.run = (args, o = {}) => runner.run(args, { ...o, meter: o.meter ?? meter });
      return metered;
    },
    run(args, o = {}) {
      if (o.memo === false) return start(args, o);
      const key = JSON.stringify([args, o.cwd ?? '', Object.entries(o.env ?? {}).sort(), gotoolchain]);
      const hit = memo.get(key);
      if (hit) {
        // A shared run that was cancelled under another check's signal is not an answer.
        return hit.then((r) => (r.aborted || r.timedOut) && !o.signal?.aborted ? start(args, o) : r);
      }
      const p = start(args, o);
      memo.set(key, p);
      return p;
    },
  };
  return runner;
}
