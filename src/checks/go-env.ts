// go-env: are the Go environment variables and caches sane? Reads the probe's `go env -json`
// (effective values, including `go env -w` settings) and the real environment, tries the caches for
// real (a temp file created and removed in each, never in the repository), and runs at most one
// cheap `go list -m` to see whether GOFLAGS parses. No network unless `probe-proxy: true`.

import { runGit } from '../core/git.js';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Check, CheckContext, Finding } from '../core/types.js';
import { buildGoVersion, type Probe } from '../core/probe.js';
import { getErrorMessage } from '../core/errors.js';
import { isInside, reportPath } from '../core/paths.js';
import {
  activeWork,
  cacheFile,
  escapeModulePath,
  moduleCacheDir,
  repositoryIdentity,
  resolvedRequires,
  type ResolvedRequire,
} from './modules.js';
import { exists } from '../core/fs-utils.js';
import { editDistance } from '../core/text.js';
import { compareGo, normalizeGoVersion } from '../core/go-version.js';
import { isPublicModuleHost, matchPrefixPatterns } from '../core/module-paths.js';


/** Code hosts where `host/<org>/...` is an owner namespace (used for "same org as this repo"). */
const ORG_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

/** Variables Go (or its runtime, or its build scripts) reads that `go env -json` may not list. */
const KNOWN_GO_VARS = [
  'GO111MODULE', 'GO386', 'GOAMD64', 'GOARCH', 'GOARM', 'GOARM64', 'GOAUTH', 'GOBIN', 'GOCACHE', 'GOCACHEPROG',
  'GOCOVERDIR', 'GODEBUG', 'GOENV', 'GOEXE', 'GOEXPERIMENT', 'GOFIPS140', 'GOFLAGS', 'GOGCCFLAGS', 'GOHOSTARCH',
  'GOHOSTOS', 'GOINSECURE', 'GOMIPS', 'GOMIPS64', 'GOMOD', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB', 'GOOS',
  'GOPATH', 'GOPPC64', 'GOPRIVATE', 'GOPROXY', 'GORISCV64', 'GOROOT', 'GOSUMDB', 'GOTELEMETRY', 'GOTELEMETRYDIR',
  'GOTMPDIR', 'GOTOOLCHAIN', 'GOTOOLDIR', 'GOVCS', 'GOVERSION', 'GOWASM', 'GOWORK', 'GOLOONG64',
  // runtime and tests
  'GOGC', 'GOMAXPROCS', 'GOMEMLIMIT', 'GOTRACEBACK', 'GORACE', 'GOROOT_FINAL', 'GOROOT_BOOTSTRAP',
  'GO_EXTLINK_ENABLED', 'GO_GCFLAGS', 'GO_LDFLAGS', 'GO_DISTFLAGS', 'GOPACKAGESDRIVER', 'GOSSAFUNC', 'GOSSADIR',
];

/** Prefixes of variables that belong to other tools (gotestsum, goreleaser, golangci-lint...). */
const TOOL_PREFIXES = ['GOTESTSUM_', 'GORELEASER_', 'GOLANGCI', 'GOLANG_', 'GOOGLE_', 'GOPLS', 'GOSEC_', 'GOOSE_', 'GOVULN', 'GOFUMPT', 'GOX_', 'GOROOT_1', 'GOPACKAGES'];

/** Misspellings seen in the wild that edit distance alone would not catch. */
const FAMOUS_TYPOS: Record<string, string> = {
  GONOSUMCHECK: 'GONOSUMDB (or GOPRIVATE)',
  GONOSUMCHECKS: 'GONOSUMDB (or GOPRIVATE)',
  GOPRIVATEREPOS: 'GOPRIVATE',
  GOPROXYS: 'GOPROXY',
  GOPROXIES: 'GOPROXY',
};

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for unit tests).



export interface ProxyEntry {
  /** As written (credentials included: never print it, use displayUrl). */
  url: string;
  kind: 'off' | 'direct' | 'url';
  /** The separator after it is `|`: fall through on any error, not just 404/410. */
  fallbackOnError: boolean;
}

export interface ProxyList {
  entries: ProxyEntry[];
  emptyEntries: number;
  /** Entries after `off`/`direct`, which go ignores. */
  ignored: string[];
  /** Entries go rejects (every download then fails). */
  invalid: Array<{ entry: string; reason: string }>;
}

/** GOPROXY parsed as modfetch/proxy.go does. */
export function parseProxyList(goproxy: string): ProxyList {
  const out: ProxyList = { entries: [], emptyEntries: 0, ignored: [], invalid: [] };
  let rest = goproxy;
  let stopped = false;
  while (rest !== '') {
    let raw: string;
    let fallbackOnError = false;
    const i = rest.search(/[,|]/);
    if (i >= 0) {
      raw = rest.slice(0, i);
      fallbackOnError = rest[i] === '|';
      rest = rest.slice(i + 1);
    } else {
      raw = rest;
      rest = '';
    }
    const entry = raw.trim();
    if (!entry) {
      if (!stopped) out.emptyEntries++;
      continue;
    }
    if (stopped) {
      out.ignored.push(entry);
      continue;
    }
    if (entry === 'off' || entry === 'direct') {
      out.entries.push({ url: entry, kind: entry, fallbackOnError });
      stopped = true; // go ignores everything after these keywords
      continue;
    }
    let url = entry;
    // Like go: something with a dot, colon or slash but no scheme gets https:// in front.
    if (/[.:/]/.test(url) && !url.includes(':/') && !path.isAbsolute(url) && !path.posix.isAbsolute(url)) url = `https://${url}`;
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (!scheme) out.invalid.push({ entry: displayUrl(entry), reason: `invalid proxy URL missing scheme: ${displayUrl(entry)}` });
    else if (!['https', 'http', 'file'].includes(scheme)) {
      out.invalid.push({ entry: displayUrl(entry), reason: `invalid proxy URL scheme (must be https, http, file): ${displayUrl(entry)}` });
    } else out.entries.push({ url, kind: 'url', fallbackOnError });
  }
  return out;
}

/** A URL without its credentials, safe to print. */
export function displayUrl(u: string): string {
  return u.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, '$1***@');
}


/** Settings whose underscore spelling (GO_PRIVATE) is a mistake rather than a variable of its own. */
const UNDERSCORE_TYPO_TARGETS = new Set([
  'GOPRIVATE', 'GONOSUMDB', 'GONOPROXY', 'GOPROXY', 'GOSUMDB', 'GOFLAGS', 'GOINSECURE', 'GO111MODULE',
  'GOTOOLCHAIN', 'GOWORK', 'GOCACHE', 'GOMODCACHE', 'GOTMPDIR', 'GOAUTH', 'GOVCS',
]);

