// Notices of the packages check that must be true (issue 14 item 5): a pattern that matches no
// packages is worth a notice only when the user wrote the pattern.

import { afterAll, describe, expect, it } from '@jest/globals';
import { packagesCheck } from '../../src/checks/packages.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const TOOLS_ONLY = {
  'go.mod': goMod('example.com/app'),
  'main.go': 'package main\n\nfunc main() {}\n',
  // A tools module: only a `//go:build tools` file (go list ./... matches nothing there).
  'internal/tools/go.mod': goMod('example.com/app/internal/tools'),
  'internal/tools/tools.go': '//go:build tools\n\npackage tools\n',
  // A module without any Go file.
  'empty/go.mod': goMod('example.com/app/empty'),
};

describe('packages: patterns that match nothing', () => {
  it('says nothing about the default ./... in a tools-only module or a module without Go files', async () => {
    const dir = await makeRepo(TOOLS_ONLY);
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir);
    expect(result.status).toBe('pass');
    expect(result.findings.filter((f) => /matches no packages/.test(f.message))).toEqual([]);
    expect(result.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('keeps the notice when the user configured the pattern', async () => {
    const dir = await makeRepo(TOOLS_ONLY);
    const { result } = await runCheck(packagesCheck, dir, { settings: { packages: ['./...'], packagesExplicit: true } });
    const notices = result.findings.filter((f) => /matches no packages/.test(f.message));
    expect(notices.map((f) => [f.severity, f.message, f.hint])).toEqual(
      expect.arrayContaining([['notice', 'pattern ./... matches no packages in internal/tools/go.mod', 'fix the pattern in the packages setting']]),
    );
  });
});
