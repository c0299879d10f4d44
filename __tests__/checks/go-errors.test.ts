// The shared reading of go's module errors, on what the real `go` prints against a local module
// proxy (403, 404, 410, unreachable, GOPROXY=off, a dependency needing a newer Go).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { causeKey, describeGoError, goErrorHint, isDownloadFailure, parseGoError, parseGoErrors } from '../../src/checks/internal/go-errors.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { closedPort, proxyEnv, startLocalProxy, type LocalProxy } from '../helpers/local-proxy.js';

let proxy: LocalProxy;

beforeAll(async () => {
  proxy = await startLocalProxy({ gone: 410, forbidden: 403 });
  await proxy.publish('example.com/dep', 'v1.0.0', goMod('example.com/dep', '1.21'), { 'pkg/pkg.go': 'package pkg\n' });
  // v1.1.0: .info and .mod, but no zip (the proxy answers 404 for it).
  await proxy.publish('example.com/dep', 'v1.1.0', goMod('example.com/dep', '1.21'));
  // example.com/chain's cmd/gen imports example.com/lib/x, whose zip the proxy lacks.
  await proxy.publish('example.com/lib', 'v1.2.0', goMod('example.com/lib', '1.21'));
  await proxy.publish('example.com/chain', 'v1.0.0', goMod('example.com/chain', '1.21', 'require example.com/lib v1.2.0'), {
    'cmd/gen/main.go': 'package main\n\nimport _ "example.com/lib/x"\n\nfunc main() {}\n',
  });
  await proxy.publish('example.com/newgo', 'v1.0.0', goMod('example.com/newgo', '1.99'), { 'pkg/pkg.go': 'package pkg\n' });
});

afterAll(async () => {
  await proxy?.close();
  await cleanupTempDirs();
});

