// modules: is the module graph buildable here? Everything is read from the probe (go.mod / go.work
// as `go mod edit -json` sees them) and from files already on disk (the module cache); this check
// never downloads anything, so it answers the same offline as online.

import { runGit } from '../core/git.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Check, CheckContext, Finding } from '../core/types.js';
import type { GoModJson, ModuleInfo, Probe, WorkInfo } from '../core/probe.js';
import { buildGoVersion } from '../core/probe.js';
import { findDirective, parseModDirectives, replaceLine, requireLine, useLine, type Directive } from '../core/gomod.js';
import { compareGo } from '../core/go-version.js';
import { describeUnsafeRead, READ_LIMITS, tryReadRepoFile } from '../core/safe-read.js';
import { isInside, reportPath } from '../core/paths.js';
import { getErrorMessage } from '../core/errors.js';
import { isDirectory } from '../core/fs-utils.js';

// ---------------------------------------------------------------------------------------------
// Module cache helpers (shared with the go-env check).

/**
 * Go's case encoding for module paths and versions in the module cache and the proxy protocol
 * (golang.org/x/mod/module.EscapePath): an upper-case letter becomes `!` + its lower case, so the
 * cache works on case-insensitive file systems.
 */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** GOMODCACHE as go computes it: the variable, else the first GOPATH entry + /pkg/mod. */
export function moduleCacheDir(goEnv: Readonly<Record<string, string>>): string | undefined {
  if (goEnv.GOMODCACHE) return goEnv.GOMODCACHE;
  const first = (goEnv.GOPATH ?? '').split(path.delimiter).find(Boolean);
  return first ? path.join(first, 'pkg', 'mod') : undefined;
}

/** `$GOMODCACHE/cache/download/<escaped path>/@v`. */
export function cacheVersionDir(gomodcache: string, modulePath: string): string {
  return path.join(gomodcache, 'cache', 'download', ...escapeModulePath(modulePath).split('/'), '@v');
}

/** `$GOMODCACHE/cache/download/<escaped path>/@v/<escaped version>.<ext>`. */
export function cacheFile(gomodcache: string, modulePath: string, version: string, ext: 'mod' | 'info' | 'zip'): string {
  return path.join(cacheVersionDir(gomodcache, modulePath), `${escapeModulePath(version)}.${ext}`);
}

async function readText(p: string): Promise<string | undefined> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}


async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A `replace` whose new side is a directory (`=> ../x`): no version on the right. */
export function isLocalReplacement(r: { New: { Path: string; Version?: string } }): boolean {
  return !r.New.Version;
}

/** The go.work really in effect (GOWORK not off and the file read by the probe). */
export function activeWork(probe: Probe): WorkInfo | undefined {
  return probe.goEnv.GOWORK && probe.goEnv.GOWORK !== 'off' ? probe.work : undefined;
}

export type RequireTarget =
  /** Fetched from the module proxy / VCS (possibly a `replace` with another module and version). */
  | { kind: 'module'; path: string; version: string }
  /** Replaced by a directory on disk. */
  | { kind: 'local'; dir: string }
  /** Provided by a module of the workspace: never fetched. */
  | { kind: 'workspace' };

export interface ResolvedRequire {
  module: ModuleInfo;
  path: string;
  version: string;
  indirect: boolean;
  /** The require line in the module's go.mod. */
  line?: Directive;
  target: RequireTarget;
}

/**
 * Every require of every module, with `replace` applied as go applies it: in workspace mode the
 * go.work replaces win over go.mod replaces, and requires of workspace modules are satisfied locally.
 */
