// The one way to read a file of the inspected repository. Its content is written by a stranger:
// a committed symlink may point at the runner's environment under procfs, the password file or an
// endless device, and a non-git directory may hold a FIFO. So every read here
//  - resolves the path with realpath and refuses a file that lies outside the inspected root
//    (the git work tree's root, else DIR), whatever chain of links leads there;
//  - opens with O_NONBLOCK (a FIFO cannot block the open) and O_NOFOLLOW on the resolved path, then
//    checks the opened descriptor (fstat): only a regular file is read;
//  - reads at most `maxBytes` (+1 to notice more), whatever the file claims its size is (procfs
//    files say 0), so no file costs more than its cap in memory or time.
// A refusal is an UnsafeReadError whose message names the file and the reason in words, never the
// content. Callers turn it into a finding (see describeUnsafeRead).

import { constants, promises as fs, closeSync, fstatSync, openSync, readSync, realpathSync, lstatSync } from 'node:fs';
import path from 'node:path';

/** Size caps: as large as a legitimate file of that kind ever gets, far below what hurts. */
export const READ_LIMITS = {
  /** `.go-version`, `.tool-versions`. */
  versionFile: 1024,
  /** `.github/go-preflight.yml`. */
  config: 1024 * 1024,
  /** `.gitleaks.toml` and the files it extends. */
  gitleaksConfig: 1024 * 1024,
  /** `.gitleaksignore`. */
  ignoreFile: 4 * 1024 * 1024,
  /** A baseline report (a gitleaks or go-preflight JSON report). */
  baseline: 64 * 1024 * 1024,
  /** go.mod, go.work. */
  goMod: 16 * 1024 * 1024,
  /** go.sum, vendor/modules.txt. */
  goSum: 64 * 1024 * 1024,
  /** A Go source file read for positions. */
  source: 16 * 1024 * 1024,
} as const;

export type UnsafeReadReason = 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

export class UnsafeReadError extends Error {
  readonly reason: UnsafeReadReason;
  /** The path as the caller gave it. */
  readonly file: string;
  readonly limit?: number;
  /** For not-regular: what it is (directory, FIFO, device, socket). */
  readonly kind?: string;
  /** Whether the path itself is a symlink. */
  readonly symlink: boolean;
  readonly detail?: string;
  constructor(reason: UnsafeReadReason, file: string, opts: { limit?: number; kind?: string; symlink?: boolean; detail?: string } = {}) {
    super(explain(reason, path.basename(file), opts));
    this.name = 'UnsafeReadError';
    this.reason = reason;
    this.file = file;
    this.limit = opts.limit;
    this.kind = opts.kind;
    this.symlink = !!opts.symlink;
    this.detail = opts.detail;
  }
}

export function isUnsafeReadError(e: unknown): e is UnsafeReadError {
  return e instanceof Error && e.name === 'UnsafeReadError';
}