async function go(dir: string, args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...proxyEnv(proxy.url, await tempDir('gp-cache')), ...extra })) if (v !== undefined) env[k] = v;
  // Asynchronous: the proxy answers from this very process.
  return new Promise((resolve) => {
    execFile('go', args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const TOOLS = (req: string, imp: string) => ({
  'go.mod': goMod('example.com/tools', '1.22', `require ${req}`),
  'tools.go': `//go:build tools\n\npackage tools\n\nimport _ "${imp}"\n`,
});

describe('parseGoError on real go output', () => {
  it('names the module the proxy does not serve (404), not the importing tools module', async () => {
    const dir = await makeRepo(TOOLS('example.com/dep v1.1.0', 'example.com/dep/pkg'), { git: false });
    const r = await go(dir, ['mod', 'tidy', '-diff']);
    expect(r.code).toBe(1);
    const errs = parseGoErrors(r.stderr);
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e).toMatchObject({ kind: 'not-found', module: 'example.com/dep', version: 'v1.1.0', package: 'example.com/dep/pkg', importer: 'example.com/tools', httpStatus: 404 });
    expect(describeGoError(e)).toBe('the proxy does not serve example.com/dep@v1.1.0 (404 Not Found)');
    const hint = goErrorHint(e, { goproxy: proxy.url, then: 'go mod tidy' });
    expect(hint).toContain('go list -m -versions example.com/dep');
    expect(hint).not.toContain('example.com/tools');
    expect(hint).not.toMatch(/import path/);
    expect(isDownloadFailure(e)).toBe(true);

    // `go mod download -json` (what mod-verify runs) reports the same cause: the same key.
    const dl = await go(dir, ['mod', 'download', '-json']);
    const obj = JSON.parse(dl.stdout) as { Path: string; Error: string; GoModSum: string };
    const fromDownload = parseGoError(obj.Error);
    expect(causeKey(fromDownload)).toBe('not-found example.com/dep@v1.1.0');
    expect(causeKey(fromDownload)).toBe(causeKey(e));

    // go list -e puts `MOD@VER: …` into the package's Error (once go.sum lets it try the zip).
    await fs.writeFile(path.join(dir, 'go.sum'), `example.com/dep v1.1.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/dep v1.1.0/go.mod ${obj.GoModSum}\n`);
    const list = await go(dir, ['list', '-e', '-deps', '-json=ImportPath,Error', '-tags=tools', './...']);
    const err = /"Err": "((?:[^"\\]|\\.)*)"/.exec(list.stdout)?.[1];
    expect(err).toBeDefined();
    expect(parseGoError(JSON.parse(`"${err!}"`) as string)).toMatchObject({ kind: 'not-found', module: 'example.com/dep', version: 'v1.1.0', httpStatus: 404 });
  });

  it('through an import chain, names the last importer and the module that failed', async () => {
    const dir = await makeRepo(
      {
        'go.mod': goMod('example.com/tools', '1.22', 'require (\n\texample.com/chain v1.0.0\n\texample.com/lib v1.2.0 // indirect\n)'),
        'tools.go': '//go:build tools\n\npackage tools\n\nimport _ "example.com/chain/cmd/gen"\n',
      },
      { git: false },
    );
    const r = await go(dir, ['mod', 'tidy', '-diff']);
    const e = parseGoErrors(r.stderr).find((x) => x.module === 'example.com/lib');
    expect(e).toMatchObject({ kind: 'not-found', version: 'v1.2.0', package: 'example.com/lib/x', importer: 'example.com/chain/cmd/gen', httpStatus: 404 });
  });

  it('reads 410 Gone and 403 Forbidden as the proxy not serving MOD@VER', async () => {
    const dir = await makeRepo(
      {
        'go.mod': goMod('example.com/app', '1.22', 'require (\n\texample.com/gone v1.0.0\n\texample.com/forbidden/x v1.0.0\n)'),
        'main.go': 'package main\n\nimport (\n\t_ "example.com/forbidden/x"\n\t_ "example.com/gone/pkg"\n)\n\nfunc main() {}\n',
      },
      { git: false },
    );
    const r = await go(dir, ['mod', 'tidy', '-diff']);
    const errs = parseGoErrors(r.stderr);
    const byMod = new Map(errs.map((e) => [e.module, e]));
    expect(byMod.get('example.com/gone')).toMatchObject({ kind: 'not-found', version: 'v1.0.0', httpStatus: 410, package: 'example.com/gone/pkg', importer: 'example.com/app' });
    expect(byMod.get('example.com/forbidden/x')).toMatchObject({ kind: 'not-found', version: 'v1.0.0', httpStatus: 403 });
    expect(describeGoError(byMod.get('example.com/gone')!)).toBe('the proxy does not serve example.com/gone@v1.0.0 (410 Gone)');
    expect(describeGoError(byMod.get('example.com/forbidden/x')!)).toBe('the proxy does not serve example.com/forbidden/x@v1.0.0 (403 Forbidden)');
  });

  it('tells a package no module provides from a module version the proxy lacks', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/app'), 'main.go': 'package main\n\nimport _ "example.com/nosuchmod/pkg"\n\nfunc main() {}\n' }, { git: false });
    const r = await go(dir, ['mod', 'tidy', '-diff']);
    const [e] = parseGoErrors(r.stderr);
    expect(e).toMatchObject({ kind: 'no-module', package: 'example.com/nosuchmod/pkg', importer: 'example.com/app', httpStatus: 404 });
    expect(e!.module).toBeUndefined();
    expect(causeKey(e!)).toBeUndefined();
    expect(goErrorHint(e!, { goproxy: proxy.url })).toContain('Fix the import path of example.com/nosuchmod/pkg');
  });

  it('GOPROXY=off: the module comes from the requirement that provides the package', async () => {
    const dir = await makeRepo(TOOLS('example.com/dep v1.1.0', 'example.com/dep/pkg'), { git: false });
    const r = await go(dir, ['mod', 'tidy', '-diff'], { GOPROXY: 'off' });
    const [e] = parseGoErrors(r.stderr, [{ path: 'example.com/dep', version: 'v1.1.0' }]);
    expect(e).toMatchObject({ kind: 'offline', module: 'example.com/dep', version: 'v1.1.0', moduleFromRequires: true, package: 'example.com/dep/pkg' });
    expect(describeGoError(e!)).toBe('example.com/dep@v1.1.0 is not in the module cache and downloads are disabled (GOPROXY=off)');
  });

  it('an unreachable proxy is a network failure of the named module', async () => {
    const dir = await makeRepo(TOOLS('example.com/dep v1.1.0', 'example.com/dep/pkg'), { git: false });
    const r = await go(dir, ['mod', 'tidy', '-diff'], { GOPROXY: `http://127.0.0.1:${await closedPort()}` });
    const [e] = parseGoErrors(r.stderr);
    expect(e).toMatchObject({ kind: 'network', module: 'example.com/dep', version: 'v1.1.0' });
    expect(e!.httpStatus).toBeUndefined();
  });

  it('a dependency that needs a newer Go names the dependency and the modules check', async () => {
    const dir = await makeRepo(TOOLS('example.com/newgo v1.0.0', 'example.com/newgo/pkg'), { git: false });
    const tidy = await go(dir, ['mod', 'tidy', '-diff']);
    const [e] = parseGoErrors(tidy.stderr);
    expect(e).toMatchObject({ kind: 'too-new', module: 'example.com/newgo', version: 'v1.0.0' });
    expect(describeGoError(e!)).toBe('example.com/newgo@v1.0.0 requires a newer Go (requires go >= 1.99)');
    expect(goErrorHint(e!, { goproxy: proxy.url })).toContain('see the modules check');
    const dl = await go(dir, ['mod', 'download']);
    const [d] = parseGoErrors(dl.stderr);
    expect(causeKey(d!)).toBe(causeKey(e!));
  });

  it('reads the `go: PKG: MOD@VER: …` and `file.go:L:C: MOD@VER: …` shapes', () => {
    const e = parseGoError('go: go.example/collector/cmd/githubgen: go.example/collector/cmd/githubgen@v0.1.0: reading https://u:secret@proxy.example/x/@v/v0.1.0.zip: 404 Not Found\n\tserver response: not found');
    expect(e).toMatchObject({ kind: 'not-found', module: 'go.example/collector/cmd/githubgen', version: 'v0.1.0', package: 'go.example/collector/cmd/githubgen', httpStatus: 404 });
    expect(e.raw).not.toContain('secret');
    const b = parseGoError('main.go:3:8: example.com/dep@v1.1.0: reading http://127.0.0.1:1/example.com/dep/@v/v1.1.0.zip: 404 Not Found');
    expect(b).toMatchObject({ kind: 'not-found', module: 'example.com/dep', version: 'v1.1.0' });
  });
});
