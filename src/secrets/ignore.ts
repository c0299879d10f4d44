// Accepted findings: `.gitleaksignore` fingerprints and a baseline file, both matched by the
// gitleaks fingerprint `file:rule:line` (a leading `commit:` is accepted and ignored, since the
// working tree is scanned rather than history).

export const GITLEAKS_IGNORE_FILE = '.gitleaksignore';

/** `file:rule:line`, with `\` turned into `/` and any leading commit id dropped. */
export function normalizeFingerprint(raw: string): string | undefined {
  const parts = raw.trim().replace(/\\/g, '/').split(':');
  if (parts.length < 3) return undefined;
  const line = parts.pop()!;
  const rule = parts.pop()!;
  if (!/^\d+$/.test(line) || !rule) return undefined;
  if (parts.length > 1 && /^[0-9a-f]{7,64}$/i.test(parts[0]!)) parts.shift();
  const file = parts.join(':');
  return file ? `${file}:${rule}:${line}` : undefined;
}

export interface ParsedIgnore {
  fingerprints: Set<string>;
  /** 1-based lines that are not fingerprints. */
  badLines: number[];
}

/** One fingerprint per line; `#` comments and blank lines skipped (gitleaks' format). */
export function parseGitleaksIgnore(text: string): ParsedIgnore {
  const fingerprints = new Set<string>();
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fp = normalizeFingerprint(line);
    if (fp) fingerprints.add(fp);
    else badLines.push(i + 1);
  });
  return { fingerprints, badLines };
}

function fromObject(o: Record<string, unknown>): string | undefined {
  const fp = o.fingerprint ?? o.Fingerprint;
  if (typeof fp === 'string') return normalizeFingerprint(fp);
  const rule = o.ruleId ?? o.RuleID;
  const file = o.file ?? o.File;
  const line = o.line ?? o.StartLine;
  if (typeof rule === 'string' && typeof file === 'string' && typeof line === 'number') return normalizeFingerprint(`${file}:${rule}:${line}`);
  // A go-preflight report without ruleId/fingerprint: the hint names the fingerprint.
  if (typeof o.hint === 'string') {
    const m = /`([^`\s]+:[\w.-]+:\d+)` to \.gitleaksignore/.exec(o.hint);
    if (m) return normalizeFingerprint(m[1]!);
  }
  return undefined;
}

/**
 * A baseline: a JSON array of fingerprints or of finding objects (`{fingerprint}`, a gitleaks
 * report's `{Fingerprint}` or `{RuleID, File, StartLine}`), or a previous go-preflight JSON
 * report (its `secrets` check's findings). Throws on text that is not such JSON.
 */
export function parseBaseline(text: string): Set<string> {
  const doc: unknown = JSON.parse(text);
  const out = new Set<string>();
  const add = (v: unknown) => {
    const fp = typeof v === 'string' ? normalizeFingerprint(v) : typeof v === 'object' && v !== null ? fromObject(v as Record<string, unknown>) : undefined;
    if (fp) out.add(fp);
  };
  if (Array.isArray(doc)) doc.forEach(add);
  else if (typeof doc === 'object' && doc !== null && Array.isArray((doc as { checks?: unknown }).checks)) {
    for (const c of (doc as { checks: Array<{ id?: string; findings?: unknown[] } | null> }).checks) {
      // Any JSON may stand here (the file is the repository's): entries that are not objects are skipped.
      if (c && typeof c === 'object' && c.id === 'secrets' && Array.isArray(c.findings)) c.findings.forEach(add);
    }
  } else if (typeof doc === 'object' && doc !== null && Array.isArray((doc as { findings?: unknown }).findings)) {
    ((doc as { findings: unknown[] }).findings).forEach(add);
  } else {
    throw new Error('expected a JSON array of findings or a go-preflight JSON report');
  }
  return out;
}
