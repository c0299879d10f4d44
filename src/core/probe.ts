// The shared probe: computed once per run, read by every check. It runs `go env -json`, reads every
// go.mod (with `go mod edit -json`) and the go.work, and collects git facts, all concurrently.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GoRunner } from './go.js';
import type { ProcessRunner } from './process.js';
import { describeFailure } from './process.js';
import { parseJsonObject } from './json-stream.js';
import { parseModDirectives, type Directive } from './gomod.js';
import { compareGo, isReleaseVersion, isValidGoVersion, normalizeGoVersion } from './go-version.js';
import { reportPath } from './paths.js';
import type { Target } from './types.js';
import { exists, findGitRoot, isDirectory } from './fs-utils.js';
import { runGit } from './git.js';
import { ConfigurationError } from './errors.js';
import { checkRepoDir, checkRepoFile, describeUnsafeRead, READ_LIMITS, tryReadRepoFile } from './safe-read.js';

export interface GoModJson {
  Module?: { Path: string; Deprecated?: string };
  Go?: string;
  Toolchain?: string;
  Godebug?: Array<{ Key: string; Value: string }>;
  Require?: Array<{ Path: string; Version: string; Indirect?: boolean }>;
  Exclude?: Array<{ Path: string; Version: string }>;
  Replace?: Array<{ Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }>;
  Retract?: Array<{ Low: string; High: string; Rationale?: string }>;
  Tool?: Array<{ Path: string }>;
}

export interface GoWorkJson {
  Go?: string;
  Toolchain?: string;
  Use?: Array<{ DiskPath: string; ModulePath?: string }>;
  Replace?: GoModJson['Replace'];
}

export interface ModuleInfo {
  /** Absolute directory holding go.mod. */
  dir: string;
  /** Directory relative to the inspected dir, forward slashes, `.` for the root. */
  relDir: string;
  /** Report path of the go.mod file (`go.mod`, `tools/go.mod`). */
  goModFile: string;
  /** Module path (`example.com/app`), or '' when go.mod has no module line. */
  path: string;
  /** `go mod edit -json`, undefined when it failed (see parseError). */
  json?: GoModJson;
  parseError?: string;
  /**
   * Set (with parseError, so every check leaves the module alone) when go.mod, go.sum or
   * vendor/modules.txt is not a regular file of the repository (a symlink out of it, a FIFO, a
   * device): go would follow it and print what it found there. The sentence says which file.
   */
  refused?: string;
  /** go.mod text and its directives with positions. */
  text: string;
  directives: Directive[];
  /** The `go` line (from json, else from the text), e.g. `1.22.0`; undefined when absent. */
  goLine?: string;
  toolchainLine?: string;
  /** Listed in the go.work `use` directives. */
  inWorkspace: boolean;
  /** `vendor/` directory exists next to go.mod. */
  hasVendorDir: boolean;
  /**
   * The Go version (`go1.22.12`) that go commands run in this module when GOTOOLCHAIN lets go switch
   * to a toolchain other than the running one; undefined when they run the running Go.
   */
  buildGo?: string;
}

export interface WorkInfo {
  /** Absolute path of go.work. */
  file: string;
  /** Report path (may start with `../` when go.work is above the inspected dir). */
  relFile: string;
  dir: string;
  json?: GoWorkJson;
  parseError?: string;
  text: string;
  directives: Directive[];
  goLine?: string;
  toolchainLine?: string;
}

export interface GitFacts {
  isRepo: boolean;
  /** Absolute top level of the work tree. */
  root?: string;
  shallow?: boolean;
  /** Commit id of HEAD (absent in a repo without commits). */
  head?: string;
  /** Why git could not answer (not installed, dubious ownership...), when it is not simply "not a repo". */
  error?: string;
  /**
   * Set when git refuses the repository because another user owns it ("detected dubious
   * ownership"): the directory git names, the one to list in `safe.directory`.
   */
  dubiousOwnership?: string;
}

export interface GoFacts {
  available: boolean;
  /** Absolute path of the `go` found on PATH. */
  bin?: string;
  /** `go1.26.8` (GOVERSION), or `unknown`. */
  version: string;
  /** Why go is unusable (not found, crashed...). */
  error?: string;
}

