import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from 'sarif';
import { CHECK_HELP, FINGERPRINT_KEY, README_ANCHORS, pascalCase, renderSarif, toSarif } from '../../src/report/sarif.js';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report } from '../../src/core/types.js';
import { CHECK_QUESTIONS } from '../../src/report/format.js';
import { multitoolBinary, sarifSchemaErrors } from '../helpers/sarif.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';
import { afterAll } from '@jest/globals';

afterAll(cleanupTempDirs);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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

const over: Partial<Record<CheckId, Partial<CheckResult>>> = {
  toolchain: { status: 'fail', findings: [{ severity: 'error', message: 'go.mod needs go 1.99', hint: 'install Go 1.99', file: 'go.mod', line: 3, column: 1, endLine: 3, endColumn: 9 }] },
  'go-env': { status: 'warn', findings: [{ severity: 'warning', message: 'GOFLAGS=-mod=mod rewrites go.mod' }] },
  'mod-tidy': { status: 'fail', findings: [{ severity: 'error', message: 'svc/go.mod is not tidy', module: 'svc', ruleId: 'gomod-untidy' }] },
  'mod-verify': {
    status: 'fail',
    findings: [{ severity: 'error', message: 'go.sum does not match what was downloaded for x@v1', file: 'go.sum', line: 4, ruleId: 'gosum-mismatch', module: '.' }],
  },
  cgo: { status: 'error', skipReason: 'timed out after 30 s' },
  packages: { status: 'pass', findings: [{ severity: 'notice', message: 'cmd/x builds for linux only', file: 'cmd\\x\\main.go', line: 1, target: 'windows/amd64' }] },
  secrets: {
    status: 'fail',
    findings: [
      { severity: 'error', message: 'token ghp_abc… committed', file: 'conf/a b.env', line: 7, ruleId: 'github-pat', fingerprint: 'conf/a b.env:github-pat:7', commit: 'a'.repeat(40) },
      { severity: 'warning', message: 'Possible secret assigned to apiKey (abcd…)', file: 'x.go', line: 2, ruleId: 'generic-api-key' },
    ],
  },
};

type Run = Log['runs'][number];

