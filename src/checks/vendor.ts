// vendor: is vendor/ consistent with go.mod when vendoring is in use?
//
// Go builds from vendor/ (default -mod=vendor) when vendor/ exists next to go.mod and the go line is
// >= 1.14, or when GOFLAGS says -mod=vendor. Workspace vendoring (Go >= 1.22, `go work vendor`) puts
// vendor/ next to go.work with `## workspace` as the first line of vendor/modules.txt.
//
// Two questions:
// 1. Consistency: go checks vendor/modules.txt against go.mod when it loads the module, as a fatal
//    error (no JSON even with -e): `go: inconsistent vendoring in DIR:` then one tab-indented reason
//    per line. Every reason becomes its own finding at the line it is about.
// 2. Content drift: go never hashes vendor/, so we regenerate it with `go mod vendor -o <temp>`
//    (Go >= 1.18; with -modfile on a copy of go.mod/go.sum so nothing in the repo is written; for a
//    workspace `go work vendor -o` with GOWORK pointing at a temp copy of go.work) and compare the
//    trees byte by byte.
// Module vendor directories are checked with GOWORK=off: in workspace mode go ignores them, and
// GOWORK=off is how a single module with vendor/ is built.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { READ_LIMITS } from '../core/safe-read.js';
import { compareGo } from '../core/go-version.js';
import { replaceLine, type Directive } from '../core/gomod.js';
import { joinReport, reportPath } from '../core/paths.js';
import { describeFailure, type ProcessResult } from '../core/process.js';
import { buildGoVersion, type ModuleInfo } from '../core/probe.js';
import type { Check, CheckContext, CheckOutcome, Finding } from '../core/types.js';
import {
  classifyFetchError,
  copyModFiles,
  fetchProblemText,
  foldBlock,
  goErrorBlocks,
  readIfExists,
  redactUrls,
  splitLines,
  unifiedDiff,
} from './internal/mod-copy.js';

/** Most drift findings per vendor directory; the rest are summarised in one finding. */
const MAX_FILE_FINDINGS = 50;

/** A directory whose vendor/ is checked: a module, or a go.work workspace. */
interface VendorRoot {
  kind: 'module' | 'workspace';
  /** Absolute dir holding vendor/. */
  dir: string;
  /** Report path of that dir (`.`, `sub`). */
  relDir: string;
  /** go.mod (module) or go.work (workspace), as a report path. */
  mainFile: string;
  /** Modules whose go.mod requires are checked (the module itself, or every workspace module). */
  modules: ModuleInfo[];
  /** go.work directives (workspace). */
  workDirectives?: Directive[];
  workFile?: string;
  goLine?: string;
  /** The shell command that rewrites vendor/. */
  fix: string;
}

export interface VendorReason {
  path: string;
  version?: string;
  reason: string;
}

/** Parse `go: inconsistent vendoring in DIR:` and every reason line under it. */
export function parseInconsistentVendoring(stderr: string): { dir: string; reasons: VendorReason[] } | undefined {
  const text = stderr.replace(/\r/g, '');
  const head = /^go: inconsistent vendoring in (.+):$/m.exec(text);
  if (!head) return undefined;
  const reasons: VendorReason[] = [];
  const after = text.slice(head.index + head[0].length + 1).split('\n');
  for (const line of after) {
    if (line.trim() === '') break; // a blank line ends the list; the advice follows
    const m = /^\t([^@\s:]+)(?:@(\S+?))?: (.+)$/.exec(line);
    if (m) reasons.push({ path: m[1]!, ...(m[2] ? { version: m[2] } : {}), reason: m[3]! });
  }
  return { dir: head[1]!, reasons };
}

