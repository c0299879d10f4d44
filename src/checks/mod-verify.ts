// mod-verify: do go.sum and the module cache agree with what was published?
//
// For every module: `go mod download -json` (downloads what go.mod requires and checks each
// download against go.sum and the checksum database), then the checks of `go mod verify` (the
// extracted module cache has not been edited since download) on every module@version it listed.
// `go mod verify` alone is not enough: it never compares with go.sum and silently passes modules
// it never downloaded.
//
// Monorepos: the module cache is shared, so each module@version of the union of the modules'
// download lists is hashed once per run (src/core/modverify-cache.ts, same checks and messages as
// `go mod verify`), in parallel, and every module that uses a bad one gets a finding on its own
// go.mod line. A hundred modules no longer re-hash the same dependencies a hundred times.
//
// Vendoring: when `-mod=vendor` is in effect the build reads vendor/ and needs neither the module
// cache nor the proxy; what cannot be downloaded then is said once, as a notice, not as a failure.
//
// Read-only: `go mod download` adds missing checksums to go.sum and `go mod verify` may too, so both
// run with `-modfile=<temp>/go.mod` on a copy of go.mod/go.sum; the lines go adds to the copy tell
// which checksums the repository's go.sum lacks.
//
// Workspaces: each module is checked on its own with GOWORK=off. That is how CI usually builds one
// module, it keeps go.work.sum out of the picture (go writes it in workspace mode, and -modfile
// cannot be used there), and a workspace build checks the same downloads anyway.

import path from 'node:path';
import { parseJsonStream } from '../core/json-stream.js';
import { joinReport } from '../core/paths.js';
import { requireLine, replaceLine } from '../core/gomod.js';
import { describeFailure, type ProcessResult } from '../core/process.js';
import type { ModuleInfo } from '../core/probe.js';
import type { Check, CheckContext, CheckOutcome, Finding } from '../core/types.js';
import { createCacheVerifier, type CacheProblem, type CacheVerifier } from '../core/modverify-cache.js';
import { parseFetchError, proxyRefusal, repoModule, vendorModeOf } from '../core/modverify-errors.js';
import {
  classifyFetchError,
  copyModFiles,
  fetchHint,
  fetchProblemText,
  foldBlock,
  goErrorBlocks,
  goSumKeys,
  goSumLine,
  inModule,
  moduleOfError,
  readIfExists,
  redactUrls,
  readableModules,
} from './internal/mod-copy.js';

/** One object of `go mod download -json` (all fields omitempty; Error is a string here). */
interface DownloadJson {
  Path?: string;
  Version?: string;
  Error?: string;
  Zip?: string;
  Dir?: string;
  Sum?: string;
  GoModSum?: string;
}

/** The fields of a `checksum mismatch` text block (a base.Fatalf: no JSON is printed with it). */
export interface ChecksumMismatch {
  path: string;
  version: string;
  /** The mismatch is for the module's go.mod file (`@v/go.mod`), not its content. */
  goMod: boolean;
  downloaded: string;
  /** `go.sum`, `go.work.sum`, or the checksum database's name. */
  source: string;
  recorded: string;
}

/** Parse every `verifying X@v: checksum mismatch` block in go's stderr. */
export function parseChecksumMismatches(stderr: string): ChecksumMismatch[] {
  const out: ChecksumMismatch[] = [];
  const re = /verifying ([^\s@]+)@([^\s:/]+)(\/go\.mod)?: checksum mismatch\r?\n\s*downloaded:\s*(\S+)\r?\n\s*([^\s:]+):\s*(\S+)/g;
  for (const m of stderr.matchAll(re)) {
    out.push({ path: m[1]!, version: m[2]!, goMod: !!m[3], downloaded: m[4]!, source: m[5]!, recorded: m[6]! });
  }
  return out;
}

export interface VerifyProblem {
  path: string;
  version: string;
  what: 'dir' | 'zip' | 'ziphash';
  /** The cache path (`dir`/`zip`) or the error (`ziphash`). */
  detail: string;
}

/** Parse `go mod verify` complaints: `X v: dir has been modified (/path)`, `…: missing ziphash: …`. */
export function parseVerifyOutput(text: string): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  const re = /^(\S+) (\S+): (?:(zip|dir) has been modified \((.+)\)|missing ziphash: (.+))$/gm;
  for (const m of text.replace(/\r/g, '').matchAll(re)) {
    out.push(m[3] ? { path: m[1]!, version: m[2]!, what: m[3] as 'dir' | 'zip', detail: m[4]! } : { path: m[1]!, version: m[2]!, what: 'ziphash', detail: m[5]! });
  }
  return out;
}

