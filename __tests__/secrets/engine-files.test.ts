// Reading files: a file the scan cannot read makes the check an error naming it (never a pass),
// and a binary file is never reported as "over max-file-size: not scanned".

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { secretsCheck } from '../../src/checks/secrets.js';
import { scanRepo } from '../../src/secrets/scan-repo.js';
import { readText, scanFileSync } from '../../src/secrets/scan-file.js';
import { defaultRuleset, scanText } from '../../src/secrets/engine.js';
import { cleanupTempDirs, makeRepo } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import { B64URL, DIGITS, HEX, githubToken, jwt, rnd, rsaPem, tokens } from './helpers.js';

afterAll(cleanupTempDirs);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('unreadable tracked files', () => {
  it('a file without read permission makes the check an error that names it', async () => {
    if (isRoot || process.platform === 'win32') {
      console.log('skipped: running as root (or on Windows), where chmod 000 does not stop a read; the next test covers the class');
      return;
    }
    const dir = await makeRepo({ 'main.go': 'package main\n', 'deploy/prod.env': `TOKEN=${githubToken()}\n` });
    await fs.chmod(path.join(dir, 'deploy/prod.env'), 0o000);
    try {
      const { result } = await runCheck(secretsCheck, dir);
      expect(result.status).toBe('error');
      expect(result.skipReason).toMatch(/could not read a file, so it was not scanned.*deploy\/prod\.env \(permission denied\)/);
    } finally {
      await fs.chmod(path.join(dir, 'deploy/prod.env'), 0o644);
    }
  });

  it('a tracked file that cannot be read (a directory in its place) is an error, not "Scanned 0 files"', async () => {
    const dir = await makeRepo({ 'main.go': 'package main\n', 'config/secrets.yaml': `token: ${rnd(30)}\n` });
    await fs.rm(path.join(dir, 'config/secrets.yaml'));
    await fs.mkdir(path.join(dir, 'config/secrets.yaml'));
    const { result } = await runCheck(secretsCheck, dir);
    expect(result.status).toBe('error');
    expect(result.skipReason).toMatch(/could not read a file, so it was not scanned for secrets: config\/secrets\.yaml \(a directory/);
    expect(result.skipReason).not.toMatch(/crashed/);

    const scan = await scanRepo(dir, { mode: 'git' });
    expect(scan.unreadable).toEqual([{ file: 'config/secrets.yaml', reason: 'a directory in the work tree where git tracks a file' }]);
  });

  it('a tracked file deleted from the work tree is not an error (nothing is there to leak)', async () => {
    const dir = await makeRepo({ 'main.go': 'package main\n', 'old.txt': 'hello\n' });
    await fs.rm(path.join(dir, 'old.txt'));
    const scan = await scanRepo(dir, { mode: 'git' });
    expect(scan.unreadable).toEqual([]);
    expect(scan.stats.scanned).toBe(1);
  });

  it('a symlink in the work tree where git tracks a file is not followed', async () => {
    if (process.platform === 'win32') return;
    const dir = await makeRepo({ 'main.go': 'package main\n', 'creds.txt': 'x\n' });
    await fs.rm(path.join(dir, 'creds.txt'));
    await fs.symlink('/etc/hostname', path.join(dir, 'creds.txt'));
    const r = readText(path.join(dir, 'creds.txt'));
    expect(r.status).toBe('unreadable');
  });
});

describe('max-file-size', () => {
  it('a large binary file is skipped silently; a large text file gets the notice', async () => {
    const binary = Buffer.alloc(4096, 1);
    binary[10] = 0;
    const dir = await makeRepo({ 'main.go': 'package main\n', 'assets/logo.png': binary, 'data/big.txt': 'x'.repeat(4096) });
    const { result } = await runCheck(secretsCheck, dir, { options: { 'max-file-size': 1024 } });
    const notices = result.findings.filter((f) => /over max-file-size/.test(f.message));
    expect(notices.map((f) => f.file)).toEqual(['data/big.txt']);
  });
});

describe('the byte-level prefilter finds what the text scan finds', () => {
  it('every family, in ASCII and non-ASCII files: scanFileSync (bytes first) equals scanText', async () => {
    const dir = await makeRepo({ 'go.mod': 'module x\n' });
    const body = [
      `gh := "${githubToken()}"`,
      `aws := "${tokens.awsKeyId()}"`,
      `mc := "${rnd(32, HEX)}-us7"`,
      `bot := "${rnd(9, DIGITS)}:AA${rnd(33, B64URL)}"`,
      `DISCORD_TOKEN=${Buffer.from(`1${rnd(17, DIGITS)}`).toString('base64url')}.${rnd(6, B64URL)}.${rnd(27, B64URL)}`,
      `auth: Bearer ${jwt()}`,
      `dsn := "postgres://app:${rnd(16)}@db.corp.internal/app"`,
      `apiSecret := "${rnd(30)}"`,
      `API_SECRET=${rnd(30)}`,
      `//registry.corp.internal/:_authToken=${rnd(36)}`,
      `machine git.corp.internal login ci password ${rnd(22)}`,
      rsaPem(),
      'Copyright The Go Authors. key := range m; token = next()',
    ].join('\n');
    const files: Record<string, string> = {
      'a/app.go': body,
      'a/app.env': body,
      'a/unicode.go': `// héllo wörld ✓\n${body}\n// ünïcode`,
      'a/.netrc': body,
      'a/.npmrc': body,
    };
    for (const [rel, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
      const viaBytes = scanFileSync({ rel, abs: path.join(dir, rel) }, defaultRuleset()).findings;
      const viaText = scanText(rel, text);
      expect(viaText.length).toBeGreaterThanOrEqual(10);
      expect(viaBytes.map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual(viaText.map((f) => [f.ruleId, f.line, f.column, f.severity]));
    }
  });
});
