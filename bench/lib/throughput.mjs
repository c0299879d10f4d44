// Secret-scan throughput in MB of text per CPU-second (user + system time of the whole process
// tree, workers and children included), for go-preflight (`--checks secrets`) and gitleaks on the
// same files, measured side by side in one run (alternating), with the machine's load average
// next to the figures: CPU time is what a shared runner pays, and it is far less sensitive to
// other work on the machine than wall time.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const THROUGHPUT_HEADING = '## Secret scan throughput';

/** Runs argv under GNU time; resolves { userS, sysS, wallS, code } or { na }. */
function timed(argv, { cwd, env }) {
  if (!existsSync('/usr/bin/time')) return Promise.resolve({ na: 'GNU time (/usr/bin/time) is not installed: no CPU time figure' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gp-bench-cpu-'));
  const out = path.join(dir, 'time.txt');
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S %e', '-o', out, ...argv], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err = (err + b).slice(-2000)));
    child.on('error', (e) => resolve({ na: e.message }));
    child.on('close', (code) => {
      try {
        const [u, s, e] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
        resolve(code === 0 || code === 1 ? { userS: u, sysS: s, wallS: e, code } : { na: `exit ${code}: ${err.trim().split('\n').pop()}` });
      } catch {
        resolve({ na: `no time report (exit ${code})` });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
};

function summary(samples, mb) {
  const ok = samples.filter((s) => !s.na);
  if (!ok.length) return { na: samples[0]?.na ?? 'not measured' };
  const cpu = ok.map((s) => s.userS + s.sysS);
  const m = median(cpu);
  return {
    runs: ok.length,
    cpuS: Math.round(m * 100) / 100,
    userS: Math.round(median(ok.map((s) => s.userS)) * 100) / 100,
    sysS: Math.round(median(ok.map((s) => s.sysS)) * 100) / 100,
    wallS: Math.round(median(ok.map((s) => s.wallS)) * 100) / 100,
    mbPerCpuS: Math.round((mb / m) * 10) / 10,
  };
}

/**
 * corpus: { name, dir, textBytes }; cli: path of dist/cli.js; gitleaks: { bin, mode } or { na }.
 * Returns plain data for results.json.
 */
export async function measureThroughput({ corpus, cli, gitleaks, runs = 3, env = process.env }) {
  const mb = corpus.textBytes / 1e6;
  const ours = [];
  const theirs = [];
  const loadBefore = os.loadavg()[0];
  // gitleaks replaces its report file (as root, naming the null device would replace the device
  // itself): a scratch file outside the corpus.
  const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'gp-bench-gitleaks-')), 'report.json');
  const glArgs = gitleaks?.na ? undefined : gitleaks.mode === 'dir' ? ['dir', '.', '--no-banner', '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error'] : ['detect', '--no-git', '--source', '.', '--no-banner', '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error'];
  for (let i = 0; i < runs; i++) {
    ours.push(await timed([process.execPath, cli, '--checks', 'secrets', '--format', 'json', corpus.dir], { cwd: corpus.dir, env }));
    if (glArgs) theirs.push(await timed([gitleaks.bin, ...glArgs], { cwd: corpus.dir, env }));
  }
  const res = {
    corpus: corpus.name,
    textMB: Math.round(mb * 10) / 10,
    cpus: os.cpus().length,
    loadavg1: [Math.round(loadBefore * 100) / 100, Math.round(os.loadavg()[0] * 100) / 100],
    ours: summary(ours, mb),
    gitleaks: glArgs ? summary(theirs, mb) : { na: gitleaks?.na ?? 'gitleaks unavailable' },
  };
  if (res.ours.mbPerCpuS && res.gitleaks.mbPerCpuS) res.ratio = Math.round((res.ours.mbPerCpuS / res.gitleaks.mbPerCpuS) * 100) / 100;
  return res;
}

function row(name, s) {
  if (s.na) return `| ${name} | n/a (${s.na}) | | | | |`;
  return `| ${name} | **${s.mbPerCpuS}** | ${s.cpuS} (${s.userS} user + ${s.sysS} sys) | ${s.wallS} | ${s.runs} |`;
}

/** The RESULTS.md section for the throughput results (an object keyed by corpus name). */
export function renderThroughput(byCorpus = {}) {
  const lines = [
    THROUGHPUT_HEADING,
    '',
    'MB of tracked text per CPU-second (user + system time of the whole process tree, from GNU time), median of the runs;',
    "go-preflight is `--checks secrets` (the built CLI, whole run), gitleaks is `gitleaks dir` with its default rules, on the",
    'same files, alternating run by run. The load average (1 min) before and after is given: the machine may be shared.',
    '',
  ];
  const entries = Object.values(byCorpus).filter(Boolean);
  if (!entries.length) lines.push('Not measured yet (`npm run bench -- --only secrets`).', '');
  for (const r of entries) {
    if (r.na) {
      lines.push(`### ${r.corpus ?? 'corpus'}`, '', `n/a (${r.na})`, '');
      continue;
    }
    lines.push(
      `### ${r.corpus}: ${r.textMB} MB of text, ${r.cpus} CPUs, load ${r.loadavg1.join(' → ')}${r.measuredAt ? `, ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`,
      '',
      '| scanner | MB per CPU-second | CPU s | wall s | runs |',
      '|---|---|---|---|---|',
      row('go-preflight', r.ours),
      row('gitleaks', r.gitleaks),
      '',
      r.ratio ? `go-preflight scans **${r.ratio}x** as much text per CPU-second as gitleaks.` : '',
      '',
    );
  }
  return lines.join('\n');
}

/** Replace (or append) the throughput section of a RESULTS.md text; other sections are kept as they are. */
export function withThroughputSection(markdown, section) {
  const start = markdown.indexOf(`${THROUGHPUT_HEADING}\n`);
  if (start === -1) return `${markdown.replace(/\n*$/, '\n\n')}${section.trimEnd()}\n`;
  const next = markdown.indexOf('\n## ', start + THROUGHPUT_HEADING.length);
  return `${markdown.slice(0, start)}${section.trimEnd()}\n${next === -1 ? '' : markdown.slice(next)}`;
}