export interface Probe {
  go: GoFacts;
  /** `go env -json` with GOTOOLCHAIN=local, run in the inspected dir. */
  goEnv: Record<string, string>;
  /** The user's GOTOOLCHAIN setting (environment, `go env -w`, or GOROOT/go.env), not our `local`. */
  userGoToolchain: string;
  /** `go env GOOS`/`GOARCH` (the default target). */
  host: Target;
  modules: ModuleInfo[];
  /**
   * Every module of the repository when `modules` holds only this shard's (`--shard I/N`); absent
   * otherwise. For what a module-level check must know of the others (workspace siblings, which
   * module owns a path).
   */
  allModules?: ModuleInfo[];
  work?: WorkInfo;
  git: GitFacts;
  /**
   * Set when the full `go env -json` failed but the named variables could be read (GOCACHE=off or
   * uncreatable, GOTMPDIR missing...): the first line of go's error. The go-env check explains it.
   */
  goEnvError?: string;
  /** Whether `go` can load the modules at all (Go new enough, toolchain available). */
  loadable: { ok: boolean; reason?: string };
  /**
   * Set when the environment makes every go command fail (an unknown GOEXPERIMENT, a GOFLAGS that
   * does not parse, GOCACHE=off...): checks that need a sane environment skip ("prerequisite
   * failed: go-env") and the go-env check says why, once.
   */
  envError?: { reason: string; variable?: string; value?: string; file?: string };
  /**
   * GOTOOLCHAIN lets go switch (auto, path, goX+auto...) and a go.mod/go.work selects a toolchain
   * other than the running one. `ok`: every selected toolchain was found (downloaded into the
   * module cache, as the build is about to), and later go commands switch as the build does.
   */
  toolchainSwitch?: ToolchainSwitch;
}

export interface ToolchainSwitch {
  /** The user's GOTOOLCHAIN value in effect. */
  gotoolchain: string;
  ok: boolean;
  /** One entry per go.mod/go.work that selects another toolchain. */
  selections: Array<{
    /** Report path of the go.mod/go.work that decides. */
    file: string;
    dir: string;
    /** What go selects, e.g. `go1.22.12`. */
    toolchain: string;
    /** Why: the line that asks for it (`go 1.22.12`, `toolchain go1.23.4`, or the GOTOOLCHAIN minimum). */
    because: string;
    /** go's error when the toolchain cannot be had (first lines, progress dropped). */
    error?: string;
  }>;
}

/**
 * `go env` variables that go reports without computing the cgo flags. A plain `go env -json` also
 * computes those (CGO_CFLAGS..., GOGCCFLAGS), which needs the build cache and a work dir, so it
 * exits 1 when GOCACHE is off/relative/uncreatable or GOTMPDIR is missing (seen with go1.26).
 * Unknown names print as "" on older Go.
 */
const CHEAP_GO_ENV = [
  'AR', 'CC', 'CGO_ENABLED', 'CXX', 'GCCGO', 'GO111MODULE', 'GO386', 'GOAMD64', 'GOARCH', 'GOARM', 'GOARM64',
  'GOAUTH', 'GOBIN', 'GOCACHE', 'GOCACHEPROG', 'GODEBUG', 'GOENV', 'GOEXE', 'GOEXPERIMENT', 'GOFIPS140', 'GOFLAGS',
  'GOHOSTARCH', 'GOHOSTOS', 'GOINSECURE', 'GOMIPS', 'GOMIPS64', 'GOMOD', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB',
  'GOOS', 'GOPATH', 'GOPPC64', 'GOPRIVATE', 'GOPROXY', 'GORISCV64', 'GOROOT', 'GOSUMDB', 'GOTELEMETRY',
  'GOTELEMETRYDIR', 'GOTMPDIR', 'GOTOOLCHAIN', 'GOTOOLDIR', 'GOVCS', 'GOVERSION', 'GOWASM', 'GOWORK',
];

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

