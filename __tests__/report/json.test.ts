import { describe, expect, it } from '@jest/globals';
import { renderJson, toJsonReport } from '../../src/report/json.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report } from '../../src/core/types.js';

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}): Report {
  const checks = CHECK_IDS.map((id): CheckResult => ({ id, title: `Title of ${id}`, status: 'pass', durationMs: 5, findings: [], ...over[id] }));
  return {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/abs/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64', 'linux/arm64'],
    durationMs: 812,
    checks,
  };
}

// A small validator of the contract's schemaVersion 1 shape: exact key sets, types, and
// optional fields absent (never null or undefined).
type Problems = string[];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isNonNegInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function keysExactly(o: Record<string, unknown>, required: string[], optional: string[], where: string, p: Problems): void {
  for (const k of required) if (!(k in o)) p.push(`${where}: missing ${k}`);
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) p.push(`${where}: unexpected key ${k}`);
    if (o[k] === null || o[k] === undefined) p.push(`${where}: ${k} is ${String(o[k])}`);
  }
}

function validateReport(doc: unknown): Problems {
  const p: Problems = [];
  if (!isObj(doc)) return ['not an object'];
  keysExactly(doc, ['schemaVersion', 'conclusion', 'dir', 'go', 'targets', 'durationMs', 'checks'], ['runner', 'shard', 'modules'], 'report', p);
  if ('modules' in doc && !(Array.isArray(doc.modules) && doc.modules.every((m) => typeof m === 'string'))) p.push('modules not strings');
  if (doc.schemaVersion !== 1) p.push('schemaVersion is not 1');
  if (!['success', 'warning', 'failure'].includes(doc.conclusion as string)) p.push('bad conclusion');
  if (typeof doc.dir !== 'string') p.push('dir not a string');
  if (!isObj(doc.go)) p.push('go not an object');
  else {
    keysExactly(doc.go, ['version', 'goos', 'goarch'], [], 'go', p);
    for (const k of ['version', 'goos', 'goarch']) if (typeof doc.go[k] !== 'string') p.push(`go.${k} not a string`);
  }
  if (!Array.isArray(doc.targets) || !doc.targets.every((t) => typeof t === 'string')) p.push('targets not strings');
  if (!isNonNegInt(doc.durationMs)) p.push('durationMs');
  if (!Array.isArray(doc.checks)) return [...p, 'checks not an array'];
  if (JSON.stringify(doc.checks.map((c) => (isObj(c) ? c.id : undefined))) !== JSON.stringify(CHECK_IDS)) p.push('checks not every id in table order');
  doc.checks.forEach((c, i) => {
    const w = `checks[${i}]`;
    if (!isObj(c)) return void p.push(`${w} not an object`);
    const withReason = c.status === 'skip' || c.status === 'error';
    keysExactly(c, ['id', 'title', 'status', 'durationMs', 'findings', ...(withReason ? ['skipReason'] : [])], ['notes', 'suppressed'], w, p);
    if ('notes' in c && !(Array.isArray(c.notes) && c.notes.every((n) => typeof n === 'string'))) p.push(`${w}.notes`);
    if (typeof c.title !== 'string') p.push(`${w}.title`);
    if (!['pass', 'warn', 'fail', 'skip', 'error'].includes(c.status as string)) p.push(`${w}.status`);
    if (withReason && (typeof c.skipReason !== 'string' || c.skipReason === '')) p.push(`${w}.skipReason`);
    if (!isNonNegInt(c.durationMs)) p.push(`${w}.durationMs`);
    if (!Array.isArray(c.findings)) return void p.push(`${w}.findings`);
    c.findings.forEach((f, j) => {
      const fw = `${w}.findings[${j}]`;
      if (!isObj(f)) return void p.push(`${fw} not an object`);
      keysExactly(f, ['severity', 'message'], ['hint', 'file', 'line', 'column', 'target', 'ruleId', 'fingerprint', 'endLine', 'endColumn', 'module', 'commit', 'downgraded'], fw, p);
      if ('downgraded' in f && f.downgraded !== true) p.push(`${fw}.downgraded is not true`);
      if (!['error', 'warning', 'notice'].includes(f.severity as string)) p.push(`${fw}.severity`);
      for (const k of ['message', 'hint', 'file', 'target']) if (k in f && typeof f[k] !== 'string') p.push(`${fw}.${k}`);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) if (k in f && !isPosInt(f[k])) p.push(`${fw}.${k}`);
      if ('commit' in f && !/^[0-9a-f]{40,64}$/.test(String(f.commit))) p.push(`${fw}.commit is not a full sha`);
      if (typeof f.file === 'string' && f.file.includes('\\')) p.push(`${fw}.file has a backslash`);
      if ('line' in f && !('file' in f)) p.push(`${fw}.line without file`);
      if ('column' in f && !('line' in f)) p.push(`${fw}.column without line`);
    });
  });
  return p;
}

