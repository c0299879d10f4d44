// Helpers shared by the module checks (mod-verify, mod-tidy, vendor):
// - read-only temp copies of a module's go.mod/go.sum, so that commands which may write them
//   (`go mod download`, `go mod verify`, `go mod tidy`, `go mod vendor`) run with
//   `-modfile=<temp>/go.mod` and touch only the copies (go reads and writes `<temp>/go.sum` then);
// - reading go's module-fetch errors and telling a network outage from a missing version or an
//   integrity failure;
// - go.sum line lookup and a small line diff (unified format) for summaries.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { READ_LIMITS, readRepoFileIfExists } from '../../core/safe-read.js';
import { isPublicModuleHost } from '../../core/module-paths.js';
import type { CheckContext } from '../../core/types.js';
import type { ModuleInfo } from '../../core/probe.js';

export interface ModCopy {
  /** The temp directory holding the copies. */
  dir: string;
  /** `<dir>/go.mod`: pass as `-modfile=`. */
  modFile: string;
  /** `<dir>/go.sum` (absent when the module has no go.sum). */
  sumFile: string;
  /** The module's go.sum text when the copy was made ('' when it has none). */
  originalSum: string;
  hadSum: boolean;
}

/** Copy the module's go.mod (and go.sum when present) into a fresh temp dir. */
export async function copyModFiles(ctx: CheckContext, mod: ModuleInfo, prefix: string): Promise<ModCopy> {
  const dir = await ctx.tempDir(prefix);
  const modFile = path.join(dir, 'go.mod');
  const sumFile = path.join(dir, 'go.sum');
  await fs.copyFile(path.join(mod.dir, 'go.mod'), modFile);
  let originalSum = '';
  let hadSum = false;
  // go.sum is the repository's: a link out of it, a FIFO or a device is refused (the check is then
  // an error naming it), never read or copied. No go.sum: go creates <dir>/go.sum if it needs one.
  const sum = await readIfExists(path.join(mod.dir, 'go.sum'), ctx.probe.git.root ?? ctx.dir);
  if (sum !== undefined) {
    originalSum = sum;
    hadSum = true;
    await fs.writeFile(sumFile, originalSum);
  }
  return { dir, modFile, sumFile, originalSum, hadSum };
}

/**
 * A file's text, undefined when it does not exist. With `root` (a file of the inspected
 * repository), it is read through core/safe-read.ts and a refusal (a link out of the repository,
 * not a regular file, too large) throws UnsafeReadError, so the check ends in error naming it.
 */
