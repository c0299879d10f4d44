// Tests of the harness's own logic: `node --test bench/test/` (not part of npm test).
// They need no corpus, no network and no dist/: the measured runs are exercised by `npm run bench -- --quick`.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { base62, BASE62, corpusRelative, crc32, crc32Table, FAMILIES, githubChecksumOk, githubClassicToken, scoreRecall, writePlantedCorpus } from '../lib/planted.mjs';
import { renderResults } from '../lib/report.mjs';
import { fmtStat, hasGnuTime, median, parseGnuTime, ratio, run, sampleInterleaved, summarize } from '../lib/util.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gp-bench-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('statistics', () => {
  it('takes the median of odd and even samples and ignores missing values', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const s = summarize([5, undefined, 1, NaN, 3]);
    assert.deepEqual({ n: s.n, median: s.median, min: s.min, max: s.max }, { n: 3, median: 3, min: 1, max: 5 });
    assert.equal(summarize([undefined]), undefined);
  });

  it('computes ratios of medians and says n/a when a side is missing', () => {
    assert.equal(ratio(summarize([2000]), summarize([1000])), 2);
    assert.equal(ratio(undefined, summarize([1000])), undefined);
    assert.equal(fmtStat(summarize([1500, 1000, 2000])), '1.50 s [1.00 s–2.00 s]');
    assert.equal(fmtStat(undefined), 'n/a');
  });

  it('interleaves sides and stops at the time budget after at least one round', async () => {
    const order = [];
    const slow = async () => {
      order.push('a');
      await new Promise((r) => setTimeout(r, 30));
      return 1;
    };
    const other = async () => {
      order.push('b');
      return 2;
    };
    const [a, b] = await sampleInterleaved([slow, other], 5, 10, 'test');
    assert.deepEqual(order, ['a', 'b']);
    assert.deepEqual([a.length, b.length], [1, 1]);
    const [c] = await sampleInterleaved([other], 3, 60_000, 'test');
    assert.equal(c.length, 3);
  });
});

describe('process runs', () => {
  it('parses the peak RSS out of GNU time -v', () => {
    const text = '\tCommand being timed: "go version"\n\tMaximum resident set size (kbytes): 51234\n\tExit status: 0\n';
    assert.equal(parseGnuTime(text), 51234);
    assert.equal(parseGnuTime('nothing here'), undefined);
  });

  it('times a process, keeps its exit code and measures its peak memory', async () => {
    const r = await run(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); process.stdout.write(String(b[5])); process.exit(3)']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '1');
    assert.ok(r.ms > 0);
    // 64 MiB touched: the peak is above it whichever way it was measured.
    assert.ok(r.maxRssKb > 64 * 1024, `maxRssKb ${r.maxRssKb} via ${r.rssSource} (GNU time: ${hasGnuTime()})`);
  });

  it('falls back to the node child measuring its own peak RSS without GNU time', async () => {
    process.env.GP_BENCH_NO_GNU_TIME = '1';
    try {
      const r = await run(process.execPath, ['-e', 'Buffer.alloc(64 * 1024 * 1024, 1)']);
      assert.equal(r.code, 0);
      assert.match(r.rssSource, /node process only/);
      assert.ok(r.maxRssKb > 64 * 1024, `maxRssKb ${r.maxRssKb}`);
      const other = await run('git', ['--version']);
      assert.equal(other.maxRssKb, undefined);
    } finally {
      delete process.env.GP_BENCH_NO_GNU_TIME;
    }
  });

  it('reports a missing command instead of throwing', async () => {
    const r = await run('gp-bench-no-such-command', []);
    assert.ok(r.error || r.code !== 0);
  });

  it('kills a process that outlives its timeout', async () => {
    const r = await run(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.match(r.error, /timed out/);
    assert.ok(r.ms < 30_000);
  });
});

describe('planted secrets', () => {
  it('computes CRC-32 as zlib does, with and without zlib.crc32', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(crc32Table(Buffer.from('123456789')), 0xcbf43926);
    for (let i = 0; i < 20; i++) {
      const s = Math.random().toString(36).repeat(i);
      assert.equal(crc32Table(Buffer.from(s)), crc32(s));
    }
  });

  it('writes base62 in GitHub order, padded to 6 digits', () => {
    assert.equal(BASE62.slice(0, 11), '0123456789A');
    assert.equal(base62(0), '000000');
    assert.equal(base62(61), '00000z');
    assert.equal(base62(62), '000010');
    assert.equal(base62(0xffffffff), '4gfFC3');
  });

  it('makes GitHub classic tokens whose checksum verifies, and spots a tampered one', () => {
    for (let i = 0; i < 50; i++) {
      const t = githubClassicToken();
      assert.equal(t.length, 40);
      assert.match(t, /^ghp_[0-9A-Za-z]{36}$/);
      assert.ok(githubChecksumOk(t));
      const flipped = t.slice(0, 10) + (t[10] === 'a' ? 'b' : 'a') + t.slice(11);
      assert.equal(githubChecksumOk(flipped), false);
    }
  });

  it('writes one secret per planted file in its family format, and negatives', () => {
    const dir = path.join(tmp, 'planted');
    const corpus = writePlantedCorpus(dir, 2);
    assert.equal(corpus.planted.length, Object.keys(FAMILIES).length * 2);
    assert.equal(new Set(corpus.planted.map((p) => p.file)).size, corpus.planted.length);
    const shapes = {
      'aws-access-key-id': /AKIA[A-Z2-7]{16}\b/,
      'github-classic-token': /ghp_[0-9A-Za-z]{36}\b/,
      'gitlab-pat': /glpat-[0-9A-Za-z]{20}\b/,
      'slack-bot-token': /xoxb-\d{12}-\d{13}-[0-9A-Za-z]{24}\b/,
      'stripe-live-key': /sk_live_[0-9A-Za-z]{24,99}\b/,
      'private-key-pem': /-----BEGIN [A-Z ]*PRIVATE KEY-----\n[\s\S]{64,}-----END [A-Z ]*PRIVATE KEY-----/,
      'postgres-dsn': /postgres:\/\/app:[0-9A-Za-z]{20}@/,
      'generic-api-key': /api_key = "[0-9A-Za-z]{40}"/,
    };
    for (const { file, family } of corpus.planted) assert.match(readFileSync(path.join(dir, file), 'utf8'), shapes[family], `${family} in ${file}`);
    // Two runs never plant the same value.
    const again = writePlantedCorpus(path.join(tmp, 'planted2'), 1);
    const a = readFileSync(path.join(dir, corpus.planted[0].file), 'utf8');
    const b = readFileSync(path.join(tmp, 'planted2', again.planted[0].file), 'utf8');
    assert.notEqual(a, b);
    assert.ok(corpus.negatives.length >= 5);
  });

  it('scores recall per family from the files a tool reported, whatever their path form', () => {
    const corpus = { planted: [{ file: 'a/x.go', family: 'f1' }, { file: 'b.env', family: 'f1' }, { file: 'c.pem', family: 'f2' }], negatives: ['n.go'] };
    const reported = ['/w/p/a/x.go', './c.pem', 'n.go', 'a\\x.go'].map((f) => corpusRelative('/w/p', f));
    const s = scoreRecall(corpus, reported);
    assert.equal(s.found, 2);
    assert.equal(s.recall, 0.667);
    assert.deepEqual(s.perFamily, { f1: { planted: 2, found: 1 }, f2: { planted: 1, found: 1 } });
    assert.deepEqual(s.falsePositiveFiles, ['n.go']);
  });
});

