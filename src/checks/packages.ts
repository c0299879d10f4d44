// `packages`: do the packages load for every target? One `go list -e -deps -json` per module and
// target (shared with the cgo check through internal/go-list.ts) finds what `go build` would
// stop on: imports of packages with no Go files or whose files all are excluded for the target,
// missing modules and go.sum entries, import cycles, bad import paths, two package names in one
// directory, and a `package main` without `func main` (which only the linker notices, at the
// very end of a build). It also says which package directories a target silently does not build.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { distList, type DistPort } from '../core/runner.js';
import { isInside, joinReport, reportPath } from '../core/paths.js';
import type { ModuleInfo } from '../core/probe.js';
import { formatTarget, type Check, type CheckContext, type Finding, type Target } from '../core/types.js';
import { hasFuncMain, packageClause } from './internal/func-main.js';
import {
  cgoEnv,
  cgoExclusion,
  fileMatches,
  FindingMerger,
  findImportLine,
  importChain,
  importerOf,
  importPosition,
  leadingPos,
  targetsAndModules,
  loadPackages,
  mapLimit,
  parsePos,
  readSource,
  relativizeMessage,
  targetTags,
  type Listing,
  type ListedPackage,
  type PackageError,
  type Position,
} from './internal/go-list.js';
import { isPublicModuleHost, looksPrivate, matchPrefixPatterns } from '../core/module-paths.js';
import { DOWNLOAD_KINDS, describeGoError, goErrorHint, parseGoError, parseGoErrors, type GoError } from './internal/go-errors.js';

type Merged = Omit<Finding, 'target'>;

export const packagesCheck: Check = {
  id: 'packages',
  title: 'Packages load for every target',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { valid, modules, notes, skipReason } = await targetsAndModules(ctx);
    if (skipReason) return { findings: [], skipReason, notes };

    const jobs = modules.flatMap((module) => valid.map((target) => ({ module, target })));
    const listings = (await mapLimit(jobs, 4, ({ module, target }) => loadPackages(ctx, module, target, modules))).filter(
      (l): l is Listing => l !== undefined,
    );
    if (listings.length === 0) return { findings: [], skipReason: `no package pattern (${ctx.settings.packages.join(' ')}) concerns a module here`, notes };

    const merger = new FindingMerger(valid.map(formatTarget));
    for (const listing of listings) await analyzeListing(ctx, listing, merger);
    const findings = merger.findings();
    findings.push(...(await droppedPackages(ctx, modules, valid, listings)));

    const count = new Set(listings.flatMap((l) => l.packages.filter((p) => !p.DepOnly).map((p) => p.ImportPath))).size;
    notes.push(`listed ${count} package${count === 1 ? '' : 's'} in ${modules.length} module${modules.length === 1 ? '' : 's'} for ${valid.map(formatTarget).join(', ')}`);
    return { findings, notes };
  },
};

// ---------------------------------------------------------------------------------------------

/** Where a module's findings say to run a command. */
function inModule(module: ModuleInfo): string {
  return module.relDir === '.' ? '' : ` (in ${module.relDir}/)`;
}

/** Keep a position only when it is in the inspected repo (not in the module cache or GOROOT). */
function inRepo(ctx: CheckContext, pos: Position | undefined): Position | undefined {
  if (!pos) return undefined;
  const abs = path.resolve(ctx.dir, pos.file);
  if (isInside(ctx.dir, abs) || ctx.probe.modules.some((m) => isInside(m.dir, abs))) return pos;
  return undefined;
}

