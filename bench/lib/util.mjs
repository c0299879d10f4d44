// Process running, timing, peak memory and statistics for the benchmark harness.
// Plain ESM, no dependencies: the harness runs with `node bench/run.mjs` and no build step.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync, openSync, readSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));

let redactor = (s) => s;
/** Everything the harness prints or writes goes through this (see makeRedactor). */
export function setRedactor(fn) {
  redactor = fn;
}
export function redact(s) {
  return redactor(String(s));
}

export function log(msg) {
  process.stderr.write(redact(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`));
}

/**
 * Go's error messages quote the module proxy's URL and the checksum database's name; the harness
 * never writes those host names anywhere, so they are replaced by placeholders taken from
 * `go env GOPROXY GOSUMDB` at run time.
 */
export function makeRedactor({ GOPROXY = '', GOSUMDB = '', GOROOT = '' }, paths = {}) {
  const pairs = [];
  // Paths of the machine the bench ran on say nothing to a reader and are not committed.
  for (const [from, to] of [
    [paths.workdir, '<bench work dir>'],
    [paths.repo, '<go-preflight>'],
    [GOROOT, '$GOROOT'],
    [paths.home, '~'],
  ]) {
    if (from && from.length > 3) pairs.push([from, to]);
  }
  for (const entry of GOPROXY.split(/[,|]/)) {
    const e = entry.trim();
    if (!e || e === 'direct' || e === 'off') continue;
    try {
      const u = new URL(e);
      pairs.push([e.replace(/\/$/, ''), '$GOPROXY'], [u.host, '<GOPROXY host>']);
    } catch {
      // Not a URL (a malformed GOPROXY): nothing to hide.
    }
  }
  const [name, url] = GOSUMDB.trim().split(/\s+/);
  if (name && name !== 'off') {
    pairs.push([name.split('+')[0], '<GOSUMDB host>']);
    if (url) {
      try {
        pairs.push([new URL(url).host, '<GOSUMDB host>']);
      } catch {
        // idem
      }
    }
  }
  const sorted = pairs.filter(([from]) => from.length > 3).sort((a, b) => b[0].length - a[0].length);
  return (s) => sorted.reduce((t, [from, to]) => t.split(from).join(to), s);
}

export function errorMessage(e) {
  return e instanceof Error ? e.message : String(e);
}

/** Last `n` lines of a command's output, for a one-line reason in the results. */
export function tail(s, n = 3) {
  return String(s ?? '')
    .trim()
    .split('\n')
    .slice(-n)
    .join(' | ')
    .slice(0, 400);
}

// GNU time's -v report gives the peak resident set size of the child (the largest single process
// of the tree it waited for: Linux rusage keeps a max, not a sum). BSD/macOS time has no -v.
let gnuTime;
export function hasGnuTime() {
  // GP_BENCH_NO_GNU_TIME=1 forces the fallback (to test it, or where time -v misbehaves).
  if (process.env.GP_BENCH_NO_GNU_TIME) return false;
  if (gnuTime !== undefined) return gnuTime;
  gnuTime = false;
  if (!existsSync('/usr/bin/time')) return gnuTime;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gp-bench-time-'));
  try {
    const out = path.join(dir, 'time.txt');
    const r = spawnSync('/usr/bin/time', ['-v', '-o', out, process.execPath, '-e', ''], { stdio: 'ignore' });
    gnuTime = r.status === 0 && existsSync(out) && /Maximum resident set size/.test(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return gnuTime;
}

/** Parses GNU time's -v report: peak RSS in KiB, or undefined. */
export function parseGnuTime(text) {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

const RSS_PRELOAD = path.join(here, 'rss-preload.mjs');
let scratchDir;
function scratch() {
  if (!scratchDir) {
    scratchDir = mkdtempSync(path.join(os.tmpdir(), 'gp-bench-run-'));
    process.once('exit', cleanupScratch);
  }
  return scratchDir;
}
export function cleanupScratch() {
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
}
let seq = 0;

// Children run in their own process group (so a timeout can kill a whole `go` tree); they then
// miss the terminal's Ctrl-C, so the harness forwards it to the groups it started, and only those.
const active = new Set();
let signalsHooked = false;
function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      for (const pid of active) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      cleanupScratch();
      process.exit(130);
    });
  }
}

/**
 * Runs one process (argument array, no shell) and measures it.
 * Resolves (never rejects) with { ms, code, signal, timedOut, stdout, stderr, maxRssKb, rssSource, error }.
 * The process gets its own process group so that a timeout kills it and its children.
 */
export function run(cmd, args, opts = {}) {
  const { cwd, env = process.env, timeoutMs = 30 * 60_000, measureRss = true, keepStdout = true, maxStdoutBytes = 512 * 1024 * 1024 } = opts;
  let argv = [cmd, ...args];
  let childEnv = env;
  let rssFile;
  let rssSource;
  if (measureRss && hasGnuTime()) {
    rssFile = path.join(scratch(), `time-${++seq}.txt`);
    argv = ['/usr/bin/time', '-v', '-o', rssFile, cmd, ...args];
    rssSource = 'time -v';
  } else if (measureRss && cmd === process.execPath) {
    // No GNU time: a preload makes a node child write its own peak RSS at exit (node only, not its children).
    rssFile = path.join(scratch(), `rss-${++seq}.txt`);
    argv = [cmd, '--import', `file://${RSS_PRELOAD}`, ...args];
    childEnv = { ...env, GP_BENCH_RSS_FILE: rssFile };
    rssSource = 'node resourceUsage (node process only)';
  }
  return new Promise((resolve) => {
    const out = [];
    const err = [];
    let outBytes = 0;
    let timedOut = false;
    let settled = false;
    const t0 = performance.now();
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    } catch (e) {
      resolve({ ms: 0, code: null, signal: null, timedOut: false, stdout: '', stderr: '', error: errorMessage(e) });
      return;
    }
    if (child.pid !== undefined && process.platform !== 'win32') {
      hookSignals();
      active.add(child.pid);
    }
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (b) => {
      if (!keepStdout) return;
      outBytes += b.length;
      if (outBytes <= maxStdoutBytes) out.push(b);
    });
    child.stderr.on('data', (b) => err.push(b));
    const finish = (code, signal, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      active.delete(child.pid);
      const ms = performance.now() - t0;
      let maxRssKb;
      if (rssFile && existsSync(rssFile)) {
        const text = readFileSync(rssFile, 'utf8');
        maxRssKb = rssSource === 'time -v' ? parseGnuTime(text) : Number(text.trim()) || undefined;
        rmSync(rssFile, { force: true });
      }
      resolve({
        ms,
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        maxRssKb,
        rssSource: maxRssKb !== undefined ? rssSource : undefined,
        error: error ?? (timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : undefined),
      });
    };
    child.on('error', (e) => finish(null, null, errorMessage(e)));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** Runs a command without timing; throws with its stderr when it fails. For setup steps. */
export async function must(cmd, args, opts = {}) {
  const r = await run(cmd, args, { ...opts, measureRss: false });
  if (r.error || r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error ?? `exit ${r.code}`}): ${tail(r.stderr || r.stdout)}`);
  }
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** { n, median, min, max, values } of the defined numbers in xs, or undefined when there are none. */
export function summarize(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return undefined;
  return { n: v.length, median: median(v), min: Math.min(...v), max: Math.max(...v), values: v.map((x) => Math.round(x * 10) / 10) };
}

export function ratio(a, b) {
  if (!a || !b || !Number.isFinite(a.median ?? a) || !Number.isFinite(b.median ?? b)) return undefined;
  const x = (a.median ?? a) / (b.median ?? b);
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : undefined;
}

/**
 * Runs each of `fns` `runs` times, interleaved (A B A B ...) so that both sides see the same
 * machine state, and stops early once the round trips exceed `budgetMs` (at least one round).
 * Returns one array of results per function.
 */
export async function sampleInterleaved(fns, runs, budgetMs, label) {
  const results = fns.map(() => []);
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < fns.length; j++) results[j].push(await fns[j](i));
    const spent = performance.now() - t0;
    if (i + 1 < runs && spent > budgetMs) {
      log(`${label}: stopping after ${i + 1} of ${runs} runs (time budget ${Math.round(budgetMs / 1000)} s spent)`);
      break;
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Files

/** True when the first 8000 bytes hold a NUL byte (git's and most scanners' binary test). */
export function isBinaryFile(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(8000);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Total size in bytes of every regular file under dir (like `du -b`, without directories). */
export function dirBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += statSync(p).size;
    }
  };
  if (existsSync(dir)) walk(dir);
  return total;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function fmtMs(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 100_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(0)} s`;
}

/** "12.3 s [11.9–13.0]" for a summary of milliseconds. */
export function fmtStat(s, fmt = fmtMs) {
  if (!s) return 'n/a';
  if (s.n === 1) return fmt(s.median);
  return `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`;
}

export function fmtMiB(kb) {
  if (kb === undefined || kb === null || !Number.isFinite(kb)) return 'n/a';
  return `${(kb / 1024).toFixed(0)} MiB`;
}

export function fmtBytes(b) {
  if (b === undefined || !Number.isFinite(b)) return 'n/a';
  if (b < 1e6) return `${(b / 1e3).toFixed(1)} kB`;
  return `${(b / 1e6).toFixed(1)} MB`;
}

export function fmtRatio(x) {
  return x === undefined ? 'n/a' : `${x.toFixed(2)}×`;
}
