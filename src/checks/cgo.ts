// `cgo`: for every target that builds with cgo, is a C toolchain for that target present and
// working? go only finds out deep into `go build` (after compiling every pure-Go package), with
// messages such as `cgo: C compiler "aarch64-linux-gnu-gcc" not found` or assembler errors from a
// host gcc fed arm64 code. We ask go for the target's effective CGO_ENABLED and CC (`go env`,
// one process per target), take the packages from the loader shared with the packages check,
// and then check CC exists, targets the right machine (`-dumpmachine`), really compiles a tiny
// C file with CGO_CFLAGS, and that `#cgo pkg-config:` packages are found.
// With cgo off, a package that only has cgo files (no pure-Go fallback) cannot build: reported
// here, not by the packages check (the rule is `cgoExclusion` in internal/go-list.ts).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { distList, type DistPort } from '../core/runner.js';
import { describeFailure, findExecutable } from '../core/process.js';
import { reportPath } from '../core/paths.js';
import { formatTarget, type Check, type CheckContext, type Finding, type Target } from '../core/types.js';
import { cgoPkgConfigLine } from './internal/func-main.js';
import {
  cgoEnv,
  cgoExclusion,
  defaultCC,
  FindingMerger,
  importChain,
  importPosition,
  targetsAndModules,
  loadPackages,
  mapLimit,
  readSource,
  splitQuoted,
  type CgoEnv,
  type Listing,
  type ListedPackage,
  type Position,
} from './internal/go-list.js';

type Merged = Omit<Finding, 'target'>;

// ---------------------------------------------------------------------------------------------
// Knowledge about C toolchains

/** The usual cross compiler for a target, with its Debian/Ubuntu package or project. */
const CROSS_CC: Record<string, { cc: string; pkg: string }> = {
  'linux/arm64': { cc: 'aarch64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-aarch64-linux-gnu' },
  'linux/arm': { cc: 'arm-linux-gnueabihf-gcc', pkg: 'Debian/Ubuntu package gcc-arm-linux-gnueabihf' },
  'linux/amd64': { cc: 'x86_64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-x86-64-linux-gnu' },
  'linux/386': { cc: 'i686-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-i686-linux-gnu' },
  'linux/riscv64': { cc: 'riscv64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-riscv64-linux-gnu' },
  'linux/ppc64le': { cc: 'powerpc64le-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-powerpc64le-linux-gnu' },
  'linux/s390x': { cc: 's390x-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-s390x-linux-gnu' },
  'linux/mips': { cc: 'mips-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-mips-linux-gnu' },
  'linux/mipsle': { cc: 'mipsel-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-mipsel-linux-gnu' },
  'linux/mips64': { cc: 'mips64-linux-gnuabi64-gcc', pkg: 'Debian/Ubuntu package gcc-mips64-linux-gnuabi64' },
  'linux/mips64le': { cc: 'mips64el-linux-gnuabi64-gcc', pkg: 'Debian/Ubuntu package gcc-mips64el-linux-gnuabi64' },
  'linux/loong64': { cc: 'loongarch64-linux-gnu-gcc', pkg: 'Debian/Ubuntu package gcc-loongarch64-linux-gnu' },
  'windows/amd64': { cc: 'x86_64-w64-mingw32-gcc', pkg: 'mingw-w64' },
  'windows/386': { cc: 'i686-w64-mingw32-gcc', pkg: 'mingw-w64' },
  'windows/arm64': { cc: 'aarch64-w64-mingw32-clang', pkg: 'llvm-mingw' },
  'darwin/amd64': { cc: 'o64-clang', pkg: 'osxcross' },
  'darwin/arm64': { cc: 'oa64-clang', pkg: 'osxcross' },
};

const ZIG_ARCH: Record<string, string> = { amd64: 'x86_64', '386': 'x86', arm64: 'aarch64', arm: 'arm', riscv64: 'riscv64', ppc64le: 'powerpc64le', s390x: 's390x', loong64: 'loongarch64', mips: 'mips', mipsle: 'mipsel', mips64: 'mips64', mips64le: 'mips64el' };
const ZIG_OS: Record<string, string> = { linux: 'linux-gnu', windows: 'windows-gnu', darwin: 'macos' };

function zigTarget(t: Target): string | undefined {
  const arch = ZIG_ARCH[t.goarch];
  const os = ZIG_OS[t.goos];
  if (!arch || !os) return undefined;
  return `${arch}-${t.goos === 'linux' && t.goarch === 'arm' ? 'linux-gnueabihf' : os}`;
}

