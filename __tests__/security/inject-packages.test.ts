// Argument injection into `go`: package patterns come from the config file, the `packages` input
// and `--packages`. A pattern that go would read as a flag (`-export -toolexec=PROGRAM` runs any
// program while listing, `-mod=mod` rewrites go.mod) is a configuration error, and go list gets
// every pattern after `--` anyway.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { packagesCheck } from '../../src/checks/packages.js';
import { cgoCheck } from '../../src/checks/cgo.js';
import { resolveSettings } from '../../src/core/config.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

const posix = process.platform !== 'win32';
const healthy = { 'go.mod': goMod('example.com/inject', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' };

/** A program that creates MARKER when run (then runs the tool it wraps, as -toolexec expects). */
async function markerProgram(): Promise<{ program: string; marker: string }> {
  const d = await tempDir('inject-marker');
  const marker = path.join(d, 'MARKER');
  const program = path.join(d, 'wrap.sh');
  await fs.writeFile(program, `#!/bin/sh\ntouch '${marker}'\nexec "$@"\n`, { mode: 0o755 });
  return { program, marker };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function cli(args: string[]) {
  return runCliCaptured(args);
}

(posix ? describe : describe.skip)('package patterns cannot become go flags', () => {
  it('--packages -export,-toolexec=PROGRAM: exit 2 naming --packages, nothing runs, nothing written', async () => {
    const { program, marker } = await markerProgram();
    const dir = await makeRepo(healthy);
    const before = await snapshotTree(dir);
    const r = await cli(['--checks', 'packages,cgo', `--packages=-export,-toolexec=${program},./...`, dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--packages: package pattern "-export" starts with "-"');
    expect(r.stdout).toBe('');
    expect(await exists(marker)).toBe(false);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('packages in the config file: exit 2 naming file:line:col and the key', async () => {
    const { program, marker } = await markerProgram();
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': `packages:\n  - -export\n  - -toolexec=${program}\n  - ./...\n` });
    const r = await cli(['--checks', 'packages', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'go-preflight: .github/go-preflight.yml:2:5 (packages[0]): package pattern "-export" starts with "-": go would read it as a flag; write a package path or a ./dir/... pattern',
    );
    expect(await exists(marker)).toBe(false);
  });

  it('a single-value packages: -mod=mod in the config file is refused too (go would rewrite go.mod)', async () => {
    const dir = await makeRepo({ ...healthy, '.github/go-preflight.yml': 'packages: -mod=mod\n' });
    const r = await cli(['--checks', 'packages', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.github/go-preflight.yml:1:11 (packages[0]): package pattern "-mod=mod" starts with "-"');
  });

  it('the packages input of the action is checked with the input named', () => {
    expect(() =>
      resolveSettings({ dir: '/x', overrides: { source: 'input', packages: ['./...', ' -toolexec=x'] }, checks: ALL_CHECKS, warn: () => {} }),
    ).toThrow(new ConfigurationError('package pattern "-toolexec=x" starts with "-": go would read it as a flag; write a package path or a ./dir/... pattern', 'input packages'));
  });

  it('even past validation, go list gets the patterns after --: the program never runs', async () => {
    // The settings are built directly (as a library caller could), so only `--` stands between
    // the pattern and go's flag parser.
    const { program, marker } = await markerProgram();
    const dir = await makeRepo(healthy);
    const before = await snapshotTree(dir);
    const { report } = await runChecksIn(dir, [packagesCheck, cgoCheck], { settings: { packages: ['-export', `-toolexec=${program}`, './...'] } });
    expect(await exists(marker)).toBe(false);
    expect(await snapshotTree(dir)).toEqual(before);
    // go reads them as (missing) patterns, so the run is not a pass either.
    const packages = report.checks.find((c) => c.id === 'packages')!;
    expect(packages.status).not.toBe('pass');
  });
});
