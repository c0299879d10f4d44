import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseUnifiedDiff, unquoteGitPath } from '../../src/secrets/diff.js';
import { createRuleset, scanText } from '../../src/secrets/engine.js';
import { loadGitleaksConfig } from '../../src/secrets/gitleaks-config.js';
import { globToRegExp } from '../../src/secrets/glob.js';
import { normalizeFingerprint, parseBaseline, parseGitleaksIgnore } from '../../src/secrets/ignore.js';
import { Re2TranslateError, compileRe2, translateRe2 } from '../../src/secrets/re2.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';
import { HEX, rnd } from './helpers.js';

afterAll(cleanupTempDirs);

const re = (pattern: string) => compileRe2(translateRe2(pattern).source);

describe('RE2 patterns (re2js)', () => {
  it('keeps the pattern and its inline flags', () => {
    expect(translateRe2('(?i)abc')).toEqual({ source: '(?i)abc', flags: '', syntax: 're2', identifierPrefix: false });
  });
  it('handles mid-pattern (?i), (?i:…) and (?-i:…)', () => {
    const a = re('key(?i)Secret');
    expect(a.test('keySECRET')).toBe(true);
    expect(a.test('KEYsecret')).toBe(false);
    const b = re('(?i)x(?-i:Ab)y');
    expect(b.test('XAbY')).toBe(true);
    expect(b.test('XabY')).toBe(false);
    expect(re('a(?i:b[c-e])f').test('aBDf')).toBe(true);
    expect(re('(?i)[a-c_]+').test('ABC_')).toBe(true);
  });
  it('(?s:.), dot without s, \\z, \\A, (?P<name>), POSIX classes, \\Q…\\E, \\x{…}, Unicode classes', () => {
    expect(re('a(?s:.)b').test('a\nb')).toBe(true);
    expect(re('a.b').test('a\nb')).toBe(false);
    expect(re('a.b').test('a\rb')).toBe(true);
    expect(re('abc\\z').test('abc\n')).toBe(false);
    expect(re('\\Aab').test('xab')).toBe(false);
    expect(re('(?P<secret>[[:alnum:]]{4})').exec('..ab12..')?.[1]).toBe('ab12');
    expect(re('\\Qa.b\\E').test('axb')).toBe(false);
    expect(re('\\x{41}').test('A')).toBe(true);
    expect(re('(?m)^k$').test('a\nk\nb')).toBe(true);
    expect(re('\\pL+').test('é')).toBe(true);
  });
  it('reports group positions in UTF-16 offsets, like RegExp', () => {
    const m = re('k=([a-z]+)').exec('éé k=abc')!;
    expect(m.index).toBe(3);
    expect(m.indices?.[1]).toEqual([5, 8]);
    expect(m[1]).toBe('abc');
  });
  it('strips the lazy identifier prefix of gitleaks patterns', () => {
    const t = translateRe2('(?i)[\\w.-]{0,50}?(?:token)(?:[ \\t\\w.-]{0,20})');
    expect(t.identifierPrefix).toBe(true);
    expect(t.source.startsWith('(?i)(?:token)')).toBe(true);
  });
  it.each([['a(?=b)'], ['(a)\\1'], ['(ab'], ['a{2,1}'], ['x{1001}']])('rejects %s', (p) => {
    expect(() => translateRe2(p)).toThrow(Re2TranslateError);
  });
});

