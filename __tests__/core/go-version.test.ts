import { describe, expect, it } from '@jest/globals';
import { compareGo, isReleaseVersion, languageVersion, normalizeGoVersion } from '../../src/core/go-version.js';

describe('compareGo follows Go, not semver', () => {
  const ordered = ['1.20rc1', '1.20', '1.21', '1.21rc1', '1.21rc2', '1.21.0', '1.21.1', '1.22', '1.22.0', '1.100.0'];
  it.each(ordered.slice(1).map((v, i) => [ordered[i]!, v]))('%s < %s', (a, b) => {
    expect(compareGo(a, b)).toBe(-1);
    expect(compareGo(b, a)).toBe(1);
  });
  it('treats 1.20 and 1.20.0 as equal (patch defaults to 0 before 1.21)', () => {
    expect(compareGo('1.20', '1.20.0')).toBe(0);
  });
  it('strips go prefix and suffixes', () => {
    expect(compareGo('go1.21.0-custom', '1.21.0')).toBe(0);
    expect(compareGo('go1.22.1 X:boringcrypto', 'go1.22.1')).toBe(0);
    expect(normalizeGoVersion('devel go1.24-abcdef Tue')).toBe('1.24');
  });
  it('sorts beta before rc and malformed before everything', () => {
    expect(compareGo('1.18beta2', '1.18rc1')).toBe(-1);
    expect(compareGo('1.x', '1.0.0')).toBe(-1);
    expect(compareGo('1.023', '1.1')).toBe(-1);
  });
  it('knows language versions from releases', () => {
    expect(isReleaseVersion('1.22')).toBe(false);
    expect(isReleaseVersion('1.22.3')).toBe(true);
    expect(isReleaseVersion('1.22rc1')).toBe(true);
    expect(languageVersion('go1.22.3')).toBe('1.22');
  });
});
