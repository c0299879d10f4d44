// Secret scan over history: `go-preflight --checks secrets --history` against `gitleaks git` on the
// same clone. The module proxy serves no git history, so the harness builds one: the successive
// released versions of a real module, committed as commits (each release's changes split into
// commits of a few files, as a team would have made them), with planted secrets added in some
// commits and deleted a few commits later, and one on a branch that is never merged. The
// repository is built at run time in the work directory and deleted after: the planted values are
// never printed or stored (only counts and file names).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAMILIES } from './planted.mjs';
import { errorMessage, hasGnuTime, log, must, run, summarize, tail } from './util.mjs';
import { git } from './corpora.mjs';

/** The module whose releases become the history (pinned list of candidates; the first that downloads). */
export const HISTORY_MODULES = ['github.com/prometheus/client_golang', 'github.com/sirupsen/logrus'];
const MAX_COMMITS = 1000;
const FILES_PER_COMMIT = 1;
/** Plant one secret every this many commits; delete it this many commits later. */
const PLANT_EVERY = 37;
const DELETE_AFTER = 3;

function listFiles(root) {
  const out = new Map();
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile()) out.set(r, p);
    }
  };
  walk(root, '');
  return out;
}

function hashFile(p) {
  return createHash('sha1').update(readFileSync(p)).digest('hex');
}

async function downloadVersions(module, env) {
  const versions = (await must('go', ['list', '-m', '-versions', module], { env, timeoutMs: 120_000 })).trim().split(/\s+/).slice(1);
  const dirs = [];
  for (const v of versions) {
    const r = await run('go', ['mod', 'download', '-json', `${module}@${v}`], { env, measureRss: false, timeoutMs: 300_000 });
    if (r.code !== 0) continue;
    try {
      const info = JSON.parse(r.stdout);
      if (info.Dir && existsSync(info.Dir)) dirs.push({ version: v, dir: info.Dir });
    } catch {
      /* skip this version */
    }
  }
  return dirs;
}

/**
 * Builds the history repository in `dir`. Returns { module, versions, commits, planted: [{ file,
 * family, branch }] } (file names and families only: never the values).
 */
export async function buildHistoryRepo(dir, env = process.env) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let module;
  let releases = [];
  for (const m of HISTORY_MODULES) {
    try {
      releases = await downloadVersions(m, env);
    } catch (e) {
      log(`history: ${m}: ${errorMessage(e)}`);
    }
    if (releases.length >= 10) {
      module = m;
      break;
    }
  }
  if (!module) throw new Error('no module with enough released versions could be downloaded');
  log(`history: ${module}, ${releases.length} releases`);
  await git(dir, ['init', '-q', '-b', 'main']);
  let prev = new Map(); // rel -> hash
  let commits = 0;
  const planted = [];
  const pendingDeletes = [];
  const families = Object.keys(FAMILIES).filter((f) => f !== 'private-key-pem');
  const commitNow = async (msg) => {
    await git(dir, ['add', '-A', '-f']);
    await git(dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', msg]);
    commits++;
    // Planting: add a secret file every PLANT_EVERY commits, delete it DELETE_AFTER commits later.
    if (commits % PLANT_EVERY === 0) {
      const family = families[planted.length % families.length];
      const { file, content } = FAMILIES[family](planted.length);
      const rel = `planted/${planted.length}/${file}`;
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
      planted.push({ file: rel, family, branch: 'main' });
      pendingDeletes.push({ rel, at: commits + DELETE_AFTER });
      await git(dir, ['add', '-A', '-f']);
      await git(dir, ['commit', '-q', '--no-verify', '-m', `add ${path.basename(rel)}`]);
      commits++;
    }
    for (const d of pendingDeletes.filter((x) => x.at <= commits)) {
      rmSync(path.join(dir, d.rel), { force: true });
      pendingDeletes.splice(pendingDeletes.indexOf(d), 1);
    }
  };
  for (const { version, dir: src } of releases) {
    if (commits >= MAX_COMMITS) break;
    const files = listFiles(src);
    const next = new Map();
    for (const [rel, p] of files) next.set(rel, hashFile(p));
    const changed = [...next.keys()].filter((rel) => prev.get(rel) !== next.get(rel)).sort();
    const removed = [...prev.keys()].filter((rel) => !next.has(rel));
    for (const rel of removed) rmSync(path.join(dir, rel), { force: true });
    for (let i = 0; i < changed.length || (i === 0 && removed.length); i += FILES_PER_COMMIT) {
      for (const rel of changed.slice(i, i + FILES_PER_COMMIT)) {
        const to = path.join(dir, rel);
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, readFileSync(files.get(rel)), { mode: 0o644 });
      }
      await commitNow(`${version}: ${changed.slice(i, i + FILES_PER_COMMIT).join(', ') || 'remove files'}`);
      if (commits >= MAX_COMMITS) break;
    }
    prev = next;
  }
  // One secret on a branch that is never merged: only a scan of every ref sees it.
  await git(dir, ['checkout', '-q', '-b', 'experiment']);
  const { file, content } = FAMILIES['github-classic-token'](999);
  const rel = `planted/branch/${file}`;
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
  planted.push({ file: rel, family: 'github-classic-token', branch: 'experiment' });
  await git(dir, ['add', '-A', '-f']);
  await git(dir, ['commit', '-q', '--no-verify', '-m', 'experiment']);
  await git(dir, ['checkout', '-q', 'main']);
  // A clone is packed: so is this repository.
  await git(dir, ['gc', '-q']);
  const count = Number((await must('git', ['rev-list', '--count', '--all'], { cwd: dir })).trim());
  return { module, versions: releases.length, commits: count, planted };
}

