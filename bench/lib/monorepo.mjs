// Monorepos: go-preflight on repositories of many modules, against the go commands of the slowest
// single module, and a curve of time against the module count.
//
// Corpora (prepared once in the bench work dir, each a git repository with every file committed):
// - `collector`: a real multi-module repository, OpenTelemetry's collector at one release. The
//   module proxy serves each of its modules separately; the release's modules are the
//   go.opentelemetry.io/collector/... modules of the build list of a few of its top modules
//   (otelcol, the OTLP receiver and exporters, the builder), each downloaded at that release and
//   laid out by module path into one tree, as the repository holds them (their go.mod files keep
//   the repository's `replace ../sibling` directives, which resolve in that layout).
// - `synthetic-N` (N = 10, 50, 100, 300): N small real modules in one tree, each requiring the
//   same five small public modules (as an aws-sdk-go-v2-like tree shares smithy-go): the curve's
//   points, and the 300 point, for which no real repository was at hand.
//
// Figures (one run each unless --runs says more; the machine is shared, so `uptime` load is
// recorded next to each figure and ratios are measured side by side, in one pass):
// - full preflight (all checks, default config) with its peak RSS (GNU time: the largest process);
// - per module, that module's own go commands one after another (`go mod download`, `go mod verify`,
//   `go mod tidy -diff`, `go list -deps ./...`): the slowest module's sum is the floor the issue sets
//   (the preflight within 2x of it), and the sum over all modules is the naive per-module checklist;
// - for the collector, the preflight split over 3 shards (`--shard I/3`), run one after another:
//   the time each job of a 3-job matrix would take.

import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitTree, moduleDirs, resetTree } from './corpora.mjs';
import { errorMessage, fmtMiB, fmtMs, fmtRatio, log, must, ratio, run, summarize } from './util.mjs';

const COLLECTOR = 'go.opentelemetry.io/collector';
const COLLECTOR_RELEASE = 'v0.165.0';
/** Top modules whose build lists hold the release's modules. */
const COLLECTOR_ROOTS = [
  'otelcol',
  'receiver/otlpreceiver',
  'exporter/otlpexporter',
  'exporter/otlphttpexporter',
  'exporter/debugexporter',
  'processor/batchprocessor',
  'processor/memorylimiterprocessor',
  'extension/zpagesextension',
  'connector/forwardconnector',
  'cmd/builder',
  'service',
  'exporter/nopexporter',
  'receiver/nopreceiver',
];
/** The shared dependencies of every synthetic module: small, real, public. */
/** Sorted by path, as `go mod tidy` writes them (the modules must be tidy). */
const SYNTHETIC_DEPS = [
  ['github.com/cespare/xxhash/v2', 'v2.3.0', 'xxhash.Sum64String("x")'],
  ['github.com/google/uuid', 'v1.6.0', 'uuid.New()'],
  ['github.com/pkg/errors', 'v0.9.1', 'errors.New("x")'],
  ['github.com/spf13/pflag', 'v1.0.5', 'pflag.NewFlagSet("x", pflag.ContinueOnError)'],
  ['golang.org/x/sync', 'v0.7.0', 'errgroup.Group{}', 'golang.org/x/sync/errgroup'],
];
/** Changes when the synthetic trees' recipe changes, so prepared trees are rebuilt. */
const SYNTHETIC_RECIPE = 'v2-sorted';
export const CURVE = [10, 50, 100, 300];

function makeWritable(dir) {
  const walk = (d) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) chmodSync(p, statSync(p).mode & 0o111 ? 0o755 : 0o644);
    }
  };
  walk(dir);
}

