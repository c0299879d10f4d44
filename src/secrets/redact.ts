// Redaction: what of a secret may appear in a report. At most the first 4 characters (a token's
// public prefix such as `ghp_` or `AKIA`), and nothing at all for short values, where 4 characters
// would be a third of the secret.

export const ELLIPSIS = '…';

/** `ghp_…` for a long secret, `…` for one shorter than 12 characters. */
export function redactedPreview(secret: string): string {
  if (secret.length < 12) return ELLIPSIS;
  // Control characters and newlines would break one-line messages; they hide nothing secret.
  return secret.slice(0, 4).replace(/[\u0000-\u001f\u007f]/g, '?') + ELLIPSIS;
}

/**
 * The pieces of a secret to register with the CI's log masking. GitHub masks line by line, so a
 * multi-line value (a PEM block, or one with `\n` escapes) is registered one line at a time.
 */
export function maskPieces(secret: string): string[] {
  const pieces = secret
    .split(/\r?\n|\\[nr]/)
    .map((p) => p.trim().replace(/^["'`+]+|["'`+,]+$/g, ''))
    .filter((p) => p.length >= 8);
  return [...new Set(pieces)];
}
