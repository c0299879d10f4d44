// The per-target package loader shared by the `packages` and `cgo` checks.
//
// Both checks call `loadPackages(ctx, module, target)` and `cgoEnv(ctx, target)`, which always
// build the very same `go` invocation (args, cwd, env) for a given module and target, so the
// memoized go runner starts ONE `go list` and ONE `go env` per module and target for the whole
// run, whichever check asks first.
//
// Who reports what (the rule both checks follow, see `cgoExclusion`): a package in the build
// that `go list` rejects with "build constraints exclude all Go files" is the cgo check's finding
// (with the cgo explanation) when cgo is off for that target and at least one of its ignored
// files imports "C" and would be built for that target if cgo were on. Every other exclusion is
// the packages check's finding. Both checks decide with the same function, so a cause is
// reported once.

import path from 'node:path';
import { READ_LIMITS, readRepoFile } from '../../core/safe-read.js';
import { parseJsonObject, parseJsonStream } from '../../core/json-stream.js';
import { describeFailure, incomplete, ToolFailure } from '../../core/process.js';
import { isInside, reportPath } from '../../core/paths.js';
import type { ModuleInfo } from '../../core/probe.js';
import { formatTarget, type CheckContext, type Finding, type Target } from '../../core/types.js';
import { buildConstraint, importSpecs, importsC } from './func-main.js';

export interface PackageError {
  ImportStack?: string[];
  /** `file:line:col`, relative to the cwd of go list or absolute; '' when unknown. */
  Pos?: string;
  Err: string;
}

/** One package of `go list -e -deps -json=...` (only the fields we ask for). */
export interface ListedPackage {
  Dir?: string;
  ImportPath: string;
  Name?: string;
  Standard?: boolean;
  Module?: { Path: string; Version?: string; Main?: boolean; Dir?: string; GoMod?: string };
  Match?: string[];
  DepOnly?: boolean;
  Incomplete?: boolean;
  Error?: PackageError;
  DepsErrors?: PackageError[];
  GoFiles?: string[];
  CgoFiles?: string[];
  IgnoredGoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  Imports?: string[];
  CgoPkgConfig?: string[];
}

/** The fields we ask go list for: fewer fields make `go list` faster, and only these are guaranteed. */
export const LIST_FIELDS = [
  'Dir',
  'ImportPath',
  'Name',
  'Standard',
  'Module',
  'Match',
  'DepOnly',
  'Incomplete',
  'Error',
  'DepsErrors',
  'GoFiles',
  'CgoFiles',
  'IgnoredGoFiles',
  'TestGoFiles',
  'XTestGoFiles',
  'Imports',
  'CgoPkgConfig',
] as const;

export interface Listing {
  module: ModuleInfo;
  target: Target;
  /** Patterns passed to go list (relative to the module dir). */
  patterns: string[];
  packages: ListedPackage[];
  byPath: Map<string, ListedPackage>;
  /** go list failed as a whole (no package JSON): the first lines of its stderr. */
  fatal?: string;
  /** Full stderr (warnings such as `matched no packages`). */
  stderr: string;
}

// ---------------------------------------------------------------------------------------------
// Per-run caches. Keyed on the run's probe (one per run), so concurrent checks of one run share
// them and nothing leaks from one run into another.

interface RunCache {
  files: Map<string, Promise<string | undefined>>;
  listings: Map<string, Promise<Listing | undefined>>;
  cgo: Map<string, Promise<CgoEnv>>;
}
const caches = new WeakMap<object, RunCache>();
function runCache(ctx: CheckContext): RunCache {
  let c = caches.get(ctx.probe);
  if (!c) {
    c = { files: new Map(), listings: new Map(), cgo: new Map() };
    caches.set(ctx.probe, c);
  }
  return c;
}

