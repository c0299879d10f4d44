// Configuration: defaults < `.github/go-preflight.yml` < inputs/flags, with a warning when a flag or
// input overrides a different value from the file. Parsing is a pure function of the file's text
// that throws ConfigurationError naming `file:line:col` and the key.

import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { toJsonSchema, type OptionSpec } from './config-spec.js';
import { CHECK_IDS, isCheckId, type Check, type CheckId, type CheckSettings, type Level, type Mode, type Settings, type Target } from './types.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_CONFIG_FILE = '.github/go-preflight.yml';
/** The longest timeout a Node timer can hold ((2^31 - 1) ms, about 24.8 days), in whole seconds. A larger one fires at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const TARGET_RE = /^[a-z0-9]+\/[a-z0-9]+$/;

export function parseTarget(s: string, where: string): Target {
  const t = s.trim();
  if (!TARGET_RE.test(t)) {
    throw new ConfigurationError(`invalid target "${s}": write GOOS/GOARCH, e.g. linux/amd64`, where);
  }
  const [goos, goarch] = t.split('/') as [string, string];
  return { goos, goarch };
}

/**
 * A package pattern as `go list` will get it. One that starts with `-` would be read by go as a
 * flag (`-toolexec=...` runs any program, `-mod=mod` rewrites go.mod): a configuration error.
 */
export function checkPackagePattern(p: string, where: string): string {
  if (p.trim().startsWith('-')) {
    throw new ConfigurationError(`package pattern "${p.trim().slice(0, 40)}" starts with "-": go would read it as a flag; write a package path or a ./dir/... pattern`, where);
  }
  if (/[\0\r\n]/.test(p)) throw new ConfigurationError('a package pattern cannot contain a line break or NUL', where);
  return p;
}

export function splitList(s: string): string[] {
  return s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The config file's spec: top-level keys and `checks.<id>` keys (with each check's own options). */
export function configSpec(checks: Partial<Record<CheckId, Check>>): OptionSpec {
  const level: OptionSpec = {
    type: 'string',
    enum: ['error', 'warn', 'off'],
    description: 'error: findings keep their severity; warn: errors become warnings; off: the check does not run.',
  };
  const checkProps: Record<string, OptionSpec> = {};
  for (const id of CHECK_IDS) {
    checkProps[id] = {
      type: 'object',
      description: `Settings of the ${id} check. A bare level (error | warn | off) is accepted too.`,
      properties: {
        level,
        timeout: { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, description: 'Seconds before the check is stopped and reported as error.' },
        ...(checks[id]?.options ?? {}),
      },
    };
  }
  return {
    type: 'object',
    description: 'go-preflight configuration (.github/go-preflight.yml). Every key is optional.',
    properties: {
      mode: { type: 'string', enum: ['fail', 'warn'], default: 'fail', description: 'fail: the step fails on a failure conclusion; warn: never fails it.' },
      'on-error': {
        type: 'string',
        enum: ['fail', 'warn'],
        default: 'fail',
        description: 'How a check that could not complete (status error: crash, timeout, tool missing) counts: fail makes the conclusion failure, warn makes it a warning.',
      },
      'fail-fast': { type: 'boolean', default: false, description: 'Stop at the first failing check (checks then run one at a time, in table order).' },
      targets: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z0-9]+/[a-z0-9]+$', description: 'GOOS/GOARCH, e.g. linux/amd64' },
        description: 'GOOS/GOARCH targets the build ships (default: go env GOOS/GOARCH).',
      },
      packages: { type: 'array', items: { type: 'string', description: 'package pattern' }, description: 'Package patterns the build compiles (default ./...).' },
      timeout: { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, default: DEFAULT_TIMEOUT_MS / 1000, description: 'Default seconds per check.' },
      checks: { type: 'object', description: 'Per-check settings, keyed by check id.', properties: checkProps },
    },
  };
}

export function renderJsonSchema(checks: Partial<Record<CheckId, Check>>): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'go-preflight.schema.json',
    title: 'go-preflight configuration',
    ...toJsonSchema(configSpec(checks)),
  };
  // A check may be given as a bare level string.
  const props = (schema as unknown as { properties: { checks: { properties: Record<string, unknown> } } }).properties.checks.properties;
  for (const id of Object.keys(props)) props[id] = { oneOf: [{ type: 'string', enum: ['error', 'warn', 'off'] }, props[id]] };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** What the config file said, after validation (only keys present in the file). */
