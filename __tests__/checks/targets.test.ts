import { afterAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { targetsCheck } from '../../src/checks/targets.js';
import { editDistance } from '../../src/core/text.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import type { Target } from '../../src/core/types.js';

afterAll(cleanupTempDirs);

const t = (s: string): Target => {
  const [goos, goarch] = s.split('/');
  return { goos: goos!, goarch: goarch! };
};

// Variant variables of the developer's shell must not leak into these runs.
const CLEAN_VARIANTS = { GOAMD64: undefined, GOARM: undefined, GOARM64: undefined, GO386: undefined, GOMIPS: undefined, GOMIPS64: undefined, GOPPC64: undefined, GORISCV64: undefined, GOWASM: undefined };

describe('targets', () => {
  it('passes a valid set of first-class targets', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/ok') });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(targetsCheck, dir, {
      targets: [t('linux/amd64'), t('darwin/arm64'), t('windows/amd64')],
      env: { ...CLEAN_VARIANTS, GOAMD64: 'v3', GOARM64: 'v8.2,lse' },
    });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('suggests the nearest pair for typos in GOARCH and GOOS', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/typo') });
    const { result } = await runCheck(targetsCheck, dir, { targets: [t('linux/amd46'), t('linus/amd64'), t('haiku/amd64')], env: CLEAN_VARIANTS });
    expect(result.status).toBe('fail');
    const byTarget = new Map(result.findings.map((f) => [f.target, f]));
    expect(byTarget.get('linux/amd46')).toMatchObject({ severity: 'error' });
    expect(byTarget.get('linux/amd46')!.message).toContain('did you mean linux/amd64?');
    expect(byTarget.get('linus/amd64')!.message).toContain('did you mean linux/amd64?');
    // No close GOOS: list the OSes that have an amd64 port.
    expect(byTarget.get('haiku/amd64')!.message).toMatch(/unknown GOOS haiku; GOARCH amd64 is supported on .*linux.*windows/);
    // Findings from flags/inputs have no file.
    expect(result.findings.every((f) => f.file === undefined)).toBe(true);
  });

  it('reports a broken port as an error and a secondary port as a notice, pointing into the config file', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/ports'),
      '.github/go-preflight.yml': 'targets:\n  - linux/amd64\n  - linux/sparc64\n  - freebsd/amd64\n',
    });
    const { result } = await runCheck(targetsCheck, dir, {
      targets: [t('linux/amd64'), t('linux/sparc64'), t('freebsd/amd64')],
      settings: { configFile: path.join(dir, '.github', 'go-preflight.yml') },
      env: CLEAN_VARIANTS,
    });
    expect(result.status).toBe('fail');
    const broken = result.findings.find((f) => f.target === 'linux/sparc64')!;
    expect(broken).toMatchObject({ severity: 'error', file: '.github/go-preflight.yml', line: 3 });
    expect(broken.message).toContain('broken');
    const secondary = result.findings.find((f) => f.target === 'freebsd/amd64')!;
    expect(secondary).toMatchObject({ severity: 'notice', file: '.github/go-preflight.yml', line: 4 });
    expect(secondary.message).toContain('not a first-class port: freebsd/amd64');
    expect(result.findings.some((f) => f.target === 'linux/amd64')).toBe(false);
  });

  it('rejects GOARM=9 and notes variables no target uses', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/arm') });
    const { result } = await runCheck(targetsCheck, dir, {
      targets: [t('linux/arm'), t('linux/amd64')],
      env: { ...CLEAN_VARIANTS, GOARM: '9', GOAMD64: 'v5', GORISCV64: 'rva22u64' },
    });
    expect(result.status).toBe('fail');
    const goarm = result.findings.find((f) => f.message.startsWith('GOARM=9'))!;
    expect(goarm).toMatchObject({ severity: 'error', target: 'linux/arm' });
    expect(goarm.hint).toContain('5, 6 or 7');
    expect(result.findings.find((f) => f.message.startsWith('GOAMD64=v5'))).toMatchObject({ severity: 'error' });
    const unused = result.findings.find((f) => f.message.startsWith('GORISCV64='))!;
    expect(unused).toMatchObject({ severity: 'notice' });
    expect(unused.message).toContain('no target is riscv64');
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('amd46', 'amd64')).toBe(1);
    expect(editDistance('linus', 'linux')).toBe(1);
    expect(editDistance('darwn', 'darwin')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });
});