/** vendor/modules.txt: `# path version [=> repl]` headers with lines, and the package → module map. */
export function parseModulesTxt(text: string): {
  headers: Array<{ path: string; version?: string; replaced: boolean; line: number }>;
  packages: Map<string, string>;
  workspace: boolean;
} {
  const headers: Array<{ path: string; version?: string; replaced: boolean; line: number }> = [];
  const packages = new Map<string, string>();
  const lines = splitLines(text);
  let current = '';
  lines.forEach((l, i) => {
    if (l.startsWith('# ')) {
      const f = l.slice(2).trim().split(/\s+/);
      const arrow = f.indexOf('=>');
      const before = arrow < 0 ? f : f.slice(0, arrow);
      headers.push({ path: before[0] ?? '', ...(before[1] ? { version: before[1] } : {}), replaced: arrow >= 0, line: i + 1 });
      current = `${before[0] ?? ''}${before[1] ? ` ${before[1]}` : ''}`;
    } else if (l && !l.startsWith('#')) {
      packages.set(l.trim(), current);
    }
  });
  return { headers, packages, workspace: lines[0]?.trim() === '## workspace' };
}

async function walkFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) out.set(path.relative(root, p).split(path.sep).join('/'), p);
      }),
    );
  };
  await walk(root);
  return out;
}

/** Equal bytes, or equal once CRLF is read as LF (a git autocrlf checkout on Windows is not drift). */
async function sameContent(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.readFile(a), fs.readFile(b)]);
  if (x.equals(y)) return true;
  if (Math.abs(x.length - y.length) > Math.max(x.length, y.length) / 2) return false;
  const lf = (buf: Buffer) => buf.toString('latin1').replace(/\r\n/g, '\n');
  return lf(x) === lf(y);
}

function failed(r: ProcessResult): boolean {
  return !!(r.spawnError || r.timedOut || r.aborted);
}

interface RootResult {
  findings: Finding[];
  notes: string[];
  details?: string;
}

/** Where a consistency reason points. */
function reasonFinding(root: VendorRoot, cwd: string, r: VendorReason, modulesTxt: string, modulesTxtFile: string): Finding {
  const id = `${r.path}${r.version ? `@${r.version}` : ''}`;
  const base = { severity: 'error' as const, hint: `Run \`${root.fix}\` and commit vendor/.`, ruleId: 'vendor-inconsistent' };
  const mt = parseModulesTxt(modulesTxt);
  const inModulesTxt = (replaced: boolean) => {
    const h = mt.headers.find((x) => x.path === r.path && (!r.version || x.version === r.version) && (!replaced || x.replaced)) ?? mt.headers.find((x) => x.path === r.path);
    return { file: modulesTxtFile, ...(h ? { line: h.line } : {}) };
  };

  if (/^is explicitly required in (?:a )?go\.mod/.test(r.reason)) {
    // The require may be in any workspace module's go.mod: the one with this version first.
    let at: Pick<Finding, 'file' | 'line' | 'column'> = { file: root.modules[0]?.goModFile ?? root.mainFile };
    for (const m of root.modules) {
      const d = m.directives.find((x) => x.verb === 'require' && x.args[0] === r.path && (!r.version || x.args[1] === r.version));
      if (d) {
        at = { file: m.goModFile, line: d.line, column: d.column };
        break;
      }
    }
    const indicates = /vendor\/modules\.txt indicates (\S+)/.exec(r.reason)?.[1];
    return {
      ...base,
      message: indicates
        ? `${at.file} requires ${id}, but ${modulesTxtFile} has ${indicates}`
        : `${at.file} requires ${id}, but ${modulesTxtFile} does not mark it \`## explicit\` (vendor/ was made from another go.mod)`,
      ...at,
    };
  }
  if (/^is marked as explicit in vendor\/modules\.txt, but not explicitly required/.test(r.reason)) {
    return { ...base, message: `${modulesTxtFile} marks ${id} as explicitly required, but no go.mod requires it${r.version ? ' at that version' : ''}`, ...inModulesTxt(false) };
  }
  const replaced = /^is replaced (?:by (.+?) )?in (.+?), but (?:not marked as replaced|marked as replaced by (.+?)) in vendor\/modules\.txt$/.exec(r.reason);
  if (replaced) {
    // go names the file that holds the replace relative to its working directory.
    const src = path.resolve(cwd, replaced[2]!);
    let at: Pick<Finding, 'file' | 'line' | 'column'> = { file: root.mainFile };
    if (root.workFile && src === root.workFile) {
      const d = replaceLine(root.workDirectives ?? [], r.path, r.version);
      at = { file: root.mainFile, ...(d ? { line: d.line, column: d.column } : {}) };
    } else {
      const m = root.modules.find((x) => path.join(x.dir, 'go.mod') === src) ?? root.modules[0];
      const d = m ? replaceLine(m.directives, r.path, r.version) : undefined;
      if (m) at = { file: m.goModFile, ...(d ? { line: d.line, column: d.column } : {}) };
    }
    return {
      ...base,
      message: replaced[3]
        ? `${at.file} replaces ${id} by ${replaced[1]}, but ${modulesTxtFile} records the replacement ${replaced[3]}`
        : `${at.file} replaces ${id}${replaced[1] ? ` by ${replaced[1]}` : ''}, but ${modulesTxtFile} does not record the replacement`,
      ...at,
    };
  }
  if (/^is marked as replaced in vendor\/modules\.txt, but not replaced/.test(r.reason)) {
    return { ...base, message: `${modulesTxtFile} records a replacement of ${id} that ${root.kind === 'workspace' ? 'the workspace' : root.mainFile} does not have`, ...inModulesTxt(true) };
  }
  return { ...base, message: `inconsistent vendoring: ${id}: ${r.reason}`, file: modulesTxtFile };
}

