// Real Go modules in real git repos, made in temp dirs for each test.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Write files (relative paths, forward slashes) under dir. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, content);
  }
}

export async function tempDir(prefix = 'gp-test'): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  made.push(d);
  return d;
}

/**
 * A temp dir with these files; by default a git repo with everything committed.
 * `git: false` for a plain dir, `commit: false` to leave the files untracked.
 */
export async function makeRepo(
  files: Record<string, string | Buffer>,
  opts: { git?: boolean; commit?: boolean } = {},
): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, files);
  if (opts.git !== false) {
    git(dir, 'init', '-q', '-b', 'main');
    if (opts.commit !== false) {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', 'init');
    }
  }
  return dir;
}

/** A go.mod text. */
export function goMod(module: string, goVersion = '1.22', extra = ''): string {
  return `module ${module}\n\ngo ${goVersion}\n${extra ? `\n${extra}\n` : ''}`;
}

/** Content hash of every file under dir (including .git/index and refs), to prove a run changed nothing. */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) {
        // Object files are content-addressed; new ones would show up in refs/index changes anyway.
        if (rel === path.join('.git', 'objects')) continue;
        await walk(p);
      } else if (e.isFile()) {
        out.set(rel, createHash('sha256').update(await fs.readFile(p)).digest('hex'));
      } else if (e.isSymbolicLink()) {
        out.set(rel, `link:${await fs.readlink(p)}`);
      }
    }
  };
  await walk(dir);
  return out;
}

export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
}