function loadAvg() {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

/** JSON objects of `go ... -json` output (a stream of objects). */
function jsonStream(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

async function prepared(root, name, fresh, build, recipe = '') {
  const dir = path.join(root, name);
  const meta = path.join(root, `${name}.json`);
  if (!fresh && existsSync(meta) && existsSync(path.join(dir, '.git')) && (JSON.parse(readFileSync(meta, 'utf8')).recipe ?? '') === recipe) {
    await resetTree(dir);
    log(`${name}: reusing ${dir}`);
    return { ...JSON.parse(readFileSync(meta, 'utf8')), dir };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const rec = await build(dir);
  await commitTree(dir, rec.source);
  const modules = moduleDirs(dir);
  for (const m of modules) {
    const r = await run('go', ['mod', 'download'], { cwd: path.join(dir, m), measureRss: false, timeoutMs: 20 * 60_000 });
    if (r.error || r.code !== 0) (rec.notes ??= []).push(`\`go mod download\` in ${m} failed: ${r.stderr.trim().split('\n')[0] || r.error}`);
  }
  await resetTree(dir);
  const out = { name, ...rec, recipe, modules, prepMs: Date.now() - t0 };
  writeFileSync(meta, JSON.stringify(out, null, 2));
  log(`${name}: ${modules.length} modules prepared in ${Math.round(out.prepMs / 1000)} s`);
  return { ...out, dir };
}

/** The collector's modules at one release, laid out by module path. */
async function buildCollector(dir, env) {
  const scratch = path.join(dir, '..', 'collector-scratch');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'go.mod'), 'module bench.example/collector-scratch\n\ngo 1.24\n');
  const roots = COLLECTOR_ROOTS.map((r) => `${COLLECTOR}/${r}@${COLLECTOR_RELEASE}`);
  log(`collector: resolving the build lists of ${roots.length} top modules at ${COLLECTOR_RELEASE}`);
  await must('go', ['get', ...roots], { cwd: scratch, env: { ...env, GOFLAGS: '-mod=mod' }, timeoutMs: 20 * 60_000 });
  const list = jsonStream(await must('go', ['list', '-m', '-json', 'all'], { cwd: scratch, env, timeoutMs: 10 * 60_000 }));
  const mods = list.filter((m) => (m.Path === COLLECTOR || m.Path.startsWith(`${COLLECTOR}/`)) && m.Version && !m.Main);
  log(`collector: downloading ${mods.length} modules`);
  const got = jsonStream(await must('go', ['mod', 'download', '-json', ...mods.map((m) => `${m.Path}@${m.Version}`)], { cwd: scratch, env, timeoutMs: 20 * 60_000 }));
  const versions = new Set();
  for (const g of got) {
    if (g.Error || !g.Dir) throw new Error(`${g.Path}@${g.Version}: ${g.Error ?? 'no Dir'}`);
    const rel = g.Path === COLLECTOR ? '.' : g.Path.slice(COLLECTOR.length + 1);
    cpSync(g.Dir, path.join(dir, rel), { recursive: true });
    versions.add(g.Version);
  }
  makeWritable(dir);
  rmSync(scratch, { recursive: true, force: true });
  return {
    source: `${COLLECTOR} modules at ${COLLECTOR_RELEASE} (${[...versions].sort().join(', ')})`,
    real: true,
    notes: [`${got.length} modules of the release (those in the build lists of ${COLLECTOR_ROOTS.join(', ')}), laid out by module path`],
  };
}

/** N small real modules sharing five public dependencies. */
async function buildSynthetic(dir, n, env, goSum) {
  const imports = SYNTHETIC_DEPS.map(([p, , , imp]) => `\t"${imp ?? p}"`).join('\n');
  const uses = SYNTHETIC_DEPS.map(([, , use]) => `\t_ = ${use}`).join('\n');
  const requires = SYNTHETIC_DEPS.map(([p, v]) => `\t${p} ${v}`).join('\n');
  for (let i = 0; i < n; i++) {
    const d = path.join(dir, 'service', `s${String(i).padStart(3, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'go.mod'), `module bench.example/mono/service/s${i}\n\ngo 1.22\n\nrequire (\n${requires}\n)\n`);
    writeFileSync(path.join(d, 'go.sum'), goSum);
    writeFileSync(path.join(d, 'main.go'), `package main\n\nimport (\n${imports}\n)\n\nfunc main() {\n${uses}\n}\n`);
  }
  return { source: `${n} synthetic modules`, real: false, notes: [`each requires ${SYNTHETIC_DEPS.map(([p, v]) => `${p}@${v}`).join(', ')}`] };
}

async function syntheticGoSum(root, env) {
  const scratch = path.join(root, 'synthetic-scratch');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const imports = SYNTHETIC_DEPS.map(([p, , , imp]) => `\t"${imp ?? p}"`).join('\n');
  const uses = SYNTHETIC_DEPS.map(([, , use]) => `\t_ = ${use}`).join('\n');
  const requires = SYNTHETIC_DEPS.map(([p, v]) => `\t${p} ${v}`).join('\n');
  writeFileSync(path.join(scratch, 'go.mod'), `module bench.example/scratch\n\ngo 1.22\n\nrequire (\n${requires}\n)\n`);
  writeFileSync(path.join(scratch, 'main.go'), `package main\n\nimport (\n${imports}\n)\n\nfunc main() {\n${uses}\n}\n`);
  await must('go', ['mod', 'tidy'], { cwd: scratch, env: { ...env, GOFLAGS: '-mod=mod' }, timeoutMs: 10 * 60_000 });
  const sum = readFileSync(path.join(scratch, 'go.sum'), 'utf8');
  const mod = readFileSync(path.join(scratch, 'go.mod'), 'utf8');
  rmSync(scratch, { recursive: true, force: true });
  if (/indirect/.test(mod)) throw new Error('the synthetic dependencies grew indirect requirements; update SYNTHETIC_DEPS');
  return sum;
}

/** Prepares the collector and the synthetic trees. */
export async function prepareMonorepos(root, { fresh, env, curve = CURVE }) {
  mkdirSync(root, { recursive: true });
  const out = {};
  try {
    out.collector = await prepared(root, 'collector', fresh, (dir) => buildCollector(dir, env));
  } catch (e) {
    log(`collector: n/a (${errorMessage(e)})`);
    out.collector = { name: 'collector', na: errorMessage(e) };
  }
  let goSum;
  for (const n of curve) {
    const name = `synthetic-${n}`;
    try {
      out[name] = await prepared(root, name, fresh, async (dir) => buildSynthetic(dir, n, env, (goSum ??= await syntheticGoSum(root, env))), SYNTHETIC_RECIPE);
    } catch (e) {
      log(`${name}: n/a (${errorMessage(e)})`);
      out[name] = { name, na: errorMessage(e) };
    }
  }
  return out;
}

/** One module's own go commands, one after another. */
async function moduleCommands(dir, env) {
  const steps = [
    ['mod', 'download'],
    ['mod', 'verify'],
    ['mod', 'tidy', '-diff'],
    ['list', '-deps', './...'],
  ];
  let ms = 0;
  let maxRssKb;
  for (const args of steps) {
    const r = await run('go', args, { cwd: dir, env, keepStdout: false, timeoutMs: 20 * 60_000 });
    ms += r.ms;
    if (r.maxRssKb !== undefined) maxRssKb = Math.max(maxRssKb ?? 0, r.maxRssKb);
  }
  return { ms, maxRssKb };
}

async function preflightRun(cliPath, dir, env, extra = []) {
  const r = await run(process.execPath, [cliPath, '--format', 'json', ...extra, dir], { env, timeoutMs: 60 * 60_000 });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return { ms: r.ms, maxRssKb: r.maxRssKb, na: `no JSON report (exit ${r.code}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''})` };
  }
  const checks = Object.fromEntries(report.checks.map((c) => [c.id, { status: c.status, ms: c.durationMs, findings: c.findings.length, ...(c.skipReason ? { reason: c.skipReason } : {}) }]));
  return { ms: r.ms, maxRssKb: r.maxRssKb, conclusion: report.conclusion, checks };
}

/**
 * Measures one corpus: full preflight, then every module's own go commands (every module, or
 * `sampleModules` of them for synthetic trees whose modules are identical), side by side.
 */
async function measureOne(corpus, cliPath, env, { runs, sampleModules, shards }) {
  const pf = [];
  const floor = [];
  let perModule;
  for (let i = 0; i < runs; i++) {
    await resetTree(corpus.dir);
    const load = loadAvg();
    pf.push({ ...(await preflightRun(cliPath, corpus.dir, env)), load });
    await resetTree(corpus.dir);
    const mods = sampleModules ? corpus.modules.slice(0, sampleModules) : corpus.modules;
    const times = [];
    for (const m of mods) times.push({ module: m, ...(await moduleCommands(path.join(corpus.dir, m), env)) });
    await resetTree(corpus.dir);
    const slowest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    floor.push({ ms: slowest.ms, module: slowest.module, sumMs: sampleModules ? undefined : times.reduce((a, b) => a + b.ms, 0), maxRssKb: Math.max(...times.map((t) => t.maxRssKb ?? 0)) || undefined, load: loadAvg() });
    perModule = times;
  }
  const res = {
    modules: corpus.modules.length,
    real: !!corpus.real,
    source: corpus.source,
    preflight: { time: summarize(pf.map((r) => r.ms)), rssKb: summarize(pf.map((r) => r.maxRssKb)), conclusion: pf[0]?.conclusion, checks: pf[0]?.checks, na: pf.find((r) => r.na)?.na, load: pf.map((r) => r.load) },
    floor: { time: summarize(floor.map((r) => r.ms)), module: floor[0]?.module, sampled: sampleModules ?? undefined, rssKb: summarize(floor.map((r) => r.maxRssKb)), load: floor.map((r) => r.load) },
    naiveSum: sampleModules ? undefined : summarize(floor.map((r) => r.sumMs)),
    slowestModules: perModule ? [...perModule].sort((a, b) => b.ms - a.ms).slice(0, 3).map((t) => ({ module: t.module, ms: Math.round(t.ms) })) : undefined,
  };
  res.ratio = ratio(res.preflight.time, res.floor.time);
  if (shards) {
    res.shards = [];
    for (let i = 1; i <= shards; i++) {
      await resetTree(corpus.dir);
      const load = loadAvg();
      const r = await preflightRun(cliPath, corpus.dir, env, ['--shard', `${i}/${shards}`]);
      res.shards.push({ shard: `${i}/${shards}`, ms: Math.round(r.ms), maxRssKb: r.maxRssKb, conclusion: r.conclusion, na: r.na, load });
    }
    await resetTree(corpus.dir);
  }
  log(`monorepo ${corpus.name}: preflight ${fmtMs(res.preflight.time?.median)}, slowest module's go commands ${fmtMs(res.floor.time?.median)} (${res.floor.module}), ratio ${res.ratio}`);
  return res;
}

/** All monorepo figures: { collector, curve: { 10: ..., 50: ... } }. */
export async function measureMonorepos({ root, fresh, env, cliPath, runs = 1, curve = CURVE }) {
  const corpora = await prepareMonorepos(root, { fresh, env, curve });
  const out = { release: COLLECTOR_RELEASE, curve: {}, machine: { cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30) } };
  const c = corpora.collector;
  if (c.na) out.collector = { na: c.na };
  else {
    try {
      out.collector = await measureOne(c, cliPath, env, { runs, shards: 3 });
    } catch (e) {
      out.collector = { na: `harness error: ${errorMessage(e)}` };
    }
  }
  for (const n of curve) {
    const s = corpora[`synthetic-${n}`];
    if (s.na) {
      out.curve[n] = { na: s.na };
      continue;
    }
    try {
      out.curve[n] = await measureOne(s, cliPath, env, { runs, sampleModules: 3 });
    } catch (e) {
      out.curve[n] = { na: `harness error: ${errorMessage(e)}` };
    }
  }
  return out;
}

const fmtLoad = (l) => (Array.isArray(l) && l.length ? l.map((x) => x.toFixed(2)).join(' ') : 'n/a');
const s = (stat) => (stat ? fmtMs(stat.median) : 'n/a');

/** The `## Monorepos` section of RESULTS.md. */
export function renderMonorepos(m) {
  if (!m) return '';
  const out = ['## Monorepos\n'];
  out.push(
    'Harness: `bench/lib/monorepo.mjs` (`npm run bench -- --only monorepo`). "Floor": the slowest single module\'s own go commands run one after another ' +
      '(`go mod download`, `go mod verify`, `go mod tidy -diff`, `go list -deps ./...`); the issue\'s goal is the full preflight (all checks, default config) within 2x of it. ' +
      `Peak RSS: the largest single process (GNU time). Load: \`uptime\` 1/5/15-min averages when the figure was taken (the machine, ${m.machine?.cores ?? '?'} cores, is shared by other jobs).\n`,
  );
  const row = (name, r) => {
    if (!r || r.na) return [name, '–', r?.na ? `n/a (${r.na})` : 'n/a', '', '', '', '', ''];
    return [
      name,
      String(r.modules),
      s(r.preflight.time),
      r.preflight.rssKb ? fmtMiB(r.preflight.rssKb.median) : 'n/a',
      `${s(r.floor.time)} (${r.floor.module}${r.floor.sampled ? `, slowest of ${r.floor.sampled} identical modules` : ''})`,
      r.naiveSum ? s(r.naiveSum) : '–',
      r.ratio !== undefined ? fmtRatio(r.ratio) : 'n/a',
      `${fmtLoad(r.preflight.load?.[0])}`,
    ];
  };
  out.push('| corpus | modules | full preflight | peak RSS | floor: slowest module\'s go commands | all modules\' go commands, one after another | preflight / floor | load at start |');
  out.push('|---|---|---|---|---|---|---|---|');
  out.push(`| ${row(`collector (real, ${m.release})`, m.collector).join(' | ')} |`);
  for (const [n, r] of Object.entries(m.curve ?? {})) out.push(`| ${row(`synthetic-${n}`, r).join(' | ')} |`);
  out.push('');
  if (m.collector?.shards) {
    out.push('### Shards (collector, `--shard I/3`, run one after another on this machine)\n');
    out.push('| shard | time | peak RSS | conclusion | load at start |');
    out.push('|---|---|---|---|---|');
    for (const sh of m.collector.shards) out.push(`| ${sh.shard} | ${sh.na ? `n/a (${sh.na})` : fmtMs(sh.ms)} | ${sh.maxRssKb ? fmtMiB(sh.maxRssKb) : 'n/a'} | ${sh.conclusion ?? 'n/a'} | ${fmtLoad(sh.load)} |`);
    out.push('');
  }
  if (m.collector?.preflight?.checks) {
    out.push('### Where the collector\'s time goes (check durations, one run)\n');
    out.push('| check | status | time | findings |');
    out.push('|---|---|---|---|');
    for (const [id, c] of Object.entries(m.collector.preflight.checks)) out.push(`| ${id} | ${c.status}${c.reason ? ` (${String(c.reason).replaceAll('|', '\\|')})` : ''} | ${fmtMs(c.ms)} | ${c.findings} |`);
    out.push('');
  }
  if (m.analysis) out.push(`${m.analysis}\n`);
  return out.join('\n');
}
