// Small file-system questions every part asks.

import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir` that holds `.git` (a work tree's root), if any. */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  for (let d = dir; ; ) {
    if (await exists(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}