export interface FileConfig {
  mode?: Mode;
  onError?: Mode;
  failFast?: boolean;
  targets?: Target[];
  packages?: string[];
  timeoutMs?: number;
  checks: Partial<Record<CheckId, { level?: Level; timeoutMs?: number; options: Record<string, unknown> }>>;
  /** The file as named in messages (relative to the directory). */
  file?: string;
  /** 1-based line of each key present: `mode`, `checks.secrets`, `checks.secrets.level`, `checks.secrets.max-file-size`... */
  lines?: Record<string, number>;
}

/** Values from the action inputs or CLI flags (undefined = not given). */
export interface Overrides {
  checks?: CheckId[];
  skip?: CheckId[];
  targets?: Target[];
  packages?: string[];
  mode?: Mode;
  failFast?: boolean;
  goVersion?: string;
  goVersionFile?: string;
  cache?: boolean;
  /** `--shard I/N` / input `shard`: this run does shard I of N of the module-level work. */
  shard?: { index: number; count: number };
  /** Checks whose policy the repository's config file cannot weaken (`enforce` input, `--enforce`). */
  enforce?: CheckId[];
  /** Where the overrides come from, for messages: "input" or "flag". */
  source: 'input' | 'flag';
}

/** `enforce` / `--enforce`: comma-separated check ids, or `all`. */
export function parseEnforceList(s: string, where: string): CheckId[] {
  const ids = splitList(s);
  if (ids.length === 1 && ids[0]!.toLowerCase() === 'all') return [...CHECK_IDS];
  if (ids.some((id) => id.toLowerCase() === 'all')) throw new ConfigurationError('write either "all" or a list of check ids, not both', where);
  return parseCheckList(s, where);
}

/**
 * Drop what the repository's config file says that would weaken an enforced check: its level
 * (off, warn), its timeout (its own or the file's default), its options, and a file-wide `mode:
 * warn` or `on-error: warn` (which would turn the check's failure into a green step). Each key
 * dropped is one warning naming the key, the file and the line. Returns a new FileConfig.
 */
export function applyEnforce(file: FileConfig, enforce: readonly CheckId[], source: 'input' | 'flag', warn: (message: string) => void): FileConfig {
  if (!enforce.length) return file;
  const name = file.file ?? 'the config file';
  const where = (key: string) => `${name}${file.lines?.[key] !== undefined ? `:${file.lines[key]}` : ''}`;
  const by = source === 'input' ? 'the enforce input' : '--enforce';
  const ids = enforce.length === CHECK_IDS.length ? 'every check' : enforce.join(', ');
  const out: FileConfig = { ...file, checks: { ...file.checks } };
  if (file.mode === 'warn') {
    warn(`mode: warn in ${where('mode')} is ignored: ${by} enforces ${ids}, whose failures the repository's own files cannot turn into warnings (the workflow's mode input still can)`);
    delete out.mode;
  }
  if (file.onError === 'warn') {
    warn(`on-error: warn in ${where('on-error')} is ignored: ${by} enforces ${ids}, and a check that could not complete must fail`);
    delete out.onError;
  }
  for (const id of enforce) {
    const fc = file.checks[id];
    if (file.timeoutMs !== undefined && fc?.timeoutMs === undefined && file.timeoutMs < DEFAULT_TIMEOUT_MS) {
      warn(`timeout in ${where('timeout')} is ignored for ${id}: ${by} enforces it, so it keeps the default timeout of ${DEFAULT_TIMEOUT_MS / 1000} s`);
    }
    if (!fc) continue;
    const kept: { level?: Level; timeoutMs?: number; options: Record<string, unknown> } = { options: {} };
    if (fc.level === 'off' || fc.level === 'warn') {
      warn(`checks.${id} level ${fc.level} in ${where(`checks.${id}.level`)} is ignored: ${by} enforces ${id}`);
    } else if (fc.level) kept.level = fc.level;
    if (fc.timeoutMs !== undefined) warn(`checks.${id}.timeout in ${where(`checks.${id}.timeout`)} is ignored: ${by} enforces ${id}, so it keeps the default timeout`);
    for (const key of Object.keys(fc.options)) {
      warn(`checks.${id}.${key} in ${where(`checks.${id}.${key}`)} is ignored: ${by} enforces ${id}, so the repository's config cannot change its options`);
    }
    out.checks[id] = kept;
  }
  return out;
}

export function parseCheckList(s: string, where: string): CheckId[] {
  const ids = splitList(s);
  for (const id of ids) {
    if (!isCheckId(id)) throw new ConfigurationError(`unknown check id "${id}" (known: ${CHECK_IDS.join(', ')})`, where);
  }
  return ids as CheckId[];
}

