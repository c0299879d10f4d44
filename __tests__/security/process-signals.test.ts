// SIGTERM/SIGINT (a cancelled workflow, Ctrl-C): every process group go-preflight started is
// killed (children are detached into their own groups, so the terminal's signal does not reach
// them), then the CLI exits 128+n. The CLI entry (src/cli.ts) runs in a child node process through
// a TypeScript loader; a fake `go` hangs in `go list` after starting a grandchild.

import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { pathWith, realGo } from '../helpers/fake-go.js';

afterAll(cleanupTempDirs);

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const loader = pathToFileURL(path.join(here, 'process-ts-loader.mjs')).href;
const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(loader)});`;

/** Alive and not a zombie (a killed process whose parent is gone may linger as one until reaped). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, what: string, tries = 1200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function runAndSignal(signal: 'SIGTERM' | 'SIGINT', entry: 'cli' | 'action' = 'cli') {
  const dir = await makeRepo({ 'go.mod': goMod('example.com/sig', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
  const marks = await tempDir('signal-marks');
  const fakeDir = await tempDir('fake-go-hang');
  // go list: record its pid, start a grandchild (a compiler, say) and hang.
  await fs.writeFile(
    path.join(fakeDir, 'go'),
    `#!/bin/sh\ncase "$1" in\n  list) echo $$ > '${marks}/go.tmp'; mv '${marks}/go.tmp' '${marks}/go'; sleep 600 & echo $! > '${marks}/gc.tmp'; mv '${marks}/gc.tmp' '${marks}/grandchild'; wait ;;\n  *) exec '${realGo}' "$@" ;;\nesac\n`,
    { mode: 0o755 },
  );
  const args = entry === 'cli' ? [path.join(root, 'src', 'cli.ts'), '--checks', 'packages', dir] : [path.join(root, 'src', 'index.ts')];
  // The action reads its inputs from INPUT_* and inspects GITHUB_WORKSPACE.
  const actionEnv = entry === 'action' ? { GITHUB_WORKSPACE: dir, INPUT_CHECKS: 'packages', RUNNER_TEMP: marks } : {};
  const child = spawn(process.execPath, ['--import', register, ...args], {
    env: { ...process.env, PATH: pathWith(fakeDir), NO_COLOR: '1', NODE_OPTIONS: '', ...actionEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  await until(() => existsSync(path.join(marks, 'grandchild')) || child.exitCode !== null, 'the fake go list to start');
  expect(child.exitCode).toBeNull();
  const goPid = Number(await fs.readFile(path.join(marks, 'go'), 'utf8'));
  const grandchild = Number(await fs.readFile(path.join(marks, 'grandchild'), 'utf8'));
  expect(alive(goPid) && alive(grandchild)).toBe(true);

  child.kill(signal);
  const result = await exited;
  // SIGKILL is delivered at once; allow a moment for the kernel to reap them.
  await until(() => !alive(goPid) && !alive(grandchild), 'the process group to be gone', 100).catch(() => {});
  const left = { go: alive(goPid), grandchild: alive(grandchild) };
  // Never leave the test's own processes behind when the code under test failed (go is its group's leader).
  if (left.go || left.grandchild) {
    for (const target of [-goPid, goPid, grandchild]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  return { result, stderr, left };
}

(process.platform === 'linux' ? describe : describe.skip)('signals end every process started', () => {
  it('SIGTERM: the hung go and its grandchild are killed, exit 143', async () => {
    const { result, left } = await runAndSignal('SIGTERM');
    expect(result).toEqual({ code: 143, sig: null });
    expect(left).toEqual({ go: false, grandchild: false });
  });

  it('the action entry point: a cancelled workflow (SIGINT, then SIGTERM) ends the same way', async () => {
    const { result, left } = await runAndSignal('SIGINT', 'action');
    expect(result).toEqual({ code: 130, sig: null });
    expect(left).toEqual({ go: false, grandchild: false });
  });

  it('SIGINT (Ctrl-C): the same, exit 130', async () => {
    const { result, left } = await runAndSignal('SIGINT');
    expect(result).toEqual({ code: 130, sig: null });
    expect(left).toEqual({ go: false, grandchild: false });
  });
});
