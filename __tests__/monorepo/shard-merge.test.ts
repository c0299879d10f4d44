// Sharded runs plus merge give exactly what one unsharded run gives: a real repository of eight
// small modules (some with defects), the real CLI and the real go, three shards, then
// `go-preflight merge` of their JSON reports.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assignShards, parseShard } from '../../src/core/shard.js';
import { mergeReports, parseReport } from '../../src/core/merge.js';
import { renderJson } from '../../src/report/json.js';
import type { Report } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { runCliCaptured } from '../helpers/cli.js';

const UUID = 'github.com/google/uuid';
const USE = `package main\n\nimport "${UUID}"\n\nfunc main() { _ = uuid.New() }\n`;
let cache = '';
let goodSum = '';
let repo = '';

function cli(args: string[]) {
  return runCliCaptured(args, { env: { GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOWORK: undefined, CI: 'true', NO_COLOR: undefined }, cwd: repo });
}

/** What must be equal: each check's status, reason and findings (order-free), and notes. */
function essence(r: Report) {
  return r.checks.map((c) => ({
    id: c.id,
    status: c.status,
    skipReason: c.skipReason,
    findings: c.findings.map((f) => JSON.stringify(f)).sort(),
    // Times differ from run to run.
    notes: [...(c.notes ?? [])].map((n) => n.replace(/\d+(\.\d+)? s\b/g, 'N s')).sort(),
  }));
}

