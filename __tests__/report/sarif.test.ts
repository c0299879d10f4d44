import { describe, expect, it } from '@jest/globals';
import { FINGERPRINT_KEY, renderSarif, toSarif } from '../../src/report/sarif.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Report } from '../../src/core/types.js';

function makeReport(over: Partial<Record<CheckId, Partial<CheckResult>>> = {}, durationMs = 10): Report {
  const checks = CHECK_IDS.map((id): CheckResult => ({ id, title: `Title of ${id}`, status: 'pass', durationMs, findings: [], ...over[id] }));
  return {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/abs/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64'],
    durationMs,
    checks,
  };
}

interface Sarif {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version?: string; informationUri?: string; rules: Array<Record<string, unknown> & { id: string }> } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string }; descriptor: { id: string } }> }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number; startColumn?: number } } }>;
      partialFingerprints: Record<string, string>;
      properties?: Record<string, string>;
    }>;
  }>;
}

const over: Partial<Record<CheckId, Partial<CheckResult>>> = {
  toolchain: { status: 'fail', findings: [{ severity: 'error', message: 'go.mod needs go 1.99', hint: 'install Go 1.99', file: 'go.mod', line: 3, column: 1 }] },
  'go-env': { status: 'warn', findings: [{ severity: 'warning', message: 'GOFLAGS=-mod=mod rewrites go.mod' }] },
  cgo: { status: 'error', skipReason: 'timed out after 30 s' },
  packages: { status: 'pass', findings: [{ severity: 'notice', message: 'cmd/x builds for linux only', file: 'cmd\\x\\main.go', line: 1, target: 'windows/amd64' }] },
  secrets: {
    status: 'fail',
    findings: [{ severity: 'error', message: 'token ghp_abc… committed', file: 'conf/a b.env', line: 7, ruleId: 'github-pat', fingerprint: 'conf/a b.env:github-pat:7' }],
  },
};

describe('toSarif', () => {
  const sarif = toSarif(makeReport(over), { toolVersion: '1.2.3', informationUri: 'https://example.com/go-preflight', pathPrefix: 'sub\\dir' }) as Sarif;
  const run = sarif.runs[0]!;

  it('is SARIF 2.1.0 with one run and one rule per check id, in contract order', () => {
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('go-preflight');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([...CHECK_IDS]);
    const tidy = run.tool.driver.rules[3]!;
    expect(tidy).toMatchObject({
      id: 'mod-tidy',
      name: 'ModTidy',
      shortDescription: { text: 'Title of mod-tidy' },
      fullDescription: { text: 'Are go.mod and go.sum tidy for every module in the repo?' },
      helpUri: 'https://example.com/go-preflight#mod-tidy',
    });
  });

  it('maps levels and keeps ruleIndex in line with the rules', () => {
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['toolchain', 'error'],
      ['go-env', 'warning'],
      ['packages', 'note'],
      ['secrets', 'error'],
    ]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('gives every result a location: repository-root uri with forward slashes, region when known', () => {
    const loc = (i: number) => run.results[i]!.locations[0]!.physicalLocation;
    expect(loc(0)).toEqual({ artifactLocation: { uri: 'sub/dir/go.mod', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 1 } });
    // No file: the module's go.mod, no region.
    expect(loc(1)).toEqual({ artifactLocation: { uri: 'sub/dir/go.mod', uriBaseId: '%SRCROOT%' } });
    expect(loc(2)).toEqual({ artifactLocation: { uri: 'sub/dir/cmd/x/main.go', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
    expect(loc(3).artifactLocation.uri).toBe('sub/dir/conf/a%20b.env');
    for (const r of run.results) {
      expect(r.locations.length).toBeGreaterThanOrEqual(1);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).not.toContain('\\');
    }
  });

  it('puts the hint in the message and the target and sub-rule in properties', () => {
    expect(run.results[0]!.message.text).toBe('go.mod needs go 1.99\nFix: install Go 1.99');
    expect(run.results[0]!.properties).toBeUndefined();
    expect(run.results[2]!.properties).toEqual({ target: 'windows/amd64' });
    expect(run.results[3]!.properties).toEqual({ subRule: 'github-pat' });
  });

  it('fingerprints stably, using the finding fingerprint when there is one', () => {
    const again = toSarif(makeReport(over, 9999), { pathPrefix: 'other/' }) as Sarif;
    const fp = (s: Sarif) => s.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(fp(again)).toEqual(fp(sarif));
    expect(new Set(fp(sarif)).size).toBe(4);
    expect(fp(sarif)[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(sarif)[3]).toBe('conf/a b.env:github-pat:7');
    // A different line is a different alert.
    const moved = structuredClone(over);
    moved.toolchain!.findings![0]!.line = 4;
    expect(fp(toSarif(makeReport(moved)) as Sarif)[0]).not.toBe(fp(sarif)[0]);
    expect(renderSarif(makeReport(over))).toBe(renderSarif(makeReport(over)));
  });

  it('records a check that could not run as a tool execution notification', () => {
    expect(run.invocations[0]!.toolExecutionNotifications).toEqual([
      { level: 'error', message: { text: 'go-preflight could not run check cgo: timed out after 30 s' }, descriptor: { id: 'cgo' } },
    ]);
  });

  it('still lists 11 rules when the report lacks checks, and renders parseable JSON', () => {
    const r = makeReport();
    r.checks = r.checks.slice(0, 2);
    const s = JSON.parse(renderSarif(r)) as Sarif;
    expect(s.runs[0]!.tool.driver.rules).toHaveLength(11);
    expect(s.runs[0]!.tool.driver.rules[10]!.shortDescription).toEqual({ text: 'Committed secrets' });
    expect(s.runs[0]!.tool.driver.rules[0]!.helpUri).toBeUndefined();
    expect(s.runs[0]!.results).toEqual([]);
  });

  it('keeps under the 25,000-result limit of code scanning, results, the most severe first, and says what it left out', () => {
    const notes = Array.from({ length: 20 }, (_, i) => ({ severity: 'notice' as const, message: `n${i}`, file: `n${i}.go` }));
    const errors = Array.from({ length: 5 }, (_, i) => ({ severity: 'error' as const, message: `e${i}`, file: `e${i}.go` }));
    const r = makeReport({ toolchain: { status: 'pass', findings: notes }, secrets: { status: 'fail', findings: errors } });
    const s = toSarif(r, { maxResults: 8 }) as Sarif;
    const res = s.runs[0]!.results;
    expect(res).toHaveLength(8);
    expect(res.filter((x) => x.level === 'error')).toHaveLength(5);
    // Output keeps check order: the 3 notices kept are toolchain's first ones.
    expect(res.map((x) => x.message.text)).toEqual(['n0', 'n1', 'n10', 'e0', 'e1', 'e2', 'e3', 'e4']);
    expect(s.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: '17 of 25 findings are not in this file: code scanning accepts at most 8 results per run; the JSON report holds every finding' },
      },
    ]);
    const many = makeReport({ secrets: { status: 'fail', findings: Array.from({ length: 25_001 }, (_, i) => ({ severity: 'error' as const, message: `m${i}` })) } });
    expect((toSarif(many) as Sarif).runs[0]!.results).toHaveLength(25_000);
  });
});
