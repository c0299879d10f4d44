// The planted-secrets corpus: a git repository generated at run time with one fresh, random
// secret per file, in the formats of well-known credential families, plus negative files that
// hold look-alikes a scanner should leave alone. Nothing here is a real credential, and the
// generated values are never printed or written outside the temp repository: the harness logs
// counts only. Token prefixes are built by concatenation so that this source file itself holds
// nothing token-shaped.

import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** GitHub's base62 alphabet: digits, then upper case, then lower case. */
export const BASE62 = DIGITS + UPPER + LOWER;
const BASE32_UPPER = UPPER + '234567';

export function randomString(alphabet, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as zlib computes it; zlib.crc32 only exists from Node 20.15 on. */
export function crc32(str) {
  const buf = Buffer.from(str, 'utf8');
  return typeof zlib.crc32 === 'function' ? zlib.crc32(buf) >>> 0 : crc32Table(buf);
}

/** The table-driven CRC-32 used when zlib has none (exported for the tests). */
export function crc32Table(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function base62(n, width = 6) {
  let s = '';
  do {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(width, BASE62[0]);
}

/**
 * A GitHub classic token: prefix, 30 random base62 characters, then the CRC-32 of those 30
 * characters in 6 base62 digits (left-padded with '0'), as GitHub's 2021 token format describes
 * and checksum-validating scanners verify (token[4:-6] is the checksummed part).
 */
export function githubClassicToken(prefix = 'gh' + 'p_') {
  const random = randomString(BASE62, 30);
  return prefix + random + base62(crc32(random));
}

/** True when a GitHub classic token's checksum is valid. */
export function githubChecksumOk(token) {
  const body = token.slice(4, -6);
  return body.length === 30 && base62(crc32(body)) === token.slice(-6);
}

function pem(kind) {
  if (kind === 'rsa') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return privateKey.export({ type: 'pkcs1', format: 'pem' });
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export(kind === 'ec' ? { type: 'sec1', format: 'pem' } : { type: 'pkcs8', format: 'pem' });
}

/** One generator per family: (i) => { file, content }. Each file holds exactly one secret. */
export const FAMILIES = {
  'aws-access-key-id': (i) => {
    const v = 'AK' + 'IA' + randomString(BASE32_UPPER, 16);
    return i % 2
      ? { file: `deploy/aws-${i}.env`, content: `AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${v}\n` }
      : { file: `internal/cloud/aws_${i}.go`, content: `package cloud\n\n// keyID was pasted for a quick test.\nvar keyID = "${v}"\n` };
  },
  'github-classic-token': (i) => ({
    file: `.github/bot-${i}.yml`,
    content: `name: release-bot\nsettings:\n  user: release-bot\n  token: ${githubClassicToken()}\n`,
  }),
  'gitlab-pat': (i) => ({
    file: `internal/ci/gitlab_${i}.go`,
    content: `package ci\n\nconst gitlabToken = "${'gl' + 'pat-'}${randomString(BASE62, 20)}"\n`,
  }),
  'slack-bot-token': (i) => ({
    file: `config/slack-${i}.json`,
    content: `{\n  "channel": "#deploys",\n  "slack_token": "${'xo' + 'xb-'}${randomString(DIGITS, 12)}-${randomString(DIGITS, 13)}-${randomString(BASE62, 24)}"\n}\n`,
  }),
  'stripe-live-key': (i) => ({
    file: `internal/billing/stripe_${i}.go`,
    content: `package billing\n\nfunc init() {\n\tapiKey = "${'sk_' + 'live_'}${randomString(BASE62, i % 2 ? 99 : 24)}"\n}\n\nvar apiKey string\n`,
  }),
  'private-key-pem': (i) => ({
    file: `keys/server-${i}.pem`,
    content: pem(['rsa', 'ec', 'pkcs8'][i % 3]),
  }),
  'postgres-dsn': (i) => ({
    file: `internal/db/dsn_${i}.go`,
    content: `package db\n\nconst dsn = "postgres://app:${randomString(BASE62, 20)}@db-${i}.internal:5432/app?sslmode=require"\n`,
  }),
  'generic-api-key': (i) => ({
    file: `config/service-${i}.toml`,
    content: `[service]\nname = "search"\napi_key = "${randomString(BASE62, 40)}"\n`,
  }),
};

/** Files that look like secrets to a naive scanner but are not: a scanner should stay quiet. */
const NEGATIVES = [
  { file: 'internal/db/env.go', content: 'package db\n\nimport "os"\n\nvar password = os.Getenv("DB_PASSWORD")\n' },
  { file: 'config/templated.toml', content: '[service]\napi_key = "${API_KEY}"\n' },
  { file: 'deploy/values.yaml', content: 'token: "{{ .Values.token }}"\npassword: "{{ .Env.DB_PASSWORD }}"\n' },
  { file: 'internal/ids/ids.go', content: 'package ids\n\nconst requestID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"\n' },
  // The key id AWS documentation uses as its example.
  { file: 'docs/aws.md', content: `Set \`AWS_ACCESS_KEY_ID\` (for example \`${'AKIA' + 'IOSFODNN7' + 'EXAMPLE'}\`).\n` },
  { file: 'internal/db/dsn_template.go', content: 'package db\n\nconst dsnFormat = "postgres://%s:%s@%s:5432/%s"\n' },
  { file: 'internal/fmtx/fmt.go', content: 'package fmtx\n\nconst tokenFmt = "token=%s"\nconst keyLen = 32\n' },
  {
    // Go's own convention for test keys in source: "TESTING KEY" swapped for the real header at
    // run time (crypto/tls, net/http tests), so the file never holds a PRIVATE KEY block.
    file: 'internal/tlstest/key_test.go',
    content: () =>
      `package tlstest\n\nimport "strings"\n\nvar testKey = strings.ReplaceAll(\`${pem('rsa').replaceAll('PRIVATE KEY', 'TESTING KEY')}\`, "TESTING KEY", "PRIVATE KEY")\n`,
  },
  { file: 'README.md', content: '# planted\n\nSet GITHUB_TOKEN in the environment; never commit it.\n' },
];

/**
 * Writes the corpus into `dir` (which must exist and be empty): `perFamily` files per family and
 * the negative files. Returns { planted: [{file, family}], negatives: [file] }; no secret values.
 */
export function writePlantedCorpus(dir, perFamily = 5) {
  const planted = [];
  const write = (file, content) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  };
  write('go.mod', 'module example.com/planted\n\ngo 1.21\n');
  for (const [family, gen] of Object.entries(FAMILIES)) {
    for (let i = 1; i <= perFamily; i++) {
      const { file, content } = gen(i);
      write(file, content);
      planted.push({ file, family });
    }
  }
  const negatives = [];
  for (const n of NEGATIVES) {
    write(n.file, typeof n.content === 'function' ? n.content() : n.content);
    negatives.push(n.file);
  }
  return { planted, negatives };
}

/** Normalizes a path a tool reported (absolute, `./x`, backslashes) to the corpus-relative form. */
export function corpusRelative(dir, file) {
  let f = String(file ?? '').replaceAll('\\', '/');
  const d = dir.replaceAll('\\', '/').replace(/\/$/, '');
  if (f.startsWith(d + '/')) f = f.slice(d.length + 1);
  return f.replace(/^(\.\/)+/, '');
}

/**
 * Recall per family and false positives on negatives, given the corpus-relative files a tool
 * reported findings in.
 */
export function scoreRecall(corpus, reportedFiles) {
  const hit = new Set(reportedFiles);
  const perFamily = {};
  let found = 0;
  for (const { file, family } of corpus.planted) {
    perFamily[family] ??= { planted: 0, found: 0 };
    perFamily[family].planted++;
    if (hit.has(file)) {
      perFamily[family].found++;
      found++;
    }
  }
  const falsePositiveFiles = corpus.negatives.filter((f) => hit.has(f));
  return {
    planted: corpus.planted.length,
    found,
    recall: corpus.planted.length ? Math.round((found / corpus.planted.length) * 1000) / 1000 : undefined,
    perFamily,
    negatives: corpus.negatives.length,
    falsePositiveFiles,
  };
}
