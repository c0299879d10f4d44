// Glob patterns for `paths-ignore`, in the gitignore spirit: `*` stays within a path segment,
// `**` crosses segments, a pattern without `/` matches a name at any depth, and a pattern that
// names a directory covers everything below it.

export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/');
  let anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
  if (g.endsWith('/')) g = g.slice(0, -1);
  if (g.includes('/')) anchored = true;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        let body = g.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = g.indexOf('}', i + 1);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${g
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
}

export function matchesAny(path: string, globs: readonly RegExp[]): boolean {
  return globs.some((re) => re.test(path));
}
