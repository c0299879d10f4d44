// Recall and precision past gitleaks (issue 10 §3) and the false alarms of issue 14 (§3, §4, §6):
// every item has a true positive and a near miss. Every secret-looking value is generated here at
// run time: no credential-shaped literal is committed.

import { describe, expect, it } from '@jest/globals';
import { createCipheriv, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { describeFinding } from '../../src/checks/secrets.js';
import { scanText } from '../../src/secrets/engine.js';
import type { RawFinding } from '../../src/secrets/types.js';
import { B64, B64URL, DIGITS, HEX, UPPER, githubToken, rnd, rsaPem, tokens } from './helpers.js';

const ids = (fs: RawFinding[]) => fs.map((f) => f.ruleId);
const scan = (text: string, path = 'config/app.go') => scanText(path, text);
const join = (...p: string[]) => p.join('');
const generic = (text: string, path?: string) => ids(scan(text, path)).filter((id) => id === 'generic-api-key');

describe('generic rule: recall', () => {
  it('aligned assignments: gofmt, HCL, TOML and YAML columns', () => {
    const v = () => rnd(30);
    expect(generic(`package x\n\nvar (\n\tapiSecret            = "${v()}"\n\tn                    = 1\n)\n`)).toHaveLength(1);
    expect(generic(`api_token                 =      "${v()}"\n`, 'main.tf')).toHaveLength(1);
    expect(generic(`[auth]\nclient_secret          = "${v()}"\n`, 'conf.toml')).toHaveLength(1);
    expect(generic(`db:\n  password:              ${v()}\n`, 'app.yaml')).toHaveLength(1);
    // Near miss: an aligned comparison is not an assignment.
    expect(generic(`if apiSecret          == "${v()}" {}\n`)).toEqual([]);
  });

  it('a UUID is a secret under a name that says token/secret/password/key, an id otherwise', () => {
    expect(generic(`heroku_api_key: ${randomUUID()}\n`, 'app.yaml')).toHaveLength(1);
    expect(generic(`SERVICE_TOKEN="${randomUUID()}"\n`, 'deploy.sh')).toHaveLength(1);
    expect(generic(`client_id: ${randomUUID()}\n`, 'app.yaml')).toEqual([]);
    expect(generic(`tenant: ${randomUUID()}\n`, 'app.yaml')).toEqual([]);
  });

  it('names ending in id: a token or secret id with a random value is a secret, other ids are not', () => {
    expect(generic(`var tokenID = "${rnd(30)}"\n`)).toHaveLength(1);
    expect(generic(`secret_id: ${rnd(30)}\n`, 'vault.yaml')).toHaveLength(1);
    expect(generic(`var keyID = "${rnd(30)}"\n`)).toEqual([]);
    expect(generic(`private_key_id: "${rnd(40, HEX)}"\n`, 'sa.yaml')).toEqual([]);
    expect(generic(`var tokenID = "${randomUUID()}"\n`)).toEqual([]);
  });

  it('ClientToken is AWS idempotency only when its value is a UUID', () => {
    expect(generic(`in := &Input{ClientToken: "${randomUUID()}"}\n`)).toEqual([]);
    expect(generic(`clienttoken: ${rnd(30)}\n`, 'app.yaml')).toHaveLength(1);
  });

  it('dotted values are references only when every part reads as an identifier', () => {
    expect(generic(`var apiKey = "${rnd(12)}.${rnd(24)}"\n`)).toHaveLength(1);
    expect(generic('var apiKey = "config.Auth.SecretToken"\n')).toEqual([]);
    expect(generic('token: "os.Getenv"\n', 'x.yaml')).toEqual([]);
  });

  it('stopwords count in the random part, not in a provider prefix', () => {
    expect(generic(`var token = "${join('hvo', '_secret_')}${rnd(60)}"\n`)).toHaveLength(1);
    // Near misses: documentation words anywhere, and a short tail after the prefix.
    expect(generic(`var token = "your_secret_${rnd(30)}"\n`)).toEqual([]);
    expect(generic(`var token = "my_secret_token_1"\n`)).toEqual([]);
  });

  it('values over 200 characters', () => {
    expect(generic(`var apiToken = "${rnd(400)}"\n`)).toHaveLength(1);
    expect(generic(`API_SECRET=${rnd(600)}\n`, 'deploy.sh')).toHaveLength(1);
  });

  it('{ "AccountKey", "…" } pairs and names with a space', () => {
    expect(generic(`var d = new Dictionary<string, string> { { "AccountKey", "${rnd(40)}" } };\n`, 'x.cs')).toHaveLength(1);
    expect(generic(`license key = ${rnd(30)}\n`, 'README.txt')).toHaveLength(1);
    // Near miss: neighbours in a list of strings.
    expect(generic(`var names = []string{"api_key", "${rnd(30)}"}\n`)).toEqual([]);
  });
});

describe('generic rule: false positives dropped', () => {
  it('protobuf_key / protobuf_val struct tags', () => {
    const tags = 'type T struct {\n\tM map[string]string `protobuf:"bytes,1,rep,name=m,proto3" protobuf_key:"bytes,1,opt,name=key,proto3" protobuf_val:"bytes,2,opt,name=value,proto3"`\n}\n';
    expect(scan(tags, 'x.pb.go')).toEqual([]);
  });

  it('k=v;k=v metric and label strings', () => {
    expect(generic(`labels: "api_calls=${rnd(3)};auth_fail=${rnd(3)};key_x=${rnd(4)}"\n`, 'x.yaml')).toEqual([]);
    expect(generic(`STATS=api_calls=12,auth_errors=${rnd(4)}\n`, 'x.sh')).toEqual([]);
  });

  it('shell and template variables are not secrets (issue 14 §4)', () => {
    expect(scan('keychain="$RUNNER_TEMP/app-signing.keychain-db"\n', 'release.sh')).toEqual([]);
    expect(scan('  password: ${{ secrets.DOCKER_PASSWORD }}\n', '.github/workflows/ci.yml')).toEqual([]);
    expect(scan('API_TOKEN="${API_TOKEN:-devtoken1234567}"\n', 'run.sh')).toEqual([]);
    expect(scan('DSN = "postgres://app:%(password)s@db.corp.internal/app"\n', 'settings.py')).toEqual([]);
    expect(scan('api_key = "prefix-%(key)s-suffix1"\n', 'settings.py')).toEqual([]);
    // True positive next to them: a literal value.
    expect(generic(`API_TOKEN="${rnd(30)}"\n`, 'run.sh')).toHaveLength(1);
  });
});

describe('new rules', () => {
  it('Vault tokens: hvs., hvb., legacy s. on a line naming Vault', () => {
    expect(ids(scan(`t := "${join('hv', 's.')}${rnd(95, B64URL)}"`))).toContain('hashicorp-vault-token');
    expect(ids(scan(`t := "${join('hv', 'b.')}${rnd(150, B64URL)}"`))).toContain('hashicorp-vault-token');
    expect(ids(scan(`VAULT_TOKEN=${join('s', '.')}${rnd(24)}\n`, 'ci.sh'))).toContain('hashicorp-vault-legacy-token');
    // Near misses: too short an hvs., an s. value with no Vault on the line.
    expect(ids(scan(`t := "${join('hv', 's.')}${rnd(40, B64URL)}"`))).not.toContain('hashicorp-vault-token');
    expect(ids(scan(`x := "${join('s', '.')}${rnd(24)}"\n`))).not.toContain('hashicorp-vault-legacy-token');
  });

  it('.p12/.pfx and config/master.key files by path; not other key-ish names', () => {
    expect(ids(scan('', 'certs/client.p12'))).toEqual(['pkcs12-file']);
    expect(ids(scan('', 'deploy/signing.PFX'))).toEqual(['pkcs12-file']);
    expect(ids(scan(rnd(32, HEX), 'config/master.key'))).toContain('rails-master-key');
    expect(ids(scan('', 'docs/p12.md'))).toEqual([]);
    expect(ids(scan('x', 'config/master.key.example'))).toEqual([]);
  });

  it('Laravel APP_KEY', () => {
    expect(ids(scan(`APP_KEY=base64:${randomBytes(32).toString('base64')}\n`, '.env'))).toContain('laravel-app-key');
    expect(ids(scan(`APP_KEY=base64:${randomBytes(16).toString('base64')}\n`, 'app.ini'))).not.toContain('laravel-app-key');
  });

  it('otpauth:// seeds, not the documentation seed', () => {
    const b32 = UPPER + '234567';
    expect(ids(scan(`url := "otpauth://totp/Corp:ci@corp?secret=${rnd(32, b32)}&issuer=Corp"`))).toContain('otpauth-secret');
    expect(ids(scan('url := "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"'))).toEqual([]);
  });

  it('Discord bot tokens (the first part is a numeric id in base64), not look-alikes', () => {
    const id = Buffer.from(`1${rnd(17, DIGITS)}`).toString('base64url');
    expect(ids(scan(`DISCORD_BOT=${id}.${rnd(6, B64URL)}.${rnd(27, B64URL)}\n`, 'bot.sh'))).toContain('discord-bot-token');
    expect(ids(scan(`DISCORD_BOT=N${rnd(23, UPPER)}.${rnd(6, B64URL)}.${rnd(27, B64URL)}\n`, 'bot.sh'))).not.toContain('discord-bot-token');
  });

  it('Telegram bot tokens', () => {
    expect(ids(scan(`bot := "${rnd(9, DIGITS)}:AA${rnd(33, B64URL)}"`))).toContain('telegram-bot-token');
    expect(ids(scan(`t := "${rnd(9, DIGITS)}:AA${rnd(20, B64URL)}"`))).not.toContain('telegram-bot-token');
  });

  it('Mailchimp keys', () => {
    expect(ids(scan(`mc := "${rnd(32, HEX)}-us${rnd(1, '123456789')}"`))).toContain('mailchimp-api-key');
    expect(ids(scan(`locale := "${rnd(31, HEX)}-us1"`))).not.toContain('mailchimp-api-key');
  });

  it('New Relic license keys', () => {
    expect(ids(scan(`license := "${rnd(36, HEX)}NRAL"`))).toContain('new-relic-license-key');
    expect(ids(scan(`license := "${rnd(30, HEX)}NRAL"`))).not.toContain('new-relic-license-key');
  });

  it('exact lengths for GitLab token kinds', () => {
    const gl = (prefix: string, n: number, alphabet = B64URL) => `t := "${join('gl', prefix)}${rnd(n, alphabet)}"`;
    expect(ids(scan(gl('pat-', 20)))).toEqual(['gitlab-pat']);
    expect(ids(scan(gl('pat-', 23)))).toEqual([]);
    expect(ids(scan(gl('ptt-', 40, HEX)))).toEqual(['gitlab-ci-token']);
    expect(ids(scan(gl('ptt-', 39, HEX)))).toEqual([]);
    expect(ids(scan(gl('oas-', 64)))).toEqual(['gitlab-token']);
    expect(ids(scan(gl('oas-', 63)))).toEqual([]);
    expect(ids(scan(gl('imt-', 25)))).toEqual(['gitlab-token']);
    expect(ids(scan(gl('agent-', 50)))).toEqual(['gitlab-token']);
    expect(ids(scan(gl('dt-', 20)))).toEqual(['gitlab-deploy-token']);
    expect(ids(scan(gl('dt-', 26)))).toEqual([]);
  });

  it('DER private keys outside PEM armour (base64 and hex); not public keys or PEM bodies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const der = privateKey.export({ type: 'pkcs1', format: 'der' });
    expect(ids(scan(`const k = "${der.toString('base64')}"`))).toEqual(['private-key-der']);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'der' });
    expect(ids(scan(`key := "${ec.toString('hex')}"`))).toEqual(['private-key-der-hex']);
    const p8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(ids(scan(`key: ${p8.toString('base64')}\n`, 'k.yaml'))).toEqual(['private-key-der']);
    // Near misses: a public key, a broken DER body, and a PEM (the PEM rule's finding only).
    expect(ids(scan(`const k = "${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}"`))).toEqual([]);
    const broken = Buffer.from(der);
    broken.fill(0x41, 20, 200);
    expect(ids(scan(`const k = "${broken.toString('base64')}"`))).toEqual([]);
    expect(ids(scan(rsaPem(), 'k.pem'))).toEqual(['private-key']);
  });
});