function formatSize(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function explain(reason: UnsafeReadReason, name: string, o: { limit?: number; kind?: string; symlink?: boolean; detail?: string }): string {
  switch (reason) {
    case 'missing':
      return o.symlink ? `${name} is a symlink to a file that does not exist: not read` : `${name} does not exist`;
    case 'outside':
      return o.symlink ? `${name} is a symlink to ${o.kind ?? 'a file'} outside the repository: not read` : `${name} is outside the repository: not read`;
    case 'not-regular':
      return `${name} ${o.symlink ? 'is a symlink to' : 'is'} ${o.kind ?? 'a special file'}, not a regular file: not read`;
    case 'too-large':
      return `${name} is larger than ${formatSize(o.limit ?? 0)}, more than such a file ever holds: not read`;
    case 'unreadable':
      return `${name} cannot be read${o.detail ? ` (${o.detail})` : ''}`;
  }
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

export interface SafeReadOptions {
  /**
   * The inspected root (the git work tree's root, else DIR). A path inside it must still resolve
   * inside it after every symlink; a path outside it is refused unless `allowOutside`.
   */
  root: string;
  /** Largest accepted size in bytes (see READ_LIMITS). */
  maxBytes: number;
  /**
   * Accept a path that is outside the root as written (a `--config` the user named elsewhere, a
   * go.work found above the repository by go, a `use ../sibling` module). Only its type and size
   * are checked then. A path inside the root that links out is refused whatever this says.
   */
  allowOutside?: boolean;
}

// O_NONBLOCK: opening a FIFO for reading must not wait for a writer. O_NOFOLLOW: the resolved path
// was checked; a link swapped in after that is not followed. Both are 0 where they do not exist
// (Windows has neither FIFOs nor this kind of link race).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** Whether `file` (as written, before links) is inside `root`: only such paths are the repository's. */
export function isInRepo(root: string, file: string): boolean {
  return inside(path.resolve(root), path.resolve(file));
}

function fromErrno(e: unknown, file: string, symlink: boolean): UnsafeReadError {
  const code = errno(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnsafeReadError('missing', file, { symlink });
  if (code === 'ELOOP') return new UnsafeReadError('unreadable', file, { symlink, detail: 'a loop of symlinks' });
  if (code === 'EISDIR') return new UnsafeReadError('not-regular', file, { symlink, kind: 'a directory' });
  if (code === 'EACCES' || code === 'EPERM') return new UnsafeReadError('unreadable', file, { symlink, detail: 'permission denied' });
  return new UnsafeReadError('unreadable', file, { symlink, detail: code ?? 'I/O error' });
}

function checkContainment(file: string, abs: string, real: string, root: string, rr: string, symlink: boolean, allowOutside: boolean): void {
  const asWritten = inside(root, abs) || inside(rr, abs);
  if (asWritten) {
    if (!inside(rr, real)) throw new UnsafeReadError('outside', file, { symlink: true });
  } else if (!allowOutside) {
    throw new UnsafeReadError('outside', file, { symlink });
  }
}

const realRoots = new Map<string, Promise<string>>();
function realRoot(root: string): Promise<string> {
  let p = realRoots.get(root);
  if (!p) {
    p = fs.realpath(root).catch(() => path.resolve(root));
    realRoots.set(root, p);
    if (realRoots.size > 64) realRoots.delete(realRoots.keys().next().value!);
  }
  return p;
}

/** The bytes of a regular file inside the root, at most maxBytes. Throws UnsafeReadError. */
export async function readRepoBuffer(file: string, opts: SafeReadOptions): Promise<Buffer> {
  const abs = path.resolve(file);
  let symlink = false;
  let real: string;
  try {
    symlink = (await fs.lstat(abs)).isSymbolicLink();
    real = await fs.realpath(abs);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  const rr = await realRoot(opts.root);
  checkContainment(file, abs, real, path.resolve(opts.root), rr, symlink, !!opts.allowOutside);
  let h: fs.FileHandle;
  try {
    h = await fs.open(real, OPEN_FLAGS);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new UnsafeReadError('not-regular', file, { symlink, kind: kindOf(st) });
    if (st.size > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    // Read up to the cap + 1, whatever the size said (procfs and sysfs files report 0).
    const cap = opts.maxBytes + 1;
    let buf = Buffer.allocUnsafe(Math.min(cap, Math.max(st.size + 1, 4096)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length >= cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      let r: number;
      try {
        ({ bytesRead: r } = await h.read(buf, n, buf.length - n, null));
      } catch (e) {
        if (errno(e) === 'EAGAIN') break;
        throw fromErrno(e, file, symlink);
      }
      if (r === 0) break;
      n += r;
    }
    if (n > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    return buf.subarray(0, n);
  } finally {
    await h.close().catch(() => undefined);
  }
}

/**
 * Whether a file that go (not us) is about to read is safe to hand to it: the same containment,
 * type and size rules as readRepoBuffer, without reading. undefined when it is fine or plainly
 * absent; the refusal otherwise. (go follows a go.sum or vendor/modules.txt that links out of the
 * repository and prints what it finds there in its errors and diffs.)
 */
export async function checkRepoFile(file: string, opts: SafeReadOptions): Promise<UnsafeReadError | undefined> {
  const abs = path.resolve(file);
  let symlink = false;
  try {
    symlink = (await fs.lstat(abs)).isSymbolicLink();
    const real = await fs.realpath(abs);
    checkContainment(file, abs, real, path.resolve(opts.root), await realRoot(opts.root), symlink, !!opts.allowOutside);
    const st = await fs.stat(real);
    if (!st.isFile()) return new UnsafeReadError('not-regular', file, { symlink, kind: kindOf(st) });
    if (st.size > opts.maxBytes) return new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    return undefined;
  } catch (e) {
    const err = isUnsafeReadError(e) ? e : fromErrno(e, file, symlink);
    return err.reason === 'missing' && !err.symlink ? undefined : err;
  }
}

/**
 * Whether a directory of the repository (`vendor/`) stays in it after every symlink: undefined when
 * it does (or does not exist), the refusal otherwise.
 */
export async function checkRepoDir(dir: string, root: string): Promise<UnsafeReadError | undefined> {
  const abs = path.resolve(dir);
  try {
    const symlink = (await fs.lstat(abs)).isSymbolicLink();
    const real = await fs.realpath(abs);
    const rr = await realRoot(root);
    if ((inside(path.resolve(root), abs) || inside(rr, abs)) && !inside(rr, real)) return new UnsafeReadError('outside', dir, { symlink: true, kind: 'a directory' });
    if (!(await fs.stat(real)).isDirectory()) return new UnsafeReadError('not-regular', dir, { symlink, kind: 'not a directory' });
    return undefined;
  } catch {
    return undefined;
  }
}

/** UTF-8 text of a regular file inside the root, at most maxBytes. Throws UnsafeReadError. */
export async function readRepoFile(file: string, opts: SafeReadOptions): Promise<string> {
  return (await readRepoBuffer(file, opts)).toString('utf8');
}

/** Like readRepoFile, but a file that does not exist (not even as a dangling link) is undefined. */
export async function readRepoFileIfExists(file: string, opts: SafeReadOptions): Promise<string | undefined> {
  try {
    return await readRepoFile(file, opts);
  } catch (e) {
    if (isUnsafeReadError(e) && e.reason === 'missing' && !e.symlink) return undefined;
    throw e;
  }
}

/** readRepoFile that never throws: the text, or the refusal (undefined for a plain missing file). */
export async function tryReadRepoFile(file: string, opts: SafeReadOptions): Promise<{ text: string } | { error: UnsafeReadError } | undefined> {
  try {
    return { text: await readRepoFile(file, opts) };
  } catch (e) {
    if (!isUnsafeReadError(e)) return { error: new UnsafeReadError('unreadable', file, { detail: 'I/O error' }) };
    if (e.reason === 'missing' && !e.symlink) return undefined;
    return { error: e };
  }
}

/** Synchronous readRepoBuffer, for the secret scanner's workers (same checks, same errors). */
export function readRepoBufferSync(file: string, opts: SafeReadOptions & { realRoot?: string }): Buffer {
  const abs = path.resolve(file);
  let symlink = false;
  let real: string;
  try {
    symlink = lstatSync(abs).isSymbolicLink();
    real = realpathSync(abs);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  let rr = opts.realRoot;
  if (rr === undefined) {
    try {
      rr = realpathSync(opts.root);
    } catch {
      rr = path.resolve(opts.root);
    }
  }
  checkContainment(file, abs, real, path.resolve(opts.root), rr, symlink, !!opts.allowOutside);
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafeReadError('not-regular', file, { symlink, kind: kindOf(st) });
    if (st.size > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    const cap = opts.maxBytes + 1;
    let buf = Buffer.allocUnsafe(Math.min(cap, Math.max(st.size + 1, 4096)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length >= cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      let r: number;
      try {
        r = readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        if (errno(e) === 'EAGAIN') break;
        throw fromErrno(e, file, symlink);
      }
      if (r === 0) break;
      n += r;
    }
    if (n > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * A finding-ready sentence for a refusal, naming the file by its report path:
 * "`.go-version` is a symlink to a file outside the repository: not read".
 */
export function describeUnsafeRead(e: UnsafeReadError, reportName: string): string {
  return unsafeReadSentence(e, `\`${reportName}\``);
}

/** The same sentence with any subject: "the config file is a directory, not a regular file: not read". */
export function unsafeReadSentence(e: UnsafeReadError, subject: string): string {
  return explain(e.reason, subject, { limit: e.limit, kind: e.kind, symlink: e.symlink, detail: e.detail });
}

/**
 * At most one token of untrusted text, for a message: the first line's first run of non-space
 * characters, cut at `max` characters. A message never quotes more of a file than the token that
 * is wrong.
 */
export function quoteToken(s: string, max = 40): string {
  const first = s.replace(/^[\s\uFEFF]+/, '').split(/[\s\0]/, 1)[0] ?? '';
  // Control characters are never part of a token worth showing.
  // eslint-disable-next-line no-control-regex
  const clean = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * A value from a repository file (a config value, a key), for a message: its first line, cut at
 * `max` characters, control characters replaced. Error lines are printed before any report (and
 * its redaction) exists, so they quote no more than this.
 */
export function clipValue(s: string, max = 64): string {
  const first = s.split(/\r?\n/, 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max || first.length < s.length ? `${clean.slice(0, max)}…` : clean;
}
