// A byte-order mark, NBSP or form feed in a go.mod (root or nested) once made the go.mod lexer loop
// until memory ran out. Now the run ends, and says what go itself says about that go.mod.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { Report } from '../../src/core/types.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

async function runJson(dir: string): Promise<{ code: number; report: Report; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--format', 'json', '--checks', 'toolchain,modules,packages,mod-tidy', dir], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    cwd: process.cwd(),
  });
  return { code, report: JSON.parse(stdout) as Report, stderr };
}

/** go's own verdict on a module: the first error line of `go list` in its directory. */
function goSays(dir: string): string {
  const r = spawnSync('go', ['list', './...'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOWORK: 'off', GOFLAGS: '' } });
  expect(r.status).not.toBe(0);
  const m = /go\.mod:\d+(?::\d+)?: (.+)/.exec(r.stderr);
  if (!m) throw new Error(`unexpected go output: ${r.stderr}`);
  return m[1]!.trim();
}

describe.each([
  ['a byte-order mark', (t: string) => `\uFEFF${t}`],
  ['an NBSP', (t: string) => t.replace('go 1.21', 'go\u00A01.21')],
  ['a form feed', (t: string) => t.replace('go 1.21', 'go 1.21\f')],
])('a nested go.mod with %s', (_name, spoil) => {
  it('ends, and reports the error go reports', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/root', '1.21'),
      'main.go': 'package main\n\nfunc main() {}\n',
      'sub/go.mod': spoil(goMod('example.com/sub', '1.21')),
      'sub/sub.go': 'package sub\n',
    });
    const goMessage = goSays(path.join(dir, 'sub'));
    expect(goMessage).toMatch(/^unexpected input character/);
    const { code, report, stderr } = await runJson(dir);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(code).toBe(1);
    const modules = report.checks.find((c) => c.id === 'modules')!;
    expect(modules.status).toBe('fail');
    const f = modules.findings.find((x) => x.file === 'sub/go.mod')!;
    expect(f.message).toBe(`sub/go.mod cannot be parsed: ${goMessage}`);
    // The healthy root module is still checked.
    expect(report.checks.find((c) => c.id === 'packages')!.status).toBe('pass');
  });
});

it('a root go.mod with a BOM: the run ends with go\'s error', async () => {
  const dir = await makeRepo({ 'go.mod': `\uFEFF${goMod('example.com/bom', '1.21')}`, 'main.go': 'package main\n\nfunc main() {}\n' });
  const goMessage = goSays(dir);
  const { report } = await runJson(dir);
  const modules = report.checks.find((c) => c.id === 'modules')!;
  expect(modules.findings.map((x) => x.message)).toContain(`go.mod cannot be parsed: ${goMessage}`);
  expect(report.conclusion).toBe('failure');
});
