// One reading of go's module errors, shared by the checks that run go (mod-tidy, packages,
// mod-verify), so that the same failure gets the same cause, names the same module, and can be
// said once: every check computes the same `causeKey` from the same stderr signature.
//
// The shapes go prints (all observed with a local HTTP GOPROXY and with GOPROXY=off):
//   go: example.com/tools imports
//   	example.com/dep/pkg: example.com/dep@v1.1.0: reading http://proxy/example.com/dep/@v/v1.1.0.zip: 404 Not Found
//   	server response: not found: …
//   go: example.com/dep@v1.1.0: reading http://proxy/example.com/dep/@v/v1.1.0.mod: 403 Forbidden
//   go: example.com/tools imports
//   	example.com/dep/pkg: module lookup disabled by GOPROXY=off
//   go: example.com/app imports
//   	example.com/nosuch/pkg: cannot find module providing package example.com/nosuch/pkg: module example.com/nosuch/pkg: reading …/@v/list: 404 Not Found
//   go: example.com/newgo@v1.0.0 requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)
//   main.go:3:8: example.com/dep@v1.1.0: reading …zip: 404 Not Found          (go build)
//   go: github.com/x/y/cmd/z: github.com/x/y@v0.1.0: …                          (go install, go run)
// and `go list -e` puts the part after `PKG: ` into the package's Error.Err.
//
// Pure functions only: no process, no file system.

import { classifyFetchError, goErrorBlocks, redactUrls, type FetchProblem } from './mod-copy.js';

export type GoErrorKind =
  | FetchProblem
  /** No module (at any prefix of the import path) provides the package. */
  | 'no-module'
  /** A download did not match go.sum or the checksum database. */
  | 'checksum-mismatch'
  /** go.sum lacks a line go needs. */
  | 'missing-sum';

export interface GoError {
  kind: GoErrorKind;
  /** The module that failed (`example.com/dep`), when go names it or a requirement provides the package. */
  module?: string;
  version?: string;
  /** True when `module`/`version` come from the requirements (go named only the package). */
  moduleFromRequires?: boolean;
  /** The package go was loading when it failed. */
  package?: string;
  /** The package that imports it (the last link of go's `A imports\n\tB imports` chain). */
  importer?: string;
  /** HTTP status the proxy (or origin) answered, when it answered. */
  httpStatus?: number;
  /** `404 Not Found` as go printed it. */
  httpText?: string;
  /** The cause as go printed it after `MOD@VER: ` (one line; URLs' credentials redacted). */
  text: string;
  /** The whole block, credentials redacted. */
  raw: string;
}

export interface Requirement {
  path: string;
  version?: string;
}

const MODVER = String.raw`([^\s@:()]+)@([^\s:/()]+)`;