/** The real Go variable a GO* name is probably a misspelling of, or undefined. */
export function likelyGoVarTypo(name: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(name) || !/^GO[A-Z0-9_]+$/.test(name)) return undefined;
  if (FAMOUS_TYPOS[name]) return FAMOUS_TYPOS[name];
  if (TOOL_PREFIXES.some((p) => name.startsWith(p))) return undefined;
  // Go's own variables have no underscore after GO. A name with one is usually a workflow's or a
  // tool's own variable (GO_VERSION, GO_ARCH in a matrix, GOROOT_1_22_X64 from setup-go), except
  // when it spells a setting people mean to give go (GO_PRIVATE, GO_PROXY, GO_FLAGS).
  if (name.slice(2).includes('_')) {
    const joined = name.replace(/_/g, '');
    return UNDERSCORE_TYPO_TARGETS.has(joined) ? joined : undefined;
  }
  // Short names are too close to each other to guess (GOOSE is not GOOS); allow more edits on long ones.
  const budget = name.length >= 8 ? 2 : name.length >= 6 ? 1 : 0;
  if (!budget) return undefined;
  let best: { v: string; d: number } | undefined;
  for (const k of known) {
    if (k.length < 6) continue;
    const d = editDistance(name, k);
    if (d <= budget && (!best || d < best.d)) best = { v: k, d };
  }
  return best?.v;
}

function splitGoFlags(s: string): Array<{ raw: string; name: string; value?: string }> {
  return s
    .split(/\s+/)
    .filter(Boolean)
    .map((raw) => {
      const m = /^--?([^=]+)(?:=(.*))?$/.exec(raw);
      return m ? { raw, name: m[1]!, value: m[2] } : { raw, name: '' };
    });
}

function hostOf(modulePath: string): string {
  return (modulePath.split('/')[0] ?? '').toLowerCase();
}


// ---------------------------------------------------------------------------------------------
// File-system helpers.


function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? getErrorMessage(e);
}

/**
 * Can go write in dir? Go creates GOCACHE/GOMODCACHE with MkdirAll, so the nearest existing
 * ancestor must be a writable directory. Tried by creating and removing a file, because root
 * bypasses permission bits and read-only mounts only show on write. Never writes inside `noWrite`
 * (the repository): there it only asks the OS.
 */
