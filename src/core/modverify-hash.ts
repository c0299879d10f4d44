// The `h1:` hashes of golang.org/x/mod/sumdb/dirhash, computed in Node so that a run verifies each
// module@version of the module cache once, however many modules of the repository require it
// (`go mod verify` re-hashes the shared cache once per module). Same algorithm as dirhash.Hash1:
//
//   "h1:" + base64(sha256(for each file, sorted by name: hex(sha256(content)) + "  " + name + "\n"))
//
// HashDir names files `<module>@<version>/<rel path>` (forward slashes) as dirhash.HashDir does
// (filepath.Walk: Lstat, a symlink counts as a file and is read through); HashZip names them as the
// zip stores them. Reads and inflation run on libuv's thread pool (async fs and zlib), hashing on
// the main thread; a bounded number of files are in flight at once.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const inflateRaw = promisify(zlib.inflateRaw);

/** A tiny counting semaphore: at most `n` holders at once. */
export function createLimiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Files are read through this limiter (shared by every hash of a run). */
export type Limiter = ReturnType<typeof createLimiter>;

/** Go's slices.Sort on strings: byte order of the UTF-8 encoding. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** dirhash.Hash1 over (name, sha256 hex of content) pairs. */
export function hash1(entries: ReadonlyArray<{ name: string; sha256: string }>): string {
  const sorted = [...entries].sort((a, b) => byteOrder(a.name, b.name));
  const h = createHash('sha256');
  for (const e of sorted) {
    if (e.name.includes('\n')) throw new Error('dirhash: filenames with newlines are not supported');
    h.update(`${e.sha256}  ${e.name}\n`);
  }
  return `h1:${h.digest('base64')}`;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** dirhash.HashDir(dir, prefix, Hash1). */
export async function hashDir(dir: string, prefix: string, limit: Limiter): Promise<string> {
  const files: Array<{ name: string; abs: string }> = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    const entries = await limit(() => fs.readdir(d, { withFileTypes: true }));
    const subdirs: Array<Promise<void>> = [];
    for (const e of entries) {
      const abs = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) subdirs.push(walk(abs, r));
      else files.push({ name: `${prefix}/${r}`, abs });
    }
    await Promise.all(subdirs);
  };
  const st = await fs.lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  await walk(dir, '');
  const hashed = await Promise.all(files.map(async (f) => ({ name: f.name, sha256: await limit(() => sha256File(f.abs)) })));
  return hash1(hashed);
}

// ---------------------------------------------------------------------------------------------
// Zip (the subset module zips use: stored or deflated entries, optional zip64 end records)

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

async function readAt(fh: fs.FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let off = 0;
  while (off < len) {
    const { bytesRead } = await fh.read(buf, off, len - off, pos + off);
    if (bytesRead === 0) throw new Error('zip: unexpected end of file');
    off += bytesRead;
  }
  return buf;
}

async function zipEntries(at: (pos: number, len: number) => Promise<Buffer>, size: number): Promise<ZipEntry[]> {
  // End of central directory: 22 bytes + a comment of at most 65535 bytes, at the end.
  const tailLen = Math.min(size, 22 + 65535 + 20);
  const tail = await at(size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: not a valid zip file');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // zip64 end of central directory locator just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error('zip: zip64 locator not found');
    const rec64 = Number(tail.readBigUInt64LE(loc + 8));
    const r = await at(rec64, 56);
    if (r.readUInt32LE(0) !== 0x06064b50) throw new Error('zip: zip64 end record not found');
    count = Number(r.readBigUInt64LE(32));
    cdSize = Number(r.readBigUInt64LE(40));
    cdOffset = Number(r.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new Error('zip: central directory out of range');
  const cd = await at(cdOffset, cdSize);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extended information (0x0001): the fields that were 0xffffffff, in this order.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) (uncompressed = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    out.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset });
    p = eEnd + commentLen;
  }
  return out;
}

/**
 * Zips up to this size are read whole (module zips are limited to 500 MiB; most are a few MiB);
 * larger ones entry by entry. With at most 8 modules hashed at once, 256 MiB at most in memory.
 */
const WHOLE_ZIP_MAX = 32 << 20;
/** Entries up to this compressed size are inflated synchronously (a thread-pool round trip costs more). */
const SYNC_INFLATE_MAX = 256 << 10;

/** dirhash.HashZip(file, Hash1). */
export async function hashZip(file: string, limit: Limiter, wholeMax = WHOLE_ZIP_MAX): Promise<string> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const whole = size <= wholeMax ? await readAt(fh, 0, size) : undefined;
    const at = (pos: number, len: number) => {
      if (!whole) return readAt(fh, pos, len);
      if (pos + len > whole.length) throw new Error('zip: unexpected end of file');
      return Promise.resolve(whole.subarray(pos, pos + len));
    };
    const entries = await zipEntries(at, size);
    const hashEntry = async (en: ZipEntry) => {
      const local = await at(en.localHeaderOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`zip: bad local header for ${en.name}`);
      const dataStart = en.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const raw = en.compressedSize ? await at(dataStart, en.compressedSize) : Buffer.alloc(0);
      let data: Buffer;
      if (en.method === 0) data = raw;
      else if (en.method === 8) data = raw.length === 0 ? Buffer.alloc(0) : raw.length <= SYNC_INFLATE_MAX ? zlib.inflateRawSync(raw) : await inflateRaw(raw);
      else throw new Error(`zip: unsupported compression algorithm ${en.method} for ${en.name}`);
      if (data.length !== en.size) throw new Error(`zip: ${en.name}: size does not match the directory`);
      return { name: en.name, sha256: createHash('sha256').update(data).digest('hex') };
    };
    const hashed = await Promise.all(entries.map((en) => (whole ? hashEntry(en) : limit(() => hashEntry(en)))));
    return hash1(hashed);
  } finally {
    await fh.close();
  }
}