describe('the JSON report', () => {
  const full: Finding = {
    severity: 'error',
    message: 'go.mod requires go >= 1.99.0 but the running Go is go1.24.1',
    hint: 'install Go 1.99.0',
    file: 'go.mod',
    line: 3,
    column: 1,
    target: 'linux/arm64',
    ruleId: 'go-directive',
    fingerprint: 'go.mod:go-directive:3',
  };
  const report = makeReport({
    toolchain: { status: 'fail', findings: [full, { severity: 'warning', message: 'only a message' }], details: '```diff\n-x\n```', notes: ['a note'] },
    vendor: { status: 'skip', durationMs: 0, skipReason: 'not applicable: no vendor/', findings: [] },
    cgo: { status: 'error', skipReason: 'timed out after 30 s', findings: [] },
    // A pass with a stray skipReason must not leak it; an error without one still gets a reason.
    modules: { status: 'pass', skipReason: 'stray', findings: [] },
    secrets: { status: 'error', findings: [] },
    packages: {
      status: 'warn',
      findings: [
        { severity: 'warning', message: 'm', hint: '', file: 'a\\b.go', line: 0, column: 4, target: undefined },
        { severity: 'warning', message: 'was an error', downgraded: true },
      ],
    },
  });
  report.modules = ['.', 'svc'];
  // A field a future type might add must not reach the contract's JSON.
  (report.checks[0]!.findings[0] as unknown as Record<string, unknown>).raw = 'do not show';
  (report as unknown as Record<string, unknown>).extra = 'do not show';

  it('validates against the contract', () => {
    const doc = JSON.parse(renderJson(report)) as unknown;
    expect(validateReport(doc)).toEqual([]);
  });

  it('has a validator that can fail: the raw Report is not the contract shape', () => {
    const problems = validateReport(JSON.parse(JSON.stringify(report)));
    expect(problems).toEqual(
      expect.arrayContaining([
        'report: unexpected key extra',
        'checks[0]: unexpected key details',
        'checks[0].findings[0]: unexpected key raw',
        'checks[5]: unexpected key skipReason',
        'checks[10]: missing skipReason',
      ]),
    );
  });

  it('keeps every contract field and drops the others', () => {
    const doc = toJsonReport(report);
    const toolchain = doc.checks[0]!;
    expect(toolchain).toEqual({
      id: 'toolchain',
      title: 'Title of toolchain',
      status: 'fail',
      durationMs: 5,
      findings: [
        {
          severity: 'error',
          message: 'go.mod requires go >= 1.99.0 but the running Go is go1.24.1',
          hint: 'install Go 1.99.0',
          file: 'go.mod',
          line: 3,
          column: 1,
          target: 'linux/arm64',
          ruleId: 'go-directive',
          fingerprint: 'go.mod:go-directive:3',
        },
        { severity: 'warning', message: 'only a message' },
      ],
      notes: ['a note'],
    });
    expect(JSON.stringify(doc)).not.toMatch(/do not show|details/);
  });

  it('writes the additions: the modules inspected, and downgraded on an error that a warn level or mode lowered', () => {
    const doc = toJsonReport(report);
    expect(doc.modules).toEqual(['.', 'svc']);
    expect(doc.checks.find((c) => c.id === 'packages')!.findings[1]).toEqual({ severity: 'warning', message: 'was an error', downgraded: true });
    expect(doc.checks.find((c) => c.id === 'packages')!.findings[0]).not.toHaveProperty('downgraded');
  });

  it('has skipReason only on skip and error', () => {
    const doc = toJsonReport(report);
    const by = (id: string) => doc.checks.find((c) => c.id === id)!;
    expect(by('vendor').skipReason).toBe('not applicable: no vendor/');
    expect(by('cgo').skipReason).toBe('timed out after 30 s');
    expect(by('secrets').skipReason).toBe('the check could not complete');
    expect('skipReason' in by('modules')).toBe(false);
    expect('skipReason' in by('toolchain')).toBe(false);
  });

  it('leaves out unknown or invalid optional fields instead of writing null', () => {
    const doc = toJsonReport(report);
    // Empty hint, line 0 (so no column either) and an undefined target are not known.
    expect(doc.checks.find((c) => c.id === 'packages')!.findings[0]).toEqual({ severity: 'warning', message: 'm', file: 'a/b.go' });
    expect(renderJson(report)).not.toContain('null');
  });

  it('is pretty-printed with 2 spaces and ends with a newline', () => {
    const text = renderJson(report);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "conclusion": "failure",\n  "dir": "/abs/repo",')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['schemaVersion', 'conclusion', 'dir', 'go', 'targets', 'durationMs', 'checks', 'modules']);
  });

  it('round-trips go output and command-like text, without feeding the go matcher or the runner', () => {
    const message = 'main.go:3:1: undefined: x\n::add-mask::y ##[error]z';
    const r = makeReport({ packages: { status: 'fail', findings: [{ severity: 'error', message, file: 'main.go', line: 3 }] } });
    const text = renderJson(r);
    const doc = JSON.parse(text) as { checks: Array<{ findings: Array<{ message: string }> }> };
    expect(doc.checks[8]!.findings[0]!.message).toBe(message);
    expect(doc).toEqual(JSON.parse(JSON.stringify(toJsonReport(r))));
    for (const line of text.split('\n')) {
      expect(line).not.toMatch(/^\s*(.+\.go):(?:(\d+):(\d+):)? (.*)/);
      expect(line).not.toContain('##[');
      expect(line.trimStart().startsWith('::')).toBe(false);
    }
  });
});