describe('severity by place', () => {
  const apiKey = () => `API_SECRET=${rnd(30)}\n`;
  it.each(['.env', '.env.production', 'deploy/.env.local', '.aws/credentials', '.s3cfg', 'home/.netrc', '.npmrc', '.git-credentials', '.docker/config.json', 'prod.tfvars'])(
    'every finding in the credential file %s is an error',
    (file) => {
      const fs = scan(apiKey(), file);
      expect(fs.length).toBeGreaterThan(0);
      expect(fs.every((f) => f.severity === 'error')).toBe(true);
    },
  );
  it('an id_rsa-like key file is an error even as a generic finding', () => {
    expect(scan(apiKey(), 'keys/id_ed25519')[0]!.severity).toBe('error');
  });

  it.each([
    'pkg/x_test.go',
    'pkg/testing.go',
    'pkg/testdata/a.go',
    'test-fixtures/a.yaml',
    'fixtures/a.json',
    'tests/a.py',
    'web/__tests__/a.js',
    'web/a.test.ts',
    'web/a.test.js',
    'py/a_test.py',
    'tmpl/x_test.go.tmpl',
    'internal/gen/templates/server_test.go.tpl',
    'examples/basic/main.go',
    '_examples/tls/main.go',
  ])('a provider token in %s is a warning, not an error', (file) => {
    const f = scan(`tok := "${githubToken()}"\n`, file)[0]!;
    expect(f.ruleId).toBe('github-pat');
    expect(f.severity).toBe('warning');
  });
  it('near misses: look-alike directories are not test places', () => {
    for (const file of ['contest/a.go', 'latest/a.go', 'testimonials/a.go', 'examplesite.go']) expect(scan(`tok := "${githubToken()}"\n`, file)[0]!.severity).toBe('error');
  });

  it('encrypted private keys are warnings; a plain one stays an error', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const legacy = privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    const p8 = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    for (const pem of [legacy, p8]) {
      const f = scan(pem, 'deploy/key.pem')[0]!;
      expect(f.ruleId).toBe('private-key');
      expect(f.severity).toBe('warning');
      expect(f.note).toMatch(/encrypted/);
    }
    const openssh = (cipher: string, kdf: string) => {
      const str = (s: string) => Buffer.concat([Buffer.from([0, 0, 0, s.length]), Buffer.from(s)]);
      const key = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16)).update(randomBytes(600));
      const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str(cipher), str(kdf), key]).toString('base64');
      return `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    };
    expect(scan(openssh('aes256-ctr', 'bcrypt'), 'deploy/key')[0]!.severity).toBe('warning');
    expect(scan(openssh('none', 'none'), 'deploy/key')[0]!.severity).toBe('error');
    expect(scan(rsaPem(), 'deploy/key.pem')[0]!.severity).toBe('error');
  });
});

describe('hints for files that cannot hold a comment (issue 14 §6)', () => {
  it('a PEM or key file: .gitleaksignore with the exact fingerprint or paths-ignore, never an inline comment', () => {
    for (const file of ['certs/server.key', 'deploy/id_rsa', 'sa.json', 'certs/client.p12']) {
      const f = scan(file.endsWith('.p12') ? '' : file === 'sa.json' ? JSON.stringify({ private_key: rsaPem() }) : rsaPem(), file)[0]!;
      const hint = describeFinding(f).hint!;
      expect(hint).toContain(`\`${f.fingerprint}\``);
      expect(hint).toContain('.gitleaksignore');
      expect(hint).toContain('paths-ignore');
      expect(hint).not.toMatch(/preflight:allow|gitleaks:allow/);
    }
  });
  it('a source file still gets the inline comment hint', () => {
    const f = scan(`const k = "${tokens.awsKeyId()}"\n`, 'main.go')[0]!;
    expect(describeFinding(f).hint).toMatch(/"preflight:allow".*on line 1/);
    expect(describeFinding(scan(rnd(10, B64), 'x.go')[0] ?? f).hint).toBeTruthy();
  });
});
