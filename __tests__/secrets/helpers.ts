// Test-time secret factories. No credential-shaped literal is written in this repository (push
// protection and other scanners would flag it): every token is assembled from pieces and random
// characters when the tests run, with a valid checksum where the provider has one.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { base62, crc32 } from '../../src/secrets/checksum.js';
import { GENERIC_STOPWORDS, hasStopword, isPlaceholder } from '../../src/secrets/filters.js';
import { isBenignValue } from '../../src/secrets/rules.js';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';
export const B64 = ALNUM + '+/';
export const B64URL = ALNUM + '-_';

/** Random string of n characters from the alphabet, as is (no re-roll). */
export function rndRaw(n: number, alphabet = ALNUM): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

/**
 * Random string of n characters from the alphabet. Alphanumeric values are re-rolled until they
 * look like what the generic rule is meant to find (a digit, both cases, no word-like shape, no
 * stopword, no sequence), so that a single-shot test never meets the ~0.2% of random values the
 * filters set aside on purpose.
 */
export function rnd(n: number, alphabet = ALNUM): string {
  for (;;) {
    const s = rndRaw(n, alphabet);
    if (alphabet !== ALNUM) return s;
    if (!(/\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s))) continue;
    if (isBenignValue(s) || isPlaceholder(s) || hasStopword(s, GENERIC_STOPWORDS)) continue;
    return s;
  }
}

const join = (...parts: string[]) => parts.join('');

/** A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_) with a valid (or deliberately broken) checksum. */
export function githubToken(kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p', validChecksum = true): string {
  const random = rnd(30);
  let sum = base62(crc32(random), 6);
  if (!validChecksum) sum = sum.slice(0, 5) + (sum[5] === 'A' ? 'B' : 'A');
  return join('gh', kind, '_', random, sum);
}

export function npmToken(): string {
  const random = rnd(30);
  return join('np', 'm_', random, base62(crc32(random), 6));
}

export const tokens = {
  awsKeyId: () => join('AK', 'IA', rnd(16, UPPER + '234567')),
  awsSecret: () => rnd(37, B64) + 'q7Z',
  gcpKey: () => join('AI', 'za', rnd(35, B64URL)),
  fineGrained: () => join('github', '_pat_', rnd(22), '_', rnd(59)),
  gitlab: () => join('gl', 'pat-', rnd(20, B64URL)),
  gitlabRunner: () => join('gl', 'rt-', rnd(20, B64URL)),
  bitbucket: () => join('AT', 'BB', rnd(32)),
  pypi: () => join('pypi-', 'AgEIcHlw', 'aS5vcmc', rnd(70, B64URL)),
  dockerhub: () => join('dckr', '_pat_', rnd(27, B64URL)),
  slackBot: () => join('xo', 'xb-', rnd(11, DIGITS), '-', rnd(12, DIGITS), '-', rnd(24)),
  slackWebhook: () => join('https://hooks.', 'slack.com/services/T', rnd(8, UPPER + DIGITS), '/B', rnd(8, UPPER + DIGITS), '/', rnd(24)),
  stripeLive: () => join('sk', '_live_', rnd(24)),
  stripeTest: () => join('sk', '_test_', rnd(24)),
  twilio: () => join('S', 'K', rnd(32, HEX)),
  sendgrid: () => join('S', 'G.', rnd(22, B64URL), '.', rnd(43, B64URL)),
  mailgun: () => join('key', '-', rnd(32, HEX)),
  openai: () => join('sk-', 'proj-', rnd(40, B64URL), 'T3Blbk', 'FJ', rnd(40, B64URL)),
  anthropic: () => join('sk-', 'ant-', 'api03-', rnd(93, B64URL), 'AA'),
  huggingface: () => join('h', 'f_', rnd(34, UPPER + LOWER)),
  shopify: () => join('shp', 'at_', rnd(32, HEX)),
  azureAccountKey: () => rnd(86, B64) + '==',
  sasSig: () => rnd(43, B64) + '%3D',
};

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

export function jwt(payload: Record<string, unknown> = { sub: `user-${rnd(8)}`, iat: 1700000000, exp: 4102444800 }): string {
  return [b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })), b64url(JSON.stringify(payload)), rnd(43, B64URL)].join('.');
}

/** The jwt.io sample's claims with a random signature: documentation, never a finding. */
export function jwtIoSample(): string {
  return jwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
}

/** A real, freshly generated RSA private key in PEM. */
export function rsaPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export function ecPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'sec1', format: 'pem' }).toString();
}

export function puttyKey(): string {
  const lines = Array.from({ length: 14 }, () => rnd(64, B64));
  return [
    join('PuTTY-User-', 'Key-File-3: ssh-rsa'),
    'Encryption: none',
    'Comment: deploy',
    'Public-Lines: 2',
    rnd(64, B64),
    rnd(40, B64),
    'Private-Lines: 14',
    ...lines,
    `Private-MAC: ${rnd(64, HEX)}`,
    '',
  ].join('\n');
}

/** Every distinct secret value planted by a fixture, to search outputs for. */
export class Planted {
  readonly values: string[] = [];
  add<T extends string>(v: T): T {
    this.values.push(v);
    return v;
  }
  /** Values (or 12+ char pieces of multi-line values) that occur in `haystack`. */
  leaksIn(haystack: string): string[] {
    const out: string[] = [];
    for (const v of this.values) {
      const pieces = v.includes('\n') ? v.split('\n').filter((l) => l.length >= 12 && !l.startsWith('-----')) : [v];
      for (const p of pieces) if (haystack.includes(p)) out.push(p.slice(0, 4));
    }
    return out;
  }
}
