// The secrets engine's vocabulary. Everything that crosses a worker boundary or goes into the
// cache is plain data (no RegExp, no functions): rule sets travel as a RulesetConfig and every
// worker compiles its own copy.

import type { Severity } from '../core/types.js';

/**
 * How sure a rule is, which decides the severity:
 * - provider: a token with a provider's own prefix (ghp_, AKIA, xoxb-...): error, warning in
 *   test code and examples.
 * - private-key: a PEM/OpenSSH/PuTTY/DER private key: error, warning in test code and examples.
 * - credential: a password in a URL, .netrc, .npmrc, docker config...: warning, notice in test,
 *   example and generated code.
 * - generic: a secret-like name assigned a high-entropy value, JWTs, bearer tokens: warning,
 *   notice in test, example and generated code.
 * - custom: a rule from the user's .gitleaks.toml: error.
 * Every finding in a credential file (.env, .netrc, .aws/credentials, id_rsa...) is an error.
 */
export type Tier = 'provider' | 'private-key' | 'credential' | 'generic' | 'custom';

/**
 * Where the file sits, which lowers the severity: test code and fixtures, examples (a directory
 * that says so), generated code.
 */
export type FileKind = 'normal' | 'test' | 'example' | 'generated';

/**
 * A pattern: `new RegExp(source, flags)`, or with `syntax: 're2'` an RE2 pattern run by the
 * linear-time re2js engine (every pattern from a user's .gitleaks.toml).
 */
export interface JsRegex {
  source: string;
  flags: string;
  syntax?: 're2';
}

/** A gitleaks allowlist with its patterns checked (RE2 syntax). */
export interface AllowlistSpec {
  description?: string;
  /** OR (default): any criterion allows the finding; AND: every criterion that is set must match. */
  condition: 'OR' | 'AND';
  /** What `regexes` are tested against. */
  regexTarget: 'secret' | 'match' | 'line';
  regexes: JsRegex[];
  paths: JsRegex[];
  /** Case-insensitive substrings of the secret. */
  stopwords: string[];
  /** Only for global allowlists: the rule ids it applies to (all when absent). */
  targetRules?: string[];
}

/** A rule from .gitleaks.toml (pattern sources, not compiled objects). */
export interface CustomRuleSpec {
  id: string;
  description?: string;
  /** RE2 pattern; absent for a path-only rule or an extension of a default rule. */
  regex?: JsRegex & { identifierPrefix: boolean };
  path?: JsRegex;
  secretGroup?: number;
  entropy?: number;
  keywords: string[];
  allowlists: AllowlistSpec[];
}

/** Everything needed to build a rule set; serialisable (sent to workers, hashed for the cache key). */
export interface RulesetConfig {
  /** Keep go-preflight's own rules (gitleaks `[extend] useDefault`, or no .gitleaks.toml at all). */
  useDefault: boolean;
  disabledRules: string[];
  /** Run the generic (entropy-based) rules. */
  generic: boolean;
  rules: CustomRuleSpec[];
  allowlists: AllowlistSpec[];
}

export const DEFAULT_RULESET_CONFIG: RulesetConfig = Object.freeze({
  useDefault: true,
  disabledRules: [],
  generic: true,
  rules: [],
  allowlists: [],
}) as RulesetConfig;

/** One secret found in one file. */
export interface RawFinding {
  ruleId: string;
  /** What was found, e.g. "GitHub personal access token". */
  title: string;
  /** Report path (relative, forward slashes). */
  file: string;
  /** 1-based; 0 for a path-only rule. */
  line: number;
  column: number;
  endLine: number;
  severity: Severity;
  tier: Tier;
  kind: FileKind;
  /** Extra words for the message (e.g. "its checksum is valid"); never holds the secret. */
  note?: string;
  /** Name the value was assigned to (generic rules), e.g. DB_PASSWORD. */
  name?: string;
  /** First characters of the secret then an ellipsis, see redact.ts. */
  preview: string;
  /** gitleaks fingerprint: `file:rule:line`. */
  fingerprint: string;
  /**
   * The secret itself, to register with the runner's log masking. Never written to a report, a
   * log, the cache or an error. Absent for findings restored from the cache.
   */
  secret?: string;
}

/** A finding as stored in the cache: no secret, no file (the cache key holds the path). */
export type StoredFinding = Omit<RawFinding, 'secret' | 'file'>;