async function writeProblem(dir: string, opts: { mustExist: boolean; noWrite: readonly string[] }): Promise<string | undefined> {
  let cur = dir;
  let st;
  for (;;) {
    try {
      st = await fs.stat(cur);
      break;
    } catch (e) {
      const code = errCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot read ${cur}: ${code}`;
      if (opts.mustExist) return `${dir} does not exist`;
      const parent = path.dirname(cur);
      if (parent === cur) return `no part of ${dir} exists`;
      cur = parent;
    }
  }
  if (!st.isDirectory()) return `${cur} is a file, not a directory, so go cannot create ${dir}`;
  if (opts.noWrite.some((r) => isInside(r, cur))) {
    try {
      await fs.access(cur, fsConstants.W_OK);
      return undefined;
    } catch (e) {
      return `${cur} is not writable (${errCode(e)})`;
    }
  }
  const probe = path.join(cur, `.go-preflight-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const h = await fs.open(probe, 'wx');
    await h.close();
  } catch (e) {
    return `${cur} is not writable (${errCode(e)})`;
  }
  await fs.rm(probe, { force: true }).catch(() => {});
  return undefined;
}

/** The default GOPROXY/GOSUMDB of this Go distribution ($GOROOT/go.env), to tell a custom proxy from the default one. */
async function distributionDefaults(goroot: string | undefined): Promise<Record<string, string>> {
  if (!goroot) return {};
  try {
    const text = await fs.readFile(path.join(goroot, 'go.env'), 'utf8');
    const out: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) out[m[1]!] = m[2]!.trim();
    }
    return out;
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// The parts of the check.

interface State {
  ctx: CheckContext;
  goEnv: Readonly<Record<string, string>>;
  findings: Finding[];
  /** Directories the check must never write in (the repository). */
  noWrite: string[];
  requires: ResolvedRequire[];
  gomodcache?: string;
}

function where(req: ResolvedRequire): Pick<Finding, 'file' | 'line' | 'column'> {
  return { file: req.module.goModFile, ...(req.line ? { line: req.line.line, column: req.line.column } : {}) };
}

function requireText(req: ResolvedRequire): string {
  return `${req.path} ${req.version}${req.line ? ` (${req.module.goModFile} line ${req.line.line})` : ` (${req.module.goModFile})`}`;
}

async function inCache(s: State, req: ResolvedRequire): Promise<boolean> {
  if (req.target.kind !== 'module') return true;
  if (!s.gomodcache) return false;
  return exists(cacheFile(s.gomodcache, req.target.path, req.target.version, 'mod'));
}

/** Whether a module uses vendor/ for its build (go >= 1.14 with a vendor dir, unless -mod says otherwise). */
function usesVendor(req: ResolvedRequire, modFlag: string | undefined): boolean {
  if (modFlag === 'mod' || modFlag === 'readonly') return false;
  if (modFlag === 'vendor') return true;
  return req.module.hasVendorDir && !!req.module.goLine && /^1\.(1[4-9]|[2-9]\d)/.test(req.module.goLine);
}

function checkGo111Module(s: State): void {
  const { ctx, goEnv } = s;
  const v = (goEnv.GO111MODULE ?? ctx.env.GO111MODULE ?? '').trim();
  if (v === 'off' && ctx.probe.modules.length > 0) {
    s.findings.push({
      severity: 'error',
      message: 'GO111MODULE=off: go builds in GOPATH mode and ignores go.mod, so imports resolve from GOPATH/src instead of the required module versions',
      hint: 'Unset GO111MODULE (module mode is the default since Go 1.16): remove it from the workflow env, or run `go env -u GO111MODULE`.',
      ruleId: 'go111module-off',
    });
  } else if (v === 'auto') {
    const gopaths = (goEnv.GOPATH ?? '').split(path.delimiter).filter(Boolean);
    const inside = ctx.probe.modules.find((m) => gopaths.some((g) => isInside(path.join(g, 'src'), m.dir)));
    if (inside) {
      s.findings.push({
        severity: 'notice',
        message: `GO111MODULE=auto and ${inside.goModFile} sits inside GOPATH/src: go uses module mode here only because go.mod exists; a directory there without go.mod builds in GOPATH mode`,
        hint: 'Unset GO111MODULE (module mode is the default since Go 1.16): `go env -u GO111MODULE`.',
        ruleId: 'go111module-auto',
      });
    }
  }
}

async function checkGoFlags(s: State): Promise<void> {
  const { ctx, goEnv } = s;
  // The probe's `go env` ran with our read-only GOFLAGS rewrite: the user's value is the variable,
  // else the one set with `go env -w`.
  const goflags = (ctx.env.GOFLAGS || goEnv.GOFLAGS || '').trim();
  if (!goflags) return;
  const flags = splitGoFlags(goflags);
  const work = activeWork(ctx.probe);
  const modFlag = flags.filter((f) => f.name === 'mod').at(-1)?.value;

  // Ask go itself whether it accepts GOFLAGS: exactly the probe's command, so the process is shared.
  const r = await ctx.go.run(['list', '-m', '-json=Path'], { cwd: ctx.probe.modules[0]?.dir ?? ctx.dir, signal: ctx.signal, timeoutMs: 60_000 });
  const err = r.stderr.trim();
  let fatal = false;
  const parsing = /go: parsing \$GOFLAGS: (.+)/.exec(err);
  if (r.code !== 0 && parsing) {
    fatal = true;
    const bad = /unknown flag (\S+)/.exec(parsing[1]!)?.[1] ?? /non-flag "([^"]*)"/.exec(parsing[1]!)?.[1];
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS="${goflags}" makes every go command fail: go: parsing $GOFLAGS: ${parsing[1]}`,
      hint: `Remove ${bad ? `\`${bad}\`` : 'the bad entry'} from GOFLAGS (write flags as -name=value, separated by spaces): check the workflow env and \`go env GOFLAGS\`.`,
      ruleId: 'goflags-unknown',
    });
  }
  const badMod = /-mod=(\S*) not supported/.exec(err);
  if (r.code !== 0 && badMod) {
    fatal = true;
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS sets -mod=${badMod[1]}, which go rejects: "-mod=${badMod[1]} not supported (can be '', 'mod', 'readonly', or 'vendor')"`,
      hint: 'Use -mod=readonly (the default) or -mod=vendor, or remove -mod from GOFLAGS.',
      ruleId: 'goflags-mod-invalid',
    });
  }
  if (r.code !== 0 && /-race requires cgo/.test(err)) {
    fatal = true;
    s.findings.push({
      severity: 'error',
      message: 'GOFLAGS has -race but cgo is off (CGO_ENABLED=0 or no C compiler): every go command fails with "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1"',
      hint: 'Remove -race from GOFLAGS (pass it to `go test` only), or set CGO_ENABLED=1 with a C compiler installed.',
      ruleId: 'goflags-race-nocgo',
    });
  }

  // Go 1.21 accepts only -mod=readonly in workspace mode; 1.22 added workspace vendoring.
  const goVersion = buildGoVersion(ctx.probe);
  const workVendor = compareGo(normalizeGoVersion(goVersion), '1.22') >= 0;
  if (modFlag === 'vendor' && work && !workVendor) {
    s.findings.push({
      severity: 'error',
      message: `GOFLAGS=-mod=vendor while ${work.relFile} is in effect: ${goVersion} fails every go command with "go: -mod may only be set to readonly when in workspace mode, but it is set to "vendor""`,
      hint: `Remove -mod=vendor from GOFLAGS, or set GOWORK=off to build each module with its own vendor/ (workspace vendoring, \`go work vendor\`, needs Go 1.22).`,
      file: work.relFile,
      ruleId: 'goflags-mod-workspace',
    });
  } else if (modFlag === 'vendor') {
    const dirs = work
      ? [{ dir: work.dir, file: work.relFile, needs: ctx.probe.modules.some((m) => m.inWorkspace && m.json?.Require?.length) }]
      : ctx.probe.modules.map((m) => ({ dir: m.dir, file: m.goModFile, needs: !!m.json?.Require?.length }));
    for (const d of dirs) {
      if (!d.needs || (await exists(path.join(d.dir, 'vendor')))) continue;
      s.findings.push({
        severity: 'error',
        message: `GOFLAGS=-mod=vendor but ${reportPath(ctx.dir, d.dir) === '.' ? 'the module' : reportPath(ctx.dir, d.dir)} has no vendor/ directory: builds fail with "inconsistent vendoring" (${d.file} requires modules that vendor/modules.txt does not list)`,
        hint: `Remove -mod=vendor from GOFLAGS, or run \`${work ? 'go work vendor' : 'go mod vendor'}\` and commit vendor/.`,
        file: d.file,
        ruleId: 'goflags-vendor-missing',
      });
    }
  } else if (modFlag === 'mod') {
    if (work) {
      s.findings.push({
        severity: 'error',
        message: `GOFLAGS=-mod=mod while ${work.relFile} is in effect: every go command fails with "go: -mod may only be set to ${workVendor ? 'readonly or vendor' : 'readonly'} when in workspace mode, but it is set to "mod""`,
        hint: 'Remove -mod=mod from GOFLAGS, or set GOWORK=off if the workspace is not meant for this build.',
        ruleId: 'goflags-mod-workspace',
      });
    } else {
      s.findings.push({
        severity: 'warning',
        message: 'GOFLAGS=-mod=mod lets every build rewrite go.mod and go.sum and download what is missing: an untidy go.mod or missing go.sum entries pass here and fail elsewhere, and vendor/ is ignored',
        hint: 'Remove -mod=mod from GOFLAGS (the default -mod=readonly reports those problems), and run `go mod tidy` when go.mod needs an update.',
        ruleId: 'goflags-mod-mod',
      });
    }
  }

  for (const f of flags) {
    if (f.name === 'tags' && f.value) {
      s.findings.push({
        severity: 'notice',
        message: `GOFLAGS sets build tags for every go command: ${f.value.split(',').filter(Boolean).join(', ')} (files with a //go:build line excluding them are left out)`,
        ruleId: 'goflags-tags',
      });
    } else if (f.name === 'modfile') {
      s.findings.push({
        severity: 'warning',
        message: `GOFLAGS sets -modfile=${f.value ?? ''}: every go command reads that file instead of each module's go.mod`,
        hint: 'Remove -modfile from GOFLAGS; pass it to the single command that needs it.',
        ruleId: 'goflags-modfile',
      });
    } else if (f.name === 'n' && f.value !== 'false') {
      s.findings.push({
        severity: 'warning',
        message: 'GOFLAGS has -n: go build and go test only print the commands they would run, so nothing is built or tested',
        hint: 'Remove -n from GOFLAGS.',
        ruleId: 'goflags-n',
      });
    } else if (f.name === 'race' && f.value !== 'false' && !fatal) {
      s.findings.push({
        severity: 'notice',
        message: 'GOFLAGS has -race: every build is a race-detector build (needs cgo and a C compiler, several times slower)',
        ruleId: 'goflags-race',
      });
    } else if (f.name === 'a' && f.value !== 'false') {
      s.findings.push({ severity: 'notice', message: 'GOFLAGS has -a: every build recompiles all packages, ignoring the build cache', ruleId: 'goflags-a' });
    }
  }
}