/** How to get a C compiler for a target. */
export function compilerHint(t: Target, host: Target): string {
  const pair = formatTarget(t);
  const native = t.goos === host.goos && t.goarch === host.goarch;
  if (native) {
    if (t.goos === 'darwin') return 'install the Xcode command line tools (xcode-select --install), or set CC to a working compiler';
    if (t.goos === 'windows') return 'install a MinGW-w64 gcc (e.g. from MSYS2) and put it on PATH, or set CC';
    return `install ${defaultCC(t.goos)} (Debian/Ubuntu: apt-get install gcc), or set CC to a working compiler`;
  }
  const known = CROSS_CC[pair];
  const zig = zigTarget(t);
  const parts: string[] = [];
  if (known) parts.push(`install ${known.cc} (${known.pkg}) and build with CC=${known.cc} CGO_ENABLED=1`);
  else parts.push(`install a C cross compiler for ${pair} and build with CC=<it> CGO_ENABLED=1`);
  if (zig) parts.push(`or use CC="zig cc -target ${zig}"`);
  return parts.join(', ');
}

/** Does a compiler triple (`-dumpmachine`) produce code for the target? undefined: cannot tell. */
export function tripleMatches(triple: string, t: Target): boolean | undefined {
  const tr = triple.trim().toLowerCase();
  const archRe: Record<string, RegExp> = {
    amd64: /^(x86_64|amd64)\b/,
    // Go passes -m32 for 386, so a multilib x86_64 compiler is fine (the compile probe tells).
    '386': /^(i[3-6]86|x86_64|x86)\b/,
    arm64: /^(aarch64|arm64)/,
    arm: /^(arm(?!64)|thumb)/,
    riscv64: /^riscv64/,
    ppc64le: /^(powerpc64le|ppc64le)/,
    ppc64: /^(powerpc64|ppc64)(?!le)/,
    s390x: /^s390x/,
    mips: /^mips(?!el|64|isa64)/,
    mipsle: /^mipsel/,
    mips64: /^(mips64|mipsisa64)(?!el)/,
    mips64le: /^(mips64el|mipsisa64.*el)/,
    loong64: /^loongarch64/,
  };
  const osRe: Record<string, RegExp> = {
    linux: /linux/,
    android: /android/,
    windows: /mingw|windows|cygwin|msys/,
    darwin: /apple|darwin|macos/,
    ios: /apple|darwin|ios/,
    freebsd: /freebsd/,
    netbsd: /netbsd/,
    openbsd: /openbsd/,
    dragonfly: /dragonfly/,
    solaris: /solaris/,
    illumos: /illumos|solaris/,
    aix: /aix/,
  };
  const os = osRe[t.goos];
  const arch = archRe[t.goarch];
  if (!os || !arch) return undefined;
  if (!os.test(tr)) return false;
  // Go passes `-arch` to clang on darwin, so one Apple clang builds both architectures.
  if (t.goos === 'darwin' || t.goos === 'ios') return /^(x86_64|arm64|aarch64)/.test(tr);
  return arch.test(tr);
}

/** The flags cmd/go adds for the target (gccArchArgs), so the probe compiles as the build will. */
export function goArchFlags(t: Target, env: Readonly<Record<string, string | undefined>>): string[] {
  const darwin = t.goos === 'darwin' || t.goos === 'ios';
  switch (t.goarch) {
    case '386':
      return ['-m32'];
    case 'amd64':
      return darwin ? ['-arch', 'x86_64'] : ['-m64'];
    case 'arm64':
      return darwin ? ['-arch', 'arm64'] : [];
    case 'arm':
      return ['-marm'];
    case 's390x':
      return ['-m64', '-march=z196'];
    case 'mips64':
    case 'mips64le':
      return ['-mabi=64', env.GOMIPS64 === 'softfloat' ? '-msoft-float' : '-mhard-float'];
    case 'mips':
    case 'mipsle':
      return ['-mabi=32', '-mfp32', env.GOMIPS === 'softfloat' ? '-msoft-float' : '-mhard-float', '-mno-odd-spreg'];
    case 'loong64':
    case 'riscv64':
      return ['-mabi=lp64d'];
    case 'ppc64':
      return t.goos === 'aix' ? ['-maix64'] : [];
    default:
      return [];
  }
}

const PROBE_C = `#include <stdlib.h>
#include <string.h>
int go_preflight_probe(int n) {
  char *p = malloc(16);
  if (p) { memset(p, 0, 16); free(p); }
  return n + 1;
}
`;

