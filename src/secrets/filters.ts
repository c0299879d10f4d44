// Go-preflight's built-in false-positive filters, applied to every default rule (they are part of
// the defaults: a .gitleaks.toml without `[extend] useDefault = true` replaces them, as in gitleaks).

import { createHash } from 'node:crypto';

/** Values that are templates or references, not secrets (tested on the whole secret). */
const PLACEHOLDER_RES: RegExp[] = [
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
  // A shell or CI variable inside the value: "$RUNNER_TEMP/x.keychain", "${VAR:-default}",
  // "$(cmd)", "$HOME/.config" (an upper-case name, or any name before a slash).
  /(?:^|[^\\$])\$(?:\{|\(|[A-Z_][A-Z0-9_]{2,}(?![a-z0-9])|[a-z_][a-z0-9_]*\/)/,
  /%\([A-Za-z_][\w.-]*\)[sdrif]/, // Python %(name)s formatting
];

export function isPlaceholder(v: string): boolean {
  return PLACEHOLDER_RES.some((re) => re.test(v)) || isSequential(v);
}

/** abcdef123456, A1B2C3D4E5…: keyboard fill, not a secret (a random string almost never steps by one). */
export function isSequential(v: string): boolean {
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
export const GLOBAL_STOPWORDS: readonly string[] = [
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
export const GENERIC_STOPWORDS: readonly string[] = [
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

/**
 * The random part of a value for the stopword test: after a provider-style prefix of one or two
 * lower-case words (`hvo_secret_…`, `sk_live_…`) when what follows is long and random, so that a
 * prefix that spells "secret" or "token" does not hide the token. Documentation words (example,
 * your_, fake…) are still looked for in the whole value.
 */
export function randomPart(secret: string): string {
  const m = /^[a-z]{2,6}[_-](?:[a-z]{2,8}[_-])?/.exec(secret);
  if (!m) return secret;
  const rest = secret.slice(m[0].length);
  if (rest.length < 20) return secret;
  let distinct = 0;
  const seen = new Set<string>();
  for (const ch of rest) if (!seen.has(ch)) (seen.add(ch), distinct++);
  return distinct >= 12 ? rest : secret;
}

/** Stopwords: documentation words in the whole value, the rule's other words in its random part. */
export function hasRuleStopword(secret: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const part = randomPart(secret);
  if (part === secret) return hasStopword(secret, words);
  return hasStopword(secret, GLOBAL_STOPWORDS.filter((w) => words.includes(w))) || hasStopword(part, words);
}

export function hasStopword(secret: string, words: readonly string[]): boolean {
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

export function isKnownPublic(secret: string): boolean {
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

export function isPlaceholderPassword(password: string, user?: string): boolean {
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
export function isExampleHost(host: string): boolean {
  const h = host.toLowerCase();
  return /(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$/.test(h) || h === 'host' || h === 'hostname';
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.startsWith('127.') || h === '0.0.0.0' || h === '::1' || h === 'host.docker.internal';
}
