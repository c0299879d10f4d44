// go-preflight's own rules, written from each provider's documented token format (prefix, length,
// alphabet, checksum). Bump RULESET_VERSION whenever a rule changes: it is part of the cache key.

import { createPrivateKey } from 'node:crypto';
import { hasValidBase62Checksum } from './checksum.js';
import { shannonEntropy } from './entropy.js';
import { GENERIC_STOPWORDS, GLOBAL_STOPWORDS, isExampleHost, isLoopbackHost, isPlaceholderPassword } from './filters.js';
import type { MatchContext, Rule, RuleMode, Verdict } from './rule.js';
import type { Tier } from './types.js';

export const RULESET_VERSION = 2;

/** Not preceded by a letter or digit (token prefixes start a word). */
const LB = String.raw`(?<![A-Za-z0-9])`;

/** Case-insensitive spelling of a word without the `i` flag (the rest of the pattern keeps case). */
function ci(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

interface RuleInit {
  id: string;
  title: string;
  keywords: string[];
  pattern: string;
  mode?: RuleMode;
  tier?: Tier;
  flags?: string;
  secretGroup?: number;
  entropy?: number;
  path?: RegExp;
  window?: number;
  multiline?: boolean;
  trim?: boolean;
  validate?: Rule['validate'];
  bytePrefilter?: Rule['bytePrefilter'];
  priority?: number;
  revoke?: string;
}

const PRIORITY: Record<Tier, number> = { provider: 30, 'private-key': 30, custom: 25, credential: 20, generic: 10 };

function rule(init: RuleInit): Rule {
  const mode = init.mode ?? 'anchor';
  const tier = init.tier ?? 'provider';
  const flags = (mode === 'anchor' || mode === 'generic' ? 'y' : 'g') + (init.flags ?? '');
  return {
    id: init.id,
    title: init.title,
    tier,
    keywords: init.keywords.map((k) => k.toLowerCase()),
    mode,
    regex: new RegExp(init.pattern, flags),
    secretGroup: init.secretGroup,
    entropy: init.entropy ?? (tier === 'provider' ? 3 : undefined),
    path: init.path,
    window: init.window,
    multiline: init.multiline,
    allowlists: [],
    builtinFilters: true,
    // Not for keys: a DER body is structured, and its base64 spells words ("FAkEA") by itself.
    stopwords: tier === 'generic' ? GENERIC_STOPWORDS : tier === 'private-key' || init.id === 'gcp-service-account' ? [] : GLOBAL_STOPWORDS,
    trim: init.trim,
    validate: init.validate,
    bytePrefilter: init.bytePrefilter,
    priority: init.priority ?? PRIORITY[tier],
    revoke: init.revoke,
  };
}

/** A token with a prefix: sticky regex at the keyword, not followed by more token characters. */
function prefixed(id: string, title: string, keywords: string[], body: string, revoke: string, extra: Partial<RuleInit> = {}): Rule {
  return rule({ id, title, keywords, pattern: `${LB}${body}`, revoke, ...extra });
}

// ---------------------------------------------------------------------------------------------
// Validators

const GITHUB_REVOKE = 'Revoke it at https://github.com/settings/tokens (or in the settings of the GitHub/OAuth App that issued it)';

function githubChecksum(secret: string): Verdict {
  // Since 2021 GitHub tokens end with a CRC32 of their random part: a match means GitHub's
  // format, a mismatch means someone typed or generated a look-alike.
  return hasValidBase62Checksum(secret)
    ? { note: 'its built-in checksum is valid' }
    : { maxSeverity: 'warning', note: 'its checksum does not match, so it is probably a made-up example' };
}

function npmChecksum(secret: string): Verdict {
  return hasValidBase62Checksum(secret)
    ? { note: 'its built-in checksum is valid' }
    : { maxSeverity: 'warning', note: 'its checksum does not match, so it is probably a made-up example' };
}

function base64UrlJson(part: string): unknown {
  try {
    const text = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function validateJwt(secret: string): Verdict | undefined {
  const [h, p] = secret.split('.');
  const header = base64UrlJson(h ?? '') as Record<string, unknown> | undefined;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string') return { drop: true };
  if (header.alg.toLowerCase() === 'none') return { drop: true };
  const payload = base64UrlJson(p ?? '') as Record<string, unknown> | undefined;
  if (!payload || typeof payload !== 'object') return { drop: true };
  // The jwt.io sample token, printed in countless tests and docs.
  if (payload.sub === '1234567890' && payload.name === 'John Doe') return { drop: true };
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) {
    return { note: `it expired on ${new Date(payload.exp * 1000).toISOString().slice(0, 10)}` };
  }
  return undefined;
}

function pemBodyOk(body: string, min = 64): boolean {
  const cleaned = body
    .replace(/\\[nrt]/g, '\n')
    .split('\n')
    .filter((l) => !/^\s*[A-Za-z-]+:/.test(l)) // Proc-Type:, DEK-Info:, Comment:
    .join('')
    .replace(/[^A-Za-z0-9+/=]/g, '');
  return cleaned.length >= min && shannonEntropy(cleaned) > 3.5;
}

/** An OpenSSH private key whose cipher is not "none" (`aes256-ctr` with the `bcrypt` kdf). */
function isEncryptedOpenSsh(body: string): boolean {
  const b64 = body.replace(/\\[nrt]/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
  const bytes = Buffer.from(b64.slice(0, 64), 'base64');
  const magic = 'openssh-key-v1\0';
  if (bytes.toString('latin1', 0, magic.length) !== magic || bytes.length < magic.length + 4) return false;
  const len = bytes.readUInt32BE(magic.length);
  const cipher = bytes.toString('latin1', magic.length + 4, magic.length + 4 + Math.min(len, 32));
  return cipher !== 'none' && cipher.length > 0;
}

function validatePrivateKey(secret: string, m: RegExpExecArray): Verdict | undefined {
  if (!pemBodyOk(secret)) return { drop: true };
  const type = /BEGIN ?([A-Z0-9 _-]*?) ?PRIVATE KEY( BLOCK)?/.exec(m[0]);
  const kind = (type?.[1] ?? '').trim();
  const names: Record<string, string> = { RSA: 'RSA', EC: 'EC', DSA: 'DSA', OPENSSH: 'OpenSSH', ENCRYPTED: 'encrypted', PGP: 'PGP' };
  const label = kind ? (names[kind] ?? kind) : '';
  const verdict: Verdict = { title: `${label ? `${label} ` : ''}private key${type?.[2] ? ' block' : ''}` };
  // Encrypted (a passphrase protects it): legacy PEM `Proc-Type: 4,ENCRYPTED`, PKCS#8
  // `ENCRYPTED PRIVATE KEY`, OpenSSH with a cipher. Still worth a look, not a failed build.
  if (kind === 'ENCRYPTED' || /Proc-Type:[ \t]*4,ENCRYPTED/.test(secret) || (kind === 'OPENSSH' && isEncryptedOpenSsh(secret))) {
    verdict.maxSeverity = 'warning';
    verdict.note = 'it is encrypted, so it is useless without its passphrase (keep the passphrase out of the repository)';
  }
  return verdict;
}

function urlPassword(user: string, password: string, host: string): Verdict | undefined {
  if (password.length < 4 || /^\d{1,5}$/.test(password)) return { drop: true }; // host:port, not a password
  if (isPlaceholderPassword(password, user)) return { drop: true };
  if (isExampleHost(host)) return { drop: true };
  // `postgres://app:devpass@localhost`: a local development password, not worth a failure.
  if (isLoopbackHost(host) && shannonEntropy(password) < 3) return { drop: true };
  return undefined;
}

function validateDockerAuth(secret: string): Verdict | undefined {
  let decoded: string;
  try {
    decoded = Buffer.from(secret, 'base64').toString('utf8');
  } catch {
    return { drop: true };
  }
  const m = /^([^:\s]{1,256}):(\S{1,1024})$/.exec(decoded);
  if (!m) return { drop: true };
  if (isPlaceholderPassword(m[2]!, m[1]!)) return { drop: true };
  return undefined;
}

/** A DER private key (PKCS#1, PKCS#8 or SEC1) that really parses; dropped inside PEM armour (the PEM rule owns it). */
function validateDer(der: Buffer, at: number, ctx: MatchContext): Verdict | undefined {
  const before = ctx.text.slice(Math.max(0, at - 300), at);
  if (/-----BEGIN[^\n]*-----[\s\S]*$/.test(before) && !/-----END/.test(before.slice(before.lastIndexOf('-----BEGIN')))) return { drop: true };
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return { title: `${(key.asymmetricKeyType ?? '').toUpperCase().replace('ED25519', 'Ed25519')} private key (DER, outside PEM armour)`.trimStart() };
    } catch {
      /* not this encoding */
    }
  }
  return { drop: true };
}

// Byte prefilters (supersets of a rule's pattern, on the raw file bytes: see Rule.bytePrefilter).
const isAlnumByte = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
const isHexLowerByte = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 97 && c <= 102));
const isBlankByte = (c: number | undefined) => c === 32 || c === 9;

