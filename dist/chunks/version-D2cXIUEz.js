import { promises, constants, existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { C as ConfigurationError, t as tryReadRepoFile, d as describeUnsafeRead, c as checkRepoFile, R as READ_LIMITS, e as checkRepoDir, f as CHECK_IDS, h as formatTarget, i as CheckIncompleteError, j as isUnsafeReadError, g as getErrorMessage, k as readRepoFile, l as readRepoFileIfExists, u as unsafeReadSentence, q as quoteToken, m as resolveSettings, D as DEFAULT_CONFIG_FILE, n as isCheckId } from './config-D7jD1qAz.js';
import { randomBytes, createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { D as DEFAULT_RULESET_CONFIG, S as ScanCancelledError, s as scanFilesInThread, c as createRuleset, a as scanText, t as translateRe2, R as Re2TranslateError, b as builtinRules, d as RULESET_VERSION, m as maskPieces, r as redactedPreview, M as MAX_FINDINGS_PER_FILE } from './scan-file-Djet_NeU.js';
import { Worker } from 'node:worker_threads';
import { spawnSync, spawn } from 'node:child_process';

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





















































/** Free memory a new `go` process may count on; below it, a process starts only when none runs. */
const MIN_FREE_MEMORY = 512 * 1024 * 1024;

/** Rewrite a user's GOFLAGS so our commands cannot modify go.mod/go.sum. */
function readOnlyGoFlags(goflags) {
  if (!goflags) return goflags;
  return goflags
    .split(/\s+/)
    .filter(Boolean)
    .map((f) => (/^--?mod=mod$/.test(f) ? '-mod=readonly' : f))
    .join(' ');
}

function createGoRunner(opts










) {
  const memo = new Map();
  const invocations = [];
  const limit = Math.max(1, opts.concurrency ?? 4);
  const freeMemory = opts.freeMemory ?? (() => os.freemem());
  let active = 0;
  const queue = [];
  const mayStart = () => active === 0 || (active < limit && freeMemory() >= MIN_FREE_MEMORY);
  let memoryTimer;
  const pump = () => {
    while (queue.length && mayStart()) {
      active++;
      queue.shift()();
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
  const acquire = (meter) =>
    new Promise((resolve) => {
      if (queue.length === 0 && mayStart()) {
        active++;
        resolve();
        return;
      }
      meter?.queued();
      queue.push(resolve);
      pump();
    }).then(() => meter?.started());
  const release = (meter) => {
    active--;
    meter?.ended();
    pump();
  };

  let goFlagsOverride;
  let gotoolchain = 'local';
  const environment = (overrides) => {
    const env = { ...opts.baseEnv };
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

  const start = async (args, o) => {
    if (!opts.bin) {
      const err = Object.assign(new Error('go not found on PATH'), { code: 'ENOENT' }) ;
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

  const runner = {
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
      const metered = Object.create(runner) ;
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

// The one place go-preflight starts processes.
//
// Why child_process.spawn and not @actions/exec: @actions/exec cannot stop a hung command (it has
// no timeout and no AbortSignal), and a preflight that hangs is worse than none. spawn with an
// argument array (never a shell string), an explicit environment and our own kill-on-abort gives
// us timeouts, cancellation and captured output on every runner OS.









































const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_ERROR_BYTES = 8 * 1024 * 1024;

// Every child still running, so that a SIGINT/SIGTERM of go-preflight can end them all (each has
// its own process group on POSIX, so the terminal's signal does not reach them by itself).
const live = new Set();

/** Kill a child and everything it started (its process group; taskkill /T on Windows). */
function killTree(child, sync) {
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
function killAllProcesses() {
  for (const child of live) killTree(child, true);
  live.clear();
}

/**
 * Install SIGINT/SIGTERM handlers for a command-line entry point: on a signal, kill every process
 * group started, then exit 128+n (130 for SIGINT, 143 for SIGTERM) like a shell does.
 * Returns a function that removes the handlers.
 */
function exitOnSignals(exit = (code) => process.exit(code)) {
  const handlers = (['SIGINT', 'SIGTERM'] ).map((sig) => {
    const h = () => {
      killAllProcesses();
      exit(128 + (os.constants.signals[sig] ?? 15));
    };
    process.on(sig, h);
    return [sig, h] ;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

/** Start a process and capture its output. Never rejects: failures are in the result. */
const runProcess = (command, args, opts = {}) => {
  const started = Date.now();
  return new Promise((resolve) => {
    const result = {
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
        env: (opts.env ?? process.env) ,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
        // Own process group on POSIX, so a timeout kills `go` and the compilers it started.
        detached: !isWindows,
      });
    } catch (e) {
      result.spawnError = e ;
      result.durationMs = Date.now() - started;
      resolve(result);
      return;
    }
    live.add(child);
    const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const maxErr = opts.maxErrorBytes ?? DEFAULT_MAX_ERROR_BYTES;
    const out = [];
    const err = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout?.on('data', (b) => {
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
    child.stderr?.on('data', (b) => {
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
    child.on('error', (e) => {
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
class ToolFailure extends Error {
  constructor(message) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** A one-line description of why a process failed, for messages. */
function describeFailure(r) {
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

function formatBytes(n) {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/** True when a process did not finish on its own with complete output (killed, cut off, not started). */
function incomplete(r) {
  return !!(r.spawnError || r.timedOut || r.aborted || r.truncated || r.code === null);
}

/**
 * Find an executable on PATH like the OS would (PATHEXT on Windows). Returns the absolute path or
 * undefined. An absolute or relative path with a separator is checked as is.
 */
async function findExecutable(
  name,
  env = process.env,
) {
  const isWindows = process.platform === 'win32';
  const exts = isWindows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  const candidates = (base) =>
    isWindows && !exts.some((e) => base.toLowerCase().endsWith(e.toLowerCase())) ? [base, ...exts.map((e) => base + e)] : [base];
  const check = async (p) => {
    try {
      const st = await promises.stat(p);
      if (!st.isFile()) return false;
      if (!isWindows) await promises.access(p, constants.X_OK);
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

// Go prints `go list -json`, `go list -m -json` and `go mod download -json` as concatenated,
// pretty-printed JSON objects (not an array, not NDJSON). This scanner splits them by brace depth,
// skipping string literals, so it survives any formatting and garbage between objects.







function parseJsonStream(text) {
  const values = [];
  const garbage = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  let lastEnd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c /* \ */) escaped = true;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth > 0) inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 0) {
        const between = text.slice(lastEnd, i).trim();
        if (between) garbage.push(between);
        start = i;
      }
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth === 0) continue;
      depth--;
      if (depth === 0) {
        const chunk = text.slice(start, i + 1);
        try {
          values.push(JSON.parse(chunk) );
        } catch {
          garbage.push(chunk.trim());
        }
        lastEnd = i + 1;
      }
    }
  }
  const tail = (depth > 0 ? text.slice(start) : text.slice(lastEnd)).trim();
  if (tail) garbage.push(tail);
  return { values, garbage };
}

/** Parse exactly one JSON object (go env -json, go mod edit -json); undefined if it is not one. */
function parseJsonObject(text) {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v ) : undefined;
  } catch {
    return undefined;
  }
}

// Positions in go.mod / go.work files. `go mod edit -json` is the source of truth for values but
// gives no line numbers; this small lexer finds where each directive stands so findings can point
// at the exact line. It follows the go.mod grammar: line and block forms (`require ( ... )`),
// `//` comments, quoted strings.













// Go's own lexer (golang.org/x/mod/modfile) treats only space, tab and CR as blanks; any other
// character (a byte-order mark, NBSP, form feed...) is one go rejects with "unexpected input
// character". Here such a character is kept inside the token, so every step of the loop below
// consumes at least one character and the lexer always ends; `go mod edit -json` reports the error.
function isBlank(c) {
  return c === ' ' || c === '\t' || c === '\r';
}

function tokenize(line) {
  const tokens = [];
  let i = 0;
  let firstCol = 0;
  let comment;
  while (i < line.length) {
    const c = line[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '/' && line[i + 1] === '/') {
      comment = line.slice(i + 2).trim();
      break;
    }
    if (!firstCol) firstCol = i + 1;
    if (c === '"') {
      // An interpreted string: backslash escapes the next character.
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        s += line[j];
        j++;
      }
      tokens.push(s);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = line.indexOf('`', i + 1);
      const stop = end < 0 ? line.length : end;
      tokens.push(line.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && !isBlank(line[j]) && line[j] !== '(' && line[j] !== ')' && !(line[j] === '/' && line[j + 1] === '/')) j++;
    tokens.push(line.slice(i, j));
    i = j;
  }
  return { tokens, comment, firstCol: firstCol || 1 };
}

function parseModDirectives(text) {
  const out = [];
  const lines = text.split('\n');
  let block;
  lines.forEach((raw, idx) => {
    const { tokens, comment, firstCol } = tokenize(raw);
    if (tokens.length === 0) return;
    const line = idx + 1;
    if (block) {
      if (tokens[0] === ')') {
        block = undefined;
        return;
      }
      out.push({ verb: block, args: tokens, line, column: firstCol, comment });
      return;
    }
    const [verb, ...rest] = tokens;
    if (!verb) return;
    if (rest[0] === '(' ) {
      block = verb;
      // `require ( a v1 )` on one line is not valid go.mod; a block opens here.
      return;
    }
    out.push({ verb, args: rest, line, column: firstCol, comment });
  });
  return out;
}

/** The first directive with this verb whose first arg (if given) matches. */
function findDirective(dirs, verb, firstArg) {
  return dirs.find((d) => d.verb === verb && (firstArg === undefined || d.args[0] === firstArg));
}

/** Line of `require <path>` (any version), or undefined. */
function requireLine(dirs, modulePath) {
  return findDirective(dirs, 'require', modulePath);
}

/** Line of `replace <path> [ver] => ...`, or undefined. */
function replaceLine(dirs, oldPath, oldVersion) {
  return dirs.find(
    (d) => d.verb === 'replace' && d.args[0] === oldPath && (!oldVersion || d.args[1] === oldVersion || d.args[1] === '=>'),
  );
}

/** Line of `use <dir>` in go.work (compared after normalising `./`). */
function useLine(dirs, diskPath) {
  const norm = (p) => p.replace(/\\/g, '/').replace(/^\.\/(?=.)/, '').replace(/\/$/, '');
  return dirs.find((d) => d.verb === 'use' && d.args[0] !== undefined && norm(d.args[0]) === norm(diskPath));
}

// Go's own version order (a port of src/internal/gover/gover.go): 1.21 < 1.21rc1 < 1.21.0 < 1.21.1.
// Not semver. For Go < 1.21 a missing patch means .0 (1.20 == 1.20.0).









function cutInt(s) {
  const m = /^\d+/.exec(s);
  if (!m || (m[0].length > 1 && m[0][0] === '0')) return null;
  return [m[0], s.slice(m[0].length)];
}

function cmpInt(a, b) {
  if (a === b) return 0;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : 1;
}

function parse(x) {
  let r = cutInt(x);
  if (!r) return null;
  const v = { maj: r[0], min: '', pat: '', kind: '', pre: '' };
  x = r[1];
  if (x === '') {
    v.min = '0';
    v.pat = '0';
    return v;
  }
  if (x[0] !== '.') return null;
  r = cutInt(x.slice(1));
  if (!r) return null;
  v.min = r[0];
  x = r[1];
  if (x === '') {
    if (cmpInt(v.min, '21') < 0) v.pat = '0';
    return v;
  }
  if (x[0] === '.') {
    r = cutInt(x.slice(1));
    if (!r || r[1] !== '') return null;
    v.pat = r[0];
    return v;
  }
  const k = /^[a-z]+/.exec(x);
  if (!k) return null;
  v.kind = k[0];
  x = x.slice(k[0].length);
  if (x === '') return v;
  r = cutInt(x);
  if (!r || r[1] !== '') return null;
  v.pre = r[0];
  return v;
}

/** `go1.22.1 X:boringcrypto` / `go1.21.0-custom` / `devel go1.24-abc` -> `1.22.1` / `1.21.0` / `1.24`. */
function normalizeGoVersion(s) {
  let t = s.trim();
  if (t.startsWith('devel ')) t = t.slice(6);
  t = t.split(/[\s]/)[0] ?? '';
  t = t.replace(/^go/, '');
  t = t.split('-')[0] ?? '';
  return t;
}

function isValidGoVersion(s) {
  return parse(normalizeGoVersion(s)) !== null;
}

/** Compare two Go versions (with or without the `go` prefix). Malformed sorts before everything. */
function compareGo(a, b) {
  const x = parse(normalizeGoVersion(a));
  const y = parse(normalizeGoVersion(b));
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return (
    cmpInt(x.maj, y.maj) ||
    cmpInt(x.min, y.min) ||
    cmpInt(x.pat, y.pat) ||
    (x.kind === y.kind ? 0 : x.kind < y.kind ? -1 : 1) ||
    cmpInt(x.pre, y.pre)
  );
}

/** `1.22.3` -> `1.22`; the language version of a release. */
function languageVersion(v) {
  const p = parse(normalizeGoVersion(v));
  return p ? `${p.maj}.${p.min}` : normalizeGoVersion(v);
}

/** True for `1.22.3`, `1.22rc1` (a full toolchain release); false for a bare language version `1.22` (N>=21). */
function isReleaseVersion(v) {
  const p = parse(normalizeGoVersion(v));
  return !!p && (p.pat !== '' || p.kind !== '');
}

// Paths in reports are relative to the inspected directory with forward slashes, on every OS.


/** `abs` relative to `root`, with forward slashes; `.` for the root itself. */
function reportPath(root, abs) {
  const rel = path.relative(root, abs);
  if (rel === '') return '.';
  return rel.split(path.sep).join('/');
}

/** Join a module's relative dir and a file name the way reports write them (`./go.mod` -> `go.mod`). */
function joinReport(relDir, file) {
  if (relDir === '.' || relDir === '') return file;
  return `${relDir}/${file}`;
}

/** True when `child` is `parent` or inside it. */
function isInside(parent, child) {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// Small file-system questions every part asks.


async function exists(p) {
  try {
    await promises.access(p);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(p) {
  try {
    return (await promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir` that holds `.git` (a work tree's root), if any. */
async function findGitRoot(dir) {
  for (let d = dir; ; ) {
    if (await exists(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

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
















// A hooks directory that cannot exist: no hook runs whatever .git/hooks or core.hooksPath hold.
const NO_HOOKS = path.join(os.devNull, 'go-preflight-no-hooks');

/** `-c` settings given to every git process, before the subcommand. */
const SAFE_GIT_CONFIG = [
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
function gitEnvironment(base) {
  const env = { ...base };
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
function safeGitArgs(args, extraConfig = []) {
  return ['--no-pager', '--no-optional-locks', ...[...SAFE_GIT_CONFIG, ...extraConfig].flatMap((c) => ['-c', c]), ...args];
}

const FILTER_KEYS = '^filter\\..+\\.(clean|smudge|process|required)$';

/**
 * The repository's own filter drivers (local and worktree config, with includes), each turned
 * off: `filter.<name>.clean=`, `.smudge=`, `.process=`, `.required=false`.
 */
async function repoFilterOverrides(opts) {
  // Listed before every such command, never cached: the config may change between two runs.
  const exec = opts.exec ?? runProcess;
  const list = (scoped) =>
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
  const names = new Set();
  const parts = r.stdout.split('\0');
  parts.pop();
  // -z with --show-scope: scope NUL key NUL, repeated; without it: key NUL.
  for (let i = 0; i < parts.length; i += scoped ? 2 : 1) {
    const scope = scoped ? parts[i] : 'local';
    const key = scoped ? (parts[i + 1] ?? '') : parts[i];
    if (scope !== 'local' && scope !== 'worktree') continue;
    const m = /^filter\.(.+)\.[a-z]+$/s.exec(key);
    if (m) names.add(m[1]);
  }
  // `-c name=value` splits at the first `=`: a driver whose name holds one cannot be overridden.
  const odd = [...names].find((n) => n.includes('='));
  if (odd !== undefined) return { error: `the repository's git config defines a filter driver whose name contains "=" (${JSON.stringify(odd.slice(0, 40))}), which cannot be turned off safely` };
  return [...names].flatMap((n) => [`filter.${n}.clean=`, `filter.${n}.smudge=`, `filter.${n}.process=`, `filter.${n}.required=false`]);
}

function firstLine(r) {
  if (r.spawnError) return r.spawnError.code === 'ENOENT' ? 'git not found' : String(r.spawnError.code ?? r.spawnError.message);
  if (r.timedOut) return 'timed out';
  if (r.aborted) return 'cancelled';
  return (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
}

/**
 * Run git with the safe settings. Never rejects. When the filter drivers of the repository could
 * not be listed for a work-tree command, git is not started and the result says why (code null).
 */
async function runGit$1(args, opts) {
  const exec = opts.exec ?? runProcess;
  let extra = [];
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

// The shared probe: computed once per run, read by every check. It runs `go env -json`, reads every
// go.mod (with `go mod edit -json`) and the go.work, and collects git facts, all concurrently.
























































































































































/**
 * `go env` variables that go reports without computing the cgo flags. A plain `go env -json` also
 * computes those (CGO_CFLAGS..., GOGCCFLAGS), which needs the build cache and a work dir, so it
 * exits 1 when GOCACHE is off/relative/uncreatable or GOTMPDIR is missing (seen with go1.26).
 * Unknown names print as "" on older Go.
 */
const CHEAP_GO_ENV = [
  'AR', 'CC', 'CGO_ENABLED', 'CXX', 'GCCGO', 'GO111MODULE', 'GO386', 'GOAMD64', 'GOARCH', 'GOARM', 'GOARM64',
  'GOAUTH', 'GOBIN', 'GOCACHE', 'GOCACHEPROG', 'GODEBUG', 'GOENV', 'GOEXE', 'GOEXPERIMENT', 'GOFIPS140', 'GOFLAGS',
  'GOHOSTARCH', 'GOHOSTOS', 'GOINSECURE', 'GOMIPS', 'GOMIPS64', 'GOMOD', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB',
  'GOOS', 'GOPATH', 'GOPPC64', 'GOPRIVATE', 'GOPROXY', 'GORISCV64', 'GOROOT', 'GOSUMDB', 'GOTELEMETRY',
  'GOTELEMETRYDIR', 'GOTMPDIR', 'GOTOOLCHAIN', 'GOTOOLDIR', 'GOVCS', 'GOVERSION', 'GOWASM', 'GOWORK',
];

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

/** Every go.mod under dir, skipping vendor/, testdata/, node_modules/ and dirs starting with `.` or `_` (as `./...` does). */
async function discoverGoMods(dir, limit = 2000) {
  const found = [];
  const walk = async (d, depth) => {
    if (found.length >= limit || depth > 30) return;
    let entries;
    try {
      entries = await promises.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs = [];
    for (const e of entries) {
      if (e.isFile() && e.name === 'go.mod') found.push(d);
      else if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_')) {
        subdirs.push(path.join(d, e.name));
      }
    }
    await Promise.all(subdirs.map((s) => walk(s, depth + 1)));
  };
  await walk(dir, 0);
  return found.sort();
}

function hostFromNode() {
  const goos = process.platform === 'win32' ? 'windows' : process.platform;
  const archMap = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { goos, goarch: archMap[process.arch] ?? process.arch };
}

function directiveValue(dirs, verb) {
  return dirs.find((d) => d.verb === verb)?.args[0];
}



async function gitFacts(exec, dir, env, signal) {
  const git = (args) => runGit$1(args, { exec, cwd: dir, env, signal, timeoutMs: 30_000 });
  const r = await git(['rev-parse', '--show-toplevel', '--is-shallow-repository']);
  // Only "not a git repository" means there is nothing to look at; a git that is missing, killed,
  // hung or refusing is an error when the directory is in a work tree (a .git above it).
  const inTree = async () => (await findGitRoot(dir)) !== undefined;
  if (r.spawnError) {
    if (!(await inTree())) return { isRepo: false };
    return { isRepo: false, error: r.spawnError.code === 'ENOENT' ? 'git is not installed (not found on PATH), but the directory is in a git work tree' : describeFailure(r) };
  }
  if (r.code !== 0) {
    const err = r.stderr.trim();
    if (r.code === 128 && /not a git repository/i.test(err)) return { isRepo: false };
    if (/dubious ownership/i.test(err)) {
      // `fatal: detected dubious ownership in repository at '/path'` names the directory to trust.
      const at = /dubious ownership in repository at '([^'\n]+)'/i.exec(err)?.[1] ?? dir;
      return {
        isRepo: false,
        dubiousOwnership: at,
        error: `git refuses the repository (dubious ownership: another user owns ${at}): run 'git config --global --add safe.directory ${at}'`,
      };
    }
    return { isRepo: false, error: describeFailure(r) };
  }
  const [root, shallow, ...rest] = r.stdout.trim().split(/\r?\n/);
  // Anything but an absolute directory and true/false is not git's answer.
  if (!root || !path.isAbsolute(root) || (shallow !== 'true' && shallow !== 'false') || rest.length > 0 || !(await isDirectory(root))) {
    return { isRepo: false, error: `git rev-parse gave an answer that is not a work tree (${JSON.stringify(r.stdout.slice(0, 80))})` };
  }
  const h = await git(['rev-parse', '--verify', '-q', 'HEAD']);
  const head = h.code === 0 ? h.stdout.trim() || undefined : undefined;
  return {
    isRepo: true,
    root: path.resolve(root),
    shallow: shallow === 'true',
    head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined,
  };
}

// Flags of `go build`/`go test` that GOFLAGS commonly carries. Only a flag outside this list can be
// one that no go command accepts, so only then is a probe process worth starting.
const KNOWN_GOFLAGS = new Set(
  ('mod modcacherw modfile buildvcs trimpath tags race msan asan ldflags gcflags asmflags p v x a n work buildmode compiler ' +
    'gccgoflags installsuffix linkshared cover covermode coverpkg overlay pgo pkgdir toolexec json count timeout vet short ' +
    'failfast shuffle cpu parallel benchtime benchmem run skip bench fuzz fuzztime fuzzminimizetime e insecure').split(' '),
);

function hasUnknownGoFlag(goflags) {
  return goflags
    .split(/\s+/)
    .filter(Boolean)
    .some((f) => {
      const name = /^--?([^=]+)/.exec(f)?.[1];
      return !name || !KNOWN_GOFLAGS.has(name);
    });
}

/** Where `go env -w` writes: $GOENV, else os.UserConfigDir()/go/env as go computes it. */
function goEnvFilePath(env) {
  if (env.GOENV) return env.GOENV === 'off' ? undefined : env.GOENV;
  let base;
  if (process.platform === 'win32') base = env.AppData ?? env.APPDATA;
  else if (process.platform === 'darwin') base = env.HOME ? path.join(env.HOME, 'Library', 'Application Support') : undefined;
  else base = env.XDG_CONFIG_HOME || (env.HOME ? path.join(env.HOME, '.config') : undefined);
  return base ? path.join(base, 'go', 'env') : undefined;
}

/** `KEY=value` lines of a go env file (`go env -w` writes them; GOROOT/go.env ships defaults). */
async function readGoEnvFile(file) {
  const text = await promises.readFile(file, 'utf8').catch(() => '');
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

/**
 * The user's GOTOOLCHAIN setting, resolved as go does: the environment, then the `go env -w` file
 * (GOENV), then $GOROOT/go.env, else `local`. Our own probes run with GOTOOLCHAIN=local, so
 * `go env -json` cannot tell; reading the two files costs no process.
 */
async function userGoToolchain(env, goEnv) {
  if (env.GOTOOLCHAIN) return env.GOTOOLCHAIN;
  if (!goEnv.GOROOT) return '';
  if (goEnv.GOENV && goEnv.GOENV !== 'off') {
    const user = await readGoEnvFile(goEnv.GOENV);
    if (user.GOTOOLCHAIN) return user.GOTOOLCHAIN;
  }
  const shipped = await readGoEnvFile(path.join(goEnv.GOROOT, 'go.env'));
  return shipped.GOTOOLCHAIN || 'local';
}

/**
 * The toolchain go selects for a main module (or workspace) with these go/toolchain lines, as
 * cmd/go/internal/toolchain.Select does; undefined when go runs the running Go (GOTOOLCHAIN=local,
 * a pinned goX.Y.Z without +auto/+path: the toolchain check reports those).
 */
function selectToolchain(gotoolchain, running, goLine, toolchainLine) {
  const gt = gotoolchain.trim() || 'local';
  const m = /^(local|go\S+?)\+(auto|path)$/.exec(gt === 'auto' || gt === 'path' ? `local+${gt}` : gt);
  if (!m) return undefined;
  const runningV = normalizeGoVersion(running);
  let minVers = m[1] === 'local' ? runningV : normalizeGoVersion(m[1]);
  if (!isValidGoVersion(minVers)) return undefined;
  let selected = m[1] === 'local' ? undefined : { toolchain: m[1], because: `GOTOOLCHAIN=${gt}` };
  if (toolchainLine !== 'default') {
    if (toolchainLine && /^go\d/.test(toolchainLine) && isValidGoVersion(toolchainLine) && compareGo(toolchainLine, minVers) > 0) {
      selected = { toolchain: toolchainLine, because: `toolchain ${toolchainLine}` };
      minVers = normalizeGoVersion(toolchainLine);
    }
    if (goLine && isValidGoVersion(goLine) && compareGo(goLine, minVers) > 0) {
      // A language version (go 1.22) selects its first release, go1.22.0 (golang.org/issue/62278).
      const v = !isReleaseVersion(goLine) && compareGo(goLine, '1.21') >= 0 ? `${goLine}.0` : goLine;
      selected = { toolchain: `go${v}`, because: `go ${goLine}` };
    }
  }
  if (!selected || compareGo(normalizeGoVersion(selected.toolchain), runningV) === 0) return undefined;
  return selected;
}

/**
 * Resolve the toolchain switch for every main module (or the workspace) whose go/toolchain lines
 * make go switch. Each selected toolchain is made ready exactly as the build would: `go env
 * GOVERSION` with the user's GOTOOLCHAIN, which downloads it into the module cache (or finds it
 * on PATH for +path). undefined when no module switches.
 */
async function resolveToolchainSwitch(o







) {
  const roots = [];
  const inWork = (m) => !!o.work && (m.inWorkspace || m.dir === o.work.dir || m.dir.startsWith(`${o.work.dir}${path.sep}`));
  if (o.work) roots.push({ file: o.work.relFile, dir: o.work.dir, goLine: o.work.goLine, toolchainLine: o.work.toolchainLine, members: o.modules.filter(inWork) });
  for (const m of o.modules) if (!inWork(m)) roots.push({ file: m.goModFile, dir: m.dir, goLine: m.goLine, toolchainLine: m.toolchainLine, members: [m] });

  const selections = [];
  await Promise.all(
    roots.map(async (root) => {
      const sel = selectToolchain(o.gotoolchain, o.running, root.goLine, root.toolchainLine);
      if (!sel) return;
      const r = await o.go.run(['env', 'GOVERSION'], { cwd: root.dir, signal: o.signal, timeoutMs: 600_000, env: { GOTOOLCHAIN: o.gotoolchain } });
      const got = r.code === 0 ? r.stdout.trim().split(/\s/)[0] : undefined;
      const error =
        r.code === 0 && got
          ? undefined
          : r.stderr
              .split('\n')
              .filter((l) => l.trim() && !/^go: downloading /.test(l))
              .map((l) => l.trim().replace(/^go: /, ''))
              .slice(0, 3)
              .join(' ')
              // A proxy URL may carry credentials (https://user:token@host).
              .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@')
              .replace(/\.$/, '') || describeFailure(r);
      for (const m of root.members) if (got) m.buildGo = got;
      selections.push({ file: root.file, dir: root.dir, toolchain: got ?? sel.toolchain, because: sel.because, ...(error ? { error } : {}) });
    }),
  );
  if (!selections.length) return undefined;
  selections.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { gotoolchain: o.gotoolchain, ok: selections.every((x) => !x.error), selections };
}

/** The Go that builds this module (or the workspace when undefined): the switched toolchain, else the running Go. */
function buildGoVersion(probe, mod) {
  if (mod) return mod.buildGo ?? probe.go.version;
  const switched = probe.toolchainSwitch?.ok ? probe.toolchainSwitch.selections.map((x) => x.toolchain) : [];
  return switched.sort((a, b) => compareGo(b, a))[0] ?? probe.go.version;
}

async function createProbe(opts





) {
  const { dir, go, exec, env, signal } = opts;
  const goFacts = { available: !!go.bin, bin: go.bin, version: 'unknown' };
  if (!go.bin) goFacts.error = '`go` was not found on PATH';

  let goEnvError;
  let envVariable;
  const goEnvP = (async () => {
    if (!go.bin) return {};
    const r = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000 });
    let obj = r.code === 0 ? parseJsonObject(r.stdout) : undefined;
    if (!obj && r.code !== null && r.code !== 0) {
      const named = await go.run(['env', '-json', ...CHEAP_GO_ENV], { cwd: dir, signal, timeoutMs: 60_000 });
      obj = named.code === 0 ? parseJsonObject(named.stdout) : undefined;
      if (obj) goEnvError = r.stderr.trim().split('\n')[0] || describeFailure(r);
    }
    if (!obj && r.code !== null && r.code !== 0) {
      // A variable go rejects at start-up (`go: unknown GOEXPERIMENT greenteagc`) fails every go
      // command, `go env` included. Go is there all the same: read the rest of the environment
      // without that variable, and let the go-env check name it.
      const first = r.stderr.trim().split('\n')[0] ?? '';
      // (`unsupported GOOS/GOARCH pair linux/nosuch` names two: try each one that is set.)
      const named = [...new Set([...first.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]))].filter((v) => env[v]);
      // Set with `go env -w` (for instance by a newer Go that knew the value): read the rest of the
      // environment without the file, then apply the file's other settings as go would.
      if (!named.length) {
        const file = goEnvFilePath(env);
        const settings = file ? await readGoEnvFile(file) : {};
        const v = [...first.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]).find((x) => settings[x]);
        if (file && v) {
          const retry = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000, env: { GOENV: 'off' } });
          obj = retry.code === 0 ? parseJsonObject(retry.stdout) : undefined;
          if (obj) {
            for (const [k, val] of Object.entries(settings)) if (k !== v && !env[k] && k in obj) obj[k] = val;
            obj.GOENV = file;
            goEnvError = first;
            envVariable = { variable: v, value: settings[v], file };
          }
        }
      }
      for (const v of named.slice(0, 3)) {
        const retry = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000, env: { [v]: undefined } });
        obj = retry.code === 0 ? parseJsonObject(retry.stdout) : undefined;
        if (obj) {
          goEnvError = first;
          envVariable = { variable: v, value: env[v] };
          break;
        }
      }
    }
    if (!obj) {
      goFacts.available = false;
      goFacts.error = `\`go env -json\` failed: ${describeFailure(r)}`;
      return {};
    }
    return obj;
  })();

  const gitP = gitFacts(exec, dir, env, signal);
  const repoRootP = findGitRoot(dir).then((r) => r ?? dir);
  // go.mod files are read (and `go mod edit -json` run) while `go env -json` is still running.
  const readModule = async (modDir) => {
    const file = path.join(modDir, 'go.mod');
    // Read as every repository file is (safe-read.ts); a module named by go.work outside the
    // repository is go's to read as well, so it is read, but only as a regular file.
    const read = await tryReadRepoFile(file, { root: await repoRootP, maxBytes: READ_LIMITS.goMod, allowOutside: true });
    const refused = read && 'error' in read ? describeUnsafeRead(read.error, reportPath(dir, file)) : undefined;
    const text = read && 'text' in read ? read.text : '';
    const directives = parseModDirectives(text);
    const info = {
      dir: modDir,
      relDir: reportPath(dir, modDir),
      goModFile: reportPath(dir, file),
      path: directiveValue(directives, 'module') ?? '',
      text,
      directives,
      goLine: directiveValue(directives, 'go'),
      toolchainLine: directiveValue(directives, 'toolchain'),
      inWorkspace: false,
      hasVendorDir: await isDirectory(path.join(modDir, 'vendor')),
    };
    // The files go reads next to go.mod: go follows links, so we look before any go command does.
    let refusedFile = refused;
    if (!refusedFile && info.hasVendorDir) {
      const bad = await checkRepoDir(path.join(modDir, 'vendor'), await repoRootP);
      if (bad) refusedFile = describeUnsafeRead(bad, reportPath(dir, path.join(modDir, 'vendor')));
    }
    for (const rel of refusedFile ? [] : ['go.sum', ...(info.hasVendorDir ? ['vendor/modules.txt'] : [])]) {
      const f = path.join(modDir, ...rel.split('/'));
      const bad = await checkRepoFile(f, { root: await repoRootP, maxBytes: READ_LIMITS.goSum, allowOutside: true });
      if (bad) {
        refusedFile = describeUnsafeRead(bad, reportPath(dir, f));
        break;
      }
    }
    if (refusedFile) info.parseError = info.refused = refusedFile;
    else if (go.bin) {
      const r = await go.run(['mod', 'edit', '-json', '--', file], { cwd: modDir, signal, timeoutMs: 60_000 });
      const json = r.code === 0 ? parseJsonObject(r.stdout) : undefined;
      if (json) {
        info.json = json;
        info.path = json.Module?.Path ?? info.path;
        info.goLine = json.Go ?? info.goLine;
        info.toolchainLine = json.Toolchain ?? info.toolchainLine;
      } else {
        info.parseError = (r.stderr || r.stdout).trim() || describeFailure(r);
      }
    }
    return info;
  };

  const modDirsP = discoverGoMods(dir);
  const discoveredP = modDirsP.then((dirs) => Promise.all(dirs.map((d) => readModule(d))));
  const goEnv = await goEnvP;
  // A GOFLAGS set with `go env -w` is not in our environment; hand the effective value to the
  // runner so its read-only rewrite (-mod=mod -> -mod=readonly) applies to it too.
  if (goEnv.GOFLAGS && !env.GOFLAGS) go.useGoFlags(goEnv.GOFLAGS);
  if (goEnv.GOVERSION) goFacts.version = goEnv.GOVERSION.split(/\s/)[0] ?? goEnv.GOVERSION;
  // Go 1.20 and older lack what every check relies on (`go tool dist list -broken`, toolchain
  // lines, `go mod edit -json` of newer directives), and the Go team no longer supports them: stop
  // at once with one line rather than a report where every check errors.
  const runningV = normalizeGoVersion(goFacts.version);
  if (isValidGoVersion(runningV) && compareGo(runningV, '1.21') < 0) {
    await Promise.allSettled([discoveredP, gitP]);
    throw new ConfigurationError(`go-preflight needs Go 1.21 or newer; this is ${goFacts.version} (${go.bin ?? 'go'}): install a newer Go (actions/setup-go) before go-preflight`);
  }

  let work;
  let workRefused;
  const gowork = goEnv.GOWORK;
  if (gowork && gowork !== 'off' && (await exists(gowork))) {
    // go finds go.work in a parent directory too (outside the repository): read it, but a go.work
    // of the repository that links out of it is refused like any other repository file.
    const read = await tryReadRepoFile(gowork, { root: await repoRootP, maxBytes: READ_LIMITS.goMod, allowOutside: true });
    let refused = read && 'error' in read ? describeUnsafeRead(read.error, reportPath(dir, gowork)) : undefined;
    if (!refused) {
      const bad = await checkRepoFile(`${gowork}.sum`, { root: await repoRootP, maxBytes: READ_LIMITS.goSum, allowOutside: true });
      if (bad) refused = describeUnsafeRead(bad, reportPath(dir, `${gowork}.sum`));
    }
    const text = read && 'text' in read ? read.text : '';
    const directives = parseModDirectives(text);
    work = {
      file: gowork,
      relFile: reportPath(dir, gowork),
      dir: path.dirname(gowork),
      text,
      directives,
      goLine: directiveValue(directives, 'go'),
      toolchainLine: directiveValue(directives, 'toolchain'),
    };
    const r = refused ? undefined : await go.run(['work', 'edit', '-json', '--', gowork], { cwd: path.dirname(gowork), signal, timeoutMs: 60_000 });
    const json = r?.code === 0 ? parseJsonObject(r.stdout) : undefined;
    if (refused) work.parseError = workRefused = refused;
    else if (json) {
      work.json = json;
      work.goLine = json.Go ?? work.goLine;
      work.toolchainLine = json.Toolchain ?? work.toolchainLine;
    } else if (r) work.parseError = (r.stderr || r.stdout).trim() || describeFailure(r);
  }

  const useDirs = new Set();
  for (const u of work?.json?.Use ?? []) useDirs.add(path.resolve(work.dir, u.DiskPath));
  const discovered = await discoveredP;
  const extra = [];
  for (const u of useDirs) if (!discovered.some((m) => m.dir === u) && (await exists(path.join(u, 'go.mod')))) extra.push(u);
  const modules = [...discovered, ...(await Promise.all(extra.map((d) => readModule(d))))].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  for (const m of modules) m.inWorkspace = useDirs.has(m.dir);

  const host = goEnv.GOOS && goEnv.GOARCH ? { goos: goEnv.GOOS, goarch: goEnv.GOARCH } : hostFromNode();

  // Is the environment sane? If not, every go command fails with the same message: the runner
  // skips the checks that need it and the go-env check explains the cause once.
  let envError;
  if (goEnvError) envError = { reason: goEnvError, ...(envVariable ?? {}) };
  else if (goFacts.available && goEnv.GOFLAGS && hasUnknownGoFlag(goEnv.GOFLAGS)) {
    // An unknown flag in GOFLAGS makes every go command fail; probe once with a cheap command.
    const r = await go.run(['list', '-m', '-json=Path'], { cwd: modules[0]?.dir ?? dir, signal, timeoutMs: 60_000 });
    if (r.code !== 0 && /parsing \$GOFLAGS|GOFLAGS/.test(r.stderr)) {
      envError = { reason: r.stderr.trim().split('\n')[0] ?? 'go: parsing $GOFLAGS failed', variable: 'GOFLAGS', value: goEnv.GOFLAGS };
    }
  }

  const userToolchain = await userGoToolchain(env, goEnv);
  // Can `go` load these modules at all? If not, module checks would all fail with the same
  // message; the runner skips them and the toolchain/go-env checks explain the cause once.
  let loadable = { ok: goFacts.available, reason: goFacts.error };
  let toolchainSwitch;
  if (envError) loadable = { ok: false, reason: `go-env (${envError.reason})` };
  // go follows a go.work that links out of the repository and prints what it finds there line by
  // line ("unknown directive: root:x:0:0:..."): no go command runs on it.
  else if (workRefused) loadable = { ok: false, reason: `${workRefused} (see the modules check)` };
  else if (goFacts.available) {
    toolchainSwitch = await resolveToolchainSwitch({ go, signal, gotoolchain: userToolchain, running: goFacts.version, modules, work });
    if (toolchainSwitch?.ok) {
      // Every later go command switches as the build does (each in its own module directory).
      go.switchToolchain(toolchainSwitch.gotoolchain);
      // A go.mod the running Go could not parse (a directive newer than it) may be fine for the Go
      // the build switches to: read it again with that Go.
      await Promise.all(
        modules
          .filter((m) => m.parseError && m.buildGo)
          .map(async (m) => {
            const r = await go.run(['mod', 'edit', '-json', path.join(m.dir, 'go.mod')], { cwd: m.dir, signal, timeoutMs: 60_000 });
            const json = r.code === 0 ? parseJsonObject(r.stdout) : undefined;
            if (!json) return;
            delete m.parseError;
            m.json = json;
            m.path = json.Module?.Path ?? m.path;
            m.goLine = json.Go ?? m.goLine;
            m.toolchainLine = json.Toolchain ?? m.toolchainLine;
          }),
      );
    } else if (toolchainSwitch) {
      const bad = toolchainSwitch.selections.find((x) => x.error);
      loadable = { ok: false, reason: `toolchain (${bad.file} selects ${bad.toolchain}, which go cannot run here: see the toolchain check)` };
    } else {
      const running = normalizeGoVersion(goFacts.version);
      const tooNew = [
        ...(work?.goLine ? [{ file: work.relFile, go: work.goLine }] : []),
        ...modules.filter((m) => m.goLine).map((m) => ({ file: m.goModFile, go: m.goLine })),
      ].find((x) => isValidGoVersion(x.go) && compareGo(running, x.go) < 0);
      if (tooNew) loadable = { ok: false, reason: `${tooNew.file} requires go >= ${tooNew.go} but the running Go is ${goFacts.version} (see the toolchain check)` };
    }
  }

  return {
    go: goFacts,
    goEnv,
    ...(goEnvError ? { goEnvError } : {}),
    userGoToolchain: userToolchain,
    ...(envError ? { envError } : {}),
    ...(toolchainSwitch ? { toolchainSwitch } : {}),
    host,
    modules,
    work,
    git: await gitP,
    loadable,
  };
}

// `--shard I/N`: split the module-level work of one run over N jobs (a GitHub Actions matrix).
//
// Modules are assigned greedily, largest first, to the shard with the least work so far, where a
// module's work is estimated by the size of its go.mod and go.sum (the number of dependencies to
// download, verify and list). Sizes then directory order break ties, so every job of a matrix
// computes the same assignment from the same commit, and a rerun of a job gets the same modules.
// Repo-wide checks run in shard 1 only.










/** Checks about the repository as a whole: they run in shard 1 and are skipped in the others. */
const REPO_WIDE_CHECKS = new Set(['toolchain', 'go-env', 'git-clean', 'secrets', 'targets']);

function formatShard(s) {
  return `${s.index}/${s.count}`;
}

/** Parse `I/N` (1 <= I <= N). */
function parseShard(text, where) {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ConfigurationError(`invalid shard "${text}": write I/N with 1 <= I <= N, e.g. 2/4`, where);
  }
  return { index, count };
}

/** Assign each unit (by key) to a shard 1..count, balancing the summed weights. */
function assignShards(units, count) {
  const order = [...units].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array(count).fill(0);
  const out = new Map();
  for (const u of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i] < load[best]) best = i;
    // +1 per module: the fixed cost of its go commands, whatever its size.
    load[best] += u.weight + 1024;
    out.set(u.key, best + 1);
  }
  return out;
}

/** The modules of shard `shard` among `modules` (order kept). */
async function modulesOfShard(modules, shard) {
  if (shard.count <= 1) return [...modules];
  const units = await Promise.all(
    modules.map(async (m) => {
      const sum = await promises.stat(path.join(m.dir, 'go.sum')).then((s) => s.size, () => 0);
      return { key: m.relDir, weight: Buffer.byteLength(m.text) + sum };
    }),
  );
  const assigned = assignShards(units, shard.count);
  return modules.filter((m) => assigned.get(m.relDir) === shard.index);
}

/**
 * Counts time except while the check has processes waiting for a slot and none running; calls
 * `onExpire` once when the counted time reaches budgetMs.
 */
function createWorkClock(budgetMs, onExpire, now = Date.now) {
  let waiting = 0;
  let running = 0;
  let counted = 0;
  let since; // start of the current counting stretch
  let timer;
  let stopped = false;

  const paused = () => waiting > 0 && running === 0;
  const update = () => {
    if (stopped) return;
    if (paused()) {
      if (since !== undefined) {
        counted += now() - since;
        since = undefined;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
    } else if (since === undefined) {
      since = now();
      timer = setTimeout(
        () => {
          stopped = true;
          onExpire();
        },
        Math.max(0, budgetMs - counted),
      );
    }
  };
  update();
  return {
    queued() {
      waiting++;
      update();
    },
    started() {
      waiting = Math.max(0, waiting - 1);
      running++;
      update();
    },
    ended() {
      running = Math.max(0, running - 1);
      update();
    },
    elapsedMs: () => counted + (since !== undefined ? now() - since : 0),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

// The runner owns what checks must not: timing, status, levels and mode, fail-fast, timeouts,
// prerequisites, and turning a crash into an `error` status instead of a dead run.






















/** `go tool dist list -json -broken` through the shared runner (one process per run). */
async function distList(go, signal, cwd) {
  // In a module directory: when GOTOOLCHAIN switches, the ports are those of the Go the build runs.
  const r = await go.run(['tool', 'dist', 'list', '-json', '-broken'], { signal, timeoutMs: 60_000, ...(cwd ? { cwd } : {}) });
  if (r.code !== 0) return undefined;
  const parsed = parseJsonStream(r.stdout).values[0];
  return Array.isArray(parsed) ? parsed : undefined;
}

/** Decide whether a need is met; returns the skip/error reason when not. */
function unmetNeed(need, probe) {
  switch (need) {
    case 'go':
      return probe.go.available ? undefined : { status: 'error', reason: probe.go.error ?? '`go` is not usable' };
    case 'module':
      return probe.modules.length > 0 ? undefined : { status: 'skip', reason: 'not applicable: no go.mod in the directory' };
    case 'git':
      if (probe.git.isRepo) return undefined;
      // Only "not a git repository" is not applicable; a git that failed could not look.
      return probe.git.error ? { status: 'error', reason: probe.git.error } : { status: 'skip', reason: 'not applicable: not a git repository' };
    case 'env':
      return probe.envError ? { status: 'skip', reason: `prerequisite failed: go-env (${probe.envError.reason})` } : undefined;
    case 'loadable':
      if (probe.envError) return { status: 'skip', reason: `prerequisite failed: go-env (${probe.envError.reason})` };
      return probe.loadable.ok ? undefined : { status: 'skip', reason: `prerequisite failed: ${probe.loadable.reason ?? 'go cannot load the modules'}` };
  }
  return undefined;
}

/** Apply the check's level and the run's mode to a finding's severity. */
function downgrade(f, downgradeErrors) {
  return downgradeErrors && f.severity === 'error' ? { ...f, severity: 'warning', downgraded: true } : f;
}

function statusOf(findings) {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

/** The run's conclusion; `onError: 'warn'` counts a check that could not complete as a warning. */
function conclusionOf(checks, onError = 'fail') {
  if (checks.some((c) => c.status === 'fail' || (c.status === 'error' && onError === 'fail'))) return 'failure';
  if (checks.some((c) => c.status === 'warn' || c.status === 'error')) return 'warning';
  return 'success';
}

const SEVERITY_ORDER = { error: 0, warning: 1, notice: 2 } ;

function sortFindings(findings) {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}








/** Find go, build the shared runner and the probe. */
async function prepareRun(settings, deps) {
  const exec = deps.exec ?? runProcess;
  const env = deps.env ?? process.env;
  const bin = await findExecutable('go', env);
  const go = createGoRunner({ bin, exec, baseEnv: env, concurrency: Math.max(2, os.cpus().length) });
  const probe = await createProbe({ dir: settings.dir, go, exec, env, signal: deps.signal });
  return { probe, go, exec, env };
}

async function runChecks(
  settings,
  checks,
  deps,
  prepared,
) {
  const started = Date.now();
  const { probe, go, exec, env } = prepared ?? (await prepareRun(settings, deps));
  const tempDirs = [];

  let validTargetsP;
  const validTargets = () =>
    (validTargetsP ??= (async () => {
      const ports = await distList(go, deps.signal, probe.modules[0]?.dir);
      if (!ports) return settings.targets;
      return settings.targets.filter((t) => ports.some((p) => p.GOOS === t.goos && p.GOARCH === t.goarch));
    })());

  const results = new Map();
  let failFastBy;

  // Sharded: module-level checks see only this shard's modules (one probe object, so the checks'
  // per-probe caches stay shared); repo-wide checks run in shard 1 with every module.
  const shard = settings.shard && settings.shard.count > 1 ? settings.shard : undefined;
  const shardProbe = shard ? { ...probe, modules: await modulesOfShard(probe.modules, shard), allModules: probe.modules } : probe;

  const finish = (r) => {
    results.set(r.id, r);
    deps.onCheckEnd?.(r);
    if (settings.failFast && !failFastBy && (r.status === 'fail' || r.status === 'error')) failFastBy = r.id;
  };

  const runOne = async (id) => {
    const check = checks[id];
    const cs = settings.checks[id];
    const title = check?.title ?? id;
    const skip = (reason, status = 'skip') => finish({ id, title, status, skipReason: reason, durationMs: 0, findings: [] });
    if (cs.level === 'off') return skip(cs.offReason ?? 'disabled in the configuration');
    if (!check) return skip('not implemented yet');
    if (failFastBy) return skip(`fail-fast: ${failFastBy} failed`);
    const repoWide = REPO_WIDE_CHECKS.has(id);
    if (shard && repoWide && shard.index !== 1) return skip(`runs in shard 1/${shard.count}`);
    const checkProbe = repoWide ? probe : shardProbe;
    for (const need of check.needs) {
      if (need === 'module' && shard && probe.modules.length > 0 && checkProbe.modules.length === 0) {
        return skip(`not applicable: no module in shard ${formatShard(shard)}`);
      }
      const unmet = unmetNeed(need, probe);
      if (unmet) return skip(unmet.reason, unmet.status);
    }

    deps.onCheckStart?.(id, title);
    const t0 = Date.now();
    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    deps.signal?.addEventListener('abort', onRunAbort, { once: true });
    // What the check finished before a timeout: its published findings and units of work.
    const partial = [];
    const planned = [];
    const done = new Set();
    let rejectTimeout = () => {};
    const timeout = new Promise((_, reject) => {
      rejectTimeout = reject;
    });
    // The timeout counts the check's own work only, not time queued for a `go` process slot.
    const clock = createWorkClock(cs.timeoutMs, () => {
      controller.abort();
      rejectTimeout(new TimeoutError(cs.timeoutMs, id));
    });
    const ctx = {
      dir: settings.dir,
      settings,
      options: cs.options,
      probe: checkProbe,
      go: go.withMeter(clock),
      progress: {
        plan: (units) => {
          for (const u of units) if (!planned.includes(u)) planned.push(u);
        },
        add: (findings, unitDone) => {
          partial.push(...findings);
          if (unitDone !== undefined) done.add(unitDone);
        },
      },
      exec,
      logger: deps.logger,
      signal: controller.signal,
      validTargets,
      env,
      ci: deps.ci ?? {},
      tempDir: async (prefix) => {
        const d = await promises.mkdtemp(path.join(os.tmpdir(), `go-preflight-${prefix.replace(/[^\w-]/g, '')}-`));
        tempDirs.push(d);
        return d;
      },
    };
    const downgradeErrors = cs.level === 'warn' || settings.mode === 'warn';
    try {
      const outcome = await Promise.race([check.run(ctx), timeout]);
      const findings = sortFindings(outcome.findings.map((f) => downgrade(f, downgradeErrors)));
      // A level of warn in the config hides each error as a warning: list them as suppressed.
      const suppressed = [...(outcome.suppressed ?? [])];
      if (cs.level === 'warn') {
        for (const f of outcome.findings) {
          if (f.severity !== 'error') continue;
          suppressed.push({ ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}), ...(f.ruleId ? { ruleId: f.ruleId } : {}), by: 'level: warn', ...(f.commit ? { commit: f.commit } : {}) });
        }
      }
      const status = outcome.skipReason && findings.length === 0 ? 'skip' : statusOf(findings);
      finish({
        id,
        title,
        status,
        ...(status === 'skip' ? { skipReason: outcome.skipReason } : {}),
        durationMs: Date.now() - t0,
        findings,
        ...(outcome.details ? { details: outcome.details } : {}),
        ...(outcome.notes?.length ? { notes: outcome.notes } : {}),
        ...(suppressed.length ? { suppressed } : {}),
      });
    } catch (e) {
      // A tool that failed, a file that could not be read, or a repository file refused by
      // safe-read.ts is the reason itself, not a crash.
      const known = e instanceof TimeoutError || e instanceof CheckIncompleteError || (e instanceof Error && e.name === 'ToolFailure');
      let reason = known ? (e ).message : isUnsafeReadError(e) ? `could not look: ${e.message}` : `the check crashed: ${getErrorMessage(e)}`;
      if (!known) deps.logger.debug(`${id}: ${e instanceof Error && e.stack ? e.stack : reason}`);
      if (e instanceof TimeoutError && planned.length > 0) reason += `; ${describeProgress(planned, done)}`;
      // A timed-out check still reports what it finished.
      const findings = e instanceof TimeoutError ? sortFindings(partial.map((f) => downgrade(f, downgradeErrors))) : [];
      finish({ id, title, status: 'error', skipReason: reason, durationMs: Date.now() - t0, findings });
    } finally {
      clock.stop();
      deps.signal?.removeEventListener('abort', onRunAbort);
    }
  };

  try {
    if (settings.failFast) {
      // Fail-fast is only meaningful in a fixed order: run one check at a time, table order.
      for (const id of CHECK_IDS) await runOne(id);
    } else {
      await Promise.all(CHECK_IDS.map((id) => runOne(id)));
    }
  } finally {
    await Promise.all(tempDirs.map((d) => promises.rm(d, { recursive: true, force: true }).catch(() => {})));
  }

  const ordered = CHECK_IDS.map((id) => results.get(id));
  return {
    schemaVersion: 1,
    conclusion: conclusionOf(ordered, settings.onError),
    dir: settings.dir,
    go: { version: probe.go.version, goos: probe.host.goos, goarch: probe.host.goarch },
    targets: settings.targets.map(formatTarget),
    durationMs: Date.now() - started,
    checks: ordered,
    runner: runnerPlatform(),
    modules: probe.modules.map((m) => m.relDir),
    ...(settings.shard ? { shard: { ...settings.shard } } : {}),
  };
}

/** `finished 37 of 99 modules; not finished: a, b, c and 59 more`. */
function describeProgress(planned, done) {
  const left = planned.filter((u) => !done.has(u));
  const n = planned.length;
  const head = `finished ${n - left.length} of ${n} module${n === 1 ? '' : 's'}`;
  if (left.length === 0) return head;
  const shown = left.slice(0, 5).join(', ');
  return `${head}; not finished: ${shown}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`;
}

/** This machine's OS and architecture, named as Go names them (a merged report says which runner ran what). */
function runnerPlatform() {
  const os = process.platform === 'win32' ? 'windows' : process.platform === 'sunos' ? 'solaris' : process.platform;
  const archs = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
  return { os, arch: archs[process.arch] ?? process.arch };
}

class TimeoutError extends Error {
  constructor(ms, id) {
    super(`timed out after ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} (raise checks.${id ?? '<id>'}.timeout in the config)`);
    this.name = 'TimeoutError';
  }
}

// A small Go source scanner: enough of the Go lexer to answer questions `go list` cannot
// (does a `package main` declare `func main`?) and to find positions go gives no line for (the
// `import "x"` line that pulls a package in, the `package` clause, the `//go:build` line).
//
// It is a real tokenizer, not a line grep: `// func main()`, `/* func main() */`,
// `"func main()"`, `` `func main()` `` and `'"'` never count, and a method `func (T) main()` or a
// generic `func main[T any]()` is not the program's entry point.

 










const IDENT_RE = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
// Go numbers: decimal, hex (with p exponents), octal, binary, floats, imaginary, `_` separators.
const NUMBER_RE = /\.?\d(?:[eEpP][+-]|[\p{L}\p{Nd}_.])*/uy;

/**
 * Tokens of a Go source file, comments and whitespace skipped. Lenient: an unterminated string,
 * rune or comment ends the token (or the file) instead of throwing, since we read files that may
 * not compile.
 */
function* goTokens(src) {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  // Advance over src[from, to), counting newlines.
  const advance = (to) => {
    for (let k = i; k < to; k++) {
      if (src.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    i = to;
  };
  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      advance(end < 0 ? n : end + 2);
      continue;
    }
    const tokLine = line;
    const column = i - lineStart + 1;
    const start = i;
    if (c === '"' || c === "'") {
      // Interpreted string or rune: ends at the matching unescaped quote, never crosses a newline.
      let k = i + 1;
      while (k < n) {
        const d = src[k];
        if (d === '\\') {
          k += 2;
          continue;
        }
        if (d === c) {
          k++;
          break;
        }
        if (d === '\n') break;
        k++;
      }
      i = Math.min(k, n);
      yield { kind: c === '"' ? 'string' : 'char', text: src.slice(start, i), line: tokLine, column };
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      const stop = end < 0 ? n : end + 1;
      const text = src.slice(start, stop);
      advance(stop);
      yield { kind: 'string', text, line: tokLine, column };
      continue;
    }
    IDENT_RE.lastIndex = i;
    const id = IDENT_RE.exec(src);
    if (id) {
      i += id[0].length;
      yield { kind: 'ident', text: id[0], line: tokLine, column };
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const num = NUMBER_RE.exec(src);
    if (num) {
      i += num[0].length;
      yield { kind: 'number', text: num[0], line: tokLine, column };
      continue;
    }
    // Operators: we only ever look at single punctuation characters (brackets, `.`, `;`).
    i++;
    yield { kind: 'op', text: c, line: tokLine, column };
  }
}

/** The value of a Go string literal token (`"a\"b"` -> `a"b`, `` `raw` `` -> `raw`). */
function stringValue(tok) {
  const t = tok.text;
  if (t.startsWith('`')) return t.slice(1, t.endsWith('`') && t.length > 1 ? -1 : undefined).replace(/\r/g, '');
  const body = t.slice(1, t.length > 1 && t.endsWith('"') ? -1 : undefined);
  // Import paths never need the full escape set; decode the simple ones and keep the rest.
  return body.replace(/\\(["\\nt])/g, (_, e) => (e === 'n' ? '\n' : e === 't' ? '\t' : e));
}

/** True when the file declares a top-level `func main(` (no receiver, no type parameters). */
function hasFuncMain(src) {
  let depth = 0;
  // Position in the pattern `func` `main` `(` (only at depth 0).
  let state = 0;
  for (const tok of goTokens(src)) {
    if (tok.kind === 'op') {
      if (state === 2 && tok.text === '(' && depth === 0) return true;
      state = 0;
      if (tok.text === '(' || tok.text === '[' || tok.text === '{') depth++;
      else if ((tok.text === ')' || tok.text === ']' || tok.text === '}') && depth > 0) depth--;
      continue;
    }
    if (depth !== 0) {
      state = 0;
      continue;
    }
    if (tok.kind === 'ident' && tok.text === 'func') state = 1;
    else if (state === 1 && tok.kind === 'ident' && tok.text === 'main') state = 2;
    else state = 0;
  }
  return false;
}







/** The `package name` clause (position of the `package` keyword). */
function packageClause(src) {
  const it = goTokens(src);
  const first = it.next();
  if (first.done || first.value.kind !== 'ident' || first.value.text !== 'package') return undefined;
  const name = it.next();
  if (name.done || name.value.kind !== 'ident') return undefined;
  return { name: name.value.text, line: first.value.line, column: first.value.column };
}










/** Every import of the file, in order (stops at the first declaration after the imports). */
function importSpecs(src) {
  const out = [];
  const it = goTokens(src);
  const next = () => {
    for (;;) {
      const r = it.next();
      if (r.done) return undefined;
      // Explicit semicolons separate declarations; automatic ones are newlines, already skipped.
      if (r.value.kind === 'op' && r.value.text === ';') continue;
      return r.value;
    }
  };
  const spec = (tok) => {
    if (!tok) return {};
    let name;
    if (tok.kind === 'ident' || (tok.kind === 'op' && tok.text === '.')) {
      name = tok.text;
      tok = next();
      if (!tok) return {};
    }
    if (tok.kind !== 'string') return { rest: tok };
    return { spec: { path: stringValue(tok), name, line: tok.line, column: tok.column } };
  };
  let tok = next();
  if (!tok || tok.text !== 'package') return out;
  next(); // package name
  tok = next();
  while (tok && tok.kind === 'ident' && tok.text === 'import') {
    tok = next();
    if (tok && tok.kind === 'op' && tok.text === '(') {
      for (;;) {
        tok = next();
        if (!tok || (tok.kind === 'op' && tok.text === ')')) break;
        const r = spec(tok);
        if (r.spec) out.push(r.spec);
        else if (r.rest?.kind === 'op' && r.rest.text === ')') break;
        else if (!r.rest) break;
      }
      tok = next();
    } else {
      const r = spec(tok);
      if (r.spec) out.push(r.spec);
      tok = r.spec ? next() : r.rest;
    }
  }
  return out;
}

/** The file imports "C" (a cgo file). */
function importsC(src) {
  return importSpecs(src).some((s) => s.path === 'C');
}

/**
 * The file's build constraint as one `//go:build` expression, or undefined when it has none.
 * Only comments before the package clause count (as for Go). Legacy `// +build` lines are
 * converted (space = OR, comma = AND, `!` = NOT, several lines = AND) when there is no
 * `//go:build` line, as Go still honours them then.
 */
function buildConstraint(src) {
  let goBuild;
  const plus = [];
  let inBlock = false;
  for (const raw of src.split('\n')) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (inBlock) {
      if (line.includes('*/')) {
        inBlock = false;
        if (line.slice(line.indexOf('*/') + 2).trim() !== '') break;
      }
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('//')) {
      const m = /^\/\/go:build(?:\s+(.*))?$/.exec(line);
      if (m && goBuild === undefined) goBuild = (m[1] ?? '').trim();
      const p = /^\/\/\s*\+build(?:\s+(.*))?$/.exec(line);
      if (p) plus.push((p[1] ?? '').trim());
      continue;
    }
    if (line.startsWith('/*')) {
      if (!line.includes('*/', 2)) inBlock = true;
      else if (line.slice(line.indexOf('*/', 2) + 2).trim() !== '') break;
      continue;
    }
    break;
  }
  if (goBuild !== undefined) return goBuild;
  if (plus.length === 0) return undefined;
  const lineExpr = (l) =>
    l
      .split(/\s+/)
      .filter(Boolean)
      .map((opt) => `(${opt.split(',').join(' && ')})`)
      .join(' || ');
  return plus.map((l) => `(${lineExpr(l) || 'true'})`).join(' && ');
}

/** Lines holding a `#cgo ... pkg-config: ...` directive that names pkg (1-based line and column of `#cgo`). */
function cgoPkgConfigLine(src, pkg) {
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = /^(\s*(?:\/\/\s*)?)#cgo\b([^:]*)\bpkg-config:(.*)$/.exec(l);
    if (!m) continue;
    const names = m[3].trim().split(/\s+/);
    if (names.includes(pkg)) return { line: i + 1, column: m[1].length + 1 };
  }
  return undefined;
}

// The per-target package loader shared by the `packages` and `cgo` checks.
//
// Both checks call `loadPackages(ctx, module, target)` and `cgoEnv(ctx, target)`, which always
// build the very same `go` invocation (args, cwd, env) for a given module and target, so the
// memoized go runner starts ONE `go list` and ONE `go env` per module and target for the whole
// run, whichever check asks first.
//
// Who reports what (the rule both checks follow, see `cgoExclusion`): a package in the build
// that `go list` rejects with "build constraints exclude all Go files" is the cgo check's finding
// (with the cgo explanation) when cgo is off for that target and at least one of its ignored
// files imports "C" and would be built for that target if cgo were on. Every other exclusion is
// the packages check's finding. Both checks decide with the same function, so a cause is
// reported once.






























/** The fields we ask go list for: fewer fields make `go list` faster, and only these are guaranteed. */
const LIST_FIELDS = [
  'Dir',
  'ImportPath',
  'Name',
  'Standard',
  'Module',
  'Match',
  'DepOnly',
  'Incomplete',
  'Error',
  'DepsErrors',
  'GoFiles',
  'CgoFiles',
  'IgnoredGoFiles',
  'TestGoFiles',
  'XTestGoFiles',
  'Imports',
  'CgoPkgConfig',
] ;























const caches = new WeakMap();
function runCache(ctx) {
  let c = caches.get(ctx.probe);
  if (!c) {
    c = { files: new Map(), listings: new Map(), cgo: new Map() };
    caches.set(ctx.probe, c);
  }
  return c;
}

/** Read a file once per run (undefined when unreadable). */
function readSource(ctx, file) {
  const c = runCache(ctx);
  let p = c.files.get(file);
  if (!p) {
    // Through core/safe-read.ts: a source file of the repository that links out of it, a FIFO or
    // a device is not read (undefined, as an unreadable file). Dependencies' sources are in the
    // module cache, outside the repository as written, and are read as regular files only.
    p = readRepoFile(file, { root: ctx.probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.source, allowOutside: true }).catch(() => undefined);
    c.files.set(file, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Patterns

const KEYWORD_PATTERNS = new Set(['all', 'std', 'cmd', 'tool', 'work']);

function isRelativePattern(p) {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.startsWith('.\\') || p.startsWith('..\\');
}

/** The modules of the run that `go list` can load (go.mod parsed, in go.work when there is one). */
function loadableModules(ctx) {
  const notes = [];
  const modules = [];
  for (const m of ctx.probe.modules) {
    if (m.parseError) notes.push(`${m.goModFile}: skipped, go.mod does not parse (see the modules check)`);
    // With a go.work active, go commands in a module it does not `use` fail outright; the
    // modules check reports the workspace; we cannot list such a module as the build would.
    else if (ctx.probe.work && !m.inWorkspace) notes.push(`${m.goModFile}: skipped, not listed in ${ctx.probe.work.relFile}`);
    else modules.push(m);
  }
  return { modules, notes };
}

/**
 * What packages and cgo both start from: the valid targets and the loadable modules, with notes on
 * what was left out, or the reason to skip when nothing is left.
 */
async function targetsAndModules(
  ctx,
) {
  const notes = [];
  const valid = await ctx.validTargets();
  const validKeys = new Set(valid.map(formatTarget));
  const invalid = ctx.settings.targets.filter((t) => !validKeys.has(formatTarget(t)));
  if (invalid.length) notes.push(`skipped ${invalid.map(formatTarget).join(', ')}: not a target this Go supports (see the targets check)`);
  if (valid.length === 0) return { valid, modules: [], notes, skipReason: 'no valid target (see the targets check)' };
  const { modules, notes: moduleNotes } = loadableModules(ctx);
  notes.push(...moduleNotes);
  if (modules.length === 0) return { valid, modules, notes, skipReason: 'no loadable module' };
  return { valid, modules, notes };
}

/**
 * The patterns of `settings.packages` that concern this module, rewritten relative to its dir.
 * Patterns are written relative to the inspected directory: `./...` covers every module (each
 * module lists its own `./...`, since go never crosses into a nested module), `./cmd/...` goes
 * to the module that owns cmd/, import-path patterns to the module whose path they start with
 * (else to the root module, which resolves dependencies' packages).
 */
function modulePatterns(ctx, module, modules) {
  const out = [];
  // In a sharded run (`--shard I/N`) this run lists only its shard's modules, but a pattern still
  // belongs to the module that owns it in the whole repository: `./svc/...` is never given to the
  // root module because svc/ went to another shard.
  const universe = ctx.probe.allModules ? ctx.probe.allModules.filter((m) => !m.parseError && !(ctx.probe.work && !m.inWorkspace)) : modules;
  const ownerOfDir = (abs) =>
    universe.filter((m) => isInside(m.dir, abs)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const ownerOfPath = (p) =>
    universe.filter((m) => m.path && (p === m.path || p.startsWith(`${m.path}/`))).sort((a, b) => b.path.length - a.path.length)[0];
  const root = ownerOfDir(ctx.dir) ?? universe[0] ?? modules[0];
  for (const p of ctx.settings.packages) {
    if (isRelativePattern(p)) {
      const norm = p.replace(/\\/g, '/');
      const wild = norm.indexOf('...');
      // Split `./cmd/x...` into the literal directory `./cmd` and the rest `x...`.
      const slash = wild >= 0 ? norm.lastIndexOf('/', wild) : -1;
      const dirPart = wild < 0 ? norm : slash >= 0 ? norm.slice(0, slash) : '.';
      const rest = wild < 0 ? '' : norm.slice(slash + 1);
      const absBase = path.resolve(ctx.dir, dirPart);
      const owner = ownerOfDir(absBase);
      if (owner === module) {
        const rel = path.relative(module.dir, absBase).split(path.sep).join('/');
        const dir = rel === '' ? '.' : `./${rel}`;
        out.push(rest ? `${dir}/${rest}` : dir);
      } else if (rest === '...' && isInside(absBase, module.dir)) {
        // `./...` from a parent directory covers this nested module as a whole.
        out.push('./...');
      }
    } else if (KEYWORD_PATTERNS.has(p)) {
      if (module === root) out.push(p);
    } else {
      const wild = p.indexOf('...');
      const prefix = wild >= 0 ? p.slice(0, wild).replace(/\/$/, '') : p;
      const owner = ownerOfPath(prefix);
      if (owner === module) out.push(p);
      else if (!owner && module === root) out.push(p);
      // `example.com/app/...` also covers nested modules whose path starts with the prefix.
      else if (wild >= 0 && module.path && module.path.startsWith(`${prefix}/`) && owner !== module) out.push(p);
    }
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// The loader

function targetEnv(target) {
  // CGO_ENABLED is deliberately not set: the user's value (if any) passes through from the
  // environment, otherwise go decides exactly as `go build` will (off when cross compiling...).
  return { GOOS: target.goos, GOARCH: target.goarch };
}

/**
 * `go list -e -deps -json=<fields> <patterns>` for one module and one target (cwd = the module
 * dir). Undefined when no pattern concerns the module. Never throws for go's own failures.
 */
function loadPackages(ctx, module, target, modules) {
  const patterns = modulePatterns(ctx, module, modules ?? loadableModules(ctx).modules);
  const key = JSON.stringify([module.dir, formatTarget(target), patterns]);
  const c = runCache(ctx);
  let p = c.listings.get(key);
  if (!p) {
    p = (async () => {
      if (patterns.length === 0) return undefined;
      // `--`: a pattern is never read as a flag (`-toolexec=...` would run a program).
      const r = await ctx.go.run(['list', '-e', '-deps', `-json=${LIST_FIELDS.join(',')}`, '--', ...patterns], {
        cwd: module.dir,
        // PWD makes go's os.Getwd return module.dir as we spell it, not a symlink-resolved path
        // (macOS temp dirs live under /var -> /private/var): go prints every Dir and Pos from it.
        env: { ...targetEnv(target), PWD: module.dir },
        signal: ctx.signal,
      });
      // Killed, cut off at the output cap, or not started: the listing is incomplete, no answer.
      if (incomplete(r)) throw new ToolFailure(describeFailure(r));
      const packages = r.code === 0 || r.stdout.trim() ? parseJsonStream(r.stdout).values.filter((x) => x && typeof x.ImportPath === 'string') : [];
      const listing = { module, target, patterns, packages, byPath: new Map(packages.map((x) => [x.ImportPath, x])), stderr: r.stderr };
      if (r.code !== 0) {
        const lines = r.stderr
          .split('\n')
          .map((l) => l.trimEnd())
          .filter((l) => l && !/^go: (downloading|finding|found|warning)/.test(l));
        listing.fatal = lines.slice(0, 4).join('\n') || describeFailure(r);
      }
      return listing;
    })();
    c.listings.set(key, p);
    // A cancelled load must not poison the cache for a check that still runs.
    p.catch(() => c.listings.delete(key));
  }
  return p;
}

/** Run fn over items with at most `limit` running at once, results in input order. */
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------
// cgo environment of a target















const CGO_ENV_VARS = ['CGO_ENABLED', 'CC', 'CXX', 'PKG_CONFIG', 'CGO_CFLAGS', 'CGO_LDFLAGS'] ;

/** Go's default C compiler for a target (cmd/go DefaultCC when CC is unset). */
function defaultCC(goos) {
  return ['darwin', 'ios', 'freebsd', 'openbsd'].includes(goos) ? 'clang' : 'gcc';
}

/**
 * `go env -json CGO_ENABLED CC ...` with the target's GOOS/GOARCH (one process per target, shared
 * by the checks). Go computes the effective CGO_ENABLED: the explicit value wins; else 0 when
 * cross compiling; else 0 when CC is unset and the default compiler is not on PATH (Go 1.20+).
 */
function cgoEnv(ctx, target) {
  const c = runCache(ctx);
  const key = formatTarget(target);
  let p = c.cgo.get(key);
  if (!p) {
    p = (async () => {
      const r = await ctx.go.run(['env', '-json', ...CGO_ENV_VARS], { cwd: ctx.dir, env: targetEnv(target), signal: ctx.signal, timeoutMs: 60_000 });
      if (r.aborted || r.timedOut) throw new Error(describeFailure(r));
      const hostOs = ctx.probe.goEnv.GOHOSTOS || ctx.probe.host.goos;
      const hostArch = ctx.probe.goEnv.GOHOSTARCH || ctx.probe.host.goarch;
      const cross = target.goos !== hostOs || target.goarch !== hostArch;
      const userValue = ctx.env.CGO_ENABLED;
      const obj = r.code === 0 ? parseJsonObject(r.stdout) : undefined;
      if (obj) {
        const enabled = obj.CGO_ENABLED === '1';
        return {
          enabled,
          // Go's default is 0 when cross compiling, so a 1 there was set by the user (env or go env -w).
          explicit: userValue === '0' || userValue === '1' || (cross && enabled),
          CC: obj.CC ?? '',
          CXX: obj.CXX ?? '',
          PKG_CONFIG: obj.PKG_CONFIG || 'pkg-config',
          CGO_CFLAGS: obj.CGO_CFLAGS ?? '',
          CGO_LDFLAGS: obj.CGO_LDFLAGS ?? '',
        };
      }
      // go env failed: compute it like Go does, so the checks still have an answer.
      const cc = ctx.env.CC || defaultCC(target.goos);
      const enabled = userValue === '1' || (userValue !== '0' && !cross);
      return {
        enabled,
        explicit: userValue === '0' || userValue === '1',
        CC: cc,
        CXX: ctx.env.CXX || (cc === 'clang' ? 'clang++' : 'g++'),
        PKG_CONFIG: ctx.env.PKG_CONFIG || 'pkg-config',
        CGO_CFLAGS: ctx.env.CGO_CFLAGS ?? '-O2 -g',
        CGO_LDFLAGS: ctx.env.CGO_LDFLAGS ?? '-O2 -g',
        error: describeFailure(r),
      };
    })();
    c.cgo.set(key, p);
    p.catch(() => c.cgo.delete(key));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Build constraints (for deciding whether an ignored file would build with cgo on, and which
// platforms a directory builds for). A faithful subset of go/build's matchFile rules.

// go/build's syslist (the names that make a `_goos`/`_goarch` file-name suffix meaningful).
const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);
const UNIX_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);

/** The build tags satisfied for a target (go/build matchTag), with or without cgo. */
function targetTags(ctx, target, cgo) {
  const tags = new Set([target.goos, target.goarch, 'gc']);
  if (target.goos === 'android') tags.add('linux');
  if (target.goos === 'illumos') tags.add('solaris');
  if (target.goos === 'ios') tags.add('darwin');
  if (UNIX_OS.has(target.goos)) tags.add('unix');
  if (cgo) tags.add('cgo');
  const minor = /^go1\.(\d+)/.exec(ctx.probe.go.version)?.[1];
  for (let i = 1; i <= Number(minor ?? 0); i++) tags.add(`go1.${i}`);
  // -tags from GOFLAGS apply to every build.
  const goflags = ctx.env.GOFLAGS ?? '';
  for (const m of goflags.matchAll(/(?:^|\s)--?tags[= ](\S+)/g)) for (const t of m[1].split(/[,\s]/)) if (t) tags.add(t);
  return tags;
}

/** Evaluate a `//go:build` expression; unknown syntax evaluates to false (as a bad line excludes the file). */
function evalBuildExpr(expr, tags) {
  const toks = expr.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let i = 0;
  const or = () => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = () => {
    let v = not();
    while (toks[i] === '&&') {
      i++;
      const r = not();
      v = v && r;
    }
    return v;
  };
  const not = () => {
    if (toks[i] === '!') {
      i++;
      return !not();
    }
    if (toks[i] === '(') {
      i++;
      const v = or();
      if (toks[i] !== ')') throw new Error('unbalanced');
      i++;
      return v;
    }
    const t = toks[i++];
    if (t === undefined || t === '&&' || t === '||' || t === ')') throw new Error('syntax');
    return t === 'true' || tags.has(t);
  };
  try {
    const v = or();
    return i === toks.length ? v : false;
  } catch {
    return false;
  }
}

/** go/build goodOSArchFile: does the `_goos`/`_goarch` suffix of the file name allow these tags? */
function fileNameMatches(name, tags) {
  let base = name.replace(/\.go$/, '');
  const dot = base.indexOf('.');
  if (dot >= 0) base = base.slice(0, dot);
  const i = base.indexOf('_');
  if (i < 0) return true;
  const parts = base.slice(i).split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) return tags.has(parts[n - 2]) && tags.has(parts[n - 1]);
  if (n >= 1 && (KNOWN_OS.has(parts[n - 1]) || KNOWN_ARCH.has(parts[n - 1]))) return tags.has(parts[n - 1]);
  return true;
}

/** Whether a Go file (name + source) is built with these tags. */
function fileMatches(name, src, tags) {
  if (!fileNameMatches(name, tags)) return false;
  const expr = buildConstraint(src);
  if (expr === undefined) return true;
  if (expr === '') return false;
  return evalBuildExpr(expr, tags);
}

/**
 * THE rule deciding whether a "build constraints exclude all Go files" is caused by cgo being
 * off (then the cgo check reports it and the packages check stays silent): cgo is off for the
 * target, and one of the package's ignored non-test files imports "C" and would be built for
 * this target with cgo on.
 */
async function cgoExclusion(ctx, pkg, target, cgo) {
  if (cgo.enabled || !pkg.Dir || !pkg.Error || !/build constraints exclude all Go files/.test(pkg.Error.Err)) return false;
  const withCgo = targetTags(ctx, target, true);
  for (const f of pkg.IgnoredGoFiles ?? []) {
    if (f.endsWith('_test.go')) continue;
    const src = await readSource(ctx, path.join(pkg.Dir, f));
    if (src !== undefined && importsC(src) && fileMatches(f, src, withCgo)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Positions







/** `file:line:col` (relative to the module dir or absolute) as a report position. */
function parsePos(ctx, baseDir, pos) {
  if (!pos) return undefined;
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(pos.trim());
  if (!m) return undefined;
  const abs = path.resolve(baseDir, m[1]);
  return { file: reportPath(ctx.dir, abs), line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
}

/** A position embedded at the start of an error text (`/abs/c.go:2:8: invalid import path: ...`). */
function leadingPos(err) {
  const m = /^((?:[A-Za-z]:)?[^\s:][^:\n]*\.go:\d+(?::\d+)?): (.*)$/s.exec(err);
  return m ? { pos: m[1], rest: m[2] } : undefined;
}

/** The import path as written in source for a resolved path (vendor/ prefixes removed). */
function sourceImportPath(p) {
  const i = p.lastIndexOf('/vendor/');
  if (i >= 0) return p.slice(i + '/vendor/'.length);
  return p.startsWith('vendor/') ? p.slice('vendor/'.length) : p;
}

/** The line of `import "imported"` in the importing package's files. */
async function findImportLine(ctx, importer, imported) {
  if (!importer?.Dir) return undefined;
  const want = sourceImportPath(imported);
  for (const f of [...(importer.GoFiles ?? []), ...(importer.CgoFiles ?? [])]) {
    const abs = path.join(importer.Dir, f);
    const src = await readSource(ctx, abs);
    if (src === undefined) continue;
    const spec = importSpecs(src).find((s) => s.path === want || s.path === imported);
    if (spec) return { file: reportPath(ctx.dir, abs), line: spec.line, column: spec.column };
  }
  return undefined;
}

/** The package that imports `pkgPath` according to an error's import stack. */
function importerOf(stack, pkgPath) {
  if (!stack || stack.length === 0) return undefined;
  const last = stack[stack.length - 1];
  if (last === pkgPath) return stack.length >= 2 ? stack[stack.length - 2] : undefined;
  return last;
}

/** Where the import that pulls `pkg` into the build stands: Error.Pos, else a scan of the importer. */
async function importPosition(ctx, listing, pkgPath, err) {
  const fromPos = parsePos(ctx, listing.module.dir, err.Pos);
  if (fromPos) return fromPos;
  const importer = importerOf(err.ImportStack, pkgPath);
  return importer ? findImportLine(ctx, listing.byPath.get(importer), pkgPath) : undefined;
}

/** Import chain for messages: `a → b → c`. */
function importChain(stack, pkgPath) {
  const s = [...(stack ?? [])];
  if (s[s.length - 1] !== pkgPath) s.push(pkgPath);
  return s.join(' → ');
}

/** Make absolute paths under the inspected dir relative in a go message. */
function relativizeMessage(ctx, text) {
  const roots = [ctx.dir, ...ctx.probe.modules.map((m) => m.dir)].sort((a, b) => b.length - a.length);
  let out = text;
  for (const r of new Set(roots)) {
    if (!r || r === path.parse(r).root) continue;
    const rel = reportPath(ctx.dir, r);
    out = out.split(`${r}${path.sep}`).join(rel === '.' ? '' : `${rel}/`);
    out = out.split(r).join(rel);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merging: the same cause seen on several targets is ONE finding naming all of them.

class FindingMerger {
    entries = new Map();
  constructor(  targetOrder) {this.targetOrder = targetOrder;}

  /**
   * Add a finding seen on `target`. `{targets}` in the message or hint is replaced by the merged
   * target list, so a message can name the targets and still merge.
   */
  add(target, finding) {
    const t = typeof target === 'string' ? target : formatTarget(target);
    const key = JSON.stringify([finding.severity, finding.message, finding.hint ?? '', finding.file ?? '', finding.line ?? 0, finding.column ?? 0]);
    const e = this.entries.get(key);
    if (e) {
      if (!e.targets.includes(t)) e.targets.push(t);
    } else this.entries.set(key, { finding, targets: [t] });
  }

  findings() {
    const order = (t) => {
      const i = this.targetOrder.indexOf(t);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...this.entries.values()].map(({ finding, targets }) => {
      const list = targets.sort((a, b) => order(a) - order(b)).join(', ');
      const fill = (s) => s.split('{targets}').join(list);
      return { ...finding, message: fill(finding.message), ...(finding.hint ? { hint: fill(finding.hint) } : {}), target: list };
    });
  }
}

/**
 * Split CC / CGO_CFLAGS like go does (cmd/internal/quoted.Split): fields separated by spaces,
 * a field may be wrapped in '' or "" (no escapes inside), so `CC="zig cc -target x"` works.
 */
function splitQuoted(s) {
  const out = [];
  let i = 0;
  const space = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < s.length) {
    while (i < s.length && space(s[i])) i++;
    if (i >= s.length) break;
    const c = s[i];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) {
        out.push(s.slice(i + 1));
        break;
      }
      out.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !space(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

// `cgo`: for every target that builds with cgo, is a C toolchain for that target present and
// working? go only finds out deep into `go build` (after compiling every pure-Go package), with
// messages such as `cgo: C compiler "aarch64-linux-gnu-gcc" not found` or assembler errors from a
// host gcc fed arm64 code. We ask go for the target's effective CGO_ENABLED and CC (`go env`,
// one process per target), take the packages from the loader shared with the packages check,
// and then check CC exists, targets the right machine (`-dumpmachine`), really compiles a tiny
// C file with CGO_CFLAGS, and that `#cgo pkg-config:` packages are found.
// With cgo off, a package that only has cgo files (no pure-Go fallback) cannot build: reported
// here, not by the packages check (the rule is `cgoExclusion` in internal/go-list.ts).




// ---------------------------------------------------------------------------------------------
// Knowledge about C toolchains

/** The usual cross compiler for a target, with its Debian/Ubuntu package or project. */
const CROSS_CC = {
  'linux/arm64': { cc: 'aarch64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-aarch64-linux-gnu' },
  'linux/arm': { cc: 'arm-linux-gnueabihf-gcc', pkg: 'Debian/Ubuntu package gcc-arm-linux-gnueabihf' },
  'linux/amd64': { cc: 'x86_64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-x86-64-linux-gnu' },
  'linux/386': { cc: 'i686-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-i686-linux-gnu' },
  'linux/riscv64': { cc: 'riscv64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-riscv64-linux-gnu' },
  'linux/ppc64le': { cc: 'powerpc64le-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-powerpc64le-linux-gnu' },
  'linux/s390x': { cc: 's390x-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-s390x-linux-gnu' },
  'linux/mips': { cc: 'mips-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-mips-linux-gnu' },
  'linux/mipsle': { cc: 'mipsel-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-mipsel-linux-gnu' },
  'linux/mips64': { cc: 'mips64-linux-gnuabi64-gcc', pkg: 'Debian/Ubuntu package gcc-mips64-linux-gnuabi64' },
  'linux/mips64le': { cc: 'mips64el-linux-gnuabi64-gcc', pkg: 'Debian/Ubuntu package gcc-mips64el-linux-gnuabi64' },
  'linux/loong64': { cc: 'loongarch64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-loongarch64-linux-gnu' },
  'windows/amd64': { cc: 'x86_64-w64-mingw32-gcc', pkg: 'mingw-w64' },
  'windows/386': { cc: 'i686-w64-mingw32-gcc', pkg: 'mingw-w64' },
  'windows/arm64': { cc: 'aarch64-w64-mingw32-clang', pkg: 'llvm-mingw' },
  'darwin/amd64': { cc: 'o64-clang', pkg: 'osxcross' },
  'darwin/arm64': { cc: 'oa64-clang', pkg: 'osxcross' },
};

const ZIG_ARCH = { amd64: 'x86_64', '386': 'x86', arm64: 'aarch64', arm: 'arm', riscv64: 'riscv64', ppc64le: 'powerpc64le', s390x: 's390x', loong64: 'loongarch64', mips: 'mips', mipsle: 'mipsel', mips64: 'mips64', mips64le: 'mips64el' };
const ZIG_OS = { linux: 'linux-gnu', windows: 'windows-gnu', darwin: 'macos' };

function zigTarget(t) {
  const arch = ZIG_ARCH[t.goarch];
  const os = ZIG_OS[t.goos];
  if (!arch || !os) return undefined;
  return `${arch}-${t.goos === 'linux' && t.goarch === 'arm' ? 'linux-gnueabihf' : os}`;
}

/** How to get a C compiler for a target. */
function compilerHint(t, host) {
  const pair = formatTarget(t);
  const native = t.goos === host.goos && t.goarch === host.goarch;
  if (native) {
    if (t.goos === 'darwin') return 'install the Xcode command line tools (xcode-select --install), or set CC to a working compiler';
    if (t.goos === 'windows') return 'install a MinGW-w64 gcc (e.g. from MSYS2) and put it on PATH, or set CC';
    return `install ${defaultCC(t.goos)} (Debian/Ubuntu: apt-get install gcc), or set CC to a working compiler`;
  }
  const known = CROSS_CC[pair];
  const zig = zigTarget(t);
  const parts = [];
  if (known) parts.push(`install ${known.cc} (${known.pkg}) and build with CC=${known.cc} CGO_ENABLED=1`);
  else parts.push(`install a C cross compiler for ${pair} and build with CC=<it> CGO_ENABLED=1`);
  if (zig) parts.push(`or use CC="zig cc -target ${zig}"`);
  return parts.join(', ');
}

/** Does a compiler triple (`-dumpmachine`) produce code for the target? undefined: cannot tell. */
function tripleMatches(triple, t) {
  const tr = triple.trim().toLowerCase();
  const archRe = {
    amd64: /^(x86_64|amd64)\b/,
    // Go passes -m32 for 386, so a multilib x86_64 compiler is fine (the compile probe tells).
    '386': /^(i[3-6]86|x86_64|x86)\b/,
    arm64: /^(aarch64|arm64)/,
    arm: /^(arm(?!64)|thumb)/,
    riscv64: /^riscv64/,
    ppc64le: /^(powerpc64le|ppc64le)/,
    ppc64: /^(powerpc64|ppc64)(?!le)/,
    s390x: /^s390x/,
    mips: /^mips(?!el|64|isa64)/,
    mipsle: /^mipsel/,
    mips64: /^(mips64|mipsisa64)(?!el)/,
    mips64le: /^(mips64el|mipsisa64.*el)/,
    loong64: /^loongarch64/,
  };
  const osRe = {
    linux: /linux/,
    android: /android/,
    windows: /mingw|windows|cygwin|msys/,
    darwin: /apple|darwin|macos/,
    ios: /apple|darwin|ios/,
    freebsd: /freebsd/,
    netbsd: /netbsd/,
    openbsd: /openbsd/,
    dragonfly: /dragonfly/,
    solaris: /solaris/,
    illumos: /illumos|solaris/,
    aix: /aix/,
  };
  const os = osRe[t.goos];
  const arch = archRe[t.goarch];
  if (!os || !arch) return undefined;
  if (!os.test(tr)) return false;
  // Go passes `-arch` to clang on darwin, so one Apple clang builds both architectures.
  if (t.goos === 'darwin' || t.goos === 'ios') return /^(x86_64|arm64|aarch64)/.test(tr);
  return arch.test(tr);
}

/** The flags cmd/go adds for the target (gccArchArgs), so the probe compiles as the build will. */
function goArchFlags(t, env) {
  const darwin = t.goos === 'darwin' || t.goos === 'ios';
  switch (t.goarch) {
    case '386':
      return ['-m32'];
    case 'amd64':
      return darwin ? ['-arch', 'x86_64'] : ['-m64'];
    case 'arm64':
      return darwin ? ['-arch', 'arm64'] : [];
    case 'arm':
      return ['-marm'];
    case 's390x':
      return ['-m64', '-march=z196'];
    case 'mips64':
    case 'mips64le':
      return ['-mabi=64', env.GOMIPS64 === 'softfloat' ? '-msoft-float' : '-mhard-float'];
    case 'mips':
    case 'mipsle':
      return ['-mabi=32', '-mfp32', env.GOMIPS === 'softfloat' ? '-msoft-float' : '-mhard-float', '-mno-odd-spreg'];
    case 'loong64':
    case 'riscv64':
      return ['-mabi=lp64d'];
    case 'ppc64':
      return t.goos === 'aix' ? ['-maix64'] : [];
    default:
      return [];
  }
}

const PROBE_C = `#include <stdlib.h>
#include <string.h>
int go_preflight_probe(int n) {
  char *p = malloc(16);
  if (p) { memset(p, 0, 16); free(p); }
  return n + 1;
}
`;

/** `--sysroot=DIR`, `--sysroot DIR`, `-isysroot DIR`, `-isysrootDIR` in a list of flags. */
function sysrootDirs(flags) {
  const out = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    let m;
    if ((m = /^--sysroot=(.+)$/.exec(f))) out.push({ flag: '--sysroot', dir: m[1] });
    else if ((f === '--sysroot' || f === '-isysroot') && flags[i + 1]) out.push({ flag: f, dir: flags[++i] });
    else if ((m = /^-isysroot=?(.+)$/.exec(f))) out.push({ flag: '-isysroot', dir: m[1] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check






function memoExec(ctx, memo, cmd, args, cwd) {
  const key = JSON.stringify([cmd, args, cwd ?? '']);
  let p = memo.exec.get(key);
  if (!p) {
    p = ctx.exec(cmd, args, { cwd, env: ctx.env, signal: ctx.signal, timeoutMs: 30_000 }).then((r) => ({
      ok: r.code === 0 && !r.spawnError,
      out: r.stdout,
      err: r.stderr,
      failure: describeFailure(r),
    }));
    memo.exec.set(key, p);
  }
  return p;
}

/** The compiler's first error line (`x.c:1:10: fatal error: ...`), else its first line. */
function firstErrorLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /\berror\b/i.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

function describeUsers(users) {
  const own = users.filter((p) => !p.Standard).map((p) => p.ImportPath);
  const std = users.filter((p) => p.Standard).map((p) => p.ImportPath);
  const list = (xs) => xs.slice(0, 3).join(', ') + (xs.length > 3 ? ` and ${xs.length - 3} more` : '');
  if (own.length) return list(own);
  return `the standard library (${list(std)}) when cgo is on`;
}

/** Why cgo is off for a target, in words. */
async function whyOff(ctx, t, cgo, port, host) {
  if (port && !port.CgoSupported) return `${formatTarget(t)} has no cgo support`;
  if (ctx.env.CGO_ENABLED === '0') return 'CGO_ENABLED=0 is set';
  if (t.goos !== host.goos || t.goarch !== host.goarch) return 'go turns cgo off by default when cross compiling';
  // Native: go turns cgo off when CC is unset and the default compiler is missing; otherwise
  // the 0 comes from `go env -w CGO_ENABLED=0`.
  const cc = defaultCC(t.goos);
  if (!ctx.env.CC && !(await findExecutable(cc, ctx.env))) return `CC is unset and ${cc} is not on PATH, so go turns cgo off`;
  return 'CGO_ENABLED=0 is set (go env -w)';
}

const cgoCheck = {
  id: 'cgo',
  title: 'C toolchain for cgo',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { valid, modules, notes, skipReason } = await targetsAndModules(ctx);
    if (skipReason) return { findings: [], skipReason, notes };

    const ports = (await distList(ctx.go, ctx.signal)) ?? [];
    const host = { goos: ctx.probe.goEnv.GOHOSTOS || ctx.probe.host.goos, goarch: ctx.probe.goEnv.GOHOSTARCH || ctx.probe.host.goarch };
    const merger = new FindingMerger(valid.map(formatTarget));
    const memo = { exec: new Map() };

    const perTarget = await mapLimit(valid, 3, async (target) => {
      const [cgo, listings] = await Promise.all([
        cgoEnv(ctx, target),
        Promise.all(modules.map((m) => loadPackages(ctx, m, target, modules))).then((ls) => ls.filter((l) => l !== undefined)),
      ]);
      const port = ports.find((p) => p.GOOS === target.goos && p.GOARCH === target.goarch);
      return { target, cgo, listings, port };
    });

    for (const { target, cgo, listings, port } of perTarget) {
      const pair = formatTarget(target);
      if (cgo.error) notes.push(`go env failed for ${pair} (${cgo.error}); CGO_ENABLED computed like go does`);
      if (!cgo.enabled) {
        const needing = await checkCgoOff(ctx, target, cgo, port, listings, merger, host);
        if (needing === 0) notes.push(`cgo is off for ${pair}; no package needs it`);
        continue;
      }
      if (port && !port.CgoSupported) {
        merger.add(target, {
          severity: 'error',
          message: 'CGO_ENABLED=1 is set for {targets}, a port without cgo support',
          hint: 'unset CGO_ENABLED (or set CGO_ENABLED=0) when building for {targets}',
        });
        continue;
      }
      // Every package with cgo files in the build, standard ones included: with cgo on, net,
      // os/user and runtime/cgo are compiled with the C compiler too.
      const users = new Map();
      for (const l of listings) for (const p of l.packages) if (p.CgoFiles?.length && !p.Error) users.set(p.ImportPath, p);
      if (users.size === 0) {
        notes.push(`cgo is on for ${pair}; no package in the build uses it`);
        continue;
      }
      const ok = await checkToolchain(ctx, target, cgo, [...users.values()], merger, memo, host);
      await checkPkgConfig(ctx, target, cgo, [...users.values()], merger, memo);
      if (ok) notes.push(`cgo is on for ${pair}: ${ok}`);
    }
    return { findings: merger.findings(), notes };
  },
};

/** CC present, for the right machine, and able to compile. Returns a summary when all is well. */
async function checkToolchain(
  ctx,
  target,
  cgo,
  users,
  merger,
  memo,
  host,
) {
  const who = describeUsers(users);
  const argv = splitQuoted(cgo.CC);
  const hint = compilerHint(target, host);
  let ok = true;

  const flags = [...splitQuoted(cgo.CGO_CFLAGS), ...splitQuoted(cgo.CGO_LDFLAGS), ...argv.slice(1)];
  for (const { flag, dir } of sysrootDirs(flags)) {
    const isDir = await promises.stat(dir).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      ok = false;
      merger.add(target, {
        severity: 'error',
        message: `${flag} points at ${dir}, which does not exist (from CC/CGO_CFLAGS/CGO_LDFLAGS); the C compiler will not find the target's headers and libraries`,
        hint: `install the target sysroot at ${dir}, or fix ${flag} in CGO_CFLAGS/CGO_LDFLAGS`,
      });
    }
  }

  if (argv.length === 0) {
    merger.add(target, { severity: 'error', message: `CC is empty, but cgo is on for {targets} and ${who} uses cgo`, hint });
    return undefined;
  }
  const exe = await findExecutable(argv[0], ctx.env);
  if (!exe) {
    merger.add(target, {
      severity: 'error',
      message: `C compiler "${argv[0]}" (CC=${cgo.CC}) not found on PATH, but cgo is on for {targets} and ${who} uses cgo`,
      hint,
    });
    return undefined;
  }

  const dm = await memoExec(ctx, memo, exe, [...argv.slice(1), '-dumpmachine']);
  const triple = dm.ok ? dm.out.trim().split('\n')[0] ?? '' : '';
  if (triple && tripleMatches(triple, target) === false) {
    merger.add(target, {
      severity: 'error',
      message: `CC=${cgo.CC} builds for ${triple}, not for {targets}, but cgo is on and ${who} uses cgo`,
      hint,
    });
    return undefined;
  }

  memo.tmp ??= (async () => {
    const d = await ctx.tempDir('cgo');
    await promises.writeFile(path.join(d, 'probe.c'), PROBE_C);
    return d;
  })();
  const tmp = await memo.tmp;
  const archFlags = goArchFlags(target, ctx.env);
  const obj = `probe-${target.goos}-${target.goarch}.o`;
  const compile = await memoExec(ctx, memo, exe, [...argv.slice(1), ...archFlags, ...splitQuoted(cgo.CGO_CFLAGS), '-c', 'probe.c', '-o', obj], tmp);
  if (!compile.ok) {
    const line = firstErrorLine(compile.err || compile.out) || compile.failure;
    merger.add(target, {
      severity: 'error',
      message: `CC=${cgo.CC} cannot compile C for {targets}: ${line}`,
      hint: target.goarch === '386' && host.goarch === 'amd64' && target.goos === host.goos
        ? `install 32-bit C headers and libraries (Debian/Ubuntu: apt-get install gcc-multilib), or ${hint}`
        : `check CC and CGO_CFLAGS for {targets}; ${hint}`,
    });
    return undefined;
  }
  return ok ? `${cgo.CC}${triple ? ` (${triple})` : ''} compiles C for it` : undefined;
}

/**
 * A `#cgo pkg-config:` name go itself would pass to pkg-config (cmd/go's load.SafeArg: it starts
 * with a letter, digit, `.`, `_`, `/` or a non-ASCII byte). Any other name (`--define-variable=...`)
 * is refused by go build and never reaches pkg-config here either: it would be read as an option.
 */
function safePkgConfigName(name) {
  return /^[0-9A-Za-z._/\u0080-\uffff]/.test(name);
}

/** `#cgo pkg-config:` packages exist for the pkg-config go will run. */
async function checkPkgConfig(ctx, target, cgo, users, merger, memo) {
  const wanted = users.filter((p) => !p.Standard && p.CgoPkgConfig?.some(safePkgConfigName));
  if (wanted.length === 0) return;
  const argv = splitQuoted(cgo.PKG_CONFIG || 'pkg-config');
  const exe = argv[0] ? await findExecutable(argv[0], ctx.env) : undefined;
  for (const pkg of wanted) {
    for (const name of (pkg.CgoPkgConfig ?? []).filter(safePkgConfigName)) {
      const pos = await pkgConfigPosition(ctx, pkg, name);
      if (!exe) {
        merger.add(target, {
          severity: 'error',
          message: `${pkg.ImportPath} needs pkg-config (#cgo pkg-config: ${name}), but "${argv[0] ?? 'pkg-config'}" is not on PATH`,
          hint: 'install pkg-config (Debian/Ubuntu: apt-get install pkg-config), or set PKG_CONFIG to the pkg-config for {targets}',
          ...(pos ?? {}),
        });
        continue;
      }
      const r = await memoExec(ctx, memo, exe, [...argv.slice(1), '--exists', '--', name]);
      if (!r.ok) {
        merger.add(target, {
          severity: 'error',
          message: `pkg-config cannot find package ${name}, needed by ${pkg.ImportPath} (#cgo pkg-config)`,
          hint: `install the development package that provides ${name}.pc (Debian/Ubuntu: usually lib${name.replace(/^lib/, '')}-dev), or add the directory holding ${name}.pc to PKG_CONFIG_PATH`,
          ...(pos ?? {}),
        });
      }
    }
  }
}

async function pkgConfigPosition(ctx, pkg, name) {
  if (!pkg.Dir) return undefined;
  for (const f of pkg.CgoFiles ?? []) {
    const abs = path.join(pkg.Dir, f);
    const src = await readSource(ctx, abs);
    const at = src !== undefined ? cgoPkgConfigLine(src, name) : undefined;
    if (at) return { file: reportPath(ctx.dir, abs), ...at };
  }
  return undefined;
}

/** Packages in the build that need cgo while it is off (and have no pure-Go fallback). */
async function checkCgoOff(
  ctx,
  target,
  cgo,
  port,
  listings,
  merger,
  host,
) {
  let count = 0;
  const why = await whyOff(ctx, target, cgo, port, host);
  for (const listing of listings) {
    for (const pkg of listing.packages) {
      if (!(await cgoExclusion(ctx, pkg, target, cgo))) continue;
      const err = pkg.Error;
      const pos = await importPosition(ctx, listing, pkg.ImportPath, err);
      const chain = importChain(err.ImportStack, pkg.ImportPath);
      const noCgoPort = port && !port.CgoSupported;
      const f = {
        severity: 'error',
        message: `${pkg.ImportPath} needs cgo and has no pure-Go fallback, but cgo is off for {targets} (${why}): ${chain}`,
        hint: noCgoPort
          ? `add a pure-Go implementation (a file with //go:build !cgo) to ${pkg.ImportPath}, or drop {targets}`
          : cgo.explicit || (target.goos === host.goos && target.goarch === host.goarch)
            ? `build with CGO_ENABLED=1 (and a working C compiler: ${compilerHint(target, host)}), or add a //go:build !cgo fallback`
            : `build with CGO_ENABLED=1 and a C cross compiler: ${compilerHint(target, host)}; or add a //go:build !cgo fallback`,
        ...(insideRepo(ctx, pos) ?? {}),
      };
      merger.add(target, f);
      count++;
    }
  }
  return count;
}

function insideRepo(ctx, pos) {
  if (!pos || pos.file.startsWith('../')) return undefined;
  return pos;
}

const SEVERITIES$1 = ['error', 'warning', 'notice'];

const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 };

/** The question each check answers (the contract's table): SARIF rule descriptions. */
const CHECK_QUESTIONS = {
  toolchain:
    'Is the running Go the one this repo asks for (go.mod/go.work go and toolchain lines, .go-version, .tool-versions, the go-version input), and is go on PATH the one GOROOT says?',
  'go-env':
    'Are the Go environment variables and caches sane (GO111MODULE, GOFLAGS, GOPROXY, GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE, GOCACHE/GOMODCACHE writable, GOWORK)?',
  'mod-verify': 'Do go.sum and the module cache agree with what was published (download, then go mod verify)?',
  'mod-tidy': 'Are go.mod and go.sum tidy for every module in the repo?',
  vendor: 'Is vendor/ consistent with go.mod when vendoring is in use?',
  modules:
    'Is the module graph buildable here: local replace targets exist, go.work use dirs exist, the module path fits the repository, no dependency needs a newer Go?',
  'git-clean': 'Is the working tree clean (no modified, staged or untracked files)?',
  targets: 'Is every GOOS/GOARCH target a pair that this Go supports?',
  packages:
    'Do the packages load for every target (no "no Go files", build-constraint exclusions, missing modules or go.sum entries, package main without func main)?',
  cgo: 'For every target that builds with cgo, is a C toolchain for that target present and working (CC, cross compiler, pkg-config packages)?',
  secrets: 'Are there credentials committed in tracked files?',
};

/** Titles used when a report lacks a check (SARIF still lists every rule). */
const DEFAULT_TITLES = {
  toolchain: 'Go toolchain',
  'go-env': 'Go environment',
  'mod-verify': 'Module checksums',
  'mod-tidy': 'go.mod tidy',
  vendor: 'Vendor directory',
  modules: 'Module graph',
  'git-clean': 'Clean working tree',
  targets: 'Build targets',
  packages: 'Packages load',
  cgo: 'cgo toolchain',
  secrets: 'Committed secrets',
};

 

function countBySeverity(findings) {
  const c = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) if (f.severity in c) c[f.severity]++;
  return c;
}

function countAll(checks) {
  const c = { error: 0, warning: 0, notice: 0 };
  for (const check of checks) {
    const k = countBySeverity(check.findings);
    c.error += k.error;
    c.warning += k.warning;
    c.notice += k.notice;
  }
  return c;
}

/**
 * `4512` -> `4,512`, the same on every machine locale. Not Intl.NumberFormat: creating one loads
 * ICU data, about 45 ms of start-up on a CI runner.
 */
function formatNumber(n) {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac.slice(0, 3)}` : ''}`;
}

/** `1 error`, `3 warnings`, `4,512 notices`. */
function plural(n, word) {
  return `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` (zero counts left out); '' when there is nothing. */
function formatCounts(c) {
  return SEVERITIES$1.filter((s) => c[s] > 0)
    .map((s) => plural(c[s], s))
    .join(', ');
}

/** `812 ms`, `1.2 s`, `2 min 5 s`. */
function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
}

function utf8Bytes(s) {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` whose UTF-8 encoding fits `maxBytes`, never splitting a character. */
function truncateUtf8(s, maxBytes) {
  if (maxBytes <= 0) return '';
  if (utf8Bytes(s) <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/** Cut `s` to `max` UTF-16 units, ending with `…` when cut; never splits a surrogate pair. */
function truncateChars(s, max) {
  if (s.length <= max) return s;
  if (max <= 1) return s.slice(0, Math.max(0, max));
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** `sub\dir`, `./sub/dir`, `sub/dir/` -> `sub/dir/`; `''`, `.`, `./` -> `''`. */
function normalizePrefix(prefix) {
  if (!prefix) return '';
  let p = prefix.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/{2,}/g, '/');
  if (p === '' || p === '.') return '';
  return p.endsWith('/') ? p : `${p}/`;
}

/** A finding's file seen from the repository root: prefix + file, forward slashes. */
function prefixedPath(prefix, file) {
  const p = normalizePrefix(prefix);
  const f = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (f === '' || f === '.') return p === '' ? '.' : p.slice(0, -1);
  return `${p}${f}`;
}

/** A positive 1-based position, or undefined for anything else (0, NaN, negative, non-integer). */
function position(n) {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A non-empty string, or undefined. */
function present(s) {
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/** `go.mod:3:1`, `go.mod:3`, `go.mod`, or '' when the finding has no file. */
function formatLocation(f, prefix) {
  const file = present(f.file);
  if (!file) return '';
  const line = position(f.line);
  const col = line ? position(f.column) : undefined;
  return `${prefixedPath(prefix, file)}${line ? `:${line}` : ''}${col ? `:${col}` : ''}`;
}

/** Order inside one check and level: by file, line, column, findings without a file last (stable). */
function compareByLocation(a, b) {
  const fa = present(a.file);
  const fb = present(b.file);
  if (fa !== fb) {
    if (fa === undefined) return 1;
    if (fb === undefined) return -1;
    return fa < fb ? -1 : 1;
  }
  const la = position(a.line) ?? 0;
  const lb = position(b.line) ?? 0;
  if (la !== lb) return la - lb;
  return (position(a.column) ?? 0) - (position(b.column) ?? 0);
}

/** Order inside one check, as the runner sorts: errors, warnings, notices, then by location. */
function compareFindings(a, b) {
  return (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || compareByLocation(a, b);
}

/** Checks that could not complete or were skipped carry a reason; the others do not. */
function hasReason(status) {
  return status === 'skip' || status === 'error';
}

/** A reason for a skip/error status even when the result lacks one. */
function reasonOf(check) {
  const r = present(check.skipReason);
  if (r) return r;
  return check.status === 'error' ? 'the check could not complete' : 'skipped';
}

// Text printed to a workflow log is read by the runner, line by line, twice:
// - setup-go registers a `go` problem matcher, ^\s*(.+\.go):(?:(\d+):(\d+):)? (.*), that stays
//   active for every later step of the job: any line holding `x.go: ` or `x.go:12:3: ` becomes an
//   extra error annotation and eats the 10-per-step budget (anchors.md §6.1);
// - the runner runs workflow commands: `::cmd::` at a line start after leading spaces, and the
//   legacy `##[cmd]` anywhere in a line (actions/runner ActionCommand.TryParseV2 / TryParse), so a
//   finding quoting a file that holds `::add-mask::` or `##[error]` would act on the job.
const GO_MATCHER_SHAPE = /\.go:(?=(?:\d+:\d+:)? )/g;
/** `x.go:12:` as the first word of a line: the shape other Go matchers (file:line: msg) look for. */
const GO_POSITION_AT_START = /^(\s*\S*?\.go):(?=\d)/;
const LEGACY_COMMAND = /##\[/g;
const COMMAND_AT_START = /^(\s*)::/;
/** WORD JOINER: invisible, and not white space for the runner's TrimStart. */
const JOINER = '\u2060';

/**
 * Make one line of log text inert for the problem matcher and the runner's command parser while
 * it reads the same: a WORD JOINER goes between `.go` and `:` (where a matcher would see a Go
 * position), inside `##[`, and before a leading `::`.
 */
function defuseLogLine(line) {
  return line
    .replace(GO_MATCHER_SHAPE, `.go${JOINER}:`)
    .replace(GO_POSITION_AT_START, `$1${JOINER}:`)
    .replace(LEGACY_COMMAND, `##${JOINER}[`)
    .replace(COMMAND_AT_START, `$1${JOINER}::`);
}

/**
 * JSON.stringify with 2 spaces and a trailing newline, where `.go:` and `##[` inside strings are
 * written `.go\u003a` and `##\u005b`: the same value for every JSON parser, but a report printed
 * to a log (`--format json` in a workflow step) feeds neither setup-go's problem matcher nor the
 * runner's command parser. Structural colons and brackets never follow `.go` or `##`, and no line
 * of pretty-printed JSON starts with `::`, so only string contents change.
 */
function stringifyJson(value) {
  return `${JSON.stringify(value, null, 2)
    .replace(GO_MATCHER_SHAPE, '.go\\u003a')
    .replace(LEGACY_COMMAND, '##\\u005b')}\n`;
}

/**
 * Any text as inline code in GitHub markdown, safe in a table cell and a list item: an HTML
 * `<code>` element whose content has every character that markdown or HTML would act on written
 * as an entity (a backtick cannot close it, `|` cannot split a table row, `<` cannot open a tag),
 * and line breaks shown as `↵` (a newline would end the table row).
 */
function markdownCode(s) {
  return `<code>${markdownText(s)}</code>`;
}

/** Any text as plain inline text in GitHub markdown, safe in a table cell (see markdownCode). */
function markdownText(s) {
  return s.replace(/\r\n|\r|\n/g, '↵').replace(/[&<>`|\\*_[\]~$]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Findings are grouped by module when they concern at least this many modules. */
const MODULE_GROUP_MIN = 4;

/** Module of a finding for grouping: its `module`, `.` for the root. */
function moduleOf(f) {
  const m = present(f.module)?.replace(/\\/g, '/');
  return m === undefined ? undefined : m === '' ? '.' : m;
}

/** The modules a check's findings concern, when there are enough of them to group by. */
function groupedModules(findings) {
  const mods = new Set();
  for (const f of findings) {
    const m = moduleOf(f);
    if (m !== undefined) mods.add(m);
  }
  return mods.size >= MODULE_GROUP_MIN ? [...mods].sort() : undefined;
}

/** Order for grouping: by module (findings without one last), then as usual. */
function compareByModule(a, b) {
  const ma = moduleOf(a) ?? '\uffff';
  const mb = moduleOf(b) ?? '\uffff';
  return ma < mb ? -1 : ma > mb ? 1 : compareFindings(a, b);
}

/** Checks whose work is per module: a passing one over many modules says "N modules, all clean". */
const MODULE_CHECKS = new Set(['mod-verify', 'mod-tidy', 'vendor', 'modules', 'packages']);

/** `12 modules, all clean` for a passing module-level check of a multi-module report, else ''. */
function cleanModulesNote(report, check) {
  const n = report.modules?.length ?? 0;
  if (n < 2 || !MODULE_CHECKS.has(check.id) || check.status !== 'pass') return '';
  return `${formatNumber(n)} modules, all clean`;
}

/** `3 other modules clean` under a failing module-level check's grouped findings, else ''. */
function otherModulesNote(report, check, grouped) {
  const all = report.modules;
  if (!grouped || !all || !MODULE_CHECKS.has(check.id)) return '';
  const clean = all.filter((m) => !grouped.includes(m)).length;
  return clean > 0 ? `${formatNumber(clean)} other module${clean === 1 ? '' : 's'} clean` : '';
}

// git-clean: is the working tree clean (no modified, staged, deleted or untracked files)?
//
// Uses `git status --porcelain=v2 -z`, which is stable across git versions and locales, through
// runGit (core/git.ts): no optional locks (git does not refresh, i.e. write, the index of the
// inspected repo) and none of the repository's fsmonitor, filter or hook programs run.















/** Parse `git status --porcelain=v2 -z` output; undefined when it is not that format. */
function parsePorcelainV2(out) {
  const entries = [];
  if (out && !out.endsWith('\0')) return undefined;
  const parts = out.split('\0');
  parts.pop();
  const xy = (f) => (f && /^[.MTADRCU?!]{2}$/.test(f) ? f : undefined);
  for (let i = 0; i < parts.length; i++) {
    const rec = parts[i];
    const type = rec[0];
    const f = rec.split(' ');
    if ((type === '?' || type === '!') && rec[1] === ' ' && rec.length > 2) {
      if (type === '?') entries.push({ path: rec.slice(2), x: '?', y: '?', kind: 'untracked', submodule: false });
    } else if (type === '1' && f.length >= 9 && xy(f[1])) {
      // 1 XY sub mH mI mW hH hI path
      entries.push({ path: f.slice(8).join(' '), x: f[1][0], y: f[1][1], kind: 'changed', submodule: f[2].startsWith('S') });
    } else if (type === '2' && f.length >= 10 && xy(f[1]) && i + 1 < parts.length) {
      // 2 XY sub mH mI mW hH hI Xscore path \0 origPath
      const from = parts[++i];
      entries.push({ path: f.slice(9).join(' '), from, x: f[1][0], y: f[1][1], kind: 'renamed', submodule: f[2].startsWith('S') });
    } else if (type === 'u' && f.length >= 11 && xy(f[1])) {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      entries.push({ path: f.slice(10).join(' '), x: f[1][0], y: f[1][1], kind: 'unmerged', submodule: f[2].startsWith('S') });
    } else if (type === '#') ; else return undefined;
  }
  return entries;
}

const WORDS = {
  M: 'modified',
  T: 'changed type',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
};

/** Human words for an entry's state: "untracked", "modified (not staged)", "staged (added)"... */
function describeState(e) {
  if (e.kind === 'untracked') return 'untracked';
  if (e.kind === 'unmerged') return 'in a merge conflict';
  const parts = [];
  if (e.x !== '.') parts.push(`staged (${WORDS[e.x] ?? e.x}${e.from && e.kind === 'renamed' ? ` from ${e.from}` : ''})`);
  if (e.y !== '.') parts.push(`${WORDS[e.y] ?? e.y} (not staged)`);
  return parts.join(', ');
}

/** Glob to RegExp: `**` any path, `*` any run within a segment, `?` one char; a pattern without `/` matches a base name anywhere. */
function globToRegExp$2(glob) {
  let g = glob.trim().replace(/\\/g, '/');
  const anchored = g.includes('/');
  g = g.replace(/^\.\//, '').replace(/^\//, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
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

const gitCleanCheck = {
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
    const r = await runGit$1(args, { exec: ctx.exec, cwd: ctx.dir, env: ctx.env, signal: ctx.signal, timeoutMs: 120_000, worktree: true });
    if (r.code !== 0 || r.truncated) throw new ToolFailure(describeFailure(r));
    const entries = parsePorcelainV2(r.stdout);
    if (entries === undefined) throw new ToolFailure(`git status printed something that is not its porcelain v2 format (${JSON.stringify(r.stdout.slice(0, 60))}); cannot tell whether the tree is clean`);
    const allow = ((ctx.options.allow ) ?? []).map(globToRegExp$2);
    const findings = [];
    const rows = [];
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
    const notes = [];
    if (ctx.probe.git.shallow) notes.push('shallow clone (actions/checkout default fetch-depth: 1): fine for this check');
    if (allowed) notes.push(`${allowed} changed file(s) allowed by checks.git-clean.allow`);
    const details = rows.length ? `| file | state |\n|---|---|\n${rows.join('\n')}` : undefined;
    return { findings, notes, details };
  },
};

// modules: is the module graph buildable here? Everything is read from the probe (go.mod / go.work
// as `go mod edit -json` sees them) and from files already on disk (the module cache); this check
// never downloads anything, so it answers the same offline as online.


// ---------------------------------------------------------------------------------------------
// Module cache helpers (shared with the go-env check).

/**
 * Go's case encoding for module paths and versions in the module cache and the proxy protocol
 * (golang.org/x/mod/module.EscapePath): an upper-case letter becomes `!` + its lower case, so the
 * cache works on case-insensitive file systems.
 */
function escapeModulePath$1(p) {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** GOMODCACHE as go computes it: the variable, else the first GOPATH entry + /pkg/mod. */
function moduleCacheDir(goEnv) {
  if (goEnv.GOMODCACHE) return goEnv.GOMODCACHE;
  const first = (goEnv.GOPATH ?? '').split(path.delimiter).find(Boolean);
  return first ? path.join(first, 'pkg', 'mod') : undefined;
}

/** `$GOMODCACHE/cache/download/<escaped path>/@v`. */
function cacheVersionDir(gomodcache, modulePath) {
  return path.join(gomodcache, 'cache', 'download', ...escapeModulePath$1(modulePath).split('/'), '@v');
}

/** `$GOMODCACHE/cache/download/<escaped path>/@v/<escaped version>.<ext>`. */
function cacheFile(gomodcache, modulePath, version, ext) {
  return path.join(cacheVersionDir(gomodcache, modulePath), `${escapeModulePath$1(version)}.${ext}`);
}

async function readText(p) {
  try {
    return await promises.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}


async function isFile(p) {
  try {
    return (await promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A `replace` whose new side is a directory (`=> ../x`): no version on the right. */
function isLocalReplacement(r) {
  return !r.New.Version;
}

/** The go.work really in effect (GOWORK not off and the file read by the probe). */
function activeWork(probe) {
  return probe.goEnv.GOWORK && probe.goEnv.GOWORK !== 'off' ? probe.work : undefined;
}

 

















/**
 * Every require of every module, with `replace` applied as go applies it: in workspace mode the
 * go.work replaces win over go.mod replaces, and requires of workspace modules are satisfied locally.
 */
function resolvedRequires(probe) {
  const work = activeWork(probe);
  const workspacePaths = new Set(work ? probe.modules.filter((m) => m.inWorkspace && m.path).map((m) => m.path) : []);
  const out = [];
  for (const m of probe.modules) {
    const json = m.json;
    if (!json) continue;
    const replaces = [];
    if (work && m.inWorkspace) for (const r of work.json?.Replace ?? []) replaces.push({ r, base: work.dir });
    for (const r of json.Replace ?? []) replaces.push({ r, base: m.dir });
    for (const req of json.Require ?? []) {
      let target;
      const rep = replaces.find(({ r }) => r.Old.Path === req.Path && (!r.Old.Version || r.Old.Version === req.Version));
      if (m.inWorkspace && workspacePaths.has(req.Path)) target = { kind: 'workspace' };
      else if (rep && isLocalReplacement(rep.r)) target = { kind: 'local', dir: path.resolve(rep.base, rep.r.New.Path) };
      else if (rep) target = { kind: 'module', path: rep.r.New.Path, version: rep.r.New.Version };
      else target = { kind: 'module', path: req.Path, version: req.Version };
      out.push({ module: m, path: req.Path, version: req.Version, indirect: !!req.Indirect, line: requireLine(m.directives, req.Path), target });
    }
  }
  return out;
}

/** `go` line of a go.mod text (the first `go` directive), or undefined. */
function goLineOf(text) {
  return findDirective(parseModDirectives(text), 'go')?.args[0];
}

// ---------------------------------------------------------------------------------------------
// The repository this checkout is (GITHUB_REPOSITORY or the `origin` remote).














/** Parse a git remote URL: `https://host/o/r(.git)`, `ssh://git@host:22/o/r.git`, scp form `git@host:o/r.git`. */
function parseRemoteUrl(url) {
  const u = url.trim();
  let host;
  let p;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    try {
      const parsed = new URL(u);
      host = parsed.hostname;
      p = decodeURIComponent(parsed.pathname);
    } catch {
      return undefined;
    }
  } else {
    // scp-like syntax: [user@]host:path (git only treats it so when no slash comes before the colon).
    const m = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(u);
    if (!m) return undefined;
    host = m[1];
    p = m[2];
  }
  p = p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  // A local path or a drive letter is not a hosted repository.
  if (!host.includes('.') || !p.includes('/')) return undefined;
  return { host: host.toLowerCase(), path: p };
}

async function eventRepository(env) {
  if (!env.GITHUB_EVENT_PATH) return {};
  const text = await readText(env.GITHUB_EVENT_PATH);
  if (!text) return {};
  try {
    const repo = (JSON.parse(text) ).repository;
    return {
      isPrivate: typeof repo?.private === 'boolean' ? repo.private : undefined,
      isFork: typeof repo?.fork === 'boolean' ? repo.fork : undefined,
    };
  } catch {
    return {};
  }
}

/** This checkout's repository: GITHUB_REPOSITORY on a runner, else the `origin` remote. */
async function repositoryIdentity(ctx) {
  let found;
  const ghRepo = ctx.env.GITHUB_REPOSITORY?.trim();
  if (ghRepo && /^[^/\s]+\/[^/\s]+$/.test(ghRepo)) {
    let host = 'github.com';
    try {
      if (ctx.env.GITHUB_SERVER_URL) host = new URL(ctx.env.GITHUB_SERVER_URL).hostname.toLowerCase() || host;
    } catch {
      /* keep github.com */
    }
    found = { host, path: ghRepo, source: 'GITHUB_REPOSITORY' };
  } else if (ctx.probe.git.isRepo) {
    const r = await runGit$1(['config', '--get', 'remote.origin.url'], {
      exec: ctx.exec,
      cwd: ctx.dir,
      env: ctx.env,
      signal: ctx.signal,
      timeoutMs: 30_000,
    });
    const parsed = r.code === 0 ? parseRemoteUrl(r.stdout) : undefined;
    if (parsed) found = { ...parsed, source: 'the origin remote' };
  }
  if (!found) return undefined;
  return { ...found, owner: found.path.split('/')[0], ...(await eventRepository(ctx.env)) };
}

// ---------------------------------------------------------------------------------------------
// Semantic versions (for retractions).






function parseSemver(v) {
  const m = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) return undefined;
  return { nums: [m[1], m[2], m[3]], pre: m[4] ? m[4].split('.') : [] };
}

function cmpNum(a, b) {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver order; invalid versions sort first. */
function compareSemver(a, b) {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  for (let i = 0; i < 3; i++) {
    const c = cmpNum(x.nums[i], y.nums[i]);
    if (c) return c;
  }
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    const c = pn && qn ? cmpNum(p, q) : pn ? -1 : qn ? 1 : p < q ? -1 : p > q ? 1 : 0;
    if (c) return c;
  }
  return 0;
}

/** `retract` directives of a go.mod text as [low, high] ranges with their rationale. */
function parseRetractions(text) {
  const out = [];
  for (const d of parseModDirectives(text)) {
    if (d.verb !== 'retract') continue;
    const spec = d.args.join('');
    const range = /^\[([^,\]]+),([^\]]+)\]$/.exec(spec);
    if (range) out.push({ low: range[1], high: range[2], rationale: d.comment });
    else if (spec) out.push({ low: spec, high: spec, rationale: d.comment });
  }
  return out;
}

/** The `Deprecated:` paragraph in the comment above or after the `module` directive. */
function parseDeprecation(text) {
  const lines = text.split('\n');
  const idx = lines.findIndex((l) => /^\s*module[\s(]/.test(l));
  if (idx < 0) return undefined;
  const comments = [];
  for (let i = idx - 1; i >= 0 && /^\s*\/\//.test(lines[i]); i--) comments.unshift(lines[i].replace(/^\s*\/\/\s?/, ''));
  const trailing = /\/\/\s?(.*)$/.exec(lines[idx]);
  if (trailing) comments.push(trailing[1]);
  const start = comments.findIndex((c) => /^\s*Deprecated:/.test(c));
  if (start < 0) return undefined;
  const para = [];
  for (let i = start; i < comments.length && comments[i].trim() !== ''; i++) para.push(comments[i].trim());
  return para.join(' ').replace(/^Deprecated:\s*/, '').trim() || 'deprecated';
}

// ---------------------------------------------------------------------------------------------
// The check.

function parseErrorPosition(msg) {
  const m = /go\.(?:mod|work):(\d+)(?::(\d+))?: (.+)$/m.exec(msg);
  if (!m) return { text: msg.replace(/^go: /, '').split('\n').filter(Boolean).join(' ') };
  return { line: Number(m[1]), column: m[2] ? Number(m[2]) : undefined, text: m[3].trim() };
}

/** The latest version whose go.mod is in the cache, with its text. */
async function latestCachedGoMod(gomodcache, modulePath) {
  const dir = cacheVersionDir(gomodcache, modulePath);
  let names;
  try {
    names = await promises.readdir(dir);
  } catch {
    return undefined;
  }
  const versions = new Set();
  for (const n of names) if (n.endsWith('.mod')) versions.add(n.slice(0, -4));
  // Only versions whose go.mod we hold count (the cache's `list` file names versions we cannot read).
  const sorted = [...versions]
    .map((escaped) => ({ escaped, version: escaped.replace(/!([a-z])/g, (_, c) => c.toUpperCase()) }))
    .filter((v) => parseSemver(v.version))
    .sort((a, b) => compareSemver(a.version, b.version));
  // Go reads retractions and deprecations from the latest release (prereleases only when no release exists).
  const releases = sorted.filter((v) => !parseSemver(v.version).pre.length);
  const latest = (releases.length ? releases : sorted).at(-1);
  if (!latest) return undefined;
  const text = await readText(path.join(dir, `${latest.escaped}.mod`));
  return text === undefined ? undefined : { version: latest.version, text };
}

/** The Go release that added each go.mod/go.work directive (older Go fails to parse the file). */
const DIRECTIVE_SINCE = { retract: '1.16', toolchain: '1.21', godebug: '1.23', tool: '1.24', ignore: '1.25' };

function directiveHint(directive, goVersion) {
  const since = directive ? DIRECTIVE_SINCE[directive] : undefined;
  if (since) {
    return `The ${directive} directive needs Go ${since} or newer and this build runs ${goVersion}: build with Go ${since}+ (actions/setup-go, and raise the go line to ${since} so older Go switches or says why), or remove the ${directive} line.`;
  }
  return `This Go (${goVersion}) does not know that directive: remove the line, or build with the Go version that added it.`;
}

const modulesCheck = {
  id: 'modules',
  title: 'Module graph',
  needs: ['go', 'module', 'env'],
  async run(ctx) {
    const findings = [];
    const { probe } = ctx;
    const work = activeWork(probe);
    // Where the checkout ends: a CI checkout usually holds this repository only.
    const checkoutRoot = probe.git.isRepo && probe.git.root ? probe.git.root : ctx.dir;
    const checkoutName = probe.git.isRepo ? 'the git repository' : 'the inspected directory';
    const running = buildGoVersion(probe); // the Go the build runs (a GOTOOLCHAIN switch included)
    const gomodcache = moduleCacheDir(probe.goEnv);
    const repoModuleDirs = new Set(probe.modules.map((m) => path.resolve(m.dir)));

    // go.mod files `go mod edit -json` could not read.
    for (const m of probe.modules) {
      if (!m.parseError) continue;
      if (m.refused) {
        findings.push({
          severity: 'error',
          message: m.refused,
          hint: 'Commit it as a regular file of the repository: go follows a symlink out of it and reads (and prints) whatever it points at. go-preflight runs no go command on this module.',
          file: m.goModFile,
          ruleId: 'repo-file-refused',
        });
        continue;
      }
      const pos = parseErrorPosition(m.parseError);
      findings.push({
        severity: 'error',
        message: `${m.goModFile} cannot be parsed: ${pos.text}`,
        hint: /unknown directive/.test(pos.text)
          ? directiveHint(/unknown directive: (\S+)/.exec(pos.text)?.[1], buildGoVersion(probe, m))
          : `Fix ${m.goModFile}${pos.line ? ` line ${pos.line}` : ''}; \`go mod edit -fmt\` shows whether the file parses.`,
        file: m.goModFile,
        ...(pos.line ? { line: pos.line } : {}),
        ...(pos.column ? { column: pos.column } : {}),
        ruleId: 'gomod-parse',
      });
    }
    if (work?.parseError) {
      const pos = parseErrorPosition(work.parseError);
      findings.push({
        severity: 'error',
        message: `${work.relFile} cannot be parsed: ${pos.text}`,
        hint: `Fix ${work.relFile}${pos.line ? ` line ${pos.line}` : ''}, or set GOWORK=off if the workspace is not meant for this build.`,
        file: work.relFile,
        ...(pos.line ? { line: pos.line } : {}),
        ruleId: 'gowork-parse',
      });
    }

    // Local replacements (go.mod and go.work).
    const checkReplace = async (
      r,
      base,
      file,
      directives,
      owner,
      requirers,
    ) => {
      if (!isLocalReplacement(r)) return;
      const target = path.resolve(base, r.New.Path);
      const at = replaceLine(directives, r.Old.Path, r.Old.Version);
      const where = { file, ...(at ? { line: at.line, column: at.column } : {}) };
      const old = `${r.Old.Path}${r.Old.Version ? ` ${r.Old.Version}` : ''}`;
      // go reads a replacement only when the module is in the graph. Since go 1.17 go.mod lists every
      // module of the (pruned) graph, so a replace of a module no go.mod requires is dormant.
      const used = requirers.some(
        (m) =>
          !m.goLine ||
          compareGo(m.goLine, '1.17') < 0 ||
          (m.json?.Require ?? []).some((q) => q.Path === r.Old.Path && (!r.Old.Version || q.Version === r.Old.Version)),
      );
      if (!(await isDirectory(target))) {
        findings.push({
          severity: used ? 'error' : 'notice',
          message: used
            ? `${file} replaces ${old} with ${r.New.Path}, which does not exist: every build fails with "replacement directory ${r.New.Path} does not exist"`
            : `${file} replaces ${old} with ${r.New.Path}, which does not exist (harmless while nothing requires ${r.Old.Path}, fatal once something does)`,
          hint: isInside(checkoutRoot, target)
            ? `Create or commit ${reportPath(ctx.dir, target)}, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`
            : `Check out the replacement next to this repository in CI, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-missing',
        });
        return;
      }
      const targetGoMod = path.join(target, 'go.mod');
      // A replacement outside the repository is go's to read too; one inside it that links out is refused.
      const read = await tryReadRepoFile(targetGoMod, { root: probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.goMod, allowOutside: true });
      if (read && 'error' in read) {
        findings.push({
          severity: 'error',
          message: `${file} replaces ${old} with ${r.New.Path}, whose ${describeUnsafeRead(read.error, reportPath(ctx.dir, targetGoMod))}`,
          hint: `Commit ${reportPath(ctx.dir, targetGoMod)} as a regular file, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-unreadable',
        });
        return;
      }
      const text = read?.text;
      if (text === undefined) {
        findings.push({
          severity: used ? 'error' : 'notice',
          message: `${file} replaces ${old} with ${r.New.Path}, which has no go.mod: ${used ? 'go fails' : `once something requires ${r.Old.Path}, go fails`} with "reading ${r.New.Path}/go.mod: no such file or directory"`,
          hint: `Point the replace directive at the module's root directory (the one holding go.mod), or run \`go mod init ${r.Old.Path}\` there.`,
          ...where,
          ruleId: 'replace-no-gomod',
        });
        return;
      }
      if (!used) return;
      if (!isInside(checkoutRoot, target)) {
        findings.push({
          severity: 'warning',
          message: `${file} replaces ${old} with ${r.New.Path}, outside ${checkoutName}: a CI checkout holds only this repository, so the build there fails`,
          hint: `Check the replacement out in CI too (a second actions/checkout with path:), or require a published version and drop the replace: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-outside',
        });
      }
      // A local module that is not one of ours (the toolchain check covers those) may need a newer Go.
      const goLine = goLineOf(text);
      if (goLine && !repoModuleDirs.has(target) && compareGo(running, goLine) < 0) {
        findings.push({
          severity: 'error',
          message: `${owner} uses ${r.New.Path} (replacing ${r.Old.Path}), which requires go ${goLine}, newer than the running ${running}: go fails with "requires go >= ${goLine}"`,
          hint: `Build with Go ${goLine} or newer (actions/setup-go go-version), or lower the go line of ${r.New.Path}/go.mod.`,
          ...where,
          ruleId: 'dep-go-too-new',
        });
      }
    };

    const replaceJobs = [];
    for (const m of probe.modules) {
      // In workspace mode the replaces of every workspace module apply to the whole workspace.
      const requirers = work && m.inWorkspace ? probe.modules.filter((x) => x.inWorkspace) : [m];
      for (const r of m.json?.Replace ?? []) replaceJobs.push(checkReplace(r, m.dir, m.goModFile, m.directives, m.goModFile, requirers));
    }
    if (work) {
      const members = probe.modules.filter((x) => x.inWorkspace);
      for (const r of work.json?.Replace ?? []) replaceJobs.push(checkReplace(r, work.dir, work.relFile, work.directives, work.relFile, members));
    }

    // go.work `use` directories.
    const workJobs = [];
    if (work) {
      const uses = work.json?.Use?.map((u) => u.DiskPath) ?? work.directives.filter((d) => d.verb === 'use' && d.args[0]).map((d) => d.args[0]);
      for (const disk of uses) {
        workJobs.push(
          (async () => {
            const dir = path.resolve(work.dir, disk);
            const at = useLine(work.directives, disk);
            const goName = disk.replace(/^\.\/(?=.)/, ''); // go prints `missing` for `./missing`
            const where = { file: work.relFile, ...(at ? { line: at.line, column: at.column } : {}) };
            if (!(await isDirectory(dir))) {
              findings.push({
                severity: 'error',
                message: `${work.relFile} uses ${disk}, which does not exist: every go command fails with "cannot load module ${goName} listed in go.work file"`,
                hint: `Remove it: go work edit -dropuse=${disk} (or create the module there).`,
                ...where,
                ruleId: 'work-use-missing',
              });
            } else if (!(await isFile(path.join(dir, 'go.mod')))) {
              findings.push({
                severity: 'error',
                message: `${work.relFile} uses ${disk}, which has no go.mod: every go command fails with "cannot load module ${goName} listed in go.work file"`,
                hint: `Run \`go mod init <module path>\` in ${disk}, or remove it: go work edit -dropuse=${disk}`,
                ...where,
                ruleId: 'work-use-no-gomod',
              });
            } else if (!isInside(checkoutRoot, dir)) {
              findings.push({
                severity: 'warning',
                message: `${work.relFile} uses ${disk}, outside ${checkoutName}: a CI checkout holds only this repository`,
                hint: `Check that module out in CI too, or drop it from the workspace: go work edit -dropuse=${disk}`,
                ...where,
                ruleId: 'work-use-outside',
              });
            }
          })(),
        );
      }

      // Workspace modules whose go line is newer than go.work's.
      const workGo = work.goLine ?? '1.18'; // go.work without a go line means go 1.18
      const goDirective = findDirective(work.directives, 'go');
      for (const m of probe.modules) {
        if (!m.inWorkspace) continue;
        const modGo = m.goLine ?? '1.16';
        if (compareGo(workGo, modGo) < 0) {
          const rel = reportPath(work.dir, m.dir) || '.';
          findings.push({
            severity: 'error',
            message: `${m.goModFile} requires go ${modGo} but ${work.relFile} lists go ${workGo}: every go command fails with "module ${rel} listed in go.work file requires go >= ${modGo}, but go.work lists go ${workGo}"`,
            hint: `Run \`go work use\` (it raises the go line of go.work), or edit ${work.relFile} to say \`go ${modGo}\`.`,
            file: work.relFile,
            ...(goDirective ? { line: goDirective.line, column: goDirective.column } : {}),
            ruleId: 'work-go-older',
          });
        }
      }
    }

    // The module path vs the repository.
    const identityJob = (async () => {
      const repo = await repositoryIdentity(ctx);
      if (!repo) return;
      const repoPrefix = `${repo.host}/${repo.path}`;
      for (const m of probe.modules) {
        if (!m.path || !isInside(checkoutRoot, m.dir)) continue;
        const host = m.path.split('/')[0].toLowerCase();
        // Vanity import paths (go.uber.org/zap) and other hosts cannot be compared with the repo.
        if (host !== repo.host) continue;
        const relToRoot = reportPath(checkoutRoot, m.dir);
        const expected = relToRoot === '.' ? repoPrefix : `${repoPrefix}/${relToRoot}`;
        const lower = m.path.toLowerCase();
        const exp = expected.toLowerCase();
        // A major version suffix (/v2...) is allowed after the expected path.
        if (lower === exp || (lower.startsWith(`${exp}/`) && /^v([2-9]|[1-9]\d+)$/.test(lower.slice(exp.length + 1)))) continue;
        const moduleLine = findDirective(m.directives, 'module');
        const isRoot = relToRoot === '.';
        findings.push({
          severity: repo.isFork ? 'notice' : 'warning',
          message: isRoot
            ? `${m.goModFile} declares its path as ${m.path} but the repository is ${repoPrefix} (${repo.source}): anyone importing it gets "module declares its path as ${m.path} but was required as ${expected}" errors`
            : `${m.goModFile} declares ${m.path} but it sits in ${relToRoot}/ of ${repoPrefix}: its path should be ${expected}, or \`go get ${expected}\` fails with "module declares its path as ${m.path}"`,
          hint: `Set the module path with \`go mod edit -module=${expected}\` (and update imports), or move the module${repo.isFork ? ' (this repository is a fork: ignore this if the path names the upstream)' : ''}.`,
          file: m.goModFile,
          ...(moduleLine ? { line: moduleLine.line, column: moduleLine.column } : {}),
          ruleId: 'module-path-repo',
        });
      }
    })();

    // Dependencies: go lines newer than this Go, retractions, deprecations (module cache only).
    const depJobs = [];
    if (gomodcache) {
      for (const req of resolvedRequires(probe)) {
        if (req.target.kind !== 'module') continue;
        const { path: depPath, version: depVersion } = req.target;
        const where = { file: req.module.goModFile, ...(req.line ? { line: req.line.line, column: req.line.column } : {}) };
        const replaced = depPath !== req.path || depVersion !== req.version ? ` (replaced by ${depPath} ${depVersion})` : '';
        depJobs.push(
          (async () => {
            const text = await readText(cacheFile(gomodcache, depPath, depVersion, 'mod'));
            if (text === undefined) return;
            const goLine = goLineOf(text);
            if (goLine && compareGo(running, goLine) < 0) {
              findings.push({
                severity: 'error',
                message: `${req.path} ${req.version}${replaced} requires go ${goLine}, newer than the running ${running} (required by ${req.module.goModFile}${req.line ? ` line ${req.line.line}` : ''}): go fails with "${depPath}@${depVersion} requires go >= ${goLine}"`,
                hint: `Build with Go ${goLine} or newer (actions/setup-go go-version), or require an older ${req.path}: go get ${req.path}@<older version>`,
                ...where,
                ruleId: 'dep-go-too-new',
              });
            }
            const latest = await latestCachedGoMod(gomodcache, depPath);
            if (!latest) return;
            const retraction = parseRetractions(latest.text).find(
              (r) => compareSemver(r.low, depVersion) <= 0 && compareSemver(depVersion, r.high) <= 0,
            );
            if (retraction) {
              findings.push({
                severity: 'notice',
                message: `${depPath} ${depVersion} is retracted by its author (go.mod of ${latest.version})${retraction.rationale ? `: ${retraction.rationale}` : ''}`,
                hint: `Move to a version that is not retracted: go get ${depPath}@latest`,
                ...where,
                ruleId: 'dep-retracted',
              });
            }
            const deprecated = parseDeprecation(latest.text);
            if (deprecated) {
              findings.push({
                severity: 'notice',
                message: `${depPath} is deprecated by its author: ${deprecated}`,
                hint: `Plan a move away from ${depPath} (the deprecation note usually names the replacement).`,
                ...where,
                ruleId: 'dep-deprecated',
              });
            }
          })().catch((e) => ctx.logger.debug(`modules: reading the module cache for ${depPath}: ${getErrorMessage(e)}`)),
        );
      }
    }

    await Promise.all([...replaceJobs, ...workJobs, identityJob, ...depJobs]);
    // One finding per (file, line, message): a dependency required by many modules is named in each.
    const seen = new Set();
    const unique = findings.filter((f) => {
      const key = `${f.file}:${f.line}:${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { findings: unique };
  },
};

// Text helpers shared by checks.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: amd46 -> amd64 is 1). */
function editDistance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

// What go-preflight knows about module paths: Go's GOPRIVATE-style pattern matching, and which
// module hosts are public (served by the public module proxy) or look like a company's own.

/**
 * Hosts whose modules the public module proxy serves. A required module on any other host is
 * probably private (extend with the `public-hosts` option). Subdomains of an entry count too.
 */
const PUBLIC_MODULE_HOSTS = [
  'github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'git.sr.ht', 'gitea.com',
  'golang.org', 'google.golang.org', 'go.googlesource.com', 'cloud.google.com', 'gopkg.in', 'go.yaml.in',
  'go.uber.org', 'k8s.io', 'sigs.k8s.io', 'go.opentelemetry.io', 'go.opencensus.io', 'honnef.co',
  'go.etcd.io', 'gotest.tools', 'gonum.org', 'modernc.org', 'mvdan.cc', 'rsc.io', 'dario.cat',
  'filippo.io', 'connectrpc.com', 'buf.build', 'go.mongodb.org', 'gorm.io', 'nhooyr.io', 'lukechampine.com',
  'golang.zx2c4.com', 'gvisor.dev', 'tailscale.com', 'go.temporal.io', 'go.step.sm', 'storj.io',
  'cuelang.org', 'cuelabs.dev', 'helm.sh', 'oras.land', 'knative.dev', 'istio.io', 'go.starlark.net',
  'go.elastic.co', 'go.mozilla.org', 'gocloud.dev', 'go4.org', 'inet.af', 'entgo.io', 'ariga.io',
  'cel.dev', 'tags.cncf.io', 'gioui.org', 'fyne.io', 'tinygo.org', 'zombiezen.com', 'code.gitea.io',
  'howett.net', 'software.sslmate.com', 'launchpad.net', 'go.bug.st', 'aead.dev', 'go.einride.tech',
];

/** A host on the public list (or a subdomain of one), or one of `extra`. */
function isPublicModuleHost(host, extra = []) {
  const h = host.toLowerCase();
  return [...PUBLIC_MODULE_HOSTS, ...extra].some((x) => {
    const y = x.toLowerCase().replace(/\/+$/, '');
    return h === y || h.endsWith(`.${y}`);
  });
}

/** Whether an import path's host looks like a company's private code host. */
function looksPrivate(importPath) {
  const host = importPath.split('/')[0].toLowerCase();
  if (isPublicModuleHost(host)) return false;
  if (!host.includes('.')) return true;
  const labels = host.split('.');
  if (['local', 'internal', 'corp', 'lan', 'intranet', 'private', 'home', 'localdomain'].includes(labels[labels.length - 1])) return true;
  return ['git', 'gitlab', 'github', 'bitbucket', 'scm', 'code', 'source', 'vcs', 'gitea', 'gerrit', 'stash', 'repo', 'repos'].includes(labels[0]);
}

/** Go's path.Match as a RegExp (`*` and `?` never match `/`); undefined for a malformed glob. */
function globToRegExp$1(glob) {
  let re = '^';
  let i = 0;
  const esc = (c) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= glob.length) return undefined;
      re += esc(glob[i + 1]);
      i += 2;
    } else if (c === '[') {
      i++;
      let cls = '[';
      if (glob[i] === '^') {
        cls += '^';
        i++;
      }
      // Like path.Match's getEsc: an unescaped `-` or `]` cannot start a range; `\\` escapes.
      const classChar = () => {
        let ch = glob[i];
        if (ch === undefined || ch === '-' || ch === ']') return undefined;
        if (ch === '\\') ch = glob[++i];
        if (ch === undefined) return undefined;
        i++;
        return ch;
      };
      let ranges = 0;
      for (;;) {
        if (i >= glob.length) return undefined;
        if (glob[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let part = esc(lo);
        if (glob[i] === '-') {
          i++;
          const hi = classChar();
          if (hi === undefined) return undefined;
          part += `-${esc(hi)}`;
        }
        cls += part;
        ranges++;
      }
      re += `${cls}]`;
    } else {
      re += esc(c);
      i++;
    }
  }
  return new RegExp(`${re}$`);
}

/**
 * golang.org/x/mod/module.MatchPrefixPatterns: comma-separated globs; a glob with N slashes is
 * matched against the module path cut after its N+1-th element, so `example.com/org` covers
 * `example.com/org/repo/sub`.
 */
function matchPrefixPatterns(globs, target) {
  for (let glob of globs.split(',')) {
    glob = glob.trim().replace(/\/+$/, '');
    if (!glob) continue;
    let n = (glob.match(/\//g) ?? []).length;
    let prefix = target;
    for (let i = 0; i < target.length; i++) {
      if (target[i] === '/') {
        if (n === 0) {
          prefix = target.slice(0, i);
          break;
        }
        n--;
      }
    }
    if (n > 0) continue;
    if (globToRegExp$1(glob)?.test(prefix)) return true;
  }
  return false;
}

// go-env: are the Go environment variables and caches sane? Reads the probe's `go env -json`
// (effective values, including `go env -w` settings) and the real environment, tries the caches for
// real (a temp file created and removed in each, never in the repository), and runs at most one
// cheap `go list -m` to see whether GOFLAGS parses. No network unless `probe-proxy: true`.



/** Code hosts where `host/<org>/...` is an owner namespace (used for "same org as this repo"). */
const ORG_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

/** Variables Go (or its runtime, or its build scripts) reads that `go env -json` may not list. */
const KNOWN_GO_VARS = [
  'GO111MODULE', 'GO386', 'GOAMD64', 'GOARCH', 'GOARM', 'GOARM64', 'GOAUTH', 'GOBIN', 'GOCACHE', 'GOCACHEPROG',
  'GOCOVERDIR', 'GODEBUG', 'GOENV', 'GOEXE', 'GOEXPERIMENT', 'GOFIPS140', 'GOFLAGS', 'GOGCCFLAGS', 'GOHOSTARCH',
  'GOHOSTOS', 'GOINSECURE', 'GOMIPS', 'GOMIPS64', 'GOMOD', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB', 'GOOS',
  'GOPATH', 'GOPPC64', 'GOPRIVATE', 'GOPROXY', 'GORISCV64', 'GOROOT', 'GOSUMDB', 'GOTELEMETRY', 'GOTELEMETRYDIR',
  'GOTMPDIR', 'GOTOOLCHAIN', 'GOTOOLDIR', 'GOVCS', 'GOVERSION', 'GOWASM', 'GOWORK', 'GOLOONG64',
  // runtime and tests
  'GOGC', 'GOMAXPROCS', 'GOMEMLIMIT', 'GOTRACEBACK', 'GORACE', 'GOROOT_FINAL', 'GOROOT_BOOTSTRAP',
  'GO_EXTLINK_ENABLED', 'GO_GCFLAGS', 'GO_LDFLAGS', 'GO_DISTFLAGS', 'GOPACKAGESDRIVER', 'GOSSAFUNC', 'GOSSADIR',
];

/** Prefixes of variables that belong to other tools (gotestsum, goreleaser, golangci-lint...). */
const TOOL_PREFIXES = ['GOTESTSUM_', 'GORELEASER_', 'GOLANGCI', 'GOLANG_', 'GOOGLE_', 'GOPLS', 'GOSEC_', 'GOOSE_', 'GOVULN', 'GOFUMPT', 'GOX_', 'GOROOT_1', 'GOPACKAGES'];

/** Misspellings seen in the wild that edit distance alone would not catch. */
const FAMOUS_TYPOS = {
  GONOSUMCHECK: 'GONOSUMDB (or GOPRIVATE)',
  GONOSUMCHECKS: 'GONOSUMDB (or GOPRIVATE)',
  GOPRIVATEREPOS: 'GOPRIVATE',
  GOPROXYS: 'GOPROXY',
  GOPROXIES: 'GOPROXY',
};

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for unit tests).




















/** GOPROXY parsed as modfetch/proxy.go does. */
function parseProxyList(goproxy) {
  const out = { entries: [], emptyEntries: 0, ignored: [], invalid: [] };
  let rest = goproxy;
  let stopped = false;
  while (rest !== '') {
    let raw;
    let fallbackOnError = false;
    const i = rest.search(/[,|]/);
    if (i >= 0) {
      raw = rest.slice(0, i);
      fallbackOnError = rest[i] === '|';
      rest = rest.slice(i + 1);
    } else {
      raw = rest;
      rest = '';
    }
    const entry = raw.trim();
    if (!entry) {
      if (!stopped) out.emptyEntries++;
      continue;
    }
    if (stopped) {
      out.ignored.push(entry);
      continue;
    }
    if (entry === 'off' || entry === 'direct') {
      out.entries.push({ url: entry, kind: entry, fallbackOnError });
      stopped = true; // go ignores everything after these keywords
      continue;
    }
    let url = entry;
    // Like go: something with a dot, colon or slash but no scheme gets https:// in front.
    if (/[.:/]/.test(url) && !url.includes(':/') && !path.isAbsolute(url) && !path.posix.isAbsolute(url)) url = `https://${url}`;
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (!scheme) out.invalid.push({ entry: displayUrl(entry), reason: `invalid proxy URL missing scheme: ${displayUrl(entry)}` });
    else if (!['https', 'http', 'file'].includes(scheme)) {
      out.invalid.push({ entry: displayUrl(entry), reason: `invalid proxy URL scheme (must be https, http, file): ${displayUrl(entry)}` });
    } else out.entries.push({ url, kind: 'url', fallbackOnError });
  }
  return out;
}

/** A URL without its credentials, safe to print. */
function displayUrl(u) {
  return u.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, '$1***@');
}


/** Settings whose underscore spelling (GO_PRIVATE) is a mistake rather than a variable of its own. */
const UNDERSCORE_TYPO_TARGETS = new Set([
  'GOPRIVATE', 'GONOSUMDB', 'GONOPROXY', 'GOPROXY', 'GOSUMDB', 'GOFLAGS', 'GOINSECURE', 'GO111MODULE',
  'GOTOOLCHAIN', 'GOWORK', 'GOCACHE', 'GOMODCACHE', 'GOTMPDIR', 'GOAUTH', 'GOVCS',
]);

/** The real Go variable a GO* name is probably a misspelling of, or undefined. */
function likelyGoVarTypo(name, known) {
  if (known.has(name) || !/^GO[A-Z0-9_]+$/.test(name)) return undefined;
  if (FAMOUS_TYPOS[name]) return FAMOUS_TYPOS[name];
  if (TOOL_PREFIXES.some((p) => name.startsWith(p))) return undefined;
  // Go's own variables have no underscore after GO. A name with one is usually a workflow's or a
  // tool's own variable (GO_VERSION, GO_ARCH in a matrix, GOROOT_1_22_X64 from setup-go), except
  // when it spells a setting people mean to give go (GO_PRIVATE, GO_PROXY, GO_FLAGS).
  if (name.slice(2).includes('_')) {
    const joined = name.replace(/_/g, '');
    return UNDERSCORE_TYPO_TARGETS.has(joined) ? joined : undefined;
  }
  // Short names are too close to each other to guess (GOOSE is not GOOS); allow more edits on long ones.
  const budget = name.length >= 8 ? 2 : name.length >= 6 ? 1 : 0;
  if (!budget) return undefined;
  let best;
  for (const k of known) {
    if (k.length < 6) continue;
    const d = editDistance(name, k);
    if (d <= budget && (!best || d < best.d)) best = { v: k, d };
  }
  return best?.v;
}

function splitGoFlags(s) {
  return s
    .split(/\s+/)
    .filter(Boolean)
    .map((raw) => {
      const m = /^--?([^=]+)(?:=(.*))?$/.exec(raw);
      return m ? { raw, name: m[1], value: m[2] } : { raw, name: '' };
    });
}

function hostOf(modulePath) {
  return (modulePath.split('/')[0] ?? '').toLowerCase();
}


// ---------------------------------------------------------------------------------------------
// File-system helpers.


function errCode(e) {
  return (e )?.code ?? getErrorMessage(e);
}

/**
 * Can go write in dir? Go creates GOCACHE/GOMODCACHE with MkdirAll, so the nearest existing
 * ancestor must be a writable directory. Tried by creating and removing a file, because root
 * bypasses permission bits and read-only mounts only show on write. Never writes inside `noWrite`
 * (the repository): there it only asks the OS.
 */
async function writeProblem(dir, opts) {
  let cur = dir;
  let st;
  for (;;) {
    try {
      st = await promises.stat(cur);
      break;
    } catch (e) {
      const code = errCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot read ${cur}: ${code}`;
      if (opts.mustExist) return `${dir} does not exist`;
      const parent = path.dirname(cur);
      if (parent === cur) return `no part of ${dir} exists`;
      cur = parent;
    }
  }
  if (!st.isDirectory()) return `${cur} is a file, not a directory, so go cannot create ${dir}`;
  if (opts.noWrite.some((r) => isInside(r, cur))) {
    try {
      await promises.access(cur, constants.W_OK);
      return undefined;
    } catch (e) {
      return `${cur} is not writable (${errCode(e)})`;
    }
  }
  const probe = path.join(cur, `.go-preflight-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const h = await promises.open(probe, 'wx');
    await h.close();
  } catch (e) {
    return `${cur} is not writable (${errCode(e)})`;
  }
  await promises.rm(probe, { force: true }).catch(() => {});
  return undefined;
}

/** The default GOPROXY/GOSUMDB of this Go distribution ($GOROOT/go.env), to tell a custom proxy from the default one. */
async function distributionDefaults(goroot) {
  if (!goroot) return {};
  try {
    const text = await promises.readFile(path.join(goroot, 'go.env'), 'utf8');
    const out = {};
    for (const line of text.split('\n')) {
      const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) out[m[1]] = m[2].trim();
    }
    return out;
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// The parts of the check.











function where(req) {
  return { file: req.module.goModFile, ...(req.line ? { line: req.line.line, column: req.line.column } : {}) };
}

function requireText(req) {
  return `${req.path} ${req.version}${req.line ? ` (${req.module.goModFile} line ${req.line.line})` : ` (${req.module.goModFile})`}`;
}

async function inCache(s, req) {
  if (req.target.kind !== 'module') return true;
  if (!s.gomodcache) return false;
  return exists(cacheFile(s.gomodcache, req.target.path, req.target.version, 'mod'));
}

/** Whether a module uses vendor/ for its build (go >= 1.14 with a vendor dir, unless -mod says otherwise). */
function usesVendor(req, modFlag) {
  if (modFlag === 'mod' || modFlag === 'readonly') return false;
  if (modFlag === 'vendor') return true;
  return req.module.hasVendorDir && !!req.module.goLine && /^1\.(1[4-9]|[2-9]\d)/.test(req.module.goLine);
}

function checkGo111Module(s) {
  const { ctx, goEnv } = s;
  const v = (goEnv.GO111MODULE ?? ctx.env.GO111MODULE ?? '').trim();
  if (v === 'off' && ctx.probe.modules.length > 0) {
    s.findings.push({
      severity: 'error',
      message: 'GO111MODULE=off: go builds in GOPATH mode and ignores go.mod, so imports resolve from GOPATH/src instead of the required module versions',
      hint: 'Unset GO111MODULE (module mode is the default since Go 1.16): remove it from the workflow env, or run `go env -u GO111MODULE`.',
      ruleId: 'go111module-off',
    });
  } else if (v === 'auto') {
    const gopaths = (goEnv.GOPATH ?? '').split(path.delimiter).filter(Boolean);
    const inside = ctx.probe.modules.find((m) => gopaths.some((g) => isInside(path.join(g, 'src'), m.dir)));
    if (inside) {
      s.findings.push({
        severity: 'notice',
        message: `GO111MODULE=auto and ${inside.goModFile} sits inside GOPATH/src: go uses module mode here only because go.mod exists; a directory there without go.mod builds in GOPATH mode`,
        hint: 'Unset GO111MODULE (module mode is the default since Go 1.16): `go env -u GO111MODULE`.',
        ruleId: 'go111module-auto',
      });
    }
  }
}

async function checkGoFlags(s) {
  const { ctx, goEnv } = s;
  // The probe's `go env` ran with our read-only GOFLAGS rewrite: the user's value is the variable,
  // else the one set with `go env -w`.
  const goflags = (ctx.env.GOFLAGS || goEnv.GOFLAGS || '').trim();
  if (!goflags) return;
  const flags = splitGoFlags(goflags);
  const work = activeWork(ctx.probe);
  const modFlag = flags.filter((f) => f.name === 'mod').at(-1)?.value;

  // Ask go itself whether it accepts GOFLAGS: exactly the probe's command, so the process is shared.
  const r = await ctx.go.run(['list', '-m', '-json=Path'], { cwd: ctx.probe.modules[0]?.dir ?? ctx.dir, signal: ctx.signal, timeoutMs: 60_000 });
  const err = r.stderr.trim();
  let fatal = false;
  const parsing = /go: parsing \$GOFLAGS: (.+)/.exec(err);
  if (r.code !== 0 && parsing) {
    fatal = true;
    const bad = /unknown flag (\S+)/.exec(parsing[1])?.[1] ?? /non-flag "([^"]*)"/.exec(parsing[1])?.[1];
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS="${goflags}" makes every go command fail: go: parsing $GOFLAGS: ${parsing[1]}`,
      hint: `Remove ${bad ? `\`${bad}\`` : 'the bad entry'} from GOFLAGS (write flags as -name=value, separated by spaces): check the workflow env and \`go env GOFLAGS\`.`,
      ruleId: 'goflags-unknown',
    });
  }
  const badMod = /-mod=(\S*) not supported/.exec(err);
  if (r.code !== 0 && badMod) {
    fatal = true;
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS sets -mod=${badMod[1]}, which go rejects: "-mod=${badMod[1]} not supported (can be '', 'mod', 'readonly', or 'vendor')"`,
      hint: 'Use -mod=readonly (the default) or -mod=vendor, or remove -mod from GOFLAGS.',
      ruleId: 'goflags-mod-invalid',
    });
  }
  if (r.code !== 0 && /-race requires cgo/.test(err)) {
    fatal = true;
    s.findings.push({
      severity: 'error',
      message: 'GOFLAGS has -race but cgo is off (CGO_ENABLED=0 or no C compiler): every go command fails with "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1"',
      hint: 'Remove -race from GOFLAGS (pass it to `go test` only), or set CGO_ENABLED=1 with a C compiler installed.',
      ruleId: 'goflags-race-nocgo',
    });
  }

  // Go 1.21 accepts only -mod=readonly in workspace mode; 1.22 added workspace vendoring.
  const goVersion = buildGoVersion(ctx.probe);
  const workVendor = compareGo(normalizeGoVersion(goVersion), '1.22') >= 0;
  if (modFlag === 'vendor' && work && !workVendor) {
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS=-mod=vendor while ${work.relFile} is in effect: ${goVersion} fails every go command with "go: -mod may only be set to readonly when in workspace mode, but it is set to "vendor""`,
      hint: `Remove -mod=vendor from GOFLAGS, or set GOWORK=off to build each module with its own vendor/ (workspace vendoring, \`go work vendor\`, needs Go 1.22).`,
      file: work.relFile,
      ruleId: 'goflags-mod-workspace',
    });
  } else if (modFlag === 'vendor') {
    const dirs = work
      ? [{ dir: work.dir, file: work.relFile, needs: ctx.probe.modules.some((m) => m.inWorkspace && m.json?.Require?.length) }]
      : ctx.probe.modules.map((m) => ({ dir: m.dir, file: m.goModFile, needs: !!m.json?.Require?.length }));
    for (const d of dirs) {
      if (!d.needs || (await exists(path.join(d.dir, 'vendor')))) continue;
      s.findings.push({
        severity: 'error',
        message: `GOFLAGS=-mod=vendor but ${reportPath(ctx.dir, d.dir) === '.' ? 'the module' : reportPath(ctx.dir, d.dir)} has no vendor/ directory: builds fail with "inconsistent vendoring" (${d.file} requires modules that vendor/modules.txt does not list)`,
        hint: `Remove -mod=vendor from GOFLAGS, or run \`${work ? 'go work vendor' : 'go mod vendor'}\` and commit vendor/.`,
        file: d.file,
        ruleId: 'goflags-vendor-missing',
      });
    }
  } else if (modFlag === 'mod') {
    if (work) {
      s.findings.push({
        severity: 'error',
        message: `GOFLAGS=-mod=mod while ${work.relFile} is in effect: every go command fails with "go: -mod may only be set to ${workVendor ? 'readonly or vendor' : 'readonly'} when in workspace mode, but it is set to "mod""`,
        hint: 'Remove -mod=mod from GOFLAGS, or set GOWORK=off if the workspace is not meant for this build.',
        ruleId: 'goflags-mod-workspace',
      });
    } else {
      s.findings.push({
        severity: 'warning',
        message: 'GOFLAGS=-mod=mod lets every build rewrite go.mod and go.sum and download what is missing: an untidy go.mod or missing go.sum entries pass here and fail elsewhere, and vendor/ is ignored',
        hint: 'Remove -mod=mod from GOFLAGS (the default -mod=readonly reports those problems), and run `go mod tidy` when go.mod needs an update.',
        ruleId: 'goflags-mod-mod',
      });
    }
  }

  for (const f of flags) {
    if (f.name === 'tags' && f.value) {
      s.findings.push({
        severity: 'notice',
        message: `GOFLAGS sets build tags for every go command: ${f.value.split(',').filter(Boolean).join(', ')} (files with a //go:build line excluding them are left out)`,
        ruleId: 'goflags-tags',
      });
    } else if (f.name === 'modfile') {
      s.findings.push({
        severity: 'warning',
        message: `GOFLAGS sets -modfile=${f.value ?? ''}: every go command reads that file instead of each module's go.mod`,
        hint: 'Remove -modfile from GOFLAGS; pass it to the single command that needs it.',
        ruleId: 'goflags-modfile',
      });
    } else if (f.name === 'n' && f.value !== 'false') {
      s.findings.push({
        severity: 'warning',
        message: 'GOFLAGS has -n: go build and go test only print the commands they would run, so nothing is built or tested',
        hint: 'Remove -n from GOFLAGS.',
        ruleId: 'goflags-n',
      });
    } else if (f.name === 'race' && f.value !== 'false' && !fatal) {
      s.findings.push({
        severity: 'notice',
        message: 'GOFLAGS has -race: every build is a race-detector build (needs cgo and a C compiler, several times slower)',
        ruleId: 'goflags-race',
      });
    } else if (f.name === 'a' && f.value !== 'false') {
      s.findings.push({ severity: 'notice', message: 'GOFLAGS has -a: every build recompiles all packages, ignoring the build cache', ruleId: 'goflags-a' });
    }
  }
}

async function checkProxy(s, list) {
  const { ctx, goEnv } = s;
  const goproxy = goEnv.GOPROXY ?? '';
  const shown = displayUrl(goproxy);
  const sepHint = 'Entries are separated by `,` (try the next one only when a proxy answers 404/410) or `|` (try the next one on any error); `direct` and `off` end the list.';

  if (goproxy.trim() && list.entries.length === 0 && list.invalid.length === 0) {
    s.findings.push({
      severity: 'error',
      message: `GOPROXY="${shown}" has no entries: every download fails with "GOPROXY list is not the empty string, but contains no entries"`,
      hint: `Unset GOPROXY to use the default, or list proxies. ${sepHint}`,
      ruleId: 'goproxy-empty',
    });
  }
  for (const bad of list.invalid) {
    s.findings.push({
      severity: 'error',
      message: `GOPROXY entry "${bad.entry}" is invalid: every download fails with "${bad.reason}"`,
      hint: `Write each proxy as an https://, http:// or file:// URL. ${sepHint}`,
      ruleId: 'goproxy-invalid',
    });
  }
  if (list.ignored.length) {
    s.findings.push({
      severity: 'warning',
      message: `GOPROXY="${shown}": ${list.ignored.join(', ')} come${list.ignored.length > 1 ? '' : 's'} after ${list.entries.at(-1)?.kind ?? 'direct'} and ${list.ignored.length > 1 ? 'are' : 'is'} never used`,
      hint: `Move \`direct\`/\`off\` to the end of GOPROXY. ${sepHint}`,
      ruleId: 'goproxy-order',
    });
  }
  if (list.emptyEntries && list.entries.length) {
    s.findings.push({
      severity: 'notice',
      message: `GOPROXY="${shown}" has ${list.emptyEntries} empty entr${list.emptyEntries > 1 ? 'ies' : 'y'} (go skips them)`,
      hint: sepHint,
      ruleId: 'goproxy-empty-entry',
    });
  }
  if (goproxy.split(/[,|]/).some((e) => /^\s*[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/@]+@/.test(e))) {
    s.findings.push({
      severity: 'warning',
      message: `GOPROXY embeds credentials in a URL (${shown}): go prints proxy URLs in its error messages, so they can end up in build logs`,
      hint: 'Put the credentials in ~/.netrc (or GOAUTH on Go 1.24+) and keep GOPROXY free of user:password@.',
      ruleId: 'goproxy-credentials',
    });
  }

  const first = list.entries[0];
  if (first?.kind === 'off') {
    const missing = [];
    const modFlag = splitGoFlags(ctx.env.GOFLAGS || goEnv.GOFLAGS || '').filter((f) => f.name === 'mod').at(-1)?.value;
    await Promise.all(
      s.requires.map(async (req) => {
        if (req.target.kind !== 'module' || usesVendor(req, modFlag)) return;
        if (!(await inCache(s, req))) missing.push(req);
      }),
    );
    const byFile = new Map();
    for (const req of missing) byFile.set(req.module.goModFile, [...(byFile.get(req.module.goModFile) ?? []), req]);
    for (const [file, reqs] of byFile) {
      reqs.sort((a, b) => (a.line?.line ?? 0) - (b.line?.line ?? 0));
      const names = reqs.slice(0, 5).map((r) => `${r.path} ${r.version}`).join(', ');
      s.findings.push({
        severity: 'error',
        message: `GOPROXY=off but ${reqs.length} module${reqs.length > 1 ? 's' : ''} required by ${file} ${reqs.length > 1 ? 'are' : 'is'} not in the module cache (${names}${reqs.length > 5 ? ', ...' : ''}): go fails with "module lookup disabled by GOPROXY=off"`,
        hint: 'Unset GOPROXY (or list a proxy) so go can download them, or fill the module cache first: `go mod download` with network, then GOPROXY=off.',
        ...where(reqs[0]),
        ruleId: 'goproxy-off-missing',
      });
    }
  } else if (first?.kind === 'direct') {
    s.findings.push({
      severity: 'warning',
      message: 'GOPROXY=direct: every module is fetched from its version control system (no proxy cache): slower, needs git (and hg, svn...) plus credentials, and fails when an upstream repository disappears',
      hint: `Use a proxy with direct as the fallback: unset GOPROXY for the default, or GOPROXY=<proxy URL>,direct. ${sepHint}`,
      ruleId: 'goproxy-direct',
    });
  }
}

/** Ask the first proxy for modules missing from the module cache (option probe-proxy). */
async function probeProxy(
  s,
  list,
  candidates,
) {
  const status = new Map();
  const proxy = list.entries[0];
  if (!proxy || proxy.kind !== 'url') return { status };
  const base = proxy.url.replace(/\/+$/, '');
  let unreachable;
  const queue = candidates.slice(0, 50);
  const one = async (req) => {
    if (unreachable || req.target.kind !== 'module') return;
    const key = `${req.target.path}@${req.target.version}`;
    if (status.has(key)) return;
    const rel = `${escapeModulePath$1(req.target.path)}/@v/${escapeModulePath$1(req.target.version)}.info`;
    if (base.startsWith('file:')) {
      status.set(key, (await exists(fileURLToPath(`${base}/${rel}`))) ? 200 : 404);
      return;
    }
    // fetch refuses URLs with credentials: send them as a header instead.
    const url = new URL(`${base}/${rel}`);
    const headers = {};
    if (url.username || url.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.any([AbortSignal.timeout(3000), s.ctx.signal]) });
      status.set(key, res.status);
      await res.body?.cancel().catch(() => {});
    } catch (e) {
      if (s.ctx.signal.aborted) throw e;
      const cause = (e ).cause;
      unreachable = (e ).name === 'TimeoutError' ? 'no answer within 3 s' : cause?.code ?? cause?.message ?? getErrorMessage(e);
    }
  };
  for (let i = 0; i < queue.length && !unreachable; i += 6) await Promise.all(queue.slice(i, i + 6).map(one));
  return { status, unreachable, proxy };
}

async function checkPrivate(s, list, options) {
  const { ctx, goEnv } = s;
  // With GOPROXY=off nothing is fetched (the goproxy-off finding covers what is missing).
  if (list.entries[0]?.kind === 'off') return;
  // Empty GONOPROXY/GONOSUMDB mean "same as GOPRIVATE".
  const gonoproxy = goEnv.GONOPROXY || goEnv.GOPRIVATE || '';
  const gonosumdb = goEnv.GONOSUMDB || goEnv.GOPRIVATE || '';
  const sumdbOff = (goEnv.GOSUMDB ?? '').trim() === 'off';
  const proxies = list.entries.filter((e) => e.kind === 'url');
  const defaults = await distributionDefaults(goEnv.GOROOT);
  const defaultFirst = defaults.GOPROXY ? parseProxyList(defaults.GOPROXY).entries[0]?.url : undefined;
  // A custom proxy (Athens, Artifactory...) may serve private modules; the default one never does.
  const firstIsDefault = !!proxies[0] && (!defaultFirst || proxies[0].url === defaultFirst);

  // Modules of this repository's owner are presumed private only when the event payload says the
  // repository is private. Unknown visibility (the CLI, other CI, no payload) is not evidence: most
  // owners on GitHub publish public modules (spf13/cobra requires spf13/pflag), and the GOPRIVATE
  // hint for a public owner would turn off checksum-database verification for its modules.
  const repo = await repositoryIdentity(ctx);
  const orgs = new Set();
  if (repo && ORG_HOSTS.has(repo.host) && repo.isPrivate === true) orgs.add(`${repo.host}/${repo.owner}`.toLowerCase());
  if (repo?.isPrivate === true) {
    for (const m of ctx.probe.modules) {
      const [h, org] = m.path.toLowerCase().split('/');
      if (h && org && ORG_HOSTS.has(h)) orgs.add(`${h}/${org}`);
    }
  }

  
  const suspects = [];
  const seen = new Set();
  for (const req of s.requires) {
    if (req.target.kind !== 'module') continue;
    const p = req.target.path;
    const key = `${req.module.goModFile}\n${p}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const host = hostOf(p);
    const lower = p.toLowerCase();
    const org = lower.split('/').slice(0, 2).join('/');
    const configured = options.privateHosts.find((h) => lower === h.toLowerCase() || lower.startsWith(`${h.toLowerCase().replace(/\/+$/, '')}/`));
    let why;
    let glob = host;
    if (configured) {
      why = `listed in private-hosts (${configured})`;
      glob = configured.replace(/\/+$/, '');
    } else if (!isPublicModuleHost(host, options.publicHosts)) why = `${host} is not a public module host`;
    else if (ORG_HOSTS.has(host) && orgs.has(org)) {
      why = `owned by ${org}, like this repository`;
      glob = `${p.split('/').slice(0, 2).join('/')}/*`;
    }
    if (!why) continue;
    const proxyOk = proxies.length === 0 || matchPrefixPatterns(gonoproxy, p) || !firstIsDefault;
    const sumOk = sumdbOff || matchPrefixPatterns(gonosumdb, p);
    if (proxyOk && sumOk) continue;
    // Already in the module cache: go will not ask anyone for it.
    if (await inCache(s, req)) continue;
    const to = [
      ...(proxyOk ? [] : [`the module proxy ${displayUrl(proxies[0].url)}`]),
      ...(sumOk ? [] : [`the checksum database (${goEnv.GOSUMDB || 'default'})`]),
    ].join(' and ');
    suspects.push({ req, why, glob, to });
  }

  let proxyStatus = new Map();
  if (options.probeProxy) {
    const candidates = [];
    for (const req of s.requires) {
      if (req.target.kind === 'module' && !matchPrefixPatterns(gonoproxy, req.target.path) && !(await inCache(s, req))) candidates.push(req);
    }
    const res = await probeProxy(s, list, candidates);
    proxyStatus = res.status;
    const shown = res.proxy ? displayUrl(res.proxy.url) : '';
    if (res.unreachable) {
      s.findings.push({
        severity: 'notice',
        message: `Could not reach the module proxy ${shown} (${res.unreachable}): the proxy probe was skipped`,
        ruleId: 'proxy-unreachable',
      });
    } else if (res.proxy) {
      const idx = list.entries.indexOf(res.proxy);
      const next = list.entries[idx + 1];
      const suspected = new Set(suspects.map((x) => `${x.req.module.goModFile}\n${x.req.target.kind === 'module' ? x.req.target.path : ''}`));
      const reported = new Set();
      for (const req of candidates) {
        if (req.target.kind !== 'module') continue;
        const code = proxyStatus.get(`${req.target.path}@${req.target.version}`);
        const key = `${req.target.path}@${req.target.version}`;
        if (code === undefined || code === 200 || reported.has(key) || suspected.has(`${req.module.goModFile}\n${req.target.path}`)) continue;
        reported.add(key);
        const notFound = code === 404 || code === 410;
        // 404/410 always fall through to the next entry; other errors only after `|`.
        const fallsThrough = !!next && next.kind !== 'off' && (notFound || res.proxy.fallbackOnError);
        s.findings.push({
          severity: fallsThrough ? 'notice' : 'error',
          message: fallsThrough
            ? `The module proxy ${shown} answered ${code} for ${requireText(req)}: go falls back to ${next.kind === 'direct' ? 'fetching it directly from its repository (needs git and access)' : displayUrl(next.url)}`
            : `The module proxy ${shown} answered ${code} for ${requireText(req)} and GOPROXY has no fallback after it: the download fails`,
          hint: notFound
            ? `Check that ${req.target.path} ${req.target.version} exists (a typo, a deleted tag, or a private module: then set GOPRIVATE).`
            : 'Check the proxy (credentials, outage), or separate a fallback with `|` to try the next entry on any error.',
          ...where(req),
          ruleId: 'proxy-missing',
        });
      }
    }
  }

  const globs = new Set(
    (goEnv.GOPRIVATE ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
  );
  const flagged = [];
  for (const x of suspects) {
    if (x.req.target.kind !== 'module') continue;
    // The proxy serves it: it is public after all.
    if (proxyStatus.get(`${x.req.target.path}@${x.req.target.version}`) === 200) continue;
    flagged.push(x);
    if (![...globs].some((g) => matchPrefixPatterns(g, x.req.target.kind === 'module' ? x.req.target.path : ''))) globs.add(x.glob);
  }
  const value = [...globs].join(',');
  for (const x of flagged) {
    if (x.req.target.kind !== 'module') continue;
    const p = x.req.target.path;
    const code = proxyStatus.get(`${p}@${x.req.target.version}`);
    s.findings.push({
      severity: 'warning',
      message: `${requireText(x.req)} looks private (${x.why}) but GOPRIVATE/GONOPROXY/GONOSUMDB do not cover it: go sends its path to ${x.to}, which answer${x.to.includes(' and ') ? '' : 's'} 404/410 Gone for private modules${code ? ` (the proxy answered ${code})` : ''}`,
      hint: `Set GOPRIVATE=${value} in the workflow env (or \`go env -w GOPRIVATE=${value}\`), and give git access to the repository (e.g. a url.insteadOf rule with a token).`,
      ...where(x.req),
      ruleId: 'private-module',
    });
  }
}

function checkSumdbAndInsecure(s) {
  const { goEnv } = s;
  if ((goEnv.GOSUMDB ?? '').trim() === 'off') {
    s.findings.push({
      severity: 'warning',
      message: 'GOSUMDB=off: modules new to go.sum are not checked against the checksum database, and toolchain downloads (GOTOOLCHAIN) fail',
      hint: 'Unset GOSUMDB and list private modules in GOPRIVATE (or GONOSUMDB) instead.',
      ruleId: 'gosumdb-off',
    });
  }
  const broad = (globs) =>
    globs
      .split(',')
      .map((g) => g.trim().replace(/\/+$/, ''))
      // `*` matches every first path element; `*.com` every host under a top-level domain.
      .filter((g) => g === '*' || /^\*\.[^./]+$/.test(g) || g.startsWith('*/'));
  for (const g of broad(goEnv.GOINSECURE ?? '')) {
    s.findings.push({
      severity: 'warning',
      message: `GOINSECURE=${goEnv.GOINSECURE} contains "${g}", which allows plain HTTP and unverified TLS for ${g === '*' ? 'every module' : `every host matching ${g}`} fetched directly`,
      hint: 'List only the hosts that need it (GOINSECURE=git.internal.example), and fix their certificates if you can.',
      ruleId: 'goinsecure-broad',
    });
  }
  for (const name of ['GOPRIVATE', 'GONOSUMDB'] ) {
    const raw = s.ctx.env[name];
    if (!raw) continue;
    for (const g of broad(raw)) {
      s.findings.push({
        severity: 'warning',
        message: `${name}=${raw} contains "${g}": no module is checked against the checksum database${name === 'GOPRIVATE' ? ' or fetched through the proxy' : ''}`,
        hint: `List only your private prefixes (${name}=github.com/your-org/*).`,
        ruleId: 'goprivate-broad',
      });
    }
  }
}

async function checkCaches(s) {
  const { ctx, goEnv } = s;
  const gocache = goEnv.GOCACHE ?? '';
  const rawCache = ctx.env.GOCACHE;
  if (gocache === 'off' || gocache === '' || !path.isAbsolute(gocache)) {
    let message;
    if (rawCache?.trim() === 'off') message = 'GOCACHE=off: the build cache is required since Go 1.12, so every build fails with "build cache is disabled by GOCACHE=off, but required as of Go 1.12"';
    else if (rawCache && !path.isAbsolute(rawCache)) message = `GOCACHE=${rawCache} is a relative path: every build fails with "build cache is required, but could not be located: GOCACHE is not an absolute path"`;
    else message = 'The build cache cannot be located (GOCACHE is not set and neither XDG_CACHE_HOME nor HOME is defined): every build fails';
    s.findings.push({
      severity: 'error',
      message,
      hint: 'Set GOCACHE to an absolute, writable directory (e.g. GOCACHE=$RUNNER_TEMP/go-build), or unset it with HOME defined.',
      ruleId: 'gocache-off',
    });
  } else {
    const problem = await writeProblem(gocache, { mustExist: false, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOCACHE=${gocache} is not usable (${problem}): every build fails with "failed to initialize build cache at ${gocache}"`,
        hint: 'Point GOCACHE at a writable directory (e.g. GOCACHE=$RUNNER_TEMP/go-build), or fix its permissions.',
        ruleId: 'gocache-unwritable',
      });
    }
  }

  const modcache = s.gomodcache;
  if (!modcache) {
    s.findings.push({
      severity: 'error',
      message: 'The module cache cannot be located (neither GOMODCACHE nor GOPATH is set): go fails with "module cache not found"',
      hint: 'Set GOMODCACHE (or GOPATH, or HOME) to an absolute, writable directory.',
      ruleId: 'gomodcache-missing',
    });
  } else if (!path.isAbsolute(modcache)) {
    s.findings.push({
      severity: 'error',
      message: `GOMODCACHE=${modcache} is a relative path: go fails with "GOMODCACHE entry is relative; must be absolute path"`,
      hint: 'Set GOMODCACHE to an absolute directory, or unset it (default: $GOPATH/pkg/mod).',
      ruleId: 'gomodcache-relative',
    });
  } else {
    // Only the top of the module cache: its contents are read-only by design.
    const problem = await writeProblem(modcache, { mustExist: false, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOMODCACHE=${modcache} is not usable (${problem}): downloads fail`,
        hint: 'Point GOMODCACHE at a writable directory, or fix its permissions (`go clean -modcache` removes a broken cache).',
        ruleId: 'gomodcache-unwritable',
      });
    }
  }

  const tmp = (goEnv.GOTMPDIR ?? ctx.env.GOTMPDIR ?? '').trim();
  if (tmp) {
    const problem = !path.isAbsolute(tmp) ? `${tmp} is a relative path` : await writeProblem(tmp, { mustExist: true, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOTMPDIR=${tmp} is not usable (${problem}): every build fails with "go: creating work dir"`,
        hint: 'Unset GOTMPDIR, or point it at an existing, writable, absolute directory (go does not create it).',
        ruleId: 'gotmpdir-unusable',
      });
    }
  }
}

async function checkWork(s) {
  const { ctx, goEnv } = s;
  const gowork = goEnv.GOWORK ?? '';
  if (!gowork || gowork === 'off') return;
  const fromEnv = !!ctx.env.GOWORK && ctx.env.GOWORK !== 'off';
  if (!(await exists(gowork))) {
    s.findings.push({
      severity: 'error',
      message: `GOWORK=${gowork} does not exist: every go command fails with "go: reading go.work: open ${gowork}: no such file or directory"`,
      hint: 'Unset GOWORK (or set GOWORK=off), or point it at an existing go.work file.',
      ruleId: 'gowork-missing',
    });
    return;
  }
  const rel = reportPath(ctx.dir, gowork);
  const modules = ctx.probe.modules.filter((m) => m.inWorkspace).map((m) => m.goModFile);
  const inEffect = `builds use the workspace modules${modules.length ? ` (${modules.join(', ')})` : ''} instead of the versions go.mod requires`;
  if (fromEnv) {
    s.findings.push({ severity: 'notice', message: `GOWORK=${gowork} puts the build in workspace mode: ${inEffect}`, ruleId: 'gowork-env' });
    return;
  }
  const root = ctx.probe.git.isRepo ? ctx.probe.git.root : undefined;
  let tracked;
  if (root && isInside(root, gowork)) {
    const r = await runGit$1(['ls-files', '--error-unmatch', '--', reportPath(root, gowork)], {
      exec: ctx.exec,
      cwd: root,
      env: ctx.env,
      signal: ctx.signal,
      timeoutMs: 30_000,
    });
    if (r.code === 0) tracked = true;
    else if (r.code === 1) tracked = false;
  }
  const outsideDir = !isInside(ctx.dir, gowork);
  if (tracked === true && !outsideDir) {
    s.findings.push({ severity: 'notice', message: `${rel} is committed and in effect: ${inEffect}`, file: rel, ruleId: 'gowork-committed' });
  } else if (tracked === true) {
    s.findings.push({
      severity: 'notice',
      message: `${rel} (above the inspected directory) is committed and in effect: ${inEffect}`,
      file: rel,
      ruleId: 'gowork-committed',
    });
  } else if (outsideDir) {
    s.findings.push({
      severity: 'warning',
      message: `${gowork}, outside ${root && isInside(root, gowork) ? 'the inspected directory and not tracked by git' : ctx.probe.git.isRepo ? 'this repository' : 'the inspected directory'}, puts this build in workspace mode: ${inEffect}. A CI checkout would not have it`,
      hint: 'Set GOWORK=off for this build (or remove that go.work) if the workspace is not intended.',
      ruleId: 'gowork-inherited',
    });
  } else if (tracked === false) {
    s.findings.push({
      severity: 'warning',
      message: `${rel} is not tracked by git but in effect: this run ${inEffect}, while a CI checkout would not have the file`,
      hint: 'Set GOWORK=off to build like CI, or commit go.work if the workspace is intended.',
      file: rel,
      ruleId: 'gowork-untracked',
    });
  } else {
    s.findings.push({ severity: 'notice', message: `${rel} is in effect: ${inEffect}`, file: rel, ruleId: 'gowork-committed' });
  }
}

async function checkGobin(s) {
  const { ctx, goEnv } = s;
  // (A GOROOT that does not hold the go on PATH is the toolchain check's finding.)
  const real = async (p) => promises.realpath(p).catch(() => path.resolve(p));
  const samePath = (a, b) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const gobin = (goEnv.GOBIN ?? '').trim();
  if (gobin) {
    const pathVar = ctx.env.PATH ?? ctx.env.Path ?? '';
    const want = await real(gobin);
    const dirs = await Promise.all(pathVar.split(path.delimiter).filter(Boolean).map(real));
    if (!dirs.some((d) => samePath(d, want))) {
      s.findings.push({
        severity: 'warning',
        message: `GOBIN=${gobin} is not on PATH: tools installed with \`go install\` will not be found by later steps`,
        hint: `Add it to PATH (in a workflow: echo "${gobin}" >> "$GITHUB_PATH"), or unset GOBIN.`,
        ruleId: 'gobin-not-on-path',
      });
    }
  }
}

/**
 * The Go release that added each GOEXPERIMENT (the go-preflight authors' reading of the release
 * notes and src/internal/goexperiment); an experiment a release does not know fails every go command.
 */
const EXPERIMENT_SINCE = {
  regabiwrappers: '1.17', regabiargs: '1.17', fieldtrack: '1.5', preemptibleloops: '1.10', staticlockranking: '1.15',
  boringcrypto: '1.19', heapminimum512kib: '1.19', arenas: '1.20', coverageredesign: '1.20', cgocheck2: '1.21',
  loopvar: '1.21', cacheprog: '1.21', pagetrace: '1.21', allocheaders: '1.22', exectracer2: '1.22', newinliner: '1.22',
  rangefunc: '1.22', aliastypeparams: '1.23', swissmap: '1.24', spinbitmutex: '1.24', synctest: '1.24',
  synchashtriemap: '1.24', dwarf5: '1.25', greenteagc: '1.25', jsonv2: '1.25', goroutineleakprofile: '1.26',
  randomizedheapbase64: '1.26', runtimefreegc: '1.26', runtimesecret: '1.26', simd: '1.26', sizespecializedmalloc: '1.26',
};

/** The experiments this Go knows: $GOROOT/src/internal/goexperiment/exp_<name>_on.go. */
async function knownExperiments(goroot) {
  if (!goroot) return [];
  const names = await promises.readdir(path.join(goroot, 'src', 'internal', 'goexperiment')).catch(() => [] );
  return names.map((n) => /^exp_([a-z0-9]+)_on\.go$/.exec(n)?.[1]).filter((n) => !!n).sort();
}

/** The environment makes every go command fail (the probe could read `go env` only without the variable). */
async function checkBrokenEnv(s) {
  const bad = s.ctx.probe.envError;
  if (!bad?.variable || bad.variable === 'GOFLAGS') return; // GOFLAGS: checkGoFlags quotes go
  const running = s.ctx.probe.go.version;
  if (bad.variable === 'GOEXPERIMENT') {
    const known = await knownExperiments(s.goEnv.GOROOT);
    const unknown = (bad.value ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => x.replace(/^no(?=[a-z])/, ''))
      .filter((x) => !known.includes(x) && x !== 'none');
    const parts = unknown.map((x) => {
      const since = EXPERIMENT_SINCE[x];
      const near = known.filter((k) => editDistance(k, x) <= 2);
      if (since && compareGo(normalizeGoVersion(running), since) < 0) return `${x} needs Go ${since} or newer`;
      if (since) return `${x} was added in Go ${since} but is no experiment of ${running} any more (removed, or now the default)`;
      return `${x} is not an experiment of any Go release${near.length ? ` (did you mean ${near.join(' or ')}?)` : ' (a typo?)'}`;
    });
    const where = bad.file ? ` (set with \`go env -w\` in ${bad.file}: \`go env -u GOEXPERIMENT\` removes it)` : '';
    s.findings.push({
      severity: 'error',
      message: `GOEXPERIMENT=${bad.value}${where} makes every go command fail with "${bad.reason}": ${running} does not know ${unknown.length > 1 ? 'these experiments' : 'this experiment'}${parts.length ? `: ${parts.join('; ')}` : ''}`,
      hint: `Remove ${unknown.join(', ') || 'it'} from GOEXPERIMENT for ${running}${unknown.some((x) => EXPERIMENT_SINCE[x] && compareGo(normalizeGoVersion(running), EXPERIMENT_SINCE[x]) < 0) ? ', or run a Go that has the experiment (actions/setup-go)' : ''}. ${running} knows: ${known.join(', ') || 'see `go doc internal/goexperiment`'}.`,
      ruleId: 'goexperiment-unknown',
    });
    return;
  }
  s.findings.push({
    severity: 'error',
    message: `${bad.variable}=${bad.value}${bad.file ? ` (set with \`go env -w\` in ${bad.file})` : ''} makes every go command fail: ${bad.reason}`,
    hint: `Fix or unset ${bad.variable} (in the workflow env, or \`go env -u ${bad.variable}\`).`,
    ruleId: 'goenv-broken',
  });
}

/**
 * `go build` of a main package stamps VCS information (-buildvcs=auto) by running git in the
 * repository; when git refuses the repository ("detected dubious ownership", a checkout owned by
 * another user, common in container jobs) the build fails with "error obtaining VCS status".
 * go-preflight's own git calls only skip in that case, so this is where the build's failure shows.
 */
async function checkVcsStamping(s) {
  const { ctx, goEnv } = s;
  const at = ctx.probe.git.dubiousOwnership;
  if (!at) return;
  const goflags = splitGoFlags(ctx.env.GOFLAGS || goEnv.GOFLAGS || '');
  const buildvcs = goflags.filter((f) => f.name === 'buildvcs').at(-1);
  if (buildvcs && buildvcs.value === 'false') return;
  for (const m of ctx.probe.modules) {
    if (m.parseError) continue;
    // Which packages are main packages: go's answer, for the patterns the build compiles.
    const list = await ctx.go.run(['list', '-e', '-f', '{{if eq .Name "main"}}{{.ImportPath}}{{end}}', '--', ...ctx.settings.packages], { cwd: m.dir, signal: ctx.signal, timeoutMs: 120_000 });
    const mains = list.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (!mains.length) continue;
    // Ask go whether stamping fails: `go build -n` plans the build (nothing compiled or written).
    // The output path is a temporary file, never the null device: as root, a go that did write
    // would rename its output over /dev/null.
    const out = path.join(await ctx.tempDir('buildvcs'), 'out');
    const plan = await ctx.go.run(['build', '-n', '-o', out, '--', mains[0]], { cwd: m.dir, signal: ctx.signal, timeoutMs: 120_000 });
    const err = /error obtaining VCS status[^\n]*/.exec(plan.stderr)?.[0];
    if (!err) continue;
    const shown = mains.slice(0, 3).join(', ') + (mains.length > 3 ? ` and ${mains.length - 3} more` : '');
    s.findings.push({
      severity: 'error',
      message: `git refuses the repository at ${at} ("detected dubious ownership": another user owns it), so \`go build\` of the main package${mains.length > 1 ? 's' : ''} ${shown} fails: "${err.trim()}" (go stamps VCS information into binaries)`,
      hint: `Trust the checkout before the build: \`git config --global --add safe.directory ${at}\` (in a container job, run it after actions/checkout), or build without VCS stamping: add -buildvcs=false to GOFLAGS.`,
      file: m.goModFile,
      module: m.relDir,
      ruleId: 'buildvcs-dubious-ownership',
    });
    return; // one cause, one finding
  }
}

/** Settings a Go release added; older releases ignore them silently. */
const SETTING_SINCE = [
  { name: 'GOARM64', since: '1.23', effect: 'arm64 builds target the baseline v8.0' },
  { name: 'GORISCV64', since: '1.23', effect: 'riscv64 builds target the baseline rva20u64' },
  { name: 'GOAUTH', since: '1.24', effect: 'go fetches private modules with .netrc and git credentials only' },
  { name: 'GOFIPS140', since: '1.24', effect: 'the FIPS 140-3 module is not selected' },
  { name: 'GOCACHEPROG', since: '1.24', effect: 'the build cache stays local (Go 1.21-1.23 only read it with GOEXPERIMENT=cacheprog)' },
];

/** A setting the Go that builds does not know does nothing, silently: say so with the version that added it. */
function checkUnknownSettings(s) {
  const goVersion = buildGoVersion(s.ctx.probe);
  const v = normalizeGoVersion(goVersion);
  for (const x of SETTING_SINCE) {
    const value = (s.ctx.env[x.name] ?? '').trim();
    if (!value || compareGo(v, x.since) >= 0) continue;
    s.findings.push({
      severity: 'warning',
      message: `${x.name}=${value} is set but ${goVersion} does not know ${x.name} (added in Go ${x.since}): it has no effect, so ${x.effect}`,
      hint: `Build with Go ${x.since} or newer (actions/setup-go), or remove ${x.name}.`,
      ruleId: 'goenv-too-new',
    });
  }
}

function checkTypos(s) {
  const known = new Set([...Object.keys(s.goEnv), ...KNOWN_GO_VARS]);
  for (const name of Object.keys(s.ctx.env).sort()) {
    if (s.ctx.env[name] === undefined) continue;
    const upper = process.platform === 'win32' ? name.toUpperCase() : name;
    const meant = likelyGoVarTypo(upper, known);
    if (!meant) continue;
    s.findings.push({
      severity: 'warning',
      message: `${name} is not a Go environment variable: it does nothing (did you mean ${meant}?)`,
      hint: `Rename it to ${meant.split(' ')[0]} (check \`go env\` for the variables go reads).`,
      ruleId: 'goenv-typo',
    });
  }
}

const goEnvCheck = {
  id: 'go-env',
  title: 'Go environment',
  needs: ['go'],
  options: {
    'probe-proxy': {
      type: 'boolean',
      default: false,
      description:
        'Ask the first GOPROXY entry (3 s timeout per request, at most 50 modules) whether it serves the required modules missing from the module cache. Sends the paths of modules not covered by GONOPROXY to that proxy, as go itself would.',
    },
    'public-hosts': {
      type: 'array',
      items: { type: 'string', description: 'a host, e.g. go.example.org' },
      default: [],
      description: 'Extra module hosts served by the public module proxy (modules on other unknown hosts are presumed private).',
    },
    'private-hosts': {
      type: 'array',
      items: { type: 'string', description: 'a module path prefix, e.g. github.com/acme' },
      default: [],
      description: 'Module path prefixes (host or host/org) whose modules are private even though the host is public.',
    },
  },
  async run(ctx) {
    const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
    const options = {
      probeProxy: ctx.options['probe-proxy'] === true,
      publicHosts: strings(ctx.options['public-hosts']),
      privateHosts: strings(ctx.options['private-hosts']),
    };
    const goEnv = ctx.probe.goEnv;
    const s = {
      ctx,
      goEnv,
      findings: [],
      noWrite: [ctx.dir, ...(ctx.probe.git.root ? [ctx.probe.git.root] : [])],
      requires: resolvedRequires(ctx.probe),
      gomodcache: moduleCacheDir(goEnv),
    };
    const list = parseProxyList(goEnv.GOPROXY ?? '');
    checkGo111Module(s);
    checkSumdbAndInsecure(s);
    checkTypos(s);
    checkUnknownSettings(s);
    await Promise.all([checkBrokenEnv(s), checkVcsStamping(s), checkGoFlags(s), checkProxy(s, list), checkPrivate(s, list, options), checkCaches(s), checkWork(s), checkGobin(s)]);
    // The probe could read the variables but not run a full `go env`: if no finding above names the
    // cause, say what go said.
    const goEnvError = ctx.probe.goEnvError;
    if (goEnvError && !s.findings.some((f) => f.severity === 'error')) {
      // The variables go's message names that the environment sets (`unsupported GOOS/GOARCH pair`).
      const named = [...new Set([...goEnvError.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]))].filter((v) => ctx.env[v]);
      const shown = named.map((v) => `${v}=${ctx.env[v]}`).join(' ');
      s.findings.push({
        severity: 'error',
        message: `go cannot build in this environment${shown ? ` (${shown})` : ''}: ${goEnvError}`,
        hint: `Fix ${named.length ? named.join(' or ') : 'the variable go names'} (\`go env\` shows the values in effect), then run go-preflight again.`,
        ruleId: 'goenv-broken',
      });
    }
    return { findings: s.findings };
  },
};

// Helpers shared by the module checks (mod-verify, mod-tidy, vendor):
// - read-only temp copies of a module's go.mod/go.sum, so that commands which may write them
//   (`go mod download`, `go mod verify`, `go mod tidy`, `go mod vendor`) run with
//   `-modfile=<temp>/go.mod` and touch only the copies (go reads and writes `<temp>/go.sum` then);
// - reading go's module-fetch errors and telling a network outage from a missing version or an
//   integrity failure;
// - go.sum line lookup and a small line diff (unified format) for summaries.
















/** Copy the module's go.mod (and go.sum when present) into a fresh temp dir. */
async function copyModFiles(ctx, mod, prefix) {
  const dir = await ctx.tempDir(prefix);
  const modFile = path.join(dir, 'go.mod');
  const sumFile = path.join(dir, 'go.sum');
  await promises.copyFile(path.join(mod.dir, 'go.mod'), modFile);
  let originalSum = '';
  let hadSum = false;
  // go.sum is the repository's: a link out of it, a FIFO or a device is refused (the check is then
  // an error naming it), never read or copied. No go.sum: go creates <dir>/go.sum if it needs one.
  const sum = await readIfExists(path.join(mod.dir, 'go.sum'), ctx.probe.git.root ?? ctx.dir);
  if (sum !== undefined) {
    originalSum = sum;
    hadSum = true;
    await promises.writeFile(sumFile, originalSum);
  }
  return { dir, modFile, sumFile, originalSum, hadSum };
}

/**
 * A file's text, undefined when it does not exist. With `root` (a file of the inspected
 * repository), it is read through core/safe-read.ts and a refusal (a link out of the repository,
 * not a regular file, too large) throws UnsafeReadError, so the check ends in error naming it.
 */
async function readIfExists(file, root, maxBytes = READ_LIMITS.goSum) {
  if (root !== undefined) return readRepoFileIfExists(file, { root, maxBytes, allowOutside: true });
  try {
    return await promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `(cd sub && go mod tidy)` style command prefix for a module; empty for the root module. */
function inModule$1(mod, command) {
  return mod.relDir === '.' || mod.relDir === '' ? command : `cd ${mod.relDir} && ${command}`;
}

/** Lines of text without trailing CR, without the empty string after a final newline. */
function splitLines(text) {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** 1-based line of `path version h1:...` (or `path version/go.mod h1:...`) in go.sum text. */
function goSumLine(sumText, modPath, version, goMod = false) {
  const want = `${modPath} ${version}${goMod ? '/go.mod' : ''}`;
  const lines = splitLines(sumText);
  const i = lines.findIndex((l) => {
    const f = l.trim().split(/\s+/);
    return `${f[0]} ${f[1]}` === want;
  });
  return i < 0 ? undefined : i + 1;
}

/** Set of `path version[/go.mod]` keys in go.sum text. */
function goSumKeys(sumText) {
  const out = new Set();
  for (const l of splitLines(sumText)) {
    const f = l.trim().split(/\s+/);
    if (f.length >= 3) out.add(`${f[0]} ${f[1]}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// go's error output

/**
 * Split go's stderr into error blocks: a line that does not start with a tab opens a block, and
 * tab-indented lines continue it (`server response:` lines, import stacks). Progress lines
 * (`go: downloading`, `go: finding module`, `go: found`) are dropped.
 */
function goErrorBlocks(stderr) {
  const blocks = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && blocks.length) {
      blocks[blocks.length - 1] += `\n${line}`;
      continue;
    }
    blocks.push(line);
  }
  return blocks.filter((b) => !/^go: (downloading|finding module|found|extracting|upgraded|added|warning:) /.test(b));
}

/** One line out of a block: tabs and newlines folded (`…: 404 Not Found; server response: …`). */
function foldBlock(block) {
  const lines = block
    .replace(/^go: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // `X imports\n\tY: err` reads as one sentence: `X imports Y: err`.
  return lines.reduce((acc, l, i) => (i === 0 ? l : `${acc}${/ imports$/.test(lines[i - 1]) ? ' ' : '; '}${l}`), '');
}

/** Hide credentials embedded in URLs (`https://user:token@host`) before they reach a report. */
function redactUrls(text) {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

 
















/** What kind of failure a go fetch error is. Integrity failures (checksum mismatch) are handled apart. */
function classifyFetchError(text) {
  // `X@v (replaced by ../dir): reading ../dir/go.mod: open …: no such file or directory`
  if (/\(replaced by (?:\.{1,2}[\/\\]|[\/\\]|[A-Za-z]:)[^)]*\): reading /.test(text)) return 'local-replace';
  if (/disabled by GOPROXY=off/.test(text)) return 'offline';
  if (/requires go >= /.test(text)) return 'too-new';
  if (
    /dial tcp|no such host|i\/o timeout|TLS handshake|connection refused|connection reset|network is unreachable|no route to host|context deadline exceeded|Client\.Timeout|proxyconnect|server misbehaving|temporary failure in name resolution|unexpected EOF|x509: |tls: |: 5\d\d [A-Z]/i.test(
      text,
    )
  ) {
    return 'network';
  }
  if (/terminal prompts disabled|could not read Username|: 401 Unauthorized|authentication (failed|required)|Permission denied \(publickey\)/i.test(text)) {
    return 'auth';
  }
  if (/verifying (module|go\.mod): .*\/lookup\//s.test(text)) return 'sumdb';
  if (
    /: (400|403|404|410) [A-Z]|not available|unknown revision|invalid version|no matching versions|does not contain package|cannot find module|unrecognized import path|repository not found|no such file or directory|not found/i.test(
      text,
    )
  ) {
    return 'not-found';
  }
  return 'other';
}

/** `module@version` named at the start of a go error (`go: X@v: …`, `verifying X@v: …`). */
function moduleOfError(block) {
  const m = /^(?:go: )?(?:verifying (?:module: |go\.mod: )?)?([^\s@:]+)@([^\s:/]+)(?:\/go\.mod)?(?::| \(replaced by)/.exec(block);
  if (m) return { path: m[1], version: m[2] };
  return undefined;
}

/** A hint for a fetch problem; goproxy is the (redacted) GOPROXY value. */
function fetchHint(kind, modPath, goproxy) {
  switch (kind) {
    case 'offline':
      return (
        'Not an integrity problem: the module is not in the module cache and GOPROXY=off forbids downloads. ' +
        'Allow downloads (unset GOPROXY or set it to a reachable proxy) or restore the module cache before this step.'
      );
    case 'network':
      return (
        `Not an integrity problem: the proxy or origin was unreachable (GOPROXY=${goproxy || 'unset'}). ` +
        'Check network access and HTTPS_PROXY/NO_PROXY, the proxy URL and its credentials, then retry; nothing was verified for this module.'
      );
    case 'not-found':
      return (
        `Check that this version exists (\`go list -m -versions ${modPath}\`) and fix the requirement (\`go get ${modPath}@<version>\`)` +
        // A GOPRIVATE hint for golang.org/x would send the reader the wrong way.
        (isPublicModuleHost(modPath.split('/')[0])
          ? '.'
          : `; for a private module set GOPRIVATE=${modPath.split('/').slice(0, 2).join('/')} so go fetches it directly.`)
      );
    case 'auth':
      return (
        `The module is private: set GOPRIVATE=${modPath.split('/').slice(0, 2).join('/')} and give git credentials ` +
        '(a .netrc entry, `git config url."https://x-access-token:${TOKEN}@github.com/".insteadOf`, or GOAUTH).'
      );
    case 'sumdb':
      return (
        `The public checksum database does not know this module: if ${modPath} is private, add its prefix to GOPRIVATE ` +
        '(or GONOSUMDB) so go does not look it up there.'
      );
    case 'too-new':
      return 'Use a newer Go or require an older version of the dependency (the modules check names the dependency and the Go it needs).';
    case 'local-replace':
      return (
        `Not a download or integrity problem: the local replacement of ${modPath} is missing (see the modules check). ` +
        'Check it out next to this repository in CI, or drop the replace directive.'
      );
    case 'other':
      return 'Run the command shown in the message locally for the full output.';
  }
}

function fetchProblemText(kind) {
  switch (kind) {
    case 'offline':
      return 'downloads are disabled (GOPROXY=off) and it is not in the module cache';
    case 'network':
      return 'the module proxy or origin could not be reached';
    case 'not-found':
      return 'the proxy or origin does not have it';
    case 'auth':
      return 'the origin asks for credentials';
    case 'sumdb':
      return 'the checksum database cannot verify it';
    case 'too-new':
      return 'it needs a newer Go';
    case 'local-replace':
      return 'its local replacement directory does not exist or has no go.mod';
    case 'other':
      return 'go failed';
  }
}

// ---------------------------------------------------------------------------------------------
// Line diff



/** Line diff (LCS; go.mod/go.sum/modules.txt are small). */
function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  // Trim the common prefix and suffix so the quadratic table stays small.
  let pre = 0;
  while (pre < n && pre < m && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < n - pre && suf < m - pre && a[n - 1 - suf] === b[m - 1 - suf]) suf++;
  const A = a.slice(pre, n - suf);
  const B = b.slice(pre, m - suf);
  const ops = a.slice(0, pre).map((text) => ({ kind: ' ', text }));
  if (A.length * B.length > 4_000_000) {
    // Too big for the table: all out, all in.
    for (const text of A) ops.push({ kind: '-', text });
    for (const text of B) ops.push({ kind: '+', text });
  } else {
    const w = B.length + 1;
    const t = new Uint32Array((A.length + 1) * w);
    for (let i = A.length - 1; i >= 0; i--) {
      for (let j = B.length - 1; j >= 0; j--) {
        t[i * w + j] = A[i] === B[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < A.length || j < B.length) {
      if (i < A.length && j < B.length && A[i] === B[j]) {
        ops.push({ kind: ' ', text: A[i] });
        i++;
        j++;
      } else if (i < A.length && (j >= B.length || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
        // Deletions before insertions, as diff(1) prints them.
        ops.push({ kind: '-', text: A[i] });
        i++;
      } else {
        ops.push({ kind: '+', text: B[j] });
        j++;
      }
    }
  }
  for (const text of a.slice(n - suf)) ops.push({ kind: ' ', text });
  return ops;
}

/**
 * A unified diff of two texts in the format of `go mod tidy -diff` (`diff current/go.mod tidy/go.mod`
 * header, 3 lines of context), or '' when equal.
 */
function unifiedDiff(oldText, newText, oldName, newName, context = 3) {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  if (!ops.some((o) => o.kind !== ' ')) return '';
  const out = [`diff ${oldName} ${newName}`, `--- ${oldName}`, `+++ ${newName}`];
  // Positions of every op in both files.
  const pos = [];
  let o = 0;
  let nn = 0;
  for (const op of ops) {
    pos.push({ o, n: nn });
    if (op.kind !== '+') o++;
    if (op.kind !== '-') nn++;
  }
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((h) => h.kind !== '+').length;
    const newCount = hunk.filter((h) => h.kind !== '-').length;
    const oldStart = oldCount ? pos[start].o + 1 : pos[start].o;
    const newStart = newCount ? pos[start].n + 1 : pos[start].n;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const h of hunk) out.push(`${h.kind}${h.text}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}










/** Parse `diff current/X tidy/X` sections (go mod tidy -diff output, or unifiedDiff's). */
function parseUnifiedDiff$1(text) {
  const sections = [];
  let cur;
  let oldLine = 0;
  let newLine = 0;
  const rawLines = text.split('\n');
  for (const raw of rawLines) {
    const line = raw.replace(/\r$/, '');
    const head = /^diff (\S+) (\S+)$/.exec(line);
    if (head) {
      cur = { file: head[1].replace(/^[^/]*\//, ''), lines: [], text: `${line}\n` };
      sections.push(cur);
      continue;
    }
    if (!cur) continue;
    cur.text += `${line}\n`;
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      // `-s,c`: the hunk starts at old line s; with c = 0 it inserts after line s.
      const s = Number(h[1]);
      const t = Number(h[3]);
      oldLine = h[2] === '0' ? s + 1 : s;
      newLine = h[4] === '0' ? t + 1 : t;
      continue;
    }
    const kind = line[0];
    if (kind === ' ' || kind === '-' || kind === '+') {
      cur.lines.push({ kind, text: line.slice(1), oldLine, newLine });
      if (kind !== '+') oldLine++;
      if (kind !== '-') newLine++;
    }
  }
  for (const s of sections) s.text = s.text.replace(/\n+$/, '\n');
  return sections;
}

/** Apply a parsed section to the old text's lines: the new file's lines. */
function applyDiff(oldLines, section) {
  const out = [];
  let i = 0; // index in oldLines (0-based)
  for (const l of section.lines) {
    const at = l.oldLine - 1;
    while (i < at && i < oldLines.length) out.push(oldLines[i++]);
    if (l.kind === ' ') {
      if (i < oldLines.length) out.push(oldLines[i++]);
      else out.push(l.text);
    } else if (l.kind === '-') i++;
    else out.push(l.text);
  }
  while (i < oldLines.length) out.push(oldLines[i++]);
  return out;
}

/**
 * The modules go can read (`go mod edit -json` worked), with a note for each one left out: the
 * modules check reports why a go.mod does not parse.
 */
function readableModules(ctx) {
  const notes = [];
  const mods = ctx.probe.modules.filter((m) => {
    if (m.parseError) notes.push(`${m.goModFile} skipped: it does not parse (${m.parseError.split('\n').slice(-1)[0]}; see the modules check)`);
    return !m.parseError;
  });
  return { mods, notes };
}

// One reading of go's module errors, shared by the checks that run go (mod-tidy, packages,
// mod-verify), so that the same failure gets the same cause, names the same module, and can be
// said once: every check computes the same `causeKey` from the same stderr signature.
//
// The shapes go prints (all observed with a local HTTP GOPROXY and with GOPROXY=off):
//   go: example.com/tools imports
//   	example.com/dep/pkg: example.com/dep@v1.1.0: reading http://proxy/example.com/dep/@v/v1.1.0.zip: 404 Not Found
//   	server response: not found: …
//   go: example.com/dep@v1.1.0: reading http://proxy/example.com/dep/@v/v1.1.0.mod: 403 Forbidden
//   go: example.com/tools imports
//   	example.com/dep/pkg: module lookup disabled by GOPROXY=off
//   go: example.com/app imports
//   	example.com/nosuch/pkg: cannot find module providing package example.com/nosuch/pkg: module example.com/nosuch/pkg: reading …/@v/list: 404 Not Found
//   go: example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)
//   main.go:3:8: example.com/dep@v1.1.0: reading …zip: 404 Not Found          (go build)
//   go: github.com/x/y/cmd/z: github.com/x/y@v0.1.0: …                          (go install, go run)
// and `go list -e` puts the part after `PKG: ` into the package's Error.Err.
//
// Pure functions only: no process, no file system.


 


































const MODVER = String.raw`([^\s@:()]+)@([^\s:/()]+)`;

/** Fold continuation lines (`\tserver response: …`) into one line. */
function fold(lines) {
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

/** The longest required module path that is a prefix of an import path. */
function requirementOf(requires, pkg) {
  return requires.filter((r) => pkg === r.path || pkg.startsWith(`${r.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** Parse one error block of go's stderr (see goErrorBlocks) or one `go list` Error.Err. */
function parseGoError(block, requires = []) {
  const raw = redactUrls(block.replace(/\r/g, '').trimEnd());
  const lines = raw.split('\n');
  let i = 0;
  const chain = [];
  // `go: A imports` / `\tB imports` / `A tested by` / `\tA.test imports`
  for (; i < lines.length; i++) {
    const m = /^(?:go: )?\s*(\S+) (?:imports|tested by)$/.exec(lines[i]);
    if (!m) break;
    chain.push(m[1]);
  }
  let rest = fold(lines.slice(i)).replace(/^go: /, '');
  // A position first (go build, go list): `main.go:3:8: …`, `C:\x\main.go:3:8: …`.
  rest = rest.replace(/^(?:[A-Za-z]:)?[^\s:][^:\n]*\.go:\d+(?::\d+)?: /, '');
  const out = {};
  if (chain.length) out.importer = chain[chain.length - 1].replace(/\.test$/, '');
  let m;
  if ((m = new RegExp(`^(?:verifying (?:module: |go\\.mod: )?)?${MODVER}(?:/go\\.mod)?(?:: | (\\(replaced by [^)]*\\)): )(.*)$`, 's').exec(rest))) {
    out.module = m[1];
    out.version = m[2];
    rest = m[3] ? `${m[3]}: ${m[4]}` : m[4];
  } else if ((m = new RegExp(`^${MODVER} (requires go >= .*)$`, 's').exec(rest))) {
    out.module = m[1];
    out.version = m[2];
    rest = m[3];
  } else if ((m = new RegExp(`^([^\\s@:]+): (?:verifying (?:module: |go\\.mod: )?)?${MODVER}(?:/go\\.mod)?: (.*)$`, 's').exec(rest))) {
    // `PKG: MOD@VER: cause`
    out.package = m[1];
    out.module = m[2];
    out.version = m[3];
    rest = m[4];
  } else if (chain.length && (m = /^([^\s@:]+): (.*)$/s.exec(rest))) {
    // `A imports\n\tPKG: cause` (no module named: GOPROXY=off, no-module…)
    out.package = m[1];
    rest = m[2];
  }
  // `module X@V requires go >= …` inside the cause names the module too.
  if (!out.module && (m = new RegExp(`(?:^|: )module ${MODVER} requires go >= `).exec(rest))) {
    out.module = m[1];
    out.version = m[2];
  }
  const noModule = /(?:cannot find module providing package|no required module provides package) (\S+?)(?::|;|$)/.exec(rest);
  if (noModule && !out.package) out.package = noModule[1];
  const http = /: ((?:[1-5]\d\d) [A-Z][A-Za-z' -]*?)(?:;|$)/.exec(rest);
  if (http) {
    out.httpText = http[1].trim();
    out.httpStatus = Number(out.httpText.slice(0, 3));
  }

  let kind;
  if (/checksum mismatch/.test(rest)) kind = 'checksum-mismatch';
  else if (/missing go\.sum entry/.test(rest)) kind = 'missing-sum';
  else {
    kind = classifyFetchError(rest);
    if (noModule && (kind === 'not-found' || kind === 'other')) kind = 'no-module';
  }
  if (!out.module && out.package && requires.length) {
    const r = requirementOf(requires, out.package);
    if (r) {
      out.module = r.path;
      if (r.version) out.version = r.version;
      out.moduleFromRequires = true;
    }
  }
  return { kind, ...out, text: rest.trim(), raw } ;
}

/** Every error of go's stderr, progress lines left out. */
function parseGoErrors(stderr, requires = []) {
  return goErrorBlocks(stderr).map((b) => parseGoError(b, requires));
}

/** Kinds that mean "go could not download this module" (what mod-verify's `go mod download` reports). */
const DOWNLOAD_KINDS = new Set(['offline', 'network', 'not-found', 'auth', 'sumdb']);

/** Whether the error is a failure to download a named module. */
function isDownloadFailure(e) {
  return DOWNLOAD_KINDS.has(e.kind) && !!e.module;
}

/**
 * The identity of a module-level cause: equal keys are the same root cause, whichever check and
 * command saw it (`not-found example.com/dep@v1.1.0`). Undefined when the error names no module.
 */
function causeKey(e) {
  if (!e.module) return undefined;
  return `${e.kind} ${e.module}${e.version ? `@${e.version}` : ''}`;
}

function modVer(e) {
  return `${e.module}${e.version ? `@${e.version}` : ''}`;
}

/** The cause in words, naming the module that failed (never the importing package). */
function describeGoError(e) {
  const what = e.module ? modVer(e) : e.package ? `the module of package ${e.package}` : 'a module';
  switch (e.kind) {
    case 'offline':
      return `${what} is not in the module cache and downloads are disabled (GOPROXY=off)`;
    case 'network':
      return `the module proxy or origin could not be reached for ${what} (${shortCause(e)})`;
    case 'not-found':
      if (e.httpStatus && e.module) return `the proxy does not serve ${what} (${e.httpText})`;
      return e.module ? `${what} was not found (${shortCause(e)})` : `not found: ${shortCause(e)}`;
    case 'no-module':
      return `no module provides package ${e.package ?? '?'}${e.httpText ? ` (the proxy answered ${e.httpText} for it)` : ''}`;
    case 'auth':
      return `${what} needs credentials (${shortCause(e)})`;
    case 'sumdb':
      return `the checksum database cannot verify ${what}`;
    case 'too-new':
      return `${what} requires a newer Go (${/requires go >= [^\s)]+/.exec(e.text)?.[0] ?? e.text})`;
    case 'local-replace':
      return `the local replacement of ${what} does not exist or has no go.mod`;
    case 'checksum-mismatch':
      return `${what} does not match its recorded checksum`;
    case 'missing-sum':
      return `go.sum has no entry for ${e.module ? what : e.package ? `the module providing ${e.package}` : 'a module'}`;
    case 'other':
      return e.text;
  }
}

/** The cause without the URL part: `dial tcp 127.0.0.1:1: connect: connection refused`. */
function shortCause(e) {
  const t = e.text.replace(/^(?:reading \S+|Get "[^"]*"): /, '');
  return t.length > 160 ? `${t.slice(0, 157)}…` : t;
}

/** A hint for the cause, naming the module; `fix` is the command that tidies/loads afterwards. */
function goErrorHint(e, opts) {
  const then = opts.then ? `, then run \`${opts.then}\`` : '';
  const mod = e.module ?? '';
  const prefix = (p) => p.split('/').slice(0, 2).join('/');
  const isPublic = (p) => opts.isPublicHost?.(p.split('/')[0]) ?? false;
  switch (e.kind) {
    case 'offline':
      return `Allow module downloads (unset GOPROXY=off or set a reachable proxy) or restore the module cache before this step${then}.`;
    case 'network':
      return `Check network access to the module proxy (GOPROXY=${redactUrls(opts.goproxy) || 'unset'}), HTTPS_PROXY/NO_PROXY and the proxy's credentials, then retry.`;
    case 'not-found':
      if (!mod) return `Check the module path and version${then}.`;
      return (
        `Check that ${e.version ? `version ${e.version} of ${mod}` : mod} exists (\`go list -m -versions ${mod}\`) and require one the proxy serves (\`go get ${mod}@<version>\`)` +
        (isPublic(mod) ? '' : `; if ${mod} is private, set GOPRIVATE=${prefix(mod)} so go fetches it from its origin`) +
        `${then}.`
      );
    case 'no-module': {
      const pkg = e.package ?? '';
      return isPublic(pkg) || !pkg
        ? `Fix the import path of ${pkg || 'the package'} (or require the module that provides it)${then}.`
        : `Fix the import path of ${pkg}, or, if it is private, set GOPRIVATE=${prefix(pkg)} and make it fetchable (git credentials)${then}.`;
    }
    case 'auth':
      return `${mod || 'The module'} is private: set GOPRIVATE=${prefix(mod || e.package || '')} and give git credentials (a .netrc entry, a git url.insteadOf rule with a token, or GOAUTH).`;
    case 'sumdb':
      return `If ${mod} is private, add its prefix to GOPRIVATE (or GONOSUMDB) so go does not look it up in the public checksum database.`;
    case 'too-new':
      return `Use a newer Go or require an older version of ${mod || 'the dependency'} (see the modules check).`;
    case 'local-replace':
      return `The local replacement of ${mod} is missing (see the modules check): check it out next to this repository in CI, or drop the replace directive.`;
    case 'checksum-mismatch':
      return `Do not run \`go mod tidy\` to "fix" this: see the mod-verify check, which compares the download with go.sum.`;
    case 'missing-sum':
      return mod ? `Run \`go mod download ${mod}\`${then ? ` or \`${opts.then}\`` : ''} and commit go.sum.` : `Run \`${opts.then ?? 'go mod tidy'}\` and commit go.sum.`;
    case 'other':
      return `Fix the error above${then}.`;
  }
}

// mod-tidy: are go.mod and go.sum tidy for every module in the repository?
//
// Go >= 1.23: `go mod tidy -diff` is read-only; it exits 1 with a unified diff on stdout when the
// module is untidy, and exits 1 with empty stdout when tidy itself fails. Older Go has no -diff
// (exit 2, "flag provided but not defined: -diff"): we tidy copies of go.mod/go.sum through
// `-modfile=<temp>/go.mod` (go reads the sources in place, writes only the copies) and diff ourselves.
//
// Workspaces: `go mod tidy` ignores go.work (golang/go#50750), so each module is tidied on its own
// with GOWORK=off. A module that imports a workspace sibling without require+replace cannot be
// tidied at all; that is reported as such.















function requires(dirs) {
  const out = new Map();
  for (const d of dirs) {
    if (d.verb !== 'require' || !d.args[0] || out.has(d.args[0])) continue;
    out.set(d.args[0], {
      path: d.args[0],
      version: d.args[1] ?? '',
      indirect: /^indirect\b/.test(d.comment ?? ''),
      line: d.line,
      column: d.column,
    });
  }
  return out;
}

const otherKey = (d) => `${d.verb} ${d.args.join(' ')}`;

/** Findings for the go.mod differences between the current and the tidy text. */
function goModFindings(mod, current, tidy, changedOldLine) {
  const hint = `Run \`${inModule$1(mod, 'go mod tidy')}\` and commit go.mod and go.sum.`;
  const file = mod.goModFile;
  const oldDirs = parseModDirectives(current);
  const newDirs = parseModDirectives(tidy);
  const oldReq = requires(oldDirs);
  const newReq = requires(newDirs);
  const firstRequire = oldDirs.find((d) => d.verb === 'require');
  const findings = [];
  const at = (line, column) => ({ file, ...(line ? { line } : {}), ...(column ? { column } : {}) });

  for (const o of oldReq.values()) {
    const n = newReq.get(o.path);
    if (!n) {
      findings.push({
        severity: 'error',
        message: o.indirect
          ? `${file} requires ${o.path} ${o.version} (// indirect) but nothing in the build needs it (remove it)`
          : `${file} requires ${o.path} ${o.version} but no package imports it (remove it)`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-unused-require',
      });
      continue;
    }
    if (n.version !== o.version) {
      findings.push({
        severity: 'error',
        message: `${file} requires ${o.path} ${o.version} but the module graph selects ${n.version} (a dependency needs it): tidy raises the requirement`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-version',
      });
    } else if (n.indirect !== o.indirect) {
      findings.push({
        severity: 'error',
        message: o.indirect
          ? `${o.path} is imported by the code but marked // indirect in ${file}`
          : `${o.path} is not imported by the code but ${file} lists it as a direct requirement (tidy marks it // indirect)`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-indirect',
      });
    }
  }
  for (const n of newReq.values()) {
    if (oldReq.has(n.path)) continue;
    findings.push({
      severity: 'error',
      message: n.indirect
        ? `${file} is missing an indirect requirement on ${n.path} ${n.version}, needed by a dependency`
        : `${file} is missing a requirement on ${n.path} ${n.version}, imported by the code`,
      hint,
      ...at(firstRequire?.line ?? 1),
      ruleId: 'gomod-missing-require',
    });
  }

  // Every other directive (go, toolchain, replace, exclude, tool…): by content.
  const oldOther = oldDirs.filter((d) => d.verb !== 'require');
  const newOther = newDirs.filter((d) => d.verb !== 'require');
  const newKeys = new Set(newOther.map(otherKey));
  const oldKeys = new Set(oldOther.map(otherKey));
  for (const d of oldOther) {
    if (newKeys.has(otherKey(d))) continue;
    const repl = newOther.find((x) => x.verb === d.verb && (d.verb === 'go' || d.verb === 'toolchain' || x.args[0] === d.args[0]) && !oldKeys.has(otherKey(x)));
    findings.push({
      severity: 'error',
      message:
        d.verb === 'go' && repl
          ? `tidy changes the go line of ${file} from ${d.args[0]} to ${repl.args[0]} (a dependency requires go >= ${repl.args[0]})`
          : repl
            ? `tidy changes \`${otherKey(d)}\` to \`${otherKey(repl)}\` in ${file}`
            : `tidy removes \`${otherKey(d)}\` from ${file}`,
      hint,
      ...at(d.line, d.column),
      ruleId: 'gomod-directive',
    });
  }
  for (const d of newOther) {
    if (oldKeys.has(otherKey(d))) continue;
    if (oldOther.some((x) => x.verb === d.verb && (d.verb === 'go' || d.verb === 'toolchain' || x.args[0] === d.args[0]) && !newKeys.has(otherKey(x)))) continue;
    findings.push({
      severity: 'error',
      message: `tidy adds \`${otherKey(d)}\` to ${file}`,
      hint,
      ...at(oldDirs.find((x) => x.verb === d.verb)?.line ?? 1),
      ruleId: 'gomod-directive',
    });
  }

  if (findings.length === 0 && splitLines(current).join('\n') !== splitLines(tidy).join('\n')) {
    findings.push({
      severity: 'error',
      message: `${file} is not laid out the way \`go mod tidy\` writes it (requirements grouped, ordered or commented differently)`,
      hint,
      ...at(changedOldLine ?? firstRequire?.line ?? 1),
      ruleId: 'gomod-layout',
    });
  }
  return findings;
}

/** One finding summarising go.sum lines that tidy adds or removes. */
function goSumFinding(mod, section) {
  if (!section) return undefined;
  const added = section.lines.filter((l) => l.kind === '+');
  const removed = section.lines.filter((l) => l.kind === '-');
  if (!added.length && !removed.length) return undefined;
  const file = joinReport(mod.relDir, 'go.sum');
  const plural = (n) => `${n} line${n === 1 ? '' : 's'}`;
  const what =
    added.length && removed.length
      ? `is missing ${plural(added.length)} and has ${removed.length} extra`
      : added.length
        ? `is missing ${plural(added.length)}`
        : `has ${removed.length} extra line${removed.length === 1 ? '' : 's'}`;
  const mods = (ls) => [...new Set(ls.map((l) => l.text.split(/\s+/).slice(0, 2).join(' ').replace(/\/go\.mod$/, '')))];
  const missingMods = mods(added);
  const sample = (xs) => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? `, and ${xs.length - 3} more` : ''}`;
  return {
    // Extra lines never break a build, and -diff may list go.sum lines that plain `go mod tidy`
    // keeps (golang/go#77713): only missing lines are an error.
    severity: added.length ? 'error' : 'warning',
    message: `${file} ${what}`,
    hint:
      `Run \`${inModule$1(mod, 'go mod tidy')}\` and commit go.sum` +
      (missingMods.length ? ` (missing checksums for ${sample(missingMods)})` : '') +
      '.',
    file,
    ...(removed[0] ? { line: removed[0].oldLine } : {}),
    ruleId: 'gosum-untidy',
  };
}

const MAX_DETAIL_LINES = 300;

function detailsFor(mod, diff) {
  const lines = diff.replace(/\n+$/, '').split('\n');
  const shown = lines.length > MAX_DETAIL_LINES ? [...lines.slice(0, MAX_DETAIL_LINES), `… ${lines.length - MAX_DETAIL_LINES} more lines`] : lines;
  return `**${mod.goModFile}** is not tidy (\`${inModule$1(mod, 'go mod tidy')}\` makes these changes):\n\n\`\`\`diff\n${shown.join('\n')}\n\`\`\`\n`;
}

function failed$2(r) {
  return !!(r.spawnError || r.timedOut || r.aborted);
}

function escapeRe$1(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** go.mod's requirements (path and version) for naming the module behind a package. */
function moduleRequirements(mod) {
  return (mod.json?.Require ?? []).map((r) => ({ path: r.Path, version: r.Version }));
}

/** The require line of a module in go.mod, as a finding position. */
function requireAt(mod, modPath) {
  const d = modPath ? requireLine(mod.directives, modPath) : undefined;
  return d ? { line: d.line, column: d.column } : {};
}

/**
 * Whether `go build` in this module reads vendor/: `-mod=vendor` in GOFLAGS, or (without a -mod
 * flag) a vendor/ directory next to a go.mod whose go line is 1.14 or later; not in workspace mode.
 */
function vendorInEffect(ctx, mod) {
  if (!mod.hasVendorDir) return false;
  // In workspace mode go ignores a module's vendor/ (the build needs the module cache then).
  if (ctx.probe.work && mod.inWorkspace) return false;
  const flags = ctx.probe.goEnv.GOFLAGS ?? ctx.env.GOFLAGS ?? '';
  const m = [...flags.matchAll(/(?:^|\s)--?mod=(\S+)/g)].pop();
  if (m) return m[1] === 'vendor';
  return compareGo(mod.goLine ?? '1.16', '1.14') >= 0;
}

/** `vendor/modules.txt`: package import path -> the module that provides it. */
function vendoredPackages(text) {
  const out = new Map();
  let cur;
  for (const line of splitLines(text)) {
    const head = /^# (\S+) \S+/.exec(line);
    if (head) cur = head[1];
    else if (cur && line && !line.startsWith('#')) out.set(line.trim(), cur);
  }
  return out;
}

/**
 * Tidy in vendor mode without the module cache: what vendor/ lets us judge (a module the code
 * imports, marked `// indirect` in go.mod), and one notice saying what could not be compared.
 */
async function vendorJudgment(ctx, mod, errs) {
  const findings = [];
  const fetch = errs.find((e) => DOWNLOAD_KINDS.has(e.kind));
  const why =
    fetch.kind === 'offline'
      ? 'downloads are disabled (GOPROXY=off) and the module cache does not hold the requirements'
      : fetch.kind === 'network'
        ? 'the module proxy could not be reached and the module cache does not hold the requirements'
        : `it cannot download what go.mod requires (${describeGoError(fetch)})`;
  const modulesTxt = (await readIfExists(path.join(mod.dir, 'vendor', 'modules.txt'))) ?? '';
  const owner = vendoredPackages(modulesTxt);
  const r = await ctx.go.run(['list', '-mod=vendor', '-e', '-json=ImportPath,Imports,TestImports,XTestImports', './...'], {
    cwd: mod.dir,
    env: { GOWORK: 'off' },
    signal: ctx.signal,
  });
  if (failed$2(r)) throw new Error(describeFailure(r));
  let compared = false;
  if (r.code === 0) {
    compared = true;
    const imported = new Map(); // module -> one package of ours importing it
    for (const p of parseJsonStream(r.stdout).values) {
      for (const i of [...(p?.Imports ?? []), ...(p?.TestImports ?? []), ...(p?.XTestImports ?? [])]) {
        const m = owner.get(i.replace(/^vendor\//, ''));
        if (m && !imported.has(m)) imported.set(m, p.ImportPath ?? '');
      }
    }
    for (const req of mod.json?.Require ?? []) {
      if (!req.Indirect || !imported.has(req.Path)) continue;
      const d = requireLine(mod.directives, req.Path);
      findings.push({
        severity: 'error',
        message: `${req.Path} is imported by the code (by ${imported.get(req.Path)}) but marked // indirect in ${mod.goModFile}`,
        hint: `Remove \`// indirect\` from the require of ${req.Path}, or run \`${inModule$1(mod, 'go mod tidy')}\` where modules can be downloaded, and commit go.mod.`,
        file: mod.goModFile,
        ...(d ? { line: d.line, column: d.column } : {}),
        ruleId: 'gomod-indirect',
      });
    }
  }
  findings.push({
    severity: 'notice',
    message:
      `${mod.goModFile}: the build reads vendor/, and \`go mod tidy\` cannot run here: ${why}. ` +
      (compared
        ? 'Compared only what vendor/ shows (the imports of the code against the // indirect markers of go.mod); whether every requirement is still needed and whether go.sum is complete were not compared.'
        : `Nothing was compared (\`go list -mod=vendor\` failed; see the vendor check).`),
    hint: `Run \`${inModule$1(mod, 'go mod tidy -diff')}\` where modules can be downloaded (or with the module cache restored) to compare go.mod and go.sum in full.`,
    file: mod.goModFile,
    ruleId: 'tidy-vendor-offline',
  });
  return { findings };
}

/** Findings for a failed tidy (stdout empty, errors on stderr). */
async function tidyErrorFindings(ctx, mod, stderr, command) {
  const blocks = goErrorBlocks(stderr);
  const findings = [];
  const goproxy = redactUrls(ctx.probe.goEnv.GOPROXY ?? '');
  const siblings = mod.inWorkspace ? ctx.probe.modules.filter((m) => m !== mod && m.inWorkspace && m.path) : [];
  const rest = [];
  const seenSibling = new Set();
  for (const block of blocks) {
    const sib = siblings.find((s) => new RegExp(`(?:^|\\s)${escapeRe$1(s.path)}(?:[/@][^\\s:]*)?:`, 'm').test(block));
    if (!sib) {
      rest.push(block);
      continue;
    }
    if (seenSibling.has(sib.path)) continue;
    seenSibling.add(sib.path);
    let rel = path.relative(mod.dir, sib.dir).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const req = requireLine(mod.directives, sib.path);
    const rep = replaceLine(mod.directives, sib.path);
    const why = '`go mod tidy` ignores go.work (golang/go#50750), so it looks the module up through GOPROXY and fails';
    findings.push({
      // Builds through go.work still work; only tidy (and GOWORK=off builds) cannot.
      severity: 'warning',
      message: req
        ? `${mod.goModFile} requires ${sib.path}, a module of the go.work workspace (${sib.goModFile}), without a replace: ${why}`
        : `the code of ${mod.goModFile} imports ${sib.path}, a module of the go.work workspace (${sib.goModFile}), but go.mod neither requires nor replaces it: ${why}`,
      hint: rep
        ? `Check the replace of ${sib.path} in ${mod.goModFile}; it must point at ${rel}.`
        : `Add \`require ${sib.path} v0.0.0\` and \`replace ${sib.path} => ${rel}\` to ${mod.goModFile}, or publish ${sib.path} and require a released version.`,
      file: mod.goModFile,
      ...(req ? { line: req.line, column: req.column } : {}),
      ruleId: 'tidy-workspace-sibling',
    });
  }
  if (rest.length || findings.length === 0) {
    const blocks2 = rest.length ? rest : [stderr.trim().split('\n')[0] ?? ''];
    const requires = moduleRequirements(mod);
    const errs = blocks2.map((b) => parseGoError(b, requires));
    // The build reads vendor/: go mod tidy's downloads are not what the build needs. Judge what
    // can be judged from vendor/ and say what could not be compared.
    if (vendorInEffect(ctx, mod) && errs.some((e) => DOWNLOAD_KINDS.has(e.kind))) return vendorJudgment(ctx, mod, errs);
    const where = mod.relDir === '.' ? 'the module root' : mod.relDir;
    const tidyCmd = inModule$1(mod, 'go mod tidy');
    // mod-verify downloads every requirement of go.mod and reports a download failure as its own
    // finding; the same cause (same cause key) is said there, and only pointed at here.
    const verifyOn = ctx.settings.checks['mod-verify']?.level !== 'off';
    const seenByVerify = (e) => verifyOn && isDownloadFailure(e) && requires.some((r) => r.path === e.module && (!e.version || r.version === e.version));
    const own = errs.filter((e) => !seenByVerify(e));
    if (own.length === 0) {
      const e = errs[0];
      findings.push({
        severity: 'notice',
        message:
          `\`${command}\` could not run in ${where}: ${describeGoError(e)}; ` +
          `the mod-verify check reports this download failure (${causeKey(e)}), so go.mod and go.sum were not compared` +
          (errs.length > 1 ? ` (and ${errs.length - 1} more download failure${errs.length > 2 ? 's' : ''} that mod-verify reports)` : ''),
        hint: `See mod-verify's finding for ${e.module}${e.version ? `@${e.version}` : ''}; once it downloads, run \`${tidyCmd}\`.`,
        file: mod.goModFile,
        ...requireAt(mod, e.module),
        ruleId: 'tidy-see-mod-verify',
      });
    } else {
      const e = own[0];
      const cause = e.kind === 'other' ? redactUrls(foldBlock(blocks2[errs.indexOf(e)])) : describeGoError(e);
      const context =
        e.kind !== 'other' && e.kind !== 'no-module' && e.package
          ? ` (needed for package ${e.package}${e.importer ? `, imported by ${e.importer}` : ''})`
          : e.kind === 'no-module' && e.importer
            ? ` (imported by ${e.importer})`
            : '';
      const more = errs.length - 1;
      findings.push({
        severity: 'error',
        message: `\`${command}\` fails in ${where}: ${cause}${context}` + (more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''),
        hint: goErrorHint(e, { goproxy, then: tidyCmd, isPublicHost: isPublicModuleHost }),
        file: mod.goModFile,
        ...requireAt(mod, e.module),
        ruleId: 'tidy-error',
      });
    }
  }
  const details = `**${mod.goModFile}**: \`${command}\` failed:\n\n\`\`\`\n${redactUrls(blocks.join('\n')).split('\n').slice(0, MAX_DETAIL_LINES).join('\n')}\n\`\`\`\n`;
  return { findings, details };
}

/** Analyse a unified diff (go's -diff output or ours) against the module's current go.mod text. */
function analyseDiff(mod, currentMod, diff, tidyMod) {
  const sections = parseUnifiedDiff$1(diff);
  const modSection = sections.find((s) => s.file === 'go.mod');
  const sumSection = sections.find((s) => s.file === 'go.sum');
  const findings = [];
  if (modSection) {
    const newText = tidyMod ?? `${applyDiff(splitLines(currentMod), modSection).join('\n')}\n`;
    const changed = modSection.lines.find((l) => l.kind !== ' ');
    findings.push(...goModFindings(mod, currentMod, newText, changed?.oldLine));
  }
  const sum = goSumFinding(mod, sumSection);
  if (sum) findings.push(sum);
  if (findings.length === 0 && diff.trim()) {
    findings.push({ severity: 'error', message: `${mod.goModFile} is not tidy`, hint: `Run \`${inModule$1(mod, 'go mod tidy')}\`.`, file: mod.goModFile, ruleId: 'gomod-untidy' });
  }
  return { findings, details: findings.length ? detailsFor(mod, diff) : undefined };
}

/** Pre-1.23 Go: tidy copies of go.mod/go.sum with -modfile and compare. */
async function tidyByCopy(ctx, mod, currentMod) {
  const copy = await copyModFiles(ctx, mod, 'mod-tidy');
  const r = await ctx.go.run(['mod', 'tidy', `-modfile=${copy.modFile}`], { cwd: mod.dir, env: { GOWORK: 'off' }, signal: ctx.signal, memo: false });
  if (failed$2(r)) throw new Error(describeFailure(r));
  if (r.code !== 0) return tidyErrorFindings(ctx, mod, r.stderr, 'go mod tidy');
  const tidyMod = (await readIfExists(copy.modFile)) ?? currentMod;
  const tidySum = (await readIfExists(copy.sumFile)) ?? '';
  const diff = [
    unifiedDiff(currentMod, tidyMod, 'current/go.mod', 'tidy/go.mod'),
    unifiedDiff(copy.originalSum, tidySum, 'current/go.sum', 'tidy/go.sum'),
  ]
    .filter(Boolean)
    .join('\n');
  return analyseDiff(mod, currentMod, diff, tidyMod);
}

async function tidyModule(ctx, mod) {
  const currentMod = (await readIfExists(path.join(mod.dir, 'go.mod'))) ?? mod.text;
  if (compareGo(ctx.probe.go.version, '1.23') >= 0) {
    const r = await ctx.go.run(['mod', 'tidy', '-diff'], { cwd: mod.dir, env: { GOWORK: 'off' }, signal: ctx.signal });
    if (failed$2(r)) throw new Error(describeFailure(r));
    if (r.code === 0) return { findings: [] };
    // A Go that reports a newer version but lacks the flag (a custom build): fall back.
    if (r.code === 2 && /flag provided but not defined: -diff/.test(r.stderr)) return tidyByCopy(ctx, mod, currentMod);
    if (/^diff current\//m.test(r.stdout)) return analyseDiff(mod, currentMod, r.stdout);
    return tidyErrorFindings(ctx, mod, r.stderr || r.stdout, 'go mod tidy -diff');
  }
  return tidyByCopy(ctx, mod, currentMod);
}

const modTidyCheck = {
  id: 'mod-tidy',
  title: 'go.mod and go.sum tidy',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { mods, notes } = readableModules(ctx);
    if (mods.length === 0) return { findings: [], skipReason: 'not applicable: no go.mod that go can read', notes };
    const per = await Promise.all(mods.map((m) => tidyModule(ctx, m)));
    const details = per.map((p) => p.details).filter(Boolean).join('\n');
    return {
      findings: per.flatMap((p) => p.findings),
      ...(details ? { details } : {}),
      ...(notes.length ? { notes } : {}),
    };
  },
};

// The `h1:` hashes of golang.org/x/mod/sumdb/dirhash, computed in Node so that a run verifies each
// module@version of the module cache once, however many modules of the repository require it
// (`go mod verify` re-hashes the shared cache once per module). Same algorithm as dirhash.Hash1:
//
//   "h1:" + base64(sha256(for each file, sorted by name: hex(sha256(content)) + "  " + name + "\n"))
//
// HashDir names files `<module>@<version>/<rel path>` (forward slashes) as dirhash.HashDir does
// (filepath.Walk: Lstat, a symlink counts as a file and is read through); HashZip names them as the
// zip stores them. Reads and inflation run on libuv's thread pool (async fs and zlib), hashing on
// the main thread; a bounded number of files are in flight at once.


const inflateRaw = promisify(zlib.inflateRaw);

/** A tiny counting semaphore: at most `n` holders at once. */
function createLimiter(n) {
  let active = 0;
  const queue = [];
  return async ( fn) => {
    if (active >= n) await new Promise((resolve) => queue.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Files are read through this limiter (shared by every hash of a run). */
 

/** Go's slices.Sort on strings: byte order of the UTF-8 encoding. */
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** dirhash.Hash1 over (name, sha256 hex of content) pairs. */
function hash1(entries) {
  const sorted = [...entries].sort((a, b) => byteOrder(a.name, b.name));
  const h = createHash('sha256');
  for (const e of sorted) {
    if (e.name.includes('\n')) throw new Error('dirhash: filenames with newlines are not supported');
    h.update(`${e.sha256}  ${e.name}\n`);
  }
  return `h1:${h.digest('base64')}`;
}

async function sha256File(file) {
  const h = createHash('sha256');
  const fh = await promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** dirhash.HashDir(dir, prefix, Hash1). */
async function hashDir(dir, prefix, limit) {
  const files = [];
  const walk = async (d, rel) => {
    const entries = await limit(() => promises.readdir(d, { withFileTypes: true }));
    const subdirs = [];
    for (const e of entries) {
      const abs = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) subdirs.push(walk(abs, r));
      else files.push({ name: `${prefix}/${r}`, abs });
    }
    await Promise.all(subdirs);
  };
  const st = await promises.lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  await walk(dir, '');
  const hashed = await Promise.all(files.map(async (f) => ({ name: f.name, sha256: await limit(() => sha256File(f.abs)) })));
  return hash1(hashed);
}

// ---------------------------------------------------------------------------------------------
// Zip (the subset module zips use: stored or deflated entries, optional zip64 end records)









async function readAt(fh, pos, len) {
  const buf = Buffer.alloc(len);
  let off = 0;
  while (off < len) {
    const { bytesRead } = await fh.read(buf, off, len - off, pos + off);
    if (bytesRead === 0) throw new Error('zip: unexpected end of file');
    off += bytesRead;
  }
  return buf;
}

async function zipEntries(at, size) {
  // End of central directory: 22 bytes + a comment of at most 65535 bytes, at the end.
  const tailLen = Math.min(size, 22 + 65535 + 20);
  const tail = await at(size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: not a valid zip file');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // zip64 end of central directory locator just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error('zip: zip64 locator not found');
    const rec64 = Number(tail.readBigUInt64LE(loc + 8));
    const r = await at(rec64, 56);
    if (r.readUInt32LE(0) !== 0x06064b50) throw new Error('zip: zip64 end record not found');
    count = Number(r.readBigUInt64LE(32));
    cdSize = Number(r.readBigUInt64LE(40));
    cdOffset = Number(r.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new Error('zip: central directory out of range');
  const cd = await at(cdOffset, cdSize);
  const out = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extended information (0x0001): the fields that were 0xffffffff, in this order.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) (uncompressed = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    out.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset });
    p = eEnd + commentLen;
  }
  return out;
}

/**
 * Zips up to this size are read whole (module zips are limited to 500 MiB; most are a few MiB);
 * larger ones entry by entry. With at most 8 modules hashed at once, 256 MiB at most in memory.
 */
const WHOLE_ZIP_MAX = 32 << 20;
/** Entries up to this compressed size are inflated synchronously (a thread-pool round trip costs more). */
const SYNC_INFLATE_MAX = 256 << 10;

/** dirhash.HashZip(file, Hash1). */
async function hashZip(file, limit, wholeMax = WHOLE_ZIP_MAX) {
  const fh = await promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const whole = size <= wholeMax ? await readAt(fh, 0, size) : undefined;
    const at = (pos, len) => {
      if (!whole) return readAt(fh, pos, len);
      if (pos + len > whole.length) throw new Error('zip: unexpected end of file');
      return Promise.resolve(whole.subarray(pos, pos + len));
    };
    const entries = await zipEntries(at, size);
    const hashEntry = async (en) => {
      const local = await at(en.localHeaderOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`zip: bad local header for ${en.name}`);
      const dataStart = en.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const raw = en.compressedSize ? await at(dataStart, en.compressedSize) : Buffer.alloc(0);
      let data;
      if (en.method === 0) data = raw;
      else if (en.method === 8) data = raw.length === 0 ? Buffer.alloc(0) : raw.length <= SYNC_INFLATE_MAX ? zlib.inflateRawSync(raw) : await inflateRaw(raw);
      else throw new Error(`zip: unsupported compression algorithm ${en.method} for ${en.name}`);
      if (data.length !== en.size) throw new Error(`zip: ${en.name}: size does not match the directory`);
      return { name: en.name, sha256: createHash('sha256').update(data).digest('hex') };
    };
    const hashed = await Promise.all(entries.map((en) => (whole ? hashEntry(en) : limit(() => hashEntry(en)))));
    return hash1(hashed);
  } finally {
    await fh.close();
  }
}

// Verifies module cache entries once per run. `go mod verify` in each of a hundred modules
// re-hashes the same shared dependencies a hundred times; here each module@version is hashed once
// and every module of the repository that uses it gets the answer.
//
// Same checks as `go mod verify` (cmd/go/internal/modcmd/verify.go, verifyMod): the cache's
// `.ziphash` (written at download, after go checked the zip against go.sum and the checksum
// database) must exist when the zip or the extracted directory does, and both the zip's and the
// directory's dirhash must equal it. The messages are go's: `X v: zip has been modified (ZIP)`,
// `X v: dir has been modified (DIR)`, `X v: missing ziphash: ERR`, `X v: ERR`.



























/** Module path/version escaping of the module cache (`A` -> `!a`), as golang.org/x/mod/module does. */
function escapeModulePath(p) {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Where go keeps a module's zip and extracted tree. */
function cachePaths(gomodcache, modPath, version) {
  const enc = escapeModulePath(modPath);
  const ver = escapeModulePath(version);
  return {
    zip: path.join(gomodcache, 'cache', 'download', ...enc.split('/'), '@v', `${ver}.zip`),
    dir: path.join(gomodcache, ...`${enc}@${ver}`.split('/')),
  };
}

async function existsOrError(p) {
  try {
    await promises.lstat(p);
    return 'yes';
  } catch (e) {
    return (e ).code === 'ENOENT' || (e ).code === 'ENOTDIR' ? 'no' : 'other';
  }
}

function errText(e) {
  const err = e ;
  if (err && err.code && err.path) return `${err.syscall ?? 'open'} ${err.path}: ${err.code}`;
  return e instanceof Error ? e.message : String(e);
}

function createCacheVerifier(opts





) {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const moduleLimit = createLimiter(Math.max(1, opts.modules ?? Math.min(cores, 8)));
  const fileLimit = createLimiter(Math.max(8, opts.files ?? cores * 4));
  const memo = new Map();
  let hashed = 0;

  const verifyOne = async (e) => {
    const where = cachePaths(opts.gomodcache, e.path, e.version);
    const zip = e.zip || where.zip;
    const dir = e.dir || where.dir;
    const problem = (what, detail) => ({
      path: e.path,
      version: e.version,
      what,
      detail,
      goMessage:
        what === 'ziphash'
          ? `${e.path} ${e.version}: missing ziphash: ${detail}`
          : what === 'error'
            ? `${e.path} ${e.version}: ${detail}`
            : `${e.path} ${e.version}: ${what} has been modified (${detail})`,
    });
    const [zipState, dirState] = await Promise.all([existsOrError(zip), existsOrError(dir)]);
    let want;
    try {
      want = (await promises.readFile(`${zip}hash`, 'utf8')).trim();
    } catch (err) {
      // Nothing downloaded yet: nothing to verify.
      if (zipState === 'no' && dirState === 'no') return [];
      return [problem('ziphash', errText(err))];
    }
    hashed++;
    const out = [];
    if (zipState !== 'no') {
      try {
        if ((await hashZip(zip, fileLimit)) !== want) out.push(problem('zip', zip));
      } catch (err) {
        return [problem('error', errText(err))];
      }
    }
    if (dirState !== 'no') {
      try {
        if ((await hashDir(dir, `${e.path}@${e.version}`, fileLimit)) !== want) out.push(problem('dir', dir));
      } catch (err) {
        return [...out, problem('error', errText(err))];
      }
    }
    return out;
  };

  return {
    verify(e) {
      const key = `${e.path}@${e.version}`;
      let p = memo.get(key);
      if (!p) {
        p = moduleLimit(() => verifyOne(e));
        memo.set(key, p);
      }
      return p;
    },
    get hashed() {
      return hashed;
    },
  };
}

const MOD_AT = /([^\s@:]+)@([^\s:/()]+)(?:\/go\.mod)?(?: \(replaced by [^)]*\))?: /;

/** The module (and package) a go error block is about, or undefined when it names none. */
function parseFetchError(block) {
  const lines = block.replace(/\r/g, '').split('\n');
  // A requirement chain names the failing module last: `A@v requires\n\tB@v: err`.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].replace(/^\s+/, '');
    const m = new RegExp(`^(?:go: )?(?:verifying (?:module: |go\\.mod: )?)?(?:([^\\s@:]+): )?${MOD_AT.source}`).exec(line);
    if (!m) continue;
    const rest = [line.slice(m[0].length), ...lines.slice(i + 1)].join('\n').trim();
    return { ...(m[1] ? { pkg: m[1] } : {}), path: m[2], version: m[3], rest };
  }
  return undefined;
}

/** `404 Not Found` when a proxy answered 403, 404 or 410 (it does not serve the module or version). */
function proxyRefusal(text) {
  if (/disabled by GOPROXY=off/.test(text)) return undefined;
  const m = /reading https?:\/\/\S+: ((?:403|404|410) [A-Za-z ]*[A-Za-z])/.exec(text);
  return m?.[1];
}

/** The module of the repository whose module path is `modPath`, if any. */
function repoModule(modules, modPath) {
  return modules.find((m) => m.path === modPath);
}

/**
 * Whether `-mod=vendor` is in effect for a module's build: GOFLAGS' last -mod flag, else go's
 * default since Go 1.14 (vendor/ present and the go line at 1.14 or later; no go line counts as
 * later since Go 1.17 assumes 1.16).
 */
function vendorModeOf(mod, goflags) {
  let flag;
  for (const f of (goflags ?? '').split(/\s+/)) {
    const m = /^--?mod=(\S+)$/.exec(f);
    if (m) flag = m[1];
  }
  if (flag) return flag === 'vendor';
  if (!mod.hasVendorDir) return false;
  if (!mod.goLine) return true;
  const [maj, min] = mod.goLine.split('.').map((x) => Number.parseInt(x, 10));
  return (maj ?? 0) > 1 || (maj === 1 && (min ?? 0) >= 14);
}

// mod-verify: do go.sum and the module cache agree with what was published?
//
// For every module: `go mod download -json` (downloads what go.mod requires and checks each
// download against go.sum and the checksum database), then the checks of `go mod verify` (the
// extracted module cache has not been edited since download) on every module@version it listed.
// `go mod verify` alone is not enough: it never compares with go.sum and silently passes modules
// it never downloaded.
//
// Monorepos: the module cache is shared, so each module@version of the union of the modules'
// download lists is hashed once per run (src/core/modverify-cache.ts, same checks and messages as
// `go mod verify`), in parallel, and every module that uses a bad one gets a finding on its own
// go.mod line. A hundred modules no longer re-hash the same dependencies a hundred times.
//
// Vendoring: when `-mod=vendor` is in effect the build reads vendor/ and needs neither the module
// cache nor the proxy; what cannot be downloaded then is said once, as a notice, not as a failure.
//
// Read-only: `go mod download` adds missing checksums to go.sum and `go mod verify` may too, so both
// run with `-modfile=<temp>/go.mod` on a copy of go.mod/go.sum; the lines go adds to the copy tell
// which checksums the repository's go.sum lacks.
//
// Workspaces: each module is checked on its own with GOWORK=off. That is how CI usually builds one
// module, it keeps go.work.sum out of the picture (go writes it in workspace mode, and -modfile
// cannot be used there), and a workspace build checks the same downloads anyway.


/** One object of `go mod download -json` (all fields omitempty; Error is a string here). */






















/** Parse every `verifying X@v: checksum mismatch` block in go's stderr. */
function parseChecksumMismatches(stderr) {
  const out = [];
  const re = /verifying ([^\s@]+)@([^\s:/]+)(\/go\.mod)?: checksum mismatch\r?\n\s*downloaded:\s*(\S+)\r?\n\s*([^\s:]+):\s*(\S+)/g;
  for (const m of stderr.matchAll(re)) {
    out.push({ path: m[1], version: m[2], goMod: !!m[3], downloaded: m[4], source: m[5], recorded: m[6] });
  }
  return out;
}

/** Where a module is named in go.mod: its require line, else its replace line. */
function moduleLocation(mod, modPath, preferReplace = false) {
  const req = requireLine(mod.directives, modPath);
  const rep = replaceLine(mod.directives, modPath);
  const d = preferReplace ? (rep ?? req) : (req ?? rep);
  return { file: mod.goModFile, ...(d ? { line: d.line, column: d.column } : {}) };
}

function failed$1(r) {
  return !!(r.spawnError || r.timedOut || r.aborted);
}

/** Module paths of go's errors that are about the network or GOPROXY=off (nothing about integrity). */
const UNREACHABLE = new Set(['offline', 'network']);

async function verifyModule(ctx, mod, verifier) {
  const findings = [];
  const goproxy = redactUrls(ctx.probe.goEnv.GOPROXY ?? '');
  const goSumFile = joinReport(mod.relDir, 'go.sum');
  const copy = await copyModFiles(ctx, mod, 'mod-verify');
  const env = { GOWORK: 'off' };
  const reported = new Set();
  // With -mod=vendor the build never reads the module cache: what cannot be fetched is not a failure.
  const vendored = vendorModeOf(mod, ctx.probe.goEnv.GOFLAGS);
  const unverified = [];

  // Every module of the repository, also those of other shards (--shard).
  const all = ctx.probe.allModules ?? ctx.probe.modules;
  const siblings = mod.inWorkspace ? all.filter((m) => m !== mod && m.inWorkspace && m.path) : [];
  const fetchFinding = (modPath, version, text, command) => {
    const sibling = modPath ? siblings.find((m) => m.path === modPath) : undefined;
    if (sibling && !replaceLine(mod.directives, sibling.path)) {
      let rel = path.relative(mod.dir, sibling.dir).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return {
        // go.work resolves it, so workspace builds work; GOWORK=off builds (and tidy) do not.
        severity: 'warning',
        message:
          `${mod.goModFile} requires ${modPath}, a module of the go.work workspace (${sibling.goModFile}), without a replace: ` +
          `outside the workspace (GOWORK=off) go downloads it and fails, so the other requirements could not be verified this way`,
        hint: `Add \`replace ${modPath} => ${rel}\` to ${mod.goModFile}, or publish ${modPath} and require a released version.`,
        ...moduleLocation(mod, modPath),
        ruleId: 'mod-workspace-sibling',
      };
    }
    const kind = classifyFetchError(text);
    const what = modPath ? `${modPath}${version ? `@${version}` : ''}` : mod.goModFile;
    if (vendored && UNREACHABLE.has(kind)) {
      unverified.push(what);
      return undefined;
    }
    const detail = redactUrls(foldBlock(text));
    const at = modPath ? moduleLocation(mod, modPath, /\(replaced by /.test(text)) : { file: mod.goModFile };
    const refused = modPath ? proxyRefusal(text) : undefined;
    if (refused && modPath) {
      // The proxy answered: it does not serve this module or version (403/404/410).
      const own = repoModule(all, modPath);
      let rel = own ? path.relative(mod.dir, own.dir).split(path.sep).join('/') : '';
      if (own && !rel.startsWith('.')) rel = `./${rel}`;
      return {
        severity: 'error',
        message: `cannot download ${what}: the proxy does not serve ${what} (${refused}) (${command}: ${detail})`,
        hint: own
          ? `${modPath} is a module of this repository (${own.goModFile}) at a version the proxy (GOPROXY=${goproxy || 'unset'}) does not have: ` +
            `add \`replace ${modPath} => ${rel}\` to ${mod.goModFile}, or publish ${what} first.`
          : fetchHint('not-found', modPath, goproxy),
        ...at,
        ruleId: 'mod-not-served',
      };
    }
    return {
      severity: 'error',
      message: modPath
        ? `cannot download ${what}: ${fetchProblemText(kind)} (${command}: ${detail})`
        : `\`${command}\` failed for ${mod.goModFile}: ${detail}`,
      hint: modPath ? fetchHint(kind, modPath, goproxy) : fetchHint(kind === 'other' ? 'other' : kind, mod.path || '<module>', goproxy),
      ...at,
      ruleId: `mod-${kind}`,
    };
  };
  const push = (f) => {
    if (f) findings.push(f);
  };

  const dl = await ctx.go.run(['mod', 'download', '-json', `-modfile=${copy.modFile}`], { cwd: mod.dir, env, signal: ctx.signal, memo: false });
  if (failed$1(dl)) throw new Error(describeFailure(dl));
  const objects = parseJsonStream(dl.stdout).values.filter((o) => o && typeof o === 'object' && o.Path);

  // 1. Errors per module (the download went on for the others).
  for (const o of objects) {
    if (!o.Error) continue;
    const key = `${o.Path}@${o.Version ?? ''}`;
    reported.add(key);
    // The error may name another module than the object (`go: PKG: MOD@VER: …`, requirement chains).
    const subject = parseFetchError(o.Error);
    push(
      subject && subject.path !== o.Path
        ? fetchFinding(subject.path, subject.version, subject.rest, 'go mod download')
        : fetchFinding(o.Path, o.Version, o.Error.replace(new RegExp(`^${escapeRe(o.Path)}@\\S+?: `), ''), 'go mod download'),
    );
  }

  // 2. Fatal errors (no JSON): checksum mismatches, graph loading failures.
  if (dl.code !== 0) {
    const mismatches = parseChecksumMismatches(dl.stderr);
    for (const mm of mismatches) findings.push(mismatchFinding(mod, mm, copy.originalSum, goSumFile, goproxy));
    if (mismatches.length === 0) {
      for (const block of goErrorBlocks(dl.stderr)) {
        const subject = parseFetchError(block);
        const who = subject ?? moduleOfError(block);
        const key = who ? `${who.path}@${who.version ?? ''}` : block;
        if (reported.has(key)) continue;
        reported.add(key);
        const rest = subject ? subject.rest : who ? block.replace(/^go: /, '').replace(/^\S+?@\S+?: /, '') : block;
        push(fetchFinding(who?.path, who?.version, rest, 'go mod download'));
      }
      if (findings.length === 0 && unverified.length === 0) {
        findings.push({ severity: 'error', message: `\`go mod download\` failed for ${mod.goModFile}: ${describeFailure(dl)}`, file: mod.goModFile, hint: `Run \`${inModule$1(mod, 'go mod download')}\` for the full output.` });
      }
    }
  }

  // 3. Checksums go had to add to the copy of go.sum are missing from the repository's go.sum.
  findings.push(...missingSums(mod, copy.originalSum, (await readIfExists(copy.sumFile)) ?? '', objects, vendored));

  // 4. The module cache: `go mod verify`'s checks on every module@version the download listed,
  // each hashed once per run whichever module asks first.
  const listed = objects.filter((o) => !o.Error && o.Path && o.Version);
  const problems = (await Promise.all(listed.map((o) => verifier.verify({ path: o.Path, version: o.Version, zip: o.Zip, dir: o.Dir })))).flat();
  for (const p of problems) findings.push(cacheFinding(mod, p));

  if (unverified.length) {
    const shown = unverified.slice(0, 5).join(', ');
    findings.push({
      severity: 'notice',
      message:
        `${mod.goModFile}: the build uses vendor/ (-mod=vendor), so it needs neither the module cache nor the proxy; ` +
        `${unverified.length} module${unverified.length === 1 ? '' : 's'} could not be compared with go.sum here because ` +
        `${/^off$/.test(ctx.probe.goEnv.GOPROXY ?? '') ? 'they are not in the module cache and GOPROXY=off forbids downloads' : 'they are not in the module cache and the proxy could not be reached'}: ` +
        `${shown}${unverified.length > 5 ? ` and ${unverified.length - 5} more` : ''}`,
      hint:
        'Nothing to fix for this build. To check go.sum against what was published, run mod-verify where the proxy is reachable ' +
        'or the module cache is restored; the vendor check compares vendor/ with go.mod.',
      file: mod.goModFile,
      ruleId: 'mod-vendor-unverified',
    });
  }
  return findings;
}

function cacheFinding(mod, p) {
  return {
    severity: 'error',
    message:
      p.what === 'ziphash'
        ? `the module cache entry of ${p.path}@${p.version} cannot be verified: its .ziphash is missing (${p.detail})`
        : p.what === 'error'
          ? `the module cache entry of ${p.path}@${p.version} cannot be verified: ${p.detail}`
          : `the module cache copy of ${p.path}@${p.version} has been modified since it was downloaded: ${p.what} ${p.detail}`,
    hint:
      'The local module cache is corrupt or was edited (tools writing into GOMODCACHE, -modcacherw, a restored cache): ' +
      `\`go clean -modcache && ${inModule$1(mod, 'go mod download')}\`; if the cache is restored from CI storage, change its key. ` +
      `(\`go mod verify\` says: ${p.goMessage})`,
    ...moduleLocation(mod, p.path),
    ruleId: 'mod-cache-modified',
  };
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mismatchFinding(mod, mm, sumText, goSumFile, goproxy) {
  const what = `${mm.path}@${mm.version}${mm.goMod ? '/go.mod' : ''}`;
  const investigate =
    `Do not "fix" this with \`go mod tidy\` or by deleting the go.sum line. Find out why the content changed: ` +
    `if the author re-tagged ${mm.path} ${mm.version}, require a new version instead; ` +
    `if your proxy (GOPROXY=${goproxy || 'unset'}) serves different content than others see, treat it as compromised; ` +
    `if only this machine sees it, the local module cache may be corrupt: \`go clean -modcache\` and retry.`;
  if (/go\.(work\.)?sum$/.test(mm.source)) {
    const line = goSumLine(sumText, mm.path, mm.version, mm.goMod);
    return {
      severity: 'error',
      message: `go.sum does not match what was downloaded for ${what}: SECURITY ERROR, the module ${mm.goMod ? 'go.mod file' : 'content'} differs from what was recorded`,
      hint: `${investigate} (go.sum records ${mm.recorded}, the download gave ${mm.downloaded}.)`,
      file: goSumFile,
      ...(line ? { line } : {}),
      ruleId: 'gosum-mismatch',
    };
  }
  return {
    severity: 'error',
    message: `the checksum database (${mm.source}) does not match what was downloaded for ${what}: SECURITY ERROR, the proxy or origin served content that differs from what was published`,
    hint: `${investigate} Do not bypass the checksum database with GONOSUMDB or GOSUMDB=off. (Checksum database: ${mm.recorded}, download: ${mm.downloaded}.)`,
    ...moduleLocation(mod, mm.path),
    ruleId: 'sumdb-mismatch',
  };
}

function missingSums(mod, before, after, objects, vendored = false) {
  const had = goSumKeys(before);
  const missing = new Map();
  const note = (path, version, goMod) => {
    const key = `${path}@${version}`;
    const e = missing.get(key) ?? { path, version, goMod: false, content: false };
    if (goMod) e.goMod = true;
    else e.content = true;
    missing.set(key, e);
  };
  for (const k of goSumKeys(after)) {
    if (had.has(k)) continue;
    const [p, v] = k.split(' ');
    if (p && v) note(p, v.replace(/\/go\.mod$/, ''), v.endsWith('/go.mod'));
  }
  // Since Go 1.17 a bare `go mod download` adds only go.mod checksums; the content checksum of a
  // direct requirement (one the code imports) is needed by every build too.
  const direct = new Set((mod.json?.Require ?? []).filter((r) => !r.Indirect).map((r) => `${r.Path}@${r.Version}`));
  for (const o of objects) {
    if (!o.Path || !o.Version || o.Error || !o.Sum) continue;
    if (direct.has(`${o.Path}@${o.Version}`) && !had.has(`${o.Path} ${o.Version}`)) note(o.Path, o.Version, false);
  }
  const findings = [];
  for (const e of missing.values()) {
    const parts = [e.goMod ? 'go.mod file' : '', e.content ? 'content' : ''].filter(Boolean).join(' and ');
    const ws = mod.inWorkspace;
    findings.push({
      severity: ws || vendored ? 'warning' : 'error',
      message:
        `go.sum has no checksum for the ${parts} of ${e.path}@${e.version}: ` +
        (vendored
          ? 'the vendored build (-mod=vendor) does not read go.sum, but builds with -mod=readonly or -mod=mod fail with "missing go.sum entry"'
          : ws
            ? 'builds of this module outside the go.work workspace (GOWORK=off) fail with "missing go.sum entry"'
            : 'builds fail with "missing go.sum entry"'),
      hint: `Run \`${inModule$1(mod, `go mod download ${e.path}`)}\` (or \`${inModule$1(mod, 'go mod tidy')}\`) and commit go.sum.`,
      ...moduleLocation(mod, e.path),
      ruleId: 'gosum-missing',
    });
  }
  return findings;
}

const modVerifyCheck = {
  id: 'mod-verify',
  title: 'Module checksums',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { mods, notes } = readableModules(ctx);
    if (mods.length === 0) return { findings: [], skipReason: 'not applicable: no go.mod that go can read', notes };
    // One verifier per run: each module@version of the shared module cache is hashed once.
    const verifier = createCacheVerifier({ gomodcache: ctx.probe.goEnv.GOMODCACHE ?? '' });
    ctx.progress?.plan(mods.map((m) => m.relDir));
    const per = await Promise.all(
      mods.map(async (m) => {
        const found = (await verifyModule(ctx, m, verifier)).map((f) => ({ ...f, module: m.relDir }));
        ctx.progress?.add(found, m.relDir);
        return found;
      }),
    );
    return { findings: per.flat(), ...(notes.length ? { notes } : {}) };
  },
};

// `packages`: do the packages load for every target? One `go list -e -deps -json` per module and
// target (shared with the cgo check through internal/go-list.ts) finds what `go build` would
// stop on: imports of packages with no Go files or whose files all are excluded for the target,
// missing modules and go.sum entries, import cycles, bad import paths, two package names in one
// directory, and a `package main` without `func main` (which only the linker notices, at the
// very end of a build). It also says which package directories a target silently does not build.




const packagesCheck = {
  id: 'packages',
  title: 'Packages load for every target',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { valid, modules, notes, skipReason } = await targetsAndModules(ctx);
    if (skipReason) return { findings: [], skipReason, notes };

    const jobs = modules.flatMap((module) => valid.map((target) => ({ module, target })));
    const listings = (await mapLimit(jobs, 4, ({ module, target }) => loadPackages(ctx, module, target, modules))).filter(
      (l) => l !== undefined,
    );
    if (listings.length === 0) return { findings: [], skipReason: `no package pattern (${ctx.settings.packages.join(' ')}) concerns a module here`, notes };

    const merger = new FindingMerger(valid.map(formatTarget));
    for (const listing of listings) await analyzeListing(ctx, listing, merger);
    const findings = merger.findings();
    findings.push(...(await droppedPackages(ctx, modules, valid, listings)));

    const count = new Set(listings.flatMap((l) => l.packages.filter((p) => !p.DepOnly).map((p) => p.ImportPath))).size;
    notes.push(`listed ${count} package${count === 1 ? '' : 's'} in ${modules.length} module${modules.length === 1 ? '' : 's'} for ${valid.map(formatTarget).join(', ')}`);
    return { findings, notes };
  },
};

// ---------------------------------------------------------------------------------------------

/** Where a module's findings say to run a command. */
function inModule(module) {
  return module.relDir === '.' ? '' : ` (in ${module.relDir}/)`;
}

/** Keep a position only when it is in the inspected repo (not in the module cache or GOROOT). */
function inRepo(ctx, pos) {
  if (!pos) return undefined;
  const abs = path.resolve(ctx.dir, pos.file);
  if (isInside(ctx.dir, abs) || ctx.probe.modules.some((m) => isInside(m.dir, abs))) return pos;
  return undefined;
}

async function analyzeListing(ctx, listing, merger) {
  const { module, target } = listing;
  if (listing.fatal) {
    const lines = listing.fatal.split('\n');
    const fix = /to (?:update|add) it:\s*\n\s*(go .+)/.exec(listing.fatal)?.[1];
    const fetch = parseGoErrors(listing.fatal, requirementsOf(module)).find(isModuleFetchError);
    merger.add(target, fetch
      ? {
          severity: 'error',
          message: `go list cannot load the packages of ${module.goModFile}: ${describeGoError(fetch)}`,
          hint: goErrorHint(fetch, { goproxy: ctx.probe.goEnv.GOPROXY ?? '', isPublicHost: isPublicModuleHost }),
          file: module.goModFile,
        }
      : {
          severity: 'error',
          message: `go list cannot load the packages of ${module.goModFile}: ${relativizeMessage(ctx, lines[0].replace(/^go: /, ''))}`,
          hint: fix ? `${fix.trim()}${inModule(module)}` : 'run the same `go list` to see the full error',
          file: module.goModFile,
        });
  }

  const handled = new Set();
  const onError = async (pkgPath, err, pkg) => {
    const key = `${pkgPath}\0${err.Err}\0${err.Pos ?? ''}`;
    if (handled.has(key)) return;
    handled.add(key);
    const f = await classifyError(ctx, listing, pkgPath, err, pkg);
    if (f) merger.add(target, f);
  };
  for (const pkg of listing.packages) {
    if (pkg.Error) await onError(pkg.ImportPath, pkg.Error, pkg);
  }
  // DepsErrors repeat the errors of the packages above (their ImportStack ends at the importer
  // when the package was not found, at the package itself otherwise); only a DepsError no
  // listed package carries is new.
  const own = new Set(listing.packages.filter((p) => p.Error).map((p) => `${p.Error.Err}\0${p.Error.Pos ?? ''}`));
  for (const pkg of listing.packages) {
    for (const e of pkg.DepsErrors ?? []) {
      if (own.has(`${e.Err}\0${e.Pos ?? ''}`)) continue;
      const stack = e.ImportStack ?? [];
      const culprit = stack[stack.length - 1] ?? pkg.ImportPath;
      await onError(culprit, e, listing.byPath.get(culprit));
    }
  }

  // Imported packages that hold only test files: go list says nothing, `go build` stops with
  // "no non-test Go files in DIR".
  const importers = new Map();
  for (const p of listing.packages) for (const i of p.Imports ?? []) if (!importers.has(i)) importers.set(i, p);
  for (const pkg of listing.packages) {
    if (pkg.Standard || pkg.Error || !pkg.Dir || (pkg.GoFiles?.length ?? 0) + (pkg.CgoFiles?.length ?? 0) > 0) continue;
    const importer = importers.get(pkg.ImportPath);
    if (!importer) continue;
    const pos = inRepo(ctx, await findImportLine(ctx, importer, pkg.ImportPath));
    const rel = reportPath(ctx.dir, pkg.Dir);
    merger.add(target, {
      severity: 'error',
      message: `${pkg.ImportPath} (${rel}) has only test files, so it cannot be imported: go build stops with "no non-test Go files"`,
      hint: `add the package's code (a non-_test.go file) to ${rel}, or remove the import from ${importer.ImportPath}`,
      ...(pos ?? {}),
    });
  }

  // `package main` without `func main`: only the linker notices, at the very end of the build.
  for (const pkg of listing.packages) {
    if (pkg.Name !== 'main' || pkg.DepOnly || !pkg.Match?.length || !pkg.Dir) continue;
    const files = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])];
    if (files.length === 0) continue;
    let found = false;
    for (const f of files) {
      const src = await readSource(ctx, path.join(pkg.Dir, f));
      if (src === undefined || hasFuncMain(src)) {
        // Unreadable: do not guess.
        found = true;
        break;
      }
    }
    if (found) continue;
    const first = path.join(pkg.Dir, files[0]);
    const clause = packageClause((await readSource(ctx, first)) ?? '');
    const rel = reportPath(ctx.dir, pkg.Dir);
    merger.add(target, {
      severity: 'error',
      message: `package main in ${rel} has no func main: linking fails with "function main is undeclared in the main package"`,
      hint: `add \`func main() { ... }\` to a file of ${rel}, or give the package another name if it is a library`,
      file: reportPath(ctx.dir, first),
      ...(clause ? { line: clause.line, column: clause.column } : {}),
    });
  }

  // `go: warning: "./x/..." matched no packages`: worth saying only for patterns the user wrote.
  // The default `./...` matches nothing in a tools-only module (only `//go:build tools` files, or
  // no Go files at all), and there is no pattern to fix then.
  for (const m of ctx.settings.packagesExplicit ? listing.stderr.matchAll(/^go: warning: "([^"]+)" matched no packages$/gm) : []) {
    merger.add(target, {
      severity: 'notice',
      message: `pattern ${m[1]} matches no packages in ${module.goModFile}`,
      hint: 'fix the pattern in the packages setting',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Error classification

/** The module (of the workspace) whose path owns an import path. */
function mainModuleOf(ctx, importPath) {
  return ctx.probe.modules
    .filter((m) => m.path && (importPath === m.path || importPath.startsWith(`${m.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function requirementsOf(module) {
  return (module.json?.Require ?? []).map((r) => ({ path: r.Path, version: r.Version }));
}

/**
 * A failure to fetch (or use) a module go names itself (`MOD@VER: reading …: 404 Not Found`):
 * the finding names that module, never the package that imports it.
 */
function isModuleFetchError(e) {
  return !!e.module && !e.moduleFromRequires && (DOWNLOAD_KINDS.has(e.kind) || e.kind === 'too-new' || e.kind === 'local-replace');
}

/** The required module (go.mod require) that provides an import path. */
function requiredModuleOf(module, importPath) {
  return (module.json?.Require ?? [])
    .map((r) => r.Path)
    .filter((p) => importPath === p || importPath.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
}



async function dirFacts(dir) {
  try {
    const entries = await promises.readdir(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const go = files.filter((f) => f.endsWith('.go') && !f.startsWith('.') && !f.startsWith('_'));
    return { exists: true, goFiles: go.filter((f) => !f.endsWith('_test.go')).length, testFiles: go.filter((f) => f.endsWith('_test.go')).length, goMod: files.includes('go.mod') };
  } catch {
    return { exists: false, goFiles: 0, testFiles: 0, goMod: false };
  }
}

async function classifyError(ctx, listing, pkgPath, err, pkg) {
  const { module, target } = listing;
  const lead = leadingPos(err.Err);
  const text = (lead?.rest ?? err.Err).trim();
  const firstLine = relativizeMessage(ctx, text.split('\n')[0]);
  const at = async () =>
    inRepo(ctx, lead ? parsePos(ctx, module.dir, lead.pos) : await importPosition(ctx, listing, pkgPath, err));
  const importedBy = importerOf(err.ImportStack, pkgPath);
  const fromWhom = importedBy ? ` (imported by ${importedBy})` : '';
  let m;

  const fetch = parseGoError(text, requirementsOf(module));
  if (isModuleFetchError(fetch)) {
    return {
      severity: 'error',
      message: `${describeGoError(fetch)}, so package ${pkgPath} cannot be loaded${fromWhom}`,
      hint: goErrorHint(fetch, { goproxy: ctx.probe.goEnv.GOPROXY ?? '', isPublicHost: isPublicModuleHost }),
      ...((await at()) ?? {}),
    };
  }

  if ((m = /^no Go files in (.+)$/.exec(text))) {
    const rel = reportPath(ctx.dir, m[1].trim());
    return {
      severity: 'error',
      message: `${rel} has no Go files, so ${pkgPath.startsWith('.') ? 'the pattern' : `package ${pkgPath}`} cannot be built${fromWhom}`,
      hint: importedBy ? `add Go files to ${rel} or remove the import` : `add Go files to ${rel} or drop it from the packages setting`,
      ...((await at()) ?? {}),
    };
  }

  if ((m = /build constraints exclude all Go files in (.+)$/.exec(text))) {
    // Caused by cgo being off: the cgo check reports it, with the cgo explanation (see go-list.ts).
    if (pkg && (await cgoExclusion(ctx, pkg, target, await cgoEnv(ctx, target)))) return undefined;
    const rel = reportPath(ctx.dir, m[1].trim());
    const ignored = (pkg?.IgnoredGoFiles ?? []).filter((f) => !f.endsWith('_test.go'));
    const shown = ignored.slice(0, 3).join(', ') + (ignored.length > 3 ? ', …' : '');
    const pos = await at();
    return {
      severity: 'error',
      message: `${pkgPath} has no Go files for this target: build constraints exclude all Go files in ${rel}${ignored.length ? ` (${shown})` : ''}${fromWhom}`,
      hint: importedBy
        ? `add a file to ${rel} that builds for this target (e.g. a stub with a matching //go:build line), or import ${pkgPath} only from files constrained to the platforms it supports`
        : `add a file to ${rel} that builds for this target, or drop the target`,
      ...(pos ?? (pkg?.Dir && ignored[0] ? inRepo(ctx, { file: reportPath(ctx.dir, path.join(pkg.Dir, ignored[0])) }) : {}) ?? {}),
    };
  }

  if ((m = /no required module provides package (\S+?);/.exec(text)) || (m = /^no required module provides package (\S+)$/m.exec(text))) {
    const missing = m[1];
    const pos = await at();
    const owner = mainModuleOf(ctx, missing);
    if (owner) {
      // An import inside one of our own modules: go says "no required module provides" when the
      // directory has no Go files or does not exist; say which.
      const rel = missing === owner.path ? '' : missing.slice(owner.path.length + 1);
      const dir = path.join(owner.dir, ...rel.split('/').filter(Boolean));
      const facts = await dirFacts(dir);
      const relDir = reportPath(ctx.dir, dir);
      if (!facts.exists) {
        return {
          severity: 'error',
          message: `package ${missing} does not exist: ${owner.goModFile} has no directory ${relDir}${fromWhom}`,
          hint: `fix the import path, or create the package in ${relDir}`,
          ...(pos ?? {}),
        };
      }
      if (facts.goMod && dir !== owner.dir) {
        return {
          severity: 'error',
          message: `package ${missing} is in the nested module ${joinReport(relDir, 'go.mod')}, which ${module.goModFile} does not require${fromWhom}`,
          hint: `add \`require\` + \`replace ${missing} => ./${reportPath(module.dir, dir)}\` to ${module.goModFile}, or a go.work that uses both modules`,
          ...(pos ?? {}),
        };
      }
      return {
        severity: 'error',
        message: facts.testFiles > 0 && facts.goFiles === 0
          ? `${relDir} has only test files, so package ${missing} cannot be imported${fromWhom}`
          : `${relDir} has no Go files, so package ${missing} cannot be imported${fromWhom}`,
        hint: `add Go files to ${relDir}, or remove the import`,
        ...(pos ?? {}),
      };
    }
    const goproxy = ctx.probe.goEnv.GOPROXY ?? '';
    const privateGlobs = [ctx.probe.goEnv.GOPRIVATE, ctx.probe.goEnv.GONOPROXY].filter(Boolean).join(',');
    if (goproxy === 'off') {
      return {
        severity: 'error',
        message: `no required module provides package ${missing}${fromWhom}, and module downloads are disabled (GOPROXY=off)`,
        hint: `go get ${missing}${inModule(module)} with downloads allowed (unset GOPROXY=off), then commit go.mod and go.sum`,
        ...(pos ?? {}),
      };
    }
    if (looksPrivate(missing) && !matchPrefixPatterns(privateGlobs, missing)) {
      const host = missing.split('/')[0];
      return {
        severity: 'error',
        message: `no required module provides package ${missing}${fromWhom}; ${host} looks private and GOPRIVATE does not cover it, so \`go get\` would ask the public proxy and checksum database`,
        hint: `go env -w GOPRIVATE=${host} (and git credentials for ${host}), then go get ${missing}${inModule(module)}`,
        ...(pos ?? {}),
      };
    }
    return {
      severity: 'error',
      message: `no required module provides package ${missing}${fromWhom}`,
      hint: `go get ${missing}${inModule(module)}`,
      ...(pos ?? {}),
    };
  }

  if ((m = /cannot find module providing package (\S+?): (.*)$/s.exec(text))) {
    const missing = m[1];
    const reason = relativizeMessage(ctx, m[2].split('\n')[0].trim());
    let hint = `go get ${missing}${inModule(module)}`;
    if (/GOPROXY=off/.test(reason)) hint = `allow module downloads (unset GOPROXY=off) and go get ${missing}${inModule(module)}`;
    else if (/-mod=vendor/.test(reason)) hint = `go mod vendor${inModule(module)} (the vendor directory lacks the module)`;
    else if (looksPrivate(missing)) hint = `go env -w GOPRIVATE=${missing.split('/')[0]} and make sure git can reach it, then go get ${missing}`;
    return { severity: 'error', message: `cannot find a module providing package ${missing}: ${reason}`, hint, ...((await at()) ?? {}) };
  }

  if (/missing go\.sum entry/.test(text)) {
    const provided = /package (\S+)/.exec(text)?.[1] ?? pkgPath;
    const mod = requiredModuleOf(module, provided) ?? /go mod download (\S+)/.exec(text)?.[1];
    return {
      severity: 'error',
      message: `go.sum has no entry for the module providing ${provided}${fromWhom}`,
      hint: mod ? `go mod download ${mod}${inModule(module)} (or go mod tidy)` : `go mod tidy${inModule(module)}`,
      ...((await at()) ?? {}),
    };
  }

  if (/import cycle not allowed/.test(text)) {
    const stack = err.ImportStack ?? [];
    // The cycle closes where the last package of the stack is imported again.
    const closing = stack.length >= 2 ? stack[stack.length - 2] : undefined;
    const back = stack[stack.length - 1];
    const pos = inRepo(ctx, closing && back ? await findImportLine(ctx, listing.byPath.get(closing), back) : undefined);
    return {
      severity: 'error',
      message: `import cycle not allowed: ${stack.join(' → ') || pkgPath}`,
      hint: 'break the cycle: move the shared code into a package both can import, or invert one dependency with an interface',
      ...(pos ?? (await at()) ?? {}),
    };
  }

  if ((m = /^found packages (\S+) \((\S+)\) and (\S+) \((\S+)\) in (.+)$/.exec(text))) {
    const dir = m[5].trim();
    const rel = reportPath(ctx.dir, dir);
    const second = path.join(dir, m[4]);
    const clause = packageClause((await readSource(ctx, second)) ?? '');
    return {
      severity: 'error',
      message: `${rel} mixes two package names: ${m[1]} (${m[2]}) and ${m[3]} (${m[4]})`,
      hint: `use one package name per directory: change \`package ${m[3]}\` in ${m[4]} to \`package ${m[1]}\` or move the file`,
      ...(inRepo(ctx, { file: reportPath(ctx.dir, second), ...(clause ? { line: clause.line, column: clause.column } : {}) }) ?? {}),
    };
  }

  if (/malformed import path|invalid import path/.test(text)) {
    return {
      severity: 'error',
      message: `${firstLine}${fromWhom}`,
      hint: 'fix the import path (module paths are lower-case, no spaces, no `..` elements)',
      ...((await at()) ?? {}),
    };
  }

  const fix = /to (?:add|update) it:\s*\n\s*(go .+)/.exec(text)?.[1];
  return {
    severity: 'error',
    message: `${pkgPath.startsWith('.') ? '' : `${pkgPath}: `}${firstLine}${fromWhom}`,
    ...(fix ? { hint: `${fix.trim()}${inModule(module)}` } : {}),
    ...((await at()) ?? {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Package directories a target silently does not build

const WALK_SKIP$1 = new Set(['testdata', 'vendor', 'node_modules']);

function isBuildFileName(name) {
  return name.endsWith('.go') && !name.endsWith('_test.go') && !name.startsWith('.') && !name.startsWith('_');
}

async function listGoFiles(dir) {
  try {
    return (await promises.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && isBuildFileName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Directories `./...` would consider (go's rules: no testdata, vendor, `.`/`_` dirs, nested modules). */
async function walkPackageDirs(root, limit = 5000) {
  const out = new Map();
  const walk = async (dir, isRoot) => {
    if (out.size >= limit) return;
    let entries;
    try {
      entries = await promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (!isRoot && entries.some((e) => e.isFile() && e.name === 'go.mod')) return;
    const goFiles = entries
      .filter((e) => e.isFile() && isBuildFileName(e.name))
      .map((e) => e.name)
      .sort();
    if (goFiles.length) out.set(dir, goFiles);
    await Promise.all(
      entries
        .filter((e) => e.isDirectory() && !WALK_SKIP$1.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_'))
        .map((e) => walk(path.join(dir, e.name), false)),
    );
  };
  await walk(root, true);
  return out;
}

async function droppedPackages(ctx, modules, valid, listings) {
  const findings = [];
  const ports = (await distList(ctx.go, ctx.signal)) ?? [];
  const order = valid.map(formatTarget);

  // For a dir: which targets would build it with cgo on (to name cgo as the cause), and which
  // platforms build it at all.
  const buildsFor = async (dir, files, t, cgo) => {
    const tags = targetTags(ctx, t, cgo);
    for (const f of files) {
      const src = await readSource(ctx, path.join(dir, f));
      if (src !== undefined && fileMatches(f, src, tags)) return true;
    }
    return false;
  };
  const describe = async (dir, files, missing, builtBy) => {
    const needCgo = [];
    for (const t of missing) {
      const cgo = await cgoEnv(ctx, t);
      if (!cgo.enabled && (await buildsFor(dir, files, t, true))) needCgo.push(formatTarget(t));
    }
    const rel = reportPath(ctx.dir, dir);
    const targets = missing.map(formatTarget).join(', ');
    const why = needCgo.length ? `; its files need cgo, which is off for ${needCgo.join(', ')}` : builtBy.length ? `; built for ${builtBy.join(', ')}` : '';
    findings.push({
      severity: 'notice',
      message: `${rel} is not built for ${targets}: all files excluded by build constraints${why}`,
      hint: needCgo.length
        ? 'if this platform should ship it, enable cgo for it (CGO_ENABLED=1 and a C cross compiler) or add a pure-Go fallback file (//go:build !cgo)'
        : 'nothing to do if this is intended; otherwise add a file for this platform',
      file: reportPath(ctx.dir, path.join(dir, files[0])),
      target: targets,
    });
  };

  for (const module of modules) {
    const own = listings.filter((l) => l.module === module && !l.fatal);
    if (own.length === 0) continue;
    const matched = new Map();
    const present = new Map();
    for (const l of own) {
      const t = formatTarget(l.target);
      matched.set(t, new Set(l.packages.filter((p) => p.Match?.length && !p.DepOnly && p.Dir).map((p) => p.Dir)));
      present.set(t, new Set(l.packages.filter((p) => p.Dir).map((p) => p.Dir)));
    }
    const union = new Set([...matched.values()].flatMap((s) => [...s]));

    // 1. Across targets: a dir some target builds and another target does not even list.
    const dirs = await walkRoots(module, own[0].patterns);
    for (const dir of [...union].sort()) {
      const missing = own.filter((l) => !present.get(formatTarget(l.target)).has(dir)).map((l) => l.target);
      if (missing.length === 0) continue;
      const files = dirs.get(dir) ?? (await listGoFiles(dir));
      if (!files?.length) continue;
      const builtBy = order.filter((t) => matched.get(t)?.has(dir));
      await describe(dir, files, missing, builtBy);
    }

    // 2. Dirs under a `./...` pattern that no target builds, whose files do build on some port
    //    this Go supports (so `//go:build ignore` generators and tag-gated dirs stay quiet).
    for (const [dir, files] of dirs) {
      if (union.has(dir) || own.some((l) => present.get(formatTarget(l.target)).has(dir))) continue;
      const platforms = new Set();
      for (const p of ports) {
        const t = { goos: p.GOOS, goarch: p.GOARCH };
        if ((await buildsFor(dir, files, t, false)) || (p.CgoSupported && (await buildsFor(dir, files, t, true)))) platforms.add(p.GOOS);
      }
      if (platforms.size === 0) continue;
      await describe(dir, files, own.map((l) => l.target), [...platforms].sort().slice(0, 6));
    }
  }
  return findings;
}

/** Package dirs under the module's recursive relative patterns (`./...`, `./cmd/...`). */
async function walkRoots(module, patterns) {
  const out = new Map();
  for (const p of patterns) {
    const m = /^(\.(?:\/.*?)?)\/\.\.\.$/.exec(p);
    if (!m) continue;
    for (const [d, f] of await walkPackageDirs(path.resolve(module.dir, m[1]))) out.set(d, f);
  }
  return out;
}

// Diff scope: on a pull request only the lines changed since the branch left its base are
// checked, so a secret committed long ago (and already handled, or not yours) does not fail
// every PR. The changed lines are `git diff -U0 <merge-base>` of the work tree.















/** Unquote a path git printed in C style ("a\tb", octal escapes for bytes). */
function unquoteGitPath(p) {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const body = p.slice(1, -1);
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    const simple = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
    if (n in simple) bytes.push(simple[n]);
    else if (/[0-7]/.test(n)) {
      const oct = body.slice(i, i + 3);
      bytes.push(parseInt(oct, 8));
      i += 2;
    } else bytes.push(...Buffer.from(n, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parse `git diff -U0` output into changed (new-side) line numbers per file. */
function parseUnifiedDiff(out, dstPrefix = 'b/') {
  const changed = new Map();
  let current;
  for (const line of out.split('\n')) {
    if (line.startsWith('+++ ')) {
      const raw = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      if (raw === '/dev/null') current = undefined;
      else {
        const p = raw.startsWith(dstPrefix) ? raw.slice(dstPrefix.length) : raw;
        current = changed.get(p) ?? new Set();
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

async function revParse(dir, git, ref) {
  const r = await runGit$1(['rev-parse', '--verify', '-q', '--end-of-options', `${ref}^{commit}`], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 30_000 });
  const sha = r.code === 0 ? r.stdout.trim() : '';
  return OBJECT_ID.test(sha) ? sha : undefined;
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Resolve `base` (a branch, tag or commit; on a pull request the base branch, which a CI
 * checkout has as `origin/<base>`), find the merge base with HEAD and the changed lines.
 */
async function resolveDiffScope(dir, base, git, shallow) {
  if (base.startsWith('-')) return { problem: 'unknown-base', detail: `"${base}" is not a git ref` };
  const candidates = base.startsWith('refs/') || base.startsWith('origin/') ? [base] : [base, `origin/${base}`, `refs/remotes/origin/${base}`];
  let resolved;
  let sha;
  for (const c of candidates) {
    sha = await revParse(dir, git, c);
    if (sha) {
      resolved = c;
      break;
    }
  }
  if (!sha || !resolved) return { problem: shallow ? 'shallow' : 'unknown-base', detail: `no commit named ${candidates.join(' or ')}` };
  const mb = await runGit$1(['merge-base', '--end-of-options', sha, 'HEAD'], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 60_000 });
  if (mb.code !== 0 || !OBJECT_ID.test(mb.stdout.trim())) {
    return { problem: shallow ? 'shallow' : 'no-merge-base', detail: `git merge-base ${resolved} HEAD found no common commit` };
  }
  const mergeBase = mb.stdout.trim();
  const d = await runGit$1(
    ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--ignore-submodules=all', '--relative', '--src-prefix=a/', '--dst-prefix=b/', '--end-of-options', mergeBase, '--'],
    { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 120_000, worktree: true },
  );
  if (d.code !== 0 || d.truncated) return { problem: 'diff-failed', detail: describeFailure(d) };
  // Not a diff: an empty scope from it would scan nothing and pass.
  if (d.stdout.trim() && !d.stdout.startsWith('diff ')) return { problem: 'diff-failed', detail: `git diff printed something that is not a diff (${JSON.stringify(d.stdout.slice(0, 40))})` };
  return { scope: { base, resolved, mergeBase, changed: parseUnifiedDiff(d.stdout) } };
}

/** True when any line of [line, endLine] changed (path-only findings: when the file changed). */
function inScope(scope, file, line, endLine) {
  const lines = scope.changed.get(file);
  if (!lines) return false;
  if (line === 0) return true;
  for (let l = line; l <= Math.max(line, endLine); l++) if (lines.has(l)) return true;
  return false;
}

// Which files are scanned: tracked files (`git ls-files`, with their blob ids for the cache), or
// every regular file when the directory is not a git work tree. Reading and binary detection
// live in scan-file.ts (shared with the workers).


/** Tracked files under dir (`git ls-files -s -z`), skipping submodules and symlinks. */
async function listGitFiles(dir, git) {
  const r = await runGit$1(['ls-files', '-s', '-z'], { exec: git.exec, cwd: dir, env: git.env, signal: git.signal, timeoutMs: 120_000 });
  if (r.code !== 0 || r.truncated) throw new ToolFailure(`cannot list the tracked files: ${describeFailure(r)}`);
  const files = [];
  const seen = new Set();
  const records = r.stdout.split('\0');
  // Every record ends with NUL; anything else is not git's listing, and a scan of part of the
  // files (or none: "Scanned 0 tracked files") would be a silent pass.
  if (records.pop() !== '') throw new ToolFailure(`git ls-files printed something that is not its -z listing (${JSON.stringify(r.stdout.slice(0, 60))})`);
  for (const rec of records) {
    // <mode> SP <blob> SP <stage> TAB <path>
    const m = /^([0-7]{6}) ([0-9a-f]{40}|[0-9a-f]{64}) ([0-3])\t(.+)$/s.exec(rec);
    if (!m) throw new ToolFailure(`git ls-files printed something that is not its -z listing (${JSON.stringify(rec.slice(0, 60))})`);
    const [, mode, blob, , rel] = m ;
    // 160000: a submodule (gitlink); 120000: a symlink, whose target is not content here.
    if (mode === '160000' || mode === '120000' || seen.has(rel)) continue;
    seen.add(rel);
    files.push({ rel, abs: path.join(dir, ...rel.split('/')), blob });
  }
  const d = await runGit$1(['diff', '--name-only', '-z', '--relative', '--no-renames', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all'], {
    exec: git.exec,
    cwd: dir,
    env: git.env,
    signal: git.signal,
    timeoutMs: 120_000,
    worktree: true,
  });
  const ok = d.code === 0 && !d.truncated;
  const dirty = new Set(ok ? d.stdout.split('\0').filter(Boolean) : []);
  return { files, dirty, dirtyUnknown: !ok };
}

const WALK_SKIP = new Set(['.git', 'node_modules']);

/** Every regular file under dir outside a git repository (no symlinks; .git, node_modules skipped). */
async function walkFiles$1(dir, opts) {
  const out = [];
  const limit = opts.limit ?? 200_000;
  const walk = async (abs, rel) => {
    if (out.length >= limit || opts.signal?.aborted) return;
    let entries;
    try {
      entries = await promises.readdir(abs, { withFileTypes: true });
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
function skipReason(rel, scanVendor) {
  if (/(?:^|\/)go\.(?:work\.)?sum$/.test(rel)) return 'checksums';
  if (!scanVendor && /(?:^|\/)vendor\//.test(rel)) return 'vendor';
  return undefined;
}

// Glob patterns for `paths-ignore`, in the gitignore spirit: `*` stays within a path segment,
// `**` crosses segments, a pattern without `/` matches a name at any depth, and a pattern that
// names a directory covers everything below it.

function globToRegExp(glob) {
  let g = glob.trim().replace(/\\/g, '/');
  let anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
  if (g.endsWith('/')) g = g.slice(0, -1);
  if (g.includes('/')) anchored = true;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        let body = g.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = g.indexOf('}', i + 1);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${g
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
}

function matchesAny(path, globs) {
  return globs.some((re) => re.test(path));
}

// Parallel scanning with worker_threads. The worker is the bundled dist/secrets-worker.js; when
// it is not there (tests run the TypeScript sources) the caller scans on its own thread.





/**
 * The worker script next to this module: `dist/secrets-worker.js` seen from `dist/` (entry
 * files) or from `dist/chunks/` (where rollup puts shared code).
 */
function findWorkerScript() {
  let here;
  try {
    here = import.meta.url;
  } catch {
    return undefined;
  }
  for (const rel of ['./secrets-worker.js', '../secrets-worker.js']) {
    try {
      const url = new URL(rel, here);
      if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
    } catch {
      /* not a file URL */
    }
  }
  return undefined;
}

/** Split jobs into batches of about `target` bytes (sizes known), largest files first. */
function makeBatches(jobs, target, maxSize) {
  const sorted = [...jobs].sort((a, b) => b.size - a.size);
  const batches = [];
  let cur = [];
  let bytes = 0;
  for (const j of sorted) {
    cur.push(maxSize === undefined ? { rel: j.rel, abs: j.abs } : { rel: j.rel, abs: j.abs, maxSize });
    bytes += j.size;
    if (bytes >= target || cur.length >= 500) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) batches.push(cur);
  return batches;
}

/** Text already in memory (the lines a commit added), scanned as the file `rel`; results carry `key` as their `rel`. */






/** Scan in-memory texts on `threads` workers, in batches of about 1 MB; rejects if a worker fails. */
async function scanTextsInWorkers(script, config, jobs, threads, signal) {
  const requests = [];
  let cur = [];
  let bytes = 0;
  for (const j of jobs) {
    cur.push(j);
    bytes += j.text.length;
    if (bytes >= 1024 * 1024 || cur.length >= 2000) {
      requests.push({ jobs: [], texts: cur });
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) requests.push({ jobs: [], texts: cur });
  return runPool(script, config, requests, threads, signal);
}

/** Scan the batches on `threads` workers; rejects if a worker fails (the caller falls back). */
async function scanInWorkers(script, config, batches, threads, signal) {
  return runPool(
    script,
    config,
    batches.map((jobs) => ({ jobs })),
    threads,
    signal,
  );
}

async function runPool(script, config, batches, threads, signal) {
  const results = [];
  const workers = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise((resolve, reject) => {
      if (batches.length === 0) return resolve();
      const onAbort = () => reject(new Error('the secrets scan was cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (err) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const n = Math.max(1, Math.min(threads, batches.length));
      for (let w = 0; w < n; w++) {
        const worker = new Worker(script, { workerData: { secretsWorker: true, config } });
        workers.push(worker);
        const feed = () => {
          if (next < batches.length) {
            const req = { id: next, ...batches[next] };
            next++;
            worker.postMessage(req);
          }
        };
        worker.on('message', (res) => {
          if ('error' in res) return finish(new Error(`secrets worker failed: ${res.error}`));
          results.push(...res.results);
          done++;
          if (done === batches.length) finish();
          else feed();
        });
        worker.on('error', (e) => finish(new Error(`secrets worker failed: ${e.name}: ${e.message.split('\n')[0]}`)));
        worker.on('exit', (code) => {
          if (done < batches.length && code !== 0) finish(new Error(`secrets worker exited with code ${code}`));
        });
        feed();
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  }
  return results;
}

// The results cache: findings per git blob, so that an unchanged file is never read again.
//
// One JSON file, `{ v, clean, found }`: `clean` is one string of `<blob id> <path>` lines for the
// (many) files without findings, `found` maps `<blob id> <path>` to its findings. Flat keys and
// one string keep a warm run cheap: parsing 10,000 entries takes a few milliseconds, where a
// nested object per blob cost far more. Restored into and saved from a temporary directory
// through the CI's CacheStore. The path is part of the entry
// because severity and path-conditioned rules depend on it. Secrets are never stored: only the
// rule, position, redacted preview and fingerprint. Any failure is the caller's warning, never
// the check's failure.



const CACHE_FILE = 'secrets-cache.json';
const FORMAT = 2;

/** Findings per `cacheKey(blob, path)`. */
 

/** The entry of a file: its blob id and its path (severity and path rules depend on the path). */
function cacheKey(blob, file) {
  return `${blob} ${file}`;
}

const NONE = Object.freeze([]);

function toStored(f) {
  // Rebuilt field by field, so a field added to RawFinding later cannot slip a secret in here.
  const s = {
    ruleId: f.ruleId,
    title: f.title,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    severity: f.severity,
    tier: f.tier,
    kind: f.kind,
    preview: f.preview,
    fingerprint: f.fingerprint,
  };
  if (f.note !== undefined) s.note = f.note;
  if (f.name !== undefined) s.name = f.name;
  return s;
}

function fromStored(s, file) {
  return { ...s, file };
}

async function readCacheFile(dir) {
  const doc = JSON.parse(await promises.readFile(path.join(dir, CACHE_FILE), 'utf8')) ;
  const out = new Map();
  // Another format (an older go-preflight): start over rather than misread it.
  if (doc.v !== FORMAT) return out;
  if (typeof doc.clean === 'string') for (const key of doc.clean.split('\n')) if (key) out.set(key, NONE);
  if (doc.found && typeof doc.found === 'object') {
    for (const [key, list] of Object.entries(doc.found )) if (Array.isArray(list)) out.set(key, list );
  }
  return out;
}

async function writeCacheFile(dir, cache) {
  const clean = [];
  const found = {};
  for (const [key, list] of cache) {
    if (list.length === 0) clean.push(key);
    else found[key] = list;
  }
  await promises.writeFile(path.join(dir, CACHE_FILE), JSON.stringify({ v: FORMAT, clean: clean.join('\n'), found }));
}

// scanRepo: the whole-directory scan behind the `secrets` check and the benchmark. Lists the
// files (tracked files in a git work tree, else a walk), applies the path policy, serves unchanged
// blobs from the cache, and scans the rest on worker threads when there is enough to scan.


const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
/**
 * Below this many bytes to scan (estimated from the file count), starting workers costs more than
 * it saves: each costs ~0.2 CPU-s to start (an isolate, the bundle, its rules), and one thread
 * scans about 50 MB per CPU-second.
 */
const DEFAULT_PARALLEL_THRESHOLD = 16 * 1024 * 1024;
/**
 * Sizes are not known before reading (no stat per file): the worker decision and the batches
 * count files at about this size (the mean of Go's src/ and of most Go repositories, 6–10 KB).
 */
const AVERAGE_FILE_BYTES = 8 * 1024;































































// The last rule set built on this thread, by its config: the tree scan, the commit scan and the
// inline-comment rescan of one run share it (building one compiles every rule and the automaton).
let lastRuleset;
function rulesetFor(config) {
  const key = JSON.stringify(config);
  if (lastRuleset?.key !== key) lastRuleset = { key, rs: createRuleset(config) };
  return lastRuleset.rs;
}

function defaultThreads() {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

async function isGitWorkTree(dir, exec, env, signal) {
  const r = await runGit$1(['rev-parse', '--is-inside-work-tree'], { exec, cwd: dir, env, signal, timeoutMs: 30_000 });
  return r.code === 0 && r.stdout.trim() === 'true';
}

async function scanRepo(dir, opts = {}) {
  const t0 = Date.now();
  const exec = opts.exec ?? runProcess;
  const env = opts.env ?? process.env;
  const config = opts.config ?? DEFAULT_RULESET_CONFIG;
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const scanVendor = opts.scanVendor ?? false;
  const log = opts.logger;
  const mode = opts.mode === 'auto' || opts.mode === undefined ? ((await isGitWorkTree(dir, exec, env, opts.signal)) ? 'git' : 'walk') : opts.mode;

  let listed;
  let dirty = new Set();
  let dirtyUnknown = false;
  if (mode === 'git') {
    const l = await listGitFiles(dir, { exec, env, signal: opts.signal });
    listed = l.files;
    dirty = l.dirty;
    dirtyUnknown = l.dirtyUnknown;
  } else {
    listed = await walkFiles$1(dir, { scanVendor, signal: opts.signal });
  }

  const stats = {
    mode,
    listed: listed.length,
    skippedVendor: 0,
    skippedIgnored: 0,
    scanned: 0,
    fromCache: 0,
    binary: 0,
    oversized: 0,
    bytes: 0,
    threads: 1,
    cache: 'off',
    durationMs: 0,
  };
  const ignoreRes = (opts.pathsIgnore ?? []).filter((g) => g.trim()).map(globToRegExp);
  const exclude = new Set(opts.exclude ?? []);
  const files = listed.filter((f) => {
    if (opts.only && !opts.only.has(f.rel)) return false;
    const why = skipReason(f.rel, scanVendor);
    if (why === 'vendor') stats.skippedVendor++;
    if (why) return false;
    if (opts.invertIgnore) return !exclude.has(f.rel) && ignoreRes.length > 0 && matchesAny(f.rel, ignoreRes);
    if (exclude.has(f.rel) || matchesAny(f.rel, ignoreRes)) {
      stats.skippedIgnored++;
      return false;
    }
    return true;
  });

  // Cache: restore, then serve every clean file whose blob (at this path) is known.
  const findings = [];
  let cache;
  const useCache = !!opts.cache && mode === 'git' && !dirtyUnknown && !opts.invertIgnore;
  if (useCache) {
    const c = opts.cache;
    try {
      const hit = await c.store.restore(c.key, c.dir);
      cache = hit ? await readCacheFile(c.dir) : new Map();
      stats.cache = hit ? 'hit' : 'miss';
    } catch (e) {
      log?.warning(`secrets: could not restore the results cache (${getErrorMessage(e)}); scanning every file`);
      cache = new Map();
      stats.cache = 'error';
    }
  }
  const cacheable = (f) => useCache && !!f.blob && !dirty.has(f.rel);
  const toScan = [];
  const oversized = [];
  const unreadable = [];
  let sliceStart = Date.now();
  for (const f of files) {
    const cached = cacheable(f) ? cache?.get(cacheKey(f.blob, f.rel)) : undefined;
    if (cached) {
      stats.fromCache++;
      for (const s of cached) findings.push(fromStored(s, f.rel));
      continue;
    }
    if (Date.now() - sliceStart > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
      if (opts.signal?.aborted) throw new ScanCancelledError();
    }
    // No stat here: the reader's fstat on the open file decides (missing, not a regular file,
    // over max-file-size, binary), one system call less per file.
    toScan.push({ ...f, size: AVERAGE_FILE_BYTES });
  }

  const totalBytes = toScan.reduce((a, f) => a + f.size, 0);
  const maxThreads = Math.max(1, opts.workers ?? defaultThreads());
  const threshold = opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD;
  let results;
  const script = maxThreads > 1 && totalBytes > threshold ? findWorkerScript() : undefined;
  if (script) {
    const threads = Math.min(maxThreads, Math.ceil(totalBytes / (1024 * 1024)));
    // Many small batches: workers pull the next one when done, which evens out unknown sizes.
    const batches = makeBatches(toScan, Math.max(256 * 1024, Math.ceil(totalBytes / (threads * 16))), maxFileSize);
    try {
      results = await scanInWorkers(script, config, batches, threads, opts.signal);
      stats.threads = threads;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      log?.debug(`secrets: worker threads failed (${getErrorMessage(e)}); scanning on the main thread`);
    }
  }
  if (!results) {
    const jobs = toScan.map((f) => ({ rel: f.rel, abs: f.abs, maxSize: maxFileSize }));
    // Nothing to read (every file came from the cache): skip building the keyword automaton.
    results = jobs.length ? await scanFilesInThread(jobs, rulesetFor(config), opts.signal) : [];
  }

  const byRel = new Map(toScan.map((f) => [f.rel, f]));
  let newEntries = 0;
  for (const r of results) {
    if (r.status === 'missing') continue;
    if (r.status === 'unreadable') {
      unreadable.push({ file: r.rel, reason: r.reason ?? 'cannot be read' });
      continue;
    }
    if (r.status === 'oversized') {
      // Over max-file-size (and not binary): listed, not read.
      oversized.push({ file: r.rel, size: r.bytes });
      continue;
    }
    stats.scanned++;
    if (r.status === 'binary') stats.binary++;
    else stats.bytes += r.bytes;
    findings.push(...r.findings);
    const f = byRel.get(r.rel);
    if (cache && f && cacheable(f)) {
      cache.set(cacheKey(f.blob, f.rel), r.findings.map(toStored));
      newEntries++;
    }
  }

  if (cache && newEntries > 0) {
    const c = opts.cache;
    try {
      // Keep only the entries of files that exist now, so the cache does not grow forever.
      const pruned = new Map();
      for (const f of files) {
        if (!f.blob) continue;
        const key = cacheKey(f.blob, f.rel);
        const list = cache.get(key);
        if (list) pruned.set(key, list);
      }
      await writeCacheFile(c.dir, pruned);
      await c.store.save(c.key, c.dir);
    } catch (e) {
      log?.warning(`secrets: could not save the results cache (${getErrorMessage(e)})`);
    }
  }

  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  stats.oversized = oversized.length;
  stats.durationMs = Date.now() - t0;
  log?.debug(
    `secrets: ${stats.mode} mode, ${stats.listed} files listed, ${stats.scanned} scanned (${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.threads} thread(s)), ${stats.fromCache} from cache (${stats.cache}), ${stats.binary} binary, ${stats.oversized} too large, ${stats.durationMs} ms`,
  );
  return { findings, oversized, unreadable, stats };
}

// Secrets in commits: the lines each commit adds, not only the files as they are now. A secret
// added in one commit and deleted in the next is in every clone forever; the tree scan never
// sees it. One `git log -p -U0` stream per batch of a few hundred commits (never a process per
// commit), parsed into one text per (commit, file) made of the added lines, scanned with the same
// rule set as the tree (on worker threads when there is a lot of it).



/**
 * Every git command of the commit scan goes through the project's git runner (core/git.ts): no
 * fsmonitor, hooks, pager, filters, textconv or external diff of the inspected repository can run.
 * Work-tree mode is always on here, so the repository's filter drivers are turned off even for a
 * command that reads files (a diff against the work tree).
 */
function runGit(dir, args, git, opts = {}) {
  return runGit$1(['-c', 'log.showRoot=true', ...args], {
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
 
















































const INLINE_ALLOW_RE = /gitleaks:allow|preflight:allow/g;

/** One file's added lines in one commit. `lines[i]` is the new-file line number of text line i+1. */







/**
 * Parse `git log -p -U0 --format=%x00%H` output into the added text of each (commit, file).
 * Hunks of one file are joined with an empty line between them (so that a match never spans two
 * hunks), and `lines` maps each text line back to its line in the file at that commit.
 */
function parseLogPatch(out) {
  const units = [];
  let commit = '';
  let file;
  let textLines = [];
  let lineMap = [];
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

async function revList(dir, range, git) {
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
function mapFindings(u, found) {
  const out = [];
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
function withoutAllow(text) {
  return text.replace(INLINE_ALLOW_RE, (m) => 'x'.repeat(m.length));
}

/** Scan the lines added by every commit of the range. Throws when git fails. */
async function scanCommits(dir, range, git, opts) {
  const t0 = Date.now();
  const shas = await revList(dir, range, git);
  const result = { findings: [], inlineAllowed: [], commits: shas.length, bytes: 0, threads: 1, durationMs: 0, oversized: 0 };
  if (!shas.length) return result;

  const ignoreRes = (opts.pathsIgnore ?? []).filter((g) => g.trim()).map(globToRegExp);
  const exclude = new Set(opts.exclude ?? []);
  const maxSize = opts.maxFileSize ?? 5 * 1024 * 1024;
  const keep = (u) => {
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
  const batches = [];
  for (let i = 0; i < shas.length; i += size) batches.push(shas.slice(i, i + size));
  const maxThreads = Math.max(1, opts.workers ?? Math.min(8, cpus));
  const threshold = opts.parallelThreshold ?? 2 * 1024 * 1024;
  const script = maxThreads > 1 ? findWorkerScript() : undefined;
  let mode = script ? 'undecided' : 'here';
  const perBatch = new Array(batches.length);
  const found = new Array(batches.length);
  let bytesSeen = 0;
  let batchesSeen = 0;
  let gitMs = 0;
  let scanMs = 0;
  const rs = () => rulesetFor(opts.config);
  const scanHere = async (units) => {
    const out = [];
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
  let failure;
  const reader = async () => {
    while (next < batches.length && !failure) {
      const i = next++;
      const g0 = Date.now();
      const r = await runGit(dir, LOG_ARGS, git, { input: `${batches[i].join('\n')}\n`, timeoutMs: 600_000 });
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
  const units = perBatch.flat();
  result.bytes = bytesSeen;

  const missing = batches.map((_, i) => i).filter((i) => !found[i]);
  if (missing.length && script) {
    // Worker threads for what was not scanned yet.
    const todo = missing.flatMap((i) => perBatch[i]);
    const threads = Math.max(1, Math.min(maxThreads, Math.ceil(todo.reduce((a, u) => a + u.text.length, 0) / (1024 * 1024))));
    const jobs = todo.map((u, k) => ({ key: String(k), rel: u.file, text: u.text }));
    try {
      const s0 = Date.now();
      const res = await scanTextsInWorkers(script, opts.config, jobs, threads, git.signal);
      const perUnit = new Array(todo.length);
      for (const r of res) perUnit[Number(r.rel)] = r.findings;
      const out = [];
      todo.forEach((u, k) => out.push(...mapFindings(u, perUnit[k] ?? [])));
      // Keep commit order: the worker results go where their batches were.
      const byBatch = new Map(missing.map((i) => [i, []]));
      const batchOf = new Map();
      for (const i of missing) for (const sha of batches[i]) batchOf.set(sha, i);
      for (const f of out) byBatch.get(batchOf.get(f.commit) ?? missing[0]).push(f);
      for (const [i, list] of byBatch) found[i] = list;
      result.threads = threads;
      scanMs += Date.now() - s0;
    } catch (e) {
      if (git.signal?.aborted) throw e;
      opts.logger?.debug(`secrets: worker threads failed on the history (${getErrorMessage(e)}); scanning on the main thread`);
    }
  }
  for (const i of missing) if (!found[i]) found[i] = await scanHere(perBatch[i]);
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
async function resolveCommit(dir, ref, git) {
  if (!ref || ref.startsWith('-')) return undefined;
  const r = await runGit(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${ref}^{commit}`], git, { timeoutMs: 30_000 });
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The boundary commits of a shallow clone (empty when it is not shallow). */
async function shallowBoundary(dir, git) {
  const r = await runGit(dir, ['rev-parse', '--git-path', 'shallow'], git, { timeoutMs: 30_000 });
  if (r.code !== 0) return [];
  const p = path.resolve(dir, r.stdout.trim());
  try {
    return (await promises.readFile(p, 'utf8')).split('\n').map((s) => s.trim()).filter((s) => /^[0-9a-f]{40,64}$/.test(s));
  } catch {
    return [];
  }
}

/** Added lines per root-relative path between `base` and the work tree (`git diff -U0 base`). */
async function addedLinesSince(dir, base, git) {
  const r = await runGit(
    dir,
    ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--text', '--src-prefix=a/', '--dst-prefix=b/', base, '--'],
    git,
    { timeoutMs: 120_000 },
  );
  if (r.code !== 0) return undefined;
  return parseUnifiedDiff(r.stdout);
}

// The secret scan's view of "the change": which commits to read (from the CI event or the CLI
// flags, in what this clone holds), how a secret found in commits and in the tree becomes one
// finding per place, and which findings an inline allow comment hid in the tree.















const FETCH_DEPTH_HINT =
  'Set `fetch-depth: 0` on actions/checkout (`with: fetch-depth: 0`) so that every commit of the change is in the clone; go-preflight never fetches.';

function label(c) {
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
async function commitsToScan(dir, c, git, shallow) {
  const plan = { findings: [], notes: [], what: '' };
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
  let base;
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
    let def;
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

async function mergeBase(dir, a, b, git) {
  const r = await runGit(dir, ['merge-base', a, b], git, { timeoutMs: 60_000 });
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

function secretHash(secret) {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}

const previewKey = (f) => `${f.ruleId}\0${f.file}\0p:${f.preview}\0${f.name ?? ''}`;
const hashKey = (f, secret) => `${f.ruleId}\0${f.file}\0h:${secretHash(secret)}`;

/**
 * One finding per place: drop a commit finding whose secret is still in the tree at that file
 * (the tree finding is the one reported), and keep only the first commit that added each secret
 * (same rule, same secret, same file). Tree findings restored from the cache have no secret: they
 * are matched by rule, file and redacted preview.
 */
function dedupeAgainstTree(tree, commits) {
  const inTree = new Set();
  for (const f of tree) inTree.add(f.secret ? hashKey(f, f.secret) : previewKey(f));
  const seen = new Set();
  const out = [];
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
async function grepAllowFiles(dir, git) {
  const r = await runGit(dir, ['grep', '-l', '-z', '-I', '--no-color', '-e', 'gitleaks:allow', '-e', 'preflight:allow', '--', '.'], git, { timeoutMs: 120_000 });
  if (r.code !== 0) return []; // 1: no match
  return r.stdout.split('\0').filter(Boolean).map((f) => f.replace(/\\/g, '/'));
}

/**
 * Findings an inline `gitleaks:allow`/`preflight:allow` comment hid in the tree: the files that
 * hold a marker (see grepAllowFiles) scanned again with the markers blanked out. Only findings
 * that the normal scan did not report are returned.
 */
function inlineAllowedInTree(
  dir,
  files,
  ruleset,
  reported,
  keep,
  maxFileSize,
) {
  const out = [];
  const seen = new Set(reported.map((f) => `${f.file}\0${f.ruleId}\0${f.line}\0${f.column}`));
  for (const file of files) {
    if (!keep(file)) continue;
    const abs = path.join(dir, ...file.split('/'));
    // lstat: a tracked symlink is never followed (its target may be outside the repository).
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > maxFileSize) continue;
    let text;
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
function addedLookup(added, dirPrefix) {
  if (!added) return undefined;
  return (file, line) => {
    const key = dirPrefix && dirPrefix !== '.' ? `${dirPrefix}/${file}` : file;
    const lines = added.get(key);
    if (!lines) return false;
    return line === undefined ? lines.size > 0 : lines.has(line);
  };
}

// A user's `.gitleaks.toml`, read the way gitleaks v8 reads it, into a RulesetConfig:
// - `[extend] useDefault = true` keeps go-preflight's default rules (they play the part of
//   gitleaks' defaults); without it only the file's rules run. `[extend] path` (another file in
//   the repository, at most two levels deep) and `disabledRules` are honoured; `url` is not;
// - `[[rules]]` with id, description, regex, secretGroup, entropy, keywords, path and
//   `[[rules.allowlists]]` (or the older `[rules.allowlist]`); a rule that reuses a default id
//   replaces it, or extends it when it has no regex;
// - `[allowlist]` / `[[allowlists]]` (paths, regexes, stopwords, regexTarget, condition,
//   targetRules; commits are ignored since the working tree is scanned).
// RE2 patterns run on re2js, a linear-time RE2 engine (re2.ts). What cannot be used becomes a problem
// (reported as a warning finding on the file), never an exception.



const GITLEAKS_CONFIG_FILE = '.gitleaks.toml';

















let ids;
function builtinIds() {
  return (ids ??= new Set(builtinRules().map((r) => r.id)));
}

function isTable(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function strings(v) {
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** 1-based line of the first occurrence of `needle` in text, if any. */
function lineOf(text, needle) {
  const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  if (i < 0) return undefined;
  return text.slice(0, i).split('\n').length;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Loader {
   problems = [];
   files = [];

  constructor(  root) {this.root = root;}

   problem(file, text, message, near) {
    this.problems.push({ file, message, line: near === undefined ? undefined : lineOf(text, near) });
  }

   translate(file, text, pattern, what) {
    try {
      return translateRe2(pattern);
    } catch (e) {
      const why = e instanceof Re2TranslateError ? e.message : getErrorMessage(e);
      this.problem(file, text, `${what}: the pattern cannot be used (${why}); it is ignored`, pattern.slice(0, 40));
      return undefined;
    }
  }

   allowlist(file, text, t, where, global) {
    const cond = typeof t.condition === 'string' ? t.condition.toUpperCase() : 'OR';
    const target = typeof t.regexTarget === 'string' ? t.regexTarget.toLowerCase() : 'secret';
    if (cond !== 'OR' && cond !== 'AND') this.problem(file, text, `${where}: condition must be "OR" or "AND" (got "${String(t.condition)}"); OR is used`, /condition\s*=/);
    if (target !== 'secret' && target !== 'match' && target !== 'line') {
      this.problem(file, text, `${where}: regexTarget must be secret, match or line (got "${String(t.regexTarget)}"); secret is used`, /regexTarget\s*=/);
    }
    const tr = (list, kind) =>
      list.flatMap((p) => {
        const r = this.translate(file, text, p, `${where} ${kind}`);
        return r ? [{ source: r.source, flags: r.flags, syntax: r.syntax }] : [];
      });
    const spec = {
      description: typeof t.description === 'string' ? t.description : undefined,
      condition: cond === 'AND' ? 'AND' : 'OR',
      regexTarget: target === 'match' || target === 'line' ? target : 'secret',
      regexes: tr(strings(t.regexes), 'regex'),
      paths: tr(strings(t.paths), 'path'),
      stopwords: strings(t.stopwords),
    };
    if (global && t.targetRules !== undefined) spec.targetRules = strings(t.targetRules);
    // An allowlist of commits only has nothing left to match in a working-tree scan.
    if (!spec.regexes.length && !spec.paths.length && !spec.stopwords.length) return undefined;
    return spec;
  }

   rule(file, text, t, index) {
    const id = typeof t.id === 'string' ? t.id.trim() : '';
    if (!id) {
      this.problem(file, text, `[[rules]] #${index + 1} has no id; it is ignored`);
      return undefined;
    }
    const near = new RegExp(`id\\s*=\\s*["']${escapeRegExp(id)}["']`);
    const where = `rule "${id}"`;
    if (t.required !== undefined) {
      this.problem(file, text, `${where}: composite rules ([[rules.required]]) are not supported; the rule is ignored`, near);
      return undefined;
    }
    const spec = { id, keywords: strings(t.keywords).map((k) => k.toLowerCase()), allowlists: [] };
    if (typeof t.description === 'string') spec.description = t.description;
    if (typeof t.regex === 'string' && t.regex !== '') {
      const r = this.translate(file, text, t.regex, `${where} regex`);
      if (!r) return undefined;
      spec.regex = r;
    }
    if (typeof t.path === 'string' && t.path !== '') {
      const r = this.translate(file, text, t.path, `${where} path`);
      if (!r) return undefined;
      spec.path = { source: r.source, flags: r.flags, syntax: r.syntax };
    }
    if (!spec.regex && !spec.path && !builtinIds().has(id)) {
      this.problem(file, text, `${where} has neither regex nor path (and is not one of the default rules to extend); it is ignored`, near);
      return undefined;
    }
    if (typeof t.secretGroup === 'number') spec.secretGroup = t.secretGroup;
    if (typeof t.entropy === 'number') spec.entropy = t.entropy;
    const lists = [...(Array.isArray(t.allowlists) ? t.allowlists : []), ...(isTable(t.allowlist) ? [t.allowlist] : [])];
    for (const [i, al] of lists.entries()) {
      if (!isTable(al)) continue;
      const a = this.allowlist(file, text, al, `${where} allowlist #${i + 1}`, false);
      if (a) spec.allowlists.push(a);
    }
    return spec;
  }

  async load(abs, depth) {
    let text;
    try {
      // Read as every repository file is (core/safe-read.ts): a link out of the repository, a FIFO,
      // a device or an oversized file is refused and named, never read or quoted.
      text = await readRepoFile(abs, { root: this.root, maxBytes: READ_LIMITS.gitleaksConfig });
    } catch (e) {
      this.problems.push({ file: abs, message: isUnsafeReadError(e) ? `${unsafeReadSentence(e, 'the file')}; it is ignored` : `cannot read the file: ${getErrorMessage(e)}` });
      return undefined;
    }
    this.files.push(abs);
    let doc;
    // The TOML parser is loaded only for repositories that have a .gitleaks.toml (start-up time).
    const toml = await import('./index-DatMnK_-.js');
    try {
      doc = toml.parse(text) ;
    } catch (e) {
      const line = e instanceof toml.TomlError ? e.line : undefined;
      // Only the first line of the parser's message: the rest quotes the file.
      this.problems.push({ file: abs, line, message: `not valid TOML: ${getErrorMessage(e).split('\n')[0]}; the file is ignored` });
      return undefined;
    }
    const extend = isTable(doc.extend) ? doc.extend : undefined;
    let base;
    if (extend && typeof extend.path === 'string' && extend.path) {
      const target = path.resolve(path.dirname(abs), extend.path);
      const rel = path.relative(this.root, target);
      if (depth >= 2) this.problem(abs, text, `[extend] path: extending more than two levels deep is not supported; "${extend.path}" is ignored`, /path\s*=/);
      else if (rel.startsWith('..') || path.isAbsolute(rel)) this.problem(abs, text, `[extend] path "${extend.path}" is outside the repository; it is ignored`, /path\s*=/);
      else base = await this.load(target, depth + 1);
    }
    if (extend && typeof extend.url === 'string') this.problem(abs, text, '[extend] url is not supported (no network access); it is ignored', /url\s*=/);

    const rules = [];
    const rawRules = Array.isArray(doc.rules) ? doc.rules : [];
    rawRules.forEach((r, i) => {
      if (!isTable(r)) return;
      const spec = this.rule(abs, text, r, i);
      if (spec) rules.push(spec);
    });
    const allowlists = [];
    const rawLists = [...(isTable(doc.allowlist) ? [doc.allowlist] : []), ...(Array.isArray(doc.allowlists) ? doc.allowlists : [])];
    rawLists.forEach((a, i) => {
      if (!isTable(a)) return;
      const spec = this.allowlist(abs, text, a, `global allowlist #${i + 1}`, true);
      if (spec) allowlists.push(spec);
    });

    let useDefault = extend?.useDefault === true || base?.useDefault === true;
    if (!extend && rawRules.length === 0) {
      // gitleaks would then detect nothing at all; far more likely the file only meant to add
      // allowlists, so the default rules stay on.
      this.problems.push({
        file: abs,
        message: 'has no [[rules]] and no [extend]: gitleaks would run no rule at all with it; go-preflight keeps its default rules (add an [extend] table with useDefault = true to say so)',
      });
      useDefault = true;
    }
    const merged = [...(base?.rules ?? [])];
    for (const r of rules) {
      const at = merged.findIndex((m) => m.id === r.id);
      if (at >= 0) merged[at] = r;
      else merged.push(r);
    }
    return {
      useDefault,
      disabledRules: [...new Set([...(base?.disabledRules ?? []), ...strings(extend?.disabledRules)])],
      generic: true,
      rules: merged,
      allowlists: [...(base?.allowlists ?? []), ...allowlists],
    };
  }
}

/**
 * Read `<root>/.gitleaks.toml` when it exists. `root` is the repository root; `[extend] path`
 * must stay inside it.
 */
async function loadGitleaksConfig(root) {
  const file = path.join(root, GITLEAKS_CONFIG_FILE);
  try {
    await promises.access(file);
  } catch {
    return undefined;
  }
  const loader = new Loader(root);
  const config = await loader.load(file, 0);
  return {
    config: config ?? { useDefault: true, disabledRules: [], generic: true, rules: [], allowlists: [] },
    problems: loader.problems,
    files: loader.files,
  };
}

// Accepted findings: `.gitleaksignore` fingerprints and a baseline file, both matched by the
// gitleaks fingerprint `file:rule:line` (a leading `commit:` is accepted and ignored, since the
// working tree is scanned rather than history).

const GITLEAKS_IGNORE_FILE = '.gitleaksignore';

/** `file:rule:line`, with `\` turned into `/` and any leading commit id dropped. */
function normalizeFingerprint(raw) {
  const parts = raw.trim().replace(/\\/g, '/').split(':');
  if (parts.length < 3) return undefined;
  const line = parts.pop();
  const rule = parts.pop();
  if (!/^\d+$/.test(line) || !rule) return undefined;
  if (parts.length > 1 && /^[0-9a-f]{7,64}$/i.test(parts[0])) parts.shift();
  const file = parts.join(':');
  return file ? `${file}:${rule}:${line}` : undefined;
}







/** One fingerprint per line; `#` comments and blank lines skipped (gitleaks' format). */
function parseGitleaksIgnore(text) {
  const fingerprints = new Set();
  const badLines = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fp = normalizeFingerprint(line);
    if (fp) fingerprints.add(fp);
    else badLines.push(i + 1);
  });
  return { fingerprints, badLines };
}

function fromObject(o) {
  const fp = o.fingerprint ?? o.Fingerprint;
  if (typeof fp === 'string') return normalizeFingerprint(fp);
  const rule = o.ruleId ?? o.RuleID;
  const file = o.file ?? o.File;
  const line = o.line ?? o.StartLine;
  if (typeof rule === 'string' && typeof file === 'string' && typeof line === 'number') return normalizeFingerprint(`${file}:${rule}:${line}`);
  // A go-preflight report without ruleId/fingerprint: the hint names the fingerprint.
  if (typeof o.hint === 'string') {
    const m = /`([^`\s]+:[\w.-]+:\d+)` to \.gitleaksignore/.exec(o.hint);
    if (m) return normalizeFingerprint(m[1]);
  }
  return undefined;
}

/**
 * A baseline: a JSON array of fingerprints or of finding objects (`{fingerprint}`, a gitleaks
 * report's `{Fingerprint}` or `{RuleID, File, StartLine}`), or a previous go-preflight JSON
 * report (its `secrets` check's findings). Throws on text that is not such JSON.
 */
function parseBaseline(text) {
  const doc = JSON.parse(text);
  const out = new Set();
  const add = (v) => {
    const fp = typeof v === 'string' ? normalizeFingerprint(v) : typeof v === 'object' && v !== null ? fromObject(v ) : undefined;
    if (fp) out.add(fp);
  };
  if (Array.isArray(doc)) doc.forEach(add);
  else if (typeof doc === 'object' && doc !== null && Array.isArray((doc ).checks)) {
    for (const c of (doc ).checks) {
      // Any JSON may stand here (the file is the repository's): entries that are not objects are skipped.
      if (c && typeof c === 'object' && c.id === 'secrets' && Array.isArray(c.findings)) c.findings.forEach(add);
    }
  } else if (typeof doc === 'object' && doc !== null && Array.isArray((doc ).findings)) {
    ((doc ).findings).forEach(add);
  } else {
    throw new Error('expected a JSON array of findings or a go-preflight JSON report');
  }
  return out;
}

// secrets: are there credentials committed in tracked files?
//
// A gitleaks-compatible scan (own rules written from the providers' token formats, the user's
// .gitleaks.toml, .gitleaksignore, `gitleaks:allow`) over the working-tree content of tracked
// files. A secret's value never leaves the engine: findings carry a 4-character preview at most,
// and every value found is registered with the CI's log masking.


const MAX_OVERSIZED_NOTICES = 20;
/** Above this many bytes of files, what paths-ignore and allowlists hide is listed only within a pull request's changes. */
const LIST_HIDDEN_MAX_BYTES = 16 * 1024 * 1024;
/** At most this many suppressed findings in the report (an allowlist of `.*` can hide thousands). */
const MAX_SUPPRESSED = 500;

const CONFIG_HINT = '.github/go-preflight.yml (checks.secrets)';

function mb(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function capitalize(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

let revokeById;
function revokeHint(ruleId) {
  revokeById ??= new Map(builtinRules().map((r) => [r.id, r.revoke]));
  return revokeById.get(ruleId);
}

/** Files with no comment syntax: key and certificate files, key stores, JSON, path-only findings. */
const NO_COMMENT_FILE_RE = /(?:\.(?:pem|key|crt|cer|der|p8|pk8|p12|pfx|ppk|asc|gpg|jks|keystore|json)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_[\w-]+)?)$/i;

function cannotHoldComment(f) {
  return f.line === 0 || NO_COMMENT_FILE_RE.test(f.file) || (f.tier === 'private-key' && !/\.[A-Za-z0-9]{1,5}$/.test(f.file));
}

/** Message and hint of one finding; built from rule metadata and the redacted preview only. */
function describeFinding(f) {
  const where = f.kind === 'test' ? ' in test code' : f.kind === 'example' ? ' in example code' : f.kind === 'generated' ? ' in generated code' : '';
  let message;
  if (f.line === 0) message = `${capitalize(f.title)}: a file of this kind was committed`;
  else if (f.ruleId === 'generic-api-key') message = `Possible secret assigned to ${f.name ?? 'a secret-like name'}${where} (${f.preview})`;
  else message = `${capitalize(f.title)} committed${where} (${f.preview})`;
  if (f.note) message += `: ${f.note}`;

  const revoke = revokeHint(f.ruleId) ?? (f.tier === 'custom' ? 'Revoke or rotate it where it was issued' : 'If it is a real credential, rotate it where it was issued');
  const parts = [
    `${revoke}, then remove it from the git history (git filter-repo --replace-text, or BFG): a later commit that deletes it leaves it in every clone.`,
  ];
  if (f.tier === 'private-key' && f.kind === 'test') {
    parts.push('For a test key, write it as "-----BEGIN RSA TESTING KEY-----" and replace "TESTING KEY" with "PRIVATE KEY" at run time, as Go\'s own tests do.');
  }
  if (f.tier === 'generic' || f.tier === 'credential') parts.push('Read it from the environment or a secret store instead.');
  if (cannotHoldComment(f)) {
    // A PEM, key store or JSON key file has no comment syntax: an inline allow would break it.
    parts.push(`If it is not a real secret (a test key), add the line \`${f.fingerprint}\` to ${GITLEAKS_IGNORE_FILE}, or list the file in checks.secrets.paths-ignore in ${CONFIG_HINT}.`);
  } else {
    const at = f.line > 0 ? ` on line ${f.line}` : '';
    parts.push(`If it is not a real secret, add a "preflight:allow" (or "gitleaks:allow") comment${at}, or add \`${f.fingerprint}\` to ${GITLEAKS_IGNORE_FILE}.`);
  }

  const out = { severity: f.severity, message, hint: parts.join(' '), file: f.file, ruleId: f.ruleId, fingerprint: f.fingerprint };
  if (f.line > 0) {
    out.line = f.line;
    out.column = f.column;
  }
  return out;
}

/** `.gitleaksignore`, read as every repository file is (core/safe-read.ts); a refusal is returned, never read. */
async function readIgnoreFile(
  file,
  root,
) {
  const read = await tryReadRepoFile(file, { root, maxBytes: READ_LIMITS.ignoreFile });
  if (read === undefined || 'error' in read) return read;
  const text = read.text;
  const lineOf = new Map();
  text.split(/\r?\n/).forEach((raw, i) => {
    const fp = raw.trim() && !raw.trim().startsWith('#') ? normalizeFingerprint(raw) : undefined;
    if (fp && !lineOf.has(fp)) lineOf.set(fp, i + 1);
  });
  return { ...parseGitleaksIgnore(text), lineOf };
}

/** The plain `file:rule:line` fingerprint of a finding (a commit finding's starts with its sha). */
function plainFingerprint(f) {
  return `${f.file}:${f.ruleId}:${f.line}`;
}

/** A commit finding's message says where it is now: in the history only. */
function describeCommitFinding(f) {
  const out = describeFinding(f);
  out.message += ` [added in commit ${f.commit.slice(0, 12)}, no longer in the files]`;
  out.commit = f.commit;
  out.fingerprint = f.fingerprint;
  return out;
}

/** The error reason for files that could not be read: each named (the first 3), with why. */
function unreadableReason(list) {
  const shown = list.slice(0, 3).map((u) => `${u.file} (${u.reason})`);
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  return `could not read ${list.length === 1 ? 'a file, so it was' : `${list.length} files, so they were`} not scanned for secrets: ${shown.join(', ')}${more}; make them readable by the user running go-preflight, or list them in checks.secrets.paths-ignore`;
}

function problemFinding(ctx, p) {
  const f = {
    severity: 'warning',
    message: `${path.basename(p.file)}: ${p.message}`,
    hint: 'Fix the entry: go-preflight reads .gitleaks.toml like gitleaks v8 and runs its patterns on an RE2 engine (Go regexp syntax); an entry it cannot use is skipped.',
    file: reportPath(ctx.dir, p.file),
    ruleId: 'gitleaks-config',
  };
  if (p.line) f.line = p.line;
  return f;
}

/** The config file position of a secrets option, for `at`: `.github/go-preflight.yml:12`. */
function configAt(ctx, key) {
  const file = ctx.settings.configFile;
  if (!file) return undefined;
  const line = ctx.settings.configLines?.[`checks.secrets.${key}`];
  return `${reportPath(ctx.dir, file)}${line ? `:${line}` : ''}`;
}

function suppression(f, by, at, added, commit) {
  const s = { file: f.file, by };
  if (f.line > 0) s.line = f.line;
  s.ruleId = f.ruleId;
  if (at) s.at = at;
  if (added !== undefined) s.addedByChange = added;
  if (commit) s.commit = commit;
  return s;
}

const secretsCheck = {
  id: 'secrets',
  title: 'Committed secrets',
  needs: [],
  options: {
    'scan-vendor': { type: 'boolean', default: false, description: 'Also scan vendor/ directories (third-party code, skipped by default).' },
    'max-file-size': {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_MAX_FILE_SIZE,
      description: 'Files larger than this many bytes are not scanned (a notice names them). Default 5 MiB.',
    },
    'diff-base': {
      type: 'string',
      description:
        "Report only secrets on lines changed since the branch left this git ref (default: the pull request's base branch). An empty string scans everything.",
    },
    baseline: {
      type: 'string',
      description: 'JSON file of accepted findings, relative to the directory: an array of {fingerprint}, a gitleaks JSON report, or a previous go-preflight JSON report.',
    },
    'paths-ignore': { type: 'array', items: { type: 'string', description: 'A glob (gitignore style).' }, description: 'Paths never scanned.' },
    'disabled-rules': { type: 'array', items: { type: 'string', description: 'A rule id, e.g. generic-api-key.' }, description: 'Rules not to run.' },
    generic: {
      type: 'boolean',
      default: true,
      description: 'Run the generic rules: secret-like names assigned high-entropy values, JWTs, bearer tokens.',
    },
    workers: { type: 'integer', minimum: 1, maximum: 64, description: 'Most worker threads for large repositories (default: the CPUs, at most 8).' },
    commits: {
      type: 'string',
      enum: ['auto', 'off'],
      default: 'auto',
      description:
        'auto: also scan the lines each commit of the change added (a pull request\'s or a push\'s commits in the action, --since/--history on the command line); off: only the files.',
    },
  },

  async run(ctx) {
    const o = ctx.options;
    const enforced = ctx.settings.enforce?.includes('secrets') === true;
    const scanVendor = o['scan-vendor'] === true;
    const maxFileSize = typeof o['max-file-size'] === 'number' ? o['max-file-size'] : DEFAULT_MAX_FILE_SIZE;
    const pathsIgnore = Array.isArray(o['paths-ignore']) ? (o['paths-ignore'] ) : [];
    const disabled = Array.isArray(o['disabled-rules']) ? (o['disabled-rules'] ) : [];
    const git = ctx.probe.git;
    const isRepo = git.isRepo;
    const root = isRepo && git.root ? git.root : ctx.dir;
    const gitOpts = { exec: ctx.exec, env: ctx.env, signal: ctx.signal };
    const findings = [];
    const notes = [];
    const exclude = [];
    const suppressed = [];
    const dirPrefix = reportPath(root, ctx.dir);

    // 1. The user's gitleaks configuration. Enforced: its custom rules add detections, but its
    //    allowlists, disabled rules and a missing `useDefault` cannot take any away, and its own
    //    files are scanned like any other.
    let config = { ...DEFAULT_RULESET_CONFIG };
    let glFile;
    const gl = await loadGitleaksConfig(root);
    if (gl) {
      glFile = reportPath(ctx.dir, gl.files[0] ?? path.join(root, '.gitleaks.toml'));
      findings.push(...gl.problems.map((p) => problemFinding(ctx, p)));
      if (enforced) {
        const weakening = gl.config.allowlists.length + gl.config.disabledRules.length + gl.config.rules.filter((r) => r.allowlists.length).length + (gl.config.useDefault ? 0 : 1);
        config = { ...gl.config, useDefault: true, allowlists: [], disabledRules: [], rules: gl.config.rules.map((r) => ({ ...r, allowlists: [] })) };
        notes.push(
          `secrets is enforced: ${gl.config.rules.length} custom rule(s) from ${glFile} add detections${weakening ? `; its allowlists, disabled rules and useDefault are not applied` : ''}.`,
        );
      } else {
        config = gl.config;
        exclude.push(...gl.files.map((f) => reportPath(ctx.dir, f)));
        notes.push(`Rules from ${glFile}${config.useDefault ? ' on top of the default rules' : ' only (no [extend] useDefault)'}.`);
      }
    }
    config = { ...config, disabledRules: [...new Set([...config.disabledRules, ...disabled])], generic: o.generic !== false };

    // 2. Accepted findings (none when enforced: the repository cannot accept its own secrets).
    const ignored = new Map(); // fingerprint -> where (file:line)
    for (const d of new Set([ctx.dir, root])) {
      const file = path.join(d, GITLEAKS_IGNORE_FILE);
      const parsed = await readIgnoreFile(file, root);
      if (!parsed) continue;
      if ('error' in parsed) {
        findings.push({
          severity: 'warning',
          message: `${describeUnsafeRead(parsed.error, reportPath(ctx.dir, file))}, so it ignores nothing`,
          hint: `Commit ${GITLEAKS_IGNORE_FILE} as a regular file of fingerprints (file:rule-id:line), one per line.`,
          file: reportPath(ctx.dir, file),
        });
        continue;
      }
      const rel = reportPath(ctx.dir, file);
      if (enforced) {
        if (parsed.fingerprints.size) notes.push(`secrets is enforced: the ${parsed.fingerprints.size} entries of ${rel} are not applied.`);
        continue;
      }
      exclude.push(rel);
      for (const fp of parsed.fingerprints) if (!ignored.has(fp)) ignored.set(fp, `${rel}:${parsed.lineOf.get(fp) ?? 0}`);
      for (const line of parsed.badLines.slice(0, 5)) {
        findings.push({
          severity: 'notice',
          message: `${GITLEAKS_IGNORE_FILE}: line ${line} is not a fingerprint (file:rule-id:line), so it ignores nothing`,
          hint: 'Copy the fingerprint from the finding\'s hint, e.g. `config/app.yaml:generic-api-key:12`.',
          file: rel,
          line,
        });
      }
    }
    let baseline = new Set();
    let baselineRel;
    if (typeof o.baseline === 'string' && o.baseline) {
      const file = path.resolve(ctx.dir, o.baseline);
      baselineRel = reportPath(ctx.dir, file);
      exclude.push(baselineRel);
      try {
        baseline = parseBaseline(await readRepoFile(file, { root, maxBytes: READ_LIMITS.baseline }));
      } catch (e) {
        if (isUnsafeReadError(e) && (e.reason !== 'missing' || e.symlink)) {
          findings.push({
            severity: 'warning',
            message: `The baseline ${describeUnsafeRead(e, reportPath(ctx.dir, file))}, so no finding is accepted from it`,
            hint: `Point checks.secrets.baseline in ${CONFIG_HINT} at a regular file of this repository holding a JSON report of a previous run.`,
            file: reportPath(ctx.dir, file),
          });
        } else {
          findings.push({
            severity: 'warning',
            // A JSON.parse message quotes the text, and a gitleaks report holds secrets: say less.
            message: `The baseline ${o.baseline} cannot be used (${e instanceof SyntaxError ? 'not valid JSON' : getErrorMessage(e).split('\n')[0]}), so no finding is accepted from it`,
            hint: `Point checks.secrets.baseline in ${CONFIG_HINT} at a JSON report of a previous run (go-preflight --format json, or gitleaks --report-format json).`,
            file: reportPath(ctx.dir, file),
          });
        }
      }
    }

    // 3. Diff scope.
    let scope;
    const base = typeof o['diff-base'] === 'string' ? o['diff-base'].trim() : ctx.ci.baseRef?.trim();
    if (base && isRepo) {
      const r = await resolveDiffScope(ctx.dir, base, gitOpts, git.shallow === true);
      if ('scope' in r) scope = r.scope;
      else if (r.problem === 'shallow') {
        // Scanning everything is the safe side. With the default base (the pull request's), this is
        // what every default actions/checkout (fetch-depth: 1) gets: say it, but do not warn on
        // every pull request; a diff-base the user configured is a warning.
        const explicit = typeof o['diff-base'] === 'string';
        findings.push({
          severity: explicit ? 'warning' : 'notice',
          message: `The clone is shallow and lacks the history of ${base}, so every tracked file was scanned instead of the lines this branch changed`,
          hint: 'Set `fetch-depth: 0` on actions/checkout (`with: fetch-depth: 0`) so that the base branch and the merge base are available.',
        });
      } else {
        findings.push({
          severity: 'warning',
          message: `Cannot tell which lines changed since ${base} (${r.detail}), so every tracked file was scanned`,
          hint: `Set checks.secrets.diff-base in ${CONFIG_HINT} to a branch or commit that exists in this clone, or fetch it first.`,
        });
      }
    } else if (base && typeof o['diff-base'] === 'string') {
      notes.push(`diff-base ${base} is ignored: ${ctx.dir} is not a git repository.`);
    }

    // 4. Scan.
    let cache;
    if (ctx.ci.cache && isRepo) {
      const hash = createHash('sha256').update(JSON.stringify({ config, maxFileSize, scanVendor })).digest('hex').slice(0, 16);
      cache = { store: ctx.ci.cache, key: `secrets-v${RULESET_VERSION}-${hash}`, dir: await ctx.tempDir('secrets-cache') };
    }
    const scanOpts = {
      mode: (isRepo ? 'git' : 'walk') ,
      scanVendor,
      maxFileSize,
      pathsIgnore,
      exclude,
      only: scope ? new Set(scope.changed.keys()) : undefined,
      workers: typeof o.workers === 'number' ? o.workers : undefined,
      exec: ctx.exec,
      env: ctx.env,
      signal: ctx.signal,
      logger: ctx.logger,
    };
    // The files and the commits are scanned at the same time: the commits are mostly `git log`
    // processes, the files mostly this process.
    const scanTree = scanRepo(ctx.dir, { ...scanOpts, config, cache });
    scanTree.catch(() => undefined);
    const allowFiles = isRepo ? grepAllowFiles(ctx.dir, gitOpts) : Promise.resolve([]);
    allowFiles.catch(() => undefined);

    // 5. The commits of the change: the lines each one added (a secret added then deleted).
    let commitFindings = [];
    let commitInline = [];
    let plan;
    let commitScan;
    const commitsMode = o.commits === 'off' ? 'off' : 'auto';
    if (ctx.ci.commits && commitsMode === 'off') notes.push('checks.secrets.commits is off: the commits of the change were not scanned, only the files.');
    else if (ctx.ci.commits && !isRepo) notes.push(`The commits were not scanned: ${ctx.dir} is not a git repository.`);
    else if (ctx.ci.commits) {
      plan = await commitsToScan(ctx.dir, ctx.ci.commits, gitOpts, git.shallow === true);
      findings.push(...plan.findings);
      notes.push(...plan.notes);
      if (plan.range) {
        commitScan = scanCommits(ctx.dir, plan.range, gitOpts, {
          config,
          scanVendor,
          maxFileSize,
          pathsIgnore,
          exclude,
          workers: scanOpts.workers,
          logger: ctx.logger,
        });
        commitScan.catch(() => undefined);
      }
    }
    const result = await scanTree;
    if (commitScan && plan) {
      const cr = await commitScan;
      commitFindings = dedupeAgainstTree(result.findings, cr.findings);
      commitInline = dedupeAgainstTree(result.findings, cr.inlineAllowed);
      const threads = cr.threads > 1 ? ` on ${cr.threads} threads` : '';
      notes.push(`Scanned the lines added by ${cr.commits} commit(s), ${plan.what} (${mb(cr.bytes)}) in ${(cr.durationMs / 1000).toFixed(2)} s${threads}.`);
    }

    // Lines the change added (for addedByChange), by path relative to the repository root.
    let addedMap;
    if (plan?.base) addedMap = await addedLinesSince(ctx.dir, plan.base, gitOpts);
    else if (scope) addedMap = await addedLinesSince(ctx.dir, scope.mergeBase, gitOpts);
    const added = addedLookup(addedMap, dirPrefix);
    const addedAt = (file, line) => (added && file ? added(file, line) : undefined);
    const historyOnly = ctx.ci.commits?.source === 'history';

    // 6. Mask every value found (accepted ones too: they are still secrets), then filter.
    for (const f of [...result.findings, ...commitFindings, ...commitInline]) if (f.secret) for (const piece of maskPieces(f.secret)) ctx.ci.maskSecret?.(piece);
    // A file the scan could not read may hold a secret: the check could not look, so it is an error.
    if (result.unreadable.length) throw new CheckIncompleteError(unreadableReason(result.unreadable));
    let inIgnore = 0;
    let inBaseline = 0;
    let outOfScope = 0;
    const accept = (f, commit) => {
      const fp = plainFingerprint(f);
      const ig = ignored.get(fp) ?? (commit ? ignored.get(normalizeFingerprint(f.fingerprint) ?? '') : undefined);
      if (ig) {
        inIgnore++;
        const [igFile, igLine] = [ig.slice(0, ig.lastIndexOf(':')), Number(ig.slice(ig.lastIndexOf(':') + 1))];
        suppressed.push(suppression(f, GITLEAKS_IGNORE_FILE, ig, addedAt(igFile, igLine), commit));
        return false;
      }
      if (baseline.has(fp)) {
        inBaseline++;
        suppressed.push(suppression(f, 'baseline', baselineRel, addedAt(baselineRel), commit));
        return false;
      }
      return true;
    };
    for (const f of result.findings) {
      if (scope && !inScope(scope, f.file, f.line, f.endLine)) {
        outOfScope++;
        continue;
      }
      if (accept(f)) findings.push(describeFinding(f));
    }
    for (const f of commitFindings) if (accept(f, f.commit)) findings.push(describeCommitFinding(f));

    // 7. Every other suppression, so that a reviewer sees what was hidden and by what.
    if (isRepo) {
      const ignoreRes = pathsIgnore.filter((g) => g.trim()).map(globToRegExp);
      const excluded = new Set(exclude);
      const keep = (rel) => !skipReason(rel, scanVendor) && !excluded.has(rel) && !matchesAny(rel, ignoreRes) && (!scope || scope.changed.has(rel));
      const inline = inlineAllowedInTree(ctx.dir, await allowFiles, () => rulesetFor(config), result.findings, keep, maxFileSize);
      for (const f of inline) {
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        suppressed.push(suppression(f, 'inline comment', `${f.file}:${f.line}`, addedAt(f.file, f.line)));
      }
      for (const f of dedupeAgainstTree([...result.findings, ...inline], commitInline)) suppressed.push(suppression(f, 'inline comment', `${f.file}:${f.line}`, historyOnly ? undefined : true, f.commit));
    }
    // Listing what paths-ignore and the rule changes hide means scanning more: within the change
    // (a pull request's diff scope) or a small tree only, else a note says it was not listed.
    const listHidden = !!scope || result.stats.bytes <= LIST_HIDDEN_MAX_BYTES;
    const rulesWeakened = !config.useDefault || config.allowlists.length > 0 || config.disabledRules.length > 0 || !config.generic || config.rules.some((r) => r.allowlists.length > 0);
    if (!listHidden && (pathsIgnore.length || rulesWeakened)) {
      notes.push(`Findings hidden by ${[pathsIgnore.length ? 'paths-ignore' : '', rulesWeakened ? 'allowlists or disabled rules' : ''].filter(Boolean).join(' and ')} are listed as suppressed only within a pull request's changes or in trees under ${mb(LIST_HIDDEN_MAX_BYTES)}.`);
    }
    if (pathsIgnore.length && listHidden) {
      const hidden = await scanRepo(ctx.dir, { ...scanOpts, config, invertIgnore: true });
      const at = configAt(ctx, 'paths-ignore');
      const cfgRel = ctx.settings.configFile ? reportPath(ctx.dir, ctx.settings.configFile) : undefined;
      const line = ctx.settings.configLines?.['checks.secrets.paths-ignore'];
      for (const f of hidden.findings) {
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        suppressed.push(suppression(f, 'paths-ignore', at, cfgRel ? addedAt(cfgRel, line) : undefined));
      }
    }
    if (rulesWeakened && listHidden) {
      // The same files with every rule and no allowlist: what is found there and not above was hidden.
      const strict = { ...config, useDefault: true, allowlists: [], disabledRules: [], generic: true, rules: config.rules.map((r) => ({ ...r, allowlists: [] })) };
      const full = await scanRepo(ctx.dir, { ...scanOpts, config: strict });
      const seen = new Set(result.findings.map((f) => `${f.file}\0${f.ruleId}\0${f.line}`));
      const glAdded = glFile ? addedAt(glFile) : undefined;
      const cfgRel = ctx.settings.configFile ? reportPath(ctx.dir, ctx.settings.configFile) : undefined;
      for (const f of full.findings) {
        if (seen.has(`${f.file}\0${f.ruleId}\0${f.line}`)) continue;
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        if (disabled.includes(f.ruleId)) suppressed.push(suppression(f, 'disabled-rules', configAt(ctx, 'disabled-rules'), cfgRel ? addedAt(cfgRel, ctx.settings.configLines?.['checks.secrets.disabled-rules']) : undefined));
        else if (o.generic === false && f.tier === 'generic') suppressed.push(suppression(f, 'generic: false', configAt(ctx, 'generic'), cfgRel ? addedAt(cfgRel, ctx.settings.configLines?.['checks.secrets.generic']) : undefined));
        else if (glFile) suppressed.push(suppression(f, config.disabledRules.includes(f.ruleId) ? 'disabled-rules' : config.useDefault ? 'allowlist' : 'useDefault off', glFile, glAdded));
      }
    }

    for (const big of result.oversized.slice(0, MAX_OVERSIZED_NOTICES)) {
      findings.push({
        severity: 'notice',
        message: `${big.file} is ${mb(big.size)}, over max-file-size (${mb(maxFileSize)}): it was not scanned for secrets`,
        hint: `Raise checks.secrets.max-file-size in ${CONFIG_HINT}, or list the file in checks.secrets.paths-ignore to say it needs no scan.`,
        file: big.file,
      });
    }
    if (result.oversized.length > MAX_OVERSIZED_NOTICES) {
      notes.push(`${result.oversized.length - MAX_OVERSIZED_NOTICES} more files over max-file-size were not scanned.`);
    }

    const s = result.stats;
    const cached = s.fromCache ? `, ${s.fromCache} unchanged files from the cache` : '';
    const threads = s.threads > 1 ? ` on ${s.threads} threads` : '';
    notes.push(`Scanned ${s.scanned} ${s.mode === 'git' ? 'tracked files' : 'files'} (${mb(s.bytes)}) in ${(s.durationMs / 1000).toFixed(2)} s${threads}${cached}.`);
    if (scope) {
      notes.push(`Only lines changed since ${scope.base} (merge base ${scope.mergeBase.slice(0, 12)}) are reported${outOfScope ? `; ${outOfScope} older findings are not` : ''}.`);
    }
    if (inIgnore) notes.push(`${inIgnore} finding(s) accepted by ${GITLEAKS_IGNORE_FILE}.`);
    if (inBaseline) notes.push(`${inBaseline} finding(s) accepted by the baseline.`);
    const addedSupp = suppressed.filter((x) => x.addedByChange).length;
    if (addedSupp) notes.push(`${addedSupp} suppression(s) were added by this change: review them.`);
    // Those the change added first, then the others, at most MAX_SUPPRESSED.
    suppressed.sort((a, b) => Number(!!b.addedByChange) - Number(!!a.addedByChange));
    if (suppressed.length > MAX_SUPPRESSED) {
      notes.push(`${suppressed.length} findings were suppressed; the report lists the first ${MAX_SUPPRESSED} (those this change added first).`);
      suppressed.length = MAX_SUPPRESSED;
    }
    return { findings, notes, ...(suppressed.length ? { suppressed } : {}) };
  },
};

// `targets`: is every GOOS/GOARCH target a port this Go supports? The list of ports comes from
// the running Go (`go tool dist list -json -broken`), never from a table of ours: ports come and
// go between releases (windows/arm was removed in 1.26). `go list` and `go env` accept any
// GOOS/GOARCH, so a typo only fails at `go build` time ("unsupported GOOS/GOARCH pair").
// The architecture variant variables (GOAMD64, GOARM, ...) are checked too: go only validates
// some of them, and then only for the matching GOARCH.



/** The candidates closest to `word` (distance at most 2, and less than the word's length). */
function nearest(word, candidates) {
  let best = Infinity;
  let out = [];
  for (const c of new Set(candidates)) {
    const dist = editDistance(word.toLowerCase(), c);
    if (dist > 2 || dist >= Math.max(word.length, 2)) continue;
    if (dist < best) {
      best = dist;
      out = [c];
    } else if (dist === best) out.push(c);
  }
  return out.sort();
}

function orList(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Why a pair is not a port, with the nearest valid pairs. */
function unknownTargetMessage(t, ports, goVersion) {
  const pair = formatTarget(t);
  const oses = new Set(ports.map((p) => p.GOOS));
  const arches = new Set(ports.map((p) => p.GOARCH));
  const archesOf = (os) => ports.filter((p) => p.GOOS === os).map((p) => p.GOARCH).sort();
  const osesOf = (arch) => ports.filter((p) => p.GOARCH === arch).map((p) => p.GOOS).sort();
  const base = `${pair} is not a GOOS/GOARCH pair ${goVersion} supports`;
  const suggest = (pairs) => ({ message: `${base}: did you mean ${orList(pairs)}?`, hint: `use ${orList(pairs)} in targets (see \`go tool dist list\`)` });

  if (oses.has(t.goos) && !arches.has(t.goarch)) {
    const near = nearest(t.goarch, archesOf(t.goos));
    if (near.length) return suggest(near.map((a) => `${t.goos}/${a}`));
    return { message: `${base}: unknown GOARCH ${t.goarch}; ${t.goos} supports ${archesOf(t.goos).join(', ')}`, hint: `pick one of ${archesOf(t.goos).map((a) => `${t.goos}/${a}`).join(', ')}` };
  }
  if (!oses.has(t.goos) && arches.has(t.goarch)) {
    const near = nearest(t.goos, osesOf(t.goarch));
    if (near.length) return suggest(near.map((o) => `${o}/${t.goarch}`));
    return { message: `${base}: unknown GOOS ${t.goos}; GOARCH ${t.goarch} is supported on ${osesOf(t.goarch).join(', ')}`, hint: `pick one of ${osesOf(t.goarch).map((o) => `${o}/${t.goarch}`).join(', ')}` };
  }
  if (oses.has(t.goos) && arches.has(t.goarch)) {
    return {
      message: `${base}: ${t.goos} has no ${t.goarch} port; ${t.goos} supports ${archesOf(t.goos).join(', ')}`,
      hint: `pick one of ${archesOf(t.goos).map((a) => `${t.goos}/${a}`).join(', ')}, or ${t.goarch} on ${osesOf(t.goarch).slice(0, 6).join(', ')}`,
    };
  }
  // Both unknown: nearest pairs by the sum of both distances.
  let best = Infinity;
  let pairs = [];
  for (const p of ports) {
    const d = editDistance(t.goos.toLowerCase(), p.GOOS) + editDistance(t.goarch.toLowerCase(), p.GOARCH);
    if (d < best) {
      best = d;
      pairs = [`${p.GOOS}/${p.GOARCH}`];
    } else if (d === best) pairs.push(`${p.GOOS}/${p.GOARCH}`);
  }
  if (best <= 3) return suggest(pairs.sort());
  return { message: `${base}: neither GOOS ${t.goos} nor GOARCH ${t.goarch} exists`, hint: 'pick a pair from `go tool dist list`' };
}

// ---------------------------------------------------------------------------------------------
// Architecture variant variables (go help environment).








const VARIANTS = [
  { name: 'GOAMD64', arches: ['amd64'], valid: (v) => /^v[1-4]$/.test(v), expect: 'v1, v2, v3 or v4' },
  { name: 'GOARM', arches: ['arm'], valid: (v) => /^[567](,(softfloat|hardfloat))?$/.test(v), expect: '5, 6 or 7, optionally with ,softfloat or ,hardfloat' },
  {
    name: 'GOARM64',
    arches: ['arm64'],
    valid: (v) => {
      const [ver, ...opts] = v.split(',');
      return /^v(8\.[0-9]|9\.[0-5])$/.test(ver ?? '') && opts.every((o) => o === 'lse' || o === 'crypto') && new Set(opts).size === opts.length;
    },
    expect: 'v8.0 … v8.9 or v9.0 … v9.5, optionally with ,lse and/or ,crypto',
  },
  { name: 'GO386', arches: ['386'], valid: (v) => v === 'sse2' || v === 'softfloat', expect: 'sse2 or softfloat' },
  { name: 'GOMIPS', arches: ['mips', 'mipsle'], valid: (v) => v === 'hardfloat' || v === 'softfloat', expect: 'hardfloat or softfloat' },
  { name: 'GOMIPS64', arches: ['mips64', 'mips64le'], valid: (v) => v === 'hardfloat' || v === 'softfloat', expect: 'hardfloat or softfloat' },
  { name: 'GOPPC64', arches: ['ppc64', 'ppc64le'], valid: (v) => /^power(8|9|10)$/.test(v), expect: 'power8, power9 or power10' },
  { name: 'GORISCV64', arches: ['riscv64'], valid: (v) => /^rva2[023]u64$/.test(v), expect: 'rva20u64, rva22u64 or rva23u64' },
  {
    name: 'GOWASM',
    arches: ['wasm'],
    valid: (v) => v.split(',').every((o) => o === '' || o === 'satconv' || o === 'signext'),
    expect: 'a comma-separated list of satconv, signext',
  },
];

/** Where in the config file a target is written (when the targets come from the config file). */
async function configPosition(ctx) {
  const cfg = ctx.settings.configFile;
  if (!cfg || !ctx.settings.targetsExplicit) return () => ({});
  const text = await readRepoFile(cfg, { root: ctx.probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.config, allowOutside: true }).catch(() => undefined);
  if (text === undefined) return () => ({});
  const lines = text.split('\n');
  const file = reportPath(ctx.dir, cfg);
  // Targets from a flag or input that the file does not mention are not the file's fault.
  const inFile = ctx.settings.targets.every((t) => text.includes(formatTarget(t)));
  if (!inFile) return () => ({});
  return (t) => {
    const s = formatTarget(t);
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i].indexOf(s);
      if (col >= 0 && !/^\s*#/.test(lines[i])) return { file, line: i + 1, column: col + 1 };
    }
    return { file };
  };
}

const targetsCheck = {
  id: 'targets',
  title: 'GOOS/GOARCH targets',
  needs: ['go', 'env'],
  async run(ctx) {
    const ports = await distList(ctx.go, ctx.signal, ctx.probe.modules[0]?.dir);
    if (!ports) throw new Error('`go tool dist list -json -broken` failed; cannot tell which targets this Go supports');
    const goVersion = buildGoVersion(ctx.probe, ctx.probe.modules[0]);
    const where = await configPosition(ctx);
    const findings = [];
    const seen = new Set();
    const good = [];

    for (const t of ctx.settings.targets) {
      const pair = formatTarget(t);
      if (seen.has(pair)) {
        findings.push({ severity: 'notice', message: `${pair} is listed twice in targets`, hint: 'remove the duplicate', ...where(t), target: pair });
        continue;
      }
      seen.add(pair);
      const port = ports.find((p) => p.GOOS === t.goos && p.GOARCH === t.goarch);
      if (!port) {
        findings.push({ severity: 'error', ...unknownTargetMessage(t, ports, goVersion), ...where(t), target: pair });
        continue;
      }
      good.push(t);
      if (port.Broken) {
        findings.push({
          severity: 'error',
          message: `${pair} is marked broken in ${goVersion}: the port does not build`,
          hint: `remove ${pair} from targets, or use a Go release where the port works`,
          ...where(t),
          target: pair,
        });
      } else if (!port.FirstClass) {
        findings.push({
          severity: 'notice',
          message: `not a first-class port: ${pair} (the Go team does not block releases on it; expect rougher edges)`,
          ...where(t),
          target: pair,
        });
      }
    }

    const usedArches = new Set(good.map((t) => t.goarch));
    for (const v of VARIANTS) {
      const value = ctx.env[v.name];
      if (value === undefined || value === '') continue;
      const used = v.arches.some((a) => usedArches.has(a));
      const forTargets = good.filter((t) => v.arches.includes(t.goarch)).map(formatTarget).join(', ');
      if (!v.valid(value)) {
        findings.push({
          severity: 'error',
          message: `${v.name}=${value} is not a valid value (${v.name} takes ${v.expect})${used ? '' : `; no target is ${v.arches.join('/')}`}`,
          hint: `set ${v.name} to ${v.expect}, or unset it`,
          ...(forTargets ? { target: forTargets } : {}),
        });
      } else if (!used) {
        findings.push({
          severity: 'notice',
          message: `${v.name}=${value} is set but no target is ${v.arches.join(' or ')}, so it has no effect`,
          hint: `unset ${v.name}, or add a ${v.arches.join('/')} target`,
        });
      }
    }

    const notes = [`${ctx.settings.targets.length} target${ctx.settings.targets.length === 1 ? '' : 's'} checked against the ${ports.length} ports of ${goVersion}`];
    return { findings, notes };
  },
};

// toolchain: is the running Go the one this repo asks for, and is the `go` on PATH the one GOROOT says?
//
// Sources, in order of authority: the go-version input, the go-version-file input, .go-version,
// .tool-versions (`golang` line), go.work and go.mod `go` lines (minimums: older is an error),
// `toolchain` lines (advisory: older is a warning, Go does not enforce them), every workspace module.
// Versions compare in Go's own order (1.21 < 1.21rc1 < 1.21.0), not semver.










/**
 * A version file, read as every repository file is (core/safe-read.ts): a symlink out of the
 * repository, a FIFO, a device or an oversized file is refused, never read or quoted.
 */
async function readVersionFile(ctx, abs) {
  const base = path.basename(abs);
  const maxBytes = base === 'go.mod' || base === 'go.work' ? READ_LIMITS.goMod : READ_LIMITS.versionFile;
  return tryReadRepoFile(abs, { root: ctx.probe.git.root ?? ctx.dir, maxBytes, allowOutside: true });
}

/** Does the running version satisfy a setup-go style spec (1.22, 1.22.3, ^1.22, ~1.22.1, >=1.21, 1.22.x)? undefined = cannot tell. */
function satisfiesSpec(running, specRaw) {
  const spec = specRaw.trim().replace(/^v/, '').replace(/^go/, '');
  const run = normalizeGoVersion(running);
  if (spec === '' || spec === 'stable' || spec === 'oldstable' || spec === 'latest' || spec === '*') return undefined;
  const [rMaj, rMin, rPat] = run.split(/[.]/).map((x) => parseInt(x, 10));
  const xRange = /^(\d+)\.(\d+)\.(x|\*)$/.exec(spec);
  if (xRange) return compareGo(languageVersion(run), `${xRange[1]}.${xRange[2]}`) === 0;
  const caret = /^\^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(spec);
  if (caret) return rMaj === Number(caret[1]) && compareGo(run, `${caret[1]}.${caret[2]}.${caret[3] ?? 0}`) >= 0;
  const tilde = /^~(\d+)\.(\d+)(?:\.(\d+))?$/.exec(spec);
  if (tilde) return rMaj === Number(tilde[1]) && rMin === Number(tilde[2]) && (rPat ?? 0) >= Number(tilde[3] ?? 0);
  const cmp = /^(>=|>|<=|<)\s*(\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?)$/.exec(spec);
  if (cmp) {
    const c = compareGo(run, cmp[2].split('.').length === 2 && Number(cmp[2].split('.')[1]) >= 21 ? `${cmp[2]}.0` : cmp[2]);
    return cmp[1] === '>=' ? c >= 0 : cmp[1] === '>' ? c > 0 : cmp[1] === '<=' ? c <= 0 : c < 0;
  }
  if (!isValidGoVersion(spec)) return undefined;
  // A pin of x.y accepts any x.y.z (setup-go resolves it to the newest patch); x.y.z and rc pins are exact.
  if (/^\d+\.\d+$/.test(spec)) return languageVersion(run) === spec;
  return compareGo(run, spec) === 0;
}

function describePinFix(pin, running) {
  return `Install Go ${pin.spec} before this step (actions/setup-go with go-version: '${pin.spec}'), or change ${pin.source} to ${languageVersion(running)} if the running Go is the one you want.`;
}

/** setup-go's reading of a version file (src/installer.ts parseGoVersionFile). */
function parseVersionFile(name, text, userToolchain) {
  const base = path.basename(name);
  const lines = text.split('\n');
  const lineOf = (re) => lines.findIndex((l) => re.test(l)) + 1;
  if (base === 'go.mod' || base === 'go.work') {
    if (userToolchain !== 'local') {
      const m = /^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)/m.exec(text);
      if (m) return { spec: m[1], line: lineOf(/^toolchain go/) };
    }
    const g = /^go (\d+(\.\d+)*)/m.exec(text);
    return g ? { spec: g[1], line: lineOf(/^go \d/) } : undefined;
  }
  if (base === '.tool-versions') {
    const m = /^golang\s+([^\n#]+)/m.exec(text);
    return m ? { spec: m[1].trim().split(/\s+/)[0], line: lineOf(/^golang\s/) } : undefined;
  }
  const spec = text.trim();
  if (!spec) return undefined;
  return { spec, line: lines.findIndex((l) => l.trim() !== '') + 1 };
}

async function collectPins(ctx, findings) {
  const pins = [];
  const { settings, dir, probe } = ctx;
  if (settings.goVersion) pins.push({ source: 'the go-version input', spec: settings.goVersion });
  if (settings.goVersionFile) {
    const abs = path.resolve(dir, settings.goVersionFile);
    const read = await readVersionFile(ctx, abs);
    const rel = reportPath(dir, abs);
    if (read === undefined) {
      findings.push({
        severity: 'error',
        message: `The go-version-file ${settings.goVersionFile} does not exist (actions/setup-go fails on it too)`,
        hint: 'Point go-version-file at go.mod, go.work, .go-version or .tool-versions, relative to the working directory.',
      });
    } else if ('error' in read) {
      findings.push({
        severity: 'error',
        message: `The go-version-file ${describeUnsafeRead(read.error, rel)}`,
        hint: 'Point go-version-file at a regular file of this repository (go.mod, go.work, .go-version or .tool-versions).',
        file: rel,
      });
    } else {
      const parsed = parseVersionFile(abs, read.text, probe.userGoToolchain);
      if (parsed) pins.push({ source: rel, file: rel, line: parsed.line, spec: parsed.spec });
    }
  }
  // The version files setup-go users keep next to the code (not read by Go itself).
  for (const name of ['.go-version', '.tool-versions']) {
    const abs = path.join(dir, name);
    if (settings.goVersionFile && path.resolve(dir, settings.goVersionFile) === abs) continue;
    // Only files of the repository: a .go-version that links outside it is reported, not read.
    const read = await tryReadRepoFile(abs, { root: probe.git.root ?? dir, maxBytes: READ_LIMITS.versionFile });
    if (read === undefined) continue;
    if ('error' in read) {
      findings.push({
        severity: 'warning',
        message: describeUnsafeRead(read.error, name),
        hint: `Commit ${name} as a regular file holding only the Go version (e.g. 1.22), or delete it.`,
        file: name,
      });
      continue;
    }
    const parsed = parseVersionFile(abs, read.text, probe.userGoToolchain);
    if (parsed) pins.push({ source: name, file: name, line: parsed.line, spec: parsed.spec });
  }
  return pins;
}

function checkPins(ctx, pins, findings) {
  const running = ctx.probe.go.version;
  for (const pin of pins) {
    const ok = satisfiesSpec(running, pin.spec);
    if (ok === undefined) {
      if (!['stable', 'oldstable', 'latest'].includes(pin.spec.trim())) {
        findings.push({
          severity: 'warning',
          // One token at most: the file is the repository's, and whatever else it holds is not ours to print.
          message: `${pin.source} asks for Go "${quoteToken(pin.spec)}", which is not a Go version go-preflight can compare`,
          hint: 'Write a version such as 1.22 (any 1.22.x) or 1.22.3 (exactly).',
          file: pin.file,
          line: pin.line,
        });
      }
      continue;
    }
    if (!ok) {
      findings.push({
        severity: 'error',
        message: `${pin.source} asks for Go ${pin.spec} but the running Go is ${running}`,
        hint: describePinFix(pin, running),
        file: pin.file,
        line: pin.line,
        column: pin.line ? 1 : undefined,
      });
    }
  }
}

/** The toolchain switch that decides for this go.mod/go.work (a workspace module: the go.work's). */
function switchFor(ctx, file, kind) {
  const sw = ctx.probe.toolchainSwitch;
  if (!sw) return undefined;
  const own = sw.selections.find((x) => x.file === file);
  if (own || kind === 'go.work') return own;
  const mod = ctx.probe.modules.find((m) => m.goModFile === file);
  return mod?.inWorkspace && ctx.probe.work ? sw.selections.find((x) => x.file === ctx.probe.work.relFile) : undefined;
}

/** A hint for a toolchain go cannot get. */
function unavailableHint(what, sel, gt, runningV) {
  const v = normalizeGoVersion(sel.toolchain);
  if (/\+path$|^path$/.test(gt)) return `Put ${sel.toolchain} on PATH (go looks for a binary named ${sel.toolchain}), or install Go ${v} with actions/setup-go and set GOTOOLCHAIN=local.`;
  if (/GOPROXY=off|GOSUMDB=off|disabled by/i.test(sel.error ?? '')) return `Install Go ${v} before this step (actions/setup-go with go-version-file: ${what.file}): toolchain downloads need GOPROXY and GOSUMDB.`;
  return `Check the ${sel.because.startsWith('toolchain') ? 'toolchain' : 'go'} line of ${what.file}: ${sel.toolchain} is not a Go release that can be downloaded (a typo?). Write a released version (e.g. go ${languageVersion(runningV)}.0), or install the Go you need with actions/setup-go.`;
}

/** go and toolchain lines of one go.mod or go.work. */
function checkGoLines(
  ctx,
  what,
  findings,
  notes,
) {
  const running = ctx.probe.go.version;
  const runningV = normalizeGoVersion(running);
  const gt = ctx.probe.userGoToolchain || 'auto';
  // Would go switch for this go.mod at all? Only auto/path modes do (local, or a pinned goX.Y.Z, never).
  // A workspace module never decides: go reads only go.work's lines to pick the toolchain.
  const member = what.kind === 'go.mod' && !!ctx.probe.work && !!ctx.probe.modules.find((m) => m.goModFile === what.file)?.inWorkspace;
  const mayswitch = !member && (!!selectToolchain(gt, running, what.goLine, what.toolchainLine) || /(^|\+)(auto|path)$/.test(gt));
  const sel = switchFor(ctx, what.file, what.kind);
  const goDir = findDirective(what.directives, 'go');
  const tcDir = findDirective(what.directives, 'toolchain');
  let reportedSwitch = false;
  const switchFinding = (line) => {
    if (!sel || reportedSwitch) return;
    reportedSwitch = true;
    if (sel.error) {
      findings.push({
        severity: 'error',
        message: `${what.file} asks for ${sel.because} and GOTOOLCHAIN=${gt} makes go switch to ${sel.toolchain}, which is not available: ${sel.error}. Every go command (go build included) fails with this error`,
        hint: unavailableHint(what, sel, gt, runningV),
        file: what.file,
        line: line?.line,
        column: line?.column,
        ruleId: 'toolchain-unavailable',
      });
    } else {
      notes.push(`${what.file} asks for ${sel.because}: with GOTOOLCHAIN=${gt} the build switches from ${running} to ${sel.toolchain} (go fetched it into the module cache, as the build will); the module checks ran with ${sel.toolchain}`);
    }
  };
  if (what.goLine !== undefined) {
    if (!isValidGoVersion(what.goLine)) {
      findings.push({
        severity: 'error',
        message: `${what.file} has an invalid go line "go ${what.goLine}": every go command fails with "invalid go version"`,
        hint: `Write the go line as go 1.N or go 1.N.P, e.g. go ${languageVersion(runningV)}.0`,
        file: what.file,
        line: goDir?.line,
        column: goDir?.column,
      });
    } else if (compareGo(runningV, what.goLine) < 0) {
      if (sel && sel.file !== what.file) ; else if (sel && sel.because === `go ${what.goLine}`) switchFinding(goDir);
      else if (sel) switchFinding(tcDir ?? goDir);
      else if (mayswitch) {
        // The probe could not resolve the switch (the environment is broken: see go-env).
        findings.push({
          severity: 'warning',
          message: `${what.file} requires go >= ${what.goLine} but the running Go is ${running}: with GOTOOLCHAIN=${gt} every go command will first switch to go${isReleaseVersion(what.goLine) ? what.goLine : `${what.goLine}.0`} (downloading it)`,
          hint: `Install Go ${what.goLine} or newer before this step (actions/setup-go with go-version-file: ${what.file}), or lower the go line if the code does not need Go ${languageVersion(what.goLine)}.`,
          file: what.file,
          line: goDir?.line,
          column: goDir?.column,
        });
      } else {
        findings.push({
          severity: 'error',
          message: `${what.file} requires go >= ${what.goLine} but the running Go is ${running}: the build fails with "go: ${what.kind === 'go.mod' ? 'go.mod' : 'go.work'} requires go >= ${what.goLine} (running go ${runningV}; GOTOOLCHAIN=${gt})"`,
          hint: `Install Go ${what.goLine} or newer before this step (actions/setup-go with go-version-file: ${what.file}), or lower the go line if the code does not need Go ${languageVersion(what.goLine)}.`,
          file: what.file,
          line: goDir?.line,
          column: goDir?.column,
        });
      }
    }
  }
  const tc = what.toolchainLine;
  if (tc && tc !== 'default') {
    if (!/^go\d/.test(tc) || !isValidGoVersion(tc)) {
      findings.push({
        severity: 'error',
        message: `${what.file} has an invalid toolchain line "toolchain ${tc}"`,
        hint: `Write it as toolchain go1.N.P (e.g. toolchain ${running}), or remove it.`,
        file: what.file,
        line: tcDir?.line,
        column: tcDir?.column,
      });
    } else if (compareGo(runningV, tc) < 0) {
      if (sel) switchFinding(sel.because.startsWith('toolchain') ? tcDir : goDir);
      else {
        findings.push({
          severity: 'warning',
          message: !mayswitch
            ? `${what.file} suggests toolchain ${tc} but the running Go is ${running}; with GOTOOLCHAIN=${gt} Go ignores the toolchain line and builds with ${running}`
            : `${what.file} suggests toolchain ${tc} but the running Go is ${running}; with GOTOOLCHAIN=${gt} every go command will download and switch to ${tc}`,
          hint: `Install ${tc} before this step (actions/setup-go reads the toolchain line with go-version-file: ${what.file}), or lower the toolchain line.`,
          file: what.file,
          line: tcDir?.line,
          column: tcDir?.column,
        });
      }
    }
  }
  // A switch the go/toolchain lines above did not explain (GOTOOLCHAIN=goX+auto with a newer minimum).
  if (sel && sel.file === what.file && !reportedSwitch) switchFinding(undefined);
}

async function checkGoOnPath(ctx, findings) {
  const { goEnv, go } = ctx.probe;
  if (!go.bin || !goEnv.GOROOT) return;
  const [realBin, realRoot] = await Promise.all([promises.realpath(go.bin).catch(() => go.bin), promises.realpath(goEnv.GOROOT).catch(() => goEnv.GOROOT)]);
  if (!isInside(path.join(realRoot, 'bin'), realBin)) {
    findings.push({
      severity: 'warning',
      message: `The go on PATH (${go.bin}) is not the one in GOROOT (${goEnv.GOROOT}/bin): tools that use GOROOT will see a different Go than \`go\` does`,
      hint: 'Unset GOROOT (Go finds its own), or put $GOROOT/bin first on PATH.',
    });
  }
}

function checkGoToolchainSetting(ctx, findings) {
  const gt = ctx.probe.userGoToolchain;
  if (!gt) return;
  const running = ctx.probe.go.version;
  const m = /^(go\d[^+]*)(?:\+(auto|path))?$/.exec(gt);
  if (m && m[1] && compareGo(normalizeGoVersion(m[1]), normalizeGoVersion(running)) !== 0) {
    const min = m[2] !== undefined;
    if (!min || compareGo(normalizeGoVersion(running), normalizeGoVersion(m[1])) < 0) {
      findings.push({
        severity: 'warning',
        message: `GOTOOLCHAIN=${gt} makes every go command ${m[2] === 'path' ? 'look for' : 'download and run'} ${m[1]} instead of the installed ${running}`,
        hint: 'Install the Go you want with actions/setup-go and set GOTOOLCHAIN=local (setup-go v6 does), or remove GOTOOLCHAIN.',
      });
    }
  } else if (!m && !['local', 'auto', 'path', 'local+auto', 'local+path'].includes(gt)) {
    findings.push({
      severity: 'error',
      message: `GOTOOLCHAIN=${gt} is not a valid setting: every go command fails with 'go: invalid GOTOOLCHAIN "${gt}"'`,
      hint: 'Use local, auto, path, go1.N.P, go1.N.P+auto or go1.N.P+path.',
    });
  }
  // (When the probe resolved the switch, the toolchain-unavailable finding quotes go's own error.)
  if (!ctx.probe.toolchainSwitch && (gt === 'auto' || gt.endsWith('+auto')) && (ctx.probe.goEnv.GOSUMDB === 'off' || ctx.probe.goEnv.GOPROXY === 'off')) {
    const needsSwitch = ctx.probe.modules.some((mod) => mod.goLine && compareGo(normalizeGoVersion(running), mod.goLine) < 0);
    if (needsSwitch) {
      findings.push({
        severity: 'error',
        message: `A newer Go must be downloaded (GOTOOLCHAIN=${gt}) but ${ctx.probe.goEnv.GOPROXY === 'off' ? 'GOPROXY=off' : 'GOSUMDB=off'} makes toolchain downloads fail`,
        hint: 'Install the required Go with actions/setup-go instead of relying on a toolchain download.',
      });
    }
  }
}

const toolchainCheck = {
  id: 'toolchain',
  title: 'Go toolchain',
  needs: ['go'],
  async run(ctx) {
    const findings = [];
    const switchNotes = [];
    const pins = await collectPins(ctx, findings);
    checkPins(ctx, pins, findings);
    const { work, modules } = ctx.probe;
    if (work) {
      checkGoLines(ctx, { file: work.relFile, directives: work.directives, goLine: work.goLine, toolchainLine: work.toolchainLine, kind: 'go.work' }, findings, switchNotes);
    }
    for (const m of modules) {
      // In a workspace, go.work's go/toolchain lines select the toolchain, but each module's go line
      // must still be <= the running Go for the build to load it.
      checkGoLines(ctx, { file: m.goModFile, directives: m.directives, goLine: m.goLine, toolchainLine: work && m.inWorkspace ? undefined : m.toolchainLine, kind: 'go.mod' }, findings, switchNotes);
    }
    await checkGoOnPath(ctx, findings);
    checkGoToolchainSetting(ctx, findings);
    const notes = [
      `running ${ctx.probe.go.version} (${ctx.probe.go.bin ?? 'go'}), GOTOOLCHAIN=${ctx.probe.userGoToolchain || 'auto'}`,
      ...switchNotes,
      ...pins.map((p) => `${p.source} asks for ${p.spec}`),
      ...(work?.goLine ? [`${work.relFile}: go ${work.goLine}${work.toolchainLine ? `, toolchain ${work.toolchainLine}` : ''}`] : []),
      ...modules.filter((m) => m.goLine).map((m) => `${joinReport(m.relDir, 'go.mod')}: go ${m.goLine}${m.toolchainLine ? `, toolchain ${m.toolchainLine}` : ''}`),
    ];
    return { findings, notes: notes.slice(0, 20) };
  },
};

// vendor: is vendor/ consistent with go.mod when vendoring is in use?
//
// Go builds from vendor/ (default -mod=vendor) when vendor/ exists next to go.mod and the go line is
// >= 1.14, or when GOFLAGS says -mod=vendor. Workspace vendoring (Go >= 1.22, `go work vendor`) puts
// vendor/ next to go.work with `## workspace` as the first line of vendor/modules.txt.
//
// Two questions:
// 1. Consistency: go checks vendor/modules.txt against go.mod when it loads the module, as a fatal
//    error (no JSON even with -e): `go: inconsistent vendoring in DIR:` then one tab-indented reason
//    per line. Every reason becomes its own finding at the line it is about.
// 2. Content drift: go never hashes vendor/, so we regenerate it with `go mod vendor -o <temp>`
//    (Go >= 1.18; with -modfile on a copy of go.mod/go.sum so nothing in the repo is written; for a
//    workspace `go work vendor -o` with GOWORK pointing at a temp copy of go.work) and compare the
//    trees byte by byte.
// Module vendor directories are checked with GOWORK=off: in workspace mode go ignores them, and
// GOWORK=off is how a single module with vendor/ is built.


/** Most drift findings per vendor directory; the rest are summarised in one finding. */
const MAX_FILE_FINDINGS = 50;

/** A directory whose vendor/ is checked: a module, or a go.work workspace. */
























/** Parse `go: inconsistent vendoring in DIR:` and every reason line under it. */
function parseInconsistentVendoring(stderr) {
  const text = stderr.replace(/\r/g, '');
  const head = /^go: inconsistent vendoring in (.+):$/m.exec(text);
  if (!head) return undefined;
  const reasons = [];
  const after = text.slice(head.index + head[0].length + 1).split('\n');
  for (const line of after) {
    if (line.trim() === '') break; // a blank line ends the list; the advice follows
    const m = /^\t([^@\s:]+)(?:@(\S+?))?: (.+)$/.exec(line);
    if (m) reasons.push({ path: m[1], ...(m[2] ? { version: m[2] } : {}), reason: m[3] });
  }
  return { dir: head[1], reasons };
}

/** vendor/modules.txt: `# path version [=> repl]` headers with lines, and the package → module map. */
function parseModulesTxt(text)



 {
  const headers = [];
  const packages = new Map();
  const lines = splitLines(text);
  let current = '';
  lines.forEach((l, i) => {
    if (l.startsWith('# ')) {
      const f = l.slice(2).trim().split(/\s+/);
      const arrow = f.indexOf('=>');
      const before = arrow < 0 ? f : f.slice(0, arrow);
      headers.push({ path: before[0] ?? '', ...(before[1] ? { version: before[1] } : {}), replaced: arrow >= 0, line: i + 1 });
      current = `${before[0] ?? ''}${before[1] ? ` ${before[1]}` : ''}`;
    } else if (l && !l.startsWith('#')) {
      packages.set(l.trim(), current);
    }
  });
  return { headers, packages, workspace: lines[0]?.trim() === '## workspace' };
}

async function walkFiles(root) {
  const out = new Map();
  const walk = async (d) => {
    let entries;
    try {
      entries = await promises.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) out.set(path.relative(root, p).split(path.sep).join('/'), p);
      }),
    );
  };
  await walk(root);
  return out;
}

/** Equal bytes, or equal once CRLF is read as LF (a git autocrlf checkout on Windows is not drift). */
async function sameContent(a, b) {
  const [x, y] = await Promise.all([promises.readFile(a), promises.readFile(b)]);
  if (x.equals(y)) return true;
  if (Math.abs(x.length - y.length) > Math.max(x.length, y.length) / 2) return false;
  const lf = (buf) => buf.toString('latin1').replace(/\r\n/g, '\n');
  return lf(x) === lf(y);
}

function failed(r) {
  return !!(r.spawnError || r.timedOut || r.aborted);
}







/** Where a consistency reason points. */
function reasonFinding(root, cwd, r, modulesTxt, modulesTxtFile) {
  const id = `${r.path}${r.version ? `@${r.version}` : ''}`;
  const base = { severity: 'error' , hint: `Run \`${root.fix}\` and commit vendor/.`, ruleId: 'vendor-inconsistent' };
  const mt = parseModulesTxt(modulesTxt);
  const inModulesTxt = (replaced) => {
    const h = mt.headers.find((x) => x.path === r.path && (!r.version || x.version === r.version) && (!replaced || x.replaced)) ?? mt.headers.find((x) => x.path === r.path);
    return { file: modulesTxtFile, ...(h ? { line: h.line } : {}) };
  };

  if (/^is explicitly required in (?:a )?go\.mod/.test(r.reason)) {
    // The require may be in any workspace module's go.mod: the one with this version first.
    let at = { file: root.modules[0]?.goModFile ?? root.mainFile };
    for (const m of root.modules) {
      const d = m.directives.find((x) => x.verb === 'require' && x.args[0] === r.path && (!r.version || x.args[1] === r.version));
      if (d) {
        at = { file: m.goModFile, line: d.line, column: d.column };
        break;
      }
    }
    const indicates = /vendor\/modules\.txt indicates (\S+)/.exec(r.reason)?.[1];
    return {
      ...base,
      message: indicates
        ? `${at.file} requires ${id}, but ${modulesTxtFile} has ${indicates}`
        : `${at.file} requires ${id}, but ${modulesTxtFile} does not mark it \`## explicit\` (vendor/ was made from another go.mod)`,
      ...at,
    };
  }
  if (/^is marked as explicit in vendor\/modules\.txt, but not explicitly required/.test(r.reason)) {
    return { ...base, message: `${modulesTxtFile} marks ${id} as explicitly required, but no go.mod requires it${r.version ? ' at that version' : ''}`, ...inModulesTxt(false) };
  }
  const replaced = /^is replaced (?:by (.+?) )?in (.+?), but (?:not marked as replaced|marked as replaced by (.+?)) in vendor\/modules\.txt$/.exec(r.reason);
  if (replaced) {
    // go names the file that holds the replace relative to its working directory.
    const src = path.resolve(cwd, replaced[2]);
    let at = { file: root.mainFile };
    if (root.workFile && src === root.workFile) {
      const d = replaceLine(root.workDirectives ?? [], r.path, r.version);
      at = { file: root.mainFile, ...(d ? { line: d.line, column: d.column } : {}) };
    } else {
      const m = root.modules.find((x) => path.join(x.dir, 'go.mod') === src) ?? root.modules[0];
      const d = m ? replaceLine(m.directives, r.path, r.version) : undefined;
      if (m) at = { file: m.goModFile, ...(d ? { line: d.line, column: d.column } : {}) };
    }
    return {
      ...base,
      message: replaced[3]
        ? `${at.file} replaces ${id} by ${replaced[1]}, but ${modulesTxtFile} records the replacement ${replaced[3]}`
        : `${at.file} replaces ${id}${replaced[1] ? ` by ${replaced[1]}` : ''}, but ${modulesTxtFile} does not record the replacement`,
      ...at,
    };
  }
  if (/^is marked as replaced in vendor\/modules\.txt, but not replaced/.test(r.reason)) {
    return { ...base, message: `${modulesTxtFile} records a replacement of ${id} that ${root.kind === 'workspace' ? 'the workspace' : root.mainFile} does not have`, ...inModulesTxt(true) };
  }
  return { ...base, message: `inconsistent vendoring: ${id}: ${r.reason}`, file: modulesTxtFile };
}









/** `go mod vendor` on copies of go.mod/go.sum (-modfile), into a temp dir. */
async function moduleVendorCommand(ctx, root) {
  const copy = await copyModFiles(ctx, root.modules[0], 'vendor');
  const outDir = path.join(copy.dir, 'vendor');
  // With -modfile, go resolves relative replace paths against the module directory, as the build does.
  return { args: ['mod', 'vendor', `-modfile=${copy.modFile}`, '-o', outDir], env: { GOWORK: 'off' }, outDir, base: root.dir };
}

/**
 * `go work vendor` has no -modfile; in workspace mode go writes new checksums only to the go.work.sum
 * next to GOWORK. So we point GOWORK at a temp copy of go.work whose relative paths (`use` dirs and
 * `replace` targets) are made absolute, as the build resolves them from the real go.work, with a copy
 * of go.work.sum. Relative replaces in member go.mod files are resolved by go against the member
 * directory, which is the real one. go then writes replacement paths relative to the temp
 * workspace, so modules.txt is compared by meaning (sameModulesTxt), not byte for byte.
 */
async function workspaceVendorCommand(ctx, root) {
  const dirs = root.workDirectives ?? [];
  const text = (await readIfExists(root.workFile, ctx.probe.git.root ?? ctx.dir, READ_LIMITS.goMod)) ?? '';
  const lines = text.split('\n');
  for (const d of dirs) {
    const raw = lines[d.line - 1] ?? '';
    if (d.verb === 'use' && d.args[0]) {
      const abs = JSON.stringify(path.resolve(root.dir, d.args[0]));
      lines[d.line - 1] = /^\s*use\b/.test(raw) ? `use ${abs}` : `\t${abs}`;
    } else if (d.verb === 'replace') {
      const target = d.args[d.args.indexOf('=>') + 1] ?? '';
      if (!/^\.\.?([/\\]|$)/.test(target)) continue;
      const abs = JSON.stringify(path.resolve(root.dir, target));
      const at = raw.lastIndexOf('=>');
      if (at < 0) return `${root.mainFile} line ${d.line}: cannot read the replace directive`;
      lines[d.line - 1] = `${raw.slice(0, at)}=> ${abs}`;
    }
  }
  const tmp = await ctx.tempDir('vendor-work');
  const work = path.join(tmp, 'go.work');
  await promises.writeFile(work, lines.join('\n'));
  const sum = await readIfExists(`${root.workFile}.sum`, ctx.probe.git.root ?? ctx.dir);
  if (sum !== undefined) await promises.writeFile(`${work}.sum`, sum);
  const outDir = path.join(tmp, 'vendor');
  return { args: ['work', 'vendor', '-o', outDir], env: { GOWORK: work }, outDir, base: tmp };
}

/**
 * modules.txt lines with every relative replacement directory (`=> ./b`, `=> ../x`) made absolute
 * against base: the repository's file and the regenerated one mean the same directories when
 * these lines are equal, whatever directory each was written from.
 */
function modulesTxtMeaning(text, base) {
  return splitLines(text).map((l) => {
    if (!l.startsWith('# ')) return l;
    const m = /^(.*=>\s*)(\S+)(.*)$/.exec(l);
    if (!m) return l;
    let target = m[2];
    if (/^".*"$/.test(target)) target = JSON.parse(target) ;
    const isDir = /^\.\.?([/\\]|$)/.test(target) || path.isAbsolute(target);
    return isDir ? `${m[1]}${path.resolve(base, target)}${m[3]}` : l;
  });
}

async function checkRoot(ctx, root) {
  const findings = [];
  const notes = [];
  const vendorDir = path.join(root.dir, 'vendor');
  const vendorRel = joinReport(root.relDir, 'vendor');
  const modulesTxtFile = `${vendorRel}/modules.txt`;
  // Repository files go through core/safe-read.ts: a modules.txt linking out of the repository ends the check in error, unread.
  const modulesTxt = (await readIfExists(path.join(vendorDir, 'modules.txt'), ctx.probe.git.root ?? ctx.dir)) ?? '';
  const env = root.kind === 'workspace' ? { GOWORK: root.workFile } : { GOWORK: 'off' };
  const hint = `Run \`${root.fix}\` and commit vendor/.`;

  // 1. Consistency: any package load in vendor mode runs it; -mod=vendor in case GOFLAGS says otherwise.
  const list = await ctx.go.run(['list', '-mod=vendor', '-e', '-json=ImportPath', './...'], { cwd: root.dir, env, signal: ctx.signal });
  if (failed(list)) throw new Error(describeFailure(list));
  let inconsistent = false;
  const inconsistentPaths = [];
  if (list.code !== 0) {
    const parsed = parseInconsistentVendoring(list.stderr);
    if (parsed) {
      inconsistent = true;
      inconsistentPaths.push(...parsed.reasons.map((r) => r.path));
      for (const r of parsed.reasons) findings.push(reasonFinding(root, root.dir, r, modulesTxt, modulesTxtFile));
      if (parsed.reasons.length === 0) {
        findings.push({ severity: 'error', message: `inconsistent vendoring in ${vendorRel}`, hint, file: modulesTxtFile, ruleId: 'vendor-inconsistent' });
      }
    } else {
      const first = goErrorBlocks(list.stderr)[0] ?? describeFailure(list);
      findings.push({
        severity: 'error',
        message: `go cannot load ${root.kind === 'workspace' ? 'the workspace' : root.mainFile} from ${vendorRel}: ${redactUrls(foldBlock(first))}`,
        hint: `Run \`${root.fix}\`; if the error remains, fix it first (see the packages check).`,
        file: root.mainFile,
        ruleId: 'vendor-load',
      });
    }
  }

  // 2. Package directories in vendor/ that modules.txt does not list.
  const mt = parseModulesTxt(modulesTxt);
  const repoFiles = await walkFiles(vendorDir);
  const goDirs = new Set();
  for (const rel of repoFiles.keys()) if (rel.endsWith('.go') && rel.includes('/')) goDirs.add(rel.slice(0, rel.lastIndexOf('/')));
  const strays = [...goDirs].filter((d) => !mt.packages.has(d)).sort();
  const ignoresStrays = compareGo(root.goLine ?? '1.16', '1.23') >= 0;
  for (const d of strays.slice(0, MAX_FILE_FINDINGS)) {
    findings.push({
      severity: 'warning',
      message: ignoresStrays
        ? `${vendorRel}/${d} holds Go files but ${modulesTxtFile} does not list the package: go >= 1.23 ignores it, so an import of ${d} fails`
        : `${vendorRel}/${d} holds Go files but ${modulesTxtFile} does not list the package: go builds it from vendor/ although no required module provides it`,
      hint: `Delete ${vendorRel}/${d}, or require its module and run \`${root.fix}\`.`,
      file: `${vendorRel}/${d}`,
      ruleId: 'vendor-unlisted-package',
    });
  }
  if (strays.length > MAX_FILE_FINDINGS) {
    findings.push({ severity: 'warning', message: `${strays.length - MAX_FILE_FINDINGS} more package directories in ${vendorRel} are not listed in ${modulesTxtFile}`, hint, file: modulesTxtFile, ruleId: 'vendor-unlisted-package' });
  }
  const strayDirs = new Set(strays);

  // 3. Content drift.
  if (compareGo(buildGoVersion(ctx.probe, root.modules[0]), '1.18') < 0) {
    notes.push(`${vendorRel}: contents not compared (\`go mod vendor -o\` needs Go >= 1.18)`);
    return { findings, notes };
  }
  const regen = root.kind === 'workspace' ? await workspaceVendorCommand(ctx, root) : await moduleVendorCommand(ctx, root);
  if (typeof regen === 'string') {
    notes.push(`${vendorRel}: contents not compared: ${regen}`);
    return { findings, notes };
  }
  const outDir = regen.outDir;
  const gen = await ctx.go.run(regen.args, { cwd: root.dir, env: regen.env, signal: ctx.signal, memo: false });
  if (failed(gen)) throw new Error(describeFailure(gen));
  if (gen.code !== 0) {
    const blocks = goErrorBlocks(gen.stderr);
    const kind = classifyFetchError(blocks.join('\n'));
    const first = redactUrls(foldBlock(blocks[0] ?? describeFailure(gen)));
    if (kind === 'offline' || kind === 'network') {
      // Vendoring is often used precisely to build without downloads: not a defect of vendor/.
      notes.push(`${vendorRel}: contents not compared: \`${root.fix}\` needs the module cache or downloads, and ${fetchProblemText(kind)} (${first})`);
    } else {
      findings.push({
        severity: 'warning',
        message: `cannot regenerate ${vendorRel} to compare it: \`${root.fix}\` fails: ${first}`,
        hint: `Run \`${root.fix}\` locally and fix what it reports.`,
        file: root.mainFile,
        ruleId: 'vendor-regenerate',
      });
    }
    return { findings, notes };
  }

  const genFiles = await walkFiles(outDir);
  const all = [...new Set([...repoFiles.keys(), ...genFiles.keys()])].sort();
  const drift = [];
  await Promise.all(
    all.map(async (rel) => {
      const a = repoFiles.get(rel);
      const b = genFiles.get(rel);
      if (a && b) {
        if (rel === 'modules.txt') {
          // Same meaning: relative replacement paths resolved against where each file was written.
          const [x, y] = await Promise.all([readIfExists(a), readIfExists(b)]);
          if (modulesTxtMeaning(x ?? '', root.dir).join('\n') !== modulesTxtMeaning(y ?? '', regen.base).join('\n')) drift.push({ rel, kind: 'changed' });
        } else if (!(await sameContent(a, b))) drift.push({ rel, kind: 'changed' });
      } else if (b) drift.push({ rel, kind: 'missing' });
      else if (!strayDirs.has(rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '')) drift.push({ rel, kind: 'extra' });
    }),
  );
  drift.sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
  const genTxtFile = genFiles.get('modules.txt');
  const genMt = parseModulesTxt(genTxtFile ? ((await readIfExists(genTxtFile)) ?? '') : '');
  const moduleOf = (rel) => {
    for (const t of [mt, genMt]) {
      let d = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      while (d) {
        const m = t.packages.get(d);
        if (m) return m;
        d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
      }
    }
    return [...mt.headers, ...genMt.headers].filter((h) => rel.startsWith(`${h.path}/`)).sort((x, y) => y.path.length - x.path.length)[0]?.path;
  };
  // The consistency findings already explain a stale modules.txt and the files of every module they
  // name (one finding per cause; the files are listed in the details).
  const explained = new Set(inconsistentPaths);
  const reported = drift.filter((d) => {
    if (!inconsistent) return true;
    if (d.rel === 'modules.txt') return false;
    // A file added or removed with a module the reasons name follows from them; an edited file is its own cause.
    const owner = moduleOf(d.rel)?.split(' ')[0];
    return d.kind === 'changed' || !(owner && explained.has(owner));
  });
  const vendorCmd = root.kind === 'workspace' ? 'go work vendor' : 'go mod vendor';
  for (const d of reported.slice(0, MAX_FILE_FINDINGS)) {
    const file = `${vendorRel}/${d.rel}`;
    const owner = moduleOf(d.rel);
    const from = owner ? ` (${owner})` : '';
    findings.push({
      severity: 'error',
      message:
        d.rel === 'modules.txt'
          ? `${file} is out of date: \`${vendorCmd}\` writes a different module list for ${root.mainFile}`
          : d.kind === 'changed'
            ? `${file} differs from what \`${vendorCmd}\` writes${from}: edited by hand, or vendor/ is stale`
            : d.kind === 'missing'
              ? `${file} is missing: \`${vendorCmd}\` adds it${from}`
              : `${file} is not produced by \`${vendorCmd}\`: stale, or added by hand`,
      hint,
      file,
      ruleId: 'vendor-drift',
    });
  }
  if (reported.length > MAX_FILE_FINDINGS) {
    findings.push({
      severity: 'error',
      message: `${reported.length - MAX_FILE_FINDINGS} more files under ${vendorRel} differ from what \`${vendorCmd}\` writes (${reported.length} in all)`,
      hint,
      file: modulesTxtFile,
      ruleId: 'vendor-drift',
    });
  }
  let details;
  if (drift.length) {
    const list = drift.slice(0, 500).map((d) => `- \`${vendorRel}/${d.rel}\` ${d.kind}`);
    if (drift.length > 500) list.push(`- … ${drift.length - 500} more`);
    details = `**${vendorRel}** differs from \`${root.fix}\`:\n\n${list.join('\n')}\n`;
    const genTxt = genFiles.get('modules.txt');
    if (drift.some((d) => d.rel === 'modules.txt') && genTxt) {
      const diff = unifiedDiff(modulesTxt, (await readIfExists(genTxt)) ?? '', 'current/vendor/modules.txt', 'vendor/modules.txt');
      if (diff) details += `\n\`\`\`diff\n${diff.split('\n').slice(0, 300).join('\n')}\n\`\`\`\n`;
    }
  }
  return { findings, notes, ...(details ? { details } : {}) };
}

const vendorCheck = {
  id: 'vendor',
  title: 'Vendor directory',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    // The user's GOFLAGS (the go runner rewrites -mod=mod to -mod=readonly for our own commands).
    const goflags = ctx.env.GOFLAGS ?? ctx.probe.goEnv.GOFLAGS ?? '';
    const goflagsMod = /(?:^|\s)--?mod=(\S+)/.exec(goflags)?.[1];
    const roots = [];
    const findings = [];
    const skipped = [];
    const work = ctx.probe.work;

    // Workspace vendoring: vendor/ next to go.work, made by `go work vendor` (Go >= 1.22).
    let workspaceVendor = false;
    if (work) {
      const txt = await readIfExists(path.join(work.dir, 'vendor', 'modules.txt'));
      if (txt !== undefined && parseModulesTxt(txt).workspace) {
        workspaceVendor = true;
        const goVersion = buildGoVersion(ctx.probe);
        if (compareGo(goVersion, '1.22') < 0) skipped.push(`${reportPath(ctx.dir, path.join(work.dir, 'vendor'))}: workspace vendoring (\`go work vendor\`) needs Go 1.22 or newer; ${goVersion} has no \`go work vendor\``);
        else {
          roots.push({
            kind: 'workspace',
            dir: work.dir,
            relDir: reportPath(ctx.dir, work.dir),
            mainFile: work.relFile,
            modules: ctx.probe.modules.filter((m) => m.inWorkspace),
            workDirectives: work.directives,
            workFile: work.file,
            goLine: work.goLine,
            fix: reportPath(ctx.dir, work.dir) === '.' ? 'go work vendor' : `cd ${reportPath(ctx.dir, work.dir)} && go work vendor`,
          });
        }
      }
    }

    for (const m of ctx.probe.modules) {
      if (m.parseError) continue;
      // From Go 1.22, `go mod vendor` in workspace mode is refused ("'go mod vendor' cannot be run in
      // workspace mode. Run 'go work vendor' to vendor the workspace or set 'GOWORK=off' to exit
      // workspace mode."): a module of the workspace is vendored on its own with GOWORK=off.
      const inWork = !!work && m.inWorkspace && compareGo(buildGoVersion(ctx.probe, m), '1.22') >= 0;
      const cmd = inWork ? 'GOWORK=off go mod vendor' : 'go mod vendor';
      const fix = m.relDir === '.' ? cmd : `cd ${m.relDir} && ${cmd}`;
      if (!m.hasVendorDir) {
        const coveredByWorkspace = workspaceVendor && m.inWorkspace;
        if (goflagsMod === 'vendor' && !coveredByWorkspace) {
          findings.push({
            severity: 'error',
            message: `GOFLAGS sets -mod=vendor but there is no vendor/ directory next to ${m.goModFile}: every build of the module fails with "inconsistent vendoring"`,
            hint: `Run \`${fix}\` and commit vendor/, or remove -mod=vendor from GOFLAGS.`,
            file: m.goModFile,
            ruleId: 'vendor-missing',
          });
        }
        continue;
      }
      const txt = await readIfExists(path.join(m.dir, 'vendor', 'modules.txt'));
      if (txt !== undefined && parseModulesTxt(txt).workspace) {
        if (!(work && path.resolve(work.dir) === path.resolve(m.dir))) {
          findings.push({
            severity: 'error',
            message: `${joinReport(m.relDir, 'vendor/modules.txt')} was written by \`go work vendor\` (## workspace) but there is no go.work next to it: go cannot use it`,
            hint: `Run \`${fix}\` to vendor this module on its own, or restore the go.work file.`,
            file: joinReport(m.relDir, 'vendor/modules.txt'),
            line: 1,
            ruleId: 'vendor-inconsistent',
          });
        }
        continue; // the workspace root above covers it
      }
      if (goflagsMod === 'mod' || goflagsMod === 'readonly') {
        skipped.push(`${joinReport(m.relDir, 'vendor')}/ is not used: GOFLAGS sets -mod=${goflagsMod}`);
        continue;
      }
      if (compareGo(m.goLine ?? '1.16', '1.14') < 0 && goflagsMod !== 'vendor') {
        skipped.push(`${joinReport(m.relDir, 'vendor')}/ is not used: the go line of ${m.goModFile} is older than 1.14`);
        continue;
      }
      roots.push({ kind: 'module', dir: m.dir, relDir: m.relDir, mainFile: m.goModFile, modules: [m], goLine: m.goLine, fix });
    }

    if (roots.length === 0 && findings.length === 0) {
      return { findings: [], skipReason: skipped.length ? `not applicable: ${skipped.join('; ')}` : 'not applicable: no vendor/ directory', ...(skipped.length ? { notes: skipped } : {}) };
    }
    const per = await Promise.all(roots.map((r) => checkRoot(ctx, r)));
    const notes = [...skipped, ...per.flatMap((p) => p.notes)];
    const details = per.map((p) => p.details).filter(Boolean).join('\n');
    return {
      findings: [...findings, ...per.flatMap((p) => p.findings)],
      ...(notes.length ? { notes } : {}),
      ...(details ? { details } : {}),
    };
  },
};

const ALL_CHECKS = {
  toolchain: toolchainCheck,
  'go-env': goEnvCheck,
  'mod-verify': modVerifyCheck,
  'mod-tidy': modTidyCheck,
  vendor: vendorCheck,
  modules: modulesCheck,
  'git-clean': gitCleanCheck,
  targets: targetsCheck,
  packages: packagesCheck,
  cgo: cgoCheck,
  secrets: secretsCheck,
};

// Failed reads and writes of the action's own files (report, summary, outputs), told in one line.


/** One line for a failed write: the reason in words and the errno code, never a stack. */
function describeIoError(e) {
  const code = (e )?.code;
  const words = {
    ENOSPC: 'no space left on the device',
    EPIPE: 'the reader closed the pipe',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent is not a directory',
    ENOENT: 'no such file or directory',
    EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return code ? code : getErrorMessage(e).split('\n')[0];
}

// One run from start to finish, shared by the CLI and the action: read the config, probe, run the
// checks. Adapters only gather inputs and write the report out.











/**
 * The config file's text, read as every repository file is (safe-read.ts): a committed symlink that
 * leaves the repository, a directory, a FIFO or an endless device is a configuration error naming
 * the file, never a hang and never its content. A path the user named outside the repository
 * (`--config ../ci/go-preflight.yml`) is theirs to choose and is read, still only as a regular file.
 */
async function readConfigText(file, root, shown, explicit) {
  try {
    return await readRepoFile(file, { root, maxBytes: READ_LIMITS.config, allowOutside: explicit });
  } catch (e) {
    if (isUnsafeReadError(e)) {
      if (e.reason === 'missing' && !e.symlink) return undefined;
      throw new ConfigurationError(unsafeReadSentence(e, 'the config file'), shown);
    }
    throw e;
  }
}

/** `.github/go-preflight.yml` in dir, else in a parent up to the repository root (the dir holding `.git`). */
async function findConfigFile(dir) {
  const root = await findGitRoot(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, DEFAULT_CONFIG_FILE);
    if (await exists(candidate)) return candidate;
    if (!root || d === root || path.dirname(d) === d) return undefined;
  }
}

async function loadSettings(opts, warn) {
  const dir = path.resolve(opts.dir);
  let st;
  try {
    st = await promises.stat(dir);
  } catch {
    throw new ConfigurationError(`directory ${opts.dir} does not exist`);
  }
  if (!st.isDirectory()) throw new ConfigurationError(`${opts.dir} is not a directory`);

  let configFile;
  let file;
  // The YAML parser is loaded only when there is a file to parse.
  const parseConfig = async (text, name) => (await import('./config-file-oL_G5pKx.js')).parseConfig(text, name, opts.checks);
  const root = (await findGitRoot(dir)) ?? dir;
  if (opts.configFile) {
    configFile = path.resolve(dir, opts.configFile);
    const shown = path.relative(dir, configFile).split(path.sep).join('/') || configFile;
    const text = await readConfigText(configFile, root, shown, true);
    if (text === undefined) throw new ConfigurationError(`config file ${opts.configFile} does not exist`);
    file = await parseConfig(text, shown);
  } else {
    configFile = await findConfigFile(dir);
    if (configFile) {
      const shown = path.relative(dir, configFile).split(path.sep).join('/');
      const text = (await readConfigText(configFile, root, shown, false)) ?? '';
      file = await parseConfig(text, shown);
    }
  }
  const settings = resolveSettings({ dir, file, configFile, overrides: opts.overrides, checks: opts.checks, warn });
  assertSomethingRuns(settings, opts.overrides, configFile ? path.relative(dir, configFile).split(path.sep).join('/') || configFile : undefined);
  return settings;
}

/**
 * A run with every check off would report success having looked at nothing (`--checks ''` with a
 * committed secret): that is a usage error, named after what turned the checks off.
 */
function assertSomethingRuns(settings, o, configName) {
  const flag = (name) => (o.source === 'flag' ? `--${name}` : `input ${name}`);
  if (o.checks && o.checks.length === 0) throw new ConfigurationError('names no check: give check ids (e.g. toolchain,secrets), or leave it out to run them all', flag('checks'));
  if (Object.values(settings.checks).some((c) => c.level !== 'off')) return;
  const selected = (o.checks ?? CHECK_IDS).filter((id) => !o.skip?.includes(id));
  if (selected.length === 0) {
    if (o.checks && o.skip?.length) throw new ConfigurationError(`skips every check that ${flag('checks')} asks for: no check is left to run`, flag('skip'));
    throw new ConfigurationError('leaves no check to run: skip fewer checks', flag('skip'));
  }
  // The selection left checks that the configuration file turned off: the report says so per check.
  if (o.checks || o.skip?.length) return;
  throw new ConfigurationError('every check is off: turn at least one on (checks.<id>: error)', configName ?? 'configuration');
}








async function runPreflight(opts, deps) {
  const settings = await loadSettings(opts, (m) => deps.logger.warning(m));
  const prepared = await prepareRun(settings, deps);
  if (prepared.probe.modules.length === 0) {
    throw new ConfigurationError(
      `no go.mod in ${settings.dir} or below: go-preflight inspects Go modules; point it at the module's directory (working-directory input or DIR argument)`,
    );
  }
  if (!settings.targetsExplicit) settings.targets = [prepared.probe.host];
  if (!prepared.probe.go.available) deps.logger.error(`${prepared.probe.go.error ?? '`go` is not usable'}: install Go (actions/setup-go) before go-preflight`);
  const report = await runChecks(settings, opts.checks, deps, prepared);
  return { report, settings, gitRoot: prepared.probe.git.root };
}

// `go-preflight merge REPORT.json...`: the JSON reports of the shards of one matrix (`--shard I/N`)
// read back into one Report, which the usual renderers turn into one text report, job summary,
// SARIF file and annotation set, with the same ordering and budgets as a single run.
//
// Reports are untrusted files (downloaded artifacts): every field is checked, and a bad file is a
// ConfigurationError naming the file and the key. A missing shard, a shard given twice, or
// reports of different matrices (different N) fail the merge: a partial report would say
// "success" for modules nobody checked.


const STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'];
const SEVERITIES = ['error', 'warning', 'notice'];
const CONCLUSIONS = ['success', 'warning', 'failure'];



function isObj(v) {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parse one JSON report (schemaVersion 1) written by go-preflight. */
function parseReport(text, file) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigurationError(`not a JSON file (${getErrorMessage(e).split('\n')[0]})`, file);
  }
  const bad = (key, what) => {
    throw new ConfigurationError(`${key}: ${what} (is this a go-preflight --format json report?)`, file);
  };
  if (!isObj(raw)) return bad('(top level)', 'expected an object');
  if (raw.schemaVersion !== 1) bad('schemaVersion', `expected 1, got ${JSON.stringify(raw.schemaVersion)}`);
  const str = (o, k, where, optional = false) => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') bad(`${where}${k}`, 'expected a string');
    return v ;
  };
  const int = (o, k, where, optional = false) => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${where}${k}`, 'expected a number');
    return v ;
  };
  const conclusion = str(raw, 'conclusion', '') ;
  if (!CONCLUSIONS.includes(conclusion)) bad('conclusion', `unknown value "${conclusion}"`);
  if (!isObj(raw.go)) bad('go', 'expected an object');
  const go = raw.go ;
  if (!Array.isArray(raw.targets) || raw.targets.some((t) => typeof t !== 'string')) bad('targets', 'expected a list of strings');
  if (!Array.isArray(raw.checks)) bad('checks', 'expected a list');
  const checks = (raw.checks ).map((c, i) => {
    const w = `checks[${i}].`;
    if (!isObj(c)) return bad(`checks[${i}]`, 'expected an object');
    const id = str(c, 'id', w);
    if (!isCheckId(id)) bad(`${w}id`, `unknown check id "${id}"`);
    const status = str(c, 'status', w) ;
    if (!STATUSES.includes(status)) bad(`${w}status`, `unknown status "${status}"`);
    if (!Array.isArray(c.findings)) bad(`${w}findings`, 'expected a list');
    const findings = (c.findings ).map((f, j) => parseFinding(f, `${w}findings[${j}].`, bad, str, int));
    const notes = c.notes === undefined ? undefined : Array.isArray(c.notes) && c.notes.every((n) => typeof n === 'string') ? (c.notes ) : bad(`${w}notes`, 'expected a list of strings');
    const suppressed =
      c.suppressed === undefined
        ? undefined
        : Array.isArray(c.suppressed) && c.suppressed.every((s) => isObj(s) && typeof s.by === 'string')
          ? (c.suppressed ).map((s) => ({ ...s }))
          : bad(`${w}suppressed`, 'expected a list of {by, file, line}');
    return {
      id: id ,
      title: str(c, 'title', w),
      status,
      ...(c.skipReason !== undefined ? { skipReason: str(c, 'skipReason', w) } : {}),
      durationMs: int(c, 'durationMs', w, true) ?? 0,
      findings,
      ...(notes ? { notes } : {}),
      ...(suppressed ? { suppressed } : {}),
    };
  });
  const report = {
    schemaVersion: 1,
    conclusion,
    dir: str(raw, 'dir', ''),
    go: { version: str(go, 'version', 'go.'), goos: str(go, 'goos', 'go.'), goarch: str(go, 'goarch', 'go.') },
    targets: [...(raw.targets )],
    durationMs: int(raw, 'durationMs', '', true) ?? 0,
    checks,
  };
  if (raw.runner !== undefined) {
    if (!isObj(raw.runner)) bad('runner', 'expected an object');
    report.runner = { os: str(raw.runner , 'os', 'runner.'), arch: str(raw.runner , 'arch', 'runner.') };
  }
  if (raw.shard !== undefined) {
    if (!isObj(raw.shard)) bad('shard', 'expected an object');
    const index = int(raw.shard , 'index', 'shard.');
    const count = int(raw.shard , 'count', 'shard.');
    if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 1 || index > count) bad('shard', `invalid shard ${index}/${count}`);
    report.shard = { index, count };
  }
  return report;
}

function parseFinding(
  f,
  w,
  bad,
  str,
  int,
) {
  if (!isObj(f)) return bad(w.slice(0, -1), 'expected an object');
  const severity = str(f, 'severity', w) ;
  if (!SEVERITIES.includes(severity)) bad(`${w}severity`, `unknown severity "${severity}"`);
  const out = { severity, message: str(f, 'message', w) };
  for (const k of ['hint', 'file', 'target', 'ruleId', 'fingerprint', 'module', 'commit'] ) {
    const v = str(f, k, w, true);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['line', 'column', 'endLine', 'endColumn'] ) {
    const v = int(f, k, w, true);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Read and parse report files. */
async function readReports(files) {
  return Promise.all(
    files.map(async (file) => {
      let text;
      try {
        text = await promises.readFile(file, 'utf8');
      } catch (e) {
        throw new ConfigurationError(`cannot read the report (${(e ).code ?? getErrorMessage(e)})`, file);
      }
      return { file, report: parseReport(text, file) };
    }),
  );
}

const findingKey = (f) => JSON.stringify([f.severity, f.message, f.hint, f.file, f.line, f.column, f.endLine, f.endColumn, f.target, f.ruleId, f.fingerprint, f.module, f.commit]);

/**
 * One report from the shards' reports. Findings that several shards report alike (a repo-level
 * fact seen by every shard's module checks) are kept as many times as the most any one shard has.
 */
function mergeReports(inputs) {
  if (inputs.length === 0) throw new ConfigurationError('merge: no report files given');
  const name = (i) => path.basename(i.file);
  const unsharded = inputs.filter((i) => !i.report.shard);
  if (unsharded.length && inputs.length > 1) {
    throw new ConfigurationError(`${unsharded.map(name).join(', ')} ${unsharded.length === 1 ? 'is' : 'are'} not a shard's report (run with --shard I/N); cannot merge it with others`);
  }
  const count = inputs[0].report.shard?.count ?? 1;
  const other = inputs.find((i) => (i.report.shard?.count ?? 1) !== count);
  if (other) {
    throw new ConfigurationError(
      `the reports come from different matrices: ${name(inputs[0])} is shard ${formatShard(inputs[0].report.shard ?? { index: 1, count: 1 })}, ${name(other)} is shard ${formatShard(other.report.shard ?? { index: 1, count: 1 })}`,
    );
  }
  const byIndex = new Map();
  for (const i of inputs) {
    const idx = i.report.shard?.index ?? 1;
    const dup = byIndex.get(idx);
    if (dup) throw new ConfigurationError(`shard ${idx}/${count} is given twice: ${name(dup)} and ${name(i)}`);
    byIndex.set(idx, i);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length) {
    throw new ConfigurationError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: got ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${count}`).join(', ')} (${inputs.map(name).join(', ')}); a merged report without every shard would pass modules nobody checked`,
    );
  }
  const shards = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v.report);
  const first = shards[0];
  const runners = shards.map((r) => (r.runner ? `${r.runner.os}/${r.runner.arch}` : 'unknown'));
  const mixedRunners = new Set(runners).size > 1;

  const checks = CHECK_IDS.map((id) => {
    const parts = shards.map((r, k) => ({ k: k + 1, c: r.checks.find((c) => c.id === id) })).filter((p) => p.c) ;
    if (parts.length === 0) return { id, title: id, status: 'skip', skipReason: 'not in any report', durationMs: 0, findings: [] };
    const title = parts[0].c.title;
    const ran = parts.filter((p) => p.c.status !== 'skip');
    // Findings: per key, as many as the most any one shard has.
    const most = new Map();
    const order = [];
    for (const p of parts) {
      const here = new Map();
      for (const f of p.c.findings) {
        const key = findingKey(f);
        here.set(key, (here.get(key) ?? 0) + 1);
        if (!most.has(key)) {
          most.set(key, { f, n: 0 });
          order.push(key);
        }
      }
      for (const [key, n] of here) most.get(key).n = Math.max(most.get(key).n, n);
    }
    const findings = sortFindings(order.flatMap((key) => Array.from({ length: most.get(key).n }, () => ({ ...most.get(key).f }))));
    const notes = mergeNotes(parts.map((p) => p.c.notes ?? []));
    if (mixedRunners) for (const p of ran) notes.push(`shard ${p.k}/${count} ran on a ${runners[p.k - 1]} runner (${shards[p.k - 1].go.version})`);
    const suppressed = uniqueBy(parts.flatMap((p) => p.c.suppressed ?? []), (s) => JSON.stringify(s));
    const durationMs = Math.max(0, ...parts.map((p) => p.c.durationMs));
    const errors = parts.filter((p) => p.c.status === 'error');
    let status;
    let skipReason;
    if (errors.length) {
      status = 'error';
      skipReason = errors.map((p) => (count > 1 ? `shard ${p.k}/${count}: ${p.c.skipReason ?? 'could not complete'}` : (p.c.skipReason ?? 'could not complete'))).join('; ');
    } else if (ran.length === 0) {
      status = 'skip';
      // Prefer the reason that is not about sharding ("runs in shard 1/N", "no module in shard").
      skipReason = (parts.find((p) => !/shard \d+\/\d+/.test(p.c.skipReason ?? '')) ?? parts[0]).c.skipReason;
    } else {
      status = statusOf(findings);
    }
    return {
      id,
      title,
      status,
      ...(skipReason !== undefined ? { skipReason } : {}),
      durationMs,
      findings,
      ...(notes.length ? { notes } : {}),
      ...(suppressed.length ? { suppressed } : {}),
    };
  });
  // A check that could not complete counts as a failure unless the run said otherwise (on-error: warn):
  // a shard whose report has an error check and no failure conclusion ran with on-error: warn.
  const onErrorWarn = shards.some((r) => r.checks.some((c) => c.status === 'error') && r.conclusion !== 'failure');
  return {
    schemaVersion: 1,
    conclusion: conclusionOf(checks, onErrorWarn ? 'warn' : 'fail'),
    dir: first.dir,
    go: { ...first.go },
    targets: unique(shards.flatMap((r) => r.targets)),
    durationMs: Math.max(0, ...shards.map((r) => r.durationMs)),
    checks,
    ...(first.runner ? { runner: { ...first.runner } } : {}),
  };
}

/**
 * Notes of one check from every shard. A note every shard that has it says alike is kept once; a
 * count that differs by shard (`listed 3 packages in 3 modules for linux/amd64`) is summed, so the
 * merged note reads as one run's.
 */
function mergeNotes(perShard) {
  const NUM = /\d+(?:\.\d+)?/g;
  const groups = new Map();
  perShard.forEach((notes, shard) => {
    for (const note of notes) {
      const t = note.replace(NUM, '#');
      const g = groups.get(t);
      if (g) g.push({ shard, note });
      else groups.set(t, [{ shard, note }]);
    }
  });
  const out = [];
  for (const [template, group] of groups) {
    const notes = group.map((g) => g.note);
    const distinct = unique(notes);
    // Alike everywhere, or several of the kind in one shard (`a/go.mod: go 1.22`, `b/go.mod: …`): not counts.
    if (distinct.length === 1 || new Set(group.map((g) => g.shard)).size !== group.length) {
      out.push(...distinct);
      continue;
    }
    const numbers = notes.map((n) => n.match(NUM) ?? []);
    const sums = numbers[0].map((_, i) => numbers.reduce((acc, ns) => acc + Number(ns[i] ?? 0), 0));
    const decimals = numbers[0].map((_, i) => Math.max(...numbers.map((ns) => (ns[i]?.split('.')[1] ?? '').length)));
    // A number every shard gives alike (`linux/amd64`'s 64) is not a count: kept as is.
    const same = numbers[0].map((v, i) => numbers.every((ns) => ns[i] === v));
    let i = 0;
    out.push(template.replace(/#/g, () => {
      const k = i++;
      return same[k] ? numbers[0][k] : sums[k].toFixed(decimals[k]);
    }));
  }
  return out;
}

function unique(xs) {
  return [...new Set(xs)];
}

function uniqueBy(xs, key) {
  const seen = new Set();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Expand a glob of report files (`reports/**\/*.json`, `shard-*.json`): `*`, `?` and `**` in path
 * segments, relative to cwd. Sorted. Used by the action's `merge-reports` input.
 */
async function expandGlob(pattern, cwd) {
  const norm = pattern.trim().replace(/\\/g, '/');
  const absolute = path.isAbsolute(norm) || /^[A-Za-z]:\//.test(norm);
  const segments = norm.split('/').filter((s, i) => s !== '' || (i === 0 && absolute));
  let base = absolute ? (/^[A-Za-z]:$/.test(segments[0]) ? `${segments.shift()}/` : (segments.shift(), '/')) : cwd;
  // Leading literal segments are the base directory.
  while (segments.length > 1 && !/[*?[]/.test(segments[0])) base = path.join(base, segments.shift());
  const toRe = (seg) => new RegExp(`^${seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const out = [];
  const walk = async (dir, segs) => {
    if (segs.length === 0) return;
    const [seg, ...rest] = segs ;
    let entries;
    try {
      entries = await promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (seg === '**') {
      await walk(dir, rest);
      for (const e of entries) if (e.isDirectory()) await walk(path.join(dir, e.name), segs);
      return;
    }
    const re = toRe(seg);
    for (const e of entries) {
      if (!re.test(e.name)) continue;
      const p = path.join(dir, e.name);
      if (rest.length === 0) {
        if (e.isFile()) out.push(p);
      } else if (e.isDirectory()) await walk(p, rest);
    }
  };
  await walk(base, segments);
  return [...new Set(out)].sort();
}

function jsonFinding(f) {
  const out = { severity: f.severity, message: f.message };
  const hint = present(f.hint);
  const file = present(f.file);
  const line = file ? position(f.line) : undefined;
  const column = line ? position(f.column) : undefined;
  const target = present(f.target);
  if (hint) out.hint = hint;
  if (file) out.file = file.replace(/\\/g, '/');
  if (line) out.line = line;
  if (column) out.column = column;
  if (target) out.target = target;
  const ruleId = present(f.ruleId);
  const fingerprint = present(f.fingerprint);
  if (ruleId) out.ruleId = ruleId;
  if (fingerprint) out.fingerprint = fingerprint;
  const endLine = line ? position(f.endLine) : undefined;
  const endColumn = endLine ? position(f.endColumn) : undefined;
  if (endLine) out.endLine = endLine;
  if (endColumn) out.endColumn = endColumn;
  const module = present(f.module);
  const commit = present(f.commit);
  if (module) out.module = module.replace(/\\/g, '/');
  if (commit) out.commit = commit;
  if (f.downgraded) out.downgraded = true;
  return out;
}

function jsonCheck(c) {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    ...(hasReason(c.status) ? { skipReason: reasonOf(c) } : {}),
    durationMs: Math.max(0, Math.round(c.durationMs)),
    findings: c.findings.map(jsonFinding),
    ...(c.notes && c.notes.length > 0 ? { notes: [...c.notes] } : {}),
    ...(c.suppressed && c.suppressed.length > 0 ? { suppressed: c.suppressed.map((s) => ({ ...s })) } : {}),
  };
}

function toJsonReport(report) {
  return {
    schemaVersion: 1,
    conclusion: report.conclusion,
    dir: report.dir,
    go: { version: report.go.version, goos: report.go.goos, goarch: report.go.goarch },
    targets: [...report.targets],
    durationMs: Math.max(0, Math.round(report.durationMs)),
    checks: report.checks.map(jsonCheck),
    ...(report.runner ? { runner: { ...report.runner } } : {}),
    ...(report.shard ? { shard: { ...report.shard } } : {}),
    ...(report.modules ? { modules: [...report.modules] } : {}),
  };
}

/** Pretty-printed (2 spaces) with a trailing newline. */
function renderJson(report) {
  return stringifyJson(toJsonReport(report));
}

const DEFAULT_MAX_BYTES = 1_000_000;
/** Room kept per check section for the "N more findings" and "details not shown" lines. */
const SECTION_NOTE_RESERVE = 600;
/** Room kept for the closing line that sums up what was cut. */
const FOOTER_RESERVE = 600;
/** Per-field caps, so that one enormous message cannot crowd out every other finding. */
const MAX_MESSAGE_CHARS = 4000;
const MAX_HINT_CHARS = 2000;
const MAX_CELL_CHARS = 500;
const MAX_NOTES_PER_CHECK = 20;
const MAX_NOTE_CHARS = 1000;
/** A failing or warning check shows this many findings without a click; the rest fold. */
const OPEN_FINDINGS = 5;
const MAX_SUPPRESSED_SHOWN = 200;

const STATUS_LABEL = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '⏭️ skip',
  error: '💥 error',
};

const STATUS_ICON$1 = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', error: '💥' };

const SEVERITY_ICON = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

const HEADING = {
  success: '✅ go-preflight passed',
  warning: '⚠️ go-preflight passed with warnings',
  failure: '❌ go-preflight failed',
};

/**
 * Text shown as text in inline markdown (list items, table cells): HTML is neutralised as
 * entities, markdown punctuation is backslash-escaped, and newlines become `<br>` so a message
 * can neither open a block nor break a table row.
 */
function escapeMarkdown(s) {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text inside HTML elements (`<summary>`), where markdown is not processed. */
function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Percent-encode each path segment so a link survives spaces, `#`, `(`, `)`. */
function encodePath(p) {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * Prose from a check (a message, a fix) as inline markdown: text between backticks shows as code
 * (`go mod tidy`), everything else as escaped text. An unpaired backtick stays a literal one.
 */
function inlineMarkdown(s) {
  const parts = s.split('`');
  // An even number of parts means an odd number of backticks: the last one has no pair.
  const paired = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 1 && i < paired) out += part === '' ? escapeMarkdown('``') : markdownCode(part);
    else out += (i % 2 === 1 ? escapeMarkdown('`') : '') + escapeMarkdown(part);
  }
  return out;
}



function makeLinker(opts) {
  const server = present(opts.serverUrl)?.replace(/\/+$/, '');
  const repo = present(opts.repository)?.replace(/^\/+|\/+$/g, '');
  const sha = present(opts.sha);
  if (!server || !repo) return () => undefined;
  const prefix = normalizePrefix(opts.pathPrefix);
  return (file, line, commit) => {
    // A finding seen in a commit is linked at that commit, where the file is; any other at the
    // linked sha, and only when the file is there (an untracked or deleted file would be a 404).
    const at = commit && /^[0-9a-f]{7,64}$/i.test(commit) ? commit : sha;
    if (!at) return undefined;
    if (at === sha && opts.linkable && !opts.linkable(file.replace(/\\/g, '/'))) return undefined;
    return `${server}/${repo}/blob/${at}/${encodePath(prefixedPath(prefix, file))}${line ? `#L${line}` : ''}`;
  };
}

function findingLine(f, link, pathPrefix) {
  const sev = (['error', 'warning', 'notice'] ).includes(f.severity) ? f.severity : 'notice';
  let s = `- ${SEVERITY_ICON[sev]} **${sev}${f.downgraded ? ' (would fail)' : ''}**`;
  const commit = present(f.commit);
  const loc = formatLocation(f, pathPrefix);
  if (loc) {
    const file = present(f.file);
    const url = link(file, position(f.line), commit);
    s += url ? ` [${escapeMarkdown(loc)}](${url})` : ` ${escapeMarkdown(loc)}`;
  }
  if (commit) s += ` in commit ${markdownCode(commit.slice(0, 7))}`;
  const target = present(f.target);
  if (target) s += ` (${escapeMarkdown(target)})`;
  s += `: ${inlineMarkdown(truncateChars(f.message, MAX_MESSAGE_CHARS))}`;
  const hint = present(f.hint);
  if (hint) s += `<br>Fix: ${inlineMarkdown(truncateChars(hint, MAX_HINT_CHARS))}`;
  return `${s}\n`;
}

function statusCounts(checks) {
  const n = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) n[c.status] = (n[c.status] ?? 0) + 1;
  const parts = [
    n.fail ? `${formatNumber(n.fail)} failed` : '',
    n.error ? `${formatNumber(n.error)} could not run` : '',
    n.warn ? `${formatNumber(n.warn)} warned` : '',
    n.pass ? `${formatNumber(n.pass)} passed` : '',
    n.skip ? `${formatNumber(n.skip)} skipped` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

function renderHead(report, pathPrefix) {
  const lines = [];
  lines.push(`## ${HEADING[report.conclusion] ?? `go-preflight: ${escapeMarkdown(String(report.conclusion))}`}`, '');
  const facts = [
    `Go ${escapeMarkdown(truncateChars(report.go.version || 'unknown', 100))} (${escapeMarkdown(`${report.go.goos}/${report.go.goarch}`)})`,
    `targets: ${escapeMarkdown(truncateChars(report.targets.join(', ') || 'none', 2000))}`,
    `${plural(report.checks.length, 'check')} in ${formatDuration(report.durationMs)}`,
  ];
  if (pathPrefix) facts.push(`directory: ${escapeMarkdown(truncateChars(pathPrefix.replace(/\/$/, ''), 500))}`);
  lines.push(facts.join(' · '), '');
  const counts = formatCounts(countAll(report.checks));
  lines.push(`**${statusCounts(report.checks) || 'no checks'}** · ${counts || 'no findings'}`, '');
  lines.push('| Check | Status | Time | Findings | Reason |', '|---|---|---|---|---|');
  for (const c of report.checks) {
    const ran = !(c.status === 'skip' && c.durationMs === 0);
    const row = [
      `${escapeMarkdown(truncateChars(c.title, 200))} (${escapeMarkdown(c.id)})`,
      STATUS_LABEL[c.status] ?? escapeMarkdown(String(c.status)),
      ran ? formatDuration(c.durationMs) : '—',
      formatCounts(countBySeverity(c.findings)) || escapeMarkdown(cleanModulesNote(report, c)) || '—',
      hasReason(c.status) ? escapeMarkdown(truncateChars(reasonOf(c), MAX_CELL_CHARS)) : '',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', '');
  return lines.join('\n');
}

























function suppressedBlock(check, link, pathPrefix) {
  const list = check.suppressed ?? [];
  if (list.length === 0) return '';
  const line = (x) => {
    let s = '- ';
    const file = present(x.file);
    if (file) {
      const loc = `${prefixedPath(pathPrefix, file)}${position(x.line) ? `:${position(x.line)}` : ''}`;
      const url = link(file, position(x.line), present(x.commit));
      s += url ? `[${escapeMarkdown(loc)}](${url})` : escapeMarkdown(loc);
    } else s += 'a finding';
    if (present(x.commit)) s += ` in commit ${markdownCode(x.commit.slice(0, 7))}`;
    if (present(x.ruleId)) s += ` (${markdownCode(x.ruleId)})`;
    s += ` hidden by ${escapeMarkdown(x.by)}`;
    if (present(x.at)) s += ` at ${escapeMarkdown(x.at)}`;
    if (x.addedByChange) s += ' — **added by this change**';
    return `${truncateChars(s, MAX_MESSAGE_CHARS)}\n`;
  };
  const added = list.filter((x) => x.addedByChange);
  const other = list.filter((x) => !x.addedByChange);
  const parts = [];
  // A suppression that the change under review added is what a reviewer must see: never folded.
  if (added.length) {
    parts.push(`\n**⚠️ Suppressed by this change (${formatNumber(added.length)}):**\n\n`, ...added.slice(0, MAX_SUPPRESSED_SHOWN).map(line));
  }
  if (other.length) {
    parts.push(
      `\n<details><summary>Suppressed: ${plural(other.length, 'finding')}${added.length ? ' more' : ''}</summary>\n\n`,
      ...other.slice(0, MAX_SUPPRESSED_SHOWN).map(line),
      '\n</details>\n',
    );
  }
  const cut = Math.max(0, added.length - MAX_SUPPRESSED_SHOWN) + Math.max(0, other.length - MAX_SUPPRESSED_SHOWN);
  if (cut) parts.push(`- … ${plural(cut, 'more suppressed finding')}: see the JSON report\n`);
  return parts.join('');
}

function buildSection(report, check, link, pathPrefix) {
  const counts = formatCounts(countBySeverity(check.findings));
  // A suppression that the change under review added opens the check too: a reviewer must see it.
  const openView =
    (check.findings.length > 0 && (check.status === 'fail' || check.status === 'warn' || check.status === 'error')) ||
    (check.suppressed ?? []).some((x) => x.addedByChange);
  const heading =
    `${STATUS_ICON$1[check.status] ?? ''} <b>${escapeHtml(truncateChars(check.title, 200))}</b> ` +
    `<code>${escapeHtml(check.id)}</code>${counts ? `: ${counts}` : ''}`;
  const open = openView
    ? `### ${STATUS_ICON$1[check.status] ?? ''} ${escapeMarkdown(truncateChars(check.title, 200))} <code>${escapeHtml(check.id)}</code>${counts ? `: ${counts}` : ''}\n\n`
    : `<details><summary>${heading}</summary>\n\n`;
  const allNotes = check.notes ?? [];
  const noteLines = allNotes.slice(0, MAX_NOTES_PER_CHECK).map((n) => `- Note: ${inlineMarkdown(truncateChars(n, MAX_NOTE_CHARS))}\n`);
  if (allNotes.length > MAX_NOTES_PER_CHECK) {
    noteLines.push(`- … ${plural(allNotes.length - MAX_NOTES_PER_CHECK, 'more note')} not shown\n`);
  }
  const grouped = groupedModules(check.findings);
  const others = otherModulesNote(report, check, grouped);
  if (others) noteLines.unshift(`- ${escapeMarkdown(others)}\n`);
  const notes = noteLines.length ? `\n${noteLines.join('')}` : '';
  const rawDetails = present(check.details);
  // Details are markdown written by the check (a diff in a fence): shown whole or not at all, so
  // a fence is never left open; folded even under an open check (they are long).
  const details = rawDetails ? `\n<details><summary>Details</summary>\n\n${rawDetails.replace(/\s+$/, '')}\n\n</details>\n` : '';
  const findings = [...check.findings].sort(grouped ? compareByModule : compareFindings);
  const render = (f, i) => {
    const line = findingLine(f, link, pathPrefix);
    if (!grouped) return line;
    const m = moduleOf(f);
    const prev = i > 0 ? moduleOf(findings[i - 1]) : null;
    if (i !== 0 && i !== OPEN_FINDINGS && m === prev) return line;
    const n = findings.filter((x) => moduleOf(x) === m);
    const label = m === undefined ? 'Not about one module' : `Module ${markdownCode(m)}`;
    return `\n**${label}** (${formatCounts(countBySeverity(n))}):\n\n${line}`;
  };
  return {
    check,
    openView,
    open,
    findings,
    lines: [],
    lineBytes: [],
    renderedBytes: 0,
    render,
    notes,
    details,
    detailsBytes: utf8Bytes(details),
    rawDetailsBytes: rawDetails ? utf8Bytes(rawDetails) : 0,
    suppressed: suppressedBlock(check, link, pathPrefix),
    close: openView ? '\n' : '\n</details>\n\n',
    shown: 0,
    withDetails: false,
  };
}

/** Render finding lines until they hold more than `bytes` or all are rendered. */
function renderUpTo(s, bytes) {
  while (s.renderedBytes <= bytes && s.lines.length < s.findings.length) {
    const line = s.render(s.findings[s.lines.length], s.lines.length);
    const n = utf8Bytes(line);
    s.lines.push(line);
    s.lineBytes.push(n);
    s.renderedBytes += n;
  }
}

/**
 * Max-min fair shares of `budget` for the given demands: small demands are met in full, the
 * large ones share the rest equally, so one check with 100k findings cannot starve the others.
 */
function fairShares(demands, budget) {
  const shares = demands.map(() => 0);
  const order = demands.map((_, i) => i).sort((a, b) => demands[a] - demands[b]);
  let remaining = Math.max(0, budget);
  let left = order.length;
  for (const i of order) {
    const give = Math.min(demands[i], Math.floor(remaining / left));
    shares[i] = give;
    remaining -= give;
    left--;
  }
  return shares;
}

/** Show as many lines, then the details, as fit in `room`; returns the bytes used. */
function fill(s, room) {
  let used = 0;
  while (s.shown < s.lines.length && used + s.lineBytes[s.shown] <= room) {
    used += s.lineBytes[s.shown];
    s.shown++;
  }
  if (!s.withDetails && s.details && used + s.detailsBytes <= room) {
    used += s.detailsBytes;
    s.withDetails = true;
  }
  return used;
}

function renderSection(s) {
  const parts = [s.open];
  const shown = s.lines.slice(0, s.shown);
  if (s.openView && shown.length > OPEN_FINDINGS) {
    // The first findings open; the long tail folds.
    const tail = shown.length - OPEN_FINDINGS;
    parts.push(
      ...shown.slice(0, OPEN_FINDINGS),
      `\n<details><summary>${formatNumber(tail)} more finding${tail === 1 ? '' : 's'} of ${escapeHtml(s.check.id)}</summary>\n\n`,
      ...shown.slice(OPEN_FINDINGS),
    );
  } else parts.push(...shown);
  const cut = s.findings.length - s.shown;
  if (cut > 0) {
    parts.push(
      `- … ${formatNumber(cut)} more finding${cut === 1 ? '' : 's'} of ${s.check.id} not shown (summary size limit); see the JSON report\n`,
    );
  }
  if (s.openView && shown.length > OPEN_FINDINGS) parts.push('\n</details>\n');
  parts.push(s.notes);
  if (s.withDetails) parts.push(s.details);
  else if (s.details) {
    parts.push(`\n… details of ${s.check.id} (${plural(s.rawDetailsBytes, 'byte')}) not shown (summary size limit)\n`);
  }
  parts.push(s.suppressed);
  parts.push(s.close);
  return parts.join('');
}

/** Last resort when even the fixed parts exceed the limit (a tiny maxBytes): cut at a line end. */
function hardCut(text, maxBytes) {
  const note = `\n\n… summary cut at ${formatNumber(maxBytes)} bytes (size limit); see the JSON report\n`;
  const room = maxBytes - utf8Bytes(note);
  if (room <= 0) return truncateUtf8(text, maxBytes);
  const cut = truncateUtf8(text, room);
  const nl = cut.lastIndexOf('\n');
  return (nl > 0 ? cut.slice(0, nl) : cut) + note;
}

function renderMarkdown(report, opts = {}) {
  const maxBytes = Math.max(0, Math.floor(opts.maxBytes ?? DEFAULT_MAX_BYTES));
  const pathPrefix = normalizePrefix(opts.pathPrefix);
  const link = makeLinker(opts);
  const head = renderHead(report, pathPrefix);

  // Failing and warning checks first (open), then the others' notes and details (folded).
  const sections = report.checks
    .filter((c) => c.findings.length > 0 || (c.notes?.length ?? 0) > 0 || present(c.details) || (c.suppressed?.length ?? 0) > 0)
    .map((c) => buildSection(report, c, link, pathPrefix))
    .sort((a, b) => Number(b.openView) - Number(a.openView));

  const fixed =
    utf8Bytes(head) +
    sections.reduce(
      (n, s) => n + utf8Bytes(s.open) + utf8Bytes(s.notes) + utf8Bytes(s.suppressed) + utf8Bytes(s.close) + SECTION_NOTE_RESERVE,
      0,
    ) +
    FOOTER_RESERVE;
  const budget = maxBytes - fixed;

  if (budget > 0) {
    // First each check gets its fair share; then what a check left unused goes, in report
    // order, to the checks that still have something to show.
    // No section can get more than the whole budget, so rendering past it is wasted work.
    for (const s of sections) renderUpTo(s, budget);
    const demands = sections.map((s) => s.renderedBytes + s.detailsBytes);
    const shares = fairShares(demands, budget);
    let used = 0;
    sections.forEach((s, i) => (used += fill(s, shares[i])));
    for (const s of sections) used += fill(s, budget - used);
  }

  let cutFindings = 0;
  let cutDetails = 0;
  for (const s of sections) {
    cutFindings += s.findings.length - s.shown;
    if (s.details && !s.withDetails) cutDetails++;
  }
  let footer = '';
  if (cutFindings > 0 || cutDetails > 0) {
    const what = [cutFindings ? plural(cutFindings, 'finding') : '', cutDetails ? plural(cutDetails, 'details section') : '']
      .filter(Boolean)
      .join(' and ');
    footer =
      `---\n\nThis summary was cut to stay under GitHub's step-summary size limit: ${what} not shown. ` +
      'The JSON report (`--format json`, the `report-file` output) holds every finding.\n';
  }

  const out = head + sections.map(renderSection).join('') + footer;
  return utf8Bytes(out) <= maxBytes ? out : hardCut(out, maxBytes);
}

// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, one rule
// per check id plus one per secret rule (and per security rule of mod-verify) that has findings,
// one result per finding that has a real file to point at.
//
// What code scanning does with it, and why each part is shaped so:
// - Alerts are matched across commits by `partialFingerprints`: ours hash what the finding is
//   about (check, rule, file, module, target, commit), never its line or wording, so an edit above
//   it or a new Go version in the message keeps the alert. `primaryLocationLineHash` is left to
//   upload-sarif, which computes it from the checkout.
// - Rules tagged `security` with a `security-severity` become security alerts (committed secrets,
//   a checksum mismatch: a tampered dependency).
// - Every result needs a location with a region; a finding with no file is not pinned to a go.mod
//   that may not exist: it goes on its module's go.mod when it names a module, else it stays out
//   of the results and a notification says so.
// - A check that could not run is a tool execution notification (with `associatedRule`) and
//   makes `executionSuccessful` false.



















const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** go-preflight's home: `uses: go-preflight/go-preflight@v0` in the README. */
const DEFAULT_INFORMATION_URI = 'https://github.com/go-preflight/go-preflight';
/** Key of our partial fingerprint; the version changes whenever the hashed fields change. */
const FINGERPRINT_KEY = 'goPreflight/v2';
/** Code scanning's hard limit: a run with more results is rejected whole. */
const MAX_RESULTS = 25_000;
/** Findings without a location are listed one notification each up to this many, then counted. */
const MAX_UNLOCATED_NOTIFICATIONS = 100;

/** The README heading anchor of each check's section (`### \`id\` — question`); a test keeps them in step with the README. */
const README_ANCHORS = {
  toolchain: 'toolchain--is-the-running-go-the-one-this-repo-asks-for',
  'go-env': 'go-env--are-the-go-environment-variables-and-caches-sane',
  'mod-verify': 'mod-verify--do-gosum-and-the-module-cache-agree-with-what-was-published',
  'mod-tidy': 'mod-tidy--are-gomod-and-gosum-tidy-in-every-module',
  vendor: 'vendor--is-vendor-consistent-with-gomod',
  modules: 'modules--is-the-module-graph-buildable-here',
  'git-clean': 'git-clean--is-the-working-tree-clean',
  targets: 'targets--is-every-goosgoarch-one-this-go-supports',
  packages: 'packages--do-the-packages-load-for-every-target',
  cgo: 'cgo--is-there-a-working-c-toolchain-for-every-target-that-needs-one',
  secrets: 'secrets--are-there-credentials-committed-in-tracked-files',
};

/** How to fix what each check finds (the rule's `help`; each result's message holds its own fix too). */
const CHECK_HELP = {
  toolchain:
    'Run the Go the repository asks for: give actions/setup-go `go-version-file: go.mod` (or the same version as `go-version`), or change the `go`/`toolchain` line, `.go-version` or `.tool-versions` so that they agree. The finding names the file and line to change.',
  'go-env':
    'Correct or unset the variable the finding names (in the workflow `env:`, or `go env -w NAME=value` / `go env -u NAME`), and make GOCACHE and GOMODCACHE writable directories.',
  'mod-verify':
    'If go.sum disagrees with what was downloaded or with the checksum database, do not overwrite go.sum: find out why (a re-tagged or tampered dependency) first. A modified module cache is replaced with `go clean -modcache && go mod download`; missing go.sum entries are added by `go mod download` or `go mod tidy`.',
  'mod-tidy': 'Run `go mod tidy` in the module the finding names and commit go.mod and go.sum.',
  vendor: 'Run `go mod vendor` in the module the finding names and commit vendor/ (or remove vendor/ and stop vendoring).',
  modules:
    'Fix the go.mod or go.work line the finding names: create or correct the `replace` target or the `use` directory, make the module path match the repository, or raise the `go` line to what the dependency needs.',
  'git-clean':
    'Commit, delete or .gitignore the files the finding names; when an earlier step writes them, run go-preflight before that step or make the step write outside the repository.',
  targets: 'Correct or remove the GOOS/GOARCH pair in the `targets` input or config: `go tool dist list` prints the pairs this Go supports.',
  packages:
    'Fix the package the finding names: add the missing module (`go get`), the missing go.sum entry (`go mod download`), a Go file that builds for the target, or `func main` in package main.',
  cgo: 'Install the C toolchain for the target (CC or a cross compiler, and the pkg-config packages the finding names), or build that target with CGO_ENABLED=0.',
  secrets:
    'Revoke or rotate the credential where it was issued, then remove it from the git history (git filter-repo --replace-text, or BFG) and read it from a secret store. If it is not a secret, add a `preflight:allow` comment on its line or its fingerprint to .gitleaksignore.',
};

/** mod-verify rules that mean a dependency is not what was published: security alerts. */
const SECURITY_MOD_RULES = {
  'gosum-mismatch': { title: 'go.sum does not match the downloaded module', severity: '8.0' },
  'sumdb-mismatch': { title: 'go.sum does not match the checksum database', severity: '8.0' },
  'mod-cache-modified': { title: 'Module cache content was modified', severity: '7.0' },
};

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' };

/** `mod-tidy` -> `ModTidy`, `github-pat` -> `GithubPat` (SARIF rule names are identifier-like). */
function pascalCase(id) {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : ''))
    .join('');
}

/** A relative URI reference: forward slashes, each segment percent-encoded (spaces, `#`, `%`). */
function toUri(p) {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

let secretRuleInfo;
function secretRule(id) {
  secretRuleInfo ??= new Map(builtinRules().map((r) => [r.id, { title: r.title, tier: r.tier }]));
  return secretRuleInfo.get(id);
}

/**
 * The security severity of a secret rule (code scanning: 9.0+ critical, 7.0+ high, 4.0+ medium):
 * a provider key or a private key is critical; a credential in a config format high; a generic
 * or custom finding medium.
 */
function secretSeverity(ruleId) {
  const tier = secretRule(ruleId)?.tier;
  if (tier === 'provider' || tier === 'private-key') return '9.5';
  if (tier === 'credential') return '8.0';
  return '5.5';
}

/** The SARIF rule a finding belongs to: its check, or `check/rule` for secrets and security rules. */
function sarifRuleId(checkId, f) {
  const rule = present(f.ruleId);
  if (rule && checkId === 'secrets') return `secrets/${rule}`;
  if (rule && checkId === 'mod-verify' && rule in SECURITY_MOD_RULES) return `mod-verify/${rule}`;
  return checkId;
}

function checkRule(id, title, info) {
  const help = CHECK_HELP[id];
  return {
    id,
    // Not PascalCase(id): the Multitool's SARIF1001 wants a name that differs from the id beyond case.
    name: pascalCase(DEFAULT_TITLES[id]),
    shortDescription: { text: title },
    fullDescription: { text: CHECK_QUESTIONS[id] },
    help: { text: help, markdown: help },
    helpUri: `${info}#${README_ANCHORS[id]}`,
    properties: { tags: id === 'secrets' ? ['security', 'go'] : ['go'], ...(id === 'secrets' ? { 'security-severity': '8.0' } : {}) },
  };
}

function subRule(id, info) {
  const [checkId, rule] = id.split('/', 2) ;
  if (checkId === 'secrets') {
    const title = secretRule(rule)?.title ?? rule;
    return {
      id,
      name: pascalCase(`secret-${rule}`),
      shortDescription: { text: `Committed secret: ${title}` },
      fullDescription: { text: `A value that the ${rule} rule recognises as ${title} is committed. ${CHECK_QUESTIONS.secrets}` },
      help: { text: CHECK_HELP.secrets, markdown: CHECK_HELP.secrets },
      helpUri: `${info}#${README_ANCHORS.secrets}`,
      properties: { tags: ['security', 'secret'], 'security-severity': secretSeverity(rule) },
    };
  }
  const sec = SECURITY_MOD_RULES[rule];
  return {
    id,
    name: pascalCase(rule),
    shortDescription: { text: sec.title },
    fullDescription: { text: `${sec.title}: the dependency is not what was published (tampered, or re-tagged upstream). ${CHECK_QUESTIONS['mod-verify']}` },
    help: { text: CHECK_HELP['mod-verify'], markdown: CHECK_HELP['mod-verify'] },
    helpUri: `${info}#${README_ANCHORS['mod-verify']}`,
    properties: { tags: ['security', 'supply-chain'], 'security-severity': sec.severity },
  };
}

/**
 * What a finding is about, for its fingerprint: check, rule, file, module, target and commit;
 * never the line or the message, which change with unrelated edits and Go versions.
 */
function fingerprintKey(checkId, f) {
  return [checkId, f.ruleId ?? '', (f.file ?? '').replace(/\\/g, '/'), f.module ?? '', f.target ?? '', f.commit ?? ''].join('\0');
}

function hash(s) {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Fingerprints of a check's findings (in the given order). Findings about the same thing are
 * told apart by their rank among those (by line, then message): the second untidy require of a
 * go.mod stays the second when a line is added above both.
 */
function findingFingerprints(checkId, findings) {
  const keys = findings.map((f) => fingerprintKey(checkId, f));
  const groups = new Map();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const out = keys.map((k) => hash(k));
  for (const [k, idx] of groups) {
    if (idx.length < 2) continue;
    idx
      .sort((a, b) => (position(findings[a].line) ?? 0) - (position(findings[b].line) ?? 0) || (findings[a].message < findings[b].message ? -1 : findings[a].message > findings[b].message ? 1 : 0) || a - b)
      .forEach((i, rank) => {
        if (rank > 0) out[i] = hash(`${k}\0${rank}`);
      });
  }
  return out;
}

/**
 * The file a result points at: the finding's file when it is in the repository (a finding seen in
 * a commit is, at that commit), else its module's go.mod; undefined when neither (an untracked
 * file, an environment variable): such a finding becomes a notification.
 */
function locationFile(f, linkable) {
  const file = present(f.file)?.replace(/\\/g, '/');
  if (file && (!linkable || present(f.commit) || linkable(file))) return present(f.file);
  const mod = present(f.module)?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (mod === undefined) return undefined;
  const gomod = mod === '' || mod === '.' ? 'go.mod' : `${mod}/go.mod`;
  return !linkable || linkable(gomod) ? gomod : undefined;
}

function result(check, f, file, ruleId, ruleIndex, fingerprint, pathPrefix) {
  const hint = present(f.hint);
  const own = present(f.file) !== undefined;
  const line = own ? position(f.line) : undefined;
  const column = line ? position(f.column) : undefined;
  const endLine = line ? position(f.endLine) : undefined;
  const endColumn = endLine && column ? position(f.endColumn) : undefined;
  const region = { startLine: line ?? 1 };
  if (column) region.startColumn = column;
  if (endLine && endLine >= region.startLine) {
    region.endLine = endLine;
    // SARIF's endColumn is exclusive; ours is the last column (inclusive).
    if (endColumn && (endLine > region.startLine || endColumn >= (column ?? 1))) region.endColumn = endColumn + 1;
  }
  const properties = { check: check.id };
  const target = present(f.target);
  const module = present(f.module);
  const commit = present(f.commit);
  const rule = present(f.ruleId);
  if (rule) properties.subRule = rule;
  if (target) properties.target = target;
  if (module) properties.module = module;
  if (commit) properties.commit = commit;
  let text = f.message;
  if (commit) text += ` (in commit ${commit.slice(0, 12)})`;
  if (hint) text += `\nFix: ${hint}`;
  return {
    ruleId,
    ruleIndex,
    level: LEVEL[f.severity] ?? 'note',
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(prefixedPath(pathPrefix, file)), uriBaseId: '%SRCROOT%' },
          region,
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties,
  };
}

function toSarif(report, opts = {}) {
  const titles = new Map(report.checks.map((c) => [c.id, c.title] ));
  const info = present(opts.informationUri)?.replace(/\/+$/, '') ?? DEFAULT_INFORMATION_URI;

  






  const all = [];
  for (const check of report.checks) {
    const sorted = [...check.findings].sort(compareFindings);
    const fps = findingFingerprints(check.id, sorted);
    sorted.forEach((f, i) => all.push({ check, f, fingerprint: fps[i], ruleId: sarifRuleId(check.id, f), file: locationFile(f, opts.linkable) }));
  }
  const located = all.filter((x) => x.file !== undefined);
  const unlocated = all.filter((x) => x.file === undefined);

  // Over the limit, keep the most severe findings (then by check order), so that an upload is
  // never rejected and what is dropped is said in a notification.
  const maxResults = Math.max(0, Math.floor(opts.maxResults ?? MAX_RESULTS));
  let kept = located;
  if (located.length > maxResults) {
    const keep = new Set(
      located
        .map((x, i) => ({ rank: SEVERITY_RANK[x.f.severity] ?? 3, i }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .slice(0, maxResults)
        .map((x) => x.i),
    );
    kept = located.filter((_, i) => keep.has(i));
  }

  // Rules: every check, then the sub-rules that have results, sorted (stable indexes per run).
  const rules = CHECK_IDS.map((id) => checkRule(id, titles.get(id) || DEFAULT_TITLES[id], info));
  const subIds = [...new Set(kept.map((x) => x.ruleId).filter((id) => id.includes('/')))].sort();
  for (const id of subIds) rules.push(subRule(id, info));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i] ));

  const results = kept.map((x) => result(x.check, x.f, x.file, x.ruleId, ruleIndex.get(x.ruleId), x.fingerprint, opts.pathPrefix));

  const ref = (id) => ({ id, index: ruleIndex.get(id) });
  // A check that could not complete is not a finding about the code: SARIF records it as a tool
  // execution notification, which code scanning shows on the tool status page.
  const notifications = report.checks
    .filter((c) => c.status === 'error')
    .map((c) => ({
      level: 'error' ,
      message: { text: `go-preflight could not run check ${c.id}: ${reasonOf(c)}` },
      associatedRule: ref(c.id),
    }));
  unlocated.slice(0, MAX_UNLOCATED_NOTIFICATIONS).forEach((x) => {
    const hint = present(x.f.hint);
    notifications.push({
      level: LEVEL[x.f.severity] ?? 'note',
      message: {
        text: `${x.check.id}: ${x.f.message}${hint ? `\nFix: ${hint}` : ''}\n(Not a code scanning alert: this finding is about no file in the repository at this commit; the job summary and the JSON report hold it.)`,
      },
      associatedRule: ref(x.check.id),
    });
  });
  if (unlocated.length > MAX_UNLOCATED_NOTIFICATIONS) {
    notifications.push({
      level: 'warning',
      message: { text: `${formatNumber(unlocated.length - MAX_UNLOCATED_NOTIFICATIONS)} more findings about no file are not listed here; the JSON report holds every finding` },
    });
  }
  if (kept.length < located.length) {
    const cut = located.length - kept.length;
    notifications.push({
      level: 'warning',
      message: {
        text: `${formatNumber(cut)} of ${formatNumber(located.length)} findings are not in this file: code scanning accepts at most ${formatNumber(maxResults)} results per run; the JSON report holds every finding`,
      },
    });
  }

  const run = {
    tool: {
      driver: {
        name: 'go-preflight',
        ...(present(opts.toolVersion) ? { version: opts.toolVersion } : {}),
        informationUri: info,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: !report.checks.some((c) => c.status === 'error'),
        toolExecutionNotifications: notifications,
      },
    ],
    results,
    properties: { conclusion: report.conclusion, goVersion: report.go.version, targets: [...report.targets] },
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

function renderSarif(report, opts = {}) {
  return stringifyJson(toSarif(report, opts));
}

// Redaction belongs to the report layer: any check may quote what it read (a go.mod require
// path, a replace, a go.work `use`, `.go-version`, an import path, a GOPROXY value, a config
// value), and any of those may hold a pasted credential. `redactReport` runs every string of the
// report through the secret rules once, before any renderer sees it, and cuts each value they
// recognise to its redacted preview (at most the first 4 characters), as the secrets check does.
// URLs with userinfo (`https://user:token@host/...`) lose the password whatever the rules say.
// Both adapters (CLI and action) call it; the renderers stay pure functions of what they get.



/** The path the report's text is scanned as: neutral (not a test file, not a credential file). */
const SCAN_PATH = 'go-preflight-report.txt';
/**
 * Strings are scanned together, joined by newlines, up to this many characters (one scan per
 * string would cost seconds on a report of 100k findings); a batch that reaches the engine's
 * per-file cap of findings is rescanned one string at a time.
 */
const BATCH_CHARS = 256 * 1024;
/** Shorter strings cannot hold a value any rule recognises (ids, statuses, severities). */
const MIN_SCAN_LENGTH = 8;

/**
 * `scheme://user:password@` -> `scheme://user:***@`; a long userinfo without a password (a
 * token used as the user name, `https://<token>@host`) keeps only its preview.
 */
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/)([^\s/@:?#'"`<>]*)(?::([^\s/@?#'"`<>]*))?@(?=[^\s/@]*[a-zA-Z0-9])/g;

function redactUserinfo(s) {
  if (!s.includes('@') || !s.includes('://')) return s;
  return s.replace(URL_USERINFO, (whole, scheme, user, password) => {
    if (password !== undefined) return password === '' ? whole : `${scheme}${user}:***@`;
    return user.length >= 16 ? `${scheme}${redactedPreview(user)}@` : whole;
  });
}

/** The secret values the rules recognise in these strings. */
function findSecrets(texts, out) {
  const collect = (text) => {
    let n = 0;
    for (const f of scanText(SCAN_PATH, text)) {
      n++;
      if (f.secret && f.secret.length >= 4) out.add(f.secret);
    }
    return n;
  };
  let batch = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    if (collect(batch.join('\n')) >= MAX_FINDINGS_PER_FILE && batch.length > 1) for (const t of batch) collect(t);
    batch = [];
    size = 0;
  };
  for (const t of texts) {
    if (t.length < MIN_SCAN_LENGTH) continue;
    if (size + t.length > BATCH_CHARS) flush();
    batch.push(t);
    size += t.length + 1;
  }
  flush();
}

/** Replace each secret (and each line of a multi-line one) by its preview, longest first. */
function makeReplacer(secrets) {
  const pieces = new Map();
  for (const secret of secrets) {
    pieces.set(secret, redactedPreview(secret));
    for (const p of maskPieces(secret)) if (!pieces.has(p)) pieces.set(p, redactedPreview(p));
  }
  const ordered = [...pieces.entries()].sort((a, b) => b[0].length - a[0].length);
  return (s) => {
    let out = s;
    for (const [value, preview] of ordered) if (out.includes(value)) out = out.split(value).join(preview);
    return redactUserinfo(out);
  };
}

/** Every string in a JSON-like value, depth first. */
function collectStrings(v, out) {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

function mapStrings(v, f) {
  if (typeof v === 'string') return f(v) ;
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f)) ;
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, f);
    return out ;
  }
  return v;
}

/**
 * A copy of `text` with every value the secret rules recognise cut to its preview and URL
 * passwords replaced by `***`. For single lines outside a report (log lines, error messages).
 */
function redactText(text) {
  const secrets = new Set();
  findSecrets([text], secrets);
  return makeReplacer(secrets)(text);
}

/**
 * A copy of the report in which no string (message, hint, details, note, skip reason,
 * suppression, file name, directory...) holds a value the secret rules recognise. The report's
 * shape and every non-string field are kept; the input is not changed.
 */
function redactReport(report) {
  const strings = new Set();
  collectStrings(report, strings);
  const secrets = new Set();
  findSecrets([...strings], secrets);
  const replace = makeReplacer(secrets);
  const cache = new Map();
  return mapStrings(report, (s) => {
    let r = cache.get(s);
    if (r === undefined) cache.set(s, (r = replace(s)));
    return r;
  });
}

/** Without `verbose`, a check shows this many findings and says how many more there are. */
const FINDINGS_PER_CHECK = 50;

const STATUS_WORD = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };
const STATUS_ICON = { pass: '✔', warn: '▲', fail: '✖', skip: '○', error: '✖' };

const CONCLUSION_ICON = { success: '✔', warning: '▲', failure: '✖' };



const RED = '31';
const GREEN = '32';
const YELLOW = '33';
const CYAN = '36';
const DIM = '2';
const BOLD = '1';

const STATUS_COLOR = { pass: GREEN, warn: YELLOW, fail: RED, skip: DIM, error: RED };
const SEVERITY_COLOR = { error: RED, warning: YELLOW, notice: CYAN };
const CONCLUSION_COLOR = { success: GREEN, warning: YELLOW, failure: RED };

/**
 * Finding text comes from files and tools: drop terminal escape sequences and other control
 * characters so it can neither colour nor rewrite the terminal, and split it into lines.
 */
function cleanLines(s) {
  return s
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '\uFFFD')
    .split('\n');
}

function oneLine(s) {
  return cleanLines(s).join(' ');
}

function statusLine(report, c, paint) {
  const word = `${STATUS_ICON[c.status] ?? '?'} ${(STATUS_WORD[c.status] ?? String(c.status)).padEnd(5)}`;
  const parts = [paint(STATUS_COLOR[c.status] ?? '', word), `${paint(BOLD, oneLine(c.title))} (${oneLine(c.id)})`];
  const ran = !(c.status === 'skip' && c.durationMs === 0);
  if (ran) parts.push(paint(DIM, formatDuration(c.durationMs)));
  const counts = formatCounts(countBySeverity(c.findings));
  if (counts) parts.push(counts);
  const clean = cleanModulesNote(report, c);
  if (clean) parts.push(paint(DIM, clean));
  if (hasReason(c.status)) parts.push(`${c.status === 'error' ? 'could not complete: ' : ''}${oneLine(reasonOf(c))}`);
  return parts.join('  ');
}

function findingLines(f, paint, indent = '') {
  const sev = (['error', 'warning', 'notice'] ).includes(f.severity) ? f.severity : 'notice';
  const head = [paint(SEVERITY_COLOR[sev], sev.padEnd(7))];
  if (f.downgraded) head.push(paint(RED, '(would fail)'));
  const loc = formatLocation(f);
  if (loc) head.push(oneLine(loc));
  const commit = present(f.commit);
  if (commit) head.push(`@${oneLine(commit.slice(0, 7))}`);
  const target = present(f.target);
  if (target) head.push(`[${oneLine(target)}]`);
  const [first = '', ...rest] = cleanLines(f.message);
  head.push(first);
  // Continuation lines sit under the message, never at column 0.
  const pad = `           ${indent}`;
  const out = [`    ${indent}${head.join('  ')}`, ...rest.map((l) => `    ${pad}${l}`)];
  const hint = present(f.hint);
  if (hint) {
    const [h0 = '', ...hr] = cleanLines(hint);
    out.push(`    ${pad}${paint(DIM, `hint: ${h0}`)}`, ...hr.map((l) => `    ${pad}      ${paint(DIM, l)}`));
  }
  return out;
}

function closingLine(report, paint) {
  const n = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of report.checks) n[c.status] = (n[c.status] ?? 0) + 1;
  const statuses = [
    n.fail ? `${formatNumber(n.fail)} failed` : '',
    n.error ? `${formatNumber(n.error)} could not run` : '',
    n.warn ? `${formatNumber(n.warn)} warned` : '',
    n.pass ? `${formatNumber(n.pass)} passed` : '',
    n.skip ? `${formatNumber(n.skip)} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const c = countAll(report.checks);
  const counts = `${formatNumber(c.error)} error${c.error === 1 ? '' : 's'}, ${formatNumber(c.warning)} warning${c.warning === 1 ? '' : 's'}, ${formatNumber(c.notice)} notice${c.notice === 1 ? '' : 's'}`;
  const word = `${CONCLUSION_ICON[report.conclusion] ?? '?'} ${report.conclusion}`;
  return `${paint(BOLD, paint(CONCLUSION_COLOR[report.conclusion] ?? '', word))}: ${statuses || 'no checks'} · ${counts} · ${formatDuration(report.durationMs)}`;
}

function renderText(report, opts = {}) {
  const paint = opts.color ? (code, s) => (code && s ? `\x1b[${code}m${s}\x1b[0m` : s) : (_code, s) => s;
  const lines = [];
  lines.push(
    oneLine(`go-preflight: Go ${report.go.version || 'unknown'} (${report.go.goos}/${report.go.goarch}), targets ${report.targets.join(', ') || 'none'}`),
  );
  if (opts.verbose) lines.push(oneLine(`directory: ${report.dir}`));
  lines.push('');
  for (const c of report.checks) {
    lines.push(statusLine(report, c, paint));
    // Over many modules, findings are grouped under their module ("module svc/a: 2 errors").
    const grouped = groupedModules(c.findings);
    const findings = [...c.findings].sort(grouped ? compareByModule : compareFindings);
    const shown = opts.verbose ? findings : findings.slice(0, FINDINGS_PER_CHECK);
    shown.forEach((f, i) => {
      if (grouped && (i === 0 || moduleOf(f) !== moduleOf(shown[i - 1]))) {
        const m = moduleOf(f);
        const inModule = c.findings.filter((x) => moduleOf(x) === m);
        lines.push(`    ${paint(BOLD, m === undefined ? 'not about one module' : `module ${oneLine(m)}`)}: ${formatCounts(countBySeverity(inModule))}`);
      }
      lines.push(...findingLines(f, paint, grouped ? '  ' : ''));
    });
    const others = otherModulesNote(report, c, grouped);
    if (others) lines.push(`    ${paint(DIM, others)}`);
    const more = findings.length - shown.length;
    if (more > 0) {
      lines.push(`    … ${formatNumber(more)} more finding${more === 1 ? '' : 's'} of ${c.id} not shown (verbose output and --format json show all)`);
    }
    for (const note of c.notes ?? []) {
      const [n0 = '', ...nr] = cleanLines(note);
      lines.push(`    ${paint(DIM, `note: ${n0}`)}`, ...nr.map((l) => `          ${paint(DIM, l)}`));
    }
    const details = present(c.details);
    if (opts.verbose && details) {
      for (const l of cleanLines(details.replace(/\s+$/, ''))) lines.push(`      ${l}`);
    }
  }
  lines.push('', closingLine(report, paint));
  return `${lines.map(defuseLogLine).join('\n')}\n`;
}

/** go-preflight's version (kept equal to package.json's by a test). */
const VERSION = '0.1.0';

export { ALL_CHECKS as A, SEVERITIES$1 as S, VERSION as V, redactReport as a, redactText as b, readReports as c, renderText as d, renderSarif as e, renderMarkdown as f, renderJson as g, describeIoError as h, exitOnSignals as i, reasonOf as j, present as k, compareByLocation as l, mergeReports as m, formatNumber as n, truncateUtf8 as o, parseShard as p, prefixedPath as q, runPreflight as r, position as s, truncateChars as t, utf8Bytes as u, runProcess as v, runGit$1 as w, expandGlob as x, findGitRoot as y };
//# sourceMappingURL=version-D2cXIUEz.js.map
