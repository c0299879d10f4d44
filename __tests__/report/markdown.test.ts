import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from '../../src/report/markdown.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report } from '../../src/core/types.js';

function statusOf(findings: Finding[]): CheckResult['status'] {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}, conclusion: Report['conclusion'] = 'failure'): Report {
  const checks = CHECK_IDS.map((id): CheckResult => {
    const o = over[id] ?? {};
    const findings = o.findings ?? [];
    return { id, title: `Title of ${id}`, status: o.status ?? statusOf(findings), durationMs: 1500, ...o, findings };
  });
  return {
    schemaVersion: 1,
    conclusion,
    dir: '/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64', 'windows/arm64'],
    durationMs: 4321,
    checks,
  };
}

function many(n: number, message: (i: number) => string): Finding[] {
  return Array.from({ length: n }, (_, i): Finding => ({
    severity: 'error',
    message: message(i),
    hint: 'remove the file from git history and rotate the credential',
    file: `internal/pkg${i % 100}/file_${i}.go`,
    line: (i % 500) + 1,
  }));
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** Lines of the output that render one finding. */
const findingLines = (md: string) => md.split('\n').filter((l) => /^- \S+ \*\*(error|warning|notice)\*\*/.test(l));

describe('renderMarkdown: content', () => {
  const report = makeReport({
    toolchain: { status: 'error', skipReason: 'timed out after 30 s', findings: [] },
    vendor: { status: 'skip', durationMs: 0, skipReason: 'not applicable: no vendor/ directory', findings: [] },
    'mod-tidy': {
      findings: [
        { severity: 'error', message: 'go.mod is not tidy', hint: 'run go mod tidy', file: 'go.mod', line: 3, column: 1 },
        { severity: 'warning', message: 'go.sum has extra lines', file: 'go.sum', target: 'linux/amd64' },
      ],
      notes: ['checked 2 modules'],
      details: '```diff\n- require x v1\n+ require x v2\n```',
    },
  });

  it('heads with the conclusion in words, Go version, targets and time', () => {
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('## ❌ go-preflight failed');
    expect(md).toContain('go1.24.1');
    expect(md).toContain('linux/amd64, windows/arm64');
    expect(md).toContain('4.3 s');
    expect(renderMarkdown(makeReport({}, 'success')).split('\n')[0]).toBe('## ✅ go-preflight passed');
    expect(renderMarkdown(makeReport({}, 'warning')).split('\n')[0]).toBe('## ⚠️ go-preflight passed with warnings');
  });

  it('lists every check in the table with status word, time, counts and skip reason', () => {
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.startsWith('| Title of '));
    expect(rows).toHaveLength(11);
    expect(rows.map((r) => /\((\S+)\) \|/.exec(r)?.[1])).toEqual([...CHECK_IDS]);
    expect(rows[0]).toBe('| Title of toolchain (toolchain) | 💥 error | 1.5 s | — | timed out after 30 s |');
    expect(rows[3]).toBe('| Title of mod-tidy (mod-tidy) | ❌ fail | 1.5 s | 1 error, 1 warning |  |');
    expect(rows[4]).toBe('| Title of vendor (vendor) | ⏭️ skip | — | — | not applicable: no vendor/ directory |');
    expect(rows[1]).toBe('| Title of go-env (go-env) | ✅ pass | 1.5 s | — |  |');
  });

  it("shows a failing check's findings open, with hint, target and notes; only its details fold", () => {
    const md = renderMarkdown(report);
    expect(md).toContain('### ❌ Title of mod-tidy <code>mod-tidy</code>: 1 error, 1 warning\n\n- ❌ **error** go.mod:3:1');
    expect(findingLines(md)).toEqual([
      '- ❌ **error** go.mod:3:1: go.mod is not tidy<br>Fix: run go mod tidy',
      '- ⚠️ **warning** go.sum (linux/amd64): go.sum has extra lines',
    ]);
    expect(md).toContain('- Note: checked 2 modules');
    expect(md).toContain('<details><summary>Details</summary>\n\n```diff\n- require x v1\n+ require x v2\n```\n\n</details>');
    // Only checks with something to show get a section; the findings are not inside a fold.
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
    expect(md.indexOf('<details>')).toBeGreaterThan(md.indexOf('go.sum has extra lines'));
  });

  it('links files at the commit with the path prefix', () => {
    const md = renderMarkdown(report, { serverUrl: 'https://github.com/', repository: 'octo/repo', sha: 'abc123', pathPrefix: 'sub/dir' });
    expect(md).toContain('[sub/dir/go.mod:3:1](https://github.com/octo/repo/blob/abc123/sub/dir/go.mod#L3)');
    // No line: the link points at the file.
    expect(md).toContain('[sub/dir/go.sum](https://github.com/octo/repo/blob/abc123/sub/dir/go.sum)');
    // Without a prefix, files are at the root; special characters are percent-encoded.
    const r = makeReport({ secrets: { findings: [{ severity: 'error', message: 'm', file: 'a dir/x#1 (copy).go', line: 7 }] } });
    expect(renderMarkdown(r, { serverUrl: 'https://ghe.example', repository: 'o/r', sha: 'f00' })).toContain(
      '(https://ghe.example/o/r/blob/f00/a%20dir/x%231%20%28copy%29.go#L7)',
    );
  });

  it('writes plain file:line without serverUrl, repository and sha', () => {
    const md = renderMarkdown(report, { repository: 'octo/repo', sha: 'abc123', pathPrefix: 'sub/dir/' });
    expect(md).not.toContain('](');
    expect(md).toContain('- ❌ **error** sub/dir/go.mod:3:1: go.mod is not tidy');
  });

  it('escapes markdown and HTML in messages, hints and reasons', () => {
    const r = makeReport({
      cgo: { status: 'error', skipReason: 'cc | failed <script>alert(1)</script>', findings: [] },
      secrets: {
        findings: [
          { severity: 'error', message: 'a | b <script>alert(1)</script> `code` **bold** [x](http://e) $x$', hint: 'line1\nline2 <img src=x onerror=alert(1)>' },
        ],
      },
    });
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/<script|<img/i);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const [line] = findingLines(md);
    // Text between backticks is code; everything else escaped text.
    expect(line).toBe(
      '- ❌ **error**: a \\| b &lt;script&gt;alert(1)&lt;/script&gt; <code>code</code> \\*\\*bold\\*\\* \\[x\\](http://e) \\$x\\$<br>Fix: line1<br>line2 &lt;img src=x onerror=alert(1)&gt;',
    );
    // The table row keeps its 5 cells: 6 unescaped pipes.
    const row = md.split('\n').find((l) => l.startsWith('| Title of cgo'))!;
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(row).toContain('cc \\| failed &lt;script&gt;');
  });
});

