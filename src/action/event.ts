// The commits of the change a workflow run inspects, read from the event payload
// (GITHUB_EVENT_PATH): a pull request's base.sha..head.sha, a push's before..after. The secret scan
// reads the lines each of them adds. Nothing here touches the network.

import { promises as fs } from 'node:fs';
import type { ChangeCommits } from '../core/types.js';

const SHA_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const ZERO_RE = /^0+$/;

function sha(v: unknown): string | undefined {
  return typeof v === 'string' && SHA_RE.test(v) ? v : undefined;
}

/** The change's commits from a parsed event payload, or undefined when the event has none. */
export function changeCommitsFromEvent(eventName: string | undefined, event: unknown): ChangeCommits | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as Record<string, unknown>;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = e.pull_request as { base?: { sha?: unknown }; head?: { sha?: unknown }; commits?: unknown } | undefined;
    const base = sha(pr?.base?.sha);
    const head = sha(pr?.head?.sha);
    if (!head) return undefined;
    const count = typeof pr?.commits === 'number' && pr.commits > 0 ? pr.commits : undefined;
    return { source: 'pull_request', ...(base ? { base } : {}), head, ...(count ? { count } : {}) };
  }
  if (eventName === 'push') {
    const after = sha(e.after);
    if (!after || ZERO_RE.test(after)) return undefined; // a deleted branch: nothing was added
    const before = sha(e.before);
    const repo = e.repository as { default_branch?: unknown } | undefined;
    const defaultBranch = typeof repo?.default_branch === 'string' && repo.default_branch && !repo.default_branch.startsWith('-') ? repo.default_branch : undefined;
    const count = Array.isArray(e.commits) && e.commits.length > 0 ? e.commits.length : undefined;
    if (!before || ZERO_RE.test(before)) return { source: 'push', head: after, ...(defaultBranch ? { defaultBranch } : {}), ...(count ? { count } : {}) };
    return { source: 'push', base: before, head: after, ...(count ? { count } : {}) };
  }
  return undefined;
}

/** Read GITHUB_EVENT_PATH; undefined when there is no payload or it cannot be read. */
export async function readChangeCommits(env: Readonly<Record<string, string | undefined>>): Promise<ChangeCommits | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    return changeCommitsFromEvent(env.GITHUB_EVENT_NAME, JSON.parse(await fs.readFile(env.GITHUB_EVENT_PATH, 'utf8')));
  } catch {
    return undefined;
  }
}