/** `--sysroot=DIR`, `--sysroot DIR`, `-isysroot DIR`, `-isysrootDIR` in a list of flags. */
export function sysrootDirs(flags: readonly string[]): Array<{ flag: string; dir: string }> {
  const out: Array<{ flag: string; dir: string }> = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    let m: RegExpExecArray | null;
    if ((m = /^--sysroot=(.+)$/.exec(f))) out.push({ flag: '--sysroot', dir: m[1]! });
    else if ((f === '--sysroot' || f === '-isysroot') && flags[i + 1]) out.push({ flag: f, dir: flags[++i]! });
    else if ((m = /^-isysroot=?(.+)$/.exec(f))) out.push({ flag: '-isysroot', dir: m[1]! });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check

interface RunMemo {
  exec: Map<string, Promise<{ ok: boolean; out: string; err: string; failure: string }>>;
  tmp?: Promise<string>;
}

function memoExec(ctx: CheckContext, memo: RunMemo, cmd: string, args: string[], cwd?: string) {
  const key = JSON.stringify([cmd, args, cwd ?? '']);
  let p = memo.exec.get(key);
  if (!p) {
    p = ctx.exec(cmd, args, { cwd, env: ctx.env, signal: ctx.signal, timeoutMs: 30_000 }).then((r) => ({
      ok: r.code === 0 && !r.spawnError,
      out: r.stdout,
      err: r.stderr,
      failure: describeFailure(r),
    }));
    memo.exec.set(key, p);
  }
  return p;
}

/** The compiler's first error line (`x.c:1:10: fatal error: ...`), else its first line. */
function firstErrorLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /\berror\b/i.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

function describeUsers(users: readonly ListedPackage[]): string {
  const own = users.filter((p) => !p.Standard).map((p) => p.ImportPath);
  const std = users.filter((p) => p.Standard).map((p) => p.ImportPath);
  const list = (xs: string[]) => xs.slice(0, 3).join(', ') + (xs.length > 3 ? ` and ${xs.length - 3} more` : '');
  if (own.length) return list(own);
  return `the standard library (${list(std)}) when cgo is on`;
}

/** Why cgo is off for a target, in words. */
async function whyOff(ctx: CheckContext, t: Target, cgo: CgoEnv, port: DistPort | undefined, host: Target): Promise<string> {
  if (port && !port.CgoSupported) return `${formatTarget(t)} has no cgo support`;
  if (ctx.env.CGO_ENABLED === '0') return 'CGO_ENABLED=0 is set';
  if (t.goos !== host.goos || t.goarch !== host.goarch) return 'go turns cgo off by default when cross compiling';
  // Native: go turns cgo off when CC is unset and the default compiler is missing; otherwise
  // the 0 comes from `go env -w CGO_ENABLED=0`.
  const cc = defaultCC(t.goos);
  if (!ctx.env.CC && !(await findExecutable(cc, ctx.env))) return `CC is unset and ${cc} is not on PATH, so go turns cgo off`;
  return 'CGO_ENABLED=0 is set (go env -w)';
}

export const cgoCheck: Check = {
  id: 'cgo',
  title: 'C toolchain for cgo',
  needs: ['go', 'module', 'loadable'],
  async run(ctx) {
    const { valid, modules, notes, skipReason } = await targetsAndModules(ctx);
    if (skipReason) return { findings: [], skipReason, notes };

    const ports = (await distList(ctx.go, ctx.signal)) ?? [];
    const host: Target = { goos: ctx.probe.goEnv.GOHOSTOS || ctx.probe.host.goos, goarch: ctx.probe.goEnv.GOHOSTARCH || ctx.probe.host.goarch };
    const merger = new FindingMerger(valid.map(formatTarget));
    const memo: RunMemo = { exec: new Map() };

    const perTarget = await mapLimit(valid, 3, async (target) => {
      const [cgo, listings] = await Promise.all([
        cgoEnv(ctx, target),
        Promise.all(modules.map((m) => loadPackages(ctx, m, target, modules))).then((ls) => ls.filter((l): l is Listing => l !== undefined)),
      ]);
      const port = ports.find((p) => p.GOOS === target.goos && p.GOARCH === target.goarch);
      return { target, cgo, listings, port };
    });

    for (const { target, cgo, listings, port } of perTarget) {
      const pair = formatTarget(target);
      if (cgo.error) notes.push(`go env failed for ${pair} (${cgo.error}); CGO_ENABLED computed like go does`);
      if (!cgo.enabled) {
        const needing = await checkCgoOff(ctx, target, cgo, port, listings, merger, host);
        if (needing === 0) notes.push(`cgo is off for ${pair}; no package needs it`);
        continue;
      }
      if (port && !port.CgoSupported) {
        merger.add(target, {
          severity: 'error',
          message: 'CGO_ENABLED=1 is set for {targets}, a port without cgo support',
          hint: 'unset CGO_ENABLED (or set CGO_ENABLED=0) when building for {targets}',
        });
        continue;
      }
      // Every package with cgo files in the build, standard ones included: with cgo on, net,
      // os/user and runtime/cgo are compiled with the C compiler too.
      const users = new Map<string, ListedPackage>();
      for (const l of listings) for (const p of l.packages) if (p.CgoFiles?.length && !p.Error) users.set(p.ImportPath, p);
      if (users.size === 0) {
        notes.push(`cgo is on for ${pair}; no package in the build uses it`);
        continue;
      }
      const ok = await checkToolchain(ctx, target, cgo, [...users.values()], merger, memo, host);
      await checkPkgConfig(ctx, target, cgo, [...users.values()], merger, memo);
      if (ok) notes.push(`cgo is on for ${pair}: ${ok}`);
    }
    return { findings: merger.findings(), notes };
  },
};

/** CC present, for the right machine, and able to compile. Returns a summary when all is well. */
async function checkToolchain(
  ctx: CheckContext,
  target: Target,
  cgo: CgoEnv,
  users: readonly ListedPackage[],
  merger: FindingMerger,
  memo: RunMemo,
  host: Target,
): Promise<string | undefined> {
  const who = describeUsers(users);
  const argv = splitQuoted(cgo.CC);
  const hint = compilerHint(target, host);
  let ok = true;

  const flags = [...splitQuoted(cgo.CGO_CFLAGS), ...splitQuoted(cgo.CGO_LDFLAGS), ...argv.slice(1)];
  for (const { flag, dir } of sysrootDirs(flags)) {
    const isDir = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      ok = false;
      merger.add(target, {
        severity: 'error',
        message: `${flag} points at ${dir}, which does not exist (from CC/CGO_CFLAGS/CGO_LDFLAGS); the C compiler will not find the target's headers and libraries`,
        hint: `install the target sysroot at ${dir}, or fix ${flag} in CGO_CFLAGS/CGO_LDFLAGS`,
      });
    }
  }

  if (argv.length === 0) {
    merger.add(target, { severity: 'error', message: `CC is empty, but cgo is on for {targets} and ${who} uses cgo`, hint });
    return undefined;
  }
  const exe = await findExecutable(argv[0]!, ctx.env);
  if (!exe) {
    merger.add(target, {
      severity: 'error',
      message: `C compiler "${argv[0]}" (CC=${cgo.CC}) not found on PATH, but cgo is on for {targets} and ${who} uses cgo`,
      hint,
    });
    return undefined;
  }

  const dm = await memoExec(ctx, memo, exe, [...argv.slice(1), '-dumpmachine']);
  const triple = dm.ok ? dm.out.trim().split('\n')[0] ?? '' : '';
  if (triple && tripleMatches(triple, target) === false) {
    merger.add(target, {
      severity: 'error',
      message: `CC=${cgo.CC} builds for ${triple}, not for {targets}, but cgo is on and ${who} uses cgo`,
      hint,
    });
    return undefined;
  }

  memo.tmp ??= (async () => {
    const d = await ctx.tempDir('cgo');
    await fs.writeFile(path.join(d, 'probe.c'), PROBE_C);
    return d;
  })();
  const tmp = await memo.tmp;
  const archFlags = goArchFlags(target, ctx.env);
  const obj = `probe-${target.goos}-${target.goarch}.o`;
  const compile = await memoExec(ctx, memo, exe, [...argv.slice(1), ...archFlags, ...splitQuoted(cgo.CGO_CFLAGS), '-c', 'probe.c', '-o', obj], tmp);
  if (!compile.ok) {
    const line = firstErrorLine(compile.err || compile.out) || compile.failure;
    merger.add(target, {
      severity: 'error',
      message: `CC=${cgo.CC} cannot compile C for {targets}: ${line}`,
      hint: target.goarch === '386' && host.goarch === 'amd64' && target.goos === host.goos
        ? `install 32-bit C headers and libraries (Debian/Ubuntu: apt-get install gcc-multilib), or ${hint}`
        : `check CC and CGO_CFLAGS for {targets}; ${hint}`,
    });
    return undefined;
  }
  return ok ? `${cgo.CC}${triple ? ` (${triple})` : ''} compiles C for it` : undefined;
}