/**
 * Runs a command timed: wall time, and with GNU time the CPU seconds (user + sys, children
 * included: on a shared machine the fairer figure) and the peak RSS.
 */
async function timed(cmd, args, opts, scratch) {
  if (!hasGnuTime()) return run(cmd, args, opts);
  const f = path.join(scratch, `cpu-${process.pid}-${Date.now()}.txt`);
  const r = await run('/usr/bin/time', ['-f', '%U %S %M', '-o', f, cmd, ...args], { ...opts, measureRss: false });
  try {
    const [u, sy, m] = readFileSync(f, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
    if (Number.isFinite(u) && Number.isFinite(sy)) r.cpuMs = (u + sy) * 1000;
    if (Number.isFinite(m)) r.maxRssKb = m;
  } catch {
    /* no figure */
  }
  rmSync(f, { force: true });
  return r;
}

/** Files with findings, from our JSON report. */
function oursFiles(report) {
  const c = report?.checks?.find((x) => x.id === 'secrets');
  return { status: c?.status, findings: (c?.findings ?? []).filter((f) => f.file && f.ruleId !== 'gitleaks-config' && f.line), skipReason: c?.skipReason };
}

export async function measureHistory(ctx) {
  const dir = path.join(ctx.opts.workdir, 'history-repo');
  const t0 = Date.now();
  const built = await buildHistoryRepo(dir, ctx.env);
  const buildMs = Date.now() - t0;
  log(`history: ${built.commits} commits (${built.versions} releases of ${built.module}), ${built.planted.length} planted secrets, built in ${(buildMs / 1000).toFixed(0)} s`);
  const out = { module: built.module, versions: built.versions, commits: built.commits, planted: built.planted.length, runs: [] };
  try {
    const ours = [];
    const theirs = [];
    let oursLast;
    let theirsLast;
    const reportFile = path.join(ctx.scratch, 'gitleaks-history.json');
    const runs = Math.max(1, Math.min(ctx.opts.runs, 5));
    for (let i = 0; i < runs; i++) {
      if (!ctx.cli.na) {
        const r = await timed(process.execPath, [ctx.cli.pathAbs, '--checks', 'secrets', '--history', '--format', 'json', '.'], { cwd: dir, env: ctx.env, timeoutMs: 30 * 60_000 }, ctx.scratch);
        if (r.error || (r.code !== 0 && r.code !== 1)) {
          out.oursNa = `go-preflight failed (${r.error ?? `exit ${r.code}`}: ${tail(r.stderr, 1)})`;
        } else {
          ours.push({ ms: r.ms, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb });
          oursLast = JSON.parse(r.stdout);
        }
      }
      if (!ctx.gitleaks.na) {
        rmSync(reportFile, { force: true });
        const r = await timed(ctx.gitleaks.bin, ['git', '--no-banner', '--redact', '--report-format', 'json', '--report-path', reportFile, '--exit-code', '0', '--log-level', 'error', '.'], {
          cwd: dir,
          env: ctx.env,
          timeoutMs: 30 * 60_000,
        }, ctx.scratch);
        if (r.error || r.code !== 0) out.gitleaksNa = `gitleaks git failed (${r.error ?? `exit ${r.code}`}: ${tail(r.stderr, 1)})`;
        else {
          theirs.push({ ms: r.ms, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb });
          // --redact: the report holds no secret; read only file, commit, line and rule.
          theirsLast = JSON.parse(readFileSync(reportFile, 'utf8')).map((f) => ({ file: f.File, commit: f.Commit, line: f.StartLine, rule: f.RuleID }));
          rmSync(reportFile, { force: true });
        }
      }
    }
    const cpu = (xs) => (xs.every((x) => x.cpuMs !== undefined) ? summarize(xs.map((x) => x.cpuMs)) : undefined);
    out.ours = ours.length ? { ...summarize(ours.map((x) => x.ms)), cpu: cpu(ours), maxRssKb: Math.max(...ours.map((x) => x.maxRssKb ?? 0)) || undefined } : { na: out.oursNa ?? 'not run' };
    out.gitleaks = theirs.length
      ? { ...summarize(theirs.map((x) => x.ms)), cpu: cpu(theirs), maxRssKb: Math.max(...theirs.map((x) => x.maxRssKb ?? 0)) || undefined, version: ctx.gitleaks.version }
      : { na: out.gitleaksNa ?? ctx.gitleaks.na ?? 'not run' };
    const os = (await import('node:os')).default;
    out.loadAvg = os.loadavg().map((x) => Math.round(x * 10) / 10);
    out.cpus = os.cpus().length;
    if (oursLast) {
      const o = oursFiles(oursLast);
      const files = new Set(o.findings.map((f) => f.file));
      out.oursFindings = o.findings.length;
      out.oursErrors = o.findings.filter((f) => f.severity === 'error').length;
      out.oursInCommits = o.findings.filter((f) => f.commit).length;
      out.oursPlantedFound = built.planted.filter((p) => files.has(p.file)).length;
      if (theirsLast) {
        const theirFiles = new Set(theirsLast.map((f) => f.file));
        out.gitleaksFindings = theirsLast.length;
        out.gitleaksFiles = theirFiles.size;
        out.gitleaksPlantedFound = built.planted.filter((p) => theirFiles.has(p.file)).length;
        const missed = [...theirFiles].filter((f) => !files.has(f)).sort();
        out.oursFiles = files.size;
        out.gitleaksFilesWeMiss = missed.length;
        out.gitleaksFilesWeMissList = missed.slice(0, 20).map((f) => `${f} (${[...new Set(theirsLast.filter((x) => x.file === f).map((x) => x.rule))].join(', ')})`);
        out.filesOnlyOurs = [...files].filter((f) => !theirFiles.has(f)).length;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const s = (st) => (st?.na ? `n/a (${st.na})` : st ? `${(st.median / 1000).toFixed(2)} s [${(st.min / 1000).toFixed(2)}–${(st.max / 1000).toFixed(2)}] n=${st.n}` : 'n/a');

/** The `## Secret scan over history` section of RESULTS.md. */
export function renderHistorySection(h) {
  if (!h) return '';
  const lines = ['', '## Secret scan over history', ''];
  if (h.na) return [...lines, `n/a (${h.na})`, ''].join('\n');
  const ratio = h.ours?.median && h.gitleaks?.median ? h.ours.median / h.gitleaks.median : undefined;
  lines.push(
    `A git repository built at run time from ${h.versions} released versions of \`${h.module}\` (each release's changes committed ${FILES_PER_COMMIT === 1 ? 'one file' : `${FILES_PER_COMMIT} files`} at a time, then packed: ${h.commits} commits), with ${h.planted} planted secrets: each added in one commit and deleted ${DELETE_AFTER} commits later, one on a branch that is never merged. \`go-preflight --checks secrets --history\` (every commit reachable from any ref) against \`gitleaks git\` (${h.gitleaks?.version ?? 'gitleaks'}, default rules, \`--redact\`) on the same clone. Wall time, median [min–max] of n runs, whole processes.`,
    '',
    '| | go-preflight --history | gitleaks git |',
    '|---|---|---|',
    `| wall time | ${s(h.ours)} | ${s(h.gitleaks)} |`,
    `| CPU time (user + sys, git children included) | ${s(h.ours?.cpu)} | ${s(h.gitleaks?.cpu)} |`,
    `| peak RSS | ${h.ours?.maxRssKb ? `${Math.round(h.ours.maxRssKb / 1024)} MiB` : 'n/a'} | ${h.gitleaks?.maxRssKb ? `${Math.round(h.gitleaks.maxRssKb / 1024)} MiB` : 'n/a'} |`,
    `| planted secrets found | ${h.oursPlantedFound ?? 'n/a'} / ${h.planted} | ${h.gitleaksPlantedFound ?? 'n/a'} / ${h.planted} |`,
    `| findings (go-preflight: one per secret and file; gitleaks: one per commit line) | ${h.oursFindings ?? 'n/a'} (${h.oursErrors ?? 'n/a'} errors, ${h.oursInCommits ?? 'n/a'} only in commits) | ${h.gitleaksFindings ?? 'n/a'} |`,
    `| files with a finding | ${h.oursFiles ?? 'n/a'} | ${h.gitleaksFiles ?? 'n/a'} |`,
    '',
    ratio !== undefined
      ? `go-preflight / gitleaks: **${ratio.toFixed(2)}×** the wall time${h.ours?.cpu && h.gitleaks?.cpu ? `, ${(h.ours.cpu.median / h.gitleaks.cpu.median).toFixed(2)}× the CPU time` : ''} (goal: at most 0.5× the time)${h.loadAvg ? `; load average at the end ${h.loadAvg.join(', ')} on ${h.cpus ?? 'this machine\'s'} cores, so the wall times are inflated` : ''}.`
      : 'No ratio: one side could not be measured.',
    h.gitleaksFilesWeMiss !== undefined
      ? `Files gitleaks flags that go-preflight does not: ${h.gitleaksFilesWeMiss}${h.gitleaksFilesWeMiss ? ` (${h.gitleaksFilesWeMissList.join('; ')})` : ''}; files only go-preflight flags: ${h.filesOnlyOurs}.`
      : '',
    '',
  );
  return lines.join('\n');
}
