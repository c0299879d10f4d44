// Go prints `go list -json`, `go list -m -json` and `go mod download -json` as concatenated,
// pretty-printed JSON objects (not an array, not NDJSON). This scanner splits them by brace depth,
// skipping string literals, so it survives any formatting and garbage between objects.

export interface JsonStreamResult<T> {
  values: T[];
  /** Text that was not part of a parseable object (trimmed), e.g. a crash message. */
  garbage: string[];
}

export function parseJsonStream<T = unknown>(text: string): JsonStreamResult<T> {
  const values: T[] = [];
  const garbage: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  let lastEnd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c /* \ */) escaped = true;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth > 0) inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 0) {
        const between = text.slice(lastEnd, i).trim();
        if (between) garbage.push(between);
        start = i;
      }
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth === 0) continue;
      depth--;
      if (depth === 0) {
        const chunk = text.slice(start, i + 1);
        try {
          values.push(JSON.parse(chunk) as T);
        } catch {
          garbage.push(chunk.trim());
        }
        lastEnd = i + 1;
      }
    }
  }
  const tail = (depth > 0 ? text.slice(start) : text.slice(lastEnd)).trim();
  if (tail) garbage.push(tail);
  return { values, garbage };
}

/** Parse exactly one JSON object (go env -json, go mod edit -json); undefined if it is not one. */
export function parseJsonObject<T = Record<string, unknown>>(text: string): T | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}
