import { afterAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { discoverGoMods, userGoToolchain } from '../../src/core/probe.js';
import { cleanupTempDirs, goMod, tempDir, writeFiles } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

describe('userGoToolchain resolves the setting as go does', () => {
  it('environment, then the go env -w file, then GOROOT/go.env, else local', async () => {
    const d = await tempDir();
    await writeFiles(d, { 'goroot/go.env': '# shipped\nGOPROXY=x\nGOTOOLCHAIN=auto\n', 'user/env': 'GOFLAGS=-buildvcs=false\nGOTOOLCHAIN=go1.30.1+auto\n', 'empty/env': 'GOFLAGS=-v\n' });
    const goEnv = { GOROOT: path.join(d, 'goroot'), GOENV: path.join(d, 'user', 'env') };
    expect(await userGoToolchain({ GOTOOLCHAIN: 'path' }, goEnv)).toBe('path');
    expect(await userGoToolchain({}, goEnv)).toBe('go1.30.1+auto');
    expect(await userGoToolchain({}, { ...goEnv, GOENV: path.join(d, 'empty', 'env') })).toBe('auto');
    expect(await userGoToolchain({}, { ...goEnv, GOENV: 'off' })).toBe('auto');
    expect(await userGoToolchain({}, { GOROOT: path.join(d, 'nowhere') })).toBe('local');
  });
});

describe('discoverGoMods', () => {
  it('finds nested modules and skips vendor, testdata, hidden and _ dirs', async () => {
    const d = await tempDir();
    await writeFiles(d, {
      'go.mod': goMod('example.com/root'),
      'tools/go.mod': goMod('example.com/tools'),
      'vendor/example.com/x/go.mod': goMod('example.com/x'),
      'pkg/testdata/mod/go.mod': goMod('example.com/td'),
      '.cache/go.mod': goMod('example.com/hidden'),
      '_old/go.mod': goMod('example.com/old'),
    });
    expect((await discoverGoMods(d)).map((x) => path.relative(d, x))).toEqual(['', 'tools']);
  });
});
