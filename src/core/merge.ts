// `go-preflight merge REPORT.json...`: the JSON reports of the shards of one matrix (`--shard I/N`)
// read back into one Report, which the usual renderers turn into one text report, job summary,
// SARIF file and annotation set, with the same ordering and budgets as a single run.
//
// Reports are untrusted files (downloaded artifacts): every field is checked, and a bad file is a
// ConfigurationError naming the file and the key. A missing shard, a shard given twice, or
// reports of different matrices (different N) fail the merge: a partial report would say
// "success" for modules nobody checked.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, getErrorMessage } from './errors.js';
import { conclusionOf, sortFindings, statusOf } from './runner.js';
import { formatShard } from './shard.js';
import {
  CHECK_IDS,
  isCheckId,
  type CheckId,
  type CheckResult,
  type Conclusion,
  type Finding,
  type Report,
  type Severity,
  type Status,
  type Suppression,
} from './types.js';

const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];
const CONCLUSIONS: readonly Conclusion[] = ['success', 'warning', 'failure'];

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parse one JSON report (schemaVersion 1) written by go-preflight. */
export function parseReport(text: string, file: string): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigurationError(`not a JSON file (${getErrorMessage(e).split('\n')[0]})`, file);
  }
  const bad = (key: string, what: string): never => {
    throw new ConfigurationError(`${key}: ${what} (is this a go-preflight --format json report?)`, file);
  };
  if (!isObj(raw)) return bad('(top level)', 'expected an object');
  if (raw.schemaVersion !== 1) bad('schemaVersion', `expected 1, got ${JSON.stringify(raw.schemaVersion)}`);
  const str = (o: Json, k: string, where: string, optional = false): string | undefined => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') bad(`${where}${k}`, 'expected a string');
    return v as string;
  };
  const int = (o: Json, k: string, where: string, optional = false): number | undefined => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${where}${k}`, 'expected a number');
    return v as number;
  };
  const conclusion = str(raw, 'conclusion', '') as Conclusion;
  if (!CONCLUSIONS.includes(conclusion)) bad('conclusion', `unknown value "${conclusion}"`);
  if (!isObj(raw.go)) bad('go', 'expected an object');
  const go = raw.go as Json;
  if (!Array.isArray(raw.targets) || raw.targets.some((t) => typeof t !== 'string')) bad('targets', 'expected a list of strings');
  if (!Array.isArray(raw.checks)) bad('checks', 'expected a list');
  const checks: CheckResult[] = (raw.checks as unknown[]).map((c, i) => {
    const w = `checks[${i}].`;
    if (!isObj(c)) return bad(`checks[${i}]`, 'expected an object');
    const id = str(c, 'id', w)!;
    if (!isCheckId(id)) bad(`${w}id`, `unknown check id "${id}"`);
    const status = str(c, 'status', w) as Status;
    if (!STATUSES.includes(status)) bad(`${w}status`, `unknown status "${status}"`);
    if (!Array.isArray(c.findings)) bad(`${w}findings`, 'expected a list');
    const findings = (c.findings as unknown[]).map((f, j) => parseFinding(f, `${w}findings[${j}].`, bad, str, int));
    const notes = c.notes === undefined ? undefined : Array.isArray(c.notes) && c.notes.every((n) => typeof n === 'string') ? (c.notes as string[]) : bad(`${w}notes`, 'expected a list of strings');
    const suppressed =
      c.suppressed === undefined
        ? undefined
        : Array.isArray(c.suppressed) && c.suppressed.every((s) => isObj(s) && typeof s.by === 'string')
          ? (c.suppressed as unknown as Suppression[]).map((s) => ({ ...s }))
          : bad(`${w}suppressed`, 'expected a list of {by, file, line}');
    return {
      id: id as CheckId,
      title: str(c, 'title', w)!,
      status,
      ...(c.skipReason !== undefined ? { skipReason: str(c, 'skipReason', w) } : {}),
      durationMs: int(c, 'durationMs', w, true) ?? 0,
      findings,
      ...(notes ? { notes } : {}),
      ...(suppressed ? { suppressed } : {}),
    };
  });
  const report: Report = {
    schemaVersion: 1,
    conclusion,
    dir: str(raw, 'dir', '')!,
    go: { version: str(go, 'version', 'go.')!, goos: str(go, 'goos', 'go.')!, goarch: str(go, 'goarch', 'go.')! },
    targets: [...(raw.targets as string[])],
    durationMs: int(raw, 'durationMs', '', true) ?? 0,
    checks,
  };
  if (raw.runner !== undefined) {
    if (!isObj(raw.runner)) bad('runner', 'expected an object');
    report.runner = { os: str(raw.runner as Json, 'os', 'runner.')!, arch: str(raw.runner as Json, 'arch', 'runner.')! };
  }
  if (raw.shard !== undefined) {
    if (!isObj(raw.shard)) bad('shard', 'expected an object');
    const index = int(raw.shard as Json, 'index', 'shard.')!;
    const count = int(raw.shard as Json, 'count', 'shard.')!;
    if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 1 || index > count) bad('shard', `invalid shard ${index}/${count}`);
    report.shard = { index, count };
  }
  return report;
}

function parseFinding(
  f: unknown,
  w: string,
  bad: (key: string, what: string) => never,
  str: (o: Json, k: string, where: string, optional?: boolean) => string | undefined,
  int: (o: Json, k: string, where: string, optional?: boolean) => number | undefined,
): Finding {
  if (!isObj(f)) return bad(w.slice(0, -1), 'expected an object');
  const severity = str(f, 'severity', w) as Severity;
  if (!SEVERITIES.includes(severity)) bad(`${w}severity`, `unknown severity "${severity}"`);
  const out: Finding = { severity, message: str(f, 'message', w)! };
  for (const k of ['hint', 'file', 'target', 'ruleId', 'fingerprint', 'module', 'commit'] as const) {
    const v = str(f, k, w, true);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) {
    const v = int(f, k, w, true);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Read and parse report files. */
export async function readReports(files: readonly string[]): Promise<Array<{ file: string; report: Report }>> {
  return Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (e) {
        throw new ConfigurationError(`cannot read the report (${(e as NodeJS.ErrnoException).code ?? getErrorMessage(e)})`, file);
      }
      return { file, report: parseReport(text, file) };
    }),
  );
}

const findingKey = (f: Finding) => JSON.stringify([f.severity, f.message, f.hint, f.file, f.line, f.column, f.endLine, f.endColumn, f.target, f.ruleId, f.fingerprint, f.module, f.commit]);

/**
 * One report from the shards' reports. Findings that several shards report alike (a repo-level
 * fact seen by every shard's module checks) are kept as many times as the most any one shard has.
 */
export function mergeReports(inputs: ReadonlyArray<{ file: string; report: Report }>): Report {
  if (inputs.length === 0) throw new ConfigurationError('merge: no report files given');
  const name = (i: { file: string }) => path.basename(i.file);
  const unsharded = inputs.filter((i) => !i.report.shard);
  if (unsharded.length && inputs.length > 1) {
    throw new ConfigurationError(`${unsharded.map(name).join(', ')} ${unsharded.length === 1 ? 'is' : 'are'} not a shard's report (run with --shard I/N); cannot merge it with others`);
  }
  const count = inputs[0]!.report.shard?.count ?? 1;
  const other = inputs.find((i) => (i.report.shard?.count ?? 1) !== count);
  if (other) {
    throw new ConfigurationError(
      `the reports come from different matrices: ${name(inputs[0]!)} is shard ${formatShard(inputs[0]!.report.shard ?? { index: 1, count: 1 })}, ${name(other)} is shard ${formatShard(other.report.shard ?? { index: 1, count: 1 })}`,
    );
  }
  const byIndex = new Map<number, { file: string; report: Report }>();
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
  const first = shards[0]!;
  const runners = shards.map((r) => (r.runner ? `${r.runner.os}/${r.runner.arch}` : 'unknown'));
  const mixedRunners = new Set(runners).size > 1;

  const checks: CheckResult[] = CHECK_IDS.map((id) => {
    const parts = shards.map((r, k) => ({ k: k + 1, c: r.checks.find((c) => c.id === id) })).filter((p) => p.c) as Array<{ k: number; c: CheckResult }>;
    if (parts.length === 0) return { id, title: id, status: 'skip', skipReason: 'not in any report', durationMs: 0, findings: [] };
    const title = parts[0]!.c.title;
    const ran = parts.filter((p) => p.c.status !== 'skip');
    // Findings: per key, as many as the most any one shard has.
    const most = new Map<string, { f: Finding; n: number }>();
    const order: string[] = [];
    for (const p of parts) {
      const here = new Map<string, number>();
      for (const f of p.c.findings) {
        const key = findingKey(f);
        here.set(key, (here.get(key) ?? 0) + 1);
        if (!most.has(key)) {
          most.set(key, { f, n: 0 });
          order.push(key);
        }
      }
      for (const [key, n] of here) most.get(key)!.n = Math.max(most.get(key)!.n, n);
    }
    const findings = sortFindings(order.flatMap((key) => Array.from({ length: most.get(key)!.n }, () => ({ ...most.get(key)!.f }))));
    const notes = mergeNotes(parts.map((p) => p.c.notes ?? []));
    if (mixedRunners) for (const p of ran) notes.push(`shard ${p.k}/${count} ran on a ${runners[p.k - 1]} runner (${shards[p.k - 1]!.go.version})`);
    const suppressed = uniqueBy(parts.flatMap((p) => p.c.suppressed ?? []), (s) => JSON.stringify(s));
    const durationMs = Math.max(0, ...parts.map((p) => p.c.durationMs));
    const errors = parts.filter((p) => p.c.status === 'error');
    let status: Status;
    let skipReason: string | undefined;
    if (errors.length) {
      status = 'error';
      skipReason = errors.map((p) => (count > 1 ? `shard ${p.k}/${count}: ${p.c.skipReason ?? 'could not complete'}` : (p.c.skipReason ?? 'could not complete'))).join('; ');
    } else if (ran.length === 0) {
      status = 'skip';
      // Prefer the reason that is not about sharding ("runs in shard 1/N", "no module in shard").
      skipReason = (parts.find((p) => !/shard \d+\/\d+/.test(p.c.skipReason ?? '')) ?? parts[0]!).c.skipReason;
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
export function mergeNotes(perShard: ReadonlyArray<readonly string[]>): string[] {
  const NUM = /\d+(?:\.\d+)?/g;
  const groups = new Map<string, Array<{ shard: number; note: string }>>();
  perShard.forEach((notes, shard) => {
    for (const note of notes) {
      const t = note.replace(NUM, '#');
      const g = groups.get(t);
      if (g) g.push({ shard, note });
      else groups.set(t, [{ shard, note }]);
    }
  });
  const out: string[] = [];
  for (const [template, group] of groups) {
    const notes = group.map((g) => g.note);
    const distinct = unique(notes);
    // Alike everywhere, or several of the kind in one shard (`a/go.mod: go 1.22`, `b/go.mod: …`): not counts.
    if (distinct.length === 1 || new Set(group.map((g) => g.shard)).size !== group.length) {
      out.push(...distinct);
      continue;
    }
    const numbers = notes.map((n) => n.match(NUM) ?? []);
    const sums = numbers[0]!.map((_, i) => numbers.reduce((acc, ns) => acc + Number(ns[i] ?? 0), 0));
    const decimals = numbers[0]!.map((_, i) => Math.max(...numbers.map((ns) => (ns[i]?.split('.')[1] ?? '').length)));
    // A number every shard gives alike (`linux/amd64`'s 64) is not a count: kept as is.
    const same = numbers[0]!.map((v, i) => numbers.every((ns) => ns[i] === v));
    let i = 0;
    out.push(template.replace(/#/g, () => {
      const k = i++;
      return same[k] ? numbers[0]![k]! : sums[k]!.toFixed(decimals[k]!);
    }));
  }
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function uniqueBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
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
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const norm = pattern.trim().replace(/\\/g, '/');
  const absolute = path.isAbsolute(norm) || /^[A-Za-z]:\//.test(norm);
  const segments = norm.split('/').filter((s, i) => s !== '' || (i === 0 && absolute));
  let base = absolute ? (/^[A-Za-z]:$/.test(segments[0]!) ? `${segments.shift()}/` : (segments.shift(), '/')) : cwd;
  // Leading literal segments are the base directory.
  while (segments.length > 1 && !/[*?[]/.test(segments[0]!)) base = path.join(base, segments.shift()!);
  const toRe = (seg: string) => new RegExp(`^${seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const out: string[] = [];
  const walk = async (dir: string, segs: string[]): Promise<void> => {
    if (segs.length === 0) return;
    const [seg, ...rest] = segs as [string, ...string[]];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
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
