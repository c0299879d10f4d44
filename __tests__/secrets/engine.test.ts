import { describe, expect, it } from '@jest/globals';
import { HitBuffer, KeywordMatcher } from '../../src/secrets/aho-corasick.js';
import { hasValidBase62Checksum } from '../../src/secrets/checksum.js';
import { createRuleset, defaultRuleset, scanText } from '../../src/secrets/engine.js';
import { shannonEntropy } from '../../src/secrets/entropy.js';
import { maskPieces, redactedPreview } from '../../src/secrets/redact.js';
import type { RawFinding } from '../../src/secrets/types.js';
import { B64, DIGITS, HEX, UPPER, ecPem, githubToken, jwt, jwtIoSample, npmToken, puttyKey, rnd, rndRaw, rsaPem, tokens } from './helpers.js';

const ids = (fs: RawFinding[]) => fs.map((f) => f.ruleId);
const scan = (text: string, path = 'config/app.go') => scanText(path, text);

describe('building blocks', () => {
  it('the keyword automaton reports overlapping matches case-insensitively', () => {
    const m = new KeywordMatcher(['key', 'keyring', 'ring', 'sk_live', 'sk_live_']);
    const hits = new HitBuffer(2);
    m.scan('MyKEYRING sk_live_x', hits);
    const found: string[] = [];
    for (let i = 0; i < hits.length; i++) found.push(`${m.keywords[hits.data[2 * i + 1]!]}@${hits.data[2 * i]}`);
    expect(found.sort()).toEqual(['key@4', 'keyring@8', 'ring@8', 'sk_live@16', 'sk_live_@17'].sort());
  });

  it('validates GitHub and npm checksums', () => {
    expect(hasValidBase62Checksum(githubToken('p'))).toBe(true);
    expect(hasValidBase62Checksum(githubToken('p', false))).toBe(false);
    expect(hasValidBase62Checksum(npmToken())).toBe(true);
  });

  it('computes Shannon entropy like gitleaks', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('redacts to at most 4 characters, none for short values', () => {
    expect(redactedPreview('abcdefghijklmnop')).toBe('abcd…');
    expect(redactedPreview('abcdefghijk')).toBe('…');
    expect(redactedPreview('ab')).toBe('…');
    expect(maskPieces('line-one-secret\\nline-two-secret')).toEqual(['line-one-secret', 'line-two-secret']);
  });
});

describe('provider rules: true positives', () => {
  const cases: Array<[string, () => string, string?]> = [
    ['aws-access-token', tokens.awsKeyId],
    ['gcp-api-key', tokens.gcpKey],
    ['github-pat', () => githubToken('p')],
    ['github-oauth', () => githubToken('o')],
    ['github-app-token', () => githubToken('s')],
    ['github-refresh-token', () => githubToken('r')],
    ['github-fine-grained-pat', tokens.fineGrained],
    ['gitlab-pat', tokens.gitlab],
    ['gitlab-runner-token', tokens.gitlabRunner],
    ['bitbucket-app-password', tokens.bitbucket],
    ['npm-access-token', npmToken],
    ['pypi-upload-token', tokens.pypi],
    ['dockerhub-pat', tokens.dockerhub],
    ['slack-bot-token', tokens.slackBot],
    ['stripe-access-token', tokens.stripeLive],
    ['sendgrid-api-token', tokens.sendgrid],
    ['openai-api-key', tokens.openai],
    ['anthropic-api-key', tokens.anthropic],
    ['huggingface-access-token', tokens.huggingface],
    ['shopify-access-token', tokens.shopify],
  ];
  it.each(cases)('%s', (rule, make) => {
    const secret = make();
    const fs = scan(`package config\n\nvar client = New("${secret}")\n`);
    expect(ids(fs)).toEqual([rule]);
    const f = fs[0]!;
    expect(f).toMatchObject({ line: 3, column: 19, severity: 'error', tier: 'provider', fingerprint: `config/app.go:${rule}:3` });
    expect(f.secret).toBe(secret);
    expect(f.preview).toBe(`${secret.slice(0, 4)}…`);
  });

  it('AWS secret access key assigned to its name', () => {
    const fs = scan(`[default]\naws_access_key_id = ${tokens.awsKeyId()}\naws_secret_access_key = ${tokens.awsSecret()}\n`, 'deploy/credentials');
    expect(ids(fs)).toEqual(['aws-access-token', 'aws-secret-access-key']);
  });

  it('GCP service account JSON, Azure storage key and SAS, Slack webhook, Twilio, Mailgun', () => {
    const pem = rsaPem();
    const sa = JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: rnd(40, HEX), private_key: pem, client_email: 'x@p.iam' }, null, 2);
    expect(ids(scan(sa, 'sa.json'))).toEqual(['gcp-service-account']);
    const conn = `DefaultEndpointsProtocol=https;AccountName=prodstore;AccountKey=${tokens.azureAccountKey()};EndpointSuffix=core.windows.net`;
    expect(ids(scan(`conn: "${conn}"`, 'a.yaml'))).toEqual(['azure-storage-account-key']);
    const sas = `https://prodstore.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${tokens.sasSig()}`;
    expect(ids(scan(`url: ${sas}`, 'a.yaml'))).toEqual(['azure-sas-token']);
    expect(ids(scan(`hook: ${tokens.slackWebhook()}`, 'a.yaml'))).toEqual(['slack-webhook-url']);
    expect(ids(scan(`// twilio client\nkey := "${tokens.twilio()}"`, 'sms.go'))).toEqual(['twilio-api-key']);
    expect(ids(scan(`# mailgun\nMAILGUN_KEY=${tokens.mailgun()}`, 'a.env'))).toEqual(['mailgun-api-key']);
  });

  it('private keys: PEM (also pasted into Go strings with \\n), PuTTY', () => {
    const pem = rsaPem();
    const f = scan(pem, 'deploy/id_rsa')[0]!;
    expect(f).toMatchObject({ ruleId: 'private-key', title: 'RSA private key', line: 2, severity: 'error' });
    expect(f.preview).toBe('MIIC…');
    const goString = `var key = "${ecPem().replace(/\n/g, '\\n')}"`;
    expect(scan(goString, 'keys.go').map((x) => x.title)).toEqual(['EC private key']);
    expect(ids(scan(puttyKey(), 'deploy.ppk'))).toEqual(['putty-private-key']);
  });

  it('JWTs and credentials in URLs and credential files', () => {
    expect(ids(scan(`Authorization: Bearer ${jwt()}`, 'req.http'))).toEqual(['jwt']);
    expect(ids(scan(`dsn := "postgres://app:${rnd(16)}@db.internal:5432/app"`))).toEqual(['basic-auth-url']);
    expect(ids(scan(`dsn := "app:${rnd(16)}@tcp(db:3306)/app"`))).toEqual(['mysql-dsn-password']);
    expect(ids(scan(`https://bot:${rnd(20)}@git.corp.internal\n`, '.git-credentials'))).toEqual(['basic-auth-url']);
    expect(scan(`https://bot:${rnd(20)}@git.corp.internal\n`, '.git-credentials')[0]!.severity).toBe('error');
    expect(ids(scan(`machine api.corp.internal\n  login bot\n  password ${rnd(20)}\n`, '.netrc'))).toEqual(['netrc-password']);
    expect(ids(scan(`//npm.corp.internal/:_authToken=${rnd(36)}\n`, '.npmrc'))).toEqual(['npmrc-auth-token']);
    const auth = Buffer.from(`ci:${rnd(20)}`).toString('base64');
    expect(ids(scan(JSON.stringify({ auths: { 'registry.corp.internal': { auth } } }), '.docker/config.json'))).toEqual(['docker-config-auth']);
    expect(ids(scan(`[pypi]\nusername = ci\npassword = ${rnd(20)}\n`, '.pypirc'))).toEqual(['pypirc-password']);
  });

  it('the generic rule: a secret-like name assigned a high-entropy value', () => {
    const fs = scan(`db_password := "${rnd(24)}"\nos.Setenv("API_TOKEN", "${rnd(32)}")\n`);
    expect(fs.map((f) => [f.ruleId, f.name, f.severity])).toEqual([
      ['generic-api-key', 'db_password', 'warning'],
      ['generic-api-key', 'API_TOKEN', 'warning'],
    ]);
    expect(ids(scan(`DB_PASSWORD=${rnd(24)}\n`, '.env'))).toEqual(['generic-api-key']);
    expect(ids(scan(`auth:\n  client_secret: ${rnd(30)}\n`, 'config.yaml'))).toEqual(['generic-api-key']);
    expect(ids(scan(`<db><password>${rnd(24)}</password></db>`, 'settings.xml'))).toEqual(['generic-api-key']);
    expect(ids(scan(`curl -H "Authorization: Basic ${Buffer.from(`ci:${rnd(16)}`).toString('base64')}" x`, 'run.sh'))).toEqual(['basic-auth-header']);
  });
});

