// Hostile content cannot hang the scan: user patterns run on a linear-time RE2 engine, every
// built-in rule is linear in the line length, and a scan on the main thread returns to the event
// loop between rules so that the check timeout and an abort can stop it.
//
// No test here times anything: a super-linear rule on a 5 MB line takes hours (a backtracking
// `(a+)+$` never returns), so finishing within the test's own timeout is the assertion.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { secretsCheck } from '../../src/checks/secrets.js';
import { FileScan, createRuleset, defaultRuleset, scanText } from '../../src/secrets/engine.js';
import { loadGitleaksConfig } from '../../src/secrets/gitleaks-config.js';
import { ScanCancelledError, scanFilesInThread } from '../../src/secrets/scan-file.js';
import { cleanupTempDirs, makeRepo, tempDir } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import { B64, githubToken, rnd, rsaPem } from './helpers.js';

afterAll(cleanupTempDirs);

async function rulesetFrom(toml: string) {
  const dir = await tempDir();
  await fs.writeFile(path.join(dir, '.gitleaks.toml'), toml);
  const loaded = (await loadGitleaksConfig(dir))!;
  expect(loaded.problems).toEqual([]);
  return createRuleset(loaded.config);
}

describe('user patterns run on RE2 (linear time)', () => {
  it('a (a+)+$ rule on a 41-byte line returns at once, and still matches what it should', async () => {
    const rs = await rulesetFrom(`[[rules]]\nid = "evil"\nregex = '''(a+)+$'''\n`);
    expect(scanText('notes.txt', `${'a'.repeat(40)}!`, rs)).toEqual([]);
    // A 1 MB line: V8 would need 2^1000000 steps.
    expect(scanText('notes.txt', `${'a'.repeat(1_000_000)}!`, rs)).toEqual([]);
    const hit = scanText('notes.txt', 'x aaaa', rs);
    expect(hit.map((f) => [f.ruleId, f.column])).toEqual([['evil', 3]]);
  });

  it('catastrophic allowlist regexes and path patterns return at once too', async () => {
    const rs = await rulesetFrom(
      [
        '[extend]',
        'useDefault = true',
        '[[allowlists]]',
        "regexTarget = 'line'",
        "regexes = ['''(x+x+)+y''']",
        "paths = ['''(a|aa)+$''']",
        '[[rules]]',
        'id = "corp"',
        "regex = '''corp_[0-9a-f]{20}'''",
        "path = '''(b|bb)+$'''",
      ].join('\n'),
    );
    const token = githubToken();
    const line = `${'x'.repeat(5000)} ${token}`;
    expect(scanText(`${'a'.repeat(5000)}!/c.go`, line, rs).map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(scanText(`${'b'.repeat(5000)}!`, `corp_${'0'.repeat(20)}`, rs)).toEqual([]);
  });

  it('the secrets check with a (a+)+$ rule in .gitleaks.toml completes', async () => {
    const dir = await makeRepo({
      '.gitleaks.toml': `[extend]\nuseDefault = true\n[[rules]]\nid = "evil"\nregex = '''(a+)+$'''\nkeywords = ["aaa"]\n`,
      'notes.txt': `${'a'.repeat(40)}!\n`.repeat(50),
    });
    const { result } = await runCheck(secretsCheck, dir);
    expect(result.status).toBe('pass');
  });
});

describe('the scan yields and can be stopped', () => {
  it('FileScan.step(deadline) stops between rules and resumes to the same findings', () => {
    const text = `package x\n\nvar a = "${githubToken()}"\nvar apiSecret = "${rnd(30)}"\n${rsaPem()}`;
    const whole = scanText('x.go', text);
    expect(whole.length).toBe(3);
    const scan = new FileScan('x.go', text, defaultRuleset());
    let steps = 0;
    let out;
    // A deadline in the past: one rule per step.
    while (!(out = scan.step(0))) steps++;
    expect(steps).toBeGreaterThanOrEqual(2);
    expect(out).toEqual(whole);
  });

  it('an abort stops a scan on the main thread in the middle of a file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.env');
    // Many triggered rules in one file: the scan returns to the event loop between them.
    const lines = [];
    for (let i = 0; i < 20_000; i++) lines.push(`API_KEY_${i}=${rnd(24, B64)} # ghp_ AKIA eyJ :// sig= machine x.y password`);
    await fs.writeFile(file, lines.join('\n'));
    const controller = new AbortController();
    setImmediate(() => controller.abort());
    // One file: before the fix, the only check of the signal was between files.
    await expect(scanFilesInThread([{ rel: 'big.env', abs: file }], defaultRuleset(), controller.signal, { sliceMs: 0 })).rejects.toBeInstanceOf(ScanCancelledError);
  });

  it('a check timeout stops a long scan: the check is an error with the timeout as its reason', async () => {
    const body = `API_TOKEN=${rnd(24)}\n`.repeat(200_000);
    const dir = await makeRepo({ 'a.env': body, 'b.env': body, 'c.env': body });
    const { result } = await runCheck(secretsCheck, dir, { timeoutMs: 150, options: { 'max-file-size': 64 * 1024 * 1024 } });
    expect(result.status).toBe('error');
    expect(result.skipReason).toMatch(/timed out/);
  });
});

