// Old Go toolchains for tests, fetched once per machine through the module proxy as the module
// golang.org/toolchain@v0.0.1-goX.Y.Z.<os>-<arch> (the proxy from `go env GOPROXY`), into one
// module cache under the OS temp dir that every test file shares: a CI run downloads each
// toolchain once. The same cache is the GOMODCACHE of the tests that run the old Go, so a toolchain
// that go switches to (GOTOOLCHAIN=auto) is downloaded there once too.

import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The shared module cache of test toolchains. */
export const TOOLCHAIN_CACHE = path.join(os.tmpdir(), 'go-preflight-test-toolchains');

export interface OldGo {
  version: string;
  /** GOROOT of the toolchain. */
  root: string;
  /** Its bin directory (put first on PATH). */
  binDir: string;
  /** Environment (on top of process.env) that makes it THE go: PATH first, no user go env file. */
  env: Record<string, string | undefined>;
}

const pending = new Map<string, Promise<OldGo | string>>();

async function makeExecutable(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  await Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.chmod(path.join(dir, e.name), 0o555).catch(() => {})));
}

/** The environment that runs `bin` as THE go: first on PATH, the shared module cache, no go env -w file. */
export function goEnvFor(binDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    // The machine's `go env -w` settings (GOTOOLCHAIN, GOFLAGS) must not decide the test.
    GOENV: 'off',
    GOTOOLCHAIN: undefined,
    GOFLAGS: undefined,
    GOROOT: undefined,
    GOMODCACHE: TOOLCHAIN_CACHE,
    ...extra,
  };
}

/**
 * Download go<version> (e.g. 1.21.13) once; resolves to the toolchain, or to the reason it cannot
 * be had here (not linux/amd64, proxy unreachable), which the test prints before skipping.
 */
export function oldGo(version: string): Promise<OldGo | string> {
  let p = pending.get(version);
  if (!p) {
    p = (async () => {
      if (process.platform !== 'linux' || process.arch !== 'x64') return `old Go toolchains are fetched for linux/amd64 only (this is ${process.platform}/${process.arch})`;
      const mod = `golang.org/toolchain@v0.0.1-go${version}.linux-amd64`;
      try {
        const { stdout } = await run('go', ['mod', 'download', '-json', mod], {
          cwd: os.tmpdir(),
          env: { ...process.env, GOMODCACHE: TOOLCHAIN_CACHE, GOFLAGS: '', GOTOOLCHAIN: 'local', GOENV: 'off' },
          timeout: 600_000,
          maxBuffer: 1 << 20,
        });
        const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
        if (!dir) return `\`go mod download ${mod}\` printed no Dir`;
        // Module zips carry no file modes: make the commands executable (go does the same after a switch).
        await makeExecutable(path.join(dir, 'bin'));
        const tools = path.join(dir, 'pkg', 'tool');
        for (const d of await fs.readdir(tools).catch(() => [] as string[])) await makeExecutable(path.join(tools, d));
        const binDir = path.join(dir, 'bin');
        return { version, root: dir, binDir, env: goEnvFor(binDir) };
      } catch (e) {
        const err = e as { stderr?: string; message?: string };
        return `cannot download ${mod} through the module proxy: ${(err.stderr || err.message || String(e)).trim().split('\n').slice(-1)[0]}`;
      }
    })();
    pending.set(version, p);
  }
  return p;
}

/** Print why a test is skipped (jest shows console output) and say so to the caller. */
export function skipped(reason: string | OldGo): reason is string {
  if (typeof reason === 'string') {
    console.warn(`skipped: ${reason}`);
    return true;
  }
  return false;
}
