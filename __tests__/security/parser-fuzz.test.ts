// Every parser of a repository file, fed hostile text: random bytes, byte-order marks, Unicode
// whitespace (NBSP, form feed, line/paragraph separators...), NULs, very long lines, unbalanced
// quotes and parentheses. Each parse must return, or throw only its documented error type; none
// may loop (a BOM in go.mod once made the go.mod lexer loop until memory ran out).
// The PRNG is seeded: a failure names the seed and the case number, and replays the same input.
import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { parseVersionFile } from '../../src/checks/toolchain.js';
import { parseModulesTxt } from '../../src/checks/vendor.js';
import { goLineOf } from '../../src/checks/modules.js';
import { goSumKeys, goSumLine } from '../../src/checks/internal/mod-copy.js';
import { buildConstraint, cgoPkgConfigLine, hasFuncMain, importsC, importSpecs, packageClause } from '../../src/checks/internal/func-main.js';
import { parseConfig } from '../../src/core/config-file.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { parseModDirectives } from '../../src/core/gomod.js';
import { loadGitleaksConfig } from '../../src/secrets/gitleaks-config.js';
import { parseBaseline, parseGitleaksIgnore } from '../../src/secrets/ignore.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

const SEED = Number(process.env.GP_FUZZ_SEED ?? 0x9e3779b9);
const CASES = 150;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNICODE_SPACE = ['\uFEFF', '\u00A0', '\f', '\v', '\u0085', '\u1680', '\u2000', '\u2007', '\u200B', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\0', '\r', '\t', ' ', '\n', '\r\n'];
const PIECES = [
  'module', 'go', 'toolchain', 'require', 'replace', 'exclude', 'retract', 'use', 'godebug', 'tool', 'ignore', '(', ')', '((', '))',
  '//', '// indirect', '"', '`', '\\"', '=>', 'v1.2.3', 'example.com/m', '1.22', 'go1.22.3', 'golang', '#', '# ', '## explicit',
  '## workspace', ':', '::', 'h1:abc=', '/go.mod', 'package', 'main', 'func', 'import', 'C', '//go:build', '// +build', '#cgo',
  'pkg-config:', '/*', '*/', '[', ']', '{', '}', '=', 'key', '- ', '&a', '*a', '!!str', '|', '>', '---', '...', '%YAML', '\'', ',',
];

function randomText(rand: () => number): string {
  const kind = Math.floor(rand() * 6);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  if (kind === 0) {
    // Raw random bytes, read as UTF-8 (invalid sequences become U+FFFD, as the readers do).
    const n = Math.floor(rand() * 512);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
    return b.toString('utf8');
  }
  if (kind === 1) {
    // A very long line of one piece, with or without a BOM in front.
    const piece = pick([...PIECES, ...UNICODE_SPACE, 'a', '"a', '(']);
    return `${rand() < 0.5 ? '\uFEFF' : ''}${pick(PIECES)} ${piece.repeat(5_000 + Math.floor(rand() * 15_000))}`;
  }
  if (kind === 2) {
    // Every Unicode whitespace between otherwise valid go.mod tokens.
    return ['module', 'example.com/m', '\n', 'go', '1.22', '\n', 'require', '(', '\n', 'a.b/c', 'v1.0.0', '\n', ')']
      .map((t) => `${t}${pick(UNICODE_SPACE)}`)
      .join(pick(UNICODE_SPACE));
  }
  // Random pieces and whitespace.
  const n = Math.floor(rand() * 200);
  let s = rand() < 0.3 ? '\uFEFF' : '';
  for (let i = 0; i < n; i++) s += rand() < 0.4 ? pick(UNICODE_SPACE) : pick(PIECES);
  return s;
}

function corpus(salt: number): Array<{ name: string; text: string }> {
  const rand = prng(SEED ^ salt);
  const out: Array<{ name: string; text: string }> = [];
  for (let i = 0; i < CASES; i++) out.push({ name: `seed ${SEED} salt ${salt} case ${i}`, text: randomText(rand) });
  // Fixed worst cases.
  out.push({ name: 'BOM go.mod', text: '\uFEFFmodule example.com/m\n\ngo 1.22\n' });
  out.push({ name: 'NBSP go.mod', text: 'module\u00A0example.com/m\ngo\u00A01.22\n' });
  out.push({ name: 'form feed go.mod', text: 'module example.com/m\f\ngo 1.22\f\n' });
  out.push({ name: 'NULs', text: '\0'.repeat(100_000) });
  out.push({ name: 'one 5 MB line', text: 'a'.repeat(5 * 1024 * 1024) });
  out.push({ name: 'unclosed string', text: 'require "example.com/x v1.0.0\nreplace `a => b\n' });
  out.push({ name: 'deep nesting', text: '['.repeat(100_000) });
  return out;
}

/** Run `parse` on every input; it must return, or throw an error `allowed` accepts. */
function fuzz(salt: number, parse: (text: string) => unknown, allowed: (e: unknown) => boolean = () => false): void {
  for (const { name, text } of corpus(salt)) {
    try {
      parse(text);
    } catch (e) {
      if (!allowed(e)) throw new Error(`${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
}

describe('parsers of repository files never loop or crash', () => {
  it('go.mod / go.work lexer (core/gomod.ts), and the go line of a replacement', () => {
    fuzz(1, (t) => {
      const dirs = parseModDirectives(t);
      for (const d of dirs) expect(d.line).toBeGreaterThan(0);
      goLineOf(t);
    });
    // Go rejects a BOM, NBSP or form feed ("unexpected input character"); the lexer keeps the
    // character in a token and ends, and `go mod edit -json` reports go's error.
    expect(parseModDirectives('\uFEFFmodule example.com/m\ngo 1.22\n').map((d) => d.verb)).toEqual(['\uFEFFmodule', 'go']);
    expect(parseModDirectives('go\u00A01.22\n')[0]!.verb).toBe('go\u00A01.22');
    expect(parseModDirectives('require (\n\t"a\\"b" v1.0.0 // indirect\n)\n')[0]).toMatchObject({ verb: 'require', args: ['a"b', 'v1.0.0'], comment: 'indirect' });
  });

  it('.go-version, .tool-versions and a go-version-file (checks/toolchain.ts)', () => {
    for (const name of ['.go-version', '.tool-versions', 'go.mod', 'go.work']) {
      fuzz(2, (t) => parseVersionFile(name, t, 'auto'));
      fuzz(3, (t) => parseVersionFile(name, t, 'local'));
    }
  });

  it('vendor/modules.txt (checks/vendor.ts)', () => {
    fuzz(4, (t) => parseModulesTxt(t));
  });

  it('go.sum (checks/internal/mod-copy.ts)', () => {
    fuzz(5, (t) => {
      goSumKeys(t);
      goSumLine(t, 'example.com/m', 'v1.0.0', true);
    });
  });

  it('.gitleaksignore and a baseline (secrets/ignore.ts): JSON errors only', () => {
    fuzz(6, (t) => parseGitleaksIgnore(t));
    const jsonish = (e: unknown) => e instanceof SyntaxError || (e instanceof Error && e.constructor === Error && /^expected a JSON array/.test(e.message));
    fuzz(7, (t) => parseBaseline(t), jsonish);
    for (const t of ['{"checks":[null,1,"x",{"id":"secrets","findings":[null,{"hint":7}]}]}', '[null,[],{}]', '{"findings":[null]}']) parseBaseline(t);
  });

  it('Go sources read for positions (checks/internal/func-main.ts)', () => {
    fuzz(8, (t) => {
      hasFuncMain(t);
      packageClause(t);
      importSpecs(t);
      importsC(t);
      buildConstraint(t);
      cgoPkgConfigLine(t, 'libfoo');
    });
  });

  it('.github/go-preflight.yml (core/config-file.ts): ConfigurationError only', () => {
    fuzz(9, (t) => parseConfig(t, '.github/go-preflight.yml', ALL_CHECKS), (e) => e instanceof ConfigurationError);
  });

  it('.gitleaks.toml (secrets/gitleaks-config.ts): problems, never a throw', async () => {
    const root = await tempDir('fuzz-toml');
    const rand = prng(SEED ^ 10);
    const texts = corpus(10).slice(0, 60).map((c) => c.text);
    // TOML-shaped inputs with random regexes, the part a translator could choke on.
    for (let i = 0; i < 40; i++) {
      const re = randomText(rand).slice(0, 200).replace(/'''/g, '');
      texts.push(`[extend]\nuseDefault = true\n[[rules]]\nid = "r${i}"\nregex = '''${re}'''\nkeywords = ["a"]\n[allowlist]\nregexes = ['''${re}''']\n`);
    }
    for (const [i, t] of texts.entries()) {
      await fs.writeFile(path.join(root, '.gitleaks.toml'), t);
      try {
        await loadGitleaksConfig(root);
      } catch (e) {
        throw new Error(`.gitleaks.toml case ${i} (seed ${SEED}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
    }
  });
});
