import { describe, expect, it } from '@jest/globals';
import { renderText } from '../../src/report/text.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report } from '../../src/core/types.js';

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}): Report {
  const checks = CHECK_IDS.map((id): CheckResult => ({ id, title: `Title of ${id}`, status: 'pass', durationMs: 20, findings: [], ...over[id] }));
  return {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/abs/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64', 'linux/arm64'],
    durationMs: 2500,
    checks,
  };
}

const report = makeReport({
  toolchain: { status: 'error', skipReason: 'timed out after 30 s' },
  'mod-tidy': {
    status: 'fail',
    findings: [
      { severity: 'error', message: 'go.mod is not tidy', hint: 'run go mod tidy', file: 'go.mod', line: 3, column: 1 },
      { severity: 'warning', message: 'go.sum has 2 unused lines', file: 'go.sum' },
    ],
    notes: ['checked 2 modules'],
    details: '```diff\n-old\n+new\n```',
  },
  vendor: { status: 'skip', durationMs: 0, skipReason: 'not applicable: no vendor/ directory' },
  packages: {
    status: 'fail',
    findings: [
      {
        severity: 'error',
        message: 'package ./cmd/x does not build:\nmain.go:12:3: undefined: foo\n./x.go:4: bad\n  ::add-mask::abc and ##[error]x',
        file: 'cmd/x/main.go',
        line: 12,
        column: 3,
        target: 'linux/arm64',
      },
      { severity: 'error', message: 'no Go files in pkg/y.go: excluded by build constraints', file: 'pkg/y.go' },
    ],
  },
  cgo: { status: 'pass', findings: [{ severity: 'notice', message: 'cgo is off for every target' }] },
});

// setup-go's `go` problem matcher, as registered on runners (anchors.md §6.1).
const GO_MATCHER = /^\s*(.+\.go):(?:(\d+):(\d+):)? (.*)/;

describe('renderText', () => {
  const plain = renderText(report);
  const lines = plain.split('\n');

  it('writes one line per check with status word, title, time and counts or reason', () => {
    expect(lines).toContain('✖ ERROR  Title of toolchain (toolchain)  20 ms  could not complete: timed out after 30 s');
    expect(lines).toContain('✔ PASS   Title of go-env (go-env)  20 ms');
    expect(lines).toContain('✖ FAIL   Title of mod-tidy (mod-tidy)  20 ms  1 error, 1 warning');
    expect(lines).toContain('○ SKIP   Title of vendor (vendor)  not applicable: no vendor/ directory');
    expect(lines).toContain('✔ PASS   Title of cgo (cgo)  20 ms  1 notice');
    for (const id of CHECK_IDS) expect(lines.filter((l) => l.includes(`(${id})`))).toHaveLength(1);
  });

  it('indents findings with severity, file:line:col, target, message, hint and notes', () => {
    expect(lines).toContain('    error    go.mod:3:1  go.mod is not tidy');
    expect(lines).toContain('               hint: run go mod tidy');
    expect(lines).toContain('    warning  go.sum  go.sum has 2 unused lines');
    expect(lines).toContain('    notice   cgo is off for every target');
    expect(lines).toContain('    note: checked 2 modules');
    expect(lines.some((l) => /^ {4}error {4}cmd\/x\/main\.go:12:3 {2}\[linux\/arm64\] {2}package \.\/cmd\/x does not build:$/.test(l))).toBe(true);
    // Details only in verbose output.
    expect(plain).not.toContain('+new');
    expect(renderText(report, { verbose: true })).toContain('      +new');
  });

  it('ends with the conclusion and the counts', () => {
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('✖ failure: 2 failed, 1 could not run, 7 passed, 1 skipped · 3 errors, 1 warning, 1 notice · 2.5 s');
  });

  it('never prints a line in the shape of the go problem matcher or a workflow command', () => {
    for (const text of [plain, renderText(report, { verbose: true }), renderText(report, { color: true })]) {
      for (const line of text.split('\n')) {
        expect(line).not.toMatch(/^\s*\S+\.go:\d+:/);
        expect(line).not.toMatch(GO_MATCHER);
        expect(line).not.toContain('##[');
        expect(line.trimStart().startsWith('::')).toBe(false);
      }
    }
    // The words are all still there for a human.
    expect(plain.replace(/\u2060/g, '')).toContain('main.go:12:3: undefined: foo');
    expect(plain.replace(/\u2060/g, '')).toContain('::add-mask::abc and ##[error]x');
  });

  it('colours only when asked', () => {
    expect(plain).not.toContain('\x1b');
    expect(renderText(report, { verbose: true })).not.toContain('\x1b');
    const colored = renderText(report, { color: true });
    expect(colored).toContain('\x1b[31m');
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('strips escape sequences and control characters coming from findings', () => {
    const r = makeReport({ secrets: { status: 'fail', findings: [{ severity: 'error', message: 'bad \x1b[2J\x1b]0;title\x07 text\rmore' }] } });
    const text = renderText(r);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    expect(text).toContain('bad ');
  });

  it('shows 50 findings per check unless verbose, and says how many more', () => {
    const findings = Array.from({ length: 120 }, (_, i): Finding => ({ severity: 'warning', message: `w${i}`, file: `f${String(i).padStart(3, '0')}.txt` }));
    const r = makeReport({ 'git-clean': { status: 'warn', findings } });
    const short = renderText(r);
    expect(short.split('\n').filter((l) => /^ {4}warning /.test(l))).toHaveLength(50);
    expect(short).toContain('    … 70 more findings of git-clean not shown');
    const long = renderText(r, { verbose: true });
    expect(long.split('\n').filter((l) => /^ {4}warning /.test(l))).toHaveLength(120);
    expect(long).not.toContain('more findings');
  });
});

describe('renderText: modules, commits, downgraded errors', () => {
  it('groups findings by module over many modules, and says "N modules, all clean" for a passing module check', () => {
    const mods = ['a', 'b', 'c', 'd'];
    const r = makeReport({
      'mod-tidy': { status: 'fail', findings: mods.map((m): Finding => ({ severity: 'error', message: `${m}/go.mod is not tidy`, file: `${m}/go.mod`, module: m })) },
    });
    r.modules = ['.', ...mods, 'e', 'f', 'g'];
    const lines = renderText(r).split('\n');
    const at = lines.findIndex((l) => l.includes('module a: 1 error'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {6}error {4}a\/go\.mod {2}a\/go\.mod is not tidy$/);
    expect(lines).toContain('    4 other modules clean');
    expect(lines.find((l) => l.includes('(mod-verify)'))).toMatch(/8 modules, all clean$/);
    // One line for the clean ones, never one per module.
    expect(lines.filter((l) => /module [efg]\b/.test(l))).toEqual([]);
  });

  it('shows the short sha of a finding seen in a commit, and "would fail" for a downgraded error', () => {
    const r = makeReport({
      secrets: {
        status: 'warn',
        findings: [{ severity: 'warning', downgraded: true, message: 'GitHub token committed (ghp_…)', file: 'old.env', line: 2, commit: '0123456789abcdef0123456789abcdef01234567' }],
      },
    });
    expect(renderText(r)).toContain('    warning  (would fail)  old.env:2  @0123456  GitHub token committed (ghp_…)');
  });
});
