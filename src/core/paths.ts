// Paths in reports are relative to the inspected directory with forward slashes, on every OS.

import path from 'node:path';

/** `abs` relative to `root`, with forward slashes; `.` for the root itself. */
export function reportPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  if (rel === '') return '.';
  return rel.split(path.sep).join('/');
}

/** Join a module's relative dir and a file name the way reports write them (`./go.mod` -> `go.mod`). */
export function joinReport(relDir: string, file: string): string {
  if (relDir === '.' || relDir === '') return file;
  return `${relDir}/${file}`;
}

/** True when `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
