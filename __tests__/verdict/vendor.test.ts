// Workspace vendoring with relative replace paths, and inconsistent vendoring, against the real
// `go work vendor` / `go mod vendor` / `go build` (local modules only: no network).

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { vendorCheck } from '../../src/checks/vendor.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir, writeFiles } from '../helpers/repo.js';
import { runCheck, testEnv } from '../helpers/run-check.js';
import { realGo } from '../helpers/fake-go.js';
import { goEnvFor } from './old-go.js';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';

// Never `go build -o /dev/null`: run as root, some Go versions replace the device with the output
// file (a rename over /dev/null), which breaks every later process on the machine.
function buildOutput(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'gp-build-out-')), 'out');
}


afterAll(cleanupTempDirs);

const env = { ...goEnvFor(path.dirname(realGo)), GOMODCACHE: undefined, GOWORK: undefined };

function go(dir: string, ...args: string[]): string {
  return execFileSync('go', args, { cwd: dir, env: testEnv(env) as NodeJS.ProcessEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Files of a dir made by `go work vendor`/`go mod vendor` in a scratch copy. */
async function vendoredWith(files: Record<string, string>, cmd: string[]): Promise<Record<string, string>> {
  const scratch = await tempDir('gp-scratch');
  await writeFiles(scratch, files);
  go(scratch, ...cmd);
  const out: Record<string, string> = { ...files };
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(scratch, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(r);
      else out[r] = await fs.readFile(path.join(scratch, r), 'utf8');
    }
  };
  await walk('vendor');
  return out;
}

describe('workspace vendoring with relative replace paths', () => {
  it('passes a healthy workspace whose member go.mod and go.work replace modules by relative paths', async () => {
    const files = {
      'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/d => ./d\n',
      'a/go.mod': goMod('example.com/a', '1.22', 'require (\n\texample.com/c v0.0.0\n\texample.com/d v0.0.0\n)\n\nreplace example.com/c => ../c'),
      'a/a.go': 'package main\n\nimport (\n\t_ "example.com/c"\n\t_ "example.com/d"\n)\n\nfunc main() {}\n',
      'b/go.mod': goMod('example.com/b', '1.22'),
      'b/b.go': 'package b\n',
      'c/go.mod': goMod('example.com/c', '1.22'),
      'c/c.go': 'package c\n',
      'd/go.mod': goMod('example.com/d', '1.22'),
      'd/d.go': 'package d\n',
    };
    const repo = await makeRepo(await vendoredWith(files, ['work', 'vendor']));
    expect(go(repo, 'list', '-m', '-f', '{{.Path}}')).toContain('example.com/a');
    go(repo, 'build', '-o', buildOutput(), './a'); // the build passes
    const before = await snapshotTree(repo);
    const { result } = await runCheck(vendorCheck, repo, { env });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.notes ?? []).toEqual([]);
    expect(await snapshotTree(repo)).toEqual(before);
  });
});

describe('a module of a workspace with its own vendor/ (Go 1.22+)', () => {
  it('names the fix go accepts: `go mod vendor` is refused in workspace mode, GOWORK=off is not', async () => {
    const files = {
      'app/go.mod': goMod('example.com/app', '1.22', 'require example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib'),
      'app/main.go': 'package main\n\nimport _ "example.com/lib"\n\nfunc main() {}\n',
      'lib/go.mod': goMod('example.com/lib', '1.22'),
      'lib/lib.go': 'package lib\n',
    };
    const scratch = await tempDir('gp-scratch');
    await writeFiles(scratch, files);
    execFileSync('go', ['mod', 'vendor'], { cwd: path.join(scratch, 'app'), env: testEnv({ ...env, GOWORK: 'off' }) as NodeJS.ProcessEnv, stdio: 'pipe' });
    const lib = await fs.readFile(path.join(scratch, 'app/vendor/example.com/lib/lib.go'), 'utf8');
    const modulesTxt = await fs.readFile(path.join(scratch, 'app/vendor/modules.txt'), 'utf8');
    const repo = await makeRepo({
      ...files,
      'go.work': 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n',
      'app/vendor/modules.txt': modulesTxt,
      'app/vendor/example.com/lib/lib.go': `${lib}// edited\n`,
    });
    let refused = '';
    try {
      go(path.join(repo, 'app'), 'mod', 'vendor', '-o', path.join(scratch, 'out'));
    } catch (e) {
      refused = String((e as { stderr?: string }).stderr ?? '');
    }
    expect(refused).toContain("'go mod vendor' cannot be run in workspace mode");
    const { result } = await runCheck(vendorCheck, repo, { env });
    const f = result.findings.find((x) => x.file === 'app/vendor/example.com/lib/lib.go')!;
    expect(f.hint).toBe('Run `cd app && GOWORK=off go mod vendor` and commit vendor/.');
  });
});

describe('inconsistent vendoring', () => {
  it('is one finding per cause, with the files it leaves out listed in the details', async () => {
    const base = {
      'go.mod': goMod('example.com/app', '1.22'),
      'main.go': 'package main\n\nfunc main() {}\n',
      'lib/go.mod': goMod('example.com/lib', '1.22'),
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`lib/p${i}/p.go`, `package p${i}\n`])),
    };
    const vendored = await vendoredWith(
      { ...base, 'go.mod': goMod('example.com/app', '1.22', 'require example.com/other v0.0.0\n\nreplace example.com/other => ./other'), 'other/go.mod': goMod('example.com/other', '1.22'), 'other/o.go': 'package other\n', 'main.go': 'package main\n\nimport _ "example.com/other"\n\nfunc main() {}\n' },
      ['mod', 'vendor'],
    );
    // go.mod now requires lib (12 packages) instead of other; vendor/ was not regenerated.
    const imports = Array.from({ length: 12 }, (_, i) => `\t_ "example.com/lib/p${i}"\n`).join('');
    const repo = await makeRepo({
      ...vendored,
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib'),
      'main.go': `package main\n\nimport (\n${imports})\n\nfunc main() {}\n`,
      'other/go.mod': goMod('example.com/other', '1.22'),
      'other/o.go': 'package other\n',
    });
    const { result } = await runCheck(vendorCheck, repo, { env });
    expect(result.status).toBe('fail');
    const libFindings = result.findings.filter((f) => f.message.includes('example.com/lib'));
    expect(libFindings.length).toBeGreaterThan(0);
    // No "is missing" finding per file of example.com/lib: the inconsistency finding is the cause.
    expect(result.findings.filter((f) => / is missing: /.test(f.message))).toEqual([]);
    expect(result.findings.length).toBeLessThanOrEqual(5);
    expect(result.details).toContain('vendor/example.com/lib/p11/p.go');
  });
});