describe('toSarif', () => {
  const sarif = toSarif(makeReport(over), { toolVersion: '1.2.3', informationUri: 'https://example.com/go-preflight', pathPrefix: 'sub\\dir' });
  const run = sarif.runs[0]! as Run;
  const rules = run.tool.driver.rules!;
  const results = run.results!;
  const byRule = (id: string) => results.filter((r) => r.ruleId === id);

  it('passes the SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(JSON.parse(renderSarif(makeReport(over))))).toEqual([]);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
  });

  it('has one rule per check id, then one per secret rule and security rule with results; PascalCase names distinct from ids', () => {
    expect(rules.slice(0, CHECK_IDS.length).map((r) => r.id)).toEqual([...CHECK_IDS]);
    expect(rules.slice(CHECK_IDS.length).map((r) => r.id)).toEqual(['mod-verify/gosum-mismatch', 'secrets/generic-api-key', 'secrets/github-pat']);
    for (const r of rules) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.name!.toLowerCase()).not.toBe(r.id.toLowerCase().replace(/[^a-z0-9]/g, ''));
    }
    expect(rules.find((r) => r.id === 'mod-tidy')!.name).toBe('GoModTidy');
    expect(rules.find((r) => r.id === 'toolchain')!.name).toBe('GoToolchain');
    expect(pascalCase('git-clean')).toBe('GitClean');
    // ruleIndex points at the result's rule.
    for (const r of results) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('tags secrets and checksum mismatches as security with a security-severity: a provider key critical, a generic finding medium', () => {
    const sev = (id: string) => Number((rules.find((r) => r.id === id)!.properties as Record<string, unknown>)['security-severity']);
    const tags = (id: string) => (rules.find((r) => r.id === id)!.properties as { tags: string[] }).tags;
    expect(tags('secrets/github-pat')).toContain('security');
    expect(tags('mod-verify/gosum-mismatch')).toContain('security');
    expect(tags('mod-tidy')).not.toContain('security');
    expect(sev('secrets/github-pat')).toBeGreaterThanOrEqual(9);
    expect(sev('secrets/generic-api-key')).toBeGreaterThanOrEqual(4);
    expect(sev('secrets/generic-api-key')).toBeLessThan(7);
    expect(sev('mod-verify/gosum-mismatch')).toBeGreaterThanOrEqual(7);
    expect(byRule('secrets/github-pat')).toHaveLength(1);
  });

  it('links each rule to the README section of its check and says how to fix, not the question again', () => {
    for (const id of CHECK_IDS) {
      const r = rules.find((x) => x.id === id)!;
      expect(r.helpUri).toBe(`https://example.com/go-preflight#${README_ANCHORS[id]}`);
      expect(r.help!.text).toBe(CHECK_HELP[id]);
      expect(r.help!.text).not.toBe(CHECK_QUESTIONS[id]);
      expect(r.fullDescription!.text).toBe(CHECK_QUESTIONS[id]);
    }
  });

  it("README anchors are the README's check headings, as GitHub slugs them", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const slug = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
    const slugs = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    for (const id of CHECK_IDS) expect(slugs).toContain(README_ANCHORS[id]);
  });

  it('gives every result a region: the start line (1 when unknown), end line and exclusive end column where known', () => {
    for (const r of results) expect(r.locations![0]!.physicalLocation!.region!.startLine).toBeGreaterThanOrEqual(1);
    const tc = byRule('toolchain')[0]!;
    expect(tc.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'sub/dir/go.mod', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 10 },
    });
    expect(byRule('secrets/github-pat')[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('sub/dir/conf/a%20b.env');
    expect(byRule('packages')[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('sub/dir/cmd/x/main.go');
  });

  it("puts a finding with no file on its module's go.mod, and one with neither out of the results, in a notification", () => {
    expect(byRule('mod-tidy')[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('sub/dir/svc/go.mod');
    expect(byRule('go-env')).toEqual([]);
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    const env = notes.find((n) => n.message.text!.includes('GOFLAGS=-mod=mod'))!;
    expect(env.level).toBe('warning');
    expect(env.associatedRule).toEqual({ id: 'go-env', index: 1 });
    // With a list of the repository's files, a go.mod that is not there is not used either.
    const s2 = toSarif(makeReport(over), { linkable: (f) => f !== 'svc/go.mod' });
    expect(s2.runs[0]!.results!.filter((r) => r.ruleId === 'mod-tidy')).toEqual([]);
    // An untracked file is not in the repository either: a notification, not an alert.
    const s3 = toSarif(makeReport({ 'git-clean': { status: 'fail', findings: [{ severity: 'error', message: 'stray.txt is untracked', file: 'stray.txt' }] } }), { linkable: (f) => f !== 'stray.txt' });
    expect(s3.runs[0]!.results).toEqual([]);
    expect(s3.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.message.text).toContain('stray.txt is untracked');
    expect(sarifSchemaErrors(s3)).toEqual([]);
    // Never the old fallback: a result on a root go.mod it knows nothing about.
    expect(results.filter((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'sub/dir/go.mod')).toHaveLength(1);
  });

  it('records a check that could not run as a notification with associatedRule, and execution as unsuccessful', () => {
    const inv = run.invocations![0]!;
    expect(inv.executionSuccessful).toBe(false);
    const cgo = inv.toolExecutionNotifications!.find((n) => n.associatedRule?.id === 'cgo')!;
    expect(cgo).toEqual({ level: 'error', message: { text: 'go-preflight could not run check cgo: timed out after 30 s' }, associatedRule: { id: 'cgo', index: 9 } });
    expect(JSON.stringify(inv)).not.toContain('descriptor');
    const ok = toSarif(makeReport({ toolchain: over.toolchain }));
    expect(ok.runs[0]!.invocations![0]!.executionSuccessful).toBe(true);
  });

  it('puts the hint in the message and the target, module, sub-rule and commit in properties', () => {
    expect(byRule('toolchain')[0]!.message.text).toBe('go.mod needs go 1.99\nFix: install Go 1.99');
    expect(byRule('packages')[0]!.properties).toMatchObject({ target: 'windows/amd64', check: 'packages' });
    expect(byRule('mod-tidy')[0]!.properties).toMatchObject({ module: 'svc', subRule: 'gomod-untidy' });
    const pat = byRule('secrets/github-pat')[0]!;
    expect(pat.properties).toMatchObject({ commit: 'a'.repeat(40), subRule: 'github-pat' });
    expect(pat.message.text).toContain('in commit aaaaaaaaaaaa');
    expect(JSON.stringify(results)).not.toContain('primaryLocationLineHash');
  });

  it('fingerprints what a finding is about: the same after an edit above it or a new Go version in the message', () => {
    const fp = (f: Finding, id: CheckId = 'mod-tidy') =>
      toSarif(makeReport({ [id]: { status: 'fail', findings: [f] } })).runs[0]!.results![0]!.partialFingerprints![FINGERPRINT_KEY];
    const base: Finding = { severity: 'error', message: 'go.mod requires go 1.22 but the running Go is go1.26.8', file: 'go.mod', line: 3, ruleId: 'r', module: '.' };
    expect(fp({ ...base, line: 9, message: 'go.mod requires go 1.22 but the running Go is go1.26.9 (2 extra lines)' })).toBe(fp(base));
    expect(fp({ ...base, file: 'b/go.mod' })).not.toBe(fp(base));
    expect(fp({ ...base, module: 'b' })).not.toBe(fp(base));
    expect(fp({ ...base, target: 'linux/arm64' })).not.toBe(fp(base));
    expect(fp({ ...base, ruleId: 'other' })).not.toBe(fp(base));
    expect(fp(base, 'modules')).not.toBe(fp(base));
    // Two findings about the same thing stay apart, and keep their fingerprints when both move down.
    const two = (shift: number) =>
      toSarif(
        makeReport({
          secrets: {
            status: 'fail',
            findings: [
              { severity: 'error', message: 'a', file: 'k.env', line: 2 + shift, ruleId: 'github-pat' },
              { severity: 'error', message: 'b', file: 'k.env', line: 5 + shift, ruleId: 'github-pat' },
            ],
          },
        }),
      ).runs[0]!.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    expect(new Set(two(0)).size).toBe(2);
    expect(two(10)).toEqual(two(0));
  });

  it('still lists every check rule when the report lacks checks, and renders parseable JSON', () => {
    const r = makeReport();
    r.checks = [];
    const parsed = JSON.parse(renderSarif(r)) as Log;
    expect(parsed.runs[0]!.tool.driver.rules!.map((x) => x.id)).toEqual([...CHECK_IDS]);
    expect(parsed.runs[0]!.results).toEqual([]);
    expect(sarifSchemaErrors(parsed)).toEqual([]);
  });

  it('keeps under the 25,000-result limit of code scanning, the most severe first, and says what it left out', () => {
    const many = makeReport({
      'git-clean': { status: 'warn', findings: Array.from({ length: 30 }, (_, i): Finding => ({ severity: 'warning', message: `w${i}`, file: `w${i}.txt` })) },
      'mod-tidy': { status: 'fail', findings: Array.from({ length: 5 }, (_, i): Finding => ({ severity: 'error', message: `e${i}`, file: `e${i}.go` })) },
    });
    const s = toSarif(many, { maxResults: 10 });
    const res = s.runs[0]!.results!;
    expect(res).toHaveLength(10);
    expect(res.filter((r) => r.level === 'error')).toHaveLength(5);
    expect(s.runs[0]!.invocations![0]!.toolExecutionNotifications!.some((n) => n.message.text!.startsWith('25 of 35 findings are not in this file'))).toBe(true);
    expect(sarifSchemaErrors(s)).toEqual([]);
  });
});

describe('the SARIF Multitool with GitHub ingestion rules', () => {
  const bin = multitoolBinary();
  const itRuns = bin ? it : it.skip;
  if (!bin) {
    // Printed so that a skip is never silent.
    console.warn(`SARIF Multitool test skipped: @microsoft/sarif-multitool has no binary for ${process.platform}/${process.arch} installed (npm ci installs it on linux, darwin and win32)`);
  }
  itRuns('validates our SARIF with --rule-kind "Gh;Ghas;Sarif" without an error', async () => {
    const dir = await tempDir('sarif-multitool');
    const file = path.join(dir, 'go-preflight.sarif');
    await fs.writeFile(file, renderSarif(makeReport(over), { toolVersion: '1.2.3', pathPrefix: 'sub/' }));
    const out = path.join(dir, 'validation.sarif');
    const r = spawnSync(bin!, ['validate', file, '--rule-kind', 'Gh;Ghas;Sarif', '--output', out, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      timeout: 120_000,
      // .NET's globalization needs ICU; invariant mode spares the runner from having libicu.
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    expect(r.error).toBeUndefined();
    const validation = JSON.parse(await fs.readFile(out, 'utf8')) as Log;
    const problems = (validation.runs[0]!.results ?? []).filter((x) => x.level === 'error' || x.level === 'warning' || x.level === undefined);
    expect(problems.map((p) => `${p.ruleId}: ${p.message.text ?? JSON.stringify(p.message)}`)).toEqual([]);
  });
});
