// Redaction in the report layer: whatever check quotes a credential, no output holds it whole.
// Secret-looking values are generated at run time; none is written in this file.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { createRecordingLogger } from '../../src/core/logger.js';
import { runPreflight } from '../../src/core/preflight.js';
import { CHECK_IDS, type CheckResult, type Report } from '../../src/core/types.js';
import { toAnnotations } from '../../src/report/annotations.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { redactReport, redactText } from '../../src/report/redact.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { githubToken, rnd } from '../secrets/helpers.js';
import { sarifSchemaErrors } from '../helpers/sarif.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

/** An AWS access key id shape: AKIA + 16 of [A-Z2-7]. */
const awsKeyId = () => `AKIA${rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;

function report(checks: Partial<Record<string, Partial<CheckResult>>>, extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    conclusion: 'failure',
    dir: '/repo',
    go: { version: 'go1.24.1', goos: 'linux', goarch: 'amd64' },
    targets: ['linux/amd64'],
    durationMs: 1,
    checks: CHECK_IDS.map((id): CheckResult => ({ id, title: id, status: 'pass', durationMs: 1, findings: [], ...checks[id] })),
    ...extra,
  };
}

describe('redactReport', () => {
  it('cuts every recognised value to its preview in every string field, and leaves the rest alone', () => {
    const t = githubToken();
    const a = awsKeyId();
    const pass = rnd(24);
    const sum = `h1:${rnd(43)}=`;
    const input = report({
      modules: {
        status: 'fail',
        findings: [
          { severity: 'error', message: `replace target ../${t} does not exist`, hint: `fix the replace of example.com/${a}/lib`, file: `sub/${t}/go.mod`, line: 3, module: `sub/${t}` },
          { severity: 'error', message: `go.sum line for x@v1.0.0 is ${sum}`, file: 'go.sum', line: 1 },
        ],
        details: `\`\`\`\nuse ./${t}\n\`\`\``,
        notes: [`GOPROXY=https://bob:${pass}@proxy.example.test/ was used`],
        suppressed: [{ file: `${t}.env`, by: 'allowlist', at: `.gitleaks.toml:${a}` }],
      },
      toolchain: { status: 'error', skipReason: `.go-version says ${t}` },
    });
    const before = JSON.stringify(input);
    const out = redactReport(input);
    const text = JSON.stringify(out);
    for (const v of [t, a, pass]) expect(text).not.toContain(v);
    expect(text).toContain(`${t.slice(0, 4)}…`);
    expect(text).toContain(`${a.slice(0, 4)}…`);
    expect(text).toContain('https://bob:***@proxy.example.test/');
    // Not secrets: a go.sum hash, module paths, the structure.
    expect(text).toContain(sum);
    expect(out.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(out.checks[5]!.findings[0]!.line).toBe(3);
    // The input is not changed.
    expect(JSON.stringify(input)).toBe(before);
  });

  it('finds every value in a report holding more than the engine finds in one file (200)', () => {
    const tokens = Array.from({ length: 450 }, () => githubToken());
    const r = report({ modules: { status: 'fail', findings: tokens.map((t, i) => ({ severity: 'error' as const, message: `replace target ../${t} does not exist`, line: i + 1, file: 'go.mod' })) } });
    const text = JSON.stringify(redactReport(r));
    expect(tokens.filter((t) => text.includes(t))).toEqual([]);
  });

  it('redacts a token used as the user of a URL, and lines of text', () => {
    const t = rnd(40);
    expect(redactText(`GOPROXY=https://${t}@goproxy.example.test`)).toBe(`GOPROXY=https://${t.slice(0, 4)}…@goproxy.example.test`);
    expect(redactText('https://user@host/x and git@github.com:o/r')).toBe('https://user@host/x and git@github.com:o/r');
  });
});

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runCliCaptured(args, { env });
}

describe('no check prints a pasted credential, on any surface (real CLI, real repo)', () => {
  it('go.mod require and replace, go.work use, .go-version, an import path, GOPROXY with credentials', async () => {
    const inRequire = githubToken();
    const inReplace = githubToken();
    const inUse = githubToken();
    const inGoVersion = githubToken();
    const inImport = awsKeyId();
    const proxyPassword = `${rnd(12)}Zz9${rnd(12)}`;
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.21', `require example.com/${inRequire}/lib v1.0.0\n\nreplace example.com/other => ../${inReplace}`),
      'go.work': `go 1.21\n\nuse (\n\t.\n\t./${inUse}\n)\n`,
      '.go-version': `${inGoVersion}\n`,
      'main.go': `package main\n\nimport _ "example.com/x/${inImport}"\n\nfunc main() {}\n`,
    });
    const values = [inRequire, inReplace, inUse, inGoVersion, inImport, proxyPassword];
    // Offline and fast: the proxy is a closed local port; GOFLAGS keeps go from trying the network for sums.
    const env = { GOPROXY: `http://ci:${proxyPassword}@127.0.0.1:9/`, GONOSUMDB: '*', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

    // The checks do quote these values (what the redaction has to catch).
    const { report: raw } = await runPreflight(
      { dir, overrides: { source: 'flag' }, checks: ALL_CHECKS },
      { logger: createRecordingLogger(), env: { ...process.env, ...env } },
    );
    const rawText = renderJson(raw) + renderText(raw, { verbose: true }) + renderMarkdown(raw);
    const quoted = values.filter((v) => rawText.includes(v));
    expect(quoted.length).toBeGreaterThanOrEqual(4);

    for (const format of ['text', 'json', 'markdown', 'sarif']) {
      const r = await cli(['--format', format, '--verbose', dir], env);
      expect(r.code).toBe(1);
      const all = r.stdout + r.stderr;
      for (const v of values) expect(all).not.toContain(v);
      if (format === 'sarif') expect(sarifSchemaErrors(JSON.parse(r.stdout))).toEqual([]);
    }
    // The action's annotations are planned from the same redacted report.
    const ann = JSON.stringify(toAnnotations(redactReport(raw)));
    for (const v of values) expect(ann).not.toContain(v);
    const sarif = renderSarif(redactReport(raw));
    for (const v of values) expect(sarif).not.toContain(v);
  });

  it('a config value: the error line names file, line and key, not the value', async () => {
    const token = githubToken();
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.21'),
      'main.go': 'package main\n\nfunc main() {}\n',
      '.github/go-preflight.yml': `targets:\n  - ${token}\n`,
    });
    await fs.mkdir(path.join(dir, '.github'), { recursive: true });
    const r = await cli(['--checks', 'toolchain', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/go-preflight\.yml:2:\d+ \(targets\[0\]\)/);
    expect(r.stderr).toContain(`${token.slice(0, 4)}…`);
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});