/** Every go.mod under dir, skipping vendor/, testdata/, node_modules/ and dirs starting with `.` or `_` (as `./...` does). */
export async function discoverGoMods(dir: string, limit = 2000): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    if (found.length >= limit || depth > 30) return;
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.isFile() && e.name === 'go.mod') found.push(d);
      else if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_')) {
        subdirs.push(path.join(d, e.name));
      }
    }
    await Promise.all(subdirs.map((s) => walk(s, depth + 1)));
  };
  await walk(dir, 0);
  return found.sort();
}

function hostFromNode(): Target {
  const goos = process.platform === 'win32' ? 'windows' : process.platform;
  const archMap: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { goos, goarch: archMap[process.arch] ?? process.arch };
}

function directiveValue(dirs: Directive[], verb: string): string | undefined {
  return dirs.find((d) => d.verb === verb)?.args[0];
}



export async function gitFacts(exec: ProcessRunner, dir: string, env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<GitFacts> {
  const git = (args: string[]) => runGit(args, { exec, cwd: dir, env, signal, timeoutMs: 30_000 });
  const r = await git(['rev-parse', '--show-toplevel', '--is-shallow-repository']);
  // Only "not a git repository" means there is nothing to look at; a git that is missing, killed,
  // hung or refusing is an error when the directory is in a work tree (a .git above it).
  const inTree = async () => (await findGitRoot(dir)) !== undefined;
  if (r.spawnError) {
    if (!(await inTree())) return { isRepo: false };
    return { isRepo: false, error: r.spawnError.code === 'ENOENT' ? 'git is not installed (not found on PATH), but the directory is in a git work tree' : describeFailure(r) };
  }
  if (r.code !== 0) {
    const err = r.stderr.trim();
    if (r.code === 128 && /not a git repository/i.test(err)) return { isRepo: false };
    if (/dubious ownership/i.test(err)) {
      // `fatal: detected dubious ownership in repository at '/path'` names the directory to trust.
      const at = /dubious ownership in repository at '([^'\n]+)'/i.exec(err)?.[1] ?? dir;
      return {
        isRepo: false,
        dubiousOwnership: at,
        error: `git refuses the repository (dubious ownership: another user owns ${at}): run 'git config --global --add safe.directory ${at}'`,
      };
    }
    return { isRepo: false, error: describeFailure(r) };
  }
  const [root, shallow, ...rest] = r.stdout.trim().split(/\r?\n/);
  // Anything but an absolute directory and true/false is not git's answer.
  if (!root || !path.isAbsolute(root) || (shallow !== 'true' && shallow !== 'false') || rest.length > 0 || !(await isDirectory(root))) {
    return { isRepo: false, error: `git rev-parse gave an answer that is not a work tree (${JSON.stringify(r.stdout.slice(0, 80))})` };
  }
  const h = await git(['rev-parse', '--verify', '-q', 'HEAD']);
  const head = h.code === 0 ? h.stdout.trim() || undefined : undefined;
  return {
    isRepo: true,
    root: path.resolve(root),
    shallow: shallow === 'true',
    head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined,
  };
}

// Flags of `go build`/`go test` that GOFLAGS commonly carries. Only a flag outside this list can be
// one that no go command accepts, so only then is a probe process worth starting.
const KNOWN_GOFLAGS = new Set(
  ('mod modcacherw modfile buildvcs trimpath tags race msan asan ldflags gcflags asmflags p v x a n work buildmode compiler ' +
    'gccgoflags installsuffix linkshared cover covermode coverpkg overlay pgo pkgdir toolexec json count timeout vet short ' +
    'failfast shuffle cpu parallel benchtime benchmem run skip bench fuzz fuzztime fuzzminimizetime e insecure').split(' '),
);

export function hasUnknownGoFlag(goflags: string): boolean {
  return goflags
    .split(/\s+/)
    .filter(Boolean)
    .some((f) => {
      const name = /^--?([^=]+)/.exec(f)?.[1];
      return !name || !KNOWN_GOFLAGS.has(name);
    });
}