describe('RESULTS.md', () => {
  it('renders a run where nothing could be measured, saying why', () => {
    const md = renderResults({
      date: '2026-01-01T00:00:00Z',
      command: 'npm run bench -- --quick',
      machine: { cores: 2 },
      cli: { path: 'dist/cli.js', na: 'dist/cli.js missing (run npm run bundle first)' },
      gitleaks: { na: 'gitleaks could not be installed' },
      corpora: { 'go-src': { name: 'go-src', na: 'copy failed' } },
      checklist: { 'go-src': { na: 'harness error: boom' } },
      secrets: { fzf: { textMB: 1, textFiles: 3, ours: { na: 'secrets check skip (not implemented yet)' }, gitleaks: { na: 'gitleaks could not be installed' } } },
      recall: { na: 'x' },
      findings: { fzf: { na: 'dist/cli.js missing' } },
      options: { runs: 1 },
    });
    assert.match(md, /dist\/cli\.js missing/);
    assert.match(md, /n\/a \(secrets check skip \(not implemented yet\)\)/);
    assert.match(md, /### False alarms to fix\n\nNone\./);
  });

  it('lists unexplained errors under false alarms and explained ones apart', () => {
    const md = renderResults({
      date: '2026-01-01T00:00:00Z',
      command: 'x',
      machine: {},
      cli: {},
      corpora: {},
      findings: {
        prometheus: {
          conclusion: 'failure',
          ms: 1000,
          checks: { 'mod-tidy': { status: 'fail', error: 1, warning: 0, notice: 0 } },
          errors: [
            { check: 'mod-tidy', message: 'go.mod is not tidy', file: 'go.mod', line: 3 },
            { check: 'mod-verify', message: 'proxy said 403', explained: 'proxy refuses it' },
          ],
        },
      },
    });
    const [falseAlarms, rest] = md.split('### Checks that could not complete');
    assert.match(falseAlarms, /prometheus \/ `mod-tidy` at `go\.mod:3`: go\.mod is not tidy/);
    assert.doesNotMatch(falseAlarms, /403/);
    assert.match(rest, /proxy refuses it/);
  });
});

describe('redaction', () => {
  it('replaces the proxy URL, its host and the checksum database name with placeholders', async () => {
    const { makeRedactor } = await import('../lib/util.mjs');
    const r = makeRedactor({ GOPROXY: 'https://mirror.example.test/go,direct', GOSUMDB: 'sums.example.test+abcd1234' });
    const s = r('reading https://mirror.example.test/go/golang.org/x/net/@v/list: 403; verifying via sums.example.test; mirror.example.test down');
    assert.doesNotMatch(s, /example\.test/);
    assert.match(s, /reading \$GOPROXY\/golang\.org\/x\/net/);
    assert.match(s, /<GOSUMDB host>/);
    assert.equal(makeRedactor({ GOPROXY: 'off', GOSUMDB: 'off' })('unchanged'), 'unchanged');
  });
});
