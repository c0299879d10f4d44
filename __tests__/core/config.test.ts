import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { renderJsonSchema, resolveSettings, type Overrides } from '../../src/core/config.js';
import { parseConfig } from '../../src/core/config-file.js';
import { ConfigurationError } from '../../src/core/errors.js';

const FILE = '.github/go-preflight.yml';
const parse = (text: string) => parseConfig(text, FILE, ALL_CHECKS);
const errorOf = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
};

describe('parseConfig', () => {
  it('accepts an empty file and a full one', () => {
    expect(parse('')).toEqual({ checks: {} });
    const c = parse(
      [
        'mode: warn',
        'on-error: warn',
        'fail-fast: true',
        'targets: [linux/amd64, windows/arm64]',
        'packages: ./cmd/...',
        'timeout: 60',
        'checks:',
        '  secrets: off',
        '  git-clean:',
        '    level: warn',
        '    timeout: 10',
        '    allow: ["*.log"]',
      ].join('\n'),
    );
    expect(c.mode).toBe('warn');
    expect(c.onError).toBe('warn');
    expect(c.failFast).toBe(true);
    expect(c.targets).toEqual([{ goos: 'linux', goarch: 'amd64' }, { goos: 'windows', goarch: 'arm64' }]);
    expect(c.packages).toEqual(['./cmd/...']);
    expect(c.timeoutMs).toBe(60_000);
    expect(c.checks.secrets).toEqual({ level: 'off', options: {} });
    expect(c.checks['git-clean']).toEqual({ level: 'warn', timeoutMs: 10_000, options: { allow: ['*.log'] } });
  });

  it('names file, line, column and key of an unknown key', () => {
    expect(errorOf('mode: fail\ntargest: [linux/amd64]\n')).toBe(`${FILE}:2:1 (targest): unknown key "targest" (known: mode, on-error, fail-fast, targets, packages, timeout, checks)`);
  });
  it('names an unknown check id', () => {
    expect(errorOf('checks:\n  mod-tidyy: warn\n')).toMatch(new RegExp(`^${FILE}:2:3 \\(checks.mod-tidyy\\): unknown check id "mod-tidyy"`));
  });
  it('names an invalid level', () => {
    expect(errorOf('checks:\n  vendor: maybe\n')).toBe(`${FILE}:2:11 (checks.vendor): checks.vendor must be error, warn or off (got "maybe")`);
    expect(errorOf('checks:\n  vendor:\n    level: loud\n')).toContain(':3:12 (checks.vendor.level): checks.vendor.level must be one of error, warn, off');
  });
  it('names an unknown option of a check', () => {
    expect(errorOf('checks:\n  git-clean:\n    alow: [x]\n')).toContain(`${FILE}:3:5 (checks.git-clean.alow): unknown key "checks.git-clean.alow"`);
  });
  it('reports YAML syntax errors with the position', () => {
    expect(errorOf('mode: [fail\n')).toMatch(new RegExp(`^${FILE}:\\d+:\\d+: YAML syntax error`));
  });
  it('rejects wrong types and bad targets', () => {
    expect(errorOf('fail-fast: yes please\n')).toContain('(fail-fast): fail-fast must be true or false');
    expect(errorOf('targets: [linux-amd64]\n')).toBe(`${FILE}:1:11 (targets[0]): targets[0]: "linux-amd64" is not valid: write GOOS/GOARCH, e.g. linux/amd64`);
    expect(errorOf('timeout: 0\n')).toContain('timeout must be at least 1');
  });
});

describe('resolveSettings', () => {
  const base = (over: Partial<Overrides>, text = '') => {
    const warnings: string[] = [];
    const s = resolveSettings({ dir: '/x', file: parse(text), configFile: '/x/.github/go-preflight.yml', overrides: { source: 'input', ...over }, checks: ALL_CHECKS, warn: (m) => warnings.push(m) });
    return { s, warnings };
  };
  it('puts inputs over the file over defaults, warning when they disagree', () => {
    const { s, warnings } = base({ mode: 'warn' }, 'mode: fail\n');
    expect(s.mode).toBe('warn');
    expect(warnings).toEqual(['mode: the input value overrides the one in go-preflight.yml']);
    expect(base({}, 'mode: warn\n').s.mode).toBe('warn');
    expect(base({}).s.mode).toBe('fail');
    expect(base({ mode: 'fail' }, 'mode: fail\n').warnings).toEqual([]);
  });
  it('turns --checks and --skip into levels', () => {
    const { s } = base({ checks: ['toolchain', 'vendor'], skip: ['vendor'] });
    expect(s.checks.toolchain.level).toBe('error');
    expect(s.checks.vendor.level).toBe('off');
    expect(s.checks.secrets.level).toBe('off');
  });
  it('runs a check asked for by input even when the file turns it off, with a warning', () => {
    const { s, warnings } = base({ checks: ['secrets'] }, 'checks:\n  secrets: off\n');
    expect(s.checks.secrets.level).toBe('error');
    expect(warnings[0]).toContain('secrets is off');
  });
  it('warns when both go-version and go-version-file are given, and keeps go-version', () => {
    const { s, warnings } = base({ goVersion: '1.22', goVersionFile: 'go.mod' });
    expect(s.goVersion).toBe('1.22');
    expect(s.goVersionFile).toBeUndefined();
    expect(warnings[0]).toContain('go-version is used');
  });
});

describe('published JSON schema', () => {
  it('is exactly what the validator enforces (regenerate with npm run schema)', () => {
    const committed = readFileSync(new URL('../../go-preflight.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderJsonSchema(ALL_CHECKS));
  });
});
