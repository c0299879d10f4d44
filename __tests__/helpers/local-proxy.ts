// A module proxy on 127.0.0.1 serving a temp directory in the GOPROXY protocol layout, so tests
// get go's real answers to 403/404/410 and unreachable proxies without the network.
// Module zips are made by `git archive` (go accepts them), so no zip library is needed.

import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GIT_ENV, tempDir, writeFiles } from './repo.js';

export interface LocalProxy {
  url: string;
  dir: string;
  close(): Promise<void>;
  /** Publish MOD@VER: go.mod text, files for the zip (omit `zip` to serve .info/.mod only: the zip is a 404). */
  publish(mod: string, version: string, goModText: string, files?: Record<string, string>): Promise<void>;
}

/** Paths containing one of these segments answer with that status. */
export type StatusRules = Record<string, number>;

export async function startLocalProxy(rules: StatusRules = {}): Promise<LocalProxy> {
  const dir = await tempDir('gp-proxy');
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    for (const [seg, status] of Object.entries(rules)) {
      if (p.includes(`/${seg}/`)) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status === 403 ? 'forbidden by policy' : `not found: ${p}`);
        return;
      }
    }
    const file = path.join(dir, ...p.split('/').filter((s) => s && s !== '..'));
    fs.readFile(file).then(
      (b) => {
        res.writeHead(200);
        res.end(b);
      },
      () => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(`not found: ${p}`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    async publish(mod, version, goModText, files) {
      const v = path.join(dir, ...mod.split('/'), '@v');
      await fs.mkdir(v, { recursive: true });
      await fs.writeFile(path.join(v, `${version}.mod`), goModText);
      await fs.writeFile(path.join(v, `${version}.info`), JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }));
      const listFile = path.join(v, 'list');
      const list = await fs.readFile(listFile, 'utf8').catch(() => '');
      await fs.writeFile(listFile, `${list}${version}\n`);
      if (files) {
        const src = await tempDir('gp-proxy-src');
        await writeFiles(src, { 'go.mod': goModText, ...files });
        const git = (...args: string[]) => execFileSync('git', args, { cwd: src, env: { ...process.env, ...GIT_ENV }, stdio: 'ignore' });
        git('init', '-q');
        git('add', '-A');
        git('commit', '-q', '-m', 'x');
        git('archive', '--format=zip', `--prefix=${mod}@${version}/`, '-o', path.join(v, `${version}.zip`), 'HEAD');
      }
    },
  };
}

/** A port nobody listens on (a server bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The environment for go against a local proxy: private cache, no checksum DB, no private globs. */
export function proxyEnv(proxyUrl: string, cache: string): Record<string, string | undefined> {
  return {
    GOPROXY: proxyUrl,
    GOMODCACHE: cache,
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOFLAGS: '-modcacherw',
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
  };
}