async function analyzeListing(ctx: CheckContext, listing: Listing, merger: FindingMerger): Promise<void> {
  const { module, target } = listing;
  if (listing.fatal) {
    const lines = listing.fatal.split('\n');
    const fix = /to (?:update|add) it:\s*\n\s*(go .+)/.exec(listing.fatal)?.[1];
    const fetch = parseGoErrors(listing.fatal, requirementsOf(module)).find(isModuleFetchError);
    merger.add(target, fetch
      ? {
          severity: 'error',
          message: `go list cannot load the packages of ${module.goModFile}: ${describeGoError(fetch)}`,
          hint: goErrorHint(fetch, { goproxy: ctx.probe.goEnv.GOPROXY ?? '', isPublicHost: isPublicModuleHost }),
          file: module.goModFile,
        }
      : {
          severity: 'error',
          message: `go list cannot load the packages of ${module.goModFile}: ${relativizeMessage(ctx, lines[0]!.replace(/^go: /, ''))}`,
          hint: fix ? `${fix.trim()}${inModule(module)}` : 'run the same `go list` to see the full error',
          file: module.goModFile,
        });
  }

  const handled = new Set<string>();
  const onError = async (pkgPath: string, err: PackageError, pkg: ListedPackage | undefined) => {
    const key = `${pkgPath}\0${err.Err}\0${err.Pos ?? ''}`;
    if (handled.has(key)) return;
    handled.add(key);
    const f = await classifyError(ctx, listing, pkgPath, err, pkg);
    if (f) merger.add(target, f);
  };
  for (const pkg of listing.packages) {
    if (pkg.Error) await onError(pkg.ImportPath, pkg.Error, pkg);
  }
  // DepsErrors repeat the errors of the packages above (their ImportStack ends at the importer
  // when the package was not found, at the package itself otherwise); only a DepsError no
  // listed package carries is new.
  const own = new Set(listing.packages.filter((p) => p.Error).map((p) => `${p.Error!.Err}\0${p.Error!.Pos ?? ''}`));
  for (const pkg of listing.packages) {
    for (const e of pkg.DepsErrors ?? []) {
      if (own.has(`${e.Err}\0${e.Pos ?? ''}`)) continue;
      const stack = e.ImportStack ?? [];
      const culprit = stack[stack.length - 1] ?? pkg.ImportPath;
      await onError(culprit, e, listing.byPath.get(culprit));
    }
  }

  // Imported packages that hold only test files: go list says nothing, `go build` stops with
  // "no non-test Go files in DIR".
  const importers = new Map<string, ListedPackage>();
  for (const p of listing.packages) for (const i of p.Imports ?? []) if (!importers.has(i)) importers.set(i, p);
  for (const pkg of listing.packages) {
    if (pkg.Standard || pkg.Error || !pkg.Dir || (pkg.GoFiles?.length ?? 0) + (pkg.CgoFiles?.length ?? 0) > 0) continue;
    const importer = importers.get(pkg.ImportPath);
    if (!importer) continue;
    const pos = inRepo(ctx, await findImportLine(ctx, importer, pkg.ImportPath));
    const rel = reportPath(ctx.dir, pkg.Dir);
    merger.add(target, {
      severity: 'error',
      message: `${pkg.ImportPath} (${rel}) has only test files, so it cannot be imported: go build stops with "no non-test Go files"`,
      hint: `add the package's code (a non-_test.go file) to ${rel}, or remove the import from ${importer.ImportPath}`,
      ...(pos ?? {}),
    });
  }

  // `package main` without `func main`: only the linker notices, at the very end of the build.
  for (const pkg of listing.packages) {
    if (pkg.Name !== 'main' || pkg.DepOnly || !pkg.Match?.length || !pkg.Dir) continue;
    const files = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])];
    if (files.length === 0) continue;
    let found = false;
    for (const f of files) {
      const src = await readSource(ctx, path.join(pkg.Dir, f));
      if (src === undefined || hasFuncMain(src)) {
        // Unreadable: do not guess.
        found = true;
        break;
      }
    }
    if (found) continue;
    const first = path.join(pkg.Dir, files[0]!);
    const clause = packageClause((await readSource(ctx, first)) ?? '');
    const rel = reportPath(ctx.dir, pkg.Dir);
    merger.add(target, {
      severity: 'error',
      message: `package main in ${rel} has no func main: linking fails with "function main is undeclared in the main package"`,
      hint: `add \`func main() { ... }\` to a file of ${rel}, or give the package another name if it is a library`,
      file: reportPath(ctx.dir, first),
      ...(clause ? { line: clause.line, column: clause.column } : {}),
    });
  }

  // `go: warning: "./x/..." matched no packages`: worth saying only for patterns the user wrote.
  // The default `./...` matches nothing in a tools-only module (only `//go:build tools` files, or
  // no Go files at all), and there is no pattern to fix then.
  for (const m of ctx.settings.packagesExplicit ? listing.stderr.matchAll(/^go: warning: "([^"]+)" matched no packages$/gm) : []) {
    merger.add(target, {
      severity: 'notice',
      message: `pattern ${m[1]} matches no packages in ${module.goModFile}`,
      hint: 'fix the pattern in the packages setting',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Error classification

/** The module (of the workspace) whose path owns an import path. */
function mainModuleOf(ctx: CheckContext, importPath: string): ModuleInfo | undefined {
  return ctx.probe.modules
    .filter((m) => m.path && (importPath === m.path || importPath.startsWith(`${m.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function requirementsOf(module: ModuleInfo): Array<{ path: string; version: string }> {
  return (module.json?.Require ?? []).map((r) => ({ path: r.Path, version: r.Version }));
}

/**
 * A failure to fetch (or use) a module go names itself (`MOD@VER: reading …: 404 Not Found`):
 * the finding names that module, never the package that imports it.
 */
function isModuleFetchError(e: GoError): boolean {
  return !!e.module && !e.moduleFromRequires && (DOWNLOAD_KINDS.has(e.kind) || e.kind === 'too-new' || e.kind === 'local-replace');
}

/** The required module (go.mod require) that provides an import path. */
function requiredModuleOf(module: ModuleInfo, importPath: string): string | undefined {
  return (module.json?.Require ?? [])
    .map((r) => r.Path)
    .filter((p) => importPath === p || importPath.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
}



async function dirFacts(dir: string): Promise<{ exists: boolean; goFiles: number; testFiles: number; goMod: boolean }> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const go = files.filter((f) => f.endsWith('.go') && !f.startsWith('.') && !f.startsWith('_'));
    return { exists: true, goFiles: go.filter((f) => !f.endsWith('_test.go')).length, testFiles: go.filter((f) => f.endsWith('_test.go')).length, goMod: files.includes('go.mod') };
  } catch {
    return { exists: false, goFiles: 0, testFiles: 0, goMod: false };
  }
}

async function classifyError(ctx: CheckContext, listing: Listing, pkgPath: string, err: PackageError, pkg: ListedPackage | undefined): Promise<Merged | undefined> {
  const { module, target } = listing;
  const lead = leadingPos(err.Err);
  const text = (lead?.rest ?? err.Err).trim();
  const firstLine = relativizeMessage(ctx, text.split('\n')[0]!);
  const at = async (): Promise<Position | undefined> =>
    inRepo(ctx, lead ? parsePos(ctx, module.dir, lead.pos) : await importPosition(ctx, listing, pkgPath, err));
  const importedBy = importerOf(err.ImportStack, pkgPath);
  const fromWhom = importedBy ? ` (imported by ${importedBy})` : '';
  let m: RegExpExecArray | null;

  const fetch = parseGoError(text, requirementsOf(module));
  if (isModuleFetchError(fetch)) {
    return {
      severity: 'error',
      message: `${describeGoError(fetch)}, so package ${pkgPath} cannot be loaded${fromWhom}`,
      hint: goErrorHint(fetch, { goproxy: ctx.probe.goEnv.GOPROXY ?? '', isPublicHost: isPublicModuleHost }),
      ...((await at()) ?? {}),
    };
  }

  if ((m = /^no Go files in (.+)$/.exec(text))) {
    const rel = reportPath(ctx.dir, m[1]!.trim());
    return {
      severity: 'error',
      message: `${rel} has no Go files, so ${pkgPath.startsWith('.') ? 'the pattern' : `package ${pkgPath}`} cannot be built${fromWhom}`,
      hint: importedBy ? `add Go files to ${rel} or remove the import` : `add Go files to ${rel} or drop it from the packages setting`,
      ...((await at()) ?? {}),
    };
  }

  if ((m = /build constraints exclude all Go files in (.+)$/.exec(text))) {
    // Caused by cgo being off: the cgo check reports it, with the cgo explanation (see go-list.ts).
    if (pkg && (await cgoExclusion(ctx, pkg, target, await cgoEnv(ctx, target)))) return undefined;
    const rel = reportPath(ctx.dir, m[1]!.trim());
    const ignored = (pkg?.IgnoredGoFiles ?? []).filter((f) => !f.endsWith('_test.go'));
    const shown = ignored.slice(0, 3).join(', ') + (ignored.length > 3 ? ', …' : '');
    const pos = await at();
    return {
      severity: 'error',
      message: `${pkgPath} has no Go files for this target: build constraints exclude all Go files in ${rel}${ignored.length ? ` (${shown})` : ''}${fromWhom}`,
      hint: importedBy
        ? `add a file to ${rel} that builds for this target (e.g. a stub with a matching //go:build line), or import ${pkgPath} only from files constrained to the platforms it supports`
        : `add a file to ${rel} that builds for this target, or drop the target`,
      ...(pos ?? (pkg?.Dir && ignored[0] ? inRepo(ctx, { file: reportPath(ctx.dir, path.join(pkg.Dir, ignored[0])) }) : {}) ?? {}),
    };
  }

  if ((m = /no required module provides package (\S+?);/.exec(text)) || (m = /^no required module provides package (\S+)$/m.exec(text))) {
    const missing = m[1]!;
    const pos = await at();
    const owner = mainModuleOf(ctx, missing);
    if (owner) {
      // An import inside one of our own modules: go says "no required module provides" when the
      // directory has no Go files or does not exist; say which.
      const rel = missing === owner.path ? '' : missing.slice(owner.path.length + 1);
      const dir = path.join(owner.dir, ...rel.split('/').filter(Boolean));
      const facts = await dirFacts(dir);
      const relDir = reportPath(ctx.dir, dir);
      if (!facts.exists) {
        return {
          severity: 'error',
          message: `package ${missing} does not exist: ${owner.goModFile} has no directory ${relDir}${fromWhom}`,
          hint: `fix the import path, or create the package in ${relDir}`,
          ...(pos ?? {}),
        };
      }
      if (facts.goMod && dir !== owner.dir) {
        return {
          severity: 'error',
          message: `package ${missing} is in the nested module ${joinReport(relDir, 'go.mod')}, which ${module.goModFile} does not require${fromWhom}`,
          hint: `add \`require\` + \`replace ${missing} => ./${reportPath(module.dir, dir)}\` to ${module.goModFile}, or a go.work that uses both modules`,
          ...(pos ?? {}),
        };
      }
      return {
        severity: 'error',
        message: facts.testFiles > 0 && facts.goFiles === 0
          ? `${relDir} has only test files, so package ${missing} cannot be imported${fromWhom}`
          : `${relDir} has no Go files, so package ${missing} cannot be imported${fromWhom}`,
        hint: `add Go files to ${relDir}, or remove the import`,
        ...(pos ?? {}),
      };
    }
    const goproxy = ctx.probe.goEnv.GOPROXY ?? '';
    const privateGlobs = [ctx.probe.goEnv.GOPRIVATE, ctx.probe.goEnv.GONOPROXY].filter(Boolean).join(',');
    if (goproxy === 'off') {
      return {
        severity: 'error',
        message: `no required module provides package ${missing}${fromWhom}, and module downloads are disabled (GOPROXY=off)`,
        hint: `go get ${missing}${inModule(module)} with downloads allowed (unset GOPROXY=off), then commit go.mod and go.sum`,
        ...(pos ?? {}),
      };
    }
    if (looksPrivate(missing) && !matchPrefixPatterns(privateGlobs, missing)) {
      const host = missing.split('/')[0]!;
      return {
        severity: 'error',
        message: `no required module provides package ${missing}${fromWhom}; ${host} looks private and GOPRIVATE does not cover it, so \`go get\` would ask the public proxy and checksum database`,
        hint: `go env -w GOPRIVATE=${host} (and git credentials for ${host}), then go get ${missing}${inModule(module)}`,
        ...(pos ?? {}),
      };
    }
    return {
      severity: 'error',
      message: `no required module provides package ${missing}${fromWhom}`,
      hint: `go get ${missing}${inModule(module)}`,
      ...(pos ?? {}),
    };
  }

  if ((m = /cannot find module providing package (\S+?): (.*)$/s.exec(text))) {
    const missing = m[1]!;
    const reason = relativizeMessage(ctx, m[2]!.split('\n')[0]!.trim());
    let hint = `go get ${missing}${inModule(module)}`;
    if (/GOPROXY=off/.test(reason)) hint = `allow module downloads (unset GOPROXY=off) and go get ${missing}${inModule(module)}`;
    else if (/-mod=vendor/.test(reason)) hint = `go mod vendor${inModule(module)} (the vendor directory lacks the module)`;
    else if (looksPrivate(missing)) hint = `go env -w GOPRIVATE=${missing.split('/')[0]} and make sure git can reach it, then go get ${missing}`;
    return { severity: 'error', message: `cannot find a module providing package ${missing}: ${reason}`, hint, ...((await at()) ?? {}) };
  }

  if (/missing go\.sum entry/.test(text)) {
    const provided = /package (\S+)/.exec(text)?.[1] ?? pkgPath;
    const mod = requiredModuleOf(module, provided) ?? /go mod download (\S+)/.exec(text)?.[1];
    return {
      severity: 'error',
      message: `go.sum has no entry for the module providing ${provided}${fromWhom}`,
      hint: mod ? `go mod download ${mod}${inModule(module)} (or go mod tidy)` : `go mod tidy${inModule(module)}`,
      ...((await at()) ?? {}),
    };
  }

  if (/import cycle not allowed/.test(text)) {
    const stack = err.ImportStack ?? [];
    // The cycle closes where the last package of the stack is imported again.
    const closing = stack.length >= 2 ? stack[stack.length - 2]! : undefined;
    const back = stack[stack.length - 1];
    const pos = inRepo(ctx, closing && back ? await findImportLine(ctx, listing.byPath.get(closing), back) : undefined);
    return {
      severity: 'error',
      message: `import cycle not allowed: ${stack.join(' → ') || pkgPath}`,
      hint: 'break the cycle: move the shared code into a package both can import, or invert one dependency with an interface',
      ...(pos ?? (await at()) ?? {}),
    };
  }

  if ((m = /^found packages (\S+) \((\S+)\) and (\S+) \((\S+)\) in (.+)$/.exec(text))) {
    const dir = m[5]!.trim();
    const rel = reportPath(ctx.dir, dir);
    const second = path.join(dir, m[4]!);
    const clause = packageClause((await readSource(ctx, second)) ?? '');
    return {
      severity: 'error',
      message: `${rel} mixes two package names: ${m[1]} (${m[2]}) and ${m[3]} (${m[4]})`,
      hint: `use one package name per directory: change \`package ${m[3]}\` in ${m[4]} to \`package ${m[1]}\` or move the file`,
      ...(inRepo(ctx, { file: reportPath(ctx.dir, second), ...(clause ? { line: clause.line, column: clause.column } : {}) }) ?? {}),
    };
  }

  if (/malformed import path|invalid import path/.test(text)) {
    return {
      severity: 'error',
      message: `${firstLine}${fromWhom}`,
      hint: 'fix the import path (module paths are lower-case, no spaces, no `..` elements)',
      ...((await at()) ?? {}),
    };
  }

  const fix = /to (?:add|update) it:\s*\n\s*(go .+)/.exec(text)?.[1];
  return {
    severity: 'error',
    message: `${pkgPath.startsWith('.') ? '' : `${pkgPath}: `}${firstLine}${fromWhom}`,
    ...(fix ? { hint: `${fix.trim()}${inModule(module)}` } : {}),
    ...((await at()) ?? {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Package directories a target silently does not build

const WALK_SKIP = new Set(['testdata', 'vendor', 'node_modules']);

function isBuildFileName(name: string): boolean {
  return name.endsWith('.go') && !name.endsWith('_test.go') && !name.startsWith('.') && !name.startsWith('_');
}

async function listGoFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && isBuildFileName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Directories `./...` would consider (go's rules: no testdata, vendor, `.`/`_` dirs, nested modules). */
async function walkPackageDirs(root: string, limit = 5000): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = async (dir: string, isRoot: boolean): Promise<void> => {
    if (out.size >= limit) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (!isRoot && entries.some((e) => e.isFile() && e.name === 'go.mod')) return;
    const goFiles = entries
      .filter((e) => e.isFile() && isBuildFileName(e.name))
      .map((e) => e.name)
      .sort();
    if (goFiles.length) out.set(dir, goFiles);
    await Promise.all(
      entries
        .filter((e) => e.isDirectory() && !WALK_SKIP.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_'))
        .map((e) => walk(path.join(dir, e.name), false)),
    );
  };
  await walk(root, true);
  return out;
}

async function droppedPackages(ctx: CheckContext, modules: readonly ModuleInfo[], valid: readonly Target[], listings: readonly Listing[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const ports: DistPort[] = (await distList(ctx.go, ctx.signal)) ?? [];
  const order = valid.map(formatTarget);

  // For a dir: which targets would build it with cgo on (to name cgo as the cause), and which
  // platforms build it at all.
  const buildsFor = async (dir: string, files: readonly string[], t: Target, cgo: boolean) => {
    const tags = targetTags(ctx, t, cgo);
    for (const f of files) {
      const src = await readSource(ctx, path.join(dir, f));
      if (src !== undefined && fileMatches(f, src, tags)) return true;
    }
    return false;
  };
  const describe = async (dir: string, files: readonly string[], missing: readonly Target[], builtBy: readonly string[]) => {
    const needCgo: string[] = [];
    for (const t of missing) {
      const cgo = await cgoEnv(ctx, t);
      if (!cgo.enabled && (await buildsFor(dir, files, t, true))) needCgo.push(formatTarget(t));
    }
    const rel = reportPath(ctx.dir, dir);
    const targets = missing.map(formatTarget).join(', ');
    const why = needCgo.length ? `; its files need cgo, which is off for ${needCgo.join(', ')}` : builtBy.length ? `; built for ${builtBy.join(', ')}` : '';
    findings.push({
      severity: 'notice',
      message: `${rel} is not built for ${targets}: all files excluded by build constraints${why}`,
      hint: needCgo.length
        ? 'if this platform should ship it, enable cgo for it (CGO_ENABLED=1 and a C cross compiler) or add a pure-Go fallback file (//go:build !cgo)'
        : 'nothing to do if this is intended; otherwise add a file for this platform',
      file: reportPath(ctx.dir, path.join(dir, files[0]!)),
      target: targets,
    });
  };

  for (const module of modules) {
    const own = listings.filter((l) => l.module === module && !l.fatal);
    if (own.length === 0) continue;
    const matched = new Map<string, Set<string>>();
    const present = new Map<string, Set<string>>();
    for (const l of own) {
      const t = formatTarget(l.target);
      matched.set(t, new Set(l.packages.filter((p) => p.Match?.length && !p.DepOnly && p.Dir).map((p) => p.Dir!)));
      present.set(t, new Set(l.packages.filter((p) => p.Dir).map((p) => p.Dir!)));
    }
    const union = new Set([...matched.values()].flatMap((s) => [...s]));

    // 1. Across targets: a dir some target builds and another target does not even list.
    const dirs = await walkRoots(module, own[0]!.patterns);
    for (const dir of [...union].sort()) {
      const missing = own.filter((l) => !present.get(formatTarget(l.target))!.has(dir)).map((l) => l.target);
      if (missing.length === 0) continue;
      const files = dirs.get(dir) ?? (await listGoFiles(dir));
      if (!files?.length) continue;
      const builtBy = order.filter((t) => matched.get(t)?.has(dir));
      await describe(dir, files, missing, builtBy);
    }

    // 2. Dirs under a `./...` pattern that no target builds, whose files do build on some port
    //    this Go supports (so `//go:build ignore` generators and tag-gated dirs stay quiet).
    for (const [dir, files] of dirs) {
      if (union.has(dir) || own.some((l) => present.get(formatTarget(l.target))!.has(dir))) continue;
      const platforms = new Set<string>();
      for (const p of ports) {
        const t = { goos: p.GOOS, goarch: p.GOARCH };
        if ((await buildsFor(dir, files, t, false)) || (p.CgoSupported && (await buildsFor(dir, files, t, true)))) platforms.add(p.GOOS);
      }
      if (platforms.size === 0) continue;
      await describe(dir, files, own.map((l) => l.target), [...platforms].sort().slice(0, 6));
    }
  }
  return findings;
}

/** Package dirs under the module's recursive relative patterns (`./...`, `./cmd/...`). */
async function walkRoots(module: ModuleInfo, patterns: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const p of patterns) {
    const m = /^(\.(?:\/.*?)?)\/\.\.\.$/.exec(p);
    if (!m) continue;
    for (const [d, f] of await walkPackageDirs(path.resolve(module.dir, m[1]!))) out.set(d, f);
  }
  return out;
}