/**
 * A `#cgo pkg-config:` name go itself would pass to pkg-config (cmd/go's load.SafeArg: it starts
 * with a letter, digit, `.`, `_`, `/` or a non-ASCII byte). Any other name (`--define-variable=...`)
 * is refused by go build and never reaches pkg-config here either: it would be read as an option.
 */
export function safePkgConfigName(name: string): boolean {
  return /^[0-9A-Za-z._/\u0080-\uffff]/.test(name);
}

/** `#cgo pkg-config:` packages exist for the pkg-config go will run. */
async function checkPkgConfig(ctx: CheckContext, target: Target, cgo: CgoEnv, users: readonly ListedPackage[], merger: FindingMerger, memo: RunMemo): Promise<void> {
  const wanted = users.filter((p) => !p.Standard && p.CgoPkgConfig?.some(safePkgConfigName));
  if (wanted.length === 0) return;
  const argv = splitQuoted(cgo.PKG_CONFIG || 'pkg-config');
  const exe = argv[0] ? await findExecutable(argv[0], ctx.env) : undefined;
  for (const pkg of wanted) {
    for (const name of (pkg.CgoPkgConfig ?? []).filter(safePkgConfigName)) {
      const pos = await pkgConfigPosition(ctx, pkg, name);
      if (!exe) {
        merger.add(target, {
          severity: 'error',
          message: `${pkg.ImportPath} needs pkg-config (#cgo pkg-config: ${name}), but "${argv[0] ?? 'pkg-config'}" is not on PATH`,
          hint: 'install pkg-config (Debian/Ubuntu: apt-get install pkg-config), or set PKG_CONFIG to the pkg-config for {targets}',
          ...(pos ?? {}),
        });
        continue;
      }
      const r = await memoExec(ctx, memo, exe, [...argv.slice(1), '--exists', '--', name]);
      if (!r.ok) {
        merger.add(target, {
          severity: 'error',
          message: `pkg-config cannot find package ${name}, needed by ${pkg.ImportPath} (#cgo pkg-config)`,
          hint: `install the development package that provides ${name}.pc (Debian/Ubuntu: usually lib${name.replace(/^lib/, '')}-dev), or add the directory holding ${name}.pc to PKG_CONFIG_PATH`,
          ...(pos ?? {}),
        });
      }
    }
  }
}

