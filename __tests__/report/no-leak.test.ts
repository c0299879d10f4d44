// A secrets finding carries only a redacted preview in its message. The renderers must show that
// text and nothing more: no field outside the finding's shown ones, no value from elsewhere.

import { describe, expect, it } from '@jest/globals';
import { toAnnotations } from '../../src/report/annotations.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { sarifSchemaErrors } from '../helpers/sarif.js';
import { CHECK_IDS, type CheckResult, type Finding, type Report } from '../../src/core/types.js';

// Built at run time so that no secret-shaped literal sits in the source.
const FULL_VALUE = ['ghp', 'Z'.repeat(36)].join('_');
const PREVIEW = 'token ghp_abc…';

function secretReport(): Report {
  const finding: Finding = {
    severity: 'error',
    message: PREVIEW,
    file: 'config/app.env',
    line: 2,
    column: 7,
    ruleId: 'github-pat',
    fingerprint: 'config/app.env:github-pat:2',
  };
  // Fields a careless producer might attach: never part of any output.
  Object.assign(finding, { secret: FULL_VALUE, match: `GH_TOKEN=${FULL_VALUE}`, entropy: 4.2 });
  const checks = CHECK_IDS.map(
    (id): CheckResult =>
      id === 'secrets'
        ? { id, title: 'Committed secrets', status: 'fail', durationMs: 40, findings: [finding] }
        : { id, title: `Title of ${id}`, status: 'pass', durationMs: 1, findings: [] },
  );
  const report: Report = {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/abs/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64'],
    durationMs: 50,
    checks,
  };
  Object.assign(report, { env: { GH_TOKEN: FULL_VALUE } });
  return report;
}

const count = (hay: string, needle: string) => hay.split(needle).length - 1;

describe('a redacted secret finding', () => {
  const report = secretReport();
  const outputs: Record<string, string> = {
    annotations: JSON.stringify(toAnnotations(report, { pathPrefix: 'sub/' })),
    json: renderJson(report),
    // Markdown escapes `_`; what GitHub renders is the same text.
    markdown: renderMarkdown(report, { serverUrl: 'https://github.com', repository: 'o/r', sha: 'abc' }).replace(/\\_/g, '_'),
    sarif: renderSarif(report),
    text: renderText(report, { verbose: true }),
    textColor: renderText(report, { color: true }),
  };

  it.each(Object.keys(outputs))('%s shows the preview and nothing of the full value', (name) => {
    const out = outputs[name]!;
    expect(out).not.toContain(FULL_VALUE);
    expect(out).not.toContain('Z'.repeat(8));
    expect(out).not.toContain('GH_TOKEN');
    expect(out).not.toContain('entropy');
    // Every `ghp_` in the output is the preview itself, shown exactly once.
    expect(count(out, PREVIEW)).toBe(1);
    expect(count(out, 'ghp_')).toBe(1);
  });

  it.each(['annotations', 'markdown', 'text'])('%s leaves out the rule id and fingerprint', (name) => {
    expect(outputs[name]).not.toContain('github-pat');
  });

  it('json carries the rule id and fingerprint (contract additions), never more of the secret', () => {
    const doc = JSON.parse(outputs.json!) as { checks: Array<{ findings: Array<Record<string, unknown>> }> };
    const f = doc.checks.flatMap((c) => c.findings)[0]!;
    expect(f.ruleId).toBe('github-pat');
    expect(Object.keys(f).sort()).toEqual(['column', 'file', 'fingerprint', 'line', 'message', 'ruleId', 'severity']);
  });

  it('sarif passes the SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(JSON.parse(outputs.sarif!))).toEqual([]);
  });

  it('shows exactly the finding in the annotation', () => {
    expect(toAnnotations(report)).toEqual([
      { level: 'error', title: 'go-preflight: secrets', message: PREVIEW, file: 'config/app.env', startLine: 2, startColumn: 7 },
    ]);
  });
});
