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

  it('orders a level by check order, and the check that could not run comes with its reason', () => {
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors[0]).toEqual({
      level: 'error',
      message: 'go-preflight could not run check toolchain: timed out after 30 s',
      title: 'go-preflight: toolchain',
    });
    expect(errors.slice(1).every((a) => a.title === 'go-preflight: mod-tidy')).toBe(true);
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
