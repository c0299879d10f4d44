import { describe, expect, it } from '@jest/globals';
import { toAnnotations } from '../../src/report/annotations.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report, type Severity } from '../../src/core/types.js';

function statusOf(findings: Finding[]): CheckResult['status'] {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}): Report {
  const checks = CHECK_IDS.map((id): CheckResult => {
    const o = over[id] ?? {};
    const findings = o.findings ?? [];
    return { id, title: `Title of ${id}`, status: o.status ?? statusOf(findings), durationMs: 10, ...o, findings };
  });
  return {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64'],
    durationMs: 100,
    checks,
  };
}

/** `n` findings in shuffled file/line order: file `f{i%7}.go`, line `i+1`. */
function many(n: number, severity: Severity, tag: string): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) out.push({ severity, message: `${tag} #${i}`, file: `pkg/f${(i * 5) % 7}.go`, line: ((i * 37) % n) + 1 });
  return out;
}

describe('toAnnotations', () => {
  const report = makeReport({
    toolchain: { status: 'error', skipReason: 'timed out after 30 s', findings: [] },
    'go-env': { findings: many(30, 'warning', 'env') },
    'mod-tidy': { findings: [...many(150, 'error', 'tidy'), ...many(3, 'notice', 'tidy-note')] },
    packages: { findings: [...many(40, 'warning', 'pkg'), ...many(100, 'error', 'pkg-err')] },
    cgo: { findings: many(22, 'notice', 'cgo') },
  });
  const annotations = toAnnotations(report);

  it('keeps exactly 10 per level, errors first, then warnings, then notices', () => {
    expect(annotations).toHaveLength(30);
    expect(annotations.map((a) => a.level)).toEqual([
      ...Array<string>(10).fill('error'),
      ...Array<string>(10).fill('warning'),
      ...Array<string>(10).fill('notice'),
    ]);
  });

  it('orders a level by check order; a check that could not run comes after the build-breaking findings, with its reason', () => {
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors.every((a) => a.title === 'go-preflight: mod-tidy')).toBe(true);
    const few = toAnnotations(makeReport({ toolchain: { status: 'error', skipReason: 'timed out after 30 s', findings: [] }, 'mod-tidy': { findings: many(2, 'error', 't') } }));
    expect(few.map((a) => a.title)).toEqual(['go-preflight: mod-tidy', 'go-preflight: mod-tidy', 'go-preflight: toolchain']);
    expect(few[2]).toEqual({ level: 'error', message: 'go-preflight could not run check toolchain: timed out after 30 s', title: 'go-preflight: toolchain' });
    const warnings = annotations.filter((a) => a.level === 'warning');
    expect(warnings.every((a) => a.title === 'go-preflight: go-env')).toBe(true);
    const notices = annotations.filter((a) => a.level === 'notice');
    expect(notices.slice(0, 3).every((a) => a.title === 'go-preflight: mod-tidy')).toBe(true);
    expect(notices.slice(3).every((a) => a.title === 'go-preflight: cgo')).toBe(true);
  });

  it('sorts inside a check by file then line', () => {
    const errs = annotations.filter((a) => a.level === 'error' && a.file);
    const keys = errs.map((a) => [a.file!, a.startLine!] as const);
    const sorted = [...keys].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] - b[1]));
    expect(keys).toEqual(sorted);
    expect(errs[0]!.file).toBe('pkg/f0.go');
  });

  it('says in the last annotation of a cut level how many more there are', () => {
    const byLevel = (l: string) => annotations.filter((a) => a.level === l);
    // errors: 1 (toolchain) + 150 (mod-tidy) + 100 (packages) = 251, 10 shown.
    expect(byLevel('error')[9]!.message).toMatch(/\n… and 241 more errors: see the job summary$/);
    // warnings: 30 + 40 = 70, 10 shown.
    expect(byLevel('warning')[9]!.message).toMatch(/\n… and 60 more warnings: see the job summary$/);
    // notices: 3 + 22 = 25, 10 shown.
    expect(byLevel('notice')[9]!.message).toMatch(/\n… and 15 more notices: see the job summary$/);
    // Only the last one carries the count.
    expect(annotations.filter((a) => a.message.includes('more ')).length).toBe(3);
  });

  it('honours perLevel and words a single remaining finding in the singular', () => {
    const r = makeReport({ secrets: { findings: many(4, 'error', 's') } });
    const a = toAnnotations(r, { perLevel: 3 });
    expect(a).toHaveLength(3);
    expect(a[2]!.message).toMatch(/… and 1 more error: see the job summary$/);
    expect(toAnnotations(r, { perLevel: 4 }).some((x) => x.message.includes('more'))).toBe(false);
  });

  it('adds nothing when under the cap', () => {
    const r = makeReport({ vendor: { findings: many(10, 'warning', 'v') } });
    const a = toAnnotations(r);
    expect(a).toHaveLength(10);
    expect(a.some((x) => x.message.includes('more'))).toBe(false);
  });

  it('builds title, message with the hint, target and repository-root paths', () => {
    const r = makeReport({
      packages: {
        findings: [
          { severity: 'error', message: 'no Go files in ./cmd/x', hint: 'add a file or drop the package', file: 'cmd/x/doc.txt', line: 4, column: 2, target: 'linux/arm64' },
          { severity: 'warning', message: 'GOFLAGS has -mod=mod' },
        ],
      },
    });
    const [err, warn] = toAnnotations(r, { pathPrefix: 'sub\\dir' });
    expect(err).toEqual({
      level: 'error',
      title: 'go-preflight: packages [linux/arm64]',
      message: 'no Go files in ./cmd/x\nFix: add a file or drop the package',
      file: 'sub/dir/cmd/x/doc.txt',
      startLine: 4,
      startColumn: 2,
    });
    expect(warn).toEqual({ level: 'warning', title: 'go-preflight: packages', message: 'GOFLAGS has -mod=mod' });
    expect(toAnnotations(r, { pathPrefix: './' })[0]!.file).toBe('cmd/x/doc.txt');
  });

  it('caps the message at 64 KB and the title at 255 characters, keeping the count', () => {
    const huge = 'x'.repeat(100_000) + '漢';
    const r = makeReport({
      cgo: {
        findings: Array.from({ length: 11 }, (_, i): Finding => ({ severity: 'error', message: huge, file: `a${i}.c`, target: 'linux/'.repeat(100) })),
      },
    });
    const a = toAnnotations(r);
    expect(a).toHaveLength(10);
    for (const x of a) {
      expect(Buffer.byteLength(x.message, 'utf8')).toBeLessThanOrEqual(64 * 1024);
      expect(x.title.length).toBeLessThanOrEqual(255);
    }
    expect(a[9]!.message.endsWith('… and 1 more error: see the job summary')).toBe(true);
  });
});

