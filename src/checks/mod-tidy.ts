// mod-tidy: are go.mod and go.sum tidy for every module in the repository?
//
// Go >= 1.23: `go mod tidy -diff` is read-only; it exits 1 with a unified diff on stdout when the
// module is untidy, and exits 1 with empty stdout when tidy itself fails. Older Go has no -diff
// (exit 2, "flag provided but not defined: -diff"): we tidy copies of go.mod/go.sum through
// `-modfile=<temp>/go.mod` (go reads the sources in place, writes only the copies) and diff ourselves.
//
// Workspaces: `go mod tidy` ignores go.work (golang/go#50750), so each module is tidied on its own
// with GOWORK=off. A module that imports a workspace sibling without require+replace cannot be
// tidied at all; that is reported as such.

import path from 'node:path';
import { compareGo } from '../core/go-version.js';
import { parseModDirectives, requireLine, replaceLine, type Directive } from '../core/gomod.js';
import { joinReport } from '../core/paths.js';
import { describeFailure, type ProcessResult } from '../core/process.js';
import { parseJsonStream } from '../core/json-stream.js';
import type { ModuleInfo } from '../core/probe.js';
import type { Check, CheckContext, CheckOutcome, Finding } from '../core/types.js';
import {
  applyDiff,
  copyModFiles,
  foldBlock,
  goErrorBlocks,
  inModule,
  parseUnifiedDiff,
  readIfExists,
  redactUrls,
  splitLines,
  unifiedDiff,
  type DiffSection,
  readableModules,
} from './internal/mod-copy.js';
import { isPublicModuleHost } from '../core/module-paths.js';
import { causeKey, describeGoError, DOWNLOAD_KINDS, goErrorHint, isDownloadFailure, parseGoError, type GoError, type Requirement } from './internal/go-errors.js';

interface TidyResult {
  findings: Finding[];
  details?: string;
}

interface Req {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
  column: number;
}

function requires(dirs: readonly Directive[]): Map<string, Req> {
  const out = new Map<string, Req>();
  for (const d of dirs) {
    if (d.verb !== 'require' || !d.args[0] || out.has(d.args[0])) continue;
    out.set(d.args[0], {
      path: d.args[0],
      version: d.args[1] ?? '',
      indirect: /^indirect\b/.test(d.comment ?? ''),
      line: d.line,
      column: d.column,
    });
  }
  return out;
}

const otherKey = (d: Directive) => `${d.verb} ${d.args.join(' ')}`;

