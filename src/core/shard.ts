// `--shard I/N`: split the module-level work of one run over N jobs (a GitHub Actions matrix).
//
// Modules are assigned greedily, largest first, to the shard with the least work so far, where a
// module's work is estimated by the size of its go.mod and go.sum (the number of dependencies to
// download, verify and list). Sizes then directory order break ties, so every job of a matrix
// computes the same assignment from the same commit, and a rerun of a job gets the same modules.
// Repo-wide checks run in shard 1 only.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import type { ModuleInfo } from './probe.js';
import type { CheckId } from './types.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Checks about the repository as a whole: they run in shard 1 and are skipped in the others. */
export const REPO_WIDE_CHECKS: ReadonlySet<CheckId> = new Set<CheckId>(['toolchain', 'go-env', 'git-clean', 'secrets', 'targets']);

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** Parse `I/N` (1 <= I <= N). */
export function parseShard(text: string, where: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ConfigurationError(`invalid shard "${text}": write I/N with 1 <= I <= N, e.g. 2/4`, where);
  }
  return { index, count };
}

/** Assign each unit (by key) to a shard 1..count, balancing the summed weights. */
export function assignShards(units: ReadonlyArray<{ key: string; weight: number }>, count: number): Map<string, number> {
  const order = [...units].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const u of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
    // +1 per module: the fixed cost of its go commands, whatever its size.
    load[best]! += u.weight + 1024;
    out.set(u.key, best + 1);
  }
  return out;
}

/** The modules of shard `shard` among `modules` (order kept). */
export async function modulesOfShard(modules: readonly ModuleInfo[], shard: Shard): Promise<ModuleInfo[]> {
  if (shard.count <= 1) return [...modules];
  const units = await Promise.all(
    modules.map(async (m) => {
      const sum = await fs.stat(path.join(m.dir, 'go.sum')).then((s) => s.size, () => 0);
      return { key: m.relDir, weight: Buffer.byteLength(m.text) + sum };
    }),
  );
  const assigned = assignShards(units, shard.count);
  return modules.filter((m) => assigned.get(m.relDir) === shard.index);
}