describe('near misses: no finding', () => {
  const negatives: Array<[string, string, string?]> = [
    ['AWS documentation key id', `key := "${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}"`],
    ['AWS documentation secret', `aws_secret_access_key = ${['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join('')}`, 'credentials'],
    ['Go TESTING KEY convention', rsaPem().replace(/PRIVATE KEY/g, 'TESTING KEY'), 'key_test.go'],
    ['PEM with a placeholder body', `-----BEGIN RSA ${'PRIVATE'} KEY-----\n${'A'.repeat(64)}\n${'A'.repeat(64)}\n-----END RSA ${'PRIVATE'} KEY-----\n`, 'k.pem'],
    ['placeholder DSN', 'dsn := "postgres://user:password@localhost/db"'],
    ['templated DSN', 'dsn := "postgres://user:${DB_PASSWORD}@db:5432/app"'],
    ['env var DSN', 'url: https://ci:$TOKEN@git.example.com/x.git', 'ci.yml'],
    ['example-host DSN', `dsn: postgres://app:${rnd(16)}@db.example.com/app`, 'a.yaml'],
    ['os.Getenv', 'token := os.Getenv("TOKEN")'],
    ['flag definition', 'password := flag.String("password", "", "the password")'],
    ['struct tag', 'Token string `json:"token" yaml:"token"`'],
    ['Go format verbs', 'dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", user, password, host, db)'],
    ['Helm template', 'password: "{{ .Values.db.password }}"', 'values.yaml'],
    ['GitHub expression', 'token: ${{ secrets.GITHUB_TOKEN }}', 'ci.yml'],
    ['hex hashes in a go.sum-like file', `github.com/acme/secret-token v1.2.0 h1:${rnd(43, B64)}=\nkey: sha256:${rnd(64, HEX)}`, 'deps.lock'],
    ['UUID assigned to an id', 'client_id = "123e4567-e89b-12d3-a456-426614174000"', 'settings.ini'],
    ['identifier values', '"encryptionKey768": "encryptionKey1024",'],
    ['code expression in Go', 'keySize = k*encodingSize12 + 32'],
    ['a key id, not a key', `signing_key_id = "${rnd(24)}"`, 'app.toml'],
    ['placeholder token', 'slack_token: xoxb-your-token-here', 'a.yaml'],
    ['jwt.io sample', `const tok = "${jwtIoSample()}"`],
    ['low entropy value', 'secret = "aaaaaaaaaaaaaaaaaaaaaaaa"', 'a.ini'],
    ['list of strings', `names := []string{"authorName", "${rnd(20)}"}`],
    ['netrc in Go code', 'type entry struct {\n\tmachine string\n\tlogin string\n\tpassword string\n}'],
    ['npm in minified JS', `this._auth=${rnd(20)}.x()`, 'app.min.js'],
    ['keyboard-fill placeholder', 'access_key: A1B2C3D4E5F6G7H8I9J0', 'prometheus.yml'],
    ['a bcrypt hash', `hashedPassword = "$2y$10$${rnd(53, B64.replace('+', '.'))}"`],
    ['a value shortened in docs', `"identitytoken": "${rnd(14, HEX)}..."`, 'api.md'],
    ['pagination token', `"NextToken": "${rnd(40, B64)}"`, 'examples.json'],
    ['identifier-like value', 'ec2MetadataServiceEndpointKey = "ec2_metadata_service_endpoint"'],
    ['comparison in code', `if (keyCount > ${rnd(12, DIGITS)}) {}`],
    ['Basic auth placeholder', `Authorization: Basic ${Buffer.from('user:password').toString('base64')}`, 'README.md'],
  ];
  it.each(negatives)('%s', (_name, text, path = 'config/app.go') => {
    expect(scan(text, path)).toEqual([]);
  });
});

