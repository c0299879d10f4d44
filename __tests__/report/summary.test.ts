// The job summary as GitHub shows it: rendered by micromark with its GFM extension (CommonMark +
// GFM tables, as cmark-gfm renders the step summary), then read as HTML.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { renderMarkdown, OPEN_FINDINGS } from '../../src/report/markdown.js';
import { gitCleanCheck } from '../../src/checks/git-clean.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

function statusOf(findings: Finding[]): CheckResult['status'] {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}, extra: Partial<Report> = {}): Report {
  const checks = CHECK_IDS.map((id): CheckResult => {
    const o = over[id] ?? {};
    const findings = o.findings ?? [];
    return { id, title: `Title of ${id}`, status: o.status ?? statusOf(findings), durationMs: 100, ...o, findings };
  });
  return { schemaVersion: 1, conclusion: 'failure', dir: '/repo', go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' }, targets: ['linux/amd64'], durationMs: 400, checks, ...extra };
}

const html = (md: string) => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const LINK = { serverUrl: 'https://github.com', repository: 'acme/widget', sha: 'c0ffee' };

/** The HTML outside every <details> element (what shows without a click). */
function visible(h: string): string {
  let out = h;
  for (;;) {
    const next = out.replace(/<details>(?:(?!<details>)[\s\S])*?<\/details>/g, '');
    if (next === out) return out;
    out = next;
  }
}

describe('job summary', () => {
  it("shows a failing check's first findings without a click (file:line linked, message, fix) and folds the long tail and passing checks' notes", () => {
    const findings = Array.from({ length: 12 }, (_, i): Finding => ({ severity: 'error', message: `go.mod line ${i} is untidy`, hint: 'run `go mod tidy`', file: 'go.mod', line: i + 1 }));
    const h = html(renderMarkdown(makeReport({ 'mod-tidy': { findings }, cgo: { notes: ['cgo is off for linux/amd64'] } }), LINK));
    const shown = visible(h);
    for (let i = 0; i < OPEN_FINDINGS; i++) expect(shown).toContain(`<a href="https://github.com/acme/widget/blob/c0ffee/go.mod#L${i + 1}">go.mod:${i + 1}</a>: go.mod line ${i} is untidy<br>Fix: run <code>go mod tidy</code>`);
    expect(shown).not.toContain(`go.mod line ${OPEN_FINDINGS} is untidy`);
    expect(h).toContain(`<summary>${12 - OPEN_FINDINGS} more findings of mod-tidy</summary>`);
    expect(h).toContain('go.mod line 11 is untidy');
    // A passing check's note folds.
    expect(h).toContain('cgo is off for linux/amd64');
    expect(shown).not.toContain('cgo is off for linux/amd64');
    // Failing checks come before passing checks' notes.
    expect(h.indexOf('mod-tidy</code>: 12 errors')).toBeLessThan(h.indexOf('cgo is off'));
  });

  it('links no file that is not at the commit (untracked, deleted), links a finding in a commit at that commit with its short sha', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const r = makeReport({
      'git-clean': { findings: [{ severity: 'error', message: 'stray.txt is untracked', file: 'stray.txt' }] },
      toolchain: { findings: [{ severity: 'error', message: 'go 1.99', file: 'go.mod', line: 3 }] },
      secrets: { findings: [{ severity: 'error', message: 'GitHub token committed (ghp_…)', file: 'old.env', line: 2, commit: sha }] },
    });
    const h = html(renderMarkdown(r, { ...LINK, linkable: (f) => f === 'go.mod' }));
    expect(h).toContain('<a href="https://github.com/acme/widget/blob/c0ffee/go.mod#L3">go.mod:3</a>');
    expect(h).not.toMatch(/href="[^"]*stray\.txt/);
    expect(h).toContain('stray.txt: stray.txt is untracked');
    expect(h).toContain(`<a href="https://github.com/acme/widget/blob/${sha}/old.env#L2">old.env:2</a> in commit <code>0123456</code>`);
  });

  it('keeps file names with a backtick, newline, | or < inside their cell and code span, in findings and the git-clean table', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/x'), 'main.go': 'package main\n\nfunc main() {}\n' });
    const names = ['a`b.txt', 'p|q.txt', '<img src=x>.txt', 'new\nline.txt'];
    for (const n of names) await fs.writeFile(path.join(dir, n), 'x');
    const { report } = await runChecksIn(dir, [gitCleanCheck]);
    const check = report.checks.find((c) => c.id === 'git-clean')!;
    expect(check.findings).toHaveLength(4);
    const h = html(renderMarkdown(report, LINK));
    expect(h).not.toContain('<img');
    const rows = [...h.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
    // The details table: a header and one row per file, each with exactly two cells.
    const detailRows = rows.filter((r) => r.includes('untracked') || r.includes('<th>file</th>'));
    expect(detailRows).toHaveLength(5);
    for (const r of detailRows) expect(r.match(/<t[dh]>/g)).toHaveLength(2);
    expect(h).toContain('<td><code>a`b.txt</code></td>');
    expect(h).toContain('<td><code>p|q.txt</code></td>');
    expect(h).toContain('<td><code>&lt;img src=x&gt;.txt</code></td>');
    expect(h).toContain('<td><code>new↵line.txt</code></td>');
    // The check table keeps its 5 cells per row.
    for (const r of rows.filter((x) => x.includes('(git-clean)'))) expect(r.match(/<td>/g)).toHaveLength(5);
  });

  it('says "would fail" for an error that mode: warn downgraded', () => {
    const r = makeReport({ secrets: { findings: [{ severity: 'warning', downgraded: true, message: 'GitHub token committed (ghp_…)', file: 'a.go', line: 1 }] } }, { conclusion: 'warning' });
    const h = visible(html(renderMarkdown(r)));
    expect(h).toContain('<strong>warning (would fail)</strong> a.go:1: GitHub token committed');
  });

  it('lists suppressions per check, the ones added by the change open and marked', () => {
    const r = makeReport({
      secrets: {
        suppressed: [
          { file: 'k.env', line: 3, ruleId: 'github-pat', by: 'inline comment', at: 'k.env:3', addedByChange: true },
          { file: 'old.txt', line: 1, by: '.gitleaksignore', at: '.gitleaksignore:2' },
        ],
      },
    });
    const h = html(renderMarkdown(r, { ...LINK, linkable: () => true }));
    const shown = visible(h);
    expect(shown).toContain('Suppressed by this change (1)');
    expect(shown).toContain('<a href="https://github.com/acme/widget/blob/c0ffee/k.env#L3">k.env:3</a> (<code>github-pat</code>) hidden by inline comment at k.env:3 — <strong>added by this change</strong>');
    expect(shown).not.toContain('old.txt');
    expect(h).toContain('<summary>Suppressed: 1 finding more</summary>');
    expect(h).toContain('old.txt:1</a> hidden by .gitleaksignore at .gitleaksignore:2');
  });

  it('groups findings by module over many modules and says how many are clean', () => {
    const mods = ['a', 'b', 'c', 'd'];
    const findings = mods.map((m): Finding => ({ severity: 'error', message: `${m}/go.mod is not tidy`, file: `${m}/go.mod`, module: m }));
    const modules = ['.', ...mods, 'e', 'f', 'g'];
    const h = html(renderMarkdown(makeReport({ 'mod-tidy': { findings } }, { modules })));
    for (const m of mods) expect(h).toContain(`<strong>Module <code>${m}</code></strong> (1 error):`);
    expect(h).toContain('4 other modules clean');
    // A passing module-level check says it in one cell, not one line per module.
    expect(h).toMatch(/Title of mod-verify \(mod-verify\)<\/td>\s*<td>✅ pass<\/td>\s*<td>100 ms<\/td>\s*<td>8 modules, all clean<\/td>/);
    // Few modules: no grouping.
    const few = html(renderMarkdown(makeReport({ 'mod-tidy': { findings: findings.slice(0, 2) } }, { modules })));
    expect(few).not.toContain('Module <code>');
  });
});