async function pkgConfigPosition(ctx: CheckContext, pkg: ListedPackage, name: string): Promise<Position | undefined> {
  if (!pkg.Dir) return undefined;
  for (const f of pkg.CgoFiles ?? []) {
    const abs = path.join(pkg.Dir, f);
    const src = await readSource(ctx, abs);
    const at = src !== undefined ? cgoPkgConfigLine(src, name) : undefined;
    if (at) return { file: reportPath(ctx.dir, abs), ...at };
  }
  return undefined;
}

/** Packages in the build that need cgo while it is off (and have no pure-Go fallback). */
async function checkCgoOff(
  ctx: CheckContext,
  target: Target,
  cgo: CgoEnv,
  port: DistPort | undefined,
  listings: readonly Listing[],
  merger: FindingMerger,
  host: Target,
): Promise<number> {
  let count = 0;
  const why = await whyOff(ctx, target, cgo, port, host);
  for (const listing of listings) {
    for (const pkg of listing.packages) {
      if (!(await cgoExclusion(ctx, pkg, target, cgo))) continue;
      const err = pkg.Error!;
      const pos = await importPosition(ctx, listing, pkg.ImportPath, err);
      const chain = importChain(err.ImportStack, pkg.ImportPath);
      const noCgoPort = port && !port.CgoSupported;
      const f: Merged = {
        severity: 'error',
        message: `${pkg.ImportPath} needs cgo and has no pure-Go fallback, but cgo is off for {targets} (${why}): ${chain}`,
        hint: noCgoPort
          ? `add a pure-Go implementation (a file with //go:build !cgo) to ${pkg.ImportPath}, or drop {targets}`
          : cgo.explicit || (target.goos === host.goos && target.goarch === host.goarch)
            ? `build with CGO_ENABLED=1 (and a working C compiler: ${compilerHint(target, host)}), or add a //go:build !cgo fallback`
            : `build with CGO_ENABLED=1 and a C cross compiler: ${compilerHint(target, host)}; or add a //go:build !cgo fallback`,
        ...(insideRepo(ctx, pos) ?? {}),
      };
      merger.add(target, f);
      count++;
    }
  }
  return count;
}

function insideRepo(ctx: CheckContext, pos: Position | undefined): Position | undefined {
  if (!pos || pos.file.startsWith('../')) return undefined;
  return pos;
}