/** Where `go env -w` writes: $GOENV, else os.UserConfigDir()/go/env as go computes it. */
export function goEnvFilePath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GOENV) return env.GOENV === 'off' ? undefined : env.GOENV;
  let base: string | undefined;
  if (process.platform === 'win32') base = env.AppData ?? env.APPDATA;
  else if (process.platform === 'darwin') base = env.HOME ? path.join(env.HOME, 'Library', 'Application Support') : undefined;
  else base = env.XDG_CONFIG_HOME || (env.HOME ? path.join(env.HOME, '.config') : undefined);
  return base ? path.join(base, 'go', 'env') : undefined;
}

/** `KEY=value` lines of a go env file (`go env -w` writes them; GOROOT/go.env ships defaults). */
async function readGoEnvFile(file: string): Promise<Record<string, string>> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/**
 * The user's GOTOOLCHAIN setting, resolved as go does: the environment, then the `go env -w` file
 * (GOENV), then $GOROOT/go.env, else `local`. Our own probes run with GOTOOLCHAIN=local, so
 * `go env -json` cannot tell; reading the two files costs no process.
 */
export async function userGoToolchain(env: Readonly<Record<string, string | undefined>>, goEnv: Record<string, string>): Promise<string> {
  if (env.GOTOOLCHAIN) return env.GOTOOLCHAIN;
  if (!goEnv.GOROOT) return '';
  if (goEnv.GOENV && goEnv.GOENV !== 'off') {
    const user = await readGoEnvFile(goEnv.GOENV);
    if (user.GOTOOLCHAIN) return user.GOTOOLCHAIN;
  }
  const shipped = await readGoEnvFile(path.join(goEnv.GOROOT, 'go.env'));
  return shipped.GOTOOLCHAIN || 'local';
}

/**
 * The toolchain go selects for a main module (or workspace) with these go/toolchain lines, as
 * cmd/go/internal/toolchain.Select does; undefined when go runs the running Go (GOTOOLCHAIN=local,
 * a pinned goX.Y.Z without +auto/+path: the toolchain check reports those).
 */
export function selectToolchain(gotoolchain: string, running: string, goLine?: string, toolchainLine?: string): { toolchain: string; because: string } | undefined {
  const gt = gotoolchain.trim() || 'local';
  const m = /^(local|go\S+?)\+(auto|path)$/.exec(gt === 'auto' || gt === 'path' ? `local+${gt}` : gt);
  if (!m) return undefined;
  const runningV = normalizeGoVersion(running);
  let minVers = m[1] === 'local' ? runningV : normalizeGoVersion(m[1]!);
  if (!isValidGoVersion(minVers)) return undefined;
  let selected = m[1] === 'local' ? undefined : { toolchain: m[1]!, because: `GOTOOLCHAIN=${gt}` };
  if (toolchainLine !== 'default') {
    if (toolchainLine && /^go\d/.test(toolchainLine) && isValidGoVersion(toolchainLine) && compareGo(toolchainLine, minVers) > 0) {
      selected = { toolchain: toolchainLine, because: `toolchain ${toolchainLine}` };
      minVers = normalizeGoVersion(toolchainLine);
    }
    if (goLine && isValidGoVersion(goLine) && compareGo(goLine, minVers) > 0) {
      // A language version (go 1.22) selects its first release, go1.22.0 (golang.org/issue/62278).
      const v = !isReleaseVersion(goLine) && compareGo(goLine, '1.21') >= 0 ? `${goLine}.0` : goLine;
      selected = { toolchain: `go${v}`, because: `go ${goLine}` };
    }
  }
  if (!selected || compareGo(normalizeGoVersion(selected.toolchain), runningV) === 0) return undefined;
  return selected;
}

/**
 * Resolve the toolchain switch for every main module (or the workspace) whose go/toolchain lines
 * make go switch. Each selected toolchain is made ready exactly as the build would: `go env
 * GOVERSION` with the user's GOTOOLCHAIN, which downloads it into the module cache (or finds it
 * on PATH for +path). undefined when no module switches.
 */