/** Read a file once per run (undefined when unreadable). */
export function readSource(ctx: CheckContext, file: string): Promise<string | undefined> {
  const c = runCache(ctx);
  let p = c.files.get(file);
  if (!p) {
    // Through core/safe-read.ts: a source file of the repository that links out of it, a FIFO or
    // a device is not read (undefined, as an unreadable file). Dependencies' sources are in the
    // module cache, outside the repository as written, and are read as regular files only.
    p = readRepoFile(file, { root: ctx.probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.source, allowOutside: true }).catch(() => undefined);
    c.files.set(file, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Patterns

const KEYWORD_PATTERNS = new Set(['all', 'std', 'cmd', 'tool', 'work']);

function isRelativePattern(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.startsWith('.\\') || p.startsWith('..\\');
}

/** The modules of the run that `go list` can load (go.mod parsed, in go.work when there is one). */
export function loadableModules(ctx: CheckContext): { modules: ModuleInfo[]; notes: string[] } {
  const notes: string[] = [];
  const modules: ModuleInfo[] = [];
  for (const m of ctx.probe.modules) {
    if (m.parseError) notes.push(`${m.goModFile}: skipped, go.mod does not parse (see the modules check)`);
    // With a go.work active, go commands in a module it does not `use` fail outright; the
    // modules check reports the workspace; we cannot list such a module as the build would.
    else if (ctx.probe.work && !m.inWorkspace) notes.push(`${m.goModFile}: skipped, not listed in ${ctx.probe.work.relFile}`);
    else modules.push(m);
  }
  return { modules, notes };
}

/**
 * What packages and cgo both start from: the valid targets and the loadable modules, with notes on
 * what was left out, or the reason to skip when nothing is left.
 */
export async function targetsAndModules(
  ctx: CheckContext,
): Promise<{ valid: Target[]; modules: ModuleInfo[]; notes: string[]; skipReason?: string }> {
  const notes: string[] = [];
  const valid = await ctx.validTargets();
  const validKeys = new Set(valid.map(formatTarget));
  const invalid = ctx.settings.targets.filter((t) => !validKeys.has(formatTarget(t)));
  if (invalid.length) notes.push(`skipped ${invalid.map(formatTarget).join(', ')}: not a target this Go supports (see the targets check)`);
  if (valid.length === 0) return { valid, modules: [], notes, skipReason: 'no valid target (see the targets check)' };
  const { modules, notes: moduleNotes } = loadableModules(ctx);
  notes.push(...moduleNotes);
  if (modules.length === 0) return { valid, modules, notes, skipReason: 'no loadable module' };
  return { valid, modules, notes };
}

/**
 * The patterns of `settings.packages` that concern this module, rewritten relative to its dir.
 * Patterns are written relative to the inspected directory: `./...` covers every module (each
 * module lists its own `./...`, since go never crosses into a nested module), `./cmd/...` goes
 * to the module that owns cmd/, import-path patterns to the module whose path they start with
 * (else to the root module, which resolves dependencies' packages).
 */
export function modulePatterns(ctx: CheckContext, module: ModuleInfo, modules: readonly ModuleInfo[]): string[] {
  const out: string[] = [];
  // In a sharded run (`--shard I/N`) this run lists only its shard's modules, but a pattern still
  // belongs to the module that owns it in the whole repository: `./svc/...` is never given to the
  // root module because svc/ went to another shard.
  const universe = ctx.probe.allModules ? ctx.probe.allModules.filter((m) => !m.parseError && !(ctx.probe.work && !m.inWorkspace)) : modules;
  const ownerOfDir = (abs: string) =>
    universe.filter((m) => isInside(m.dir, abs)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const ownerOfPath = (p: string) =>
    universe.filter((m) => m.path && (p === m.path || p.startsWith(`${m.path}/`))).sort((a, b) => b.path.length - a.path.length)[0];
  const root = ownerOfDir(ctx.dir) ?? universe[0] ?? modules[0];
  for (const p of ctx.settings.packages) {
    if (isRelativePattern(p)) {
      const norm = p.replace(/\\/g, '/');
      const wild = norm.indexOf('...');
      // Split `./cmd/x...` into the literal directory `./cmd` and the rest `x...`.
      const slash = wild >= 0 ? norm.lastIndexOf('/', wild) : -1;
      const dirPart = wild < 0 ? norm : slash >= 0 ? norm.slice(0, slash) : '.';
      const rest = wild < 0 ? '' : norm.slice(slash + 1);
      const absBase = path.resolve(ctx.dir, dirPart);
      const owner = ownerOfDir(absBase);
      if (owner === module) {
        const rel = path.relative(module.dir, absBase).split(path.sep).join('/');
        const dir = rel === '' ? '.' : `./${rel}`;
        out.push(rest ? `${dir}/${rest}` : dir);
      } else if (rest === '...' && isInside(absBase, module.dir)) {
        // `./...` from a parent directory covers this nested module as a whole.
        out.push('./...');
      }
    } else if (KEYWORD_PATTERNS.has(p)) {
      if (module === root) out.push(p);
    } else {
      const wild = p.indexOf('...');
      const prefix = wild >= 0 ? p.slice(0, wild).replace(/\/$/, '') : p;
      const owner = ownerOfPath(prefix);
      if (owner === module) out.push(p);
      else if (!owner && module === root) out.push(p);
      // `example.com/app/...` also covers nested modules whose path starts with the prefix.
      else if (wild >= 0 && module.path && module.path.startsWith(`${prefix}/`) && owner !== module) out.push(p);
    }
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// The loader

function targetEnv(target: Target): Record<string, string> {
  // CGO_ENABLED is deliberately not set: the user's value (if any) passes through from the
  // environment, otherwise go decides exactly as `go build` will (off when cross compiling...).
  return { GOOS: target.goos, GOARCH: target.goarch };
}

/**
 * `go list -e -deps -json=<fields> <patterns>` for one module and one target (cwd = the module
 * dir). Undefined when no pattern concerns the module. Never throws for go's own failures.
 */
export function loadPackages(ctx: CheckContext, module: ModuleInfo, target: Target, modules?: readonly ModuleInfo[]): Promise<Listing | undefined> {
  const patterns = modulePatterns(ctx, module, modules ?? loadableModules(ctx).modules);
  const key = JSON.stringify([module.dir, formatTarget(target), patterns]);
  const c = runCache(ctx);
  let p = c.listings.get(key);
  if (!p) {
    p = (async (): Promise<Listing | undefined> => {
      if (patterns.length === 0) return undefined;
      // `--`: a pattern is never read as a flag (`-toolexec=...` would run a program).
      const r = await ctx.go.run(['list', '-e', '-deps', `-json=${LIST_FIELDS.join(',')}`, '--', ...patterns], {
        cwd: module.dir,
        // PWD makes go's os.Getwd return module.dir as we spell it, not a symlink-resolved path
        // (macOS temp dirs live under /var -> /private/var): go prints every Dir and Pos from it.
        env: { ...targetEnv(target), PWD: module.dir },
        signal: ctx.signal,
      });
      // Killed, cut off at the output cap, or not started: the listing is incomplete, no answer.
      if (incomplete(r)) throw new ToolFailure(describeFailure(r));
      const packages = r.code === 0 || r.stdout.trim() ? parseJsonStream<ListedPackage>(r.stdout).values.filter((x) => x && typeof x.ImportPath === 'string') : [];
      const listing: Listing = { module, target, patterns, packages, byPath: new Map(packages.map((x) => [x.ImportPath, x])), stderr: r.stderr };
      if (r.code !== 0) {
        const lines = r.stderr
          .split('\n')
          .map((l) => l.trimEnd())
          .filter((l) => l && !/^go: (downloading|finding|found|warning)/.test(l));
        listing.fatal = lines.slice(0, 4).join('\n') || describeFailure(r);
      }
      return listing;
    })();
    c.listings.set(key, p);
    // A cancelled load must not poison the cache for a check that still runs.
    p.catch(() => c.listings.delete(key));
  }
  return p;
}

/** Run fn over items with at most `limit` running at once, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------
// cgo environment of a target

export interface CgoEnv {
  /** Effective CGO_ENABLED for this target, as `go build` will see it. */
  enabled: boolean;
  /** CGO_ENABLED came from the environment (or `go env -w`), not go's default. */
  explicit: boolean;
  CC: string;
  CXX: string;
  PKG_CONFIG: string;
  CGO_CFLAGS: string;
  CGO_LDFLAGS: string;
  /** Set when `go env` failed and the values were computed here. */
  error?: string;
}

export const CGO_ENV_VARS = ['CGO_ENABLED', 'CC', 'CXX', 'PKG_CONFIG', 'CGO_CFLAGS', 'CGO_LDFLAGS'] as const;

/** Go's default C compiler for a target (cmd/go DefaultCC when CC is unset). */
export function defaultCC(goos: string): string {
  return ['darwin', 'ios', 'freebsd', 'openbsd'].includes(goos) ? 'clang' : 'gcc';
}

/**
 * `go env -json CGO_ENABLED CC ...` with the target's GOOS/GOARCH (one process per target, shared
 * by the checks). Go computes the effective CGO_ENABLED: the explicit value wins; else 0 when
 * cross compiling; else 0 when CC is unset and the default compiler is not on PATH (Go 1.20+).
 */
export function cgoEnv(ctx: CheckContext, target: Target): Promise<CgoEnv> {
  const c = runCache(ctx);
  const key = formatTarget(target);
  let p = c.cgo.get(key);
  if (!p) {
    p = (async (): Promise<CgoEnv> => {
      const r = await ctx.go.run(['env', '-json', ...CGO_ENV_VARS], { cwd: ctx.dir, env: targetEnv(target), signal: ctx.signal, timeoutMs: 60_000 });
      if (r.aborted || r.timedOut) throw new Error(describeFailure(r));
      const hostOs = ctx.probe.goEnv.GOHOSTOS || ctx.probe.host.goos;
      const hostArch = ctx.probe.goEnv.GOHOSTARCH || ctx.probe.host.goarch;
      const cross = target.goos !== hostOs || target.goarch !== hostArch;
      const userValue = ctx.env.CGO_ENABLED;
      const obj = r.code === 0 ? parseJsonObject<Record<string, string>>(r.stdout) : undefined;
      if (obj) {
        const enabled = obj.CGO_ENABLED === '1';
        return {
          enabled,
          // Go's default is 0 when cross compiling, so a 1 there was set by the user (env or go env -w).
          explicit: userValue === '0' || userValue === '1' || (cross && enabled),
          CC: obj.CC ?? '',
          CXX: obj.CXX ?? '',
          PKG_CONFIG: obj.PKG_CONFIG || 'pkg-config',
          CGO_CFLAGS: obj.CGO_CFLAGS ?? '',
          CGO_LDFLAGS: obj.CGO_LDFLAGS ?? '',
        };
      }
      // go env failed: compute it like Go does, so the checks still have an answer.
      const cc = ctx.env.CC || defaultCC(target.goos);
      const enabled = userValue === '1' || (userValue !== '0' && !cross);
      return {
        enabled,
        explicit: userValue === '0' || userValue === '1',
        CC: cc,
        CXX: ctx.env.CXX || (cc === 'clang' ? 'clang++' : 'g++'),
        PKG_CONFIG: ctx.env.PKG_CONFIG || 'pkg-config',
        CGO_CFLAGS: ctx.env.CGO_CFLAGS ?? '-O2 -g',
        CGO_LDFLAGS: ctx.env.CGO_LDFLAGS ?? '-O2 -g',
        error: describeFailure(r),
      };
    })();
    c.cgo.set(key, p);
    p.catch(() => c.cgo.delete(key));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Build constraints (for deciding whether an ignored file would build with cgo on, and which
// platforms a directory builds for). A faithful subset of go/build's matchFile rules.

// go/build's syslist (the names that make a `_goos`/`_goarch` file-name suffix meaningful).
const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);
const UNIX_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);

/** The build tags satisfied for a target (go/build matchTag), with or without cgo. */
export function targetTags(ctx: CheckContext, target: Target, cgo: boolean): Set<string> {
  const tags = new Set<string>([target.goos, target.goarch, 'gc']);
  if (target.goos === 'android') tags.add('linux');
  if (target.goos === 'illumos') tags.add('solaris');
  if (target.goos === 'ios') tags.add('darwin');
  if (UNIX_OS.has(target.goos)) tags.add('unix');
  if (cgo) tags.add('cgo');
  const minor = /^go1\.(\d+)/.exec(ctx.probe.go.version)?.[1];
  for (let i = 1; i <= Number(minor ?? 0); i++) tags.add(`go1.${i}`);
  // -tags from GOFLAGS apply to every build.
  const goflags = ctx.env.GOFLAGS ?? '';
  for (const m of goflags.matchAll(/(?:^|\s)--?tags[= ](\S+)/g)) for (const t of m[1]!.split(/[,\s]/)) if (t) tags.add(t);
  return tags;
}

/** Evaluate a `//go:build` expression; unknown syntax evaluates to false (as a bad line excludes the file). */
export function evalBuildExpr(expr: string, tags: ReadonlySet<string>): boolean {
  const toks = expr.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (toks[i] === '&&') {
      i++;
      const r = not();
      v = v && r;
    }
    return v;
  };
  const not = (): boolean => {
    if (toks[i] === '!') {
      i++;
      return !not();
    }
    if (toks[i] === '(') {
      i++;
      const v = or();
      if (toks[i] !== ')') throw new Error('unbalanced');
      i++;
      return v;
    }
    const t = toks[i++];
    if (t === undefined || t === '&&' || t === '||' || t === ')') throw new Error('syntax');
    return t === 'true' || tags.has(t);
  };
  try {
    const v = or();
    return i === toks.length ? v : false;
  } catch {
    return false;
  }
}

/** go/build goodOSArchFile: does the `_goos`/`_goarch` suffix of the file name allow these tags? */
export function fileNameMatches(name: string, tags: ReadonlySet<string>): boolean {
  let base = name.replace(/\.go$/, '');
  const dot = base.indexOf('.');
  if (dot >= 0) base = base.slice(0, dot);
  const i = base.indexOf('_');
  if (i < 0) return true;
  const parts = base.slice(i).split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]!) && KNOWN_ARCH.has(parts[n - 1]!)) return tags.has(parts[n - 2]!) && tags.has(parts[n - 1]!);
  if (n >= 1 && (KNOWN_OS.has(parts[n - 1]!) || KNOWN_ARCH.has(parts[n - 1]!))) return tags.has(parts[n - 1]!);
  return true;
}

/** Whether a Go file (name + source) is built with these tags. */
export function fileMatches(name: string, src: string, tags: ReadonlySet<string>): boolean {
  if (!fileNameMatches(name, tags)) return false;
  const expr = buildConstraint(src);
  if (expr === undefined) return true;
  if (expr === '') return false;
  return evalBuildExpr(expr, tags);
}

/**
 * THE rule deciding whether a "build constraints exclude all Go files" is caused by cgo being
 * off (then the cgo check reports it and the packages check stays silent): cgo is off for the
 * target, and one of the package's ignored non-test files imports "C" and would be built for
 * this target with cgo on.
 */
export async function cgoExclusion(ctx: CheckContext, pkg: ListedPackage, target: Target, cgo: CgoEnv): Promise<boolean> {
  if (cgo.enabled || !pkg.Dir || !pkg.Error || !/build constraints exclude all Go files/.test(pkg.Error.Err)) return false;
  const withCgo = targetTags(ctx, target, true);
  for (const f of pkg.IgnoredGoFiles ?? []) {
    if (f.endsWith('_test.go')) continue;
    const src = await readSource(ctx, path.join(pkg.Dir, f));
    if (src !== undefined && importsC(src) && fileMatches(f, src, withCgo)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Positions

export interface Position {
  file: string;
  line?: number;
  column?: number;
}

/** `file:line:col` (relative to the module dir or absolute) as a report position. */
export function parsePos(ctx: CheckContext, baseDir: string, pos: string | undefined): Position | undefined {
  if (!pos) return undefined;
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(pos.trim());
  if (!m) return undefined;
  const abs = path.resolve(baseDir, m[1]!);
  return { file: reportPath(ctx.dir, abs), line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
}

/** A position embedded at the start of an error text (`/abs/c.go:2:8: invalid import path: ...`). */
export function leadingPos(err: string): { pos: string; rest: string } | undefined {
  const m = /^((?:[A-Za-z]:)?[^\s:][^:\n]*\.go:\d+(?::\d+)?): (.*)$/s.exec(err);
  return m ? { pos: m[1]!, rest: m[2]! } : undefined;
}

/** The import path as written in source for a resolved path (vendor/ prefixes removed). */
function sourceImportPath(p: string): string {
  const i = p.lastIndexOf('/vendor/');
  if (i >= 0) return p.slice(i + '/vendor/'.length);
  return p.startsWith('vendor/') ? p.slice('vendor/'.length) : p;
}

/** The line of `import "imported"` in the importing package's files. */
export async function findImportLine(ctx: CheckContext, importer: ListedPackage | undefined, imported: string): Promise<Position | undefined> {
  if (!importer?.Dir) return undefined;
  const want = sourceImportPath(imported);
  for (const f of [...(importer.GoFiles ?? []), ...(importer.CgoFiles ?? [])]) {
    const abs = path.join(importer.Dir, f);
    const src = await readSource(ctx, abs);
    if (src === undefined) continue;
    const spec = importSpecs(src).find((s) => s.path === want || s.path === imported);
    if (spec) return { file: reportPath(ctx.dir, abs), line: spec.line, column: spec.column };
  }
  return undefined;
}

/** The package that imports `pkgPath` according to an error's import stack. */
export function importerOf(stack: readonly string[] | undefined, pkgPath: string): string | undefined {
  if (!stack || stack.length === 0) return undefined;
  const last = stack[stack.length - 1];
  if (last === pkgPath) return stack.length >= 2 ? stack[stack.length - 2] : undefined;
  return last;
}

/** Where the import that pulls `pkg` into the build stands: Error.Pos, else a scan of the importer. */
export async function importPosition(ctx: CheckContext, listing: Listing, pkgPath: string, err: PackageError): Promise<Position | undefined> {
  const fromPos = parsePos(ctx, listing.module.dir, err.Pos);
  if (fromPos) return fromPos;
  const importer = importerOf(err.ImportStack, pkgPath);
  return importer ? findImportLine(ctx, listing.byPath.get(importer), pkgPath) : undefined;
}

/** Import chain for messages: `a → b → c`. */
export function importChain(stack: readonly string[] | undefined, pkgPath: string): string {
  const s = [...(stack ?? [])];
  if (s[s.length - 1] !== pkgPath) s.push(pkgPath);
  return s.join(' → ');
}

/** Make absolute paths under the inspected dir relative in a go message. */
export function relativizeMessage(ctx: CheckContext, text: string): string {
  const roots = [ctx.dir, ...ctx.probe.modules.map((m) => m.dir)].sort((a, b) => b.length - a.length);
  let out = text;
  for (const r of new Set(roots)) {
    if (!r || r === path.parse(r).root) continue;
    const rel = reportPath(ctx.dir, r);
    out = out.split(`${r}${path.sep}`).join(rel === '.' ? '' : `${rel}/`);
    out = out.split(r).join(rel);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merging: the same cause seen on several targets is ONE finding naming all of them.

export class FindingMerger {
  private readonly entries = new Map<string, { finding: Omit<Finding, 'target'>; targets: string[] }>();
  constructor(private readonly targetOrder: readonly string[]) {}

  /**
   * Add a finding seen on `target`. `{targets}` in the message or hint is replaced by the merged
   * target list, so a message can name the targets and still merge.
   */
  add(target: Target | string, finding: Omit<Finding, 'target'>): void {
    const t = typeof target === 'string' ? target : formatTarget(target);
    const key = JSON.stringify([finding.severity, finding.message, finding.hint ?? '', finding.file ?? '', finding.line ?? 0, finding.column ?? 0]);
    const e = this.entries.get(key);
    if (e) {
      if (!e.targets.includes(t)) e.targets.push(t);
    } else this.entries.set(key, { finding, targets: [t] });
  }

  findings(): Finding[] {
    const order = (t: string) => {
      const i = this.targetOrder.indexOf(t);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...this.entries.values()].map(({ finding, targets }) => {
      const list = targets.sort((a, b) => order(a) - order(b)).join(', ');
      const fill = (s: string) => s.split('{targets}').join(list);
      return { ...finding, message: fill(finding.message), ...(finding.hint ? { hint: fill(finding.hint) } : {}), target: list };
    });
  }
}

/**
 * Split CC / CGO_CFLAGS like go does (cmd/internal/quoted.Split): fields separated by spaces,
 * a field may be wrapped in '' or "" (no escapes inside), so `CC="zig cc -target x"` works.
 */
export function splitQuoted(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < s.length) {
    while (i < s.length && space(s[i])) i++;
    if (i >= s.length) break;
    const c = s[i]!;
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) {
        out.push(s.slice(i + 1));
        break;
      }
      out.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !space(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}
