import { afterAll, describe, expect, it } from '@jest/globals';
import { packagesCheck } from '../../src/checks/packages.js';
import { looksPrivate, matchPrefixPatterns } from '../../src/core/module-paths.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import type { Finding, Target } from '../../src/core/types.js';

afterAll(cleanupTempDirs);

const t = (s: string): Target => {
  const [goos, goarch] = s.split('/');
  return { goos: goos!, goarch: goarch! };
};
const LINUX = [t('linux/amd64')];

function show(findings: Finding[]): string {
  return JSON.stringify(findings, null, 1);
}

describe('packages', () => {
  it('reports a windows-only package imported on linux at the import line', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app'),
      'cmd/app/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/app/winonly"\n)\n\nfunc main() { fmt.Println(winonly.X) }\n',
      'winonly/x_windows.go': 'package winonly\n\nconst X = 1\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('fail');
    const f = result.findings.find((x) => x.severity === 'error')!;
    expect(f).toMatchObject({ file: 'cmd/app/main.go', line: 6, column: 2, target: 'linux/amd64' });
    expect(f.message).toContain('build constraints exclude all Go files in winonly (x_windows.go)');
    expect(f.message).toContain('imported by example.com/app/cmd/app');
    expect(result.findings.filter((x) => x.severity === 'error')).toHaveLength(1);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports an imported directory without Go files and a missing module', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app'),
      'lib/lib.go': 'package lib\n\nimport (\n\t_ "example.com/app/empty"\n\t_ "example.com/app/nodir"\n\t_ "github.com/nosuch-owner-gp/nosuch"\n\t_ "git.corp.internal/team/secret"\n)\n',
      'empty/README.md': '# nothing here\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX, env: { GOPRIVATE: undefined, GONOPROXY: undefined, GOPROXY: 'https://proxy.invalid' } });
    expect(result.status).toBe('fail');
    const at = (line: number) => result.findings.find((f) => f.file === 'lib/lib.go' && f.line === line);
    expect(at(4)?.message).toMatch(/^empty has no Go files, so package example.com\/app\/empty cannot be imported/);
    expect(at(5)?.message).toContain('package example.com/app/nodir does not exist: go.mod has no directory nodir');
    expect(at(6)).toMatchObject({ severity: 'error', hint: 'go get github.com/nosuch-owner-gp/nosuch', target: 'linux/amd64' });
    expect(at(6)?.message).toContain('no required module provides package github.com/nosuch-owner-gp/nosuch');
    expect(at(7)?.message).toContain('looks private and GOPRIVATE does not cover it');
    expect(at(7)?.hint).toContain('go env -w GOPRIVATE=git.corp.internal');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('reports a missing go.sum entry with the module to download', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/sum', '1.22', 'require github.com/google/uuid v1.6.0'),
      'id.go': 'package sum\n\nimport "github.com/google/uuid"\n\nvar ID = uuid.New\n',
    });
    const before = await snapshotTree(dir);
    // go list detects the missing go.sum line before any download: no network, empty module cache.
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX, env: { GOMODCACHE: await tempDir('gp-modcache'), GOPROXY: 'off', GOFLAGS: '-modcacherw' } });
    expect(result.status).toBe('fail');
    const f = result.findings.find((x) => x.message.includes('go.sum'));
    expect(f).toMatchObject({ severity: 'error', file: 'id.go', line: 3, hint: 'go mod download github.com/google/uuid (or go mod tidy)' });
    expect(f!.message).toContain('go.sum has no entry for the module providing github.com/google/uuid');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('finds a package main without func main, even when func main appears in comments and strings', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/mains'),
      'cmd/nomain/main.go': '// Command nomain.\npackage main\n\n// func main() {}\nvar usage = "func main() {}"\nvar raw = `\nfunc main() {}\n`\n',
      'cmd/nomain/other.go': 'package main\n\ntype T struct{}\n\nfunc (T) main() {}\n',
      'cmd/real/main.go': 'package main\n\n/* func main() */\nfunc main() {}\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('fail');
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'cmd/nomain/main.go', line: 2, column: 1, target: 'linux/amd64' });
    expect(errors[0]!.message).toContain('package main in cmd/nomain has no func main');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('passes a clean module', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/clean'),
      'main.go': 'package main\n\nimport "example.com/clean/lib"\n\nfunc main() { lib.F() }\n',
      'lib/lib.go': 'package lib\n\nfunc F() {}\n',
      'gen/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
    });
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('pass');
    // The //go:build ignore generator is not reported as "not built".
    expect(result.findings).toEqual([]);
  });

  it('merges one cause seen on several targets and tells what a platform does not build', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/multi'),
      'main.go': 'package main\n\nimport _ "example.com/nosuchdep/pkg"\n\nfunc main() {}\n',
      'winsvc/svc_windows.go': 'package winsvc\n\nfunc Run() {}\n',
    });
    const before = await snapshotTree(dir);
    const targets = [t('linux/amd64'), t('darwin/arm64'), t('windows/amd64')];
    const { result } = await runCheck(packagesCheck, dir, { targets });
    expect(result.status).toBe('fail');
    const missing = result.findings.filter((f) => f.message.includes('example.com/nosuchdep/pkg'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ severity: 'error', file: 'main.go', line: 3, target: 'linux/amd64, darwin/arm64, windows/amd64' });
    const dropped = result.findings.find((f) => f.severity === 'notice');
    expect(dropped).toBeDefined();
    expect(dropped).toMatchObject({ file: 'winsvc/svc_windows.go', target: 'linux/amd64, darwin/arm64' });
    expect(dropped!.message).toBe('winsvc is not built for linux/amd64, darwin/arm64: all files excluded by build constraints; built for windows/amd64');
    expect(result.findings).toHaveLength(2);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('tells a single-target run which package directories it silently skips', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/single'),
      'lib.go': 'package single\n',
      'winsvc/svc_windows.go': 'package winsvc\n',
    });
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('pass');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: 'notice', target: 'linux/amd64', file: 'winsvc/svc_windows.go' });
    expect(result.findings[0]!.message).toContain('built for windows');
  });

  it('reports import cycles, malformed import paths and two package names in one directory', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/mess'),
      'a/a.go': 'package a\n\nimport _ "example.com/mess/b"\n',
      'b/b.go': 'package b\n\nimport (\n\t_ "example.com/mess/a"\n\t_ "example.com/mess/../x"\n)\n',
      'clash/one.go': 'package one\n',
      'clash/two.go': '// Two.\npackage two\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('fail');
    const cycle = result.findings.find((f) => f.message.startsWith('import cycle not allowed'));
    expect(cycle).toMatchObject({ severity: 'error', file: 'b/b.go', line: 4 });
    expect(cycle!.message).toBe('import cycle not allowed: example.com/mess/a → example.com/mess/b → example.com/mess/a');
    const malformed = result.findings.find((f) => f.message.includes('malformed import path'));
    expect(malformed).toMatchObject({ severity: 'error', file: 'b/b.go', line: 5 });
    const clash = result.findings.find((f) => f.message.includes('two package names'));
    expect(clash).toMatchObject({ severity: 'error', file: 'clash/two.go', line: 2 });
    expect(clash!.message).toBe('clash mixes two package names: one (one.go) and two (two.go)');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('lists every module of a multi-module repo with paths relative to the repo', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/root'),
      'root.go': 'package root\n',
      'tools/go.mod': goMod('example.com/root/tools'),
      'tools/cmd/gen/main.go': 'package main\n\nimport _ "example.com/toolsdep/x"\n\nfunc main() {}\n',
    });
    const { result } = await runCheck(packagesCheck, dir, { targets: LINUX });
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ file: 'tools/cmd/gen/main.go', line: 3, hint: 'go get example.com/toolsdep/x (in tools/)' });
    expect(result.notes?.join('\n')).toContain('in 2 modules');
  });

  it('skips invalid targets with a note', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/inv'), 'a.go': 'package inv\n' });
    const { result } = await runCheck(packagesCheck, dir, { targets: [t('linux/amd64'), t('linux/amd46')] });
    expect(result.status).toBe('pass');
    expect(result.notes?.join('\n')).toContain('skipped linux/amd46');
    expect(show(result.findings)).not.toContain('amd46');
  });

  it('matches GOPRIVATE globs like go and spots private hosts', () => {
    expect(matchPrefixPatterns('git.corp.internal', 'git.corp.internal/team/x')).toBe(true);
    expect(matchPrefixPatterns('*.corp.example.com,github.com/acme/*', 'github.com/acme/tool/sub')).toBe(true);
    expect(matchPrefixPatterns('github.com/acme/*', 'github.com/other/tool')).toBe(false);
    expect(looksPrivate('git.corp.internal/team/x')).toBe(true);
    expect(looksPrivate('github.mycompany.com/team/x')).toBe(true);
    expect(looksPrivate('github.com/google/uuid')).toBe(false);
    expect(looksPrivate('go.uber.org/zap')).toBe(false);
  });
});
