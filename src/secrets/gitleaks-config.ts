// A user's `.gitleaks.toml`, read the way gitleaks v8 reads it, into a RulesetConfig:
// - `[extend] useDefault = true` keeps go-preflight's default rules (they play the part of
//   gitleaks' defaults); without it only the file's rules run. `[extend] path` (another file in
//   the repository, at most two levels deep) and `disabledRules` are honoured; `url` is not;
// - `[[rules]]` with id, description, regex, secretGroup, entropy, keywords, path and
//   `[[rules.allowlists]]` (or the older `[rules.allowlist]`); a rule that reuses a default id
//   replaces it, or extends it when it has no regex;
// - `[allowlist]` / `[[allowlists]]` (paths, regexes, stopwords, regexTarget, condition,
//   targetRules; commits are ignored since the working tree is scanned).
// RE2 patterns run on re2js, a linear-time RE2 engine (re2.ts). What cannot be used becomes a problem
// (reported as a warning finding on the file), never an exception.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { getErrorMessage } from '../core/errors.js';
import { isUnsafeReadError, READ_LIMITS, readRepoFile, unsafeReadSentence } from '../core/safe-read.js';
import { Re2TranslateError, translateRe2 } from './re2.js';
import { builtinRules } from './rules.js';
import type { AllowlistSpec, CustomRuleSpec, JsRegex, RulesetConfig } from './types.js';

export const GITLEAKS_CONFIG_FILE = '.gitleaks.toml';

export interface ConfigProblem {
  /** Absolute path of the file the problem is in. */
  file: string;
  line?: number;
  message: string;
}

export interface ParsedGitleaksConfig {
  config: RulesetConfig;
  problems: ConfigProblem[];
  /** Absolute paths of every file read (the config and the files it extends). */
  files: string[];
}

type Table = Record<string, unknown>;