async function checkProxy(s: State, list: ProxyList): Promise<void> {
  const { ctx, goEnv } = s;
  const goproxy = goEnv.GOPROXY ?? '';
  const shown = displayUrl(goproxy);
  const sepHint = 'Entries are separated by `,` (try the next one only when a proxy answers 404/410) or `|` (try the next one on any error); `direct` and `off` end the list.';

  if (goproxy.trim() && list.entries.length === 0 && list.invalid.length === 0) {
    s.findings.push({
      severity: 'error',
      message: `GOPROXY="${shown}" has no entries: every download fails with "GOPROXY list is not the empty string, but contains no entries"`,
      hint: `Unset GOPROXY to use the default, or list proxies. ${sepHint}`,
      ruleId: 'goproxy-empty',
    });
  }
  for (const bad of list.invalid) {
    s.findings.push({
      severity: 'error',
      message: `GOPROXY entry "${bad.entry}" is invalid: every download fails with "${bad.reason}"`,
      hint: `Write each proxy as an https://, http:// or file:// URL. ${sepHint}`,
      ruleId: 'goproxy-invalid',
    });
  }
  if (list.ignored.length) {
    s.findings.push({
      severity: 'warning',
      message: `GOPROXY="${shown}": ${list.ignored.join(', ')} come${list.ignored.length > 1 ? '' : 's'} after ${list.entries.at(-1)?.kind ?? 'direct'} and ${list.ignored.length > 1 ? 'are' : 'is'} never used`,
      hint: `Move \`direct\`/\`off\` to the end of GOPROXY. ${sepHint}`,
      ruleId: 'goproxy-order',
    });
  }
  if (list.emptyEntries && list.entries.length) {
    s.findings.push({
      severity: 'notice',
      message: `GOPROXY="${shown}" has ${list.emptyEntries} empty entr${list.emptyEntries > 1 ? 'ies' : 'y'} (go skips them)`,
      hint: sepHint,
      ruleId: 'goproxy-empty-entry',
    });
  }
  if (goproxy.split(/[,|]/).some((e) => /^\s*[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/@]+@/.test(e))) {
    s.findings.push({
      severity: 'warning',
      message: `GOPROXY embeds credentials in a URL (${shown}): go prints proxy URLs in its error messages, so they can end up in build logs`,
      hint: 'Put the credentials in ~/.netrc (or GOAUTH on Go 1.24+) and keep GOPROXY free of user:password@.',
      ruleId: 'goproxy-credentials',
    });
  }

  const first = list.entries[0];
  if (first?.kind === 'off') {
    const missing: ResolvedRequire[] = [];
    const modFlag = splitGoFlags(ctx.env.GOFLAGS || goEnv.GOFLAGS || '').filter((f) => f.name === 'mod').at(-1)?.value;
    await Promise.all(
      s.requires.map(async (req) => {
        if (req.target.kind !== 'module' || usesVendor(req, modFlag)) return;
        if (!(await inCache(s, req))) missing.push(req);
      }),
    );
    const byFile = new Map<string, ResolvedRequire[]>();
    for (const req of missing) byFile.set(req.module.goModFile, [...(byFile.get(req.module.goModFile) ?? []), req]);
    for (const [file, reqs] of byFile) {
      reqs.sort((a, b) => (a.line?.line ?? 0) - (b.line?.line ?? 0));
      const names = reqs.slice(0, 5).map((r) => `${r.path} ${r.version}`).join(', ');
      s.findings.push({
        severity: 'error',
        message: `GOPROXY=off but ${reqs.length} module${reqs.length > 1 ? 's' : ''} required by ${file} ${reqs.length > 1 ? 'are' : 'is'} not in the module cache (${names}${reqs.length > 5 ? ', ...' : ''}): go fails with "module lookup disabled by GOPROXY=off"`,
        hint: 'Unset GOPROXY (or list a proxy) so go can download them, or fill the module cache first: `go mod download` with network, then GOPROXY=off.',
        ...where(reqs[0]!),
        ruleId: 'goproxy-off-missing',
      });
    }
  } else if (first?.kind === 'direct') {
    s.findings.push({
      severity: 'warning',
      message: 'GOPROXY=direct: every module is fetched from its version control system (no proxy cache): slower, needs git (and hg, svn...) plus credentials, and fails when an upstream repository disappears',
      hint: `Use a proxy with direct as the fallback: unset GOPROXY for the default, or GOPROXY=<proxy URL>,direct. ${sepHint}`,
      ruleId: 'goproxy-direct',
    });
  }
}

/** Ask the first proxy for modules missing from the module cache (option probe-proxy). */
async function probeProxy(
  s: State,
  list: ProxyList,
  candidates: ResolvedRequire[],
): Promise<{ status: Map<string, number>; unreachable?: string; proxy?: ProxyEntry }> {
  const status = new Map<string, number>();
  const proxy = list.entries[0];
  if (!proxy || proxy.kind !== 'url') return { status };
  const base = proxy.url.replace(/\/+$/, '');
  let unreachable: string | undefined;
  const queue = candidates.slice(0, 50);
  const one = async (req: ResolvedRequire): Promise<void> => {
    if (unreachable || req.target.kind !== 'module') return;
    const key = `${req.target.path}@${req.target.version}`;
    if (status.has(key)) return;
    const rel = `${escapeModulePath(req.target.path)}/@v/${escapeModulePath(req.target.version)}.info`;
    if (base.startsWith('file:')) {
      status.set(key, (await exists(fileURLToPath(`${base}/${rel}`))) ? 200 : 404);
      return;
    }
    // fetch refuses URLs with credentials: send them as a header instead.
    const url = new URL(`${base}/${rel}`);
    const headers: Record<string, string> = {};
    if (url.username || url.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.any([AbortSignal.timeout(3000), s.ctx.signal]) });
      status.set(key, res.status);
      await res.body?.cancel().catch(() => {});
    } catch (e) {
      if (s.ctx.signal.aborted) throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      unreachable = (e as Error).name === 'TimeoutError' ? 'no answer within 3 s' : cause?.code ?? cause?.message ?? getErrorMessage(e);
    }
  };
  for (let i = 0; i < queue.length && !unreachable; i += 6) await Promise.all(queue.slice(i, i + 6).map(one));
  return { status, unreachable, proxy };
}

