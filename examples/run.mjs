// Runs go-preflight on the bundled example (see examples/README.md). The example is copied into a
// temporary git repository so that the dirty tree and the planted secret never touch this repo.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'go-preflight-example-'));
const git = (...args) =>
  execFileSync('git', args, {
    cwd: work,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GIT_AUTHOR_NAME: 'example', GIT_AUTHOR_EMAIL: 'example@example.com', GIT_COMMITTER_NAME: 'example', GIT_COMMITTER_EMAIL: 'example@example.com' },
  });
try {
  cpSync(path.join(here, 'broken'), work, { recursive: true });
  // A fake live key, generated now so that no token-shaped literal is ever committed here.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const fake = [...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join('');
  writeFileSync(path.join(work, 'config.go'), `package main\n\n// paymentKey was pasted here for a quick test.\nconst paymentKey = "${'sk_' + 'live_'}${fake}"\n\nvar _ = paymentKey\n`);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'example');
  appendFileSync(path.join(work, 'main.go'), '\n// edited by a build step\n');
  writeFileSync(path.join(work, 'coverage.out'), 'mode: set\n');
  const r = spawnSync(process.execPath, [path.join(here, '..', 'dist', 'cli.js'), ...process.argv.slice(2), work], { stdio: 'inherit' });
  // The example is built to fail: exit 1 is the expected outcome and `npm start` succeeds; any
  // other exit code (0: nothing found, 2: bad usage) is passed on.
  if (r.status === 1) process.stderr.write('\nexamples/run.mjs: go-preflight exited 1 (failure), as this example is built to.\n');
  process.exitCode = r.status === 1 ? 0 : (r.status ?? 1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
