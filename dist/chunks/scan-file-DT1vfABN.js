import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

// Checksums some providers build into their tokens. GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm
// (npm_) tokens end with 6 base62 characters holding the CRC32 of the random part between the
// 4-character prefix and the checksum, in the 0-9A-Za-z alphabet. A token whose checksum matches
// was minted by the provider; one that does not is a hand-written fake.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of a string whose characters are all < 256 (each char one byte). */
function crc32(s) {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n, width) {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** True when a `xxx_` + random + 6-char checksum token (GitHub, npm) carries a valid checksum. */
function hasValidBase62Checksum(token, prefixLength = 4) {
  if (token.length < prefixLength + 7) return false;
  const random = token.slice(prefixLength, -6);
  return base62(crc32(random), 6) === token.slice(-6);
}

// Shannon entropy in bits per character, as gitleaks computes it over the secret: a finding is
// skipped when entropy <= the rule's threshold.

function shannonEntropy(s) {
  const n = s.length;
  if (n === 0) return 0;
  const counts = new Map();
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

// Go-preflight's built-in false-positive filters, applied to every default rule (they are part of
// the defaults: a .gitleaks.toml without `[extend] useDefault = true` replaces them, as in gitleaks).


/** Values that are templates or references, not secrets (tested on the whole secret). */
const PLACEHOLDER_RES = [
  /^(?:true|false|null|nil|none|undefined|empty)$/i,
  /^(.)\1+$/, // one repeated char: xxxxxxxx, ********
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}
  /^\$\(.*\)$/, // $(command)
  /\$\{[^}]*\}/, // ${VAR} anywhere (shell, compose, Terraform interpolation)
  /\{\{.*\}\}/, // {{ .Values.x }}, Go/Helm templates, ${{ secrets.X }}
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR% (Windows)
  /^@[A-Za-z_][A-Za-z0-9_]*@$/, // @VAR@ (autoconf)
  /^%[-+# 0]?[a-zA-Z]$/, // a lone Go/printf verb
  // %s, %v, %q, %T, %d inside a value ("%s:%s@tcp(%s)"); `%d` must not be URL encoding like %DA.
  /%(?:[-+# 0]?[svqT]|d(?![0-9A-Fa-f]))/,
  /^\{\d*\}$/, // {0}, {}
  /^\$\d$/, // $1
  /^<[^<>]*>$/, // <your-token>
  /^\[[A-Za-z _-]*\]$/, // [REDACTED]
  /^_{2,}[A-Za-z0-9_]*_{2,}$/, // __PLACEHOLDER__
  /^(?:\/(?:etc|home|tmp|usr|var|opt|Users|root|run|srv)\/)/, // absolute paths
];

function isPlaceholder(v) {
  return PLACEHOLDER_RES.some((re) => re.test(v)) || isSequential(v);
}

/** abcdef123456, A1B2C3D4E5…: keyboard fill, not a secret (a random string almost never steps by one). */
function isSequential(v) {
  const n = v.length;
  if (n < 8) return false;
  let step1 = 0;
  let step2 = 0;
  for (let i = 0; i + 1 < n; i++) {
    if (v.charCodeAt(i + 1) - v.charCodeAt(i) === 1) step1++;
    if (i + 2 < n && v.charCodeAt(i + 2) - v.charCodeAt(i) === 1) step2++;
  }
  return step1 / (n - 1) > 0.5 || step2 / (n - 2) > 0.5;
}

/** Substrings (lower case) that mark documentation values; tested on every default rule's secret. */
const GLOBAL_STOPWORDS = [
  'example',
  'sample',
  'placeholder',
  'dummy',
  'redacted',
  'xxxxxx',
  'changeme',
  'change_me',
  'change-me',
  'your_',
  'your-',
  'notreal',
  'not_real',
  'not-real',
  'fake',
];

/** More stopwords for the generic rules only: words a real random secret never contains. */
const GENERIC_STOPWORDS = [
  ...GLOBAL_STOPWORDS,
  'secret',
  'password',
  'passwd',
  'token',
  'test',
  'mock',
  'demo',
  'foobar',
  'lorem',
  'qwerty',
  'abcdef',
  '123456',
  'insert',
  'replace',
  'todo',
  'fixme',
];

function hasStopword(secret, words) {
  const lower = secret.toLowerCase();
  for (const w of words) if (lower.includes(w)) return true;
  return false;
}

// Documented public values, kept as SHA-256 digests so that no credential-shaped literal sits in
// this repository: the Azure storage emulator's well-known account key, Stripe's public docs test
// keys, and the example tokens of GitHub's own documentation.
const KNOWN_PUBLIC_SHA256 = new Set([
  '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059',
  '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326',
  'f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397',
  '3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da',
  'bc3ae723f57c6b9e3fd80b699fcc420f6074b0b1718039669d22631d508ac0a7',
  '82e74299544e00738f9c0acb69b1eb348b3e20ffcfabcb34779bd37590fead6c',
  '797c0ce414586cc8eb6929afe947c720e3e4d351dd070a6fe39f630beaab3054',
  '0cecafe4ec4766065c64799e2d0fc466059f86526e0a45b883de0fb856435236',
  '86007eb367696d3202a93e1ef98e8e9e04d0cda1229fa053f126b08dcfcfc200',
]);

function isKnownPublic(secret) {
  return KNOWN_PUBLIC_SHA256.has(createHash('sha256').update(secret).digest('hex'));
}

/** Passwords that mark a URL or .netrc entry as an illustration (`user:password@localhost`). */
const PLACEHOLDER_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'test',
  'testing',
  'example',
  'admin',
  'root',
  'user',
  'username',
  'guest',
  'postgres',
  'mysql',
  'redis',
  'mongo',
  'rabbitmq',
  'foo',
  'bar',
  'foobar',
  'xxx',
  'xxxx',
  'dummy',
  'demo',
  'default',
  'letmein',
  'token',
  'mypassword',
  'yourpassword',
  'p4ssw0rd',
  'pa55word',
]);

function isPlaceholderPassword(password, user) {
  const p = password.toLowerCase();
  if (PLACEHOLDER_PASSWORDS.has(p)) return true;
  if (user !== undefined && p === user.toLowerCase()) return true;
  if (/^[*x•.]+$/i.test(p)) return true; // masked: ****, xxxx
  if (isPlaceholder(password)) return true;
  if (/^\$[A-Za-z_{(]/.test(password) || /^%[A-Za-z_]/.test(password)) return true; // $VAR, ${VAR}, $(cmd), %VAR
  if (hasStopword(password, GLOBAL_STOPWORDS)) return true;
  if (/^(?:pass(?:word)?|secret|pw|pwd)[-_]?\d{0,4}$/i.test(password)) return true; // password1, secret123
  return false;
}

/** Hosts of illustrations: reserved example domains and loopback names. */
function isExampleHost(host) {
  const h = host.toLowerCase();
  return /(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$/.test(h) || h === 'host' || h === 'hostname';
}

function isLoopbackHost(host) {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.startsWith('127.') || h === '0.0.0.0' || h === '::1' || h === 'host.docker.internal';
}

// go-preflight's own rules, written from each provider's documented token format (prefix, length,
// alphabet, checksum). Bump RULESET_VERSION whenever a rule changes: it is part of the cache key.




const RULESET_VERSION = 1;

/** Not preceded by a letter or digit (token prefixes start a word). */
const LB = String.raw`(?<![A-Za-z0-9])`;

/** Case-insensitive spelling of a word without the `i` flag (the rest of the pattern keeps case). */
function ci(word) {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}




















const PRIORITY = { provider: 30, 'private-key': 30, custom: 25, credential: 20, generic: 10 };

function rule(init) {
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
    priority: init.priority ?? PRIORITY[tier],
    revoke: init.revoke,
  };
}

/** A token with a prefix: sticky regex at the keyword, not followed by more token characters. */
function prefixed(id, title, keywords, body, revoke, extra = {}) {
  return rule({ id, title, keywords, pattern: `${LB}${body}`, revoke, ...extra });
}

// ---------------------------------------------------------------------------------------------
// Validators

const GITHUB_REVOKE = 'Revoke it at https://github.com/settings/tokens (or in the settings of the GitHub/OAuth App that issued it)';

function githubChecksum(secret) {
  // Since 2021 GitHub tokens end with a CRC32 of their random part: a match means GitHub's
  // format, a mismatch means someone typed or generated a look-alike.
  return hasValidBase62Checksum(secret)
    ? { note: 'its built-in checksum is valid' }
    : { maxSeverity: 'warning', note: 'its checksum does not match, so it is probably a made-up example' };
}

function npmChecksum(secret) {
  return hasValidBase62Checksum(secret)
    ? { note: 'its built-in checksum is valid' }
    : { maxSeverity: 'warning', note: 'its checksum does not match, so it is probably a made-up example' };
}

function base64UrlJson(part) {
  try {
    const text = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function validateJwt(secret) {
  const [h, p] = secret.split('.');
  const header = base64UrlJson(h ?? '') ;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string') return { drop: true };
  if (header.alg.toLowerCase() === 'none') return { drop: true };
  const payload = base64UrlJson(p ?? '') ;
  if (!payload || typeof payload !== 'object') return { drop: true };
  // The jwt.io sample token, printed in countless tests and docs.
  if (payload.sub === '1234567890' && payload.name === 'John Doe') return { drop: true };
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) {
    return { note: `it expired on ${new Date(payload.exp * 1000).toISOString().slice(0, 10)}` };
  }
  return undefined;
}

function pemBodyOk(body, min = 64) {
  const cleaned = body
    .replace(/\\[nrt]/g, '\n')
    .split('\n')
    .filter((l) => !/^\s*[A-Za-z-]+:/.test(l)) // Proc-Type:, DEK-Info:, Comment:
    .join('')
    .replace(/[^A-Za-z0-9+/=]/g, '');
  return cleaned.length >= min && shannonEntropy(cleaned) > 3.5;
}

function validatePrivateKey(secret, m) {
  if (!pemBodyOk(secret)) return { drop: true };
  const type = /BEGIN ?([A-Z0-9 _-]*?) ?PRIVATE KEY( BLOCK)?/.exec(m[0]);
  const kind = (type?.[1] ?? '').trim();
  const names = { RSA: 'RSA', EC: 'EC', DSA: 'DSA', OPENSSH: 'OpenSSH', ENCRYPTED: 'encrypted', PGP: 'PGP' };
  const label = kind ? (names[kind] ?? kind) : '';
  return { title: `${label ? `${label} ` : ''}private key${type?.[2] ? ' block' : ''}` };
}

function urlPassword(user, password, host) {
  if (password.length < 4 || /^\d{1,5}$/.test(password)) return { drop: true }; // host:port, not a password
  if (isPlaceholderPassword(password, user)) return { drop: true };
  if (isExampleHost(host)) return { drop: true };
  // `postgres://app:devpass@localhost`: a local development password, not worth a failure.
  if (isLoopbackHost(host) && shannonEntropy(password) < 3) return { drop: true };
  return undefined;
}

function validateDockerAuth(secret) {
  let decoded;
  try {
    decoded = Buffer.from(secret, 'base64').toString('utf8');
  } catch {
    return { drop: true };
  }
  const m = /^([^:\s]{1,256}):(\S{1,1024})$/.exec(decoded);
  if (!m) return { drop: true };
  if (isPlaceholderPassword(m[2], m[1])) return { drop: true };
  return undefined;
}

const placeholderValue = (secret) => (isPlaceholderPassword(secret) ? { drop: true } : undefined);

// ---------------------------------------------------------------------------------------------
// The rule set

/** Fresh rule objects (callers may extend them with user allowlists). */
function builtinRules() {
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
    prefixed(
      'gitlab-pat',
      'GitLab personal access token',
      ['glpat-'],
      String.raw`glpat-[A-Za-z0-9_-]{20,80}(?:\.[A-Za-z0-9_-]{2,12}){0,2}(?![A-Za-z0-9_-])`,
      'Revoke it in GitLab (User settings → Access tokens, or the project/group settings)',
    ),
    prefixed('gitlab-deploy-token', 'GitLab deploy token', ['gldt-'], String.raw`gldt-[A-Za-z0-9_-]{20,80}(?![A-Za-z0-9_-])`, 'Revoke it in GitLab (Settings → Repository → Deploy tokens)'),
    prefixed(
      'gitlab-runner-token',
      'GitLab runner token',
      ['glrt-', 'gr1348941'],
      String.raw`(?:glrt-|GR1348941)[A-Za-z0-9_-]{20,80}(?![A-Za-z0-9_-])`,
      'Reset the runner token in GitLab (Settings → CI/CD → Runners) and re-register the runner',
    ),
    prefixed(
      'gitlab-ci-token',
      'GitLab CI/pipeline trigger token',
      ['glcbt-', 'glptt-'],
      String.raw`(?:glcbt-|glptt-)[A-Za-z0-9_-]{20,80}(?![A-Za-z0-9_-])`,
      'Revoke it in GitLab (Settings → CI/CD → Pipeline trigger tokens)',
    ),
    prefixed(
      'gitlab-token',
      'GitLab token',
      ['gloas-', 'glsoat-', 'glffct-', 'glimt-', 'glft-', 'glagent-'],
      String.raw`gl(?:oas|soat|ffct|imt|ft|agent)-[A-Za-z0-9_-]{20,80}(?![A-Za-z0-9_-])`,
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
      String.raw`hv[sb]\.[A-Za-z0-9_-]{90,300}(?![A-Za-z0-9_-])`,
      'Revoke it with `vault token revoke`',
    ),
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
      pattern: String.raw`-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----([A-Za-z0-9+/=\s:,"'\x60\\-]{64,32768}?)-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`,
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
      pattern: String.raw`PuTTY-User-Key-File-[23]:[^\n]{1,100}\n(?:[^\n]{0,500}\n){0,40}?Private-Lines:[ \t]*[0-9]{1,4}\r?\n((?:[A-Za-z0-9+/=]{4,128}\r?\n){1,200})`,
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
      // Not after `.`/identifier chars: `this._auth = …` in JavaScript is code.
      // The value is matched atomically (look-ahead + back-reference): `_auth=` repeated on one
      // line must not make the engine retry every shorter value.
      pattern: String.raw`(?<![A-Za-z0-9_.$\])])(?:_authToken|_auth|_password|npmAuthToken)[ \t]*[=:][ \t]*["']?(?=([A-Za-z0-9+/=._~-]{8,512}))\1(?![^\s"'#;,])`,
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
const GENERIC_KEYWORDS = ['access', 'api', 'auth', 'credential', 'creds', 'key', 'pass', 'pwd', 'secret', 'token'];

/**
 * Runs right after a generic keyword (sticky): the rest of the name, an assignment (`=`, `:=`,
 * `:`, `=>`, `?=`, `||=`, `>` as in `<password>…</password>`, or `,` after a quoted name as in
 * `Setenv("API_TOKEN", "…")`), then a
 * quoted value (group 3) or a bare one (group 4). Every repetition is bounded, and the values
 * are matched atomically (`(?=(x{10,200}))\3`: a look-ahead never backtracks), so one attempt
 * costs at most a few hundred steps whatever the line: the rule stays linear on a 1 MB line.
 */
const GENERIC_TAIL = String.raw`([A-Za-z0-9_.-]{0,40})(?:["'\x60\]]?[ \t]{0,4}(?::=|=>|\?=|\|\|=|=(?!=)|:(?![:\/]))|>|["'\x60][ \t]{0,4},)[ \t]{0,5}(?:(?:\[\]byte\()?(["'\x60])(?=([^"'\x60\s\\]{10,200}))\3\2|(?=([A-Za-z0-9_.=+\/~@-]{10,200}))\4(?![A-Za-z0-9_.=+\/~@-]))`;

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
  'id',
  'ids',
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
  'clienttoken', // AWS: an idempotency token
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

function isNonSecretName(name) {
  const n = name.toLowerCase().replace(/[_.\-\s]/g, '');
  let rest = n;
  for (const w of BENIGN_WORDS) rest = rest.split(w).join(' ');
  if (!GENERIC_KEYWORDS.some((k) => rest.includes(k))) return true;
  if (/public|publishable|pubkey/.test(n)) return true;
  // `keyid` describes a key; `nexttoken` is itself a known non-secret name.
  for (const s of NON_SECRET_SUFFIXES) if (n.endsWith(s) && (n.length > s.length || GENERIC_KEYWORDS.some((k) => s.includes(k)))) return true;
  for (const w of LOOKUP_KEY_WORDS) if (n.endsWith(`${w}key`) || n.endsWith(`${w}keys`)) return true;
  return false;
}

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
function isWordyIdentifier(v) {
  if (!/^[A-Za-z0-9_\-.,#/:~ ]+$/.test(v) || !/[A-Za-z]/.test(v)) return false;
  let digitRuns = 0;
  let acronyms = 0;
  for (const seg of v.split(/[_\-.,#/:~ ]+/)) {
    const toks = seg.match(/[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+|[0-9]+/g) ?? [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
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

/** Values that are references, not secrets: ids, paths, versions, code. */
function isBenignValue(v) {
  if (/^[A-Za-z_.-]+$/.test(v)) return true; // gitleaks: letters only is a word, not a secret
  if (isWordyIdentifier(v)) return true;
  if (UUID_RE.test(v)) return true;
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
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) && !/\d{4,}/.test(v)) return true; // pkg.Func, cfg.Auth.Token
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[\w.~%-]*)*$/i.test(v) && /\.[a-z]{2,}(?:\/|$)/i.test(v)) return true; // domains, module paths
  // Random secrets nearly always hold a digit; long mixed-case ones may not.
  if (!/\d/.test(v) && !(v.length >= 20 && /[a-z]/.test(v) && /[A-Z]/.test(v))) return true;
  return false;
}

/** Files whose whole purpose is holding credentials: a finding there is an error. */
const CREDENTIAL_FILE_RE =
  /(?:^|\/)(?:\.netrc|_netrc|\.git-credentials|\.npmrc|\.yarnrc\.yml|\.pypirc|\.dockercfg|\.docker\/config\.json|\.env|\.env\.(?!example|sample|template|dist)[\w.-]+)$/;

// Redaction: what of a secret may appear in a report. At most the first 4 characters (a token's
// public prefix such as `ghp_` or `AKIA`), and nothing at all for short values, where 4 characters
// would be a third of the secret.

const ELLIPSIS = '…';

/** `ghp_…` for a long secret, `…` for one shorter than 12 characters. */
function redactedPreview(secret) {
  if (secret.length < 12) return ELLIPSIS;
  // Control characters and newlines would break one-line messages; they hide nothing secret.
  return secret.slice(0, 4).replace(/[\u0000-\u001f\u007f]/g, '?') + ELLIPSIS;
}

/**
 * The pieces of a secret to register with the CI's log masking. GitHub masks line by line, so a
 * multi-line value (a PEM block, or one with `\n` escapes) is registered one line at a time.
 */
function maskPieces(secret) {
  const pieces = secret
    .split(/\r?\n|\\[nr]/)
    .map((p) => p.trim().replace(/^["'`+]+|["'`+,]+$/g, ''))
    .filter((p) => p.length >= 8);
  return [...new Set(pieces)];
}

// Keyword prefilter: a full-DFA Aho–Corasick automaton over lower-cased ASCII keywords.
//
// Why a full DFA: the transition for every (state, byte) is precomputed, so the scan loop is one
// table lookup per character with no failure-link chasing (~0.5 GB/s in V8, against ~0.1 GB/s for
// a linked trie). Why overlapping matches: a rule must run whenever one of its keywords occurs;
// a "find all, non-overlapping" search (like one big alternation regex) lets `key` hide `keyring`
// and `sk_live` hide `sk_live_`, so some rules would never run.

/** Hits as a flat list: hits[2k] = index of the keyword's LAST character, hits[2k+1] = keyword id. */
class HitBuffer {
  data;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity * 2);
  }
  reset() {
    this.length = 0;
  }
  push(end, id) {
    const at = this.length * 2;
    if (at + 2 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[at] = end;
    this.data[at + 1] = id;
    this.length++;
  }
}

const ALPHABET = 128;

class KeywordMatcher {
  /** Keywords as given (lower-cased ASCII); the id of a keyword is its index here. */
   keywords;
    delta;
    outStart;
    outIds;

  constructor(keywords) {
    this.keywords = keywords;
    // Trie with explicit goto edges (-1 = none).
    const gotoRows = [new Int32Array(ALPHABET).fill(-1)];
    const own = [[]];
    keywords.forEach((kw, id) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const c = foldCode(kw.charCodeAt(i));
        let next = gotoRows[s][c];
        if (next === -1) {
          next = gotoRows.length;
          gotoRows.push(new Int32Array(ALPHABET).fill(-1));
          own.push([]);
          gotoRows[s][c] = next;
        }
        s = next;
      }
      if (kw.length > 0) own[s].push(id);
    });
    const n = gotoRows.length;
    const delta = new Int32Array(n * ALPHABET);
    const fail = new Int32Array(n);
    const out = own.map((o) => [...o]);
    // Breadth-first: a state's failure target is always shallower, so its row is complete.
    const queue = [];
    for (let c = 0; c < ALPHABET; c++) {
      const t = gotoRows[0][c];
      if (t === -1) delta[c] = 0;
      else {
        delta[c] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const f = fail[s];
      if (out[f].length) out[s].push(...out[f]);
      for (let c = 0; c < ALPHABET; c++) {
        const t = gotoRows[s][c];
        if (t === -1) delta[s * ALPHABET + c] = delta[f * ALPHABET + c];
        else {
          delta[s * ALPHABET + c] = t;
          fail[t] = delta[f * ALPHABET + c];
          queue.push(t);
        }
      }
    }
    // Transitions hold the next state's row offset (state * 128), bit-inverted (negative) when
    // that state has outputs: the hot loop then needs one load and one sign test per character.
    const table = new Int32Array(n * ALPHABET);
    for (let k = 0; k < table.length; k++) {
      const t = delta[k];
      table[k] = out[t].length ? ~(t * ALPHABET) : t * ALPHABET;
    }
    this.delta = table;
    this.outStart = new Int32Array(n + 1);
    let total = 0;
    for (let st = 0; st < n; st++) {
      this.outStart[st] = total;
      total += out[st].length;
    }
    this.outStart[n] = total;
    this.outIds = new Int32Array(total);
    for (let st = 0, k = 0; st < n; st++) for (const id of out[st]) this.outIds[k++] = id;
  }

  /** Append every (overlapping) keyword occurrence in text[from, to) to hits. */
  scan(text, hits, from = 0, to = text.length) {
    const delta = this.delta;
    const outStart = this.outStart;
    const outIds = this.outIds;
    const fold = FOLD;
    let row = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      // ASCII upper case folds to lower; every non-ASCII char maps to 0, which no keyword holds.
      const v = delta[row + (c < 128 ? fold[c] : 0)];
      if (v >= 0) {
        row = v;
        continue;
      }
      row = ~v;
      const st = row >> 7;
      for (let k = outStart[st], b = outStart[st + 1]; k < b; k++) hits.push(i, outIds[k]);
    }
  }
}

const FOLD = (() => {
  const f = new Uint8Array(ALPHABET);
  for (let c = 0; c < ALPHABET; c++) f[c] = c >= 65 && c <= 90 ? c | 32 : c;
  f[0] = 0;
  return f;
})();

function foldCode(c) {
  if (c >= 128) return 0;
  if (c >= 65 && c <= 90) return c | 32;
  return c;
}

/** True when the keyword can be matched by the ASCII automaton. */
function isAsciiKeyword(kw) {
  // eslint-disable-next-line no-control-regex
  return kw.length > 0 && /^[\x01-\x7f]+$/.test(kw);
}

/**
 * How a rule finds its candidates once one of its keywords occurs in a file:
 * - anchor: the sticky regex runs at each keyword occurrence (the keyword starts the token:
 *   `ghp_`, `AKIA`, `://`). Linear in the number of occurrences, immune to long lines.
 * - line: the global regex runs on a window around each occurrence (`window` chars each side,
 *   clamped to the line unless `multiline`).
 * - text: the global regex runs on the whole file (multi-line rules, user rules).
 * - path: the rule matches file paths only (gitleaks path-only rules).
 * - generic: the secret-ish-name = high-entropy-value rule, anchored after each keyword.
 */
 






























































function compileJsRegex(r, extraFlags = '') {
  return new RegExp(r.source, [...new Set((r.flags + extraFlags).split(''))].join(''));
}

/** Compile an allowlist; patterns that fail to compile are dropped (the loader already reported them). */
function compileAllowlist(spec) {
  const compile = (list) =>
    list.flatMap((r) => {
      try {
        return [compileJsRegex(r)];
      } catch {
        return [];
      }
    });
  return {
    condition: spec.condition,
    target: spec.regexTarget,
    regexes: compile(spec.regexes),
    paths: compile(spec.paths),
    stopwords: spec.stopwords.map((w) => w.toLowerCase()).filter(Boolean),
    targetRules: spec.targetRules?.length ? new Set(spec.targetRules) : undefined,
  };
}









/** gitleaks semantics: OR = any criterion; AND = every criterion that is set (commits are ignored). */
function allowlistAllows(al, c) {
  const checks = [];
  if (al.paths.length) checks.push(() => al.paths.some((re) => re.test(c.path)));
  if (al.regexes.length) {
    checks.push(() => {
      const target = al.target === 'match' ? c.match() : al.target === 'line' ? c.line() : c.secret;
      return al.regexes.some((re) => re.test(target));
    });
  }
  if (al.stopwords.length) {
    checks.push(() => {
      const lower = c.secret.toLowerCase();
      return al.stopwords.some((w) => lower.includes(w));
    });
  }
  if (checks.length === 0) return false;
  return al.condition === 'AND' ? checks.every((f) => f()) : checks.some((f) => f());
}

/**
 * How sure a rule is, which decides the severity:
 * - provider: a token with a provider's own prefix (ghp_, AKIA, xoxb-...): error everywhere.
 * - private-key: a PEM/OpenSSH/PuTTY private key: error, warning in tests and testdata.
 * - credential: a password in a URL, .netrc, .npmrc, docker config...: error in those credential
 *   files, warning elsewhere, notice in tests and generated code.
 * - generic: a secret-like name assigned a high-entropy value, JWTs, bearer tokens: warning,
 *   notice in tests and generated code.
 * - custom: a rule from the user's .gitleaks.toml: error.
 */
 

















































const DEFAULT_RULESET_CONFIG = Object.freeze({
  useDefault: true,
  disabledRules: [],
  generic: true,
  rules: [],
  allowlists: [],
}) ;

/** One secret found in one file. */

/** At most this many findings per file: a file full of secrets is reported, not enumerated. */
const MAX_FINDINGS_PER_FILE = 200;
const DEFAULT_WINDOW = 4096;
const INLINE_ALLOW = ['gitleaks:allow', 'preflight:allow'];
const GENERATED_RE = /^\/\/ Code generated .* DO NOT EDIT\.\r?$/m;
/** Programming-language sources, where literals are quoted. */
const CODE_EXT_RE =
  /\.(?:go|s|c|cc|cpp|cxx|h|hh|hpp|m|mm|rs|swift|java|kt|kts|scala|groovy|gradle|cs|fs|vb|js|mjs|cjs|jsx|ts|mts|cts|tsx|vue|svelte|html?|py|rb|php|pl|pm|lua|dart|zig|hs|ex|exs|erl|clj|cljs|r|jl|proto|sql)$/i;

function compileCustomRule(spec, builtinFilters) {
  let regex;
  let path;
  try {
    regex = spec.regex ? compileJsRegex(spec.regex, 'gd') : undefined;
    path = spec.path ? compileJsRegex(spec.path) : undefined;
  } catch {
    return undefined; // the config loader already reported it
  }
  if (!regex && !path) return undefined;
  return {
    id: spec.id,
    title: spec.description?.trim() || spec.id,
    tier: 'custom',
    keywords: spec.keywords.map((k) => k.toLowerCase()),
    mode: regex ? 'text' : 'path',
    regex,
    secretGroup: spec.secretGroup,
    entropy: spec.entropy,
    path,
    identifierPrefix: spec.regex?.identifierPrefix,
    allowlists: spec.allowlists.map(compileAllowlist),
    builtinFilters,
    priority: 25,
  };
}

/** Build a rule set: the defaults (unless replaced), then the user's rules and allowlists. */
function createRuleset(config = DEFAULT_RULESET_CONFIG) {
  let rules = config.useDefault ? builtinRules() : [];
  if (!config.generic) rules = rules.filter((r) => r.tier !== 'generic');
  for (const spec of config.rules) {
    const at = rules.findIndex((r) => r.id === spec.id);
    const existing = at >= 0 ? rules[at] : undefined;
    if (existing && !spec.regex) {
      // gitleaks: a rule with a default's id and no regex extends the default.
      existing.allowlists.push(...spec.allowlists.map(compileAllowlist));
      if (spec.entropy !== undefined) existing.entropy = spec.entropy;
      if (spec.path) {
        try {
          existing.path = compileJsRegex(spec.path);
        } catch {
          /* reported by the loader */
        }
      }
      continue;
    }
    const compiled = compileCustomRule(spec, config.useDefault);
    if (!compiled) continue;
    if (existing) rules[at] = compiled;
    else rules.push(compiled);
  }
  const disabled = new Set(config.disabledRules);
  rules = rules.filter((r) => !disabled.has(r.id));
  for (const r of rules) {
    // Every regex reports group positions (the `d` flag): the secret's column comes from them.
    if (r.regex && r.mode !== 'generic' && !r.regex.hasIndices) r.regex = new RegExp(r.regex.source, `${r.regex.flags}d`);
  }

  const keywordIds = new Map();
  const ruleKeywordIds = rules.map((r) => {
    // A keyword the ASCII automaton cannot see would hide the rule: run such a rule always.
    if (r.mode === 'text' || r.mode === 'path') {
      if (r.keywords.length === 0 || !r.keywords.every(isAsciiKeyword)) return [];
    }
    return r.keywords.filter(isAsciiKeyword).map((k) => {
      let id = keywordIds.get(k);
      if (id === undefined) {
        id = keywordIds.size;
        keywordIds.set(k, id);
      }
      return id;
    });
  });
  return {
    rules,
    matcher: new KeywordMatcher([...keywordIds.keys()]),
    ruleKeywordIds,
    globalAllowlists: config.allowlists.map(compileAllowlist),
  };
}

let defaultRs;

/** The default rule set, built once per thread. */
function defaultRuleset() {
  return (defaultRs ??= createRuleset());
}

/** test: `_test.go` and `testdata/`; generated: Go's `// Code generated … DO NOT EDIT.` header. */
function fileKind(path, text) {
  if (path.endsWith('_test.go') || /(?:^|\/)testdata\//.test(path)) return 'test';
  if (GENERATED_RE.test(text.slice(0, 8192))) return 'generated';
  return 'normal';
}

const RANK = { error: 0, warning: 1, notice: 2 };

function severityFor(tier, kind, path, cap) {
  let s;
  switch (tier) {
    case 'provider':
    case 'custom':
      s = 'error';
      break;
    case 'private-key':
      // PEM keys in testdata/ are usually throwaway test keys: worth a look, not a failure.
      s = kind === 'test' ? 'warning' : 'error';
      break;
    case 'credential':
      s = kind !== 'normal' ? 'notice' : CREDENTIAL_FILE_RE.test(path) ? 'error' : 'warning';
      break;
    case 'generic':
      s = kind !== 'normal' ? 'notice' : 'warning';
      break;
  }
  return cap && RANK[cap] > RANK[s] ? cap : s;
}












// One buffer per thread: scanText is synchronous, so it is never used by two scans at once.
const hitBuffer = new HitBuffer(4096);

/**
 * Find the secrets in one file's text. `path` is the report path (forward slashes): it decides
 * path-conditioned rules, allowlist paths and the severity (tests, testdata, generated code).
 * The returned findings hold the secret (for log masking); strip it before storing or reporting.
 */
function scanText(path, text, ruleset = defaultRuleset()) {
  return new FileScan(path, text, ruleset).run();
}

class FileScan {
   newlines;
   kindCache;
    candidates = [];
    allowCache = new Map();
   full = false;
  /** Hit positions (index of the keyword's last char) grouped by keyword id. */
   byKeyword = new Int32Array(0);
   kwOffset = new Int32Array(0);

  constructor(
      path,
      text,
      rs,
  ) {this.path = path;this.text = text;this.rs = rs;}

  run() {
    const { rs, text } = this;
    hitBuffer.reset();
    rs.matcher.scan(text, hitBuffer);
    this.groupHits();
    const pathRules = [];
    rs.rules.forEach((rule, i) => {
      if (this.full) return;
      if (rule.path && !rule.path.test(this.path)) return;
      if (rule.mode === 'path') {
        pathRules.push(rule);
        return;
      }
      const ids = rs.ruleKeywordIds[i];
      if (ids.length > 0 && !ids.some((id) => this.count(id) > 0)) return;
      switch (rule.mode) {
        case 'anchor':
          this.runAnchor(rule, ids);
          break;
        case 'line':
          this.runLine(rule, ids);
          break;
        case 'text':
          this.runRegex(rule, 0, text.length);
          break;
        case 'generic':
          this.runGeneric(rule, ids);
          break;
      }
    });
    return this.finish(pathRules);
  }

   groupHits() {
    const n = this.rs.matcher.keywords.length;
    const counts = new Int32Array(n + 1);
    const data = hitBuffer.data;
    const len = hitBuffer.length;
    for (let k = 0; k < len; k++) counts[data[2 * k + 1] + 1]++;
    for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
    this.kwOffset = counts;
    const fill = counts.slice(0, n);
    const out = new Int32Array(len);
    for (let k = 0; k < len; k++) out[fill[data[2 * k + 1]]++] = data[2 * k];
    this.byKeyword = out;
  }

   count(id) {
    return this.kwOffset[id + 1] - this.kwOffset[id];
  }

   codeCache;
   get isCode() {
    return (this.codeCache ??= CODE_EXT_RE.test(this.path));
  }

   get kind() {
    return (this.kindCache ??= fileKind(this.path, this.text));
  }

  // --- line arithmetic (newline index built on first use)

   lines() {
    if (this.newlines) return this.newlines;
    const t = this.text;
    const pos = [];
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) pos.push(i);
    return (this.newlines = Int32Array.from(pos));
  }

  /** 0-based line index of offset i. */
   lineIndex(i) {
    const nl = this.lines();
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nl[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

   lineStart(i) {
    const li = this.lineIndex(i);
    return li === 0 ? 0 : this.lines()[li - 1] + 1;
  }

   lineEnd(i) {
    const li = this.lineIndex(i);
    const nl = this.lines();
    return li < nl.length ? nl[li] : this.text.length;
  }

  // --- modes

   runAnchor(rule, ids) {
    const re = rule.regex;
    const seen = new Set();
    for (const id of ids) {
      const kwLen = this.rs.matcher.keywords[id].length;
      for (let k = this.kwOffset[id]; k < this.kwOffset[id + 1] && !this.full; k++) {
        const start = this.byKeyword[k] - kwLen + 1;
        if (seen.has(start)) continue;
        seen.add(start);
        re.lastIndex = start;
        const m = re.exec(this.text);
        if (m) this.fromMatch(rule, m, 0);
      }
    }
  }

   runLine(rule, ids) {
    const positions = [];
    for (const id of ids) {
      const kwLen = this.rs.matcher.keywords[id].length;
      for (let k = this.kwOffset[id]; k < this.kwOffset[id + 1]; k++) {
        const end = this.byKeyword[k];
        positions.push([end - kwLen + 1, end + 1]);
      }
    }
    positions.sort((a, b) => a[0] - b[0]);
    const w = rule.window ?? DEFAULT_WINDOW;
    const n = this.text.length;
    let ws = -1;
    let we = -1;
    const flush = () => {
      if (ws >= 0) this.runRegex(rule, ws, we);
    };
    for (const [s, e] of positions) {
      if (this.full) return;
      const a = rule.multiline ? Math.max(0, s - w) : Math.max(this.lineStart(s), s - w);
      const b = rule.multiline ? Math.min(n, e + w) : Math.min(this.lineEnd(s), e + w);
      if (a <= we) we = Math.max(we, b);
      else {
        flush();
        ws = a;
        we = b;
      }
    }
    flush();
  }

  /** Run a global regex over text[from, to) (a slice, so a failed search stops at `to`). */
   runRegex(rule, from, to) {
    const re = rule.regex;
    const sub = from === 0 && to === this.text.length ? this.text : this.text.slice(from, to);
    re.lastIndex = 0;
    let m;
    while (!this.full && (m = re.exec(sub)) !== null) {
      if (m[0].length === 0) re.lastIndex++;
      this.fromMatch(rule, m, from);
    }
  }

   runGeneric(rule, ids) {
    const re = rule.regex;
    const text = this.text;
    const seen = new Set();
    for (const id of ids) {
      const kwLen = this.rs.matcher.keywords[id].length;
      for (let k = this.kwOffset[id]; k < this.kwOffset[id + 1] && !this.full; k++) {
        const kwEnd = this.byKeyword[k] + 1;
        re.lastIndex = kwEnd;
        const m = re.exec(text);
        if (!m) continue;
        const quoted = m[3] !== undefined;
        const value = (quoted ? m[3] : m[4]) ?? '';
        const matchEnd = m.index + m[0].length;
        const valueEnd = matchEnd - (quoted ? 1 : 0);
        const valueStart = valueEnd - value.length;
        if (seen.has(valueStart)) continue;
        seen.add(valueStart);
        // The whole name: back over identifier characters from the keyword (at most 50).
        let nameStart = kwEnd - kwLen;
        const floor = Math.max(0, nameStart - 50);
        while (nameStart > floor && /[A-Za-z0-9_.-]/.test(text[nameStart - 1])) nameStart--;
        // `arn:aws:secretsmanager:…:secret:name` and other colon paths: not an assignment.
        if (text[nameStart - 1] === ':') continue;
        const nameEnd = kwEnd + (m[1]?.length ?? 0);
        const name = text.slice(nameStart, nameEnd);
        if (isNonSecretName(name)) continue;
        // `"NAME", "value"` counts only as the first arguments of a call (os.Setenv, viper.Set),
        // not as neighbours in a list of strings.
        if (/^["'`]?[ \t]*,/.test(text.slice(nameEnd, nameEnd + 8)) && !/\([ \t]*["'`]$/.test(text.slice(Math.max(0, nameStart - 8), nameStart))) continue;
        if (!quoted) {
          // In source code a bare value is an expression (os.Getenv, k*size), never a literal;
          // bare values count in config files (.env, YAML, INI, shell).
          if (this.isCode) continue;
          // Followed by `(`, `[`, `{`, `:` or `<` (but not a closing tag `</`): code or a URL.
          const next = text[valueEnd] ?? '';
          if (/[([{:$]/.test(next) || (next === '<' && text[valueEnd + 1] !== '/')) continue;
        }
        if (isBenignValue(value)) continue;
        this.consider(rule, valueStart, valueEnd, nameStart, matchEnd, m, name);
      }
    }
  }

   fromMatch(rule, m, offset) {
    let g = 0;
    if (rule.secretGroup !== undefined) g = m[rule.secretGroup] !== undefined ? rule.secretGroup : 0;
    else for (let i = 1; i < m.length; i++) if (m[i]) {
        g = i;
        break;
      }
    const span = m.indices?.[g];
    const start = (span ? span[0] : m.index) + offset;
    const end = (span ? span[1] : m.index + m[0].length) + offset;
    this.consider(rule, start, end, m.index + offset, m.index + m[0].length + offset, m);
  }

   lineHasAllow(ls, le) {
    // Cached per line: a 1 MB line with thousands of candidates is searched once.
    const key = `${ls}:${le}`;
    let v = this.allowCache.get(key);
    if (v === undefined) {
      const line = this.text.slice(ls, le);
      v = INLINE_ALLOW.some((w) => line.includes(w));
      this.allowCache.set(key, v);
    }
    return v;
  }

   consider(rule, start0, end0, matchStart, matchEnd, m, name) {
    const text = this.text;
    let start = start0;
    let end = end0;
    if (rule.trim) {
      // PEM bodies pasted into code: drop the quotes, `+`, blanks and `\n` escapes around them.
      const isEscape = (i) => text[i] === '\\' && /[nrt]/.test(text[i + 1] ?? '');
      const isJunk = (i) => /[\s"'`+,]/.test(text[i] ?? '');
      for (;;) {
        if (start < end && isEscape(start)) start += 2;
        else if (start < end && isJunk(start)) start++;
        else break;
      }
      for (;;) {
        if (end - 2 >= start && isEscape(end - 2)) end -= 2;
        else if (end > start && isJunk(end - 1)) end--;
        else break;
      }
    }
    if (end <= start) return;
    const secret = text.slice(start, end);
    const ls = this.lineStart(matchStart);
    const le = this.lineEnd(Math.max(matchStart, matchEnd - 1));
    if (this.lineHasAllow(ls, le)) return;
    if (rule.entropy !== undefined && shannonEntropy(secret) <= rule.entropy) return;
    if (rule.builtinFilters && (isPlaceholder(secret) || hasStopword(secret, rule.stopwords ?? []) || isKnownPublic(secret))) return;
    const cand = {
      secret,
      path: this.path,
      line: () => text.slice(ls, le),
      match: () => {
        let ms = matchStart;
        if (rule.identifierPrefix) {
          const floor = Math.max(0, ms - 50);
          while (ms > floor && /[\w.-]/.test(text[ms - 1])) ms--;
        }
        return text.slice(ms, matchEnd);
      },
    };
    for (const al of this.rs.globalAllowlists) {
      if ((!al.targetRules || al.targetRules.has(rule.id)) && allowlistAllows(al, cand)) return;
    }
    for (const al of rule.allowlists) if (allowlistAllows(al, cand)) return;
    let verdict;
    if (rule.validate) {
      const ctx = { text, path: this.path, kind: this.kind, line: cand.line() };
      verdict = rule.validate(secret, m, ctx);
      if (verdict?.drop) return;
    }
    this.candidates.push({ rule, start, end, matchStart, matchEnd, secret, verdict, name });
    if (this.candidates.length >= MAX_FINDINGS_PER_FILE * 4) this.full = true;
  }

   finish(pathRules) {
    const byStrength = [...this.candidates].sort(
      (a, b) => b.rule.priority - a.rule.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
    );
    const kept = [];
    for (const c of byStrength) {
      if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
      kept.push(c);
    }
    kept.sort((a, b) => a.start - b.start);
    const out = [];
    for (const rule of pathRules) {
      out.push({
        ruleId: rule.id,
        title: rule.title,
        file: this.path,
        line: 0,
        column: 0,
        endLine: 0,
        severity: severityFor(rule.tier, this.kind, this.path),
        tier: rule.tier,
        kind: this.kind,
        preview: '',
        fingerprint: `${this.path}:${rule.id}:0`,
      });
    }
    for (const c of kept.slice(0, MAX_FINDINGS_PER_FILE)) {
      const line = this.lineIndex(c.start) + 1;
      const f = {
        ruleId: c.rule.id,
        title: c.verdict?.title ?? c.rule.title,
        file: this.path,
        line,
        column: c.start - this.lineStart(c.start) + 1,
        endLine: this.lineIndex(c.end - 1) + 1,
        severity: severityFor(c.rule.tier, this.kind, this.path, c.verdict?.maxSeverity),
        tier: c.rule.tier,
        kind: this.kind,
        preview: redactedPreview(c.secret),
        fingerprint: `${this.path}:${c.rule.id}:${line}`,
        secret: c.secret,
      };
      if (c.verdict?.note) f.note = c.verdict.note;
      if (c.name && looksLikeName(c.name)) f.name = c.name;
      out.push(f);
    }
    return out;
  }
}

/**
 * Whether a generic finding's name may be shown in its message. The name is read back from the
 * text up to the keyword, so in packed data it could hold the tail of a neighbouring secret:
 * show it only when it reads like a name (words, a few digits, low entropy).
 */
function looksLikeName(name) {
  if (name.length > 40 || shannonEntropy(name) > 4) return false;
  return name
    .replace(/^[-.]+/, '')
    .split(/[_.-]+/)
    .every((seg) => seg === '' || /^(?:[A-Z0-9]{1,12}|[A-Za-z][a-z]*(?:[A-Z][a-z]*)*)\d{0,3}$/.test(seg));
}

// Reading and scanning files, shared by the main thread and the workers.



/** gitleaks and git both call a file binary when it holds a NUL in its first 8000 bytes. */
const BINARY_SNIFF_BYTES = 8000;













function scanFileSync(job, ruleset) {
  let buf;
  try {
    buf = readFileSync(job.abs);
  } catch {
    return { rel: job.rel, status: 'missing', bytes: 0, findings: [] };
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { rel: job.rel, status: 'binary', bytes: buf.length, findings: [] };
  return { rel: job.rel, status: 'scanned', bytes: buf.length, findings: scanText(job.rel, buf.toString('utf8'), ruleset) };
}

/**
 * Scan files on this thread, yielding to the event loop every ~50 ms so that timeouts, aborts
 * and other checks' process output keep flowing.
 */
async function scanFilesInThread(jobs, ruleset, signal) {
  const out = [];
  let slice = Date.now();
  for (const job of jobs) {
    if (Date.now() - slice > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = Date.now();
    }
    if (signal?.aborted) throw new Error('the secrets scan was cancelled');
    out.push(scanFileSync(job, ruleset));
  }
  return out;
}

export { DEFAULT_RULESET_CONFIG as D, RULESET_VERSION as R, scanFileSync as a, builtinRules as b, createRuleset as c, maskPieces as m, scanFilesInThread as s };
//# sourceMappingURL=scan-file-DT1vfABN.js.map
