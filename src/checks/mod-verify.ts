// mod-verify: do go.sum and the module cache agree with what was published?
//
// For every module: `go mod download -json` (downloads what go.mod requires and checks each
// download against go.sum and the checksum database), then `go mod verify` (checks that the
// extracted module cache has not been edited since download). `go mod verify` alone is not enough:
// it never compares with go.sum and silently passes modules it never downloaded.
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

async function verifyModule(ctx: CheckContext, mod: ModuleInfo): Promise<Finding[]> {
  const findings: Finding[] = [];
  const goproxy = redactUrls(ctx.probe.goEnv.GOPROXY ?? '');
  const goSumFile = joinReport(mod.relDir, 'go.sum');
  const copy = await copyModFiles(ctx, mod, 'mod-verify');
  const env = { GOWORK: 'off' };
  const reported = new Set<string>();

  const siblings = mod.inWorkspace ? ctx.probe.modules.filter((m) => m !== mod && m.inWorkspace && m.path) : [];
  const fetchFinding = (modPath: string | undefined, version: string | undefined, text: string, command: string): Finding => {
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
    const detail = redactUrls(foldBlock(text));
    const at = modPath ? moduleLocation(mod, modPath, /\(replaced by /.test(text)) : { file: mod.goModFile };
    const what = modPath ? `${modPath}${version ? `@${version}` : ''}` : mod.goModFile;
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

  const dl = await ctx.go.run(['mod', 'download', '-json', `-modfile=${copy.modFile}`], { cwd: mod.dir, env, signal: ctx.signal, memo: false });
  if (failed(dl)) throw new Error(describeFailure(dl));
  const objects = parseJsonStream<DownloadJson>(dl.stdout).values.filter((o) => o && typeof o === 'object' && o.Path);

  // 1. Errors per module (the download went on for the others).
  for (const o of objects) {
    if (!o.Error) continue;
    const key = `${o.Path}@${o.Version ?? ''}`;
    reported.add(key);
    findings.push(fetchFinding(o.Path, o.Version, o.Error.replace(new RegExp(`^${escapeRe(o.Path!)}@\\S+?: `), ''), 'go mod download'));
  }

  // 2. Fatal errors (no JSON): checksum mismatches, graph loading failures.
  if (dl.code !== 0) {
    const mismatches = parseChecksumMismatches(dl.stderr);
    for (const mm of mismatches) findings.push(mismatchFinding(mod, mm, copy.originalSum, goSumFile, goproxy));
    if (mismatches.length === 0) {
      for (const block of goErrorBlocks(dl.stderr)) {
        const who = moduleOfError(block);
        const key = who ? `${who.path}@${who.version ?? ''}` : block;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push(fetchFinding(who?.path, who?.version, who ? block.replace(/^go: /, '').replace(/^\S+?@\S+?: /, '') : block, 'go mod download'));
      }
      if (findings.length === 0) {
        findings.push({ severity: 'error', message: `\`go mod download\` failed for ${mod.goModFile}: ${describeFailure(dl)}`, file: mod.goModFile, hint: `Run \`${inModule(mod, 'go mod download')}\` for the full output.` });
      }
    }
  }

  // 3. Checksums go had to add to the copy of go.sum are missing from the repository's go.sum.
  findings.push(...missingSums(mod, copy.originalSum, (await readIfExists(copy.sumFile)) ?? '', objects));

  // 4. The module cache: only meaningful once the download succeeded (it then covers every module).
  if (dl.code === 0) {
    const vr = await ctx.go.run(['mod', 'verify', `-modfile=${copy.modFile}`], { cwd: mod.dir, env, signal: ctx.signal, memo: false });
    if (failed(vr)) throw new Error(describeFailure(vr));
    if (vr.code !== 0) {
      const problems = parseVerifyOutput(`${vr.stdout}\n${vr.stderr}`);
      for (const p of problems) {
        findings.push({
          severity: 'error',
          message:
            p.what === 'ziphash'
              ? `the module cache entry of ${p.path}@${p.version} cannot be verified: its .ziphash is missing (${p.detail})`
              : `the module cache copy of ${p.path}@${p.version} has been modified since it was downloaded: ${p.what} ${p.detail}`,
          hint:
            'The local module cache is corrupt or was edited (tools writing into GOMODCACHE, -modcacherw, a restored cache): ' +
            `\`go clean -modcache && ${inModule(mod, 'go mod download')}\`; if the cache is restored from CI storage, change its key.`,
          ...moduleLocation(mod, p.path),
          ruleId: 'mod-cache-modified',
        });
      }
      if (problems.length === 0) {
        for (const block of goErrorBlocks(vr.stderr)) {
          const who = moduleOfError(block);
          const key = who ? `${who.path}@${who.version ?? ''}` : block;
          if (reported.has(key)) continue;
          reported.add(key);
          findings.push(fetchFinding(who?.path, who?.version, who ? block.replace(/^go: /, '').replace(/^\S+?@\S+?: /, '') : block, 'go mod verify'));
        }
      }
    }
  }
  return findings;
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

function missingSums(mod: ModuleInfo, before: string, after: string, objects: DownloadJson[]): Finding[] {
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
      severity: ws ? 'warning' : 'error',
      message:
        `go.sum has no checksum for the ${parts} of ${e.path}@${e.version}: ` +
        (ws
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
    const per = await Promise.all(mods.map((m) => verifyModule(ctx, m)));
    return { findings: per.flat(), ...(notes.length ? { notes } : {}) };
  },
};