async function checkPrivate(s: State, list: ProxyList, options: { probeProxy: boolean; publicHosts: string[]; privateHosts: string[] }): Promise<void> {
  const { ctx, goEnv } = s;
  // With GOPROXY=off nothing is fetched (the goproxy-off finding covers what is missing).
  if (list.entries[0]?.kind === 'off') return;
  // Empty GONOPROXY/GONOSUMDB mean "same as GOPRIVATE".
  const gonoproxy = goEnv.GONOPROXY || goEnv.GOPRIVATE || '';
  const gonosumdb = goEnv.GONOSUMDB || goEnv.GOPRIVATE || '';
  const sumdbOff = (goEnv.GOSUMDB ?? '').trim() === 'off';
  const proxies = list.entries.filter((e) => e.kind === 'url');
  const defaults = await distributionDefaults(goEnv.GOROOT);
  const defaultFirst = defaults.GOPROXY ? parseProxyList(defaults.GOPROXY).entries[0]?.url : undefined;
  // A custom proxy (Athens, Artifactory...) may serve private modules; the default one never does.
  const firstIsDefault = !!proxies[0] && (!defaultFirst || proxies[0].url === defaultFirst);

  // Modules of this repository's owner are presumed private only when the event payload says the
  // repository is private. Unknown visibility (the CLI, other CI, no payload) is not evidence: most
  // owners on GitHub publish public modules (spf13/cobra requires spf13/pflag), and the GOPRIVATE
  // hint for a public owner would turn off checksum-database verification for its modules.
  const repo = await repositoryIdentity(ctx);
  const orgs = new Set<string>();
  if (repo && ORG_HOSTS.has(repo.host) && repo.isPrivate === true) orgs.add(`${repo.host}/${repo.owner}`.toLowerCase());
  if (repo?.isPrivate === true) {
    for (const m of ctx.probe.modules) {
      const [h, org] = m.path.toLowerCase().split('/');
      if (h && org && ORG_HOSTS.has(h)) orgs.add(`${h}/${org}`);
    }
  }

  type Suspect = { req: ResolvedRequire; why: string; glob: string; to: string };
  const suspects: Suspect[] = [];
  const seen = new Set<string>();
  for (const req of s.requires) {
    if (req.target.kind !== 'module') continue;
    const p = req.target.path;
    const key = `${req.module.goModFile}\n${p}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const host = hostOf(p);
    const lower = p.toLowerCase();
    const org = lower.split('/').slice(0, 2).join('/');
    const configured = options.privateHosts.find((h) => lower === h.toLowerCase() || lower.startsWith(`${h.toLowerCase().replace(/\/+$/, '')}/`));
    let why: string | undefined;
    let glob = host;
    if (configured) {
      why = `listed in private-hosts (${configured})`;
      glob = configured.replace(/\/+$/, '');
    } else if (!isPublicModuleHost(host, options.publicHosts)) why = `${host} is not a public module host`;
    else if (ORG_HOSTS.has(host) && orgs.has(org)) {
      why = `owned by ${org}, like this repository`;
      glob = `${p.split('/').slice(0, 2).join('/')}/*`;
    }
    if (!why) continue;
    const proxyOk = proxies.length === 0 || matchPrefixPatterns(gonoproxy, p) || !firstIsDefault;
    const sumOk = sumdbOff || matchPrefixPatterns(gonosumdb, p);
    if (proxyOk && sumOk) continue;
    // Already in the module cache: go will not ask anyone for it.
    if (await inCache(s, req)) continue;
    const to = [
      ...(proxyOk ? [] : [`the module proxy ${displayUrl(proxies[0]!.url)}`]),
      ...(sumOk ? [] : [`the checksum database (${goEnv.GOSUMDB || 'default'})`]),
    ].join(' and ');
    suspects.push({ req, why, glob, to });
  }

  let proxyStatus = new Map<string, number>();
  if (options.probeProxy) {
    const candidates: ResolvedRequire[] = [];
    for (const req of s.requires) {
      if (req.target.kind === 'module' && !matchPrefixPatterns(gonoproxy, req.target.path) && !(await inCache(s, req))) candidates.push(req);
    }
    const res = await probeProxy(s, list, candidates);
    proxyStatus = res.status;
    const shown = res.proxy ? displayUrl(res.proxy.url) : '';
    if (res.unreachable) {
      s.findings.push({
        severity: 'notice',
        message: `Could not reach the module proxy ${shown} (${res.unreachable}): the proxy probe was skipped`,
        ruleId: 'proxy-unreachable',
      });
    } else if (res.proxy) {
      const idx = list.entries.indexOf(res.proxy);
      const next = list.entries[idx + 1];
      const suspected = new Set(suspects.map((x) => `${x.req.module.goModFile}\n${x.req.target.kind === 'module' ? x.req.target.path : ''}`));
      const reported = new Set<string>();
      for (const req of candidates) {
        if (req.target.kind !== 'module') continue;
        const code = proxyStatus.get(`${req.target.path}@${req.target.version}`);
        const key = `${req.target.path}@${req.target.version}`;
        if (code === undefined || code === 200 || reported.has(key) || suspected.has(`${req.module.goModFile}\n${req.target.path}`)) continue;
        reported.add(key);
        const notFound = code === 404 || code === 410;
        // 404/410 always fall through to the next entry; other errors only after `|`.
        const fallsThrough = !!next && next.kind !== 'off' && (notFound || res.proxy.fallbackOnError);
        s.findings.push({
          severity: fallsThrough ? 'notice' : 'error',
          message: fallsThrough
            ? `The module proxy ${shown} answered ${code} for ${requireText(req)}: go falls back to ${next!.kind === 'direct' ? 'fetching it directly from its repository (needs git and access)' : displayUrl(next!.url)}`
            : `The module proxy ${shown} answered ${code} for ${requireText(req)} and GOPROXY has no fallback after it: the download fails`,
          hint: notFound
            ? `Check that ${req.target.path} ${req.target.version} exists (a typo, a deleted tag, or a private module: then set GOPRIVATE).`
            : 'Check the proxy (credentials, outage), or separate a fallback with `|` to try the next entry on any error.',
          ...where(req),
          ruleId: 'proxy-missing',
        });
      }
    }
  }

  const globs = new Set<string>(
    (goEnv.GOPRIVATE ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
  );
  const flagged: Suspect[] = [];
  for (const x of suspects) {
    if (x.req.target.kind !== 'module') continue;
    // The proxy serves it: it is public after all.
    if (proxyStatus.get(`${x.req.target.path}@${x.req.target.version}`) === 200) continue;
    flagged.push(x);
    if (![...globs].some((g) => matchPrefixPatterns(g, x.req.target.kind === 'module' ? x.req.target.path : ''))) globs.add(x.glob);
  }
  const value = [...globs].join(',');
  for (const x of flagged) {
    if (x.req.target.kind !== 'module') continue;
    const p = x.req.target.path;
    const code = proxyStatus.get(`${p}@${x.req.target.version}`);
    s.findings.push({
      severity: 'warning',
      message: `${requireText(x.req)} looks private (${x.why}) but GOPRIVATE/GONOPROXY/GONOSUMDB do not cover it: go sends its path to ${x.to}, which answer${x.to.includes(' and ') ? '' : 's'} 404/410 Gone for private modules${code ? ` (the proxy answered ${code})` : ''}`,
      hint: `Set GOPRIVATE=${value} in the workflow env (or \`go env -w GOPRIVATE=${value}\`), and give git access to the repository (e.g. a url.insteadOf rule with a token).`,
      ...where(x.req),
      ruleId: 'private-module',
    });
  }
}

function checkSumdbAndInsecure(s: State): void {
  const { goEnv } = s;
  if ((goEnv.GOSUMDB ?? '').trim() === 'off') {
    s.findings.push({
      severity: 'warning',
      message: 'GOSUMDB=off: modules new to go.sum are not checked against the checksum database, and toolchain downloads (GOTOOLCHAIN) fail',
      hint: 'Unset GOSUMDB and list private modules in GOPRIVATE (or GONOSUMDB) instead.',
      ruleId: 'gosumdb-off',
    });
  }
  const broad = (globs: string) =>
    globs
      .split(',')
      .map((g) => g.trim().replace(/\/+$/, ''))
      // `*` matches every first path element; `*.com` every host under a top-level domain.
      .filter((g) => g === '*' || /^\*\.[^./]+$/.test(g) || g.startsWith('*/'));
  for (const g of broad(goEnv.GOINSECURE ?? '')) {
    s.findings.push({
      severity: 'warning',
      message: `GOINSECURE=${goEnv.GOINSECURE} contains "${g}", which allows plain HTTP and unverified TLS for ${g === '*' ? 'every module' : `every host matching ${g}`} fetched directly`,
      hint: 'List only the hosts that need it (GOINSECURE=git.internal.example), and fix their certificates if you can.',
      ruleId: 'goinsecure-broad',
    });
  }
  for (const name of ['GOPRIVATE', 'GONOSUMDB'] as const) {
    const raw = s.ctx.env[name];
    if (!raw) continue;
    for (const g of broad(raw)) {
      s.findings.push({
        severity: 'warning',
        message: `${name}=${raw} contains "${g}": no module is checked against the checksum database${name === 'GOPRIVATE' ? ' or fetched through the proxy' : ''}`,
        hint: `List only your private prefixes (${name}=github.com/your-org/*).`,
        ruleId: 'goprivate-broad',
      });
    }
  }
}

async function checkCaches(s: State): Promise<void> {
  const { ctx, goEnv } = s;
  const gocache = goEnv.GOCACHE ?? '';
  const rawCache = ctx.env.GOCACHE;
  if (gocache === 'off' || gocache === '' || !path.isAbsolute(gocache)) {
    let message: string;
    if (rawCache?.trim() === 'off') message = 'GOCACHE=off: the build cache is required since Go 1.12, so every build fails with "build cache is disabled by GOCACHE=off, but required as of Go 1.12"';
    else if (rawCache && !path.isAbsolute(rawCache)) message = `GOCACHE=${rawCache} is a relative path: every build fails with "build cache is required, but could not be located: GOCACHE is not an absolute path"`;
    else message = 'The build cache cannot be located (GOCACHE is not set and neither XDG_CACHE_HOME nor HOME is defined): every build fails';
    s.findings.push({
      severity: 'error',
      message,
      hint: 'Set GOCACHE to an absolute, writable directory (e.g. GOCACHE=$RUNNER_TEMP/go-build), or unset it with HOME defined.',
      ruleId: 'gocache-off',
    });
  } else {
    const problem = await writeProblem(gocache, { mustExist: false, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOCACHE=${gocache} is not usable (${problem}): every build fails with "failed to initialize build cache at ${gocache}"`,
        hint: 'Point GOCACHE at a writable directory (e.g. GOCACHE=$RUNNER_TEMP/go-build), or fix its permissions.',
        ruleId: 'gocache-unwritable',
      });
    }
  }

  const modcache = s.gomodcache;
  if (!modcache) {
    s.findings.push({
      severity: 'error',
      message: 'The module cache cannot be located (neither GOMODCACHE nor GOPATH is set): go fails with "module cache not found"',
      hint: 'Set GOMODCACHE (or GOPATH, or HOME) to an absolute, writable directory.',
      ruleId: 'gomodcache-missing',
    });
  } else if (!path.isAbsolute(modcache)) {
    s.findings.push({
      severity: 'error',
      message: `GOMODCACHE=${modcache} is a relative path: go fails with "GOMODCACHE entry is relative; must be absolute path"`,
      hint: 'Set GOMODCACHE to an absolute directory, or unset it (default: $GOPATH/pkg/mod).',
      ruleId: 'gomodcache-relative',
    });
  } else {
    // Only the top of the module cache: its contents are read-only by design.
    const problem = await writeProblem(modcache, { mustExist: false, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOMODCACHE=${modcache} is not usable (${problem}): downloads fail`,
        hint: 'Point GOMODCACHE at a writable directory, or fix its permissions (`go clean -modcache` removes a broken cache).',
        ruleId: 'gomodcache-unwritable',
      });
    }
  }

  const tmp = (goEnv.GOTMPDIR ?? ctx.env.GOTMPDIR ?? '').trim();
  if (tmp) {
    const problem = !path.isAbsolute(tmp) ? `${tmp} is a relative path` : await writeProblem(tmp, { mustExist: true, noWrite: s.noWrite });
    if (problem) {
      s.findings.push({
        severity: 'error',
        message: `GOTMPDIR=${tmp} is not usable (${problem}): every build fails with "go: creating work dir"`,
        hint: 'Unset GOTMPDIR, or point it at an existing, writable, absolute directory (go does not create it).',
        ruleId: 'gotmpdir-unusable',
      });
    }
  }
}