async function resolveToolchainSwitch(o: {
  go: GoRunner;
  dir: string;
  signal?: AbortSignal;
  gotoolchain: string;
  running: string;
  modules: ModuleInfo[];
  work?: WorkInfo;
}): Promise<ToolchainSwitch | undefined> {
  const roots: Array<{ file: string; dir: string; goLine?: string; toolchainLine?: string; members: ModuleInfo[] }> = [];
  const inWork = (m: ModuleInfo) => !!o.work && (m.inWorkspace || m.dir === o.work.dir || m.dir.startsWith(`${o.work.dir}${path.sep}`));
  if (o.work) roots.push({ file: o.work.relFile, dir: o.work.dir, goLine: o.work.goLine, toolchainLine: o.work.toolchainLine, members: o.modules.filter(inWork) });
  for (const m of o.modules) if (!inWork(m)) roots.push({ file: m.goModFile, dir: m.dir, goLine: m.goLine, toolchainLine: m.toolchainLine, members: [m] });

  const selections: ToolchainSwitch['selections'] = [];
  await Promise.all(
    roots.map(async (root) => {
      const sel = selectToolchain(o.gotoolchain, o.running, root.goLine, root.toolchainLine);
      if (!sel) return;
      const r = await o.go.run(['env', 'GOVERSION'], { cwd: root.dir, signal: o.signal, timeoutMs: 600_000, env: { GOTOOLCHAIN: o.gotoolchain } });
      const got = r.code === 0 ? r.stdout.trim().split(/\s/)[0] : undefined;
      const error =
        r.code === 0 && got
          ? undefined
          : r.stderr
              .split('\n')
              .filter((l) => l.trim() && !/^go: downloading /.test(l))
              .map((l) => l.trim().replace(/^go: /, ''))
              .slice(0, 3)
              .join(' ')
              // A proxy URL may carry credentials (https://user:token@host).
              .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@')
              .replace(/\.$/, '') || describeFailure(r);
      for (const m of root.members) if (got) m.buildGo = got;
      selections.push({ file: root.file, dir: root.dir, toolchain: got ?? sel.toolchain, because: sel.because, ...(error ? { error } : {}) });
    }),
  );
  if (!selections.length) return undefined;
  selections.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { gotoolchain: o.gotoolchain, ok: selections.every((x) => !x.error), selections };
}

/** The Go that builds this module (or the workspace when undefined): the switched toolchain, else the running Go. */
export function buildGoVersion(probe: Pick<Probe, 'go' | 'modules' | 'toolchainSwitch'>, mod?: Pick<ModuleInfo, 'buildGo'>): string {
  if (mod) return mod.buildGo ?? probe.go.version;
  const switched = probe.toolchainSwitch?.ok ? probe.toolchainSwitch.selections.map((x) => x.toolchain) : [];
  return switched.sort((a, b) => compareGo(b, a))[0] ?? probe.go.version;
}