beforeAll(async () => {
  cache = await tempDir('gp-mc');
  const scratch = await tempDir('gp-scratch');
  await fs.writeFile(path.join(scratch, 'go.mod'), goMod('example.com/scratch'));
  const out = execFileSync('go', ['mod', 'download', '-json', `${UUID}@v1.6.0`], {
    cwd: scratch,
    env: { ...process.env, GOMODCACHE: cache, GOFLAGS: '-modcacherw', GOTOOLCHAIN: 'local' } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  const j = JSON.parse(out) as { Sum: string; GoModSum: string };
  goodSum = `${UUID} v1.6.0 ${j.Sum}\n${UUID} v1.6.0/go.mod ${j.GoModSum}\n`;
  const req = `require ${UUID} v1.6.0`;
  const files: Record<string, string> = {
    'go.mod': goMod('example.com/mono', '1.22'),
    'main.go': 'package main\n\nfunc main() {}\n',
  };
  for (let i = 1; i <= 7; i++) {
    const d = `mods/m${i}`;
    files[`${d}/go.mod`] = goMod(`example.com/mono/m${i}`, '1.22', req);
    files[`${d}/go.sum`] = goodSum;
    files[`${d}/main.go`] = USE;
  }
  // Defects: a missing go.sum (m2), an unused requirement (m4), a local replace to nowhere (m6),
  // a package without func main (m7).
  delete files['mods/m2/go.sum'];
  files['mods/m4/main.go'] = 'package main\n\nfunc main() {}\n';
  files['mods/m6/go.mod'] = goMod('example.com/mono/m6', '1.22', `${req}\nrequire example.com/gone v0.0.0\n\nreplace example.com/gone => ../gone\n`);
  files['mods/m7/main.go'] = `package main\n\nimport "${UUID}"\n\nvar _ = uuid.New\n`;
  repo = await makeRepo(files);
});

afterAll(cleanupTempDirs);

describe('shards', () => {
  it('assigns modules deterministically and balanced by size', () => {
    const units = [
      { key: 'a', weight: 9000 },
      { key: 'b', weight: 100 },
      { key: 'c', weight: 5000 },
      { key: 'd', weight: 4000 },
      { key: 'e', weight: 100 },
    ];
    const once = assignShards(units, 2);
    expect(assignShards([...units].reverse(), 2)).toEqual(once);
    expect(once.get('a')).toBe(1);
    expect([once.get('c'), once.get('d')]).toEqual([2, 2]);
    expect(parseShard('2/4', '--shard')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('5/4', '--shard')).toThrow('--shard: invalid shard "5/4"');
    expect(() => parseShard('x', 'input shard')).toThrow('input shard');
  });

  it('three shards merged give exactly the findings of one unsharded run', async () => {
    const whole = await cli(['--format', 'json', '.']);
    expect(whole.code).toBe(1);
    const full = parseReport(whole.stdout, 'full.json');
    // The defects are there (the comparison below is not of two empty reports).
    const failing = full.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failing).toEqual(expect.arrayContaining(['mod-verify', 'mod-tidy', 'modules', 'packages']));

    const outDir = await tempDir('gp-shards');
    const files: string[] = [];
    const modulesPerShard: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const file = path.join(outDir, `shard-${i}.json`);
      const r = await cli(['--format', 'json', '--shard', `${i}/3`, '--output', file, '.']);
      expect(r.code === 0 || r.code === 1).toBe(true);
      const rep = parseReport(await fs.readFile(file, 'utf8'), file);
      expect(rep.shard).toEqual({ index: i, count: 3 });
      // Repo-wide checks run in shard 1 only.
      const secrets = rep.checks.find((c) => c.id === 'secrets')!;
      if (i === 1) expect(secrets.status).not.toBe('skip');
      else expect(secrets).toMatchObject({ status: 'skip', skipReason: 'runs in shard 1/3' });
      modulesPerShard.push(rep.checks.find((c) => c.id === 'mod-verify')!.status === 'skip' ? 0 : 1);
      files.push(file);
    }
    // Every shard had modules to check (9 modules over 3 shards).
    expect(modulesPerShard.every((n) => n > 0)).toBe(true);

    const merged = await cli(['merge', '--format', 'json', ...files]);
    expect(merged.code).toBe(1);
    const m = parseReport(merged.stdout, 'merged.json');
    expect(m.conclusion).toBe(full.conclusion);
    expect(essence(m)).toEqual(essence(full));

    // The same merge through the library, and the text format renders.
    const lib = mergeReports(await Promise.all(files.map(async (f) => ({ file: f, report: parseReport(await fs.readFile(f, 'utf8'), f) }))));
    expect(essence(parseReport(renderJson(lib), 'x'))).toEqual(essence(full));
    const text = await cli(['merge', ...files]);
    expect(text.stdout).toContain('mod-verify');
  });

  it('fails with one line when a shard is missing or the reports come from different matrices', async () => {
    const outDir = await tempDir('gp-shards');
    const one = path.join(outDir, 'a.json');
    const r = await cli(['--format', 'json', '--checks', 'modules', '--shard', '1/2', '--output', one, '.']);
    expect(r.code === 0 || r.code === 1).toBe(true);
    const missing = await cli(['merge', one]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`go-preflight merge: shard 2/2 missing: got 1/2 (a.json); a merged report without every shard would pass modules nobody checked\n`);

    const other = path.join(outDir, 'b.json');
    const rep = parseReport(await fs.readFile(one, 'utf8'), one);
    await fs.writeFile(other, renderJson({ ...rep, shard: { index: 2, count: 3 } }));
    const differ = await cli(['merge', one, other]);
    expect(differ.code).toBe(2);
    expect(differ.stderr).toBe('go-preflight merge: the reports come from different matrices: a.json is shard 1/2, b.json is shard 2/3\n');

    const garbage = path.join(outDir, 'c.json');
    await fs.writeFile(garbage, '{"schemaVersion": 1, "conclusion": "maybe"}');
    const bad = await cli(['merge', garbage]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(2);
    expect(bad.stderr).toContain(`${garbage}: conclusion: unknown value "maybe"`);
  });

  it('sums the counts of notes that differ by shard and keeps one of notes alike', async () => {
    const { mergeNotes } = await import('../../src/core/merge.js');
    expect(
      mergeNotes([
        ['listed 2 packages in 2 modules for linux/amd64', 'skipped linux/386: not a target this Go supports'],
        ['listed 3 packages in 3 modules for linux/amd64', 'skipped linux/386: not a target this Go supports'],
        ['listed 3 packages in 3 modules for linux/amd64'],
      ]),
    ).toEqual(['listed 8 packages in 8 modules for linux/amd64', 'skipped linux/386: not a target this Go supports']);
  });

  it('merges reports of runners of different OSes, each named', () => {
    const base = (index: number, os: string): Report => ({
      schemaVersion: 1,
      conclusion: 'failure',
      dir: '/w',
      go: { version: 'go1.26.8', goos: os, goarch: 'arm64' },
      targets: [`${os}/arm64`],
      durationMs: 10,
      runner: { os, arch: 'arm64' },
      shard: { index, count: 2 },
      checks: [
        { id: 'cgo', title: 'cgo toolchain', status: 'fail', durationMs: 5, findings: [{ severity: 'error', message: `no C compiler for ${os}/arm64`, target: `${os}/arm64` }] },
      ],
    });
    const m = mergeReports([
      { file: 'linux.json', report: base(1, 'linux') },
      { file: 'darwin.json', report: base(2, 'darwin') },
    ]);
    expect(m.targets).toEqual(['linux/arm64', 'darwin/arm64']);
    const cgo = m.checks.find((c) => c.id === 'cgo')!;
    expect(cgo.status).toBe('fail');
    expect(cgo.findings.map((f) => f.target)).toEqual(['linux/arm64', 'darwin/arm64']);
    expect(cgo.notes).toEqual(['shard 1/2 ran on a linux/arm64 runner (go1.26.8)', 'shard 2/2 ran on a darwin/arm64 runner (go1.26.8)']);
    expect(m.conclusion).toBe('failure');
  });
});