describe('renderMarkdown: size limit', () => {
  it('stays under 1,000,000 bytes with 100k findings and says how many were cut', () => {
    const r = makeReport({ secrets: { findings: many(100_000, (i) => `token ghp_abc… in a committed file (${i})`) } });
    const md = renderMarkdown(r);
    expect(bytes(md)).toBeLessThanOrEqual(1_000_000);
    const shown = findingLines(md).length;
    expect(shown).toBeGreaterThan(1000);
    const cut = 100_000 - shown;
    expect(md).toContain(`- … ${cut.toLocaleString('en-US')} more findings of secrets not shown (summary size limit); see the JSON report`);
    expect(md).toMatch(new RegExp(`${cut.toLocaleString('en-US')} findings not shown`));
    // The table and the section are intact.
    expect(md.split('\n').filter((l) => l.startsWith('| Title of '))).toHaveLength(11);
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
  });

  it('counts UTF-8 bytes, not string length', () => {
    const r = makeReport({ secrets: { findings: many(30_000, (i) => `漢字のメッセージ🔑 ${i} `.repeat(4)) } });
    const md = renderMarkdown(r, { maxBytes: 200_000 });
    expect(md.length).toBeLessThan(200_000);
    expect(bytes(md)).toBeLessThanOrEqual(200_000);
    // UTF-16 length would have let far more through; bytes are what GitHub counts.
    expect(bytes(md)).toBeGreaterThan(150_000);
  });

  it('shares the budget so that one noisy check does not hide the others', () => {
    const r = makeReport({
      'mod-tidy': { findings: many(5, (i) => `tidy ${i}`) },
      packages: { findings: many(50_000, (i) => `pkg ${i}`) },
      secrets: { findings: many(50_000, (i) => `secret ${i}`) },
    });
    const md = renderMarkdown(r, { maxBytes: 300_000 });
    expect(bytes(md)).toBeLessThanOrEqual(300_000);
    const lines = findingLines(md);
    const of = (p: string) => lines.filter((l) => l.includes(`: ${p} `)).length;
    expect(of('tidy')).toBe(5);
    expect(of('pkg')).toBeGreaterThan(300);
    expect(of('secret')).toBeGreaterThan(300);
    expect(Math.abs(of('pkg') - of('secret'))).toBeLessThan(50);
    expect(md).toContain(`${(50_000 - of('pkg')).toLocaleString('en-US')} more findings of packages not shown`);
    expect(md).toContain(`${(50_000 - of('secret')).toLocaleString('en-US')} more findings of secrets not shown`);
    expect(md).not.toContain('of mod-tidy not shown');
  });

  it('drops a 10 MB details string whole and says so, keeping the other details', () => {
    const huge = `\`\`\`diff\n${'+ require example.com/m v1.0.0\n'.repeat(350_000)}\`\`\``;
    const r = makeReport({
      'mod-tidy': { findings: [{ severity: 'error', message: 'go.mod is not tidy', file: 'go.mod' }], details: huge },
      vendor: { findings: [{ severity: 'error', message: 'vendor/modules.txt is stale' }], details: 'small details' },
    });
    const md = renderMarkdown(r);
    expect(bytes(huge)).toBeGreaterThan(10_000_000);
    expect(bytes(md)).toBeLessThanOrEqual(1_000_000);
    expect(md).toContain(`… details of mod-tidy (${bytes(huge).toLocaleString('en-US')} bytes) not shown (summary size limit)`);
    expect(md).not.toContain('+ require example.com/m');
    expect(md).toContain('small details');
    expect(md).toContain('- ❌ **error** go.mod: go.mod is not tidy');
    expect(md).toContain('1 details section not shown');
  });

  it('stays under any maxBytes, even one smaller than the table', () => {
    const r = makeReport({ secrets: { findings: many(1000, (i) => `m${i}`) }, 'mod-tidy': { details: 'x'.repeat(5000), findings: [] } });
    for (const max of [50_000, 5_000, 1_000, 100, 0]) {
      expect(bytes(renderMarkdown(r, { maxBytes: max }))).toBeLessThanOrEqual(max);
    }
    expect(renderMarkdown(r, { maxBytes: 1_000 })).toContain('summary cut at 1,000 bytes');
  });

  it('does not cut anything when everything fits', () => {
    const r = makeReport({ secrets: { findings: many(100, (i) => `m${i}`) } });
    const md = renderMarkdown(r);
    expect(findingLines(md)).toHaveLength(100);
    expect(md).not.toContain('not shown');
  });
});