/** Findings for the go.mod differences between the current and the tidy text. */
export function goModFindings(mod: Pick<ModuleInfo, 'goModFile' | 'relDir'>, current: string, tidy: string, changedOldLine?: number): Finding[] {
  const hint = `Run \`${inModule(mod, 'go mod tidy')}\` and commit go.mod and go.sum.`;
  const file = mod.goModFile;
  const oldDirs = parseModDirectives(current);
  const newDirs = parseModDirectives(tidy);
  const oldReq = requires(oldDirs);
  const newReq = requires(newDirs);
  const firstRequire = oldDirs.find((d) => d.verb === 'require');
  const findings: Finding[] = [];
  const at = (line?: number, column?: number) => ({ file, ...(line ? { line } : {}), ...(column ? { column } : {}) });

  for (const o of oldReq.values()) {
    const n = newReq.get(o.path);
    if (!n) {
      findings.push({
        severity: 'error',
        message: o.indirect
          ? `${file} requires ${o.path} ${o.version} (// indirect) but nothing in the build needs it (remove it)`
          : `${file} requires ${o.path} ${o.version} but no package imports it (remove it)`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-unused-require',
      });
      continue;
    }
    if (n.version !== o.version) {
      findings.push({
        severity: 'error',
        message: `${file} requires ${o.path} ${o.version} but the module graph selects ${n.version} (a dependency needs it): tidy raises the requirement`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-version',
      });
    } else if (n.indirect !== o.indirect) {
      findings.push({
        severity: 'error',
        message: o.indirect
          ? `${o.path} is imported by the code but marked // indirect in ${file}`
          : `${o.path} is not imported by the code but ${file} lists it as a direct requirement (tidy marks it // indirect)`,
        hint,
        ...at(o.line, o.column),
        ruleId: 'gomod-indirect',
      });
    }
  }
  for (const n of newReq.values()) {
    if (oldReq.has(n.path)) continue;
    findings.push({
      severity: 'error',
      message: n.indirect
        ? `${file} is missing an indirect requirement on ${n.path} ${n.version}, needed by a dependency`
        : `${file} is missing a requirement on ${n.path} ${n.version}, imported by the code`,
      hint,
      ...at(firstRequire?.line ?? 1),
      ruleId: 'gomod-missing-require',
    });
  }

  // Every other directive (go, toolchain, replace, exclude, tool…): by content.
  const oldOther = oldDirs.filter((d) => d.verb !== 'require');
  const newOther = newDirs.filter((d) => d.verb !== 'require');
  const newKeys = new Set(newOther.map(otherKey));
  const oldKeys = new Set(oldOther.map(otherKey));
  for (const d of oldOther) {
    if (newKeys.has(otherKey(d))) continue;
    const repl = newOther.find((x) => x.verb === d.verb && (d.verb === 'go' || d.verb === 'toolchain' || x.args[0] === d.args[0]) && !oldKeys.has(otherKey(x)));
    findings.push({
      severity: 'error',
      message:
        d.verb === 'go' && repl
          ? `tidy changes the go line of ${file} from ${d.args[0]} to ${repl.args[0]} (a dependency requires go >= ${repl.args[0]})`
          : repl
            ? `tidy changes \`${otherKey(d)}\` to \`${otherKey(repl)}\` in ${file}`
            : `tidy removes \`${otherKey(d)}\` from ${file}`,
      hint,
      ...at(d.line, d.column),
      ruleId: 'gomod-directive',
    });
  }
  for (const d of newOther) {
    if (oldKeys.has(otherKey(d))) continue;
    if (oldOther.some((x) => x.verb === d.verb && (d.verb === 'go' || d.verb === 'toolchain' || x.args[0] === d.args[0]) && !newKeys.has(otherKey(x)))) continue;
    findings.push({
      severity: 'error',
      message: `tidy adds \`${otherKey(d)}\` to ${file}`,
      hint,
      ...at(oldDirs.find((x) => x.verb === d.verb)?.line ?? 1),
      ruleId: 'gomod-directive',
    });
  }

  if (findings.length === 0 && splitLines(current).join('\n') !== splitLines(tidy).join('\n')) {
    findings.push({
      severity: 'error',
      message: `${file} is not laid out the way \`go mod tidy\` writes it (requirements grouped, ordered or commented differently)`,
      hint,
      ...at(changedOldLine ?? firstRequire?.line ?? 1),
      ruleId: 'gomod-layout',
    });
  }
  return findings;
}

/** One finding summarising go.sum lines that tidy adds or removes. */
export function goSumFinding(mod: Pick<ModuleInfo, 'relDir'>, section: DiffSection | undefined): Finding | undefined {
  if (!section) return undefined;
  const added = section.lines.filter((l) => l.kind === '+');
  const removed = section.lines.filter((l) => l.kind === '-');
  if (!added.length && !removed.length) return undefined;
  const file = joinReport(mod.relDir, 'go.sum');
  const plural = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
  const what =
    added.length && removed.length
      ? `is missing ${plural(added.length)} and has ${removed.length} extra`
      : added.length
        ? `is missing ${plural(added.length)}`
        : `has ${removed.length} extra line${removed.length === 1 ? '' : 's'}`;
  const mods = (ls: typeof added) => [...new Set(ls.map((l) => l.text.split(/\s+/).slice(0, 2).join(' ').replace(/\/go\.mod$/, '')))];
  const missingMods = mods(added);
  const sample = (xs: string[]) => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? `, and ${xs.length - 3} more` : ''}`;
  return {
    // Extra lines never break a build, and -diff may list go.sum lines that plain `go mod tidy`
    // keeps (golang/go#77713): only missing lines are an error.
    severity: added.length ? 'error' : 'warning',
    message: `${file} ${what}`,
    hint:
      `Run \`${inModule(mod, 'go mod tidy')}\` and commit go.sum` +
      (missingMods.length ? ` (missing checksums for ${sample(missingMods)})` : '') +
      '.',
    file,
    ...(removed[0] ? { line: removed[0].oldLine } : {}),
    ruleId: 'gosum-untidy',
  };
}