/** Fold continuation lines (`\tserver response: …`) into one line. */
function fold(lines: readonly string[]): string {
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

/** The longest required module path that is a prefix of an import path. */
export function requirementOf(requires: readonly Requirement[], pkg: string): Requirement | undefined {
  return requires.filter((r) => pkg === r.path || pkg.startsWith(`${r.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** Parse one error block of go's stderr (see goErrorBlocks) or one `go list` Error.Err. */
export function parseGoError(block: string, requires: readonly Requirement[] = []): GoError {
  const raw = redactUrls(block.replace(/\r/g, '').trimEnd());
  const lines = raw.split('\n');
  let i = 0;
  const chain: string[] = [];
  // `go: A imports` / `\tB imports` / `A tested by` / `\tA.test imports`
  for (; i < lines.length; i++) {
    const m = /^(?:go: )?\s*(\S+) (?:imports|tested by)$/.exec(lines[i]!);
    if (!m) break;
    chain.push(m[1]!);
  }
  let rest = fold(lines.slice(i)).replace(/^go: /, '');
  // A position first (go build, go list): `main.go:3:8: …`, `C:\x\main.go:3:8: …`.
  rest = rest.replace(/^(?:[A-Za-z]:)?[^\s:][^:\n]*\.go:\d+(?::\d+)?: /, '');
  const out: Partial<GoError> = {};
  if (chain.length) out.importer = chain[chain.length - 1]!.replace(/\.test$/, '');
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(?:verifying (?:module: |go\\.mod: )?)?${MODVER}(?:/go\\.mod)?(?:: | (\\(replaced by [^)]*\\)): )(.*)$`, 's').exec(rest))) {
    out.module = m[1];
    out.version = m[2];
    rest = m[3] ? `${m[3]}: ${m[4]}` : m[4]!;
  } else if ((m = new RegExp(`^${MODVER} (requires go >= .*)$`, 's').exec(rest))) {
    out.module = m[1];
    out.version = m[2];
    rest = m[3]!;
  } else if ((m = new RegExp(`^([^\\s@:]+): (?:verifying (?:module: |go\\.mod: )?)?${MODVER}(?:/go\\.mod)?: (.*)$`, 's').exec(rest))) {
    // `PKG: MOD@VER: cause`
    out.package = m[1];
    out.module = m[2];
    out.version = m[3];
    rest = m[4]!;
  } else if (chain.length && (m = /^([^\s@:]+): (.*)$/s.exec(rest))) {
    // `A imports\n\tPKG: cause` (no module named: GOPROXY=off, no-module…)
    out.package = m[1];
    rest = m[2]!;
  }
  // `module X@V requires go >= …` inside the cause names the module too.
  if (!out.module && (m = new RegExp(`(?:^|: )module ${MODVER} requires go >= `).exec(rest))) {
    out.module = m[1];
    out.version = m[2];
  }
  const noModule = /(?:cannot find module providing package|no required module provides package) (\S+?)(?::|;|$)/.exec(rest);
  if (noModule && !out.package) out.package = noModule[1];
  const http = /: ((?:[1-5]\d\d) [A-Z][A-Za-z' -]*?)(?:;|$)/.exec(rest);
  if (http) {
    out.httpText = http[1]!.trim();
    out.httpStatus = Number(out.httpText.slice(0, 3));
  }

  let kind: GoErrorKind;
  if (/checksum mismatch/.test(rest)) kind = 'checksum-mismatch';
  else if (/missing go\.sum entry/.test(rest)) kind = 'missing-sum';
  else {
    kind = classifyFetchError(rest);
    if (noModule && (kind === 'not-found' || kind === 'other')) kind = 'no-module';
  }
  if (!out.module && out.package && requires.length) {
    const r = requirementOf(requires, out.package);
    if (r) {
      out.module = r.path;
      if (r.version) out.version = r.version;
      out.moduleFromRequires = true;
    }
  }
  return { kind, ...out, text: rest.trim(), raw } as GoError;
}

/** Every error of go's stderr, progress lines left out. */
export function parseGoErrors(stderr: string, requires: readonly Requirement[] = []): GoError[] {
  return goErrorBlocks(stderr).map((b) => parseGoError(b, requires));
}

/** Kinds that mean "go could not download this module" (what mod-verify's `go mod download` reports). */
export const DOWNLOAD_KINDS: ReadonlySet<GoErrorKind> = new Set<GoErrorKind>(['offline', 'network', 'not-found', 'auth', 'sumdb']);

/** Whether the error is a failure to download a named module. */
export function isDownloadFailure(e: GoError): boolean {
  return DOWNLOAD_KINDS.has(e.kind) && !!e.module;
}

/**
 * The identity of a module-level cause: equal keys are the same root cause, whichever check and
 * command saw it (`not-found example.com/dep@v1.1.0`). Undefined when the error names no module.
 */
export function causeKey(e: GoError): string | undefined {
  if (!e.module) return undefined;
  return `${e.kind} ${e.module}${e.version ? `@${e.version}` : ''}`;
}

function modVer(e: GoError): string {
  return `${e.module}${e.version ? `@${e.version}` : ''}`;
}

/** The cause in words, naming the module that failed (never the importing package). */
export function describeGoError(e: GoError): string {
  const what = e.module ? modVer(e) : e.package ? `the module of package ${e.package}` : 'a module';
  switch (e.kind) {
    case 'offline':
      return `${what} is not in the module cache and downloads are disabled (GOPROXY=off)`;
    case 'network':
      return `the module proxy or origin could not be reached for ${what} (${shortCause(e)})`;
    case 'not-found':
      if (e.httpStatus && e.module) return `the proxy does not serve ${what} (${e.httpText})`;
      return e.module ? `${what} was not found (${shortCause(e)})` : `not found: ${shortCause(e)}`;
    case 'no-module':
      return `no module provides package ${e.package ?? '?'}${e.httpText ? ` (the proxy answered ${e.httpText} for it)` : ''}`;
    case 'auth':
      return `${what} needs credentials (${shortCause(e)})`;
    case 'sumdb':
      return `the checksum database cannot verify ${what}`;
    case 'too-new':
      return `${what} requires a newer Go (${/requires go >= [^\s)]+/.exec(e.text)?.[0] ?? e.text})`;
    case 'local-replace':
      return `the local replacement of ${what} does not exist or has no go.mod`;
    case 'checksum-mismatch':
      return `${what} does not match its recorded checksum`;
    case 'missing-sum':
      return `go.sum has no entry for ${e.module ? what : e.package ? `the module providing ${e.package}` : 'a module'}`;
    case 'other':
      return e.text;
  }
}

/** The cause without the URL part: `dial tcp 127.0.0.1:1: connect: connection refused`. */
function shortCause(e: GoError): string {
  const t = e.text.replace(/^(?:reading \S+|Get "[^"]*"): /, '');
  return t.length > 160 ? `${t.slice(0, 157)}…` : t;
}

/** A hint for the cause, naming the module; `fix` is the command that tidies/loads afterwards. */
export function goErrorHint(e: GoError, opts: { goproxy: string; then?: string; isPublicHost?: (host: string) => boolean }): string {
  const then = opts.then ? `, then run \`${opts.then}\`` : '';
  const mod = e.module ?? '';
  const prefix = (p: string) => p.split('/').slice(0, 2).join('/');
  const isPublic = (p: string) => opts.isPublicHost?.(p.split('/')[0]!) ?? false;
  switch (e.kind) {
    case 'offline':
      return `Allow module downloads (unset GOPROXY=off or set a reachable proxy) or restore the module cache before this step${then}.`;
    case 'network':
      return `Check network access to the module proxy (GOPROXY=${redactUrls(opts.goproxy) || 'unset'}), HTTPS_PROXY/NO_PROXY and the proxy's credentials, then retry.`;
    case 'not-found':
      if (!mod) return `Check the module path and version${then}.`;
      return (
        `Check that ${e.version ? `version ${e.version} of ${mod}` : mod} exists (\`go list -m -versions ${mod}\`) and require one the proxy serves (\`go get ${mod}@<version>\`)` +
        (isPublic(mod) ? '' : `; if ${mod} is private, set GOPRIVATE=${prefix(mod)} so go fetches it from its origin`) +
        `${then}.`
      );
    case 'no-module': {
      const pkg = e.package ?? '';
      return isPublic(pkg) || !pkg
        ? `Fix the import path of ${pkg || 'the package'} (or require the module that provides it)${then}.`
        : `Fix the import path of ${pkg}, or, if it is private, set GOPRIVATE=${prefix(pkg)} and make it fetchable (git credentials)${then}.`;
    }
    case 'auth':
      return `${mod || 'The module'} is private: set GOPRIVATE=${prefix(mod || e.package || '')} and give git credentials (a .netrc entry, a git url.insteadOf rule with a token, or GOAUTH).`;
    case 'sumdb':
      return `If ${mod} is private, add its prefix to GOPRIVATE (or GONOSUMDB) so go does not look it up in the public checksum database.`;
    case 'too-new':
      return `Use a newer Go or require an older version of ${mod || 'the dependency'} (see the modules check).`;
    case 'local-replace':
      return `The local replacement of ${mod} is missing (see the modules check): check it out next to this repository in CI, or drop the replace directive.`;
    case 'checksum-mismatch':
      return `Do not run \`go mod tidy\` to "fix" this: see the mod-verify check, which compares the download with go.sum.`;
    case 'missing-sum':
      return mod ? `Run \`go mod download ${mod}\`${then ? ` or \`${opts.then}\`` : ''} and commit go.sum.` : `Run \`${opts.then ?? 'go mod tidy'}\` and commit go.sum.`;
    case 'other':
      return `Fix the error above${then}.`;
  }
}