export function resolvedRequires(probe: Probe): ResolvedRequire[] {
  const work = activeWork(probe);
  const workspacePaths = new Set(work ? probe.modules.filter((m) => m.inWorkspace && m.path).map((m) => m.path) : []);
  const out: ResolvedRequire[] = [];
  for (const m of probe.modules) {
    const json = m.json;
    if (!json) continue;
    const replaces: Array<{ r: NonNullable<GoModJson['Replace']>[number]; base: string }> = [];
    if (work && m.inWorkspace) for (const r of work.json?.Replace ?? []) replaces.push({ r, base: work.dir });
    for (const r of json.Replace ?? []) replaces.push({ r, base: m.dir });
    for (const req of json.Require ?? []) {
      let target: RequireTarget;
      const rep = replaces.find(({ r }) => r.Old.Path === req.Path && (!r.Old.Version || r.Old.Version === req.Version));
      if (m.inWorkspace && workspacePaths.has(req.Path)) target = { kind: 'workspace' };
      else if (rep && isLocalReplacement(rep.r)) target = { kind: 'local', dir: path.resolve(rep.base, rep.r.New.Path) };
      else if (rep) target = { kind: 'module', path: rep.r.New.Path, version: rep.r.New.Version! };
      else target = { kind: 'module', path: req.Path, version: req.Version };
      out.push({ module: m, path: req.Path, version: req.Version, indirect: !!req.Indirect, line: requireLine(m.directives, req.Path), target });
    }
  }
  return out;
}

/** `go` line of a go.mod text (the first `go` directive), or undefined. */
export function goLineOf(text: string): string | undefined {
  return findDirective(parseModDirectives(text), 'go')?.args[0];
}

// ---------------------------------------------------------------------------------------------
// The repository this checkout is (GITHUB_REPOSITORY or the `origin` remote).

export interface RepoIdentity {
  /** Lower-case host, e.g. `github.com`. */
  host: string;
  /** `owner/repo` (GitLab subgroups: `group/sub/repo`), without `.git`. */
  path: string;
  owner: string;
  /** Where it came from, for messages. */
  source: string;
  /** From the event payload when known (GITHUB_EVENT_PATH). */
  isPrivate?: boolean;
  isFork?: boolean;
}

/** Parse a git remote URL: `https://host/o/r(.git)`, `ssh://git@host:22/o/r.git`, scp form `git@host:o/r.git`. */
export function parseRemoteUrl(url: string): { host: string; path: string } | undefined {
  const u = url.trim();
  let host: string;
  let p: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    try {
      const parsed = new URL(u);
      host = parsed.hostname;
      p = decodeURIComponent(parsed.pathname);
    } catch {
      return undefined;
    }
  } else {
    // scp-like syntax: [user@]host:path (git only treats it so when no slash comes before the colon).
    const m = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(u);
    if (!m) return undefined;
    host = m[1]!;
    p = m[2]!;
  }
  p = p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  // A local path or a drive letter is not a hosted repository.
  if (!host.includes('.') || !p.includes('/')) return undefined;
  return { host: host.toLowerCase(), path: p };
}

async function eventRepository(env: CheckContext['env']): Promise<{ isPrivate?: boolean; isFork?: boolean }> {
  if (!env.GITHUB_EVENT_PATH) return {};
  const text = await readText(env.GITHUB_EVENT_PATH);
  if (!text) return {};
  try {
    const repo = (JSON.parse(text) as { repository?: { private?: unknown; fork?: unknown } }).repository;
    return {
      isPrivate: typeof repo?.private === 'boolean' ? repo.private : undefined,
      isFork: typeof repo?.fork === 'boolean' ? repo.fork : undefined,
    };
  } catch {
    return {};
  }
}

/** This checkout's repository: GITHUB_REPOSITORY on a runner, else the `origin` remote. */
export async function repositoryIdentity(ctx: CheckContext): Promise<RepoIdentity | undefined> {
  let found: Omit<RepoIdentity, 'owner'> | undefined;
  const ghRepo = ctx.env.GITHUB_REPOSITORY?.trim();
  if (ghRepo && /^[^/\s]+\/[^/\s]+$/.test(ghRepo)) {
    let host = 'github.com';
    try {
      if (ctx.env.GITHUB_SERVER_URL) host = new URL(ctx.env.GITHUB_SERVER_URL).hostname.toLowerCase() || host;
    } catch {
      /* keep github.com */
    }
    found = { host, path: ghRepo, source: 'GITHUB_REPOSITORY' };
  } else if (ctx.probe.git.isRepo) {
    const r = await runGit(['config', '--get', 'remote.origin.url'], {
      exec: ctx.exec,
      cwd: ctx.dir,
      env: ctx.env,
      signal: ctx.signal,
      timeoutMs: 30_000,
    });
    const parsed = r.code === 0 ? parseRemoteUrl(r.stdout) : undefined;
    if (parsed) found = { ...parsed, source: 'the origin remote' };
  }
  if (!found) return undefined;
  return { ...found, owner: found.path.split('/')[0]!, ...(await eventRepository(ctx.env)) };
}

