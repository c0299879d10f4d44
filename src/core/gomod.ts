// Positions in go.mod / go.work files. `go mod edit -json` is the source of truth for values but
// gives no line numbers; this small lexer finds where each directive stands so findings can point
// at the exact line. It follows the go.mod grammar: line and block forms (`require ( ... )`),
// `//` comments, quoted strings.

export interface Directive {
  /** `module`, `go`, `toolchain`, `require`, `replace`, `exclude`, `retract`, `use`, `godebug`, `tool`, `ignore`... */
  verb: string;
  /** Tokens after the verb (quotes removed). For `replace`: [old, (oldVer), '=>', new, (newVer)]. */
  args: string[];
  /** 1-based line and column of the first token of the entry (the verb for the line form). */
  line: number;
  column: number;
  /** Trailing `// comment` text, e.g. `indirect`. */
  comment?: string;
}

// Go's own lexer (golang.org/x/mod/modfile) treats only space, tab and CR as blanks; any other
// character (a byte-order mark, NBSP, form feed...) is one go rejects with "unexpected input
// character". Here such a character is kept inside the token, so every step of the loop below
// consumes at least one character and the lexer always ends; `go mod edit -json` reports the error.
function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

function tokenize(line: string): { tokens: string[]; comment?: string; firstCol: number } {
  const tokens: string[] = [];
  let i = 0;
  let firstCol = 0;
  let comment: string | undefined;
  while (i < line.length) {
    const c = line[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '/' && line[i + 1] === '/') {
      comment = line.slice(i + 2).trim();
      break;
    }
    if (!firstCol) firstCol = i + 1;
    if (c === '"') {
      // An interpreted string: backslash escapes the next character.
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        s += line[j];
        j++;
      }
      tokens.push(s);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = line.indexOf('`', i + 1);
      const stop = end < 0 ? line.length : end;
      tokens.push(line.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && !isBlank(line[j]!) && line[j] !== '(' && line[j] !== ')' && !(line[j] === '/' && line[j + 1] === '/')) j++;
    tokens.push(line.slice(i, j));
    i = j;
  }
  return { tokens, comment, firstCol: firstCol || 1 };
}

export function parseModDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  const lines = text.split('\n');
  let block: string | undefined;
  lines.forEach((raw, idx) => {
    const { tokens, comment, firstCol } = tokenize(raw);
    if (tokens.length === 0) return;
    const line = idx + 1;
    if (block) {
      if (tokens[0] === ')') {
        block = undefined;
        return;
      }
      out.push({ verb: block, args: tokens, line, column: firstCol, comment });
      return;
    }
    const [verb, ...rest] = tokens;
    if (!verb) return;
    if (rest[0] === '(' ) {
      block = verb;
      // `require ( a v1 )` on one line is not valid go.mod; a block opens here.
      return;
    }
    out.push({ verb, args: rest, line, column: firstCol, comment });
  });
  return out;
}

/** The first directive with this verb whose first arg (if given) matches. */
export function findDirective(dirs: readonly Directive[], verb: string, firstArg?: string): Directive | undefined {
  return dirs.find((d) => d.verb === verb && (firstArg === undefined || d.args[0] === firstArg));
}

/** Line of `require <path>` (any version), or undefined. */
export function requireLine(dirs: readonly Directive[], modulePath: string): Directive | undefined {
  return findDirective(dirs, 'require', modulePath);
}

/** Line of `replace <path> [ver] => ...`, or undefined. */
export function replaceLine(dirs: readonly Directive[], oldPath: string, oldVersion?: string): Directive | undefined {
  return dirs.find(
    (d) => d.verb === 'replace' && d.args[0] === oldPath && (!oldVersion || d.args[1] === oldVersion || d.args[1] === '=>'),
  );
}

/** Line of `use <dir>` in go.work (compared after normalising `./`). */
export function useLine(dirs: readonly Directive[], diskPath: string): Directive | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.\/(?=.)/, '').replace(/\/$/, '');
  return dirs.find((d) => d.verb === 'use' && d.args[0] !== undefined && norm(d.args[0]) === norm(diskPath));
}