describe('toAnnotations: one budget for the whole step', () => {
  it('puts a committed secret and a tampered dependency before a build error, and a dirty tree last', () => {
    const r = makeReport({
      'git-clean': { findings: [{ severity: 'error', message: 'stray.txt is untracked', file: 'stray.txt' }] },
      toolchain: { findings: many(12, 'error', 'tc') },
      'mod-verify': { findings: [{ severity: 'error', message: 'go.sum mismatch', file: 'go.sum', line: 3, ruleId: 'gosum-mismatch' }] },
      secrets: { findings: [{ severity: 'error', message: 'GitHub token committed (ghp_…)', file: 'deploy.go', line: 3, ruleId: 'github-pat' }] },
    });
    const a = toAnnotations(r);
    expect(a.map((x) => x.title).slice(0, 3)).toEqual(['go-preflight: mod-verify', 'go-preflight: secrets', 'go-preflight: toolchain']);
    expect(a.some((x) => x.title === 'go-preflight: git-clean')).toBe(false);
    expect(a[9]!.message).toMatch(/… and 5 more errors: see the job summary$/);
  });

  it('counts logged warnings and errors, and the failure line, against the 10 per level; the note is never pushed off', () => {
    const r = makeReport({ 'go-env': { findings: many(12, 'warning', 'env') }, 'mod-tidy': { findings: many(12, 'error', 'tidy') } });
    const a = toAnnotations(r, {
      logged: [
        { level: 'warning', message: 'both go-version and go-version-file are set; go-version wins' },
        { level: 'warning', message: 'cache: could not restore' },
      ],
      failure: 'go-preflight: mod-tidy failed',
    });
    const warnings = a.filter((x) => x.level === 'warning');
    const errors = a.filter((x) => x.level === 'error');
    expect(warnings).toHaveLength(10);
    expect(errors).toHaveLength(10);
    // Findings first; the logged lines that do not fit are counted in the note.
    expect(warnings[9]!.message).toMatch(/… and 4 more warnings: see the job summary$/);
    expect(errors[8]!.message).toMatch(/… and 3 more errors: see the job summary$/);
    // The failure line is the 10th error, one line, for core.setFailed.
    expect(errors[9]).toEqual({ level: 'error', message: 'go-preflight: mod-tidy failed', title: 'go-preflight', failure: true });
    // Under the cap, a logged line is shown like a finding.
    const b = toAnnotations(makeReport({}), { logged: [{ level: 'warning', message: 'both go-version and go-version-file are set' }] });
    expect(b).toEqual([{ level: 'warning', message: 'both go-version and go-version-file are set', title: 'go-preflight' }]);
  });

  it('says the same cause once: go not found once, not once per check', () => {
    const reason = '`go` was not found on PATH';
    const r = makeReport({
      toolchain: { status: 'error', skipReason: reason },
      'mod-tidy': { status: 'error', skipReason: reason },
      packages: { status: 'error', skipReason: reason },
      cgo: { status: 'error', skipReason: 'timed out after 30 s' },
    });
    const plain = toAnnotations(r);
    expect(plain.map((x) => x.message)).toEqual([
      `go-preflight could not run checks toolchain, mod-tidy, packages: ${reason}`,
      'go-preflight could not run check cgo: timed out after 30 s',
    ]);
    const withLog = toAnnotations(r, {
      logged: [
        { level: 'error', message: `${reason}: install Go (actions/setup-go) before go-preflight` },
        { level: 'error', message: `${reason}: install Go (actions/setup-go) before go-preflight` },
      ],
    });
    expect(withLog.map((x) => x.message)).toEqual([
      `${reason}: install Go (actions/setup-go) before go-preflight (checks that could not run: toolchain, mod-tidy, packages)`,
      'go-preflight could not run check cgo: timed out after 30 s',
    ]);
  });

  it('makes the failure line one line, and carries the note itself when no other error fits', () => {
    const r = makeReport({ 'mod-tidy': { findings: many(3, 'error', 't') } });
    const a = toAnnotations(r, { perLevel: 1, failure: 'go-preflight: mod-tidy\nfailed' });
    expect(a).toEqual([{ level: 'error', title: 'go-preflight', failure: true, message: 'go-preflight: mod-tidy failed (… and 3 more errors: see the job summary)' }]);
    expect(toAnnotations(undefined, { failure: 'go-preflight: input checks: unknown check id "nope"' })).toEqual([
      { level: 'error', title: 'go-preflight', failure: true, message: 'go-preflight: input checks: unknown check id "nope"' },
    ]);
  });

  it('says "would fail" for an error downgraded by mode: warn, and names the commit of a finding seen in one', () => {
    const r = makeReport({
      secrets: { findings: [{ severity: 'warning', downgraded: true, message: 'GitHub token committed (ghp_…)', file: 'a.go', line: 1, commit: '0123456789abcdef0123456789abcdef01234567' }] },
    });
    const [a] = toAnnotations(r);
    expect(a!.title).toBe('go-preflight: secrets (would fail)');
    expect(a!.message).toContain('Would fail');
    expect(a!.message).toContain('(in commit 0123456)');
  });
});