export async function createProbe(opts: {
  dir: string;
  go: GoRunner;
  exec: ProcessRunner;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}): Promise<Probe> {
  const { dir, go, exec, env, signal } = opts;
  const goFacts: GoFacts = { available: !!go.bin, bin: go.bin, version: 'unknown' };
  if (!go.bin) goFacts.error = '`go` was not found on PATH';

  let goEnvError: string | undefined;
  let envVariable: { variable: string; value: string; file?: string } | undefined;
  const goEnvP = (async (): Promise<Record<string, string>> => {
    if (!go.bin) return {};
    const r = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000 });
    let obj = r.code === 0 ? parseJsonObject<Record<string, string>>(r.stdout) : undefined;
    if (!obj && r.code !== null && r.code !== 0) {
      const named = await go.run(['env', '-json', ...CHEAP_GO_ENV], { cwd: dir, signal, timeoutMs: 60_000 });
      obj = named.code === 0 ? parseJsonObject<Record<string, string>>(named.stdout) : undefined;
      if (obj) goEnvError = r.stderr.trim().split('\n')[0] || describeFailure(r);
    }
    if (!obj && r.code !== null && r.code !== 0) {
      // A variable go rejects at start-up (`go: unknown GOEXPERIMENT greenteagc`) fails every go
      // command, `go env` included. Go is there all the same: read the rest of the environment
      // without that variable, and let the go-env check name it.
      const first = r.stderr.trim().split('\n')[0] ?? '';
      // (`unsupported GOOS/GOARCH pair linux/nosuch` names two: try each one that is set.)
      const named = [...new Set([...first.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]!))].filter((v) => env[v]);
      // Set with `go env -w` (for instance by a newer Go that knew the value): read the rest of the
      // environment without the file, then apply the file's other settings as go would.
      if (!named.length) {
        const file = goEnvFilePath(env);
        const settings = file ? await readGoEnvFile(file) : {};
        const v = [...first.matchAll(/\b(GO[A-Z0-9_]+)\b/g)].map((m) => m[1]!).find((x) => settings[x]);
        if (file && v) {
          const retry = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000, env: { GOENV: 'off' } });
          obj = retry.code === 0 ? parseJsonObject<Record<string, string>>(retry.stdout) : undefined;
          if (obj) {
            for (const [k, val] of Object.entries(settings)) if (k !== v && !env[k] && k in obj) obj[k] = val;
            obj.GOENV = file;
            goEnvError = first;
            envVariable = { variable: v, value: settings[v]!, file };
          }
        }
      }
      for (const v of named.slice(0, 3)) {
        const retry = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000, env: { [v]: undefined } });
        obj = retry.code === 0 ? parseJsonObject<Record<string, string>>(retry.stdout) : undefined;
        if (obj) {
          goEnvError = first;
          envVariable = { variable: v, value: env[v]! };
          break;
        }
      }
    }
    if (!obj) {
      goFacts.available = false;
      goFacts.error = `\`go env -json\` failed: ${describeFailure(r)}`;
      return {};
    }
    return obj;
  })();

  const gitP = gitFacts(exec, dir, env, signal);
  const repoRootP = findGitRoot(dir).then((r) => r ?? dir);
  // go.mod files are read (and `go mod edit -json` run) while `go env -json` is still running.
  const readModule = async (modDir: string): Promise<ModuleInfo> => {
    const file = path.join(modDir, 'go.mod');
    // Read as every repository file is (safe-read.ts); a module named by go.work outside the
    // repository is go's to read as well, so it is read, but only as a regular file.
    const read = await tryReadRepoFile(file, { root: await repoRootP, maxBytes: READ_LIMITS.goMod, allowOutside: true });
    const refused = read && 'error' in read ? describeUnsafeRead(read.error, reportPath(dir, file)) : undefined;
    const text = read && 'text' in read ? read.text : '';
    const directives = parseModDirectives(text);
    const info: ModuleInfo = {
      dir: modDir,
      relDir: reportPath(dir, modDir),
      goModFile: reportPath(dir, file),
      path: directiveValue(directives, 'module') ?? '',
      text,
      directives,
      goLine: directiveValue(directives, 'go'),
      toolchainLine: directiveValue(directives, 'toolchain'),
      inWorkspace: false,
      hasVendorDir: await isDirectory(path.join(modDir, 'vendor')),
    };
    // The files go reads next to go.mod: go follows links, so we look before any go command does.
    let refusedFile = refused;
    if (!refusedFile && info.hasVendorDir) {
      const bad = await checkRepoDir(path.join(modDir, 'vendor'), await repoRootP);
      if (bad) refusedFile = describeUnsafeRead(bad, reportPath(dir, path.join(modDir, 'vendor')));
    }
    for (const rel of refusedFile ? [] : ['go.sum', ...(info.hasVendorDir ? ['vendor/modules.txt'] : [])]) {
      const f = path.join(modDir, ...rel.split('/'));
      const bad = await checkRepoFile(f, { root: await repoRootP, maxBytes: READ_LIMITS.goSum, allowOutside: true });
      if (bad) {
        refusedFile = describeUnsafeRead(bad, reportPath(dir, f));
        break;
      }
    }
    if (refusedFile) info.parseError = info.refused = refusedFile;
    else if (go.bin) {
      const r = await go.run(['mod', 'edit', '-json', '--', file], { cwd: modDir, signal, timeoutMs: 60_000 });
      const json = r.code === 0 ? parseJsonObject<GoModJson>(r.stdout) : undefined;
      if (json) {
        info.json = json;
        info.path = json.Module?.Path ?? info.path;
        info.goLine = json.Go ?? info.goLine;
        info.toolchainLine = json.Toolchain ?? info.toolchainLine;
      } else {
        info.parseError = (r.stderr || r.stdout).trim() || describeFailure(r);
      }
    }
    return info;
  };

  const modDirsP = discoverGoMods(dir);
  const discoveredP = modDirsP.then((dirs) => Promise.all(dirs.map((d) => readModule(d))));
  const goEnv = await goEnvP;
  // A GOFLAGS set with `go env -w` is not in our environment; hand the effective value to the
  // runner so its read-only rewrite (-mod=mod -> -mod=readonly) applies to it too.
  if (goEnv.GOFLAGS && !env.GOFLAGS) go.useGoFlags(goEnv.GOFLAGS);
  if (goEnv.GOVERSION) goFacts.version = goEnv.GOVERSION.split(/\s/)[0] ?? goEnv.GOVERSION;
  // Go 1.20 and older lack what every check relies on (`go tool dist list -broken`, toolchain
  // lines, `go mod edit -json` of newer directives), and the Go team no longer supports them: stop
  // at once with one line rather than a report where every check errors.
  const runningV = normalizeGoVersion(goFacts.version);
  if (isValidGoVersion(runningV) && compareGo(runningV, '1.21') < 0) {
    await Promise.allSettled([discoveredP, gitP]);
    throw new ConfigurationError(`go-preflight needs Go 1.21 or newer; this is ${goFacts.version} (${go.bin ?? 'go'}): install a newer Go (actions/setup-go) before go-preflight`);
  }

  let work: WorkInfo | undefined;
  let workRefused: string | undefined;
  const gowork = goEnv.GOWORK;
  if (gowork && gowork !== 'off' && (await exists(gowork))) {
    // go finds go.work in a parent directory too (outside the repository): read it, but a go.work
    // of the repository that links out of it is refused like any other repository file.
    const read = await tryReadRepoFile(gowork, { root: await repoRootP, maxBytes: READ_LIMITS.goMod, allowOutside: true });
    let refused = read && 'error' in read ? describeUnsafeRead(read.error, reportPath(dir, gowork)) : undefined;
    if (!refused) {
      const bad = await checkRepoFile(`${gowork}.sum`, { root: await repoRootP, maxBytes: READ_LIMITS.goSum, allowOutside: true });
      if (bad) refused = describeUnsafeRead(bad, reportPath(dir, `${gowork}.sum`));
    }
    const text = read && 'text' in read ? read.text : '';
    const directives = parseModDirectives(text);
    work = {
      file: gowork,
      relFile: reportPath(dir, gowork),
      dir: path.dirname(gowork),
      text,
      directives,
      goLine: directiveValue(directives, 'go'),
      toolchainLine: directiveValue(directives, 'toolchain'),
    };
    const r = refused ? undefined : await go.run(['work', 'edit', '-json', '--', gowork], { cwd: path.dirname(gowork), signal, timeoutMs: 60_000 });
    const json = r?.code === 0 ? parseJsonObject<GoWorkJson>(r.stdout) : undefined;
    if (refused) work.parseError = workRefused = refused;
    else if (json) {
      work.json = json;
      work.goLine = json.Go ?? work.goLine;
      work.toolchainLine = json.Toolchain ?? work.toolchainLine;
    } else if (r) work.parseError = (r.stderr || r.stdout).trim() || describeFailure(r);
  }

  const useDirs = new Set<string>();
  for (const u of work?.json?.Use ?? []) useDirs.add(path.resolve(work!.dir, u.DiskPath));
  const discovered = await discoveredP;
  const extra: string[] = [];
  for (const u of useDirs) if (!discovered.some((m) => m.dir === u) && (await exists(path.join(u, 'go.mod')))) extra.push(u);
  const modules = [...discovered, ...(await Promise.all(extra.map((d) => readModule(d))))].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  for (const m of modules) m.inWorkspace = useDirs.has(m.dir);

  const host: Target = goEnv.GOOS && goEnv.GOARCH ? { goos: goEnv.GOOS, goarch: goEnv.GOARCH } : hostFromNode();

  // Is the environment sane? If not, every go command fails with the same message: the runner
  // skips the checks that need it and the go-env check explains the cause once.
  let envError: Probe['envError'];
  if (goEnvError) envError = { reason: goEnvError, ...(envVariable ?? {}) };
  else if (goFacts.available && goEnv.GOFLAGS && hasUnknownGoFlag(goEnv.GOFLAGS)) {
    // An unknown flag in GOFLAGS makes every go command fail; probe once with a cheap command.
    const r = await go.run(['list', '-m', '-json=Path'], { cwd: modules[0]?.dir ?? dir, signal, timeoutMs: 60_000 });
    if (r.code !== 0 && /parsing \$GOFLAGS|GOFLAGS/.test(r.stderr)) {
      envError = { reason: r.stderr.trim().split('\n')[0] ?? 'go: parsing $GOFLAGS failed', variable: 'GOFLAGS', value: goEnv.GOFLAGS };
    }
  }

  const userToolchain = await userGoToolchain(env, goEnv);
  // Can `go` load these modules at all? If not, module checks would all fail with the same
  // message; the runner skips them and the toolchain/go-env checks explain the cause once.
  let loadable: Probe['loadable'] = { ok: goFacts.available, reason: goFacts.error };
  let toolchainSwitch: ToolchainSwitch | undefined;
  if (envError) loadable = { ok: false, reason: `go-env (${envError.reason})` };
  // go follows a go.work that links out of the repository and prints what it finds there line by
  // line ("unknown directive: root:x:0:0:..."): no go command runs on it.
  else if (workRefused) loadable = { ok: false, reason: `${workRefused} (see the modules check)` };
  else if (goFacts.available) {
    toolchainSwitch = await resolveToolchainSwitch({ go, dir, signal, gotoolchain: userToolchain, running: goFacts.version, modules, work });
    if (toolchainSwitch?.ok) {
      // Every later go command switches as the build does (each in its own module directory).
      go.switchToolchain(toolchainSwitch.gotoolchain);
      // A go.mod the running Go could not parse (a directive newer than it) may be fine for the Go
      // the build switches to: read it again with that Go.
      await Promise.all(
        modules
          .filter((m) => m.parseError && m.buildGo)
          .map(async (m) => {
            const r = await go.run(['mod', 'edit', '-json', path.join(m.dir, 'go.mod')], { cwd: m.dir, signal, timeoutMs: 60_000 });
            const json = r.code === 0 ? parseJsonObject<GoModJson>(r.stdout) : undefined;
            if (!json) return;
            delete m.parseError;
            m.json = json;
            m.path = json.Module?.Path ?? m.path;
            m.goLine = json.Go ?? m.goLine;
            m.toolchainLine = json.Toolchain ?? m.toolchainLine;
          }),
      );
    } else if (toolchainSwitch) {
      const bad = toolchainSwitch.selections.find((x) => x.error)!;
      loadable = { ok: false, reason: `toolchain (${bad.file} selects ${bad.toolchain}, which go cannot run here: see the toolchain check)` };
    } else {
      const running = normalizeGoVersion(goFacts.version);
      const tooNew = [
        ...(work?.goLine ? [{ file: work.relFile, go: work.goLine }] : []),
        ...modules.filter((m) => m.goLine).map((m) => ({ file: m.goModFile, go: m.goLine! })),
      ].find((x) => isValidGoVersion(x.go) && compareGo(running, x.go) < 0);
      if (tooNew) loadable = { ok: false, reason: `${tooNew.file} requires go >= ${tooNew.go} but the running Go is ${goFacts.version} (see the toolchain check)` };
    }
  }

  return {
    go: goFacts,
    goEnv,
    ...(goEnvError ? { goEnvError } : {}),
    userGoToolchain: userToolchain,
    ...(envError ? { envError } : {}),
    ...(toolchainSwitch ? { toolchainSwitch } : {}),
    host,
    modules,
    work,
    git: await gitP,
    loadable,
  };
}
