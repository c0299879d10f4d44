// A policy the inspected repository cannot weaken (`--enforce`, the `enforce` input), and every
// suppression listed in the JSON report. Each weakening key of the issue, on a real repository
// with a committed live-looking key: green without --enforce, failing with it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { applyEnforce, parseEnforceList, resolveSettings } from '../../src/core/config.js';
import { parseConfig } from '../../src/core/config-file.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { secretsCheck } from '../../src/checks/secrets.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/core/config.js';
import { CHECK_IDS, type Suppression } from '../../src/core/types.js';
import { cleanupTempDirs, git, goMod, makeRepo, writeFiles } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import { Planted, githubToken, rnd } from './helpers.js';
import { runCliCaptured } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

function cli(args: string[]) {
  return runCliCaptured(args, { env: { CI: '' } });
}

interface JsonCheck {
  id: string;
  status: string;
  findings: Array<{ ruleId?: string; file?: string; severity: string; message: string }>;
  suppressed?: Suppression[];
}

function secretsOf(stdout: string): JsonCheck {
  return (JSON.parse(stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'secrets')!;
}

/** A repository with a committed GitHub token in app/config.go line 3 and the given extra files. */
async function leakyRepo(p: Planted, extra: Record<string, string>) {
  return makeRepo({
    'go.mod': goMod('example.com/enforce'),
    'main.go': 'package main\n\nfunc main() {}\n',
    'app/config.go': `package app\n\nconst token = "${p.add(githubToken())}"\n`,
    ...extra,
  });
}

/** Every check but secrets: `--skip` them rather than `--checks secrets`, which would override a level of off. */
const OTHERS = CHECK_IDS.filter((id) => id !== 'secrets').join(',');

const WEAKENING: Array<{ name: string; files: Record<string, string>; warns?: RegExp }> = [
  { name: '.gitleaks.toml allowlist of .*', files: { '.gitleaks.toml': "[extend]\nuseDefault = true\n\n[[allowlists]]\nregexes = ['''.*''']\n" } },
  { name: '.gitleaks.toml disabledRules', files: { '.gitleaks.toml': '[extend]\nuseDefault = true\ndisabledRules = ["github-pat"]\n' } },
  { name: '.gitleaks.toml without useDefault', files: { '.gitleaks.toml': "[[rules]]\nid = \"corp\"\nregex = '''corp-[0-9a-f]{20}'''\nkeywords = [\"corp-\"]\n" } },
  {
    name: 'paths-ignore: ["**"]',
    files: { '.github/go-preflight.yml': 'checks:\n  secrets:\n    paths-ignore: ["**"]\n' },
    warns: /checks\.secrets\.paths-ignore in \.github\/go-preflight\.yml:3 is ignored/,
  },
  {
    name: 'max-file-size: 1',
    files: { '.github/go-preflight.yml': 'checks:\n  secrets:\n    max-file-size: 1\n' },
    warns: /checks\.secrets\.max-file-size in \.github\/go-preflight\.yml:3 is ignored/,
  },
  {
    name: 'diff-base: HEAD',
    files: { '.github/go-preflight.yml': 'checks:\n  secrets:\n    diff-base: HEAD\n' },
    warns: /checks\.secrets\.diff-base in \.github\/go-preflight\.yml:3 is ignored/,
  },
  {
    name: 'secrets: warn',
    files: { '.github/go-preflight.yml': '# policy\nchecks:\n  secrets: warn\n' },
    warns: /checks\.secrets level warn in \.github\/go-preflight\.yml:3 is ignored/,
  },
  {
    name: 'secrets: off',
    files: { '.github/go-preflight.yml': 'checks:\n  secrets:\n    level: off\n' },
    warns: /checks\.secrets level off in \.github\/go-preflight\.yml:3 is ignored/,
  },
  { name: 'mode: warn', files: { '.github/go-preflight.yml': 'mode: warn\n' }, warns: /mode: warn in \.github\/go-preflight\.yml:1 is ignored/ },
  {
    name: '.gitleaksignore entry',
    files: { '.gitleaksignore': 'app/config.go:github-pat:3\n' },
  },
];

describe('--enforce secrets', () => {
  for (const w of WEAKENING) {
    it(`a repository's ${w.name} turns the check green without it, and cannot with it`, async () => {
      const p = new Planted();
      const dir = await leakyRepo(p, w.files);
      const weak = await cli(['--skip', OTHERS, '--format', 'json', dir]);
      expect(weak.code).toBe(0);
      expect(['pass', 'warn', 'skip']).toContain(secretsOf(weak.stdout).status);

      const strong = await cli(['--skip', OTHERS, '--enforce', 'secrets', '--format', 'json', dir]);
      expect(strong.code).toBe(1);
      const s = secretsOf(strong.stdout);
      expect(s.status).toBe('fail');
      expect(s.findings.filter((f) => f.ruleId === 'github-pat').map((f) => [f.file, f.severity])).toEqual([['app/config.go', 'error']]);
      if (w.warns) expect(strong.stderr).toMatch(w.warns);
      expect(p.leaksIn(weak.stdout + weak.stderr + strong.stdout + strong.stderr)).toEqual([]);
    });
  }

  it('custom rules of .gitleaks.toml still add detections, and inline allow comments still work (listed as suppressed)', async () => {
    const p = new Planted();
    const corp = p.add(`corp-${rnd(20, '0123456789abcdef')}`);
    const dir = await leakyRepo(p, {
      '.gitleaks.toml': "[[rules]]\nid = \"corp\"\nregex = '''corp-[0-9a-f]{20}'''\nkeywords = [\"corp-\"]\n\n[[allowlists]]\npaths = ['''internal\\.txt''']\n",
      'internal.txt': `key ${corp}\n`,
      'fixtures.go': `package main\n\nconst fixture = "${p.add(githubToken())}" // gitleaks:allow\n`,
    });
    const r = await cli(['--checks', 'secrets', '--enforce', 'all', '--format', 'json', dir]);
    const s = secretsOf(r.stdout);
    expect(s.findings.map((f) => `${f.ruleId} ${f.file}`).sort()).toEqual(['corp internal.txt', 'github-pat app/config.go']);
    expect(s.suppressed).toEqual([{ file: 'fixtures.go', line: 3, ruleId: 'github-pat', by: 'inline comment', at: 'fixtures.go:3' }]);
  });

  it('the enforce input is read like --enforce', async () => {
    const { getActionSettings } = await import('../../src/action/inputs.js');
    const saved = process.env.INPUT_ENFORCE;
    try {
      process.env.INPUT_ENFORCE = 'secrets, mod-verify';
      expect(getActionSettings().overrides.enforce).toEqual(['secrets', 'mod-verify']);
      process.env.INPUT_ENFORCE = 'all';
      expect(getActionSettings().overrides.enforce).toHaveLength(11);
      process.env.INPUT_ENFORCE = 'secret';
      expect(() => getActionSettings()).toThrow('input enforce: unknown check id "secret"');
      process.env.INPUT_ENFORCE = '';
      expect(getActionSettings().overrides.enforce).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.INPUT_ENFORCE;
      else process.env.INPUT_ENFORCE = saved;
    }
  });

  it('rejects an unknown id with exit 2 and one line; accepts all', async () => {
    const r = await cli(['--enforce', 'secrets,nope', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('go-preflight: --enforce: unknown check id "nope" (known: toolchain, go-env, mod-verify, mod-tidy, vendor, modules, git-clean, targets, packages, cgo, secrets)');
    expect(parseEnforceList('all', 'x')).toHaveLength(11);
    expect(() => parseEnforceList('all,secrets', 'x')).toThrow('either "all"');
  });

  it('on-error: warn and a timeout of 1 s in the repository do not apply to an enforced check', () => {
    const resolve = (text: string, enforce?: Array<'secrets'>) => {
      const file = parseConfig(text, '.github/go-preflight.yml', ALL_CHECKS);
      const warnings: string[] = [];
      const settings = resolveSettings({ dir: '/x', file, configFile: '/x/.github/go-preflight.yml', overrides: { source: 'input', enforce }, checks: ALL_CHECKS, warn: (m) => warnings.push(m) });
      return { settings, warnings, file };
    };
    const a = resolve('on-error: warn\ntimeout: 1\nchecks:\n  toolchain:\n    timeout: 2\n', ['secrets']);
    expect(a.settings.onError).toBe('fail');
    expect(a.settings.checks.secrets.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(a.settings.checks.toolchain.timeoutMs).toBe(2000); // not enforced: the file's value
    expect(a.settings.checks['go-env'].timeoutMs).toBe(1000);
    expect(a.settings.enforce).toEqual(['secrets']);
    expect(a.warnings).toEqual([
      'on-error: warn in .github/go-preflight.yml:1 is ignored: the enforce input enforces secrets, and a check that could not complete must fail',
      'timeout in .github/go-preflight.yml:2 is ignored for secrets: the enforce input enforces it, so it keeps the default timeout of 300 s',
    ]);
    const b = resolve('checks:\n  secrets:\n    level: error\n    timeout: 1\n', ['secrets']);
    expect(b.settings.checks.secrets.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(b.settings.checks.secrets.level).toBe('error');
    expect(b.warnings).toEqual(['checks.secrets.timeout in .github/go-preflight.yml:4 is ignored: the enforce input enforces secrets, so it keeps the default timeout']);
    // Without enforce, the same files apply.
    const c = resolve('on-error: warn\ntimeout: 1\n');
    expect([c.settings.onError, c.settings.checks.secrets.timeoutMs, c.warnings]).toEqual(['warn', 1000, []]);
    expect(applyEnforce(c.file, [], 'flag', () => {})).toBe(c.file);
  });
});

describe('every suppression is in the JSON report', () => {
  it('lists .gitleaksignore, allowlist, baseline, paths-ignore and inline suppressions, marking those the change added', async () => {
    const p = new Planted();
    const dir = await makeRepo({
      'go.mod': goMod('example.com/supp'),
      'main.go': 'package main\n\nfunc main() {}\n',
      'old/legacy.go': `package old\n\nconst legacy = "${p.add(githubToken())}" // gitleaks:allow\n`,
      '.gitleaks.toml': "[extend]\nuseDefault = true\n\n[[allowlists]]\npaths = ['''^docs/''']\n",
      'docs/example.md': `token: ${p.add(githubToken())}\n`,
    });
    const baseSha = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'checkout', '-q', '-b', 'pr');
    await writeFiles(dir, {
      'new/feature.go': `package feature\n\nconst k = "${p.add(githubToken())}" // preflight:allow\n`,
      'ignored.txt': `x ${p.add(githubToken())}\n`,
      '.gitleaksignore': '# accepted\nignored.txt:github-pat:1\n',
      'gen/data.txt': `y ${p.add(githubToken())}\n`,
      'baseline.json': JSON.stringify(['base.txt:github-pat:1']),
      'base.txt': `z ${p.add(githubToken())}\n`,
      '.github/go-preflight.yml': 'checks:\n  secrets:\n    baseline: baseline.json\n    paths-ignore: ["gen/**"]\n',
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'pr');
    const head = git(dir, 'rev-parse', 'HEAD').trim();

    const { loadSettings } = await import('../../src/core/preflight.js');
    const settings = await loadSettings({ dir, overrides: { source: 'flag', checks: ['secrets'] }, checks: ALL_CHECKS }, () => {});
    const { result } = await runCheck(secretsCheck, dir, {
      options: settings.checks.secrets.options,
      settings: { configFile: settings.configFile, configLines: settings.configLines },
      ci: { commits: { source: 'pull_request', base: baseSha, head } },
    });
    expect(result.findings.filter((f) => f.ruleId === 'github-pat')).toEqual([]);
    const got = (result.suppressed ?? []).map((s) => [s.file, s.by, s.at, s.addedByChange, s.commit ? 'commit' : 'tree']);
    expect(got).toEqual(
      expect.arrayContaining([
        ['ignored.txt', '.gitleaksignore', '.gitleaksignore:2', true, 'tree'],
        ['base.txt', 'baseline', 'baseline.json', true, 'tree'],
        ['new/feature.go', 'inline comment', 'new/feature.go:3', true, 'tree'],
        ['old/legacy.go', 'inline comment', 'old/legacy.go:3', false, 'tree'],
        ['gen/data.txt', 'paths-ignore', '.github/go-preflight.yml:4', true, 'tree'],
        ['docs/example.md', 'allowlist', '.gitleaks.toml', false, 'tree'],
      ]),
    );
    expect(got).toHaveLength(6);
    expect(result.notes?.join('\n')).toContain('4 suppression(s) were added by this change');
    expect(p.leaksIn(JSON.stringify(result))).toEqual([]);
  });

  it('a level of warn in the config lists the errors it downgraded', async () => {
    const p = new Planted();
    const dir = await leakyRepo(p, {});
    const r = await cli(['--checks', 'secrets', '--format', 'json', '--config', 'cfg.yml', dir].map((a) => (a === 'cfg.yml' ? `${dir}/cfg.yml` : a)));
    expect(r.code).toBe(2); // cfg.yml does not exist yet
    await writeFiles(dir, { 'cfg.yml': 'checks:\n  secrets: warn\n' });
    const r2 = await cli(['--checks', 'secrets', '--format', 'json', '--config', `${dir}/cfg.yml`, dir]);
    const s = secretsOf(r2.stdout);
    expect(s.status).toBe('warn');
    expect(s.suppressed).toEqual([{ file: 'app/config.go', line: 3, ruleId: 'github-pat', by: 'level: warn' }]);
  });
});