describe('severity tiers', () => {
  it('a GitHub token with a valid checksum is an error, a warning in tests; a broken checksum is a warning', () => {
    expect(scan(`tok := "${githubToken('p')}"`, 'x.go')[0]).toMatchObject({ severity: 'error', note: 'its built-in checksum is valid' });
    expect(scan(`tok := "${githubToken('p')}"`, 'x_test.go')[0]).toMatchObject({ severity: 'warning', note: 'its built-in checksum is valid' });
    expect(scan(`tok := "${githubToken('p', false)}"`, 'x.go')[0]!.severity).toBe('warning');
  });
  it('Stripe test-mode keys are warnings', () => {
    expect(scan(`key := "${tokens.stripeTest()}"`)[0]!.severity).toBe('warning');
  });
  it('generic findings are notices in _test.go, testdata/ and generated code', () => {
    const line = `apiSecret := "${rnd(28)}"\n`;
    expect(scan(line, 'x.go')[0]!.severity).toBe('warning');
    expect(scan(line, 'x_test.go')[0]!.severity).toBe('notice');
    expect(scan(line, 'pkg/testdata/x.go')[0]!.severity).toBe('notice');
    expect(scan(`// Code generated by mockgen. DO NOT EDIT.\n\npackage x\n${line}`, 'mock.go')[0]!.severity).toBe('notice');
  });
  it('private keys are errors, warnings under testdata/', () => {
    expect(scan(rsaPem(), 'deploy/key.pem')[0]!.severity).toBe('error');
    expect(scan(rsaPem(), 'internal/testdata/key.pem')[0]!.severity).toBe('warning');
  });
});