interface Regenerate {
  args: string[];
  env: Record<string, string | undefined>;
  outDir: string;
  /** The directory relative replacement paths in the regenerated modules.txt are relative to. */
  base: string;
}

/** `go mod vendor` on copies of go.mod/go.sum (-modfile), into a temp dir. */
async function moduleVendorCommand(ctx: CheckContext, root: VendorRoot): Promise<Regenerate> {
  const copy = await copyModFiles(ctx, root.modules[0]!, 'vendor');
  const outDir = path.join(copy.dir, 'vendor');
  // With -modfile, go resolves relative replace paths against the module directory, as the build does.
  return { args: ['mod', 'vendor', `-modfile=${copy.modFile}`, '-o', outDir], env: { GOWORK: 'off' }, outDir, base: root.dir };
}

/**
 * `go work vendor` has no -modfile; in workspace mode go writes new checksums only to the go.work.sum
 * next to GOWORK. So we point GOWORK at a temp copy of go.work whose relative paths (`use` dirs and
 * `replace` targets) are made absolute, as the build resolves them from the real go.work, with a copy
 * of go.work.sum. Relative replaces in member go.mod files are resolved by go against the member
 * directory, which is the real one. go then writes replacement paths relative to the temp
 * workspace, so modules.txt is compared by meaning (sameModulesTxt), not byte for byte.
 */
async function workspaceVendorCommand(ctx: CheckContext, root: VendorRoot): Promise<Regenerate | string> {
  const dirs = root.workDirectives ?? [];
  const text = (await readIfExists(root.workFile!, ctx.probe.git.root ?? ctx.dir, READ_LIMITS.goMod)) ?? '';
  const lines = text.split('\n');
  for (const d of dirs) {
    const raw = lines[d.line - 1] ?? '';
    if (d.verb === 'use' && d.args[0]) {
      const abs = JSON.stringify(path.resolve(root.dir, d.args[0]));
      lines[d.line - 1] = /^\s*use\b/.test(raw) ? `use ${abs}` : `\t${abs}`;
    } else if (d.verb === 'replace') {
      const target = d.args[d.args.indexOf('=>') + 1] ?? '';
      if (!/^\.\.?([/\\]|$)/.test(target)) continue;
      const abs = JSON.stringify(path.resolve(root.dir, target));
      const at = raw.lastIndexOf('=>');
      if (at < 0) return `${root.mainFile} line ${d.line}: cannot read the replace directive`;
      lines[d.line - 1] = `${raw.slice(0, at)}=> ${abs}`;
    }
  }
  const tmp = await ctx.tempDir('vendor-work');
  const work = path.join(tmp, 'go.work');
  await fs.writeFile(work, lines.join('\n'));
  const sum = await readIfExists(`${root.workFile}.sum`, ctx.probe.git.root ?? ctx.dir);
  if (sum !== undefined) await fs.writeFile(`${work}.sum`, sum);
  const outDir = path.join(tmp, 'vendor');
  return { args: ['work', 'vendor', '-o', outDir], env: { GOWORK: work }, outDir, base: tmp };
}