describe('.gitleaks.toml', () => {
  const load = async (text: string, extra: Record<string, string> = {}) => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, '.gitleaks.toml'), text);
    for (const [f, t] of Object.entries(extra)) {
      await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await fs.writeFile(path.join(dir, f), t);
    }
    return (await loadGitleaksConfig(dir))!;
  };

  it('extend, disabledRules, rules with allowlists, global allowlists (old and new forms)', async () => {
    const { config, problems } = await load(`
[extend]
useDefault = true
disabledRules = ["jwt"]

[[rules]]
id = "corp"
description = "Corp token"
regex = '''corp_([0-9a-f]{20})'''
secretGroup = 1
entropy = 2.5
keywords = ["CORP_"]
  [rules.allowlist]
  stopwords = ["deadbeef"]
  [[rules.allowlists]]
  condition = "AND"
  regexTarget = "line"
  regexes = ['''nolint''']
  paths = ['''_test\\.go$''']

[[rules]]
id = "github-pat"
[[rules.allowlists]]
paths = ['''^examples/''']

[allowlist]
paths = ['''^third_party/''']
[[allowlists]]
targetRules = ["corp"]
regexes = ['''^0+$''']
commits = ["abc"]
`);
    expect(problems).toEqual([]);
    expect(config.useDefault).toBe(true);
    expect(config.disabledRules).toEqual(['jwt']);
    expect(config.rules.map((r) => r.id)).toEqual(['corp', 'github-pat']);
    expect(config.rules[0]!.keywords).toEqual(['corp_']);
    expect(config.rules[0]!.allowlists.map((a) => [a.condition, a.regexTarget])).toEqual([
      ['AND', 'line'],
      ['OR', 'secret'],
    ]);
    expect(config.allowlists.map((a) => a.targetRules)).toEqual([undefined, ['corp']]);

    const rs = createRuleset(config);
    const corp = () => `corp_${rnd(20, HEX)}`;
    expect(scanText('a.txt', `x = ${corp()}`, rs).map((f) => f.ruleId)).toEqual(['corp']);
    expect(scanText('a.txt', 'x = corp_00000000000000000000', rs)).toEqual([]); // global allowlist for corp
    expect(scanText('a.txt', 'x = corp_deadbeef000011112222', rs)).toEqual([]); // stopword
    expect(scanText('a_test.go', `x = ${corp()} // nolint`, rs)).toEqual([]); // AND: path and line
    expect(scanText('a.go', `x = ${corp()} // nolint`, rs)).toHaveLength(1); // AND: line only
    expect(scanText('third_party/a.txt', `x = ${corp()}`, rs)).toEqual([]);
    const { githubToken } = await import('./helpers.js');
    expect(scanText('examples/a.go', `t := "${githubToken()}"`, rs)).toEqual([]); // extended default rule
    expect(scanText('cmd/a.go', `t := "${githubToken()}"`, rs)).toHaveLength(1);
  });

  it('[extend] path inside the repository; problems instead of crashes', async () => {
    const { config, problems, files } = await load(
      `
[extend]
path = "ci/base.toml"
url = "https://example.com/x.toml"

[[rules]]
id = "lookaround"
regex = '''a(?!b)'''

[[rules]]
description = "no id"
regex = "x"

[[rules]]
id = "composite"
regex = "x"
[[rules.required]]
id = "other"

[[rules]]
id = "nothing"
`,
      { 'ci/base.toml': '[extend]\nuseDefault = true\n[[rules]]\nid = "base"\nregex = "base_[0-9]{8}"\n' },
    );
    expect(files.map((f) => path.basename(f))).toEqual(['.gitleaks.toml', 'base.toml']);
    expect(config.useDefault).toBe(true);
    expect(config.rules.map((r) => r.id)).toEqual(['base']);
    expect(problems.map((p) => [p.line, p.message.replace(/ \(.*\)/, '')])).toEqual([
      [4, '[extend] url is not supported; it is ignored'],
      [8, 'rule "lookaround" regex: the pattern cannot be used; it is ignored'],
      [undefined, '[[rules]] #2 has no id; it is ignored'],
      [15, 'rule "composite": composite rules are not supported; the rule is ignored'],
      [21, 'rule "nothing" has neither regex nor path; it is ignored'],
    ]);
  });

  it('invalid TOML is a problem with its line; no rules and no extend keeps the defaults', async () => {
    const bad = await load('[[rules]]\nid = "x"\nregex = \n');
    expect(bad.problems).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/^not valid TOML/) })]);
    expect(bad.config.useDefault).toBe(true);
    const onlyAllow = await load('[allowlist]\npaths = ["^docs/"]\n');
    expect(onlyAllow.config.useDefault).toBe(true);
    expect(onlyAllow.problems[0]!.message).toMatch(/has no \[\[rules\]\] and no \[extend\]/);
  });
});