describe('inline suppression', () => {
  it('gitleaks:allow and preflight:allow on the line', () => {
    expect(scan(`tok := "${githubToken()}" // gitleaks:allow`)).toEqual([]);
    expect(scan(`tok := "${githubToken()}" // preflight:allow`)).toEqual([]);
    expect(scan(`tok := "${githubToken()}"\nother := 1 // preflight:allow`)).toHaveLength(1);
  });
});

describe('pathological input finishes quickly', () => {
  const cases: Array<[string, () => string]> = [
    ['"key=" repeated', () => 'key='.repeat(262_144)],
    ['random base64', () => rnd(1_048_576, B64)],
    ['"token_ " repeated', () => 'token_ '.repeat(150_000)],
    ['"a.key=b;" repeated', () => 'a.key=b;'.repeat(131_072)],
    ['keyword soup', () => 'password: secret_key=api_token:= "'.repeat(30_000)],
    ['BEGIN PRIVATE KEY without an end', () => `-----BEGIN ${'PRIVATE'} KEY-----\n${rnd(1_000_000, B64 + '\n')}`],
    ['URLs without end', () => 'https://u:'.repeat(100_000)],
    ['digits and dashes (Slack shape)', () => `xoxb-${'1234567890-'.repeat(90_000)}`],
  ];
  it.each(cases)('1 MB of %s in under 5 s', (_n, make) => {
    const text = make();
    const t0 = Date.now();
    scanText('big.txt', text);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('many real secrets on one long line are reported up to a cap', () => {
    const text = Array.from({ length: 400 }, () => `"${githubToken()}"`).join(',');
    const t0 = Date.now();
    const fs = scanText('tokens.json', text);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(fs.length).toBe(200);
  });
});

describe('rule sets', () => {
  it('disabled rules and the generic switch', () => {
    const text = `tok := "${githubToken()}"\napiSecret := "${rnd(28)}"\n`;
    expect(ids(scanText('a.go', text, createRuleset({ useDefault: true, disabledRules: ['github-pat'], generic: true, rules: [], allowlists: [] })))).toEqual([
      'generic-api-key',
    ]);
    expect(ids(scanText('a.go', text, createRuleset({ useDefault: true, disabledRules: [], generic: false, rules: [], allowlists: [] })))).toEqual(['github-pat']);
  });
  it('the name is shown only when it reads like a name', () => {
    expect(scan(`DB_PASSWORD=${rnd(24)}`, '.env')[0]!.name).toBe('DB_PASSWORD');
    expect(scan(`clientSecret: "${rnd(24)}"`, 'a.ts')[0]!.name).toBe('clientSecret');
    const packed = scan(`${rnd(30)}_secret="${rnd(24)}"`, 'a.ts');
    expect(packed).toHaveLength(1);
    expect(packed[0]!.name).toBeUndefined();
  });
  it('a provider token wins over the generic rule on the same value', () => {
    expect(ids(scan(`github_token = "${githubToken()}"`))).toEqual(['github-pat']);
  });
  it('every default rule has keywords and a revoke hint', () => {
    for (const r of defaultRuleset().rules) {
      // Path-only rules (.p12 files, config/master.key) need no keyword.
      if (r.mode !== 'path') expect(r.keywords.length).toBeGreaterThan(0);
      expect(r.revoke).toBeTruthy();
    }
  });
});

describe('random values do not trip the shape-only filters', () => {
  it('a random 20-40 char value assigned to a secret name is found 99% of the time', () => {
    // The measured miss rate is about 0.17% (values that happen to read like words); 6 misses
    // in 300 would be ten times that, so this does not flake.
    let found = 0;
    for (let i = 0; i < 300; i++) {
      let v = rndRaw(20 + (i % 20));
      while (!(/\d/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v))) v = rndRaw(20 + (i % 20));
      if (scan(`client_secret = "${v}"`, 'a.py').length === 1) found++;
    }
    expect(found).toBeGreaterThanOrEqual(294);
  });
  it('uppercase-and-digits AWS key ids are found regardless of the generic rules', () => {
    expect(ids(scan(`access_key: ${'AKIA' + rnd(16, UPPER + '234567')}`, 'a.yaml'))).toEqual(['aws-access-token']);
    expect(ids(scan(`id: ${rnd(12, DIGITS)}`, 'a.yaml'))).toEqual([]);
  });
});