const MAX_DETAIL_LINES = 300;

function detailsFor(mod: ModuleInfo, diff: string): string {
  const lines = diff.replace(/\n+$/, '').split('\n');
  const shown = lines.length > MAX_DETAIL_LINES ? [...lines.slice(0, MAX_DETAIL_LINES), `… ${lines.length - MAX_DETAIL_LINES} more lines`] : lines;
  return `**${mod.goModFile}** is not tidy (\`${inModule(mod, 'go mod tidy')}\` makes these changes):\n\n\`\`\`diff\n${shown.join('\n')}\n\`\`\`\n`;
}

function failed(r: ProcessResult): boolean {
  return !!(r.spawnError || r.timedOut || r.aborted);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** go.mod's requirements (path and version) for naming the module behind a package. */
function moduleRequirements(mod: ModuleInfo): Requirement[] {
  return (mod.json?.Require ?? []).map((r) => ({ path: r.Path, version: r.Version }));
}

/** The require line of a module in go.mod, as a finding position. */
function requireAt(mod: ModuleInfo, modPath: string | undefined): { line?: number; column?: number } {
  const d = modPath ? requireLine(mod.directives, modPath) : undefined;
  return d ? { line: d.line, column: d.column } : {};
}

/**
 * Whether `go build` in this module reads vendor/: `-mod=vendor` in GOFLAGS, or (without a -mod
 * flag) a vendor/ directory next to a go.mod whose go line is 1.14 or later; not in workspace mode.
 */
export function vendorInEffect(ctx: CheckContext, mod: ModuleInfo): boolean {
  if (!mod.hasVendorDir) return false;
  // In workspace mode go ignores a module's vendor/ (the build needs the module cache then).
  if (ctx.probe.work && mod.inWorkspace) return false;
  const flags = ctx.probe.goEnv.GOFLAGS ?? ctx.env.GOFLAGS ?? '';
  const m = [...flags.matchAll(/(?:^|\s)--?mod=(\S+)/g)].pop();
  if (m) return m[1] === 'vendor';
  return compareGo(mod.goLine ?? '1.16', '1.14') >= 0;
}

/** `vendor/modules.txt`: package import path -> the module that provides it. */
function vendoredPackages(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let cur: string | undefined;
  for (const line of splitLines(text)) {
    const head = /^# (\S+) \S+/.exec(line);
    if (head) cur = head[1];
    else if (cur && line && !line.startsWith('#')) out.set(line.trim(), cur);
  }
  return out;
}

/**
 * Tidy in vendor mode without the module cache: what vendor/ lets us judge (a module the code
 * imports, marked `// indirect` in go.mod), and one notice saying what could not be compared.
 */
async function vendorJudgment(ctx: CheckContext, mod: ModuleInfo, errs: GoError[]): Promise<TidyResult> {
  const findings: Finding[] = [];
  const fetch = errs.find((e) => DOWNLOAD_KINDS.has(e.kind))!;
  const why =
    fetch.kind === 'offline'
      ? 'downloads are disabled (GOPROXY=off) and the module cache does not hold the requirements'
      : fetch.kind === 'network'
        ? 'the module proxy could not be reached and the module cache does not hold the requirements'
        : `it cannot download what go.mod requires (${describeGoError(fetch)})`;
  const modulesTxt = (await readIfExists(path.join(mod.dir, 'vendor', 'modules.txt'))) ?? '';
  const owner = vendoredPackages(modulesTxt);
  const r = await ctx.go.run(['list', '-mod=vendor', '-e', '-json=ImportPath,Imports,TestImports,XTestImports', './...'], {
    cwd: mod.dir,
    env: { GOWORK: 'off' },
    signal: ctx.signal,
  });
  if (failed(r)) throw new Error(describeFailure(r));
  let compared = false;
  if (r.code === 0) {
    compared = true;
    const imported = new Map<string, string>(); // module -> one package of ours importing it
    for (const p of parseJsonStream<{ ImportPath?: string; Imports?: string[]; TestImports?: string[]; XTestImports?: string[] }>(r.stdout).values) {
      for (const i of [...(p?.Imports ?? []), ...(p?.TestImports ?? []), ...(p?.XTestImports ?? [])]) {
        const m = owner.get(i.replace(/^vendor\//, ''));
        if (m && !imported.has(m)) imported.set(m, p.ImportPath ?? '');
      }
    }
    for (const req of mod.json?.Require ?? []) {
      if (!req.Indirect || !imported.has(req.Path)) continue;
      const d = requireLine(mod.directives, req.Path);
      findings.push({
        severity: 'error',
        message: `${req.Path} is imported by the code (by ${imported.get(req.Path)}) but marked // indirect in ${mod.goModFile}`,
        hint: `Remove \`// indirect\` from the require of ${req.Path}, or run \`${inModule(mod, 'go mod tidy')}\` where modules can be downloaded, and commit go.mod.`,
        file: mod.goModFile,
        ...(d ? { line: d.line, column: d.column } : {}),
        ruleId: 'gomod-indirect',
      });
    }
  }
  findings.push({
    severity: 'notice',
    message:
      `${mod.goModFile}: the build reads vendor/, and \`go mod tidy\` cannot run here: ${why}. ` +
      (compared
        ? 'Compared only what vendor/ shows (the imports of the code against the // indirect markers of go.mod); whether every requirement is still needed and whether go.sum is complete were not compared.'
        : `Nothing was compared (\`go list -mod=vendor\` failed; see the vendor check).`),
    hint: `Run \`${inModule(mod, 'go mod tidy -diff')}\` where modules can be downloaded (or with the module cache restored) to compare go.mod and go.sum in full.`,
    file: mod.goModFile,
    ruleId: 'tidy-vendor-offline',
  });
  return { findings };
}

/** Findings for a failed tidy (stdout empty, errors on stderr). */
async function tidyErrorFindings(ctx: CheckContext, mod: ModuleInfo, stderr: string, command: string): Promise<TidyResult> {
  const blocks = goErrorBlocks(stderr);
  const findings: Finding[] = [];
  const goproxy = redactUrls(ctx.probe.goEnv.GOPROXY ?? '');
  const siblings = mod.inWorkspace ? ctx.probe.modules.filter((m) => m !== mod && m.inWorkspace && m.path) : [];
  const rest: string[] = [];
  const seenSibling = new Set<string>();
  for (const block of blocks) {
    const sib = siblings.find((s) => new RegExp(`(?:^|\\s)${escapeRe(s.path)}(?:[/@][^\\s:]*)?:`, 'm').test(block));
    if (!sib) {
      rest.push(block);
      continue;
    }
    if (seenSibling.has(sib.path)) continue;
    seenSibling.add(sib.path);
    let rel = path.relative(mod.dir, sib.dir).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const req = requireLine(mod.directives, sib.path);
    const rep = replaceLine(mod.directives, sib.path);
    const why = '`go mod tidy` ignores go.work (golang/go#50750), so it looks the module up through GOPROXY and fails';
    findings.push({
      // Builds through go.work still work; only tidy (and GOWORK=off builds) cannot.
      severity: 'warning',
      message: req
        ? `${mod.goModFile} requires ${sib.path}, a module of the go.work workspace (${sib.goModFile}), without a replace: ${why}`
        : `the code of ${mod.goModFile} imports ${sib.path}, a module of the go.work workspace (${sib.goModFile}), but go.mod neither requires nor replaces it: ${why}`,
      hint: rep
        ? `Check the replace of ${sib.path} in ${mod.goModFile}; it must point at ${rel}.`
        : `Add \`require ${sib.path} v0.0.0\` and \`replace ${sib.path} => ${rel}\` to ${mod.goModFile}, or publish ${sib.path} and require a released version.`,
      file: mod.goModFile,
      ...(req ? { line: req.line, column: req.column } : {}),
      ruleId: 'tidy-workspace-sibling',
    });
  }
  if (rest.length || findings.length === 0) {
    const blocks2 = rest.length ? rest : [stderr.trim().split('\n')[0] ?? ''];
    const requires = moduleRequirements(mod);
    const errs = blocks2.map((b) => parseGoError(b, requires));
    // The build reads vendor/: go mod tidy's downloads are not what the build needs. Judge what
    // can be judged from vendor/ and say what could not be compared.
    if (vendorInEffect(ctx, mod) && errs.some((e) => DOWNLOAD_KINDS.has(e.kind))) return vendorJudgment(ctx, mod, errs);
    const where = mod.relDir === '.' ? 'the module root' : mod.relDir;
    const tidyCmd = inModule(mod, 'go mod tidy');
    // mod-verify downloads every requirement of go.mod and reports a download failure as its own
    // finding; the same cause (same cause key) is said there, and only pointed at here.
    const verifyOn = ctx.settings.checks['mod-verify']?.level !== 'off';
    const seenByVerify = (e: GoError) => verifyOn && isDownloadFailure(e) && requires.some((r) => r.path === e.module && (!e.version || r.version === e.version));
    const own = errs.filter((e) => !seenByVerify(e));
    if (own.length === 0) {
      const e = errs[0]!;
      findings.push({
        severity: 'notice',
        message:
          `\`${command}\` could not run in ${where}: ${describeGoError(e)}; ` +
          `the mod-verify check reports this download failure (${causeKey(e)}), so go.mod and go.sum were not compared` +
          (errs.length > 1 ? ` (and ${errs.length - 1} more download failure${errs.length > 2 ? 's' : ''} that mod-verify reports)` : ''),
        hint: `See mod-verify's finding for ${e.module}${e.version ? `@${e.version}` : ''}; once it downloads, run \`${tidyCmd}\`.`,
        file: mod.goModFile,
        ...requireAt(mod, e.module),
        ruleId: 'tidy-see-mod-verify',
      });
    } else {
      const e = own[0]!;
      const cause = e.kind === 'other' ? redactUrls(foldBlock(blocks2[errs.indexOf(e)]!)) : describeGoError(e);
      const context =
        e.kind !== 'other' && e.kind !== 'no-module' && e.package
          ? ` (needed for package ${e.package}${e.importer ? `, imported by ${e.importer}` : ''})`
          : e.kind === 'no-module' && e.importer
            ? ` (imported by ${e.importer})`
            : '';
      const more = errs.length - 1;
      findings.push({
        severity: 'error',
        message: `\`${command}\` fails in ${where}: ${cause}${context}` + (more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''),
        hint: goErrorHint(e, { goproxy, then: tidyCmd, isPublicHost: isPublicModuleHost }),
        file: mod.goModFile,
        ...requireAt(mod, e.module),
        ruleId: 'tidy-error',
      });
    }
  }
  const details = `**${mod.goModFile}**: \`${command}\` failed:\n\n\`\`\`\n${redactUrls(blocks.join('\n')).split('\n').slice(0, MAX_DETAIL_LINES).join('\n')}\n\`\`\`\n`;
  return { findings, details };
}

/** Analyse a unified diff (go's -diff output or ours) against the module's current go.mod text. */
function analyseDiff(mod: ModuleInfo, currentMod: string, diff: string, tidyMod?: string): TidyResult {
  const sections = parseUnifiedDiff(diff);
  const modSection = sections.find((s) => s.file === 'go.mod');
  const sumSection = sections.find((s) => s.file === 'go.sum');
  const findings: Finding[] = [];
  if (modSection) {
    const newText = tidyMod ?? `${applyDiff(splitLines(currentMod), modSection).join('\n')}\n`;
    const changed = modSection.lines.find((l) => l.kind !== ' ');
    findings.push(...goModFindings(mod, currentMod, newText, changed?.oldLine));
  }
  const sum = goSumFinding(mod, sumSection);
  if (sum) findings.push(sum);
  if (findings.length === 0 && diff.trim()) {
    findings.push({ severity: 'error', message: `${mod.goModFile} is not tidy`, hint: `Run \`${inModule(mod, 'go mod tidy')}\`.`, file: mod.goModFile, ruleId: 'gomod-untidy' });
  }
  return { findings, details: findings.length ? detailsFor(mod, diff) : undefined };
}

/** Pre-1.23 Go: tidy copies of go.mod/go.sum with -modfile and compare. */
async function tidyByCopy(ctx: CheckContext, mod: ModuleInfo, currentMod: string): Promise<TidyResult> {
  const copy = await copyModFiles(ctx, mod, 'mod-tidy');
  const r = await ctx.go.run(['mod', 'tidy', `-modfile=${copy.modFile}`], { cwd: mod.dir, env: { GOWORK: 'off' }, signal: ctx.signal, memo: false });
  if (failed(r)) throw new Error(describeFailure(r));
  if (r.code !== 0) return tidyErrorFindings(ctx, mod, r.stderr, 'go mod tidy');
  const tidyMod = (await readIfExists(copy.modFile)) ?? currentMod;
  const tidySum = (await readIfExists(copy.sumFile)) ?? '';
  const diff = [
    unifiedDiff(currentMod, tidyMod, 'current/go.mod', 'tidy/go.mod'),
    unifiedDiff(copy.originalSum, tidySum, 'current/go.sum', 'tidy/go.sum'),
  ]
    .filter(Boolean)
    .join('\n');
  return analyseDiff(mod, currentMod, diff, tidyMod);
}

async function tidyModule(ctx: CheckContext, mod: ModuleInfo): Promise<TidyResult> {
  const currentMod = (await readIfExists(path.join(mod.dir, 'go.mod'))) ?? mod.text;
  if (compareGo(ctx.probe.go.version, '1.23') >= 0) {
    const r = await ctx.go.run(['mod', 'tidy', '-diff'], { cwd: mod.dir, env: { GOWORK: 'off' }, signal: ctx.signal });
    if (failed(r)) throw new Error(describeFailure(r));
    if (r.code === 0) return { findings: [] };
    // A Go that reports a newer version but lacks the flag (a custom build): fall back.
    if (r.code === 2 && /flag provided but not defined: -diff/.test(r.stderr)) return tidyByCopy(ctx, mod, currentMod);
    if (/^diff current\//m.test(r.stdout)) return analyseDiff(mod, currentMod, r.stdout);
    return tidyErrorFindings(ctx, mod, r.stderr || r.stdout, 'go mod tidy -diff');
  }
  return tidyByCopy(ctx, mod, currentMod);
}

export const modTidyCheck: Check = {
  id: 'mod-tidy',
  title: 'go.mod and go.sum tidy',
  needs: ['go', 'module', 'loadable'],
  async run(ctx: CheckContext): Promise<CheckOutcome> {
    const { mods, notes } = readableModules(ctx);
    if (mods.length === 0) return { findings: [], skipReason: 'not applicable: no go.mod that go can read', notes };
    const per = await Promise.all(mods.map((m) => tidyModule(ctx, m)));
    const details = per.map((p) => p.details).filter(Boolean).join('\n');
    return {
      findings: per.flatMap((p) => p.findings),
      ...(details ? { details } : {}),
      ...(notes.length ? { notes } : {}),
    };
  },
};