/** netrc: `machine` + blanks + a host with a dot (or localhost), and `password` not far after. */
function netrcMayMatch(b: Buffer, s: number, e: number): boolean {
  const before = b[s - 1];
  if (isAlnumByte(before) || before === 95 || before === 45) return false;
  let i = e;
  if (!isBlankByte(b[i])) return false;
  while (isBlankByte(b[i])) i++;
  const hostStart = i;
  let dot = false;
  while (i < b.length && (isAlnumByte(b[i]) || b[i] === 45 || b[i] === 46)) {
    if (b[i] === 46) dot = true;
    i++;
  }
  if (!dot && b.toString('latin1', hostStart, i) !== 'localhost') return false;
  const pw = b.indexOf('password', i, 'latin1');
  return pw !== -1 && pw - i < 1200;
}

/** Mailchimp: 32 lower-case hex characters before `-us`, a digit after. */
function mailchimpMayMatch(b: Buffer, s: number, e: number): boolean {
  if (s < 32 || !(b[e]! >= 48 && b[e]! <= 57)) return false;
  for (let i = s - 32; i < s; i++) if (!isHexLowerByte(b[i])) return false;
  return true;
}

/** npm: not inside an identifier or member access, then blanks and `=` or `:` (after `Token`). */
function npmrcMayMatch(b: Buffer, s: number, e: number): boolean {
  const before = b[s - 1];
  if (isAlnumByte(before) || before === 95 || before === 46 || before === 36 || before === 93 || before === 41) return false;
  let i = e;
  while (isAlnumByte(b[i])) i++;
  while (isBlankByte(b[i])) i++;
  return b[i] === 61 || b[i] === 58;
}

const placeholderValue = (secret: string): Verdict | undefined => (isPlaceholderPassword(secret) ? { drop: true } : undefined);

// ---------------------------------------------------------------------------------------------
// The rule set