async function checkWork(s: State): Promise<void> {
  const { ctx, goEnv } = s;
  const gowork = goEnv.GOWORK ?? '';
  if (!gowork || gowork === 'off') return;
  const fromEnv = !!ctx.env.GOWORK && ctx.env.GOWORK !== 'off';
  if (!(await exists(gowork))) {
    s.findings.push({
      severity: 'error',
      message: `GOWORK=${gowork} does not exist: every go command fails with "go: reading go.work: open ${gowork}: no such file or directory"`,
      hint: 'Unset GOWORK (or set GOWORK=off), or point it at an existing go.work file.',
      ruleId: 'gowork-missing',
    });
    return;
  }
  const rel = reportPath(ctx.dir, gowork);
  const modules = ctx.probe.modules.filter((m) => m.inWorkspace).map((m) => m.goModFile);
  const inEffect = `builds use the workspace modules${modules.length ? ` (${modules.join(', ')})` : ''} instead of the versions go.mod requires`;
  if (fromEnv) {
    s.findings.push({ severity: 'notice', message: `GOWORK=${gowork} puts the build in workspace mode: ${inEffect}`, ruleId: 'gowork-env' });
    return;
  }
  const root = ctx.probe.git.isRepo ? ctx.probe.git.root : undefined;
  let tracked: boolean | undefined;
  if (root && isInside(root, gowork)) {
    const r = await runGit(['ls-files', '--error-unmatch', '--', reportPath(root, gowork)], {
      exec: ctx.exec,
      cwd: root,
      env: ctx.env,
      signal: ctx.signal,
      timeoutMs: 30_000,
    });
    if (r.code === 0) tracked = true;
    else if (r.code === 1) tracked = false;
  }
  const outsideDir = !isInside(ctx.dir, gowork);
  if (tracked === true && !outsideDir) {
    s.findings.push({ severity: 'notice', message: `${rel} is committed and in effect: ${inEffect}`, file: rel, ruleId: 'gowork-committed' });
  } else if (tracked === true) {
    s.findings.push({
      severity: 'notice',
      message: `${rel} (above the inspected directory) is committed and in effect: ${inEffect}`,
      file: rel,
      ruleId: 'gowork-committed',
    });
  } else if (outsideDir) {
    s.findings.push({
      severity: 'warning',
      message: `${gowork}, outside ${root && isInside(root, gowork) ? 'the inspected directory and not tracked by git' : ctx.probe.git.isRepo ? 'this repository' : 'the inspected directory'}, puts this build in workspace mode: ${inEffect}. A CI checkout would not have it`,
      hint: 'Set GOWORK=off for this build (or remove that go.work) if the workspace is not intended.',
      ruleId: 'gowork-inherited',
    });
  } else if (tracked === false) {
    s.findings.push({
      severity: 'warning',
      message: `${rel} is not tracked by git but in effect: this run ${inEffect}, while a CI checkout would not have the file`,
      hint: 'Set GOWORK=off to build like CI, or commit go.work if the workspace is intended.',
      file: rel,
      ruleId: 'gowork-untracked',
    });
  } else {
    s.findings.push({ severity: 'notice', message: `${rel} is in effect: ${inEffect}`, file: rel, ruleId: 'gowork-committed' });
  }
}