export async function readIfExists(file: string, root?: string, maxBytes: number = READ_LIMITS.goSum): Promise<string | undefined> {
  if (root !== undefined) return readRepoFileIfExists(file, { root, maxBytes, allowOutside: true });
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `(cd sub && go mod tidy)` style command prefix for a module; empty for the root module. */
export function inModule(mod: Pick<ModuleInfo, 'relDir'>, command: string): string {
  return mod.relDir === '.' || mod.relDir === '' ? command : `cd ${mod.relDir} && ${command}`;
}

/** Lines of text without trailing CR, without the empty string after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** 1-based line of `path version h1:...` (or `path version/go.mod h1:...`) in go.sum text. */
export function goSumLine(sumText: string, modPath: string, version: string, goMod = false): number | undefined {
  const want = `${modPath} ${version}${goMod ? '/go.mod' : ''}`;
  const lines = splitLines(sumText);
  const i = lines.findIndex((l) => {
    const f = l.trim().split(/\s+/);
    return `${f[0]} ${f[1]}` === want;
  });
  return i < 0 ? undefined : i + 1;
}

/** Set of `path version[/go.mod]` keys in go.sum text. */
export function goSumKeys(sumText: string): Set<string> {
  const out = new Set<string>();
  for (const l of splitLines(sumText)) {
    const f = l.trim().split(/\s+/);
    if (f.length >= 3) out.add(`${f[0]} ${f[1]}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// go's error output

/**
 * Split go's stderr into error blocks: a line that does not start with a tab opens a block, and
 * tab-indented lines continue it (`server response:` lines, import stacks). Progress lines
 * (`go: downloading`, `go: finding module`, `go: found`) are dropped.
 */
export function goErrorBlocks(stderr: string): string[] {
  const blocks: string[] = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && blocks.length) {
      blocks[blocks.length - 1] += `\n${line}`;
      continue;
    }
    blocks.push(line);
  }
  return blocks.filter((b) => !/^go: (downloading|finding module|found|extracting|upgraded|added|warning:) /.test(b));
}

/** One line out of a block: tabs and newlines folded (`…: 404 Not Found; server response: …`). */
export function foldBlock(block: string): string {
  const lines = block
    .replace(/^go: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // `X imports\n\tY: err` reads as one sentence: `X imports Y: err`.
  return lines.reduce((acc, l, i) => (i === 0 ? l : `${acc}${/ imports$/.test(lines[i - 1]!) ? ' ' : '; '}${l}`), '');
}

/** Hide credentials embedded in URLs (`https://user:token@host`) before they reach a report. */
export function redactUrls(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

export type FetchProblem =
  /** GOPROXY=off and the module is not in the cache. */
  | 'offline'
  /** The proxy / origin / checksum DB could not be reached (DNS, TCP, TLS, timeouts, 5xx). */
  | 'network'
  /** The server answered: no such module or version (404/410/400, unknown revision). */
  | 'not-found'
  /** Credentials needed (private repository). */
  | 'auth'
  /** The checksum database does not know the module (typically a private module). */
  | 'sumdb'
  /** The dependency needs a newer Go. */
  | 'too-new'
  /** A local `replace` target (`=> ../dir`) is missing or has no go.mod: nothing to download. */
  | 'local-replace'
  | 'other';

/** What kind of failure a go fetch error is. Integrity failures (checksum mismatch) are handled apart. */
export function classifyFetchError(text: string): FetchProblem {
  // `X@v (replaced by ../dir): reading ../dir/go.mod: open …: no such file or directory`
  if (/\(replaced by (?:\.{1,2}[\/\\]|[\/\\]|[A-Za-z]:)[^)]*\): reading /.test(text)) return 'local-replace';
  if (/disabled by GOPROXY=off/.test(text)) return 'offline';
  if (/requires go >= /.test(text)) return 'too-new';
  if (
    /dial tcp|no such host|i\/o timeout|TLS handshake|connection refused|connection reset|network is unreachable|no route to host|context deadline exceeded|Client\.Timeout|proxyconnect|server misbehaving|temporary failure in name resolution|unexpected EOF|x509: |tls: |: 5\d\d [A-Z]/i.test(
      text,
    )
  ) {
    return 'network';
  }
  if (/terminal prompts disabled|could not read Username|: 401 Unauthorized|authentication (failed|required)|Permission denied \(publickey\)/i.test(text)) {
    return 'auth';
  }
  if (/verifying (module|go\.mod): .*\/lookup\//s.test(text)) return 'sumdb';
  if (
    /: (400|403|404|410) [A-Z]|not available|unknown revision|invalid version|no matching versions|does not contain package|cannot find module|unrecognized import path|repository not found|no such file or directory|not found/i.test(
      text,
    )
  ) {
    return 'not-found';
  }
  return 'other';
}

/** `module@version` named at the start of a go error (`go: X@v: …`, `verifying X@v: …`). */
export function moduleOfError(block: string): { path: string; version?: string } | undefined {
  const m = /^(?:go: )?(?:verifying (?:module: |go\.mod: )?)?([^\s@:]+)@([^\s:/]+)(?:\/go\.mod)?(?::| \(replaced by)/.exec(block);
  if (m) return { path: m[1]!, version: m[2] };
  return undefined;
}

/** A hint for a fetch problem; goproxy is the (redacted) GOPROXY value. */
export function fetchHint(kind: FetchProblem, modPath: string, goproxy: string): string {
  switch (kind) {
    case 'offline':
      return (
        'Not an integrity problem: the module is not in the module cache and GOPROXY=off forbids downloads. ' +
        'Allow downloads (unset GOPROXY or set it to a reachable proxy) or restore the module cache before this step.'
      );
    case 'network':
      return (
        `Not an integrity problem: the proxy or origin was unreachable (GOPROXY=${goproxy || 'unset'}). ` +
        'Check network access and HTTPS_PROXY/NO_PROXY, the proxy URL and its credentials, then retry; nothing was verified for this module.'
      );
    case 'not-found':
      return (
        `Check that this version exists (\`go list -m -versions ${modPath}\`) and fix the requirement (\`go get ${modPath}@<version>\`)` +
        // A GOPRIVATE hint for golang.org/x would send the reader the wrong way.
        (isPublicModuleHost(modPath.split('/')[0]!)
          ? '.'
          : `; for a private module set GOPRIVATE=${modPath.split('/').slice(0, 2).join('/')} so go fetches it directly.`)
      );
    case 'auth':
      return (
        `The module is private: set GOPRIVATE=${modPath.split('/').slice(0, 2).join('/')} and give git credentials ` +
        '(a .netrc entry, `git config url."https://x-access-token:${TOKEN}@github.com/".insteadOf`, or GOAUTH).'
      );
    case 'sumdb':
      return (
        `The public checksum database does not know this module: if ${modPath} is private, add its prefix to GOPRIVATE ` +
        '(or GONOSUMDB) so go does not look it up there.'
      );
    case 'too-new':
      return 'Use a newer Go or require an older version of the dependency (the modules check names the dependency and the Go it needs).';
    case 'local-replace':
      return (
        `Not a download or integrity problem: the local replacement of ${modPath} is missing (see the modules check). ` +
        'Check it out next to this repository in CI, or drop the replace directive.'
      );
    case 'other':
      return 'Run the command shown in the message locally for the full output.';
  }
}

export function fetchProblemText(kind: FetchProblem): string {
  switch (kind) {
    case 'offline':
      return 'downloads are disabled (GOPROXY=off) and it is not in the module cache';
    case 'network':
      return 'the module proxy or origin could not be reached';
    case 'not-found':
      return 'the proxy or origin does not have it';
    case 'auth':
      return 'the origin asks for credentials';
    case 'sumdb':
      return 'the checksum database cannot verify it';
    case 'too-new':
      return 'it needs a newer Go';
    case 'local-replace':
      return 'its local replacement directory does not exist or has no go.mod';
    case 'other':
      return 'go failed';
  }
}

// ---------------------------------------------------------------------------------------------
// Line diff

type Op = { kind: ' ' | '-' | '+'; text: string };

/** Line diff (LCS; go.mod/go.sum/modules.txt are small). */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // Trim the common prefix and suffix so the quadratic table stays small.
  let pre = 0;
  while (pre < n && pre < m && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < n - pre && suf < m - pre && a[n - 1 - suf] === b[m - 1 - suf]) suf++;
  const A = a.slice(pre, n - suf);
  const B = b.slice(pre, m - suf);
  const ops: Op[] = a.slice(0, pre).map((text) => ({ kind: ' ', text }));
  if (A.length * B.length > 4_000_000) {
    // Too big for the table: all out, all in.
    for (const text of A) ops.push({ kind: '-', text });
    for (const text of B) ops.push({ kind: '+', text });
  } else {
    const w = B.length + 1;
    const t = new Uint32Array((A.length + 1) * w);
    for (let i = A.length - 1; i >= 0; i--) {
      for (let j = B.length - 1; j >= 0; j--) {
        t[i * w + j] = A[i] === B[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < A.length || j < B.length) {
      if (i < A.length && j < B.length && A[i] === B[j]) {
        ops.push({ kind: ' ', text: A[i]! });
        i++;
        j++;
      } else if (i < A.length && (j >= B.length || t[(i + 1) * w + j]! >= t[i * w + j + 1]!)) {
        // Deletions before insertions, as diff(1) prints them.
        ops.push({ kind: '-', text: A[i]! });
        i++;
      } else {
        ops.push({ kind: '+', text: B[j]! });
        j++;
      }
    }
  }
  for (const text of a.slice(n - suf)) ops.push({ kind: ' ', text });
  return ops;
}

/**
 * A unified diff of two texts in the format of `go mod tidy -diff` (`diff current/go.mod tidy/go.mod`
 * header, 3 lines of context), or '' when equal.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  if (!ops.some((o) => o.kind !== ' ')) return '';
  const out = [`diff ${oldName} ${newName}`, `--- ${oldName}`, `+++ ${newName}`];
  // Positions of every op in both files.
  const pos: Array<{ o: number; n: number }> = [];
  let o = 0;
  let nn = 0;
  for (const op of ops) {
    pos.push({ o, n: nn });
    if (op.kind !== '+') o++;
    if (op.kind !== '-') nn++;
  }
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context lines.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((h) => h.kind !== '+').length;
    const newCount = hunk.filter((h) => h.kind !== '-').length;
    const oldStart = oldCount ? pos[start]!.o + 1 : pos[start]!.o;
    const newStart = newCount ? pos[start]!.n + 1 : pos[start]!.n;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const h of hunk) out.push(`${h.kind}${h.text}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}

export interface DiffSection {
  /** `go.mod` / `go.sum`: the name after `current/`. */
  file: string;
  /** Every hunk line, in order, with old/new line numbers (1-based; the line it stands at or before). */
  lines: Array<{ kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number }>;
  /** The section text as printed. */
  text: string;
}

/** Parse `diff current/X tidy/X` sections (go mod tidy -diff output, or unifiedDiff's). */
export function parseUnifiedDiff(text: string): DiffSection[] {
  const sections: DiffSection[] = [];
  let cur: DiffSection | undefined;
  let oldLine = 0;
  let newLine = 0;
  const rawLines = text.split('\n');
  for (const raw of rawLines) {
    const line = raw.replace(/\r$/, '');
    const head = /^diff (\S+) (\S+)$/.exec(line);
    if (head) {
      cur = { file: head[1]!.replace(/^[^/]*\//, ''), lines: [], text: `${line}\n` };
      sections.push(cur);
      continue;
    }
    if (!cur) continue;
    cur.text += `${line}\n`;
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      // `-s,c`: the hunk starts at old line s; with c = 0 it inserts after line s.
      const s = Number(h[1]);
      const t = Number(h[3]);
      oldLine = h[2] === '0' ? s + 1 : s;
      newLine = h[4] === '0' ? t + 1 : t;
      continue;
    }
    const kind = line[0];
    if (kind === ' ' || kind === '-' || kind === '+') {
      cur.lines.push({ kind, text: line.slice(1), oldLine, newLine });
      if (kind !== '+') oldLine++;
      if (kind !== '-') newLine++;
    }
  }
  for (const s of sections) s.text = s.text.replace(/\n+$/, '\n');
  return sections;
}

/** Apply a parsed section to the old text's lines: the new file's lines. */
export function applyDiff(oldLines: readonly string[], section: DiffSection): string[] {
  const out: string[] = [];
  let i = 0; // index in oldLines (0-based)
  for (const l of section.lines) {
    const at = l.oldLine - 1;
    while (i < at && i < oldLines.length) out.push(oldLines[i++]!);
    if (l.kind === ' ') {
      if (i < oldLines.length) out.push(oldLines[i++]!);
      else out.push(l.text);
    } else if (l.kind === '-') i++;
    else out.push(l.text);
  }
  while (i < oldLines.length) out.push(oldLines[i++]!);
  return out;
}

/**
 * The modules go can read (`go mod edit -json` worked), with a note for each one left out: the
 * modules check reports why a go.mod does not parse.
 */
export function readableModules(ctx: CheckContext): { mods: ModuleInfo[]; notes: string[] } {
  const notes: string[] = [];
  const mods = ctx.probe.modules.filter((m) => {
    if (m.parseError) notes.push(`${m.goModFile} skipped: it does not parse (${m.parseError.split('\n').slice(-1)[0]}; see the modules check)`);
    return !m.parseError;
  });
  return { mods, notes };
}