/** Where a module is named in go.mod: its require line, else its replace line. */
function moduleLocation(mod: ModuleInfo, modPath: string, preferReplace = false): Pick<Finding, 'file' | 'line' | 'column'> {
  const req = requireLine(mod.directives, modPath);
  const rep = replaceLine(mod.directives, modPath);
  const d = preferReplace ? (rep ?? req) : (req ?? rep);
  return { file: mod.goModFile, ...(d ? { line: d.line, column: d.column } : {}) };
}

function failed(r: ProcessResult): boolean {
  return !!(r.spawnError || r.timedOut || r.aborted);
}

/** Module paths of go's errors that are about the network or GOPROXY=off (nothing about integrity). */
const UNREACHABLE = new Set(['offline', 'network']);

async function verifyModule(ctx: CheckContext, mod: ModuleInfo, verifier: CacheVerifier): Promise<Finding[]> {
  const findings: Finding[] = [];
  const goproxy = redactUrls(ctx.probe.goEnv.GOPROXY ?? '');
  const goSumFile = joinReport(mod.relDir, 'go.sum');
  const copy = await copyModFiles(ctx, mod, 'mod-verify');
  const env = { GOWORK: 'off' };
  const reported = new Set<string>();
  // With -mod=vendor the build never reads the module cache: what cannot be fetched is not a failure.
  const vendored = vendorModeOf(mod, ctx.probe.goEnv.GOFLAGS);
  const unverified: string[] = [];

  // Every module of the repository, also those of other shards (--shard).
  const all = ctx.probe.allModules ?? ctx.probe.modules;
  const siblings = mod.inWorkspace ? all.filter((m) => m !== mod && m.inWorkspace && m.path) : [];
  const fetchFinding = (modPath: string | undefined, version: string | undefined, text: string, command: string): Finding | undefined => {
    const sibling = modPath ? siblings.find((m) => m.path === modPath) : undefined;
    if (sibling && !replaceLine(mod.directives, sibling.path)) {
      let rel = path.relative(mod.dir, sibling.dir).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return {
        // go.work resolves it, so workspace builds work; GOWORK=off builds (and tidy) do not.
        severity: 'warning',
        message:
          `${mod.goModFile} requires ${modPath}, a module of the go.work workspace (${sibling.goModFile}), without a replace: ` +
          `outside the workspace (GOWORK=off) go downloads it and fails, so the other requirements could not be verified this way`,
        hint: `Add \`replace ${modPath} => ${rel}\` to ${mod.goModFile}, or publish ${modPath} and require a released version.`,
        ...moduleLocation(mod, modPath!),
        ruleId: 'mod-workspace-sibling',
      };
    }
    const kind = classifyFetchError(text);
    const what = modPath ? `${modPath}${version ? `@${version}` : ''}` : mod.goModFile;
    if (vendored && UNREACHABLE.has(kind)) {
      unverified.push(what);
      return undefined;
    }
    const detail = redactUrls(foldBlock(text));
    const at = modPath ? moduleLocation(mod, modPath, /\(replaced by /.test(text)) : { file: mod.goModFile };
    const refused = modPath ? proxyRefusal(text) : undefined;
    if (refused && modPath) {
      // The proxy answered: it does not serve this module or version (403/404/410).
      const own = repoModule(all, modPath);
      let rel = own ? path.relative(mod.dir, own.dir).split(path.sep).join('/') : '';
      if (own && !rel.startsWith('.')) rel = `./${rel}`;
      return {
        severity: 'error',
        message: `cannot download ${what}: the proxy does not serve ${what} (${refused}) (${command}: ${detail})`,
        hint: own
          ? `${modPath} is a module of this repository (${own.goModFile}) at a version the proxy (GOPROXY=${goproxy || 'unset'}) does not have: ` +
            `add \`replace ${modPath} => ${rel}\` to ${mod.goModFile}, or publish ${what} first.`
          : fetchHint('not-found', modPath, goproxy),
        ...at,
        ruleId: 'mod-not-served',
      };
    }
    return {
      severity: 'error',
      message: modPath
        ? `cannot download ${what}: ${fetchProblemText(kind)} (${command}: ${detail})`
        : `\`${command}\` failed for ${mod.goModFile}: ${detail}`,
      hint: modPath ? fetchHint(kind, modPath, goproxy) : fetchHint(kind === 'other' ? 'other' : kind, mod.path || '<module>', goproxy),
      ...at,
      ruleId: `mod-${kind}`,
    };
  };
  const push = (f: Finding | undefined) => {
    if (f) findings.push(f);
  };

  const dl = await ctx.go.run(['mod', 'download', '-json', `-modfile=${copy.modFile}`], { cwd: mod.dir, env, signal: ctx.signal, memo: false });
  if (failed(dl)) throw new Error(describeFailure(dl));
  const objects = parseJsonStream<DownloadJson>(dl.stdout).values.filter((o) => o && typeof o === 'object' && o.Path);

  // 1. Errors per module (the download went on for the others).
  for (const o of objects) {
    if (!o.Error) continue;
    const key = `${o.Path}@${o.Version ?? ''}`;
    reported.add(key);
    // The error may name another module than the object (`go: PKG: MOD@VER: …`, requirement chains).
    const subject = parseFetchError(o.Error);
    push(
      subject && subject.path !== o.Path
        ? fetchFinding(subject.path, subject.version, subject.rest, 'go mod download')
        : fetchFinding(o.Path, o.Version, o.Error.replace(new RegExp(`^${escapeRe(o.Path!)}@\\S+?: `), ''), 'go mod download'),
    );
  }

  // 2. Fatal errors (no JSON): checksum mismatches, graph loading failures.
  if (dl.code !== 0) {
    const mismatches = parseChecksumMismatches(dl.stderr);
    for (const mm of mismatches) findings.push(mismatchFinding(mod, mm, copy.originalSum, goSumFile, goproxy));
    if (mismatches.length === 0) {
      for (const block of goErrorBlocks(dl.stderr)) {
        const subject = parseFetchError(block);
        const who = subject ?? moduleOfError(block);
        const key = who ? `${who.path}@${who.version ?? ''}` : block;
        if (reported.has(key)) continue;
        reported.add(key);
        const rest = subject ? subject.rest : who ? block.replace(/^go: /, '').replace(/^\S+?@\S+?: /, '') : block;
        push(fetchFinding(who?.path, who?.version, rest, 'go mod download'));
      }
      if (findings.length === 0 && unverified.length === 0) {
        findings.push({ severity: 'error', message: `\`go mod download\` failed for ${mod.goModFile}: ${describeFailure(dl)}`, file: mod.goModFile, hint: `Run \`${inModule(mod, 'go mod download')}\` for the full output.` });
      }
    }
  }

  // 3. Checksums go had to add to the copy of go.sum are missing from the repository's go.sum.
  findings.push(...missingSums(mod, copy.originalSum, (await readIfExists(copy.sumFile)) ?? '', objects, vendored));

  // 4. The module cache: `go mod verify`'s checks on every module@version the download listed,
  // each hashed once per run whichever module asks first.
  const listed = objects.filter((o) => !o.Error && o.Path && o.Version);
  const problems = (await Promise.all(listed.map((o) => verifier.verify({ path: o.Path!, version: o.Version!, zip: o.Zip, dir: o.Dir })))).flat();
  for (const p of problems) findings.push(cacheFinding(mod, p));

  if (unverified.length) {
    const shown = unverified.slice(0, 5).join(', ');
    findings.push({
      severity: 'notice',
      message:
        `${mod.goModFile}: the build uses vendor/ (-mod=vendor), so it needs neither the module cache nor the proxy; ` +
        `${unverified.length} module${unverified.length === 1 ? '' : 's'} could not be compared with go.sum here because ` +
        `${/^off$/.test(ctx.probe.goEnv.GOPROXY ?? '') ? 'they are not in the module cache and GOPROXY=off forbids downloads' : 'they are not in the module cache and the proxy could not be reached'}: ` +
        `${shown}${unverified.length > 5 ? ` and ${unverified.length - 5} more` : ''}`,
      hint:
        'Nothing to fix for this build. To check go.sum against what was published, run mod-verify where the proxy is reachable ' +
        'or the module cache is restored; the vendor check compares vendor/ with go.mod.',
      file: mod.goModFile,
      ruleId: 'mod-vendor-unverified',
    });
  }
  return findings;
}

function cacheFinding(mod: ModuleInfo, p: CacheProblem): Finding {
  return {
    severity: 'error',
    message:
      p.what === 'ziphash'
        ? `the module cache entry of ${p.path}@${p.version} cannot be verified: its .ziphash is missing (${p.detail})`
        : p.what === 'error'
          ? `the module cache entry of ${p.path}@${p.version} cannot be verified: ${p.detail}`
          : `the module cache copy of ${p.path}@${p.version} has been modified since it was downloaded: ${p.what} ${p.detail}`,
    hint:
      'The local module cache is corrupt or was edited (tools writing into GOMODCACHE, -modcacherw, a restored cache): ' +
      `\`go clean -modcache && ${inModule(mod, 'go mod download')}\`; if the cache is restored from CI storage, change its key. ` +
      `(\`go mod verify\` says: ${p.goMessage})`,
    ...moduleLocation(mod, p.path),
    ruleId: 'mod-cache-modified',
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mismatchFinding(mod: ModuleInfo, mm: ChecksumMismatch, sumText: string, goSumFile: string, goproxy: string): Finding {
  const what = `${mm.path}@${mm.version}${mm.goMod ? '/go.mod' : ''}`;
  const investigate =
    `Do not "fix" this with \`go mod tidy\` or by deleting the go.sum line. Find out why the content changed: ` +
    `if the author re-tagged ${mm.path} ${mm.version}, require a new version instead; ` +
    `if your proxy (GOPROXY=${goproxy || 'unset'}) serves different content than others see, treat it as compromised; ` +
    `if only this machine sees it, the local module cache may be corrupt: \`go clean -modcache\` and retry.`;
  if (/go\.(work\.)?sum$/.test(mm.source)) {
    const line = goSumLine(sumText, mm.path, mm.version, mm.goMod);
    return {
      severity: 'error',
      message: `go.sum does not match what was downloaded for ${what}: SECURITY ERROR, the module ${mm.goMod ? 'go.mod file' : 'content'} differs from what was recorded`,
      hint: `${investigate} (go.sum records ${mm.recorded}, the download gave ${mm.downloaded}.)`,
      file: goSumFile,
      ...(line ? { line } : {}),
      ruleId: 'gosum-mismatch',
    };
  }
  return {
    severity: 'error',
    message: `the checksum database (${mm.source}) does not match what was downloaded for ${what}: SECURITY ERROR, the proxy or origin served content that differs from what was published`,
    hint: `${investigate} Do not bypass the checksum database with GONOSUMDB or GOSUMDB=off. (Checksum database: ${mm.recorded}, download: ${mm.downloaded}.)`,
    ...moduleLocation(mod, mm.path),
    ruleId: 'sumdb-mismatch',
  };
}

function missingSums(mod: ModuleInfo, before: string, after: string, objects: DownloadJson[], vendored = false): Finding[] {
  const had = goSumKeys(before);
  const missing = new Map<string, { path: string; version: string; goMod: boolean; content: boolean }>();
  const note = (path: string, version: string, goMod: boolean) => {
    const key = `${path}@${version}`;
    const e = missing.get(key) ?? { path, version, goMod: false, content: false };
    if (goMod) e.goMod = true;
    else e.content = true;
    missing.set(key, e);
  };
  for (const k of goSumKeys(after)) {
    if (had.has(k)) continue;
    const [p, v] = k.split(' ');
    if (p && v) note(p, v.replace(/\/go\.mod$/, ''), v.endsWith('/go.mod'));
  }
  // Since Go 1.17 a bare `go mod download` adds only go.mod checksums; the content checksum of a
  // direct requirement (one the code imports) is needed by every build too.
  const direct = new Set((mod.json?.Require ?? []).filter((r) => !r.Indirect).map((r) => `${r.Path}@${r.Version}`));
  for (const o of objects) {
    if (!o.Path || !o.Version || o.Error || !o.Sum) continue;
    if (direct.has(`${o.Path}@${o.Version}`) && !had.has(`${o.Path} ${o.Version}`)) note(o.Path, o.Version, false);
  }
  const findings: Finding[] = [];
  for (const e of missing.values()) {
    const parts = [e.goMod ? 'go.mod file' : '', e.content ? 'content' : ''].filter(Boolean).join(' and ');
    const ws = mod.inWorkspace;
    findings.push({
      severity: ws || vendored ? 'warning' : 'error',
      message:
        `go.sum has no checksum for the ${parts} of ${e.path}@${e.version}: ` +
        (vendored
          ? 'the vendored build (-mod=vendor) does not read go.sum, but builds with -mod=readonly or -mod=mod fail with "missing go.sum entry"'
          : ws
            ? 'builds of this module outside the go.work workspace (GOWORK=off) fail with "missing go.sum entry"'
            : 'builds fail with "missing go.sum entry"'),
      hint: `Run \`${inModule(mod, `go mod download ${e.path}`)}\` (or \`${inModule(mod, 'go mod tidy')}\`) and commit go.sum.`,
      ...moduleLocation(mod, e.path),
      ruleId: 'gosum-missing',
    });
  }
  return findings;
}

export const modVerifyCheck: Check = {
  id: 'mod-verify',
  title: 'Module checksums',
  needs: ['go', 'module', 'loadable'],
  async run(ctx: CheckContext): Promise<CheckOutcome> {
    const { mods, notes } = readableModules(ctx);
    if (mods.length === 0) return { findings: [], skipReason: 'not applicable: no go.mod that go can read', notes };
    // One verifier per run: each module@version of the shared module cache is hashed once.
    const verifier = createCacheVerifier({ gomodcache: ctx.probe.goEnv.GOMODCACHE ?? '' });
    ctx.progress?.plan(mods.map((m) => m.relDir));
    const per = await Promise.all(
      mods.map(async (m) => {
        const found = (await verifyModule(ctx, m, verifier)).map((f) => ({ ...f, module: m.relDir }));
        ctx.progress?.add(found, m.relDir);
        return found;
      }),
    );
    return { findings: per.flat(), ...(notes.length ? { notes } : {}) };
  },
};