// ---------------------------------------------------------------------------------------------
// Semantic versions (for retractions).

interface SemVer {
  nums: [string, string, string];
  pre: string[];
}

function parseSemver(v: string): SemVer | undefined {
  const m = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) return undefined;
  return { nums: [m[1]!, m[2]!, m[3]!], pre: m[4] ? m[4].split('.') : [] };
}

function cmpNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver order; invalid versions sort first. */
export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  for (let i = 0; i < 3; i++) {
    const c = cmpNum(x.nums[i]!, y.nums[i]!);
    if (c) return c;
  }
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    const c = pn && qn ? cmpNum(p, q) : pn ? -1 : qn ? 1 : p < q ? -1 : p > q ? 1 : 0;
    if (c) return c;
  }
  return 0;
}

/** `retract` directives of a go.mod text as [low, high] ranges with their rationale. */
export function parseRetractions(text: string): Array<{ low: string; high: string; rationale?: string }> {
  const out: Array<{ low: string; high: string; rationale?: string }> = [];
  for (const d of parseModDirectives(text)) {
    if (d.verb !== 'retract') continue;
    const spec = d.args.join('');
    const range = /^\[([^,\]]+),([^\]]+)\]$/.exec(spec);
    if (range) out.push({ low: range[1]!, high: range[2]!, rationale: d.comment });
    else if (spec) out.push({ low: spec, high: spec, rationale: d.comment });
  }
  return out;
}