async function checkGobin(s: State): Promise<void> {
  const { ctx, goEnv } = s;
  // (A GOROOT that does not hold the go on PATH is the toolchain check's finding.)
  const real = async (p: string) => fs.realpath(p).catch(() => path.resolve(p));
  const samePath = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const gobin = (goEnv.GOBIN ?? '').trim();
  if (gobin) {
    const pathVar = ctx.env.PATH ?? ctx.env.Path ?? '';
    const want = await real(gobin);
    const dirs = await Promise.all(pathVar.split(path.delimiter).filter(Boolean).map(real));
    if (!dirs.some((d) => samePath(d, want))) {
      s.findings.push({
        severity: 'warning',
        message: `GOBIN=${gobin} is not on PATH: tools installed with \`go install\` will not be found by later steps`,
        hint: `Add it to PATH (in a workflow: echo "${gobin}" >> "$GITHUB_PATH"), or unset GOBIN.`,
        ruleId: 'gobin-not-on-path',
      });
    }
  }
}

/**
 * The Go release that added each GOEXPERIMENT (the go-preflight authors' reading of the release
 * notes and src/internal/goexperiment); an experiment a release does not know fails every go command.
 */
const EXPERIMENT_SINCE: Record<string, string> = {
  regabiwrappers: '1.17', regabiargs: '1.17', fieldtrack: '1.5', preemptibleloops: '1.10', staticlockranking: '1.15',
  boringcrypto: '1.19', heapminimum512kib: '1.19', arenas: '1.20', coverageredesign: '1.20', cgocheck2: '1.21',
  loopvar: '1.21', cacheprog: '1.21', pagetrace: '1.21', allocheaders: '1.22', exectracer2: '1.22', newinliner: '1.22',
  rangefunc: '1.22', aliastypeparams: '1.23', swissmap: '1.24', spinbitmutex: '1.24', synctest: '1.24',
  synchashtriemap: '1.24', dwarf5: '1.25', greenteagc: '1.25', jsonv2: '1.25', goroutineleakprofile: '1.26',
  randomizedheapbase64: '1.26', runtimefreegc: '1.26', runtimesecret: '1.26', simd: '1.26', sizespecializedmalloc: '1.26',
};

/** The experiments this Go knows: $GOROOT/src/internal/goexperiment/exp_<name>_on.go. */
async function knownExperiments(goroot: string | undefined): Promise<string[]> {
  if (!goroot) return [];
  const names = await fs.readdir(path.join(goroot, 'src', 'internal', 'goexperiment')).catch(() => [] as string[]);
  return names.map((n) => /^exp_([a-z0-9]+)_on\.go$/.exec(n)?.[1]).filter((n): n is string => !!n).sort();
}