let ids: Set<string> | undefined;
function builtinIds(): Set<string> {
  return (ids ??= new Set(builtinRules().map((r) => r.id)));
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** 1-based line of the first occurrence of `needle` in text, if any. */
function lineOf(text: string, needle: string | RegExp): number | undefined {
  const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  if (i < 0) return undefined;
  return text.slice(0, i).split('\n').length;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Loader {
  readonly problems: ConfigProblem[] = [];
  readonly files: string[] = [];

  constructor(private readonly root: string) {}

  private problem(file: string, text: string, message: string, near?: string | RegExp): void {
    this.problems.push({ file, message, line: near === undefined ? undefined : lineOf(text, near) });
  }

  private translate(file: string, text: string, pattern: string, what: string): (JsRegex & { identifierPrefix: boolean }) | undefined {
    try {
      return translateRe2(pattern);
    } catch (e) {
      const why = e instanceof Re2TranslateError ? e.message : getErrorMessage(e);
      this.problem(file, text, `${what}: the pattern cannot be used (${why}); it is ignored`, pattern.slice(0, 40));
      return undefined;
    }
  }

  private allowlist(file: string, text: string, t: Table, where: string, global: boolean): AllowlistSpec | undefined {
    const cond = typeof t.condition === 'string' ? t.condition.toUpperCase() : 'OR';
    const target = typeof t.regexTarget === 'string' ? t.regexTarget.toLowerCase() : 'secret';
    if (cond !== 'OR' && cond !== 'AND') this.problem(file, text, `${where}: condition must be "OR" or "AND" (got "${String(t.condition)}"); OR is used`, /condition\s*=/);
    if (target !== 'secret' && target !== 'match' && target !== 'line') {
      this.problem(file, text, `${where}: regexTarget must be secret, match or line (got "${String(t.regexTarget)}"); secret is used`, /regexTarget\s*=/);
    }
    const tr = (list: string[], kind: string) =>
      list.flatMap((p) => {
        const r = this.translate(file, text, p, `${where} ${kind}`);
        return r ? [{ source: r.source, flags: r.flags, syntax: r.syntax }] : [];
      });
    const spec: AllowlistSpec = {
      description: typeof t.description === 'string' ? t.description : undefined,
      condition: cond === 'AND' ? 'AND' : 'OR',
      regexTarget: target === 'match' || target === 'line' ? target : 'secret',
      regexes: tr(strings(t.regexes), 'regex'),
      paths: tr(strings(t.paths), 'path'),
      stopwords: strings(t.stopwords),
    };
    if (global && t.targetRules !== undefined) spec.targetRules = strings(t.targetRules);
    // An allowlist of commits only has nothing left to match in a working-tree scan.
    if (!spec.regexes.length && !spec.paths.length && !spec.stopwords.length) return undefined;
    return spec;
  }

  private rule(file: string, text: string, t: Table, index: number): CustomRuleSpec | undefined {
    const id = typeof t.id === 'string' ? t.id.trim() : '';
    if (!id) {
      this.problem(file, text, `[[rules]] #${index + 1} has no id; it is ignored`);
      return undefined;
    }
    const near = new RegExp(`id\\s*=\\s*["']${escapeRegExp(id)}["']`);
    const where = `rule "${id}"`;
    if (t.required !== undefined) {
      this.problem(file, text, `${where}: composite rules ([[rules.required]]) are not supported; the rule is ignored`, near);
      return undefined;
    }
    const spec: CustomRuleSpec = { id, keywords: strings(t.keywords).map((k) => k.toLowerCase()), allowlists: [] };
    if (typeof t.description === 'string') spec.description = t.description;
    if (typeof t.regex === 'string' && t.regex !== '') {
      const r = this.translate(file, text, t.regex, `${where} regex`);
      if (!r) return undefined;
      spec.regex = r;
    }
    if (typeof t.path === 'string' && t.path !== '') {
      const r = this.translate(file, text, t.path, `${where} path`);
      if (!r) return undefined;
      spec.path = { source: r.source, flags: r.flags, syntax: r.syntax };
    }
    if (!spec.regex && !spec.path && !builtinIds().has(id)) {
      this.problem(file, text, `${where} has neither regex nor path (and is not one of the default rules to extend); it is ignored`, near);
      return undefined;
    }
    if (typeof t.secretGroup === 'number') spec.secretGroup = t.secretGroup;
    if (typeof t.entropy === 'number') spec.entropy = t.entropy;
    const lists: unknown[] = [...(Array.isArray(t.allowlists) ? t.allowlists : []), ...(isTable(t.allowlist) ? [t.allowlist] : [])];
    for (const [i, al] of lists.entries()) {
      if (!isTable(al)) continue;
      const a = this.allowlist(file, text, al, `${where} allowlist #${i + 1}`, false);
      if (a) spec.allowlists.push(a);
    }
    return spec;
  }

  async load(abs: string, depth: number): Promise<RulesetConfig | undefined> {
    let text: string;
    try {
      // Read as every repository file is (core/safe-read.ts): a link out of the repository, a FIFO,
      // a device or an oversized file is refused and named, never read or quoted.
      text = await readRepoFile(abs, { root: this.root, maxBytes: READ_LIMITS.gitleaksConfig });
    } catch (e) {
      this.problems.push({ file: abs, message: isUnsafeReadError(e) ? `${unsafeReadSentence(e, 'the file')}; it is ignored` : `cannot read the file: ${getErrorMessage(e)}` });
      return undefined;
    }
    this.files.push(abs);
    let doc: Table;
    // The TOML parser is loaded only for repositories that have a .gitleaks.toml (start-up time).
    const toml = await import('smol-toml');
    try {
      doc = toml.parse(text) as Table;
    } catch (e) {
      const line = e instanceof toml.TomlError ? e.line : undefined;
      // Only the first line of the parser's message: the rest quotes the file.
      this.problems.push({ file: abs, line, message: `not valid TOML: ${getErrorMessage(e).split('\n')[0]}; the file is ignored` });
      return undefined;
    }
    const extend = isTable(doc.extend) ? doc.extend : undefined;
    let base: RulesetConfig | undefined;
    if (extend && typeof extend.path === 'string' && extend.path) {
      const target = path.resolve(path.dirname(abs), extend.path);
      const rel = path.relative(this.root, target);
      if (depth >= 2) this.problem(abs, text, `[extend] path: extending more than two levels deep is not supported; "${extend.path}" is ignored`, /path\s*=/);
      else if (rel.startsWith('..') || path.isAbsolute(rel)) this.problem(abs, text, `[extend] path "${extend.path}" is outside the repository; it is ignored`, /path\s*=/);
      else base = await this.load(target, depth + 1);
    }
    if (extend && typeof extend.url === 'string') this.problem(abs, text, '[extend] url is not supported (no network access); it is ignored', /url\s*=/);

    const rules: CustomRuleSpec[] = [];
    const rawRules = Array.isArray(doc.rules) ? doc.rules : [];
    rawRules.forEach((r, i) => {
      if (!isTable(r)) return;
      const spec = this.rule(abs, text, r, i);
      if (spec) rules.push(spec);
    });
    const allowlists: AllowlistSpec[] = [];
    const rawLists: unknown[] = [...(isTable(doc.allowlist) ? [doc.allowlist] : []), ...(Array.isArray(doc.allowlists) ? doc.allowlists : [])];
    rawLists.forEach((a, i) => {
      if (!isTable(a)) return;
      const spec = this.allowlist(abs, text, a, `global allowlist #${i + 1}`, true);
      if (spec) allowlists.push(spec);
    });

    let useDefault = extend?.useDefault === true || base?.useDefault === true;
    if (!extend && rawRules.length === 0) {
      // gitleaks would then detect nothing at all; far more likely the file only meant to add
      // allowlists, so the default rules stay on.
      this.problems.push({
        file: abs,
        message: 'has no [[rules]] and no [extend]: gitleaks would run no rule at all with it; go-preflight keeps its default rules (add an [extend] table with useDefault = true to say so)',
      });
      useDefault = true;
    }
    const merged: CustomRuleSpec[] = [...(base?.rules ?? [])];
    for (const r of rules) {
      const at = merged.findIndex((m) => m.id === r.id);
      if (at >= 0) merged[at] = r;
      else merged.push(r);
    }
    return {
      useDefault,
      disabledRules: [...new Set([...(base?.disabledRules ?? []), ...strings(extend?.disabledRules)])],
      generic: true,
      rules: merged,
      allowlists: [...(base?.allowlists ?? []), ...allowlists],
    };
  }
}

/**
 * Read `<root>/.gitleaks.toml` when it exists. `root` is the repository root; `[extend] path`
 * must stay inside it.
 */
export async function loadGitleaksConfig(root: string): Promise<ParsedGitleaksConfig | undefined> {
  const file = path.join(root, GITLEAKS_CONFIG_FILE);
  try {
    await fs.access(file);
  } catch {
    return undefined;
  }
  const loader = new Loader(root);
  const config = await loader.load(file, 0);
  return {
    config: config ?? { useDefault: true, disabledRules: [], generic: true, rules: [], allowlists: [] },
    problems: loader.problems,
    files: loader.files,
  };
}