/** The `Deprecated:` paragraph in the comment above or after the `module` directive. */
export function parseDeprecation(text: string): string | undefined {
  const lines = text.split('\n');
  const idx = lines.findIndex((l) => /^\s*module[\s(]/.test(l));
  if (idx < 0) return undefined;
  const comments: string[] = [];
  for (let i = idx - 1; i >= 0 && /^\s*\/\//.test(lines[i]!); i--) comments.unshift(lines[i]!.replace(/^\s*\/\/\s?/, ''));
  const trailing = /\/\/\s?(.*)$/.exec(lines[idx]!);
  if (trailing) comments.push(trailing[1]!);
  const start = comments.findIndex((c) => /^\s*Deprecated:/.test(c));
  if (start < 0) return undefined;
  const para: string[] = [];
  for (let i = start; i < comments.length && comments[i]!.trim() !== ''; i++) para.push(comments[i]!.trim());
  return para.join(' ').replace(/^Deprecated:\s*/, '').trim() || 'deprecated';
}

// ---------------------------------------------------------------------------------------------
// The check.

function parseErrorPosition(msg: string): { line?: number; column?: number; text: string } {
  const m = /go\.(?:mod|work):(\d+)(?::(\d+))?: (.+)$/m.exec(msg);
  if (!m) return { text: msg.replace(/^go: /, '').split('\n').filter(Boolean).join(' ') };
  return { line: Number(m[1]), column: m[2] ? Number(m[2]) : undefined, text: m[3]!.trim() };
}

/** The latest version whose go.mod is in the cache, with its text. */
async function latestCachedGoMod(gomodcache: string, modulePath: string): Promise<{ version: string; text: string } | undefined> {
  const dir = cacheVersionDir(gomodcache, modulePath);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  const versions = new Set<string>();
  for (const n of names) if (n.endsWith('.mod')) versions.add(n.slice(0, -4));
  // Only versions whose go.mod we hold count (the cache's `list` file names versions we cannot read).
  const sorted = [...versions]
    .map((escaped) => ({ escaped, version: escaped.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase()) }))
    .filter((v) => parseSemver(v.version))
    .sort((a, b) => compareSemver(a.version, b.version));
  // Go reads retractions and deprecations from the latest release (prereleases only when no release exists).
  const releases = sorted.filter((v) => !parseSemver(v.version)!.pre.length);
  const latest = (releases.length ? releases : sorted).at(-1);
  if (!latest) return undefined;
  const text = await readText(path.join(dir, `${latest.escaped}.mod`));
  return text === undefined ? undefined : { version: latest.version, text };
}

/** The Go release that added each go.mod/go.work directive (older Go fails to parse the file). */
const DIRECTIVE_SINCE: Record<string, string> = { retract: '1.16', toolchain: '1.21', godebug: '1.23', tool: '1.24', ignore: '1.25' };

function directiveHint(directive: string | undefined, goVersion: string): string {
  const since = directive ? DIRECTIVE_SINCE[directive] : undefined;
  if (since) {
    return `The ${directive} directive needs Go ${since} or newer and this build runs ${goVersion}: build with Go ${since}+ (actions/setup-go, and raise the go line to ${since} so older Go switches or says why), or remove the ${directive} line.`;
  }
  return `This Go (${goVersion}) does not know that directive: remove the line, or build with the Go version that added it.`;
}

export const modulesCheck: Check = {
  id: 'modules',
  title: 'Module graph',
  needs: ['go', 'module', 'env'],
  async run(ctx) {
    const findings: Finding[] = [];
    const { probe } = ctx;
    const work = activeWork(probe);
    // Where the checkout ends: a CI checkout usually holds this repository only.
    const checkoutRoot = probe.git.isRepo && probe.git.root ? probe.git.root : ctx.dir;
    const checkoutName = probe.git.isRepo ? 'the git repository' : 'the inspected directory';
    const running = buildGoVersion(probe); // the Go the build runs (a GOTOOLCHAIN switch included)
    const gomodcache = moduleCacheDir(probe.goEnv);
    const repoModuleDirs = new Set(probe.modules.map((m) => path.resolve(m.dir)));

    // go.mod files `go mod edit -json` could not read.
    for (const m of probe.modules) {
      if (!m.parseError) continue;
      if (m.refused) {
        findings.push({
          severity: 'error',
          message: m.refused,
          hint: 'Commit it as a regular file of the repository: go follows a symlink out of it and reads (and prints) whatever it points at. go-preflight runs no go command on this module.',
          file: m.goModFile,
          ruleId: 'repo-file-refused',
        });
        continue;
      }
      const pos = parseErrorPosition(m.parseError);
      findings.push({
        severity: 'error',
        message: `${m.goModFile} cannot be parsed: ${pos.text}`,
        hint: /unknown directive/.test(pos.text)
          ? directiveHint(/unknown directive: (\S+)/.exec(pos.text)?.[1], buildGoVersion(probe, m))
          : `Fix ${m.goModFile}${pos.line ? ` line ${pos.line}` : ''}; \`go mod edit -fmt\` shows whether the file parses.`,
        file: m.goModFile,
        ...(pos.line ? { line: pos.line } : {}),
        ...(pos.column ? { column: pos.column } : {}),
        ruleId: 'gomod-parse',
      });
    }
    if (work?.parseError) {
      const pos = parseErrorPosition(work.parseError);
      findings.push({
        severity: 'error',
        message: `${work.relFile} cannot be parsed: ${pos.text}`,
        hint: `Fix ${work.relFile}${pos.line ? ` line ${pos.line}` : ''}, or set GOWORK=off if the workspace is not meant for this build.`,
        file: work.relFile,
        ...(pos.line ? { line: pos.line } : {}),
        ruleId: 'gowork-parse',
      });
    }

    // Local replacements (go.mod and go.work).
    const checkReplace = async (
      r: NonNullable<GoModJson['Replace']>[number],
      base: string,
      file: string,
      directives: Directive[],
      owner: string,
      requirers: ModuleInfo[],
    ): Promise<void> => {
      if (!isLocalReplacement(r)) return;
      const target = path.resolve(base, r.New.Path);
      const at = replaceLine(directives, r.Old.Path, r.Old.Version);
      const where = { file, ...(at ? { line: at.line, column: at.column } : {}) };
      const old = `${r.Old.Path}${r.Old.Version ? ` ${r.Old.Version}` : ''}`;
      // go reads a replacement only when the module is in the graph. Since go 1.17 go.mod lists every
      // module of the (pruned) graph, so a replace of a module no go.mod requires is dormant.
      const used = requirers.some(
        (m) =>
          !m.goLine ||
          compareGo(m.goLine, '1.17') < 0 ||
          (m.json?.Require ?? []).some((q) => q.Path === r.Old.Path && (!r.Old.Version || q.Version === r.Old.Version)),
      );
      if (!(await isDirectory(target))) {
        findings.push({
          severity: used ? 'error' : 'notice',
          message: used
            ? `${file} replaces ${old} with ${r.New.Path}, which does not exist: every build fails with "replacement directory ${r.New.Path} does not exist"`
            : `${file} replaces ${old} with ${r.New.Path}, which does not exist (harmless while nothing requires ${r.Old.Path}, fatal once something does)`,
          hint: isInside(checkoutRoot, target)
            ? `Create or commit ${reportPath(ctx.dir, target)}, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`
            : `Check out the replacement next to this repository in CI, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-missing',
        });
        return;
      }
      const targetGoMod = path.join(target, 'go.mod');
      // A replacement outside the repository is go's to read too; one inside it that links out is refused.
      const read = await tryReadRepoFile(targetGoMod, { root: probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.goMod, allowOutside: true });
      if (read && 'error' in read) {
        findings.push({
          severity: 'error',
          message: `${file} replaces ${old} with ${r.New.Path}, whose ${describeUnsafeRead(read.error, reportPath(ctx.dir, targetGoMod))}`,
          hint: `Commit ${reportPath(ctx.dir, targetGoMod)} as a regular file, or remove the replace directive: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-unreadable',
        });
        return;
      }
      const text = read?.text;
      if (text === undefined) {
        findings.push({
          severity: used ? 'error' : 'notice',
          message: `${file} replaces ${old} with ${r.New.Path}, which has no go.mod: ${used ? 'go fails' : `once something requires ${r.Old.Path}, go fails`} with "reading ${r.New.Path}/go.mod: no such file or directory"`,
          hint: `Point the replace directive at the module's root directory (the one holding go.mod), or run \`go mod init ${r.Old.Path}\` there.`,
          ...where,
          ruleId: 'replace-no-gomod',
        });
        return;
      }
      if (!used) return;
      if (!isInside(checkoutRoot, target)) {
        findings.push({
          severity: 'warning',
          message: `${file} replaces ${old} with ${r.New.Path}, outside ${checkoutName}: a CI checkout holds only this repository, so the build there fails`,
          hint: `Check the replacement out in CI too (a second actions/checkout with path:), or require a published version and drop the replace: go mod edit -dropreplace=${r.Old.Path}`,
          ...where,
          ruleId: 'replace-outside',
        });
      }
      // A local module that is not one of ours (the toolchain check covers those) may need a newer Go.
      const goLine = goLineOf(text);
      if (goLine && !repoModuleDirs.has(target) && compareGo(running, goLine) < 0) {
        findings.push({
          severity: 'error',
          message: `${owner} uses ${r.New.Path} (replacing ${r.Old.Path}), which requires go ${goLine}, newer than the running ${running}: go fails with "requires go >= ${goLine}"`,
          hint: `Build with Go ${goLine} or newer (actions/setup-go go-version), or lower the go line of ${r.New.Path}/go.mod.`,
          ...where,
          ruleId: 'dep-go-too-new',
        });
      }
    };

    const replaceJobs: Array<Promise<void>> = [];
    for (const m of probe.modules) {
      // In workspace mode the replaces of every workspace module apply to the whole workspace.
      const requirers = work && m.inWorkspace ? probe.modules.filter((x) => x.inWorkspace) : [m];
      for (const r of m.json?.Replace ?? []) replaceJobs.push(checkReplace(r, m.dir, m.goModFile, m.directives, m.goModFile, requirers));
    }
    if (work) {
      const members = probe.modules.filter((x) => x.inWorkspace);
      for (const r of work.json?.Replace ?? []) replaceJobs.push(checkReplace(r, work.dir, work.relFile, work.directives, work.relFile, members));
    }

    // go.work `use` directories.
    const workJobs: Array<Promise<void>> = [];
    if (work) {
      const uses = work.json?.Use?.map((u) => u.DiskPath) ?? work.directives.filter((d) => d.verb === 'use' && d.args[0]).map((d) => d.args[0]!);
      for (const disk of uses) {
        workJobs.push(
          (async () => {
            const dir = path.resolve(work.dir, disk);
            const at = useLine(work.directives, disk);
            const goName = disk.replace(/^\.\/(?=.)/, ''); // go prints `missing` for `./missing`
            const where = { file: work.relFile, ...(at ? { line: at.line, column: at.column } : {}) };
            if (!(await isDirectory(dir))) {
              findings.push({
                severity: 'error',
                message: `${work.relFile} uses ${disk}, which does not exist: every go command fails with "cannot load module ${goName} listed in go.work file"`,
                hint: `Remove it: go work edit -dropuse=${disk} (or create the module there).`,
                ...where,
                ruleId: 'work-use-missing',
              });
            } else if (!(await isFile(path.join(dir, 'go.mod')))) {
              findings.push({
                severity: 'error',
                message: `${work.relFile} uses ${disk}, which has no go.mod: every go command fails with "cannot load module ${goName} listed in go.work file"`,
                hint: `Run \`go mod init <module path>\` in ${disk}, or remove it: go work edit -dropuse=${disk}`,
                ...where,
                ruleId: 'work-use-no-gomod',
              });
            } else if (!isInside(checkoutRoot, dir)) {
              findings.push({
                severity: 'warning',
                message: `${work.relFile} uses ${disk}, outside ${checkoutName}: a CI checkout holds only this repository`,
                hint: `Check that module out in CI too, or drop it from the workspace: go work edit -dropuse=${disk}`,
                ...where,
                ruleId: 'work-use-outside',
              });
            }
          })(),
        );
      }

      // Workspace modules whose go line is newer than go.work's.
      const workGo = work.goLine ?? '1.18'; // go.work without a go line means go 1.18
      const goDirective = findDirective(work.directives, 'go');
      for (const m of probe.modules) {
        if (!m.inWorkspace) continue;
        const modGo = m.goLine ?? '1.16';
        if (compareGo(workGo, modGo) < 0) {
          const rel = reportPath(work.dir, m.dir) || '.';
          findings.push({
            severity: 'error',
            message: `${m.goModFile} requires go ${modGo} but ${work.relFile} lists go ${workGo}: every go command fails with "module ${rel} listed in go.work file requires go >= ${modGo}, but go.work lists go ${workGo}"`,
            hint: `Run \`go work use\` (it raises the go line of go.work), or edit ${work.relFile} to say \`go ${modGo}\`.`,
            file: work.relFile,
            ...(goDirective ? { line: goDirective.line, column: goDirective.column } : {}),
            ruleId: 'work-go-older',
          });
        }
      }
    }

    // The module path vs the repository.
    const identityJob = (async () => {
      const repo = await repositoryIdentity(ctx);
      if (!repo) return;
      const repoPrefix = `${repo.host}/${repo.path}`;
      for (const m of probe.modules) {
        if (!m.path || !isInside(checkoutRoot, m.dir)) continue;
        const host = m.path.split('/')[0]!.toLowerCase();
        // Vanity import paths (go.uber.org/zap) and other hosts cannot be compared with the repo.
        if (host !== repo.host) continue;
        const relToRoot = reportPath(checkoutRoot, m.dir);
        const expected = relToRoot === '.' ? repoPrefix : `${repoPrefix}/${relToRoot}`;
        const lower = m.path.toLowerCase();
        const exp = expected.toLowerCase();
        // A major version suffix (/v2...) is allowed after the expected path.
        if (lower === exp || (lower.startsWith(`${exp}/`) && /^v([2-9]|[1-9]\d+)$/.test(lower.slice(exp.length + 1)))) continue;
        const moduleLine = findDirective(m.directives, 'module');
        const isRoot = relToRoot === '.';
        findings.push({
          severity: repo.isFork ? 'notice' : 'warning',
          message: isRoot
            ? `${m.goModFile} declares its path as ${m.path} but the repository is ${repoPrefix} (${repo.source}): anyone importing it gets "module declares its path as ${m.path} but was required as ${expected}" errors`
            : `${m.goModFile} declares ${m.path} but it sits in ${relToRoot}/ of ${repoPrefix}: its path should be ${expected}, or \`go get ${expected}\` fails with "module declares its path as ${m.path}"`,
          hint: `Set the module path with \`go mod edit -module=${expected}\` (and update imports), or move the module${repo.isFork ? ' (this repository is a fork: ignore this if the path names the upstream)' : ''}.`,
          file: m.goModFile,
          ...(moduleLine ? { line: moduleLine.line, column: moduleLine.column } : {}),
          ruleId: 'module-path-repo',
        });
      }
    })();

    // Dependencies: go lines newer than this Go, retractions, deprecations (module cache only).
    const depJobs: Array<Promise<void>> = [];
    if (gomodcache) {
      for (const req of resolvedRequires(probe)) {
        if (req.target.kind !== 'module') continue;
        const { path: depPath, version: depVersion } = req.target;
        const where = { file: req.module.goModFile, ...(req.line ? { line: req.line.line, column: req.line.column } : {}) };
        const replaced = depPath !== req.path || depVersion !== req.version ? ` (replaced by ${depPath} ${depVersion})` : '';
        depJobs.push(
          (async () => {
            const text = await readText(cacheFile(gomodcache, depPath, depVersion, 'mod'));
            if (text === undefined) return;
            const goLine = goLineOf(text);
            if (goLine && compareGo(running, goLine) < 0) {
              findings.push({
                severity: 'error',
                message: `${req.path} ${req.version}${replaced} requires go ${goLine}, newer than the running ${running} (required by ${req.module.goModFile}${req.line ? ` line ${req.line.line}` : ''}): go fails with "${depPath}@${depVersion} requires go >= ${goLine}"`,
                hint: `Build with Go ${goLine} or newer (actions/setup-go go-version), or require an older ${req.path}: go get ${req.path}@<older version>`,
                ...where,
                ruleId: 'dep-go-too-new',
              });
            }
            const latest = await latestCachedGoMod(gomodcache, depPath);
            if (!latest) return;
            const retraction = parseRetractions(latest.text).find(
              (r) => compareSemver(r.low, depVersion) <= 0 && compareSemver(depVersion, r.high) <= 0,
            );
            if (retraction) {
              findings.push({
                severity: 'notice',
                message: `${depPath} ${depVersion} is retracted by its author (go.mod of ${latest.version})${retraction.rationale ? `: ${retraction.rationale}` : ''}`,
                hint: `Move to a version that is not retracted: go get ${depPath}@latest`,
                ...where,
                ruleId: 'dep-retracted',
              });
            }
            const deprecated = parseDeprecation(latest.text);
            if (deprecated) {
              findings.push({
                severity: 'notice',
                message: `${depPath} is deprecated by its author: ${deprecated}`,
                hint: `Plan a move away from ${depPath} (the deprecation note usually names the replacement).`,
                ...where,
                ruleId: 'dep-deprecated',
              });
            }
          })().catch((e: unknown) => ctx.logger.debug(`modules: reading the module cache for ${depPath}: ${getErrorMessage(e)}`)),
        );
      }
    }

    await Promise.all([...replaceJobs, ...workJobs, identityJob, ...depJobs]);
    // One finding per (file, line, message): a dependency required by many modules is named in each.
    const seen = new Set<string>();
    const unique = findings.filter((f) => {
      const key = `${f.file}:${f.line}:${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { findings: unique };
  },
};
