// core/safe-read.ts: the one reader of repository files. Symlinks out of the root, special files
// and oversized files are refused with a typed error that names the file, never its content.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  describeUnsafeRead,
  isUnsafeReadError,
  quoteToken,
  readRepoBufferSync,
  readRepoFile,
  readRepoFileIfExists,
  tryReadRepoFile,
  UnsafeReadError,
} from '../../src/core/safe-read.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

const posix = process.platform !== 'win32';

async function refusal(p: Promise<unknown>): Promise<UnsafeReadError> {
  try {
    await p;
  } catch (e) {
    expect(isUnsafeReadError(e)).toBe(true);
    return e as UnsafeReadError;
  }
  throw new Error('expected an UnsafeReadError');
}

function refusalSync(f: () => unknown): UnsafeReadError {
  try {
    f();
  } catch (e) {
    expect(isUnsafeReadError(e)).toBe(true);
    return e as UnsafeReadError;
  }
  throw new Error('expected an UnsafeReadError');
}

describe('readRepoFile', () => {
  it('reads a regular file and a symlink that stays inside the root', async () => {
    const root = await tempDir('safe-read');
    await fs.writeFile(path.join(root, 'a.txt'), 'hello\n');
    await fs.mkdir(path.join(root, 'sub'));
    await fs.symlink('../a.txt', path.join(root, 'sub', 'link.txt'));
    expect(await readRepoFile(path.join(root, 'a.txt'), { root, maxBytes: 100 })).toBe('hello\n');
    expect(await readRepoFile(path.join(root, 'sub', 'link.txt'), { root, maxBytes: 100 })).toBe('hello\n');
    expect(readRepoBufferSync(path.join(root, 'sub', 'link.txt'), { root, maxBytes: 100 }).toString()).toBe('hello\n');
    expect(await readRepoFileIfExists(path.join(root, 'missing'), { root, maxBytes: 100 })).toBeUndefined();
    expect(await tryReadRepoFile(path.join(root, 'missing'), { root, maxBytes: 100 })).toBeUndefined();
  });

  it.each(posix ? ['/etc/passwd', '/proc/self/environ', '/dev/zero', '/dev/urandom'] : [])('refuses a symlink to %s, naming the file only', async (target) => {
    if (!existsSync(target)) return void console.log(`${target} does not exist here`);
    const root = await tempDir('safe-read');
    const link = path.join(root, '.go-version');
    await fs.symlink(target, link);
    const e = await refusal(readRepoFile(link, { root, maxBytes: 1024 }));
    expect(e.reason).toBe('outside');
    expect(describeUnsafeRead(e, '.go-version')).toBe('`.go-version` is a symlink to a file outside the repository: not read');
    // The same with allowOutside: a path inside the root that links out is refused whatever.
    expect((await refusal(readRepoFile(link, { root, maxBytes: 1024, allowOutside: true }))).reason).toBe('outside');
    expect(refusalSync(() => readRepoBufferSync(link, { root, maxBytes: 1024 })).reason).toBe('outside');
  });

  it('refuses a file reached through a symlinked directory that leaves the root', async () => {
    const root = await tempDir('safe-read');
    const outside = await tempDir('safe-read-outside');
    await fs.writeFile(path.join(outside, 'go-preflight.yml'), 'mode: warn\n');
    await fs.symlink(outside, path.join(root, '.github'));
    const e = await refusal(readRepoFile(path.join(root, '.github', 'go-preflight.yml'), { root, maxBytes: 1024 }));
    expect(e.reason).toBe('outside');
  });

  it('refuses a path outside the root unless allowed, and then checks only type and size', async () => {
    const root = await tempDir('safe-read');
    const outside = await tempDir('safe-read-outside');
    const f = path.join(outside, 'x.yml');
    await fs.writeFile(f, 'ok');
    expect((await refusal(readRepoFile(f, { root, maxBytes: 10 }))).reason).toBe('outside');
    expect((await refusal(readRepoFile(path.join(root, '..', path.basename(outside), 'x.yml'), { root, maxBytes: 10 }))).reason).toBe('outside');
    expect(await readRepoFile(f, { root, maxBytes: 10, allowOutside: true })).toBe('ok');
    if (posix) {
      const e = await refusal(readRepoFile('/dev/zero', { root, maxBytes: 10, allowOutside: true }));
      expect(e.reason).toBe('not-regular');
      expect(e.message).toBe('zero is a device, not a regular file: not read');
    }
  });

  it('refuses a FIFO without blocking, and a directory', async () => {
    const root = await tempDir('safe-read');
    await fs.mkdir(path.join(root, 'dir'));
    const d = await refusal(readRepoFile(path.join(root, 'dir'), { root, maxBytes: 10 }));
    expect(d.reason).toBe('not-regular');
    expect(d.kind).toBe('a directory');
    if (!posix) return;
    const fifo = path.join(root, '.gitleaksignore');
    execFileSync('mkfifo', [fifo]);
    // No writer ever opens the FIFO: a blocking open would hang this test forever.
    const e = await refusal(readRepoFile(fifo, { root, maxBytes: 10 }));
    expect(e.reason).toBe('not-regular');
    expect(describeUnsafeRead(e, '.gitleaksignore')).toBe('`.gitleaksignore` is a FIFO (named pipe), not a regular file: not read');
    expect(refusalSync(() => readRepoBufferSync(fifo, { root, maxBytes: 10 })).reason).toBe('not-regular');
  });

  it('refuses a file over the cap, and a dangling link is not "missing" silently', async () => {
    const root = await tempDir('safe-read');
    await fs.writeFile(path.join(root, 'big'), Buffer.alloc(2048, 'a'));
    const e = await refusal(readRepoFile(path.join(root, 'big'), { root, maxBytes: 1024 }));
    expect(e.reason).toBe('too-large');
    expect(describeUnsafeRead(e, 'big')).toBe('`big` is larger than 1 KiB, more than such a file ever holds: not read');
    expect(await readRepoFile(path.join(root, 'big'), { root, maxBytes: 2048 })).toHaveLength(2048);
    if (!posix) return;
    await fs.symlink('nowhere', path.join(root, 'dangling'));
    const r = await tryReadRepoFile(path.join(root, 'dangling'), { root, maxBytes: 10 });
    expect(r && 'error' in r && r.error.reason).toBe('missing');
  });

  it('reads a procfs file (size 0 in stat) only up to the cap', async () => {
    if (!existsSync('/proc/self/maps')) return void console.log('no procfs here');
    const root = await tempDir('safe-read');
    // /proc/self/maps of a Node process is far larger than 64 bytes but stat says 0.
    const e = await refusal(readRepoFile('/proc/self/maps', { root, maxBytes: 64, allowOutside: true }));
    expect(e.reason).toBe('too-large');
  });
});

describe('quoteToken', () => {
  it('keeps one token of the first line, cut short, without control characters', () => {
    expect(quoteToken('1.22\nSECRET=abc')).toBe('1.22');
    expect(quoteToken('\uFEFF  go1.22 rest')).toBe('go1.22');
    expect(quoteToken('A=1\0B=2')).toBe('A=1');
    expect(quoteToken('x'.repeat(100))).toBe(`${'x'.repeat(40)}…`);
    expect(quoteToken('a\u0007b')).toBe('a?b');
  });
});