/**
 * modules.txt lines with every relative replacement directory (`=> ./b`, `=> ../x`) made absolute
 * against base: the repository's file and the regenerated one mean the same directories when
 * these lines are equal, whatever directory each was written from.
 */
export function modulesTxtMeaning(text: string, base: string): string[] {
  return splitLines(text).map((l) => {
    if (!l.startsWith('# ')) return l;
    const m = /^(.*=>\s*)(\S+)(.*)$/.exec(l);
    if (!m) return l;
    let target = m[2]!;
    if (/^".*"$/.test(target)) target = JSON.parse(target) as string;
    const isDir = /^\.\.?([/\\]|$)/.test(target) || path.isAbsolute(target);
    return isDir ? `${m[1]}${path.resolve(base, target)}${m[3]}` : l;
  });
}

async function checkRoot(ctx: CheckContext, root: VendorRoot): Promise<RootResult> {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const vendorDir = path.join(root.dir, 'vendor');
  const vendorRel = joinReport(root.relDir, 'vendor');
  const modulesTxtFile = `${vendorRel}/modules.txt`;
  // Repository files go through core/safe-read.ts: a modules.txt linking out of the repository ends the check in error, unread.
  const modulesTxt = (await readIfExists(path.join(vendorDir, 'modules.txt'), ctx.probe.git.root ?? ctx.dir)) ?? '';
  const env = root.kind === 'workspace' ? { GOWORK: root.workFile } : { GOWORK: 'off' };
  const hint = `Run \`${root.fix}\` and commit vendor/.`;

  // 1. Consistency: any package load in vendor mode runs it; -mod=vendor in case GOFLAGS says otherwise.
  const list = await ctx.go.run(['list', '-mod=vendor', '-e', '-json=ImportPath', './...'], { cwd: root.dir, env, signal: ctx.signal });
  if (failed(list)) throw new Error(describeFailure(list));
  let inconsistent = false;
  const inconsistentPaths: string[] = [];
  if (list.code !== 0) {
    const parsed = parseInconsistentVendoring(list.stderr);
    if (parsed) {
      inconsistent = true;
      inconsistentPaths.push(...parsed.reasons.map((r) => r.path));
      for (const r of parsed.reasons) findings.push(reasonFinding(root, root.dir, r, modulesTxt, modulesTxtFile));
      if (parsed.reasons.length === 0) {
        findings.push({ severity: 'error', message: `inconsistent vendoring in ${vendorRel}`, hint, file: modulesTxtFile, ruleId: 'vendor-inconsistent' });
      }
    } else {
      const first = goErrorBlocks(list.stderr)[0] ?? describeFailure(list);
      findings.push({
        severity: 'error',
        message: `go cannot load ${root.kind === 'workspace' ? 'the workspace' : root.mainFile} from ${vendorRel}: ${redactUrls(foldBlock(first))}`,
        hint: `Run \`${root.fix}\`; if the error remains, fix it first (see the packages check).`,
        file: root.mainFile,
        ruleId: 'vendor-load',
      });
    }
  }

  // 2. Package directories in vendor/ that modules.txt does not list.
  const mt = parseModulesTxt(modulesTxt);
  const repoFiles = await walkFiles(vendorDir);
  const goDirs = new Set<string>();
  for (const rel of repoFiles.keys()) if (rel.endsWith('.go') && rel.includes('/')) goDirs.add(rel.slice(0, rel.lastIndexOf('/')));
  const strays = [...goDirs].filter((d) => !mt.packages.has(d)).sort();
  const ignoresStrays = compareGo(root.goLine ?? '1.16', '1.23') >= 0;
  for (const d of strays.slice(0, MAX_FILE_FINDINGS)) {
    findings.push({
      severity: 'warning',
      message: ignoresStrays
        ? `${vendorRel}/${d} holds Go files but ${modulesTxtFile} does not list the package: go >= 1.23 ignores it, so an import of ${d} fails`
        : `${vendorRel}/${d} holds Go files but ${modulesTxtFile} does not list the package: go builds it from vendor/ although no required module provides it`,
      hint: `Delete ${vendorRel}/${d}, or require its module and run \`${root.fix}\`.`,
      file: `${vendorRel}/${d}`,
      ruleId: 'vendor-unlisted-package',
    });
  }
  if (strays.length > MAX_FILE_FINDINGS) {
    findings.push({ severity: 'warning', message: `${strays.length - MAX_FILE_FINDINGS} more package directories in ${vendorRel} are not listed in ${modulesTxtFile}`, hint, file: modulesTxtFile, ruleId: 'vendor-unlisted-package' });
  }
  const strayDirs = new Set(strays);

  // 3. Content drift.
  if (compareGo(buildGoVersion(ctx.probe, root.modules[0]), '1.18') < 0) {
    notes.push(`${vendorRel}: contents not compared (\`go mod vendor -o\` needs Go >= 1.18)`);
    return { findings, notes };
  }
  const regen = root.kind === 'workspace' ? await workspaceVendorCommand(ctx, root) : await moduleVendorCommand(ctx, root);
  if (typeof regen === 'string') {
    notes.push(`${vendorRel}: contents not compared: ${regen}`);
    return { findings, notes };
  }
  const outDir = regen.outDir;
  const gen = await ctx.go.run(regen.args, { cwd: root.dir, env: regen.env, signal: ctx.signal, memo: false });
  if (failed(gen)) throw new Error(describeFailure(gen));
  if (gen.code !== 0) {
    const blocks = goErrorBlocks(gen.stderr);
    const kind = classifyFetchError(blocks.join('\n'));
    const first = redactUrls(foldBlock(blocks[0] ?? describeFailure(gen)));
    if (kind === 'offline' || kind === 'network') {
      // Vendoring is often used precisely to build without downloads: not a defect of vendor/.
      notes.push(`${vendorRel}: contents not compared: \`${root.fix}\` needs the module cache or downloads, and ${fetchProblemText(kind)} (${first})`);
    } else {
      findings.push({
        severity: 'warning',
        message: `cannot regenerate ${vendorRel} to compare it: \`${root.fix}\` fails: ${first}`,
        hint: `Run \`${root.fix}\` locally and fix what it reports.`,
        file: root.mainFile,
        ruleId: 'vendor-regenerate',
      });
    }
    return { findings, notes };
  }

  const genFiles = await walkFiles(outDir);
  const all = [...new Set([...repoFiles.keys(), ...genFiles.keys()])].sort();
  const drift: Array<{ rel: string; kind: 'changed' | 'missing' | 'extra' }> = [];
  await Promise.all(
    all.map(async (rel) => {
      const a = repoFiles.get(rel);
      const b = genFiles.get(rel);
      if (a && b) {
        if (rel === 'modules.txt') {
          // Same meaning: relative replacement paths resolved against where each file was written.
          const [x, y] = await Promise.all([readIfExists(a), readIfExists(b)]);
          if (modulesTxtMeaning(x ?? '', root.dir).join('\n') !== modulesTxtMeaning(y ?? '', regen.base).join('\n')) drift.push({ rel, kind: 'changed' });
        } else if (!(await sameContent(a, b))) drift.push({ rel, kind: 'changed' });
      } else if (b) drift.push({ rel, kind: 'missing' });
      else if (!strayDirs.has(rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '')) drift.push({ rel, kind: 'extra' });
    }),
  );
  drift.sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
  const genTxtFile = genFiles.get('modules.txt');
  const genMt = parseModulesTxt(genTxtFile ? ((await readIfExists(genTxtFile)) ?? '') : '');
  const moduleOf = (rel: string): string | undefined => {
    for (const t of [mt, genMt]) {
      let d = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      while (d) {
        const m = t.packages.get(d);
        if (m) return m;
        d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
      }
    }
    return [...mt.headers, ...genMt.headers].filter((h) => rel.startsWith(`${h.path}/`)).sort((x, y) => y.path.length - x.path.length)[0]?.path;
  };
  // The consistency findings already explain a stale modules.txt and the files of every module they
  // name (one finding per cause; the files are listed in the details).
  const explained = new Set(inconsistentPaths);
  const reported = drift.filter((d) => {
    if (!inconsistent) return true;
    if (d.rel === 'modules.txt') return false;
    // A file added or removed with a module the reasons name follows from them; an edited file is its own cause.
    const owner = moduleOf(d.rel)?.split(' ')[0];
    return d.kind === 'changed' || !(owner && explained.has(owner));
  });
  const vendorCmd = root.kind === 'workspace' ? 'go work vendor' : 'go mod vendor';
  for (const d of reported.slice(0, MAX_FILE_FINDINGS)) {
    const file = `${vendorRel}/${d.rel}`;
    const owner = moduleOf(d.rel);
    const from = owner ? ` (${owner})` : '';
    findings.push({
      severity: 'error',
      message:
        d.rel === 'modules.txt'
          ? `${file} is out of date: \`${vendorCmd}\` writes a different module list for ${root.mainFile}`
          : d.kind === 'changed'
            ? `${file} differs from what \`${vendorCmd}\` writes${from}: edited by hand, or vendor/ is stale`
            : d.kind === 'missing'
              ? `${file} is missing: \`${vendorCmd}\` adds it${from}`
              : `${file} is not produced by \`${vendorCmd}\`: stale, or added by hand`,
      hint,
      file,
      ruleId: 'vendor-drift',
    });
  }
  if (reported.length > MAX_FILE_FINDINGS) {
    findings.push({
      severity: 'error',
      message: `${reported.length - MAX_FILE_FINDINGS} more files under ${vendorRel} differ from what \`${vendorCmd}\` writes (${reported.length} in all)`,
      hint,
      file: modulesTxtFile,
      ruleId: 'vendor-drift',
    });
  }
  let details: string | undefined;
  if (drift.length) {
    const list = drift.slice(0, 500).map((d) => `- \`${vendorRel}/${d.rel}\` ${d.kind}`);
    if (drift.length > 500) list.push(`- … ${drift.length - 500} more`);
    details = `**${vendorRel}** differs from \`${root.fix}\`:\n\n${list.join('\n')}\n`;
    const genTxt = genFiles.get('modules.txt');
    if (drift.some((d) => d.rel === 'modules.txt') && genTxt) {
      const diff = unifiedDiff(modulesTxt, (await readIfExists(genTxt)) ?? '', 'current/vendor/modules.txt', 'vendor/modules.txt');
      if (diff) details += `\n\`\`\`diff\n${diff.split('\n').slice(0, 300).join('\n')}\n\`\`\`\n`;
    }
  }
  return { findings, notes, ...(details ? { details } : {}) };
}

