// packages: go list errors that are module download failures name the module that failed
// (issue 14 item 7), against a local module proxy.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { packagesCheck } from '../../src/checks/packages.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree, tempDir } from '../helpers/repo.js';
import { proxyEnv, startLocalProxy, type LocalProxy } from '../helpers/local-proxy.js';
import { runCheck } from '../helpers/run-check.js';

let proxy: LocalProxy;
const DEP_MOD = goMod('example.com/dep', '1.21');

/** go.sum's `h1:` hash of a go.mod file (dirhash Hash1 over the single file "go.mod"). */
function goModH1(text: string): string {
  const sum = `${createHash('sha256').update(text).digest('hex')}  go.mod\n`;
  return `h1:${createHash('sha256').update(sum).digest('base64')}`;
}

beforeAll(async () => {
  proxy = await startLocalProxy({ gone: 410 });
  await proxy.publish('example.com/dep', 'v1.1.0', DEP_MOD); // no zip: 404
});

afterAll(async () => {
  await proxy?.close();
  await cleanupTempDirs();
});

describe('packages: module download failures', () => {
  it('a package whose module zip the proxy does not serve names that module, at the import line', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/dep v1.1.0'),
      // The zip's hash is never checked: the download fails first.
      'go.sum': `example.com/dep v1.1.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/dep v1.1.0/go.mod ${goModH1(DEP_MOD)}\n`,
      'main.go': 'package main\n\nimport _ "example.com/dep/pkg"\n\nfunc main() {}\n',
    });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(packagesCheck, dir, { env: proxyEnv(proxy.url, await tempDir('gp-cache')) });
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'main.go', line: 3, column: 8 });
    expect(errors[0]!.message).toBe('the proxy does not serve example.com/dep@v1.1.0 (404 Not Found), so package example.com/dep/pkg cannot be loaded (imported by example.com/app)');
    expect(errors[0]!.hint).toContain('go list -m -versions example.com/dep');
    expect(errors[0]!.hint).not.toMatch(/import path/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('a required module the proxy no longer serves (410): the finding names it', async () => {
    const dir = await makeRepo({
      'go.mod': goMod('example.com/app', '1.22', 'require example.com/gone v1.0.0'),
      'go.sum': `example.com/gone v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/gone v1.0.0/go.mod ${goModH1(goMod('example.com/gone'))}\n`,
      'main.go': 'package main\n\nimport _ "example.com/gone/pkg"\n\nfunc main() {}\n',
    });
    const { result } = await runCheck(packagesCheck, dir, { env: proxyEnv(proxy.url, await tempDir('gp-cache')) });
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const f = errors.find((x) => x.message.includes('example.com/gone@v1.0.0'));
    expect(f).toBeDefined();
    expect(f!.message).toContain('the proxy does not serve example.com/gone@v1.0.0 (410 Gone)');
    expect(f!.hint).toContain('example.com/gone');
    expect(errors.map((x) => x.hint ?? '').filter((h) => /fix the import path/i.test(h))).toEqual([]);
  });
});