describe('built-in rules stay linear on 5 MB pathological lines', () => {
  const N = 5_000_000;
  const rep = (s: string) => s.repeat(Math.ceil(N / s.length)).slice(0, N);
  const families: Array<[string, () => string]> = [
    ['repeated PEM headers', () => rep('-----BEGIN RSA PRIVATE KEY-----')],
    ['PEM headers with short bodies', () => rep('-----BEGIN PRIVATE KEY-----\\nMIIE')],
    ['one PEM header and a 5 MB body without an end', () => `-----BEGIN PRIVATE KEY-----${rep('QUJD')}`],
    ['PuTTY headers', () => rep('PuTTY-User-Key-File-2: x\n')],
    ['GCP service account keys', () => `"type": "service_account"${rep('"private_key": "-----BEGIN PRIVATE KEY-----')}`],
    ['repeated ghp_', () => rep('ghp_')],
    ['ghp_ then 5 MB of letters', () => `ghp_${rep('a')}`],
    ['repeated AKIA', () => rep('AKIA')],
    ['key=key=key=', () => rep('key=')],
    ['api_key = api_key = ', () => rep('api_key = ')],
    ['token: token: ', () => rep('token: ')],
    ['password=" repeated', () => rep('password="')],
    ['("API_TOKEN", " repeated', () => rep('("API_TOKEN", "')],
    ['a long base64 run', () => rndLine(N)],
    ['secret= then a long base64 run', () => `secret=${rndLine(N)}`],
    ['repeated ://', () => rep('://')],
    ['repeated ://a:', () => rep('://a:')],
    ['repeated ://u:p@', () => rep('://u:p@')],
    ['repeated eyJ', () => rep('eyJ')],
    ['repeated JWT-looking segments', () => rep('eyJhbGciOi.')],
    ['repeated machine', () => rep('machine a.b ')],
    ['machine with 5 MB of logins', () => `machine a.b${rep(' login x')}`],
    ['repeated _auth=', () => rep('_auth=')],
    ['repeated Bearer', () => rep('Bearer ')],
    ['Bearer then 5 MB of a.', () => `Bearer ${rep('a.')}`],
    ['repeated basic', () => rep('basic ')],
    ['repeated "auth":"', () => rep('"auth":"')],
    ['repeated &sig=', () => rep('&sig=')],
    ['sig= then 5 MB of %2B', () => `?sig=${rep('%2B')}`],
    ['repeated accountkey=', () => rep('accountkey=')],
    ['repeated aws_secret_access_key=', () => rep('aws_secret_access_key=')],
    ['repeated sk-…T3BlbkFJ', () => rep('sk-T3BlbkFJ')],
    ['sk- then 5 MB of T3BlbkFJ', () => `sk-${rep('T3BlbkFJ')}`],
    ['repeated Slack prefixes', () => rep('xoxb-1234567-')],
    ['twilio then SK repeated', () => `twilio ${rep('SK')}`],
    ['mailgun then key- repeated', () => `mailgun ${rep('key-')}`],
    ['repeated DSN fragments', () => rep('a:b@tcp(')],
    ['repeated user:', () => rep('aaaa:')],
    ['repeated .atlasv1.', () => rep('.atlasv1.')],
  ];
  function rndLine(n: number): string {
    const chunk = rnd(4096, B64);
    return chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n);
  }
  it.each(families)('%s', (_name, make) => {
    const text = make();
    for (const file of ['src/x.go', 'deploy/.env']) expect(Array.isArray(scanText(file, text))).toBe(true);
  }, 60_000);
});
