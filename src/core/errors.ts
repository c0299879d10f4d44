// Error taxonomy: a ConfigurationError is the user's mistake (bad flag, bad config, no go.mod) and
// is printed as one line with no stack; anything else is our bug or the environment's fault.

export class ConfigurationError extends Error {
  /** Where the mistake is: `file:line:col` or an input/flag name. */
  readonly where?: string;
  constructor(message: string, where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'ConfigurationError';
    this.where = where;
  }
}

/**
 * A check could not look at everything it had to (a file it cannot read, a tool that failed):
 * its status is `error` with this message as the reason, as is (not "the check crashed").
 */
export class CheckIncompleteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckIncompleteError';
  }
}

export function getErrorMessage(e: unknown): string {
  // Not `instanceof Error`: errors from another realm (node:vm, jest) fail that test.
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR');
}
