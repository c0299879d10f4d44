// The shared probe: computed once per run, read by every check. It runs `go env -json`, reads every
// go.mod (with `go mod edit -json`) and the go.work, and collects git facts, all concurrently.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GoRunner } from './go.js';
import type { ProcessRunner } from './process.js';
import { describeFailure } from './process.js';
import { parseJsonObject } from './json-stream.js';
import { parseModDirectives, type Directive } from './gomod.js';
import { compareGo, normalizeGoVersion } from './go-version.js';
import { reportPath } from './paths.js';
import type { Target } from './types.js';
import { exists, isDirectory } from './fs-utils.js';

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
  /** Whether `go` can load the modules at all (Go new enough, GOFLAGS parseable). */
  loadable: { ok: boolean; reason?: string };
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
  const r = await exec('git', ['rev-parse', '--show-toplevel', '--is-shallow-repository'], { cwd: dir, env, signal, timeoutMs: 30_000 });
  if (r.spawnError) return { isRepo: false, error: 'git is not installed (not found on PATH)' };
  if (r.code !== 0) {
    const err = r.stderr.trim();
    if (/not a git repository/i.test(err)) return { isRepo: false };
    if (/dubious ownership/i.test(err)) {
      return { isRepo: false, error: `git refuses the repository (dubious ownership): run 'git config --global --add safe.directory ${dir}'` };
    }
    return { isRepo: false, error: describeFailure(r) };
  }
  const [root, shallow] = r.stdout.trim().split(/\r?\n/);
  const h = await exec('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, env, signal, timeoutMs: 30_000 });
  return {
    isRepo: true,
    root: root ? path.resolve(root) : undefined,
    shallow: shallow === 'true',
    head: h.code === 0 ? h.stdout.trim() || undefined : undefined,
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
  const goEnvP = (async (): Promise<Record<string, string>> => {
    if (!go.bin) return {};
    const r = await go.run(['env', '-json'], { cwd: dir, signal, timeoutMs: 60_000 });
    let obj = r.code === 0 ? parseJsonObject<Record<string, string>>(r.stdout) : undefined;
    if (!obj && r.code !== null && r.code !== 0) {
      const named = await go.run(['env', '-json', ...CHEAP_GO_ENV], { cwd: dir, signal, timeoutMs: 60_000 });
      obj = named.code === 0 ? parseJsonObject<Record<string, string>>(named.stdout) : undefined;
      if (obj) goEnvError = r.stderr.trim().split('\n')[0] || describeFailure(r);
    }
    if (!obj) {
      goFacts.available = false;
      goFacts.error = `\`go env -json\` failed: ${describeFailure(r)}`;
      return {};
    }
    return obj;
  })();

  const gitP = gitFacts(exec, dir, env, signal);
  // go.mod files are read (and `go mod edit -json` run) while `go env -json` is still running.
  const readModule = async (modDir: string): Promise<ModuleInfo> => {
    const file = path.join(modDir, 'go.mod');
    const text = await fs.readFile(file, 'utf8').catch(() => '');
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
    if (go.bin) {
      const r = await go.run(['mod', 'edit', '-json', file], { cwd: modDir, signal, timeoutMs: 60_000 });
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

  let work: WorkInfo | undefined;
  const gowork = goEnv.GOWORK;
  if (gowork && gowork !== 'off' && (await exists(gowork))) {
    const text = await fs.readFile(gowork, 'utf8').catch(() => '');
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
    const r = await go.run(['work', 'edit', '-json', gowork], { cwd: path.dirname(gowork), signal, timeoutMs: 60_000 });
    const json = r.code === 0 ? parseJsonObject<GoWorkJson>(r.stdout) : undefined;
    if (json) {
      work.json = json;
      work.goLine = json.Go ?? work.goLine;
      work.toolchainLine = json.Toolchain ?? work.toolchainLine;
    } else work.parseError = (r.stderr || r.stdout).trim() || describeFailure(r);
  }

  const useDirs = new Set<string>();
  for (const u of work?.json?.Use ?? []) useDirs.add(path.resolve(work!.dir, u.DiskPath));
  const discovered = await discoveredP;
  const extra: string[] = [];
  for (const u of useDirs) if (!discovered.some((m) => m.dir === u) && (await exists(path.join(u, 'go.mod')))) extra.push(u);
  const modules = [...discovered, ...(await Promise.all(extra.map((d) => readModule(d))))].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  for (const m of modules) m.inWorkspace = useDirs.has(m.dir);

  const host: Target = goEnv.GOOS && goEnv.GOARCH ? { goos: goEnv.GOOS, goarch: goEnv.GOARCH } : hostFromNode();

  // Can `go` load these modules at all? If not, module checks would all fail with the same
  // message; the runner skips them and the toolchain/go-env checks explain the cause once.
  let loadable: Probe['loadable'] = { ok: goFacts.available, reason: goFacts.error };
  if (goEnvError) loadable = { ok: false, reason: `go cannot build here: ${goEnvError} (see the go-env check)` };
  else if (goFacts.available) {
    const running = normalizeGoVersion(goFacts.version);
    const tooNew = [
      ...(work?.goLine ? [{ file: work.relFile, go: work.goLine }] : []),
      ...modules.filter((m) => m.goLine).map((m) => ({ file: m.goModFile, go: m.goLine! })),
    ].find((x) => compareGo(running, x.go) < 0);
    if (tooNew) loadable = { ok: false, reason: `${tooNew.file} requires go >= ${tooNew.go} but the running Go is ${goFacts.version} (see the toolchain check)` };
    else if (goEnv.GOFLAGS && hasUnknownGoFlag(goEnv.GOFLAGS)) {
      // An unknown flag in GOFLAGS makes every go command fail; probe once with a cheap command.
      const r = await go.run(['list', '-m', '-json=Path'], { cwd: modules[0]?.dir ?? dir, signal, timeoutMs: 60_000 });
      if (r.code !== 0 && /parsing \$GOFLAGS|GOFLAGS/.test(r.stderr)) {
        loadable = { ok: false, reason: `every go command fails: ${r.stderr.trim().split('\n')[0]} (see the go-env check)` };
      }
    }
  }

  return {
    go: goFacts,
    goEnv,
    ...(goEnvError ? { goEnvError } : {}),
    userGoToolchain: await userGoToolchain(env, goEnv),
    host,
    modules,
    work,
    git: await gitP,
    loadable,
  };
}