/** Merge defaults < file < overrides. `warn` receives the precedence warnings. */
export function resolveSettings(opts: {
  dir: string;
  file?: FileConfig;
  configFile?: string;
  overrides: Overrides;
  checks: Partial<Record<CheckId, Check>>;
  warn: (message: string) => void;
}): Settings {
  const { overrides: o, warn } = opts;
  const enforce = o.enforce ?? [];
  const file = opts.file && enforce.length ? applyEnforce(opts.file, enforce, o.source, warn) : opts.file;
  const cfgName = opts.configFile ? path.basename(opts.configFile) : 'the config file';
  const pick = <T>(name: string, fromFile: T | undefined, fromOverride: T | undefined, def: T, eq: (a: T, b: T) => boolean = (a, b) => a === b): T => {
    if (fromOverride !== undefined) {
      if (fromFile !== undefined && !eq(fromFile, fromOverride)) {
        warn(`${name}: the ${o.source} value overrides the one in ${cfgName}`);
      }
      return fromOverride;
    }
    return fromFile ?? def;
  };
  const sameList = (a: readonly unknown[], b: readonly unknown[]) => JSON.stringify(a) === JSON.stringify(b);
  // Every source of patterns is checked here too (the file's are checked with their line when parsed).
  for (const p of o.packages ?? []) checkPackagePattern(p, o.source === 'flag' ? '--packages' : 'input packages');
  for (const p of file?.packages ?? []) checkPackagePattern(p, `${cfgName} (packages)`);
  const timeoutMs = file?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const targets = pick<Target[]>('targets', file?.targets, o.targets, [], (a, b) => sameList(a, b));
  const checks = {} as Record<CheckId, CheckSettings>;
  for (const id of CHECK_IDS) {
    const fc = file?.checks[id];
    let level: Level = fc?.level ?? 'error';
    let offReason: string | undefined;
    if (o.checks && !o.checks.includes(id)) {
      level = 'off';
      offReason = `not selected (${o.source === 'flag' ? '--checks' : 'checks input'})`;
    }
    if (o.skip?.includes(id)) {
      level = 'off';
      offReason = `not selected (${o.source === 'flag' ? '--skip' : 'skip input'})`;
    }
    if (o.checks?.includes(id) && level === 'off' && !o.skip?.includes(id)) {
      warn(`checks: ${id} is off in ${cfgName} but was asked for by the ${o.source}; running it`);
      level = 'error';
    }
    const checkTimeout = enforce.includes(id) ? Math.max(timeoutMs, DEFAULT_TIMEOUT_MS) : timeoutMs;
    checks[id] = { level, ...(offReason ? { offReason } : {}), timeoutMs: fc?.timeoutMs ?? checkTimeout, options: fc?.options ?? {} };
  }
  if (o.goVersion && o.goVersionFile) {
    warn('Both go-version and go-version-file are given; go-version is used (as actions/setup-go does)');
  }
  return {
    dir: opts.dir,
    configFile: opts.configFile,
    ...(file?.lines ? { configLines: file.lines } : {}),
    mode: pick<Mode>('mode', file?.mode, o.mode, 'fail'),
    onError: file?.onError ?? 'fail',
    failFast: pick('fail-fast', file?.failFast, o.failFast, false),
    targets,
    targetsExplicit: targets.length > 0,
    packages: pick<string[]>('packages', file?.packages, o.packages, ['./...'], sameList),
    packagesExplicit: o.packages !== undefined || file?.packages !== undefined,
    checks,
    goVersion: o.goVersion,
    goVersionFile: o.goVersion ? undefined : o.goVersionFile,
    cache: o.cache ?? true,
    ...(o.shard ? { shard: o.shard } : {}),
    timeoutMs,
    ...(enforce.length ? { enforce: [...enforce] } : {}),
  };
}

/** Settings for tests and callers that need no file: every check at level error. */
export function defaultSettings(dir: string, patch: Partial<Settings> = {}): Settings {
  const checks = {} as Record<CheckId, CheckSettings>;
  for (const id of CHECK_IDS) checks[id] = { level: 'error', timeoutMs: DEFAULT_TIMEOUT_MS, options: {} };
  return {
    dir,
    mode: 'fail',
    onError: 'fail',
    failFast: false,
    targets: [],
    targetsExplicit: false,
    packages: ['./...'],
    checks,
    cache: false,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    ...patch,
  };
}
