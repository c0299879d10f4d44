// Failed reads and writes of the action's own files (report, summary, outputs), told in one line.

import { getErrorMessage } from './errors.js';

/** One line for a failed write: the reason in words and the errno code, never a stack. */
export function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EPIPE: 'the reader closed the pipe',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent is not a directory',
    ENOENT: 'no such file or directory',
    EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return code ? code : getErrorMessage(e).split('\n')[0]!;
}