export const vendorCheck: Check = {
  id: 'vendor',
  title: 'Vendor directory',
  needs: ['go', 'module', 'loadable'],
  async run(ctx: CheckContext): Promise<CheckOutcome> {
    // The user's GOFLAGS (the go runner rewrites -mod=mod to -mod=readonly for our own commands).
    const goflags = ctx.env.GOFLAGS ?? ctx.probe.goEnv.GOFLAGS ?? '';
    const goflagsMod = /(?:^|\s)--?mod=(\S+)/.exec(goflags)?.[1];
    const roots: VendorRoot[] = [];
    const findings: Finding[] = [];
    const skipped: string[] = [];
    const work = ctx.probe.work;

    // Workspace vendoring: vendor/ next to go.work, made by `go work vendor` (Go >= 1.22).
    let workspaceVendor = false;
    if (work) {
      const txt = await readIfExists(path.join(work.dir, 'vendor', 'modules.txt'));
      if (txt !== undefined && parseModulesTxt(txt).workspace) {
        workspaceVendor = true;
        const goVersion = buildGoVersion(ctx.probe);
        if (compareGo(goVersion, '1.22') < 0) skipped.push(`${reportPath(ctx.dir, path.join(work.dir, 'vendor'))}: workspace vendoring (\`go work vendor\`) needs Go 1.22 or newer; ${goVersion} has no \`go work vendor\``);
        else {
          roots.push({
            kind: 'workspace',
            dir: work.dir,
            relDir: reportPath(ctx.dir, work.dir),
            mainFile: work.relFile,
            modules: ctx.probe.modules.filter((m) => m.inWorkspace),
            workDirectives: work.directives,
            workFile: work.file,
            goLine: work.goLine,
            fix: reportPath(ctx.dir, work.dir) === '.' ? 'go work vendor' : `cd ${reportPath(ctx.dir, work.dir)} && go work vendor`,
          });
        }
      }
    }

    for (const m of ctx.probe.modules) {
      if (m.parseError) continue;
      // From Go 1.22, `go mod vendor` in workspace mode is refused ("'go mod vendor' cannot be run in
      // workspace mode. Run 'go work vendor' to vendor the workspace or set 'GOWORK=off' to exit
      // workspace mode."): a module of the workspace is vendored on its own with GOWORK=off.
      const inWork = !!work && m.inWorkspace && compareGo(buildGoVersion(ctx.probe, m), '1.22') >= 0;
      const cmd = inWork ? 'GOWORK=off go mod vendor' : 'go mod vendor';
      const fix = m.relDir === '.' ? cmd : `cd ${m.relDir} && ${cmd}`;
      if (!m.hasVendorDir) {
        const coveredByWorkspace = workspaceVendor && m.inWorkspace;
        if (goflagsMod === 'vendor' && !coveredByWorkspace) {
          findings.push({
            severity: 'error',
            message: `GOFLAGS sets -mod=vendor but there is no vendor/ directory next to ${m.goModFile}: every build of the module fails with "inconsistent vendoring"`,
            hint: `Run \`${fix}\` and commit vendor/, or remove -mod=vendor from GOFLAGS.`,
            file: m.goModFile,
            ruleId: 'vendor-missing',
          });
        }
        continue;
      }
      const txt = await readIfExists(path.join(m.dir, 'vendor', 'modules.txt'));
      if (txt !== undefined && parseModulesTxt(txt).workspace) {
        if (!(work && path.resolve(work.dir) === path.resolve(m.dir))) {
          findings.push({
            severity: 'error',
            message: `${joinReport(m.relDir, 'vendor/modules.txt')} was written by \`go work vendor\` (## workspace) but there is no go.work next to it: go cannot use it`,
            hint: `Run \`${fix}\` to vendor this module on its own, or restore the go.work file.`,
            file: joinReport(m.relDir, 'vendor/modules.txt'),
            line: 1,
            ruleId: 'vendor-inconsistent',
          });
        }
        continue; // the workspace root above covers it
      }
      if (goflagsMod === 'mod' || goflagsMod === 'readonly') {
        skipped.push(`${joinReport(m.relDir, 'vendor')}/ is not used: GOFLAGS sets -mod=${goflagsMod}`);
        continue;
      }
      if (compareGo(m.goLine ?? '1.16', '1.14') < 0 && goflagsMod !== 'vendor') {
        skipped.push(`${joinReport(m.relDir, 'vendor')}/ is not used: the go line of ${m.goModFile} is older than 1.14`);
        continue;
      }
      roots.push({ kind: 'module', dir: m.dir, relDir: m.relDir, mainFile: m.goModFile, modules: [m], goLine: m.goLine, fix });
    }

    if (roots.length === 0 && findings.length === 0) {
      return { findings: [], skipReason: skipped.length ? `not applicable: ${skipped.join('; ')}` : 'not applicable: no vendor/ directory', ...(skipped.length ? { notes: skipped } : {}) };
    }
    const per = await Promise.all(roots.map((r) => checkRoot(ctx, r)));
    const notes = [...skipped, ...per.flatMap((p) => p.notes)];
    const details = per.map((p) => p.details).filter(Boolean).join('\n');
    return {
      findings: [...findings, ...per.flatMap((p) => p.findings)],
      ...(notes.length ? { notes } : {}),
      ...(details ? { details } : {}),
    };
  },
};