/** Fresh rule objects (callers may extend them with user allowlists). */
export function builtinRules(): Rule[] {
  return [
    // --- Cloud providers
    prefixed(
      'aws-access-token',
      'AWS access key ID',
      ['akia', 'asia', 'abia', 'acca', 'a3t'],
      String.raw`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])`,
      'Deactivate and delete the key in the AWS IAM console (user → Security credentials) and check CloudTrail for its use',
    ),
    rule({
      id: 'aws-secret-access-key',
      title: 'AWS secret access key',
      mode: 'line',
      window: 256,
      keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret', 'awssecret', 'aws-secret'],
      pattern: String.raw`(?:${ci('aws')}[_.-]?)?${ci('secret')}[_.-]?(?:${ci('access')}[_.-]?)?${ci('key')}["'\]]{0,2}[ \t]{0,5}(?::=|=>|=|:|,)[ \t]{0,5}["'\x60]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      entropy: 4,
      validate: (s) => (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) ? undefined : { drop: true }),
      revoke: 'Deactivate and delete the access key in the AWS IAM console and create a new pair',
    }),
    prefixed(
      'gcp-api-key',
      'Google Cloud API key',
      ['aiza'],
      String.raw`AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`,
      'Delete or regenerate the key in the Google Cloud console (APIs & Services → Credentials), and restrict the new one',
      { entropy: 3.5 },
    ),
    rule({
      id: 'gcp-service-account',
      title: 'Google Cloud service account key',
      mode: 'text',
      keywords: ['service_account'],
      pattern: String.raw`"private_key"[ \t]*:[ \t]*"-----BEGIN[ A-Z]{0,30}PRIVATE KEY-----((?:\\[nr]|[A-Za-z0-9+/= ]){64,16384}?)-----END[ A-Z]{0,30}PRIVATE KEY-----`,
      trim: true,
      priority: 35,
      validate: (s, _m, ctx) => (/"type"\s*:\s*"service_account"/.test(ctx.text) && pemBodyOk(s) ? undefined : { drop: true }),
      revoke: 'Delete the key in the Google Cloud console (IAM → Service accounts → Keys) and create a new one; prefer workload identity federation in CI',
    }),
    rule({
      id: 'azure-storage-account-key',
      title: 'Azure storage account key',
      mode: 'line',
      window: 512,
      keywords: ['accountkey', 'account_key', 'account-key'],
      pattern: String.raw`${ci('account')}[_-]?${ci('key')}["']?[ \t]*[=:][ \t]*["']?([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])`,
      // The storage emulator's documented development account is public by design.
      validate: (_s, _m, ctx) => (/devstoreaccount1/.test(ctx.line) ? { drop: true } : undefined),
      revoke: 'Rotate the key in the Azure portal (storage account → Access keys) and move clients to the other key',
    }),
    rule({
      id: 'azure-sas-token',
      title: 'Azure shared access signature (SAS)',
      mode: 'line',
      window: 1024,
      keywords: ['sig='],
      pattern: String.raw`[?&;]sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,120}(?:%3[Dd]|=){0,2})(?![A-Za-z0-9%+/=])`,
      validate: (_s, _m, ctx) => (/(?:^|[?&;=\s"'])sv=\d{4}-\d\d-\d\d/.test(ctx.line) ? undefined : { drop: true }),
      revoke: 'Revoke the SAS by rotating the storage key that signed it (or deleting its stored access policy)',
    }),

    // --- Code hosting and registries
    prefixed('github-pat', 'GitHub personal access token', ['ghp_'], String.raw`ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, GITHUB_REVOKE, {
      validate: githubChecksum,
    }),
    prefixed('github-oauth', 'GitHub OAuth access token', ['gho_'], String.raw`gho_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, GITHUB_REVOKE, {
      validate: githubChecksum,
    }),
    prefixed('github-app-token', 'GitHub App token', ['ghu_', 'ghs_'], String.raw`gh[us]_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, GITHUB_REVOKE, {
      validate: githubChecksum,
    }),
    prefixed('github-refresh-token', 'GitHub refresh token', ['ghr_'], String.raw`ghr_[A-Za-z0-9]{36,76}(?![A-Za-z0-9])`, GITHUB_REVOKE, {
      validate: githubChecksum,
    }),
    prefixed(
      'github-fine-grained-pat',
      'GitHub fine-grained personal access token',
      ['github_pat_'],
      String.raw`github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])`,
      GITHUB_REVOKE,
    ),
    // GitLab token kinds, each with its documented length (gitleaks' lengths): a shorter or longer
    // run after the prefix is not a token of that kind.
    prefixed(
      'gitlab-pat',
      'GitLab personal access token',
      ['glpat-'],
      // Legacy: 20 characters. Routable (GitLab 17.x+): 27+ characters, `.`, a 2-char version and a 7-char CRC.
      String.raw`glpat-(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_.-])`,
      'Revoke it in GitLab (User settings → Access tokens, or the project/group settings)',
    ),
    prefixed('gitlab-deploy-token', 'GitLab deploy token', ['gldt-'], String.raw`gldt-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])`, 'Revoke it in GitLab (Settings → Repository → Deploy tokens)'),
    prefixed(
      'gitlab-runner-token',
      'GitLab runner token',
      ['glrt-', 'gr1348941'],
      String.raw`(?:glrt-(?:[A-Za-z0-9_-]{20}|t[0-9]_[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7})|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_.-])`,
      'Reset the runner token in GitLab (Settings → CI/CD → Runners) and re-register the runner',
    ),
    prefixed(
      'gitlab-ci-token',
      'GitLab CI/pipeline trigger token',
      ['glcbt-', 'glptt-'],
      String.raw`(?:glcbt-[0-9a-zA-Z]{1,5}_[A-Za-z0-9_-]{20}|glptt-[0-9a-f]{40})(?![A-Za-z0-9_-])`,
      'Revoke it in GitLab (Settings → CI/CD → Pipeline trigger tokens)',
    ),
    prefixed(
      'gitlab-token',
      'GitLab token',
      ['gloas-', 'glsoat-', 'glffct-', 'glimt-', 'glft-', 'glagent-'],
      String.raw`(?:gloas-[A-Za-z0-9_-]{64}|gl(?:soat|ffct|ft)-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50})(?![A-Za-z0-9_-])`,
      'Revoke or reset it in GitLab where it was created',
    ),
    prefixed(
      'bitbucket-app-password',
      'Bitbucket app password',
      ['atbb'],
      String.raw`ATBB[A-Za-z0-9]{32}(?![A-Za-z0-9])`,
      'Revoke it in Bitbucket (Personal settings → App passwords) and switch to an API token',
    ),
    prefixed(
      'atlassian-api-token',
      'Atlassian API token',
      ['atatt3', 'atctt3'],
      String.raw`AT[AC]TT3[A-Za-z0-9_=-]{100,300}(?![A-Za-z0-9_=-])`,
      'Revoke it in your Atlassian account (Security → API tokens)',
    ),
    prefixed('npm-access-token', 'npm access token', ['npm_'], String.raw`npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, 'Revoke it in your npm account (Access Tokens) or with `npm token revoke`', {
      validate: npmChecksum,
    }),
    prefixed(
      'pypi-upload-token',
      'PyPI upload token',
      ['pypi-age'],
      // The fixed macaroon header PyPI puts at the start of every API token.
      String.raw`pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])`,
      'Remove the token in your PyPI account settings (API tokens); prefer trusted publishing from CI',
    ),
    prefixed(
      'dockerhub-pat',
      'Docker Hub access token',
      ['dckr_pat_', 'dckr_oat_'],
      String.raw`dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])`,
      'Delete it in Docker Hub (Account settings → Personal access tokens)',
    ),

    // --- Chat, payments, email
    prefixed('slack-bot-token', 'Slack bot token', ['xoxb-'], String.raw`xoxb-[0-9]{6,15}-[0-9A-Za-z-]{16,200}(?![0-9A-Za-z-])`, SLACK_REVOKE),
    prefixed('slack-user-token', 'Slack user token', ['xoxp-'], String.raw`xoxp-[0-9]{6,15}-[0-9A-Za-z-]{16,200}(?![0-9A-Za-z-])`, SLACK_REVOKE),
    prefixed(
      'slack-token',
      'Slack token',
      ['xoxa-', 'xoxo-', 'xoxs-', 'xoxr-'],
      String.raw`xox[aosr]-(?:[0-9]-)?[0-9]{6,15}-[0-9A-Za-z-]{8,200}(?![0-9A-Za-z-])`,
      SLACK_REVOKE,
    ),
    prefixed(
      'slack-config-token',
      'Slack configuration token',
      ['xoxe.xox', 'xoxe-'],
      String.raw`xoxe(?:\.xox[bp])?-[0-9]-[A-Za-z0-9]{100,200}(?![A-Za-z0-9])`,
      SLACK_REVOKE,
    ),
    prefixed('slack-app-token', 'Slack app-level token', ['xapp-'], String.raw`xapp-[0-9]-[A-Z0-9]{6,15}-[0-9]{6,15}-[a-f0-9]{32,80}(?![A-Za-z0-9])`, SLACK_REVOKE),
    rule({
      id: 'slack-webhook-url',
      title: 'Slack webhook URL',
      keywords: ['hooks.slack.com'],
      pattern: String.raw`hooks\.slack\.com\/(?:services|workflows|triggers)\/(T[A-Z0-9]{6,14}\/[A-Z0-9]{6,14}\/(?:[0-9]{6,20}\/)?[A-Za-z0-9]{20,40})(?![A-Za-z0-9])`,
      revoke: 'Regenerate the webhook in the Slack app settings (Incoming Webhooks / Workflow Builder)',
    }),
    prefixed(
      'discord-webhook-url',
      'Discord webhook URL',
      ['discord'],
      String.raw`discord(?:app)?\.com\/api\/webhooks\/([0-9]{15,25}\/[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])`,
      'Delete the webhook in the Discord channel settings (Integrations) and create a new one',
    ),
    prefixed(
      'stripe-access-token',
      'Stripe secret key',
      ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
      String.raw`[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9])`,
      'Roll the key in the Stripe dashboard (Developers → API keys)',
      { validate: (s) => (s.includes('_test_') ? { maxSeverity: 'warning', note: 'a test-mode key (no live payments, but it still reads your test data)' } : undefined) },
    ),
    prefixed('stripe-webhook-secret', 'Stripe webhook signing secret', ['whsec_'], String.raw`whsec_[A-Za-z0-9+/=]{24,64}(?![A-Za-z0-9+/=])`, 'Roll the signing secret of the endpoint in the Stripe dashboard (Developers → Webhooks)'),
    prefixed(
      'square-access-token',
      'Square access token or secret',
      ['sq0atp-', 'sq0csp-'],
      String.raw`sq0(?:atp-[A-Za-z0-9_-]{22}|csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`,
      'Revoke it in the Square developer dashboard',
    ),
    rule({
      id: 'twilio-api-key',
      title: 'Twilio API key',
      mode: 'text',
      // `SK` + 32 hex is too short a shape to trust alone: only in files that mention Twilio.
      keywords: ['twilio'],
      pattern: String.raw`(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])`,
      revoke: 'Delete the API key in the Twilio console (Account → API keys & tokens)',
    }),
    prefixed(
      'sendgrid-api-token',
      'SendGrid API key',
      ['sg.'],
      String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`,
      'Delete the key in SendGrid (Settings → API Keys)',
    ),
    rule({
      id: 'mailgun-api-key',
      title: 'Mailgun API key',
      mode: 'text',
      keywords: ['mailgun'],
      pattern: String.raw`(?<![A-Za-z0-9-])(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9-])`,
      revoke: 'Rotate the key in Mailgun (Settings → API Security)',
    }),

    // --- AI providers
    rule({
      id: 'openai-api-key',
      title: 'OpenAI API key',
      mode: 'line',
      window: 400,
      keywords: ['t3blbkfj'],
      pattern: String.raw`(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}(?![A-Za-z0-9_-])`,
      revoke: 'Revoke it at https://platform.openai.com/api-keys',
    }),
    prefixed(
      'anthropic-api-key',
      'Anthropic API key',
      ['sk-ant-'],
      String.raw`sk-ant-(?:api03|oat01|ort01)-[A-Za-z0-9_-]{80,120}AA(?![A-Za-z0-9_-])`,
      'Revoke it in the Anthropic Console (Settings → API keys)',
    ),
    prefixed(
      'anthropic-admin-api-key',
      'Anthropic admin API key',
      ['sk-ant-'],
      String.raw`sk-ant-admin01-[A-Za-z0-9_-]{80,120}AA(?![A-Za-z0-9_-])`,
      'Revoke it in the Anthropic Console (Settings → Admin keys)',
    ),
    prefixed(
      'huggingface-access-token',
      'Hugging Face access token',
      ['hf_', 'api_org_'],
      String.raw`(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9])`,
      'Invalidate it at https://huggingface.co/settings/tokens',
    ),

    // --- Other services with prefixed tokens
    prefixed(
      'shopify-access-token',
      'Shopify access token',
      ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
      String.raw`shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])`,
      'Uninstall/rotate the app credentials in the Shopify admin or Partner dashboard',
    ),
    prefixed(
      'hashicorp-vault-token',
      'HashiCorp Vault token',
      ['hvs.', 'hvb.'],
      // Service tokens (hvs.) are 90–120 characters after the prefix, batch tokens (hvb.) 138–300.
      String.raw`(?:hvs\.[A-Za-z0-9_-]{90,120}|hvb\.[A-Za-z0-9_-]{138,300})(?![A-Za-z0-9_-])`,
      'Revoke it with `vault token revoke`',
    ),
    rule({
      id: 'hashicorp-vault-legacy-token',
      title: 'HashiCorp Vault token (legacy s. format)',
      mode: 'line',
      window: 200,
      // `s.` + 24 characters is too short a shape alone: only on a line that names Vault.
      keywords: ['vault'],
      pattern: String.raw`(?<![A-Za-z0-9_.-])(s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_-])`,
      entropy: 3.5,
      validate: (s) => (/[A-Z]/.test(s) && /[a-z]/.test(s.slice(2)) && /[0-9]/.test(s) ? undefined : { drop: true }),
      revoke: 'Revoke it with `vault token revoke`',
    }),
    rule({
      id: 'terraform-cloud-token',
      title: 'Terraform Cloud API token',
      mode: 'line',
      window: 128,
      keywords: ['.atlasv1.'],
      pattern: String.raw`(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])`,
      revoke: 'Delete the token in Terraform Cloud (User settings → Tokens)',
    }),
    prefixed('age-secret-key', 'age secret key', ['age-secret-key-1'], String.raw`AGE-SECRET-KEY-1[0-9A-Z]{58}(?![0-9A-Z])`, 'Generate a new age identity and re-encrypt what the old one protected'),
    prefixed(
      'digitalocean-token',
      'DigitalOcean token',
      ['dop_v1_', 'doo_v1_', 'dor_v1_'],
      String.raw`do[por]_v1_[a-f0-9]{64}(?![a-f0-9])`,
      'Revoke it in the DigitalOcean control panel (API → Tokens)',
    ),
    prefixed(
      'gcp-oauth-client-secret',
      'Google OAuth client secret',
      ['gocspx-'],
      String.raw`GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])`,
      'Reset the client secret in the Google Cloud console (APIs & Services → Credentials)',
    ),
    prefixed(
      'grafana-service-account-token',
      'Grafana service account token',
      ['glsa_'],
      String.raw`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9])`,
      'Delete the token in Grafana (Administration → Service accounts)',
    ),
    prefixed('databricks-api-token', 'Databricks API token', ['dapi'], String.raw`dapi[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9])`, 'Revoke it in Databricks (User settings → Access tokens)'),
    prefixed('linear-api-key', 'Linear API key', ['lin_api_'], String.raw`lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9])`, 'Revoke it in Linear (Settings → API)'),
    prefixed('postman-api-token', 'Postman API key', ['pmak-'], String.raw`PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])`, 'Revoke it in Postman (Settings → API keys)'),
    prefixed(
      'sentry-auth-token',
      'Sentry auth token',
      ['sntrys_', 'sntryu_'],
      String.raw`(?:sntrys_eyJ[A-Za-z0-9+/=_-]{50,600}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9+/=_-])`,
      'Revoke it in Sentry (Settings → Auth tokens)',
    ),
    prefixed('new-relic-user-api-key', 'New Relic user API key', ['nrak-'], String.raw`NRAK-[A-Z0-9]{27}(?![A-Za-z0-9])`, 'Delete the key in New Relic (API keys)'),
    prefixed('pulumi-api-token', 'Pulumi access token', ['pul-'], String.raw`pul-[a-f0-9]{40}(?![A-Za-z0-9])`, 'Delete it in Pulumi Cloud (Settings → Access tokens)'),
    prefixed(
      'tailscale-key',
      'Tailscale key',
      ['tskey-'],
      String.raw`tskey-[a-z]{3,8}-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,40}(?![A-Za-z0-9])`,
      'Revoke it in the Tailscale admin console (Settings → Keys)',
    ),
    prefixed(
      'doppler-token',
      'Doppler token',
      ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
      String.raw`dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
      'Revoke it in the Doppler dashboard',
    ),
    prefixed('flyio-access-token', 'Fly.io access token', ['fo1_'], String.raw`fo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`, 'Revoke it with `fly tokens revoke`'),

    // --- Formats that need more than a prefix
    rule({
      id: 'laravel-app-key',
      title: 'Laravel application key (APP_KEY)',
      keywords: ['app_key'],
      pattern: String.raw`APP_KEY[ \t]*=[ \t]*["']?base64:([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])`,
      revoke: 'Generate a new key with `php artisan key:generate` (sessions and encrypted values made with the old key stop working: re-encrypt what must survive)',
    }),
    rule({
      id: 'otpauth-secret',
      title: 'one-time-password seed (otpauth:// secret)',
      keywords: ['otpauth://'],
      pattern: String.raw`otpauth:\/\/[th]otp\/[^\s"'\x60?]{0,200}\?(?:[^\s"'\x60#]{0,300}?[&?;])?secret=([A-Za-z2-7]{16,128}=*)(?![A-Za-z0-9])`,
      // The seed of Google Authenticator's documentation, reused in countless examples.
      validate: (s) => (/^JBSWY3DPEHPK3PXP/i.test(s) ? { drop: true } : undefined),
      revoke: 'Reset the second factor of that account (a new seed); whoever has this one can make valid codes',
    }),
    rule({
      id: 'discord-bot-token',
      title: 'Discord bot token',
      mode: 'line',
      window: 256,
      keywords: ['discord'],
      pattern: String.raw`(?<![A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])`,
      // The first part is the bot's numeric id in base64.
      validate: (s) => (/^\d{17,20}$/.test(Buffer.from(s.split('.')[0]!, 'base64url').toString('latin1')) ? undefined : { drop: true }),
      revoke: 'Reset the token in the Discord developer portal (Applications → Bot → Reset Token)',
    }),
    rule({
      id: 'telegram-bot-token',
      title: 'Telegram bot token',
      mode: 'line',
      window: 48,
      keywords: [':aa'],
      pattern: String.raw`(?<![0-9A-Za-z_-])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])`,
      revoke: 'Revoke it with @BotFather (/revoke) and use the new token',
    }),
    rule({
      id: 'mailchimp-api-key',
      title: 'Mailchimp API key',
      mode: 'line',
      window: 40,
      keywords: ['-us'],
      bytePrefilter: mailchimpMayMatch,
      pattern: String.raw`(?<![0-9A-Za-z])([0-9a-f]{32}-us[0-9]{1,2})(?![0-9A-Za-z])`,
      revoke: 'Disable the key in Mailchimp (Profile → Extras → API keys) and create a new one',
    }),
    rule({
      id: 'new-relic-license-key',
      title: 'New Relic license key',
      mode: 'line',
      window: 48,
      keywords: ['nral'],
      pattern: String.raw`(?<![A-Za-z0-9])((?:eu01xx)?[a-fA-F0-9]{34,36}NRAL)(?![A-Za-z0-9])`,
      validate: (s) => (s.length === 40 ? undefined : { drop: true }),
      revoke: 'Rotate the license key in New Relic (API keys → Ingest - License)',
    }),
    rule({
      id: 'pkcs12-file',
      title: 'PKCS#12 key store (.p12/.pfx: a private key with its certificate)',
      tier: 'private-key',
      mode: 'path',
      keywords: [],
      pattern: '',
      path: /(?:^|\/)[^/]+\.(?:p12|pfx)$/i,
      revoke: 'Treat the key inside as compromised: issue a new certificate and key, revoke the old certificate',
    }),
    rule({
      id: 'rails-master-key',
      title: 'Rails master key (config/master.key)',
      tier: 'private-key',
      mode: 'path',
      keywords: [],
      pattern: '',
      path: /(?:^|\/)config\/(?:master|credentials\/[\w-]+)\.key$/,
      revoke: 'Rotate the master key (`bin/rails credentials:edit` with a new key) and every credential it encrypted',
    }),
    rule({
      id: 'private-key-der',
      title: 'private key (DER, outside PEM armour)',
      tier: 'private-key',
      priority: 28,
      keywords: ['mii', 'mig', 'mih', 'mhccaqee', 'mc4caqaw'],
      // Base64 of a DER PKCS#1/PKCS#8/SEC1 key: SEQUENCE { INTEGER 0|1 … }. A certificate
      // (SEQUENCE { SEQUENCE … }) never starts this way; the validator parses the key.
      pattern: String.raw`(?<![A-Za-z0-9+/])((?:MII[A-Za-z0-9+/]{3}IBA[AD]|MI[GH][A-Za-z0-9+/]AgE[AB]|MHcCAQEE|MC4CAQAw)[A-Za-z0-9+/]{40,8192}={0,2})(?![A-Za-z0-9+/=])`,
      validate: (s, m, ctx) => validateDer(Buffer.from(s, 'base64'), m.index, ctx),
      revoke: 'Treat the key as compromised: create a new key pair (and certificate), and remove the old public key wherever it is trusted',
    }),
    rule({
      id: 'private-key-der-hex',
      title: 'private key (hex DER)',
      tier: 'private-key',
      mode: 'line',
      window: 16_400,
      priority: 28,
      keywords: ['02010'],
      pattern: String.raw`(?<![0-9a-fA-F])(30(?:82[0-9a-fA-F]{4}|81[0-9a-fA-F]{2}|[0-7][0-9a-fA-F])02010[01][0-9a-fA-F]{64,16384})(?![0-9a-fA-F])`,
      validate: (s, m, ctx) => (s.length % 2 === 0 ? validateDer(Buffer.from(s, 'hex'), m.index, ctx) : { drop: true }),
      revoke: 'Treat the key as compromised: create a new key pair (and certificate), and remove the old public key wherever it is trusted',
    }),

    // --- Private keys
    rule({
      id: 'private-key',
      title: 'private key',
      tier: 'private-key',
      mode: 'text',
      keywords: ['private key'],
      // Go's own tests write `-----BEGIN RSA TESTING KEY-----` and swap the words at run time,
      // which this deliberately does not match. The body allows the quotes, `+` and `\n` escapes
      // of a key pasted into a Go/JSON string.
      // The body never holds five dashes (`-(?!----)`: a lone `-` of `Proc-Type:` or `DEK-Info:`
      // is fine), so a search from one BEGIN stops at the next armour line: linear on a line of
      // repeated headers, where `[…-]{64,32768}?` would walk 32 KB from each of them.
      pattern: String.raw`-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----((?:[A-Za-z0-9+/=\s:,"'\x60\\]|-(?!----)){64,32768}?)-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`,
      trim: true,
      validate: validatePrivateKey,
      revoke: 'Treat the key as compromised: create a new key pair (and certificate), and remove the old public key wherever it is trusted',
    }),
    rule({
      id: 'putty-private-key',
      title: 'PuTTY private key',
      tier: 'private-key',
      mode: 'text',
      keywords: ['putty-user-key-file'],
      // A skipped line never starts another key file, so repeated headers cost one pass.
      pattern: String.raw`PuTTY-User-Key-File-[23]:[^\n]{1,100}\n(?:(?!PuTTY-User-Key-File)[^\n]{0,500}\n){0,40}?Private-Lines:[ \t]*[0-9]{1,4}\r?\n((?:[A-Za-z0-9+/=]{4,128}\r?\n){1,200})`,
      trim: true,
      validate: (s) => (pemBodyOk(s, 32) ? undefined : { drop: true }),
      revoke: 'Treat the key as compromised: create a new key pair and remove the old public key from every authorized_keys',
    }),

    // --- Credentials in URLs and credential files
    rule({
      id: 'basic-auth-url',
      title: 'Password in a URL',
      tier: 'credential',
      keywords: ['://'],
      pattern: String.raw`:\/\/([^\s:@\/?#"'\x60<>\\]{0,128}):([^\s:@\/?#"'\x60<>\\]{1,256})@(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9_.-]{1,253})`,
      secretGroup: 2,
      validate: (s, m, ctx) => {
        const v = urlPassword(m[1] ?? '', s, m[3] ?? '');
        if (v) return v;
        const scheme = /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{1,15})$/.exec(ctx.text.slice(Math.max(0, m.index - 17), m.index))?.[1];
        return scheme ? { title: `password in a ${scheme}:// URL` } : undefined;
      },
      revoke: 'Change the password (or revoke the token) on the server the URL points to',
    }),
    rule({
      id: 'mysql-dsn-password',
      title: 'password in a database DSN',
      tier: 'credential',
      mode: 'line',
      window: 300,
      keywords: ['@tcp(', '@unix('],
      // go-sql-driver/mysql's DSN: user:password@tcp(host:3306)/db
      pattern: String.raw`(?<![A-Za-z0-9_.:\/@-])([A-Za-z0-9_.-]{1,64}):([^\s:@\/"'\x60]{1,128})@(?:tcp|unix)\(`,
      secretGroup: 2,
      validate: (s, m) => (isPlaceholderPassword(s, m[1]) || s.length < 4 ? { drop: true } : undefined),
      revoke: 'Change the database password',
    }),
    rule({
      id: 'netrc-password',
      title: '.netrc password',
      tier: 'credential',
      mode: 'line',
      window: 512,
      multiline: true,
      keywords: ['machine'],
      bytePrefilter: netrcMayMatch,
      // The machine must be a host name (with a dot, or localhost): `machine string` in a Go
      // struct next to `password string` is code, not a .netrc entry.
      pattern: String.raw`(?<![A-Za-z0-9_-])machine[ \t]+(?:(?:[A-Za-z0-9-]{1,63}\.){1,10}[A-Za-z0-9-]{1,63}|localhost)(?:\s+(?:login|account|port)\s+\S{1,256}){0,4}\s+password\s+(\S{1,256})`,
      validate: placeholderValue,
      revoke: 'Change the password or revoke the token on that machine',
    }),
    rule({
      id: 'npmrc-auth-token',
      title: 'npm registry credential (.npmrc)',
      tier: 'credential',
      mode: 'line',
      window: 256,
      keywords: ['_authtoken', '_auth', '_password', 'npmauthtoken'],
      bytePrefilter: npmrcMayMatch,
      // Not after `.`/identifier chars: `this._auth = …` in JavaScript is code.
      // The value is matched atomically (look-ahead + back-reference) and holds `=` only as
      // base64 padding at its end: `_auth=` repeated on one line costs a few steps per repeat.
      pattern: String.raw`(?<![A-Za-z0-9_.$\])])(?:_authToken|_auth|_password|npmAuthToken)[ \t]*[=:][ \t]*["']?(?=([A-Za-z0-9+/._~-]{8,512}={0,2}))\1(?![^\s"'#;,])`,
      validate: placeholderValue,
      revoke: 'Revoke the token at the registry that issued it; read it from an environment variable (`_authToken=${NPM_TOKEN}`)',
    }),
    rule({
      id: 'docker-config-auth',
      title: 'Docker registry credential (config.json auth)',
      tier: 'credential',
      mode: 'line',
      window: 2048,
      keywords: ['"auth"'],
      pattern: String.raw`"auth"[ \t]*:[ \t]*"([A-Za-z0-9+/]{8,1024}={0,2})"`,
      validate: validateDockerAuth,
      revoke: 'Change the registry password or revoke the token, then use `docker login` with a credential helper',
    }),
    rule({
      id: 'pypirc-password',
      title: '.pypirc password',
      tier: 'credential',
      mode: 'text',
      path: /(?:^|\/)\.pypirc$/,
      keywords: ['password'],
      pattern: String.raw`^[ \t]*password[ \t]*[=:][ \t]*(\S{4,256})[ \t]*\r?$`,
      flags: 'm',
      validate: placeholderValue,
      revoke: 'Revoke the token in the package index account settings',
    }),

    rule({
      id: 'basic-auth-header',
      title: 'HTTP Basic credentials',
      tier: 'credential',
      keywords: ['basic'],
      pattern: String.raw`${ci('basic')}[ \t]+([A-Za-z0-9+/]{8,512}={0,2})(?![A-Za-z0-9+/=])`,
      validate: validateDockerAuth, // the same base64("user:password") shape
      revoke: 'Change the password of that account (the header is only base64, not encryption)',
    }),

    // --- Generic
    rule({
      id: 'jwt',
      title: 'JSON Web Token',
      tier: 'generic',
      priority: 15,
      window: 12_400,
      keywords: ['eyj'],
      pattern: String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2048}\.e[wy][A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{10,2048}(?![A-Za-z0-9_-])`,
      entropy: 3,
      validate: validateJwt,
      revoke: 'If a real service issued it, revoke the session or rotate the signing key',
    }),
    rule({
      id: 'bearer-token',
      title: 'bearer token',
      tier: 'generic',
      keywords: ['bearer'],
      pattern: String.raw`${ci('bearer')}[ \t]+([A-Za-z0-9._~+\/-]{20,1024}=*)(?![A-Za-z0-9._~+\/=-])`,
      entropy: 3.5,
      validate: (s) => (/[0-9]/.test(s) && /[a-zA-Z]/.test(s) ? undefined : { drop: true }),
      revoke: 'Revoke the token where it was issued',
    }),
    rule({
      id: 'generic-api-key',
      title: 'possible secret',
      tier: 'generic',
      mode: 'generic',
      keywords: GENERIC_KEYWORDS,
      pattern: GENERIC_TAIL,
      entropy: 3.5,
      revoke: 'If it is a real credential, rotate it where it was issued',
    }),
  ];
}

const SLACK_REVOKE = 'Revoke it in the Slack app settings at https://api.slack.com/apps (OAuth & Permissions)';

/** Words that make a name secret-ish (gitleaks' generic keywords, plus `pass`/`pwd`). */
export const GENERIC_KEYWORDS = ['access', 'api', 'auth', 'credential', 'creds', 'key', 'pass', 'pwd', 'secret', 'token'];

/**
 * Runs right after a generic keyword (sticky): the rest of the name, an assignment (`=`, `:=`,
 * `:`, `=>`, `?=`, `||=`, `>` as in `<password>…</password>`, or `,` after a quoted name as in
 * `Setenv("API_TOKEN", "…")`), up to 32 blanks each side (gofmt, HCL, TOML and YAML align
 * columns), then a quoted value (group 3) or a bare one (group 4: `=` only as base64 padding at its end, so that
 * `k=v;k=v` strings and `key=key=key=…` lines end a value at once). Every repetition is bounded, and the values
 * are matched atomically (`(?=(x{10,200}))\3`: a look-ahead never backtracks), so one attempt
 * costs at most a few hundred steps whatever the line: the rule stays linear on a 1 MB line.
 */
const GENERIC_TAIL = String.raw`([A-Za-z0-9_.-]{0,40})(?:["'\x60\]]?[ \t]{0,32}(?::=|=>|\?=|\|\|=|=(?!=)|:(?![:\/]))|>|["'\x60][ \t]{0,4},)[ \t]{0,32}(?:(?:\[\]byte\()?(["'\x60])(?=([^"'\x60\s\\]{10,1000}))\3\2|(?=([A-Za-z0-9_.+\/~@-]{10,1000}={0,2}))\4(?![A-Za-z0-9_.=+\/~@-]))`;

// ---------------------------------------------------------------------------------------------
// Generic-rule judgement: is this name/value pair a credential?

/**
 * Words that contain a generic keyword without meaning a credential. A name whose keywords all
 * sit inside these (author, keyboard, openapi, bypass...) is not secret-ish.
 */
const BENIGN_WORDS = [
  'openapi',
  'authority',
  'authorities',
  'authoriz',
  'author',
  'monkey',
  'donkey',
  'turkey',
  'hockey',
  'jockey',
  'whiskey',
  'keyboard',
  'keyspace',
  'keyword',
  'keystone',
  'keystroke',
  'passage',
  'passeng',
  'passport',
  'passiv',
  'compass',
  'bypass',
  'surpass',
  'passthrough',
  'accessib',
  'accessor',
  'tokeniz',
  'signingkey', // git's GPG key id
];

/** A name ending with one of these describes a secret (its id, file, type...) rather than holding it. */
const NON_SECRET_SUFFIXES = [
  'name',
  'names',
  'file',
  'files',
  'filename',
  'path',
  'paths',
  'dir',
  'url',
  'urls',
  'uri',
  'endpoint',
  'host',
  'server',
  'type',
  'types',
  'kind',
  'mode',
  'method',
  'version',
  'size',
  'length',
  'len',
  'count',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'expiresat',
  'expiresin',
  'timeout',
  'header',
  'field',
  'param',
  'prefix',
  'suffix',
  'format',
  'policy',
  'provider',
  'source',
  'usage',
  'ref',
  'env',
  'var',
  'label',
  'hash',
  'hashed',
  'digest',
  'checksum',
  'sum',
  'regex',
  'regexp',
  'pattern',
  'bits',
  'algorithm',
  'algo',
  'alg',
  'index',
  'column',
  'style',
  'store',
  'func',
  'fn',
  'map',
  'list',
  'cache',
  'schema',
  'template',
  'enabled',
  'required',
  'config',
  'option',
  'options',
  'opts',
  'level',
  'scope',
  'scopes',
  'role',
  'roles',
  'group',
  'flag',
  'location',
  'region',
  'arn',
  'owner',
  'user',
  'username',
  'login',
  'email',
  'mechanism',
  'scheme',
  'strategy',
  'handler',
  'middleware',
  'client',
  'manager',
  'factory',
  'builder',
  'parser',
  'validator',
  'generator',
  'state',
  'commit',
  'rev',
  'revision',
  'sha',
  'lastused',
  'date',
  'time',
  'timestamp',
  'nexttoken',
  'continuationtoken',
  'paginationtoken',
  'pagetoken',
  'outputtoken',
  'inputtoken',
  'synctoken',
  'idempotencytoken',
  'csrftoken',
  'xsrftoken',
  'resultkey',
  'status',
];

/** `<word>key`: a lookup key (cache key, sort key...), not a credential. */
const LOOKUP_KEY_WORDS = [
  'cache',
  'sort',
  'partition',
  'primary',
  'foreign',
  'row',
  'idempotency',
  'hash',
  'map',
  'lookup',
  'routing',
  'object',
  'bucket',
  'config',
  'context',
  'ctx',
  'label',
  'annotation',
  'env',
  'header',
  'query',
  'table',
  'i18n',
  'translation',
  'message',
  'metric',
  'tag',
  'group',
  'dedup',
  'dedupe',
  'unique',
  'composite',
  'index',
  'shard',
  'redis',
  'kv',
  'registry',
  'field',
  'column',
  'attr',
  'attribute',
  'property',
  'prop',
  'json',
  'yaml',
  'dict',
  's3',
  'public',
  'pub',
];

/** Words that, right before `id`, make the id itself a secret (Vault's secret_id, a tokenID). */
const SECRET_ID_RE = /(?:token|secret)ids?$/;

/**
 * Whether a name says it does not hold a credential. `value` refines two cases: a name ending in
 * `id` (an identifier, unless it is a secret's id such as `secret_id` or `tokenID` with a random
 * value) and AWS's `ClientToken` (an idempotency token when its value is a UUID).
 */
export function isNonSecretName(name: string, value?: string): boolean {
  const n = name.toLowerCase().replace(/[_.\-\s]/g, '');
  // Go struct tags of generated protobuf code: `protobuf_key:"bytes,1,opt,name=key"`.
  if (/^protobuf(?:key|val)$/.test(n)) return true;
  let rest = n;
  for (const w of BENIGN_WORDS) rest = rest.split(w).join(' ');
  if (!GENERIC_KEYWORDS.some((k) => rest.includes(k))) return true;
  if (/public|publishable|pubkey/.test(n)) return true;
  if (/ids?$/.test(n) && n.length > 3) {
    if (!SECRET_ID_RE.test(n)) return true;
    if (value !== undefined && (UUID_RE.test(value) || /^\d+$/.test(value))) return true;
  }
  if (n.endsWith('clienttoken')) return value === undefined || UUID_RE.test(value);
  // `keyname` describes a key; `nexttoken` is itself a known non-secret name.
  for (const s of NON_SECRET_SUFFIXES) if (n.endsWith(s) && (n.length > s.length || GENERIC_KEYWORDS.some((k) => s.includes(k)))) return true;
  for (const w of LOOKUP_KEY_WORDS) if (n.endsWith(`${w}key`) || n.endsWith(`${w}keys`)) return true;
  return false;
}

/** A name that says it holds a secret: then a UUID value is one too (Heroku API keys, many SaaS keys). */
const SECRET_NAME_RE = /token|secret|passw|pwd|key|auth|cred/;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILE_EXT_RE =
  /\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|toml|txt|conf|cfg|ini|env|go|js|ts|py|sh|html?|png|jpe?g|gif|svg|log|lock|sum|mod|md|xml|csv|gz|zip|tar|tmpl|tpl)$/i;

/** Technical words without a vowel, common in identifiers. */
const VOWELLESS_WORDS = new Set(
  'http https html xml sql ssh tcp udp dns jwt ssl tls crt pkcs rsa cfg src dst tmp pkg cmd ctx msg mgr srv svc std lvl cnt btn grpc rpc smtp ldap nfs gcp mfa sns sqs kms rds crl csr pgp gpg ttl db px'.split(' '),
);

/**
 * Made of words, like an identifier or a setting name: EncapsulationKeySize1024,
 * ec2_metadata_service_endpoint_mode, X-Amz-Content-Sha256, sendTokensToMainThread. Each segment
 * splits into words (3+ letters hold a vowel), short acronyms and at most two short numbers, and a
 * quarter of the letters are vowels. A random 20–40 character alphanumeric string passes about
 * once in 600 tries; such a miss only costs a generic warning.
 */
export function isWordyIdentifier(v: string): boolean {
  if (!/^[A-Za-z0-9_\-.,#/:~ ]+$/.test(v) || !/[A-Za-z]/.test(v)) return false;
  let digitRuns = 0;
  let acronyms = 0;
  for (const seg of v.split(/[_\-.,#/:~ ]+/)) {
    const toks = seg.match(/[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+|[0-9]+/g) ?? [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      const nextIsNumber = /^[0-9]/.test(toks[i + 1] ?? '');
      if (/^[0-9]/.test(t)) {
        if (t.length > 4 || ++digitRuns > 2) return false;
      } else if (/^[A-Z]+$/.test(t)) {
        if (t.length === 1 && toks.length > 1 && !nextIsNumber) return false;
        if (t.length > 6 || ++acronyms > 2) return false;
      } else {
        if (t.length === 1 && !nextIsNumber) return false; // s3, v2, but not a stray letter
        if (t.length >= 3 && !/[aeiouy]/i.test(t) && !VOWELLESS_WORDS.has(t.toLowerCase())) return false;
      }
    }
  }
  const letters = v.replace(/[^A-Za-z]/g, '');
  return letters.replace(/[^aeiouyAEIOUY]/g, '').length / letters.length >= 0.25;
}

/** A `pkg.Func` / `cfg.Auth.Token` reference: every dot-separated part reads as an identifier. */
function isDottedReference(v: string): boolean {
  if (!/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) || /\d{4,}/.test(v)) return false;
  return v.split('.').every((seg) => seg.length <= 3 || isWordyIdentifier(seg));
}

/** Values that are references, not secrets: ids, paths, versions, code. `name` is the name it is assigned to. */
export function isBenignValue(v: string, name?: string): boolean {
  if (/^[A-Za-z_.-]+$/.test(v)) return true; // gitleaks: letters only is a word, not a secret
  if (isWordyIdentifier(v)) return true;
  if (UUID_RE.test(v)) return name === undefined || !SECRET_NAME_RE.test(name.toLowerCase());
  if (v.includes('://') || v.includes('::')) return true; // URLs, C++/Rust paths
  if (v.endsWith('...') || v.endsWith('…')) return true; // shortened in documentation
  if (/^\$(?:2[abxy]?|1|5|6|argon2(?:id|i|d)?|scrypt|pbkdf2[\w-]*)\$/.test(v)) return true; // password hashes (crypt formats)
  if (/^\d{4}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$/.test(v)) return true; // dates
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return true;
  if (FILE_EXT_RE.test(v)) return true;
  if (/^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]*)?$/.test(v)) return true;
  if (/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(v)) return true;
  if (/^(?:sha(?:1|224|256|384|512)?|md5|h1|blake2b?)[:-]/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return true; // ENV_VAR_NAME
  if (isDottedReference(v)) return true; // pkg.Func, cfg.Auth.Token
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[\w.~%-]*)*$/i.test(v) && /\.[a-z]{2,}(?:\/|$)/i.test(v)) return true; // domains, module paths
  // `k=v;k=v` (metrics, labels, connection options): a list of settings, not one secret.
  if (/^[\w.-]{1,40}=[^;,&=\s]{0,60}(?:[;,&][\w.-]{1,40}=[^;,&=\s]{0,60})+[;,&]?$/.test(v)) return true;
  // Random secrets nearly always hold a digit; long mixed-case ones may not.
  if (!/\d/.test(v) && !(v.length >= 20 && /[a-z]/.test(v) && /[A-Z]/.test(v))) return true;
  return false;
}

/** Files whose whole purpose is holding credentials: every finding there is an error. */
export const CREDENTIAL_FILE_RE =
  /(?:^|\/)(?:\.netrc|_netrc|\.git-credentials|\.npmrc|\.yarnrc\.yml|\.pypirc|\.dockercfg|\.docker\/config\.json|\.s3cfg|\.aws\/credentials|\.env(?:\.[\w.-]+)?|[\w.-]*\.env|id_(?:rsa|dsa|ecdsa|ed25519)(?:_[\w-]+)?|[^/]+\.tfvars(?:\.json)?)$/;

export type { MatchContext };
