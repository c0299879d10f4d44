// gitleaks v8 for the secret-scan comparison: installed with `go install` into the bench work
// directory (never into the project), run on a directory with its JSON report in a temp file.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log, run, tail } from './util.mjs';

const MODULE = 'github.com/zricethezav/gitleaks/v8';
export const GITLEAKS_VERSION = 'v8.30.1';

/**
 * Installs gitleaks (the pinned version, else the newest v8 that installs) into `binDir`.
 * Returns { bin, version, mode } or { na: reason }; never throws.
 */
export async function installGitleaks(binDir) {
  const exe = path.join(binDir, process.platform === 'win32' ? 'gitleaks.exe' : 'gitleaks');
  const stamp = path.join(binDir, 'gitleaks.version');
  if (existsSync(exe) && existsSync(stamp)) return describe(exe, readFileSync(stamp, 'utf8').trim());
  mkdirSync(binDir, { recursive: true });
  const tried = [];
  for (const v of [GITLEAKS_VERSION, 'latest']) {
    log(`gitleaks: go install ${MODULE}@${v} (into ${binDir})`);
    const r = await run('go', ['install', `${MODULE}@${v}`], { env: { ...process.env, GOBIN: binDir }, measureRss: false, timeoutMs: 20 * 60_000 });
    if (!r.error && r.code === 0 && existsSync(exe)) {
      const version = v === 'latest' ? await installedVersion(exe) : v;
      writeFileSync(stamp, version);
      return describe(exe, version);
    }
    tried.push(`${v}: ${r.error ?? tail(r.stderr, 1)}`);
  }
  return { na: `gitleaks could not be installed (${tried.join('; ')})` };
}

async function installedVersion(exe) {
  const r = await run(exe, ['version'], { measureRss: false, timeoutMs: 60_000 });
  return r.stdout.trim() || 'unknown';
}

/** Which subcommand this version has: `dir` (v8.19+) or `detect --no-git`. */
async function describe(exe, version) {
  const r = await run(exe, ['dir', '--help'], { measureRss: false, timeoutMs: 60_000 });
  return { bin: exe, version, mode: r.code === 0 ? 'dir' : 'detect' };
}

/**
 * Scans `dir` with the default rules. Returns the timed run plus { findings: [{ file, rule }] }
 * (never the matched values) or { na } when the report cannot be read.
 */
export async function runGitleaks(gl, dir, reportFile) {
  rmSync(reportFile, { force: true });
  const common = ['--no-banner', '--report-format', 'json', '--report-path', reportFile, '--exit-code', '0', '--log-level', 'error'];
  // Scan "." from inside the corpus so that reported paths are corpus-relative.
  const args = gl.mode === 'dir' ? ['dir', '.', ...common] : ['detect', '--no-git', '--source', '.', ...common];
  const r = await run(gl.bin, args, { cwd: dir, timeoutMs: 30 * 60_000 });
  if (r.error || r.code !== 0) return { ...r, na: `gitleaks failed (${r.error ?? `exit ${r.code}`}: ${tail(r.stderr, 1)})` };
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch (e) {
    return { ...r, na: `gitleaks report unreadable (${e instanceof Error ? e.message : e})` };
  } finally {
    rmSync(reportFile, { force: true });
  }
  return { ...r, stdout: '', findings: report.map((f) => ({ file: f.File, rule: f.RuleID })) };
}
