// Reading go's module fetch errors for mod-verify: which module failed (not the package that
// needed it), and whether the proxy answered "I do not serve this" (403/404/410).
//
//   go: example.com/app/internal/tools: example.com/gen@v0.1.0: reading https://P/example.com/gen/@v/v0.1.0.info: 404 Not Found
//   go: example.com/a@v1.0.0 requires
//   	example.com/b@v0.2.0: reading https://P/example.com/b/@v/v0.2.0.mod: 410 Gone
//   verifying example.com/c@v1.1.0: ...

import type { ModuleInfo } from './probe.js';

export interface FetchErrorSubject {
  /** The package go was loading when the fetch failed, when it says so. */
  pkg?: string;
  /** The module that could not be fetched. */
  path: string;
  version?: string;
  /** The error after `MOD@VER: ` (the first line and its continuation lines). */
  rest: string;
}

const MOD_AT = /([^\s@:]+)@([^\s:/()]+)(?:\/go\.mod)?(?: \(replaced by [^)]*\))?: /;

/** The module (and package) a go error block is about, or undefined when it names none. */
export function parseFetchError(block: string): FetchErrorSubject | undefined {
  const lines = block.replace(/\r/g, '').split('\n');
  // A requirement chain names the failing module last: `A@v requires\n\tB@v: err`.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/^\s+/, '');
    const m = new RegExp(`^(?:go: )?(?:verifying (?:module: |go\\.mod: )?)?(?:([^\\s@:]+): )?${MOD_AT.source}`).exec(line);
    if (!m) continue;
    const rest = [line.slice(m[0].length), ...lines.slice(i + 1)].join('\n').trim();
    return { ...(m[1] ? { pkg: m[1] } : {}), path: m[2]!, version: m[3], rest };
  }
  return undefined;
}

/** `404 Not Found` when a proxy answered 403, 404 or 410 (it does not serve the module or version). */
export function proxyRefusal(text: string): string | undefined {
  if (/disabled by GOPROXY=off/.test(text)) return undefined;
  const m = /reading https?:\/\/\S+: ((?:403|404|410) [A-Za-z ]*[A-Za-z])/.exec(text);
  return m?.[1];
}

/** The module of the repository whose module path is `modPath`, if any. */
export function repoModule(modules: readonly ModuleInfo[], modPath: string): ModuleInfo | undefined {
  return modules.find((m) => m.path === modPath);
}

/**
 * Whether `-mod=vendor` is in effect for a module's build: GOFLAGS' last -mod flag, else go's
 * default since Go 1.14 (vendor/ present and the go line at 1.14 or later; no go line counts as
 * later since Go 1.17 assumes 1.16).
 */
export function vendorModeOf(mod: Pick<ModuleInfo, 'hasVendorDir' | 'goLine'>, goflags: string | undefined): boolean {
  let flag: string | undefined;
  for (const f of (goflags ?? '').split(/\s+/)) {
    const m = /^--?mod=(\S+)$/.exec(f);
    if (m) flag = m[1];
  }
  if (flag) return flag === 'vendor';
  if (!mod.hasVendorDir) return false;
  if (!mod.goLine) return true;
  const [maj, min] = mod.goLine.split('.').map((x) => Number.parseInt(x, 10));
  return (maj ?? 0) > 1 || (maj === 1 && (min ?? 0) >= 14);
}