/** The environment makes every go command fail (the probe could read `go env` only without the variable). */
async function checkBrokenEnv(s: State): Promise<void> {
  const bad = s.ctx.probe.envError;
  if (!bad?.variable || bad.variable === 'GOFLAGS') return; // GOFLAGS: checkGoFlags quotes go
  const running = s.ctx.probe.go.version;
  if (bad.variable === 'GOEXPERIMENT') {
    const known = await knownExperiments(s.goEnv.GOROOT);
    const unknown = (bad.value ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => x.replace(/^no(?=[a-z])/, ''))
      .filter((x) => !known.includes(x) && x !== 'none');
    const parts = unknown.map((x) => {
      const since = EXPERIMENT_SINCE[x];
      const near = known.filter((k) => editDistance(k, x) <= 2);
      if (since && compareGo(normalizeGoVersion(running), since) < 0) return `${x} needs Go ${since} or newer`;
      if (since) return `${x} was added in Go ${since} but is no experiment of ${running} any more (removed, or now the default)`;
      return `${x} is not an experiment of any Go release${near.length ? ` (did you mean ${near.join(' or ')}?)` : ' (a typo?)'}`;
    });
    const where = bad.file ? ` (set with \`go env -w\` in ${bad.file}: \`go env -u GOEXPERIMENT\` removes it)` : '';
    s.findings.push({
      severity: 'error',
      message: `GOEXPERIMENT=${bad.value}${where} makes every go command fail with "${bad.reason}": ${running} does not know ${unknown.length > 1 ? 'these experiments' : 'this experiment'}${parts.length ? `: ${parts.join('; ')}` : ''}`,
      hint: `Remove ${unknown.join(', ') || 'it'} from GOEXPERIMENT for ${running}${unknown.some((x) => EXPERIMENT_SINCE[x] && compareGo(normalizeGoVersion(running), EXPERIMENT_SINCE[x]!) < 0) ? ', or run a Go that has the experiment (actions/setup-go)' : ''}. ${running} knows: ${known.join(', ') || 'see `go doc internal/goexperiment`'}.`,
      ruleId: 'goexperiment-unknown',
    });
    return;
  }
  s.findings.push({
    severity: 'error',
    message: `${bad.variable}=${bad.value}${bad.file ? ` (set with \`go env -w\` in ${bad.file})` : ''} makes every go command fail: ${bad.reason}`,
    hint: `Fix or unset ${bad.variable} (in the workflow env, or \`go env -u ${bad.variable}\`).`,
    ruleId: 'goenv-broken',
  });
}

/**
 * `go build` of a main package stamps VCS information (-buildvcs=auto) by running git in the
 * repository; when git refuses the repository ("detected dubious ownership", a checkout owned by
 * another user, common in container jobs) the build fails with "error obtaining VCS status".
 * go-preflight's own git calls only skip in that case, so this is where the build's failure shows.
 */
async function checkVcsStamping(s: State): Promise<void> {
  const { ctx, goEnv } = s;
  const at = ctx.probe.git.dubiousOwnership;
  if (!at) return;
  const goflags = splitGoFlags(ctx.env.GOFLAGS || goEnv.GOFLAGS || '');
  const buildvcs = goflags.filter((f) => f.name === 'buildvcs').at(-1);
  if (buildvcs && buildvcs.value === 'false') return;
  for (const m of ctx.probe.modules) {
    if (m.parseError) continue;
    // Which packages are main packages: go's answer, for the patterns the build compiles.
    const list = await ctx.go.run(['list', '-e', '-f', '{{if eq .Name "main"}}{{.ImportPath}}{{end}}', '--', ...ctx.settings.packages], { cwd: m.dir, signal: ctx.signal, timeoutMs: 120_000 });
    const mains = list.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (!mains.length) continue;
    // Ask go whether stamping fails: `go build -n` plans the build (nothing compiled or written).
    // The output path is a temporary file, never the null device: as root, a go that did write
    // would rename its output over /dev/null.
    const out = path.join(await ctx.tempDir('buildvcs'), 'out');
    const plan = await ctx.go.run(['build', '-n', '-o', out, '--', mains[0]!], { cwd: m.dir, signal: ctx.signal, timeoutMs: 120_000 });
    const err = /error obtaining VCS status[^\n]*/.exec(plan.stderr)?.[0];
    if (!err) continue;
    const shown = mains.slice(0, 3).join(', ') + (mains.length > 3 ? ` and ${mains.length - 3} more` : '');
    s.findings.push({
      severity: 'error',
      message: `git refuses the repository at ${at} ("detected dubious ownership": another user owns it), so \`go build\` of the main package${mains.length > 1 ? 's' : ''} ${shown} fails: "${err.trim()}" (go stamps VCS information into binaries)`,
      hint: `Trust the checkout before the build: \`git config --global --add safe.directory ${at}\` (in a container job, run it after actions/checkout), or build without VCS stamping: add -buildvcs=false to GOFLAGS.`,
      file: m.goModFile,
      module: m.relDir,
      ruleId: 'buildvcs-dubious-ownership',
    });
    return; // one cause, one finding
  }
}

/** Settings a Go release added; older releases ignore them silently. */
const SETTING_SINCE: Array<{ name: string; since: string; effect: string }> = [
  { name: 'GOARM64', since: '1.23', effect: 'arm64 builds target the baseline v8.0' },
  { name: 'GORISCV64', since: '1.23', effect: 'riscv64 builds target the baseline rva20u64' },
  { name: 'GOAUTH', since: '1.24', effect: 'go fetches private modules with .netrc and git credentials only' },
  { name: 'GOFIPS140', since: '1.24', effect: 'the FIPS 140-3 module is not selected' },
  { name: 'GOCACHEPROG', since: '1.24', effect: 'the build cache stays local (Go 1.21-1.23 only read it with GOEXPERIMENT=cacheprog)' },
];

/** A setting the Go that builds does not know does nothing, silently: say so with the version that added it. */
function checkUnknownSettings(s: State): void {
  const goVersion = buildGoVersion(s.ctx.probe);
  const v = normalizeGoVersion(goVersion);
  for (const x of SETTING_SINCE) {
    const value = (s.ctx.env[x.name] ?? '').trim();
    if (!value || compareGo(v, x.since) >= 0) continue;
    s.findings.push({
      severity: 'warning',
      message: `${x.name}=${value} is set but ${goVersion} does not know ${x.name} (added in Go ${x.since}): it has no effect, so ${x.effect}`,
      hint: `Build with Go ${x.since} or newer (actions/setup-go), or remove ${x.name}.`,
      ruleId: 'goenv-too-new',
    });
  }
}

function checkTypos(s: State): void {
  const known = new Set([...Object.keys(s.goEnv), ...KNOWN_GO_VARS]);
  for (const name of Object.keys(s.ctx.env).sort()) {
    if (s.ctx.env[name] === undefined) continue;
    const upper = process.platform === 'win32' ? name.toUpperCase() : name;
    const meant = likelyGoVarTypo(upper, known);
    if (!meant) continue;
    s.findings.push({
      severity: 'warning',
      message: `${name} is not a Go environment variable: it does nothing (did you mean ${meant}?)`,
      hint: `Rename it to ${meant.split(' ')[0]} (check \`go env\` for the variables go reads).`,
      ruleId: 'goenv-typo',
    });
  }
}

export const goEnvCheck: Check = {
  id: 'go-env',
  title: 'Go environment',
  needs: ['go'],
  options: {
    'probe-proxy': {
      type: 'boolean',
      default: false,
      description:
        'Ask the first GOPROXY entry (3 s timeout per request, at most 50 modules) whether it serves the required modules missing from the module cache. Sends the paths of modules not covered by GONOPROXY to that proxy, as go itself would.',
    },
    'public-hosts': {
      type: 'array',
      items: { type: 'string', description: 'a host, e.g. go.example.org' },
      default: [],
      description: 'Extra module hosts served by the public module proxy (modules on other unknown hosts are presumed private).',
    },
    'private-hosts': {
      type: 'array',
      items: { type: 'string', description: 'a module path prefix, e.g. github.com/acme' },
      default: [],
      description: 'Module path prefixes (host or host/org) whose modules are private even though the host is public.',
    },
  },
  async run(ctx) {
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
    const options = {
      probeProxy: ctx.options['probe-proxy'] === true,
      publicHosts: strings(ctx.options['public-hosts']),
      privateHosts: strings(ctx.options['private-hosts']),
    };
    const goEnv = ctx.probe.goEnv;
    const s: State = {
      ctx,
      goEnv,
      findings: [],
      noWrite: [ctx.dir, ...(ctx.probe.git.root ? [ctx.probe.git.root] : [])],
      requires: resolvedRequires(ctx.probe),
      gomodcache: moduleCacheDir(goEnv),
    };
    const list = parseProxyList(goEnv.GOPROXY ?? '');
    checkGo111Module(s);
    checkSumdbAndInsecure(s);
    checkTypos(s);
    checkUnknownSettings(s);
    await Promise.all([checkBrokenEnv(s), checkVcsStamping(s), checkGoFlags(s), checkProxy(s, list), checkPrivate(s, list, options), checkCaches(s), checkWork(s), checkGobin(s)]);
    // The probe could read the variables but not run a full `go env`: if no finding above names the
    // cause, say what go said.
    const goEnvError = ctx.probe.goEnvError;
    if (goEnvError && !s.findings.some((f) => f.severity === 'error')) {
      // The variables go's message names that the environment sets (`unsupported GOOS/GOARCH pair`).
      const named = [...new Set([...goEnvError.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]!))].filter((v) => ctx.env[v]);
      const shown = named.map((v) => `${v}=${ctx.env[v]}`).join(' ');
      s.findings.push({
        severity: 'error',
        message: `go cannot build in this environment${shown ? ` (${shown})` : ''}: ${goEnvError}`,
        hint: `Fix ${named.length ? named.join(' or ') : 'the variable go names'} (\`go env\` shows the values in effect), then run go-preflight again.`,
        ruleId: 'goenv-broken',
      });
    }
    return { findings: s.findings };
  },
};