describe('.gitleaksignore, baselines, globs, diffs', () => {
  it('fingerprints: file:rule:line, commit prefix dropped, backslashes normalised', () => {
    expect(normalizeFingerprint('a/b.go:github-pat:3')).toBe('a/b.go:github-pat:3');
    expect(normalizeFingerprint(`${'0a'.repeat(20)}:a\\b.go:github-pat:3`)).toBe('a/b.go:github-pat:3');
    expect(normalizeFingerprint('C:/x/y.go:jwt:1')).toBe('C:/x/y.go:jwt:1');
    expect(normalizeFingerprint('nope')).toBeUndefined();
    expect(parseGitleaksIgnore('# c\n\na.go:jwt:2\nbad line\n')).toEqual({ fingerprints: new Set(['a.go:jwt:2']), badLines: [4] });
  });
  it('baselines: fingerprint arrays, gitleaks reports, go-preflight reports', () => {
    expect(parseBaseline('["a.go:jwt:1", {"fingerprint": "b.go:jwt:2"}]')).toEqual(new Set(['a.go:jwt:1', 'b.go:jwt:2']));
    expect(parseBaseline('[{"RuleID": "jwt", "File": "c.go", "StartLine": 3, "Commit": "x"}, {"Fingerprint": "abcdef1:d.go:jwt:4"}]')).toEqual(
      new Set(['c.go:jwt:3', 'd.go:jwt:4']),
    );
    const report = { schemaVersion: 1, checks: [{ id: 'toolchain', findings: [{ fingerprint: 'x:y:1' }] }, { id: 'secrets', findings: [{ hint: 'or add `e.go:jwt:5` to .gitleaksignore.' }] }] };
    expect(parseBaseline(JSON.stringify(report))).toEqual(new Set(['e.go:jwt:5']));
    expect(() => parseBaseline('{"a": 1}')).toThrow(/expected a JSON array/);
  });
  it('globs', () => {
    const m = (g: string, p: string) => globToRegExp(g).test(p);
    expect(m('docs/**', 'docs/a/b.md')).toBe(true);
    expect(m('docs/**', 'x/docs/a.md')).toBe(false);
    expect(m('*.pem', 'a/b/c.pem')).toBe(true);
    expect(m('testdata', 'pkg/testdata/x.json')).toBe(true);
    expect(m('**/fixtures/*.json', 'a/fixtures/x.json')).toBe(true);
    expect(m('**/fixtures/*.json', 'fixtures/x.json')).toBe(true);
    expect(m('a/*.go', 'a/b/c.go')).toBe(false);
    expect(m('{a,b}.txt', 'x/b.txt')).toBe(true);
  });
  it('unified diffs with -U0, quoted paths, deletions', () => {
    const out = [
      'diff --git a/x.go b/x.go',
      '--- a/x.go',
      '+++ b/x.go',
      '@@ -3,0 +4,2 @@ func f() {',
      '+a',
      '+b',
      '@@ -10 +12 @@',
      '-c',
      '+d',
      '@@ -20,2 +22,0 @@',
      '--- a/gone.go',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '+++ "b/sp ace\\tx\\303\\251.go"',
      '@@ -0,0 +1 @@',
    ].join('\n');
    const d = parseUnifiedDiff(out);
    expect([...d.get('x.go')!]).toEqual([4, 5, 12]);
    expect(d.has('gone.go')).toBe(false);
    expect([...d.get('sp ace\txé.go')!]).toEqual([1]);
    expect(unquoteGitPath('plain')).toBe('plain');
  });
});
