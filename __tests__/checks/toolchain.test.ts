import { afterAll, describe, expect, it } from '@jest/globals';
import { satisfiesSpec, toolchainCheck } from '../../src/checks/toolchain.js';
import { selectToolchain } from '../../src/core/probe.js';
import { cleanupTempDirs, goMod, makeRepo, snapshotTree } from '../helpers/repo.js';
import { runCheck } from '../helpers/run-check.js';
import { execFileSync } from 'node:child_process';

afterAll(cleanupTempDirs);

// The Go these tests run with, e.g. go1.26.8 -> 1.26.8 and 1.26.
const running = execFileSync('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' }, encoding: 'utf8' }).trim();
const runningV = running.replace(/^go/, '').split(/[\s-]/)[0]!;
const lang = runningV.split('.').slice(0, 2).join('.');
const main = 'package main\n\nfunc main() {}\n';

describe('satisfiesSpec', () => {
  it('reads setup-go style specs with Go ordering', () => {
    expect(satisfiesSpec('go1.22.3', '1.22')).toBe(true);
    expect(satisfiesSpec('go1.22.3', '1.22.3')).toBe(true);
    expect(satisfiesSpec('go1.22.3', '1.22.2')).toBe(false);
    expect(satisfiesSpec('go1.22.3', '^1.21')).toBe(true);
    expect(satisfiesSpec('go1.22.3', '~1.22.4')).toBe(false);
    expect(satisfiesSpec('go1.22.3', '>=1.23')).toBe(false);
    expect(satisfiesSpec('go1.22.3', '1.22.x')).toBe(true);
    expect(satisfiesSpec('go1.22.3', 'stable')).toBeUndefined();
  });
});

describe('toolchain check', () => {
  it('passes when go.mod asks for the running Go or older', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/ok', lang), 'main.go': main });
    const { result } = await runCheck(toolchainCheck, dir);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  it('fails on a go line newer than the running Go, at the exact line', async () => {
    const dir = await makeRepo({ 'go.mod': 'module example.com/new\n\n// comment\ngo 1.99.0\n', 'main.go': main });
    const before = await snapshotTree(dir);
    const { result } = await runCheck(toolchainCheck, dir, { env: { GOTOOLCHAIN: 'local' } });
    expect(result.status).toBe('fail');
    const f = result.findings.find((x) => x.file === 'go.mod')!;
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 4, column: 1 });
    expect(f.message).toContain('requires go >= 1.99.0');
    expect(f.message).toContain(running);
    expect(f.hint).toContain('setup-go');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('fails with the cause when GOTOOLCHAIN=auto must switch to a Go that cannot be had', async () => {
    // go tries to download go1.99.0 as the build would: the proxy does not have it (or, offline,
    // cannot be reached). Either way every go command fails.
    const dir = await makeRepo({ 'go.mod': goMod('example.com/new', '1.99.0'), 'main.go': main });
    const { result } = await runCheck(toolchainCheck, dir, { env: { GOTOOLCHAIN: 'auto' } });
    const f = result.findings.find((x) => x.file === 'go.mod')!;
    expect(f).toMatchObject({ severity: 'error', ruleId: 'toolchain-unavailable', line: 3 });
    expect(f.message).toContain('GOTOOLCHAIN=auto makes go switch to go1.99.0');
  });

  it('selects the toolchain as go does', () => {
    expect(selectToolchain('local', 'go1.21.13', '1.22.0')).toBeUndefined();
    expect(selectToolchain('go1.22.1', 'go1.21.13', '1.23.0')).toBeUndefined();
    expect(selectToolchain('auto', 'go1.21.13', '1.21.0')).toBeUndefined();
    expect(selectToolchain('auto', 'go1.21.13', '1.22')).toEqual({ toolchain: 'go1.22.0', because: 'go 1.22' });
    expect(selectToolchain('local+auto', 'go1.21.13', '1.21', 'go1.22.3')).toEqual({ toolchain: 'go1.22.3', because: 'toolchain go1.22.3' });
    expect(selectToolchain('auto', 'go1.21.13', '1.23.1', 'go1.22.3')).toEqual({ toolchain: 'go1.23.1', because: 'go 1.23.1' });
    expect(selectToolchain('path', 'go1.21.13', '1.21', 'default')).toBeUndefined();
    expect(selectToolchain('go1.22.5+auto', 'go1.21.13', '1.21')).toEqual({ toolchain: 'go1.22.5', because: 'GOTOOLCHAIN=go1.22.5+auto' });
  });

  it('warns on a toolchain line newer than the running Go (advisory, not enforced)', async () => {
    const dir = await makeRepo({ 'go.mod': `module example.com/tc\n\ngo ${lang}\n\ntoolchain go1.99.1\n`, 'main.go': main });
    const { result } = await runCheck(toolchainCheck, dir, { env: { GOTOOLCHAIN: 'local' } });
    expect(result.status).toBe('warn');
    expect(result.findings[0]).toMatchObject({ severity: 'warning', file: 'go.mod', line: 5 });
    expect(result.findings[0]!.message).toContain('toolchain go1.99.1');
  });

  it('fails on an exact .go-version pin that differs, accepts an x.y pin', async () => {
    const bad = await makeRepo({ 'go.mod': goMod('example.com/pin', '1.21'), '.go-version': '\n1.21.5\n', 'main.go': main });
    const r1 = (await runCheck(toolchainCheck, bad)).result;
    expect(r1.status).toBe('fail');
    expect(r1.findings[0]).toMatchObject({ file: '.go-version', line: 2 });
    expect(r1.findings[0]!.message).toContain('.go-version asks for Go 1.21.5');

    const good = await makeRepo({ 'go.mod': goMod('example.com/pin', '1.21'), '.go-version': `${lang}\n`, 'main.go': main });
    expect((await runCheck(toolchainCheck, good)).result.status).toBe('pass');
  });

  it('reads the golang line of .tool-versions', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/tv', '1.21'), '.tool-versions': 'nodejs 20.1.0\ngolang 1.20.14\n', 'main.go': main });
    const { result } = await runCheck(toolchainCheck, dir);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: 'error', file: '.tool-versions', line: 2 });
  });

  it('honours the go-version input over files, and a go-version-file input', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/in', '1.21'), 'main.go': main, 'ci/go.txt': '1.19\n' });
    const r1 = (await runCheck(toolchainCheck, dir, { settings: { goVersion: '1.20' } })).result;
    expect(r1.findings[0]!.message).toContain('the go-version input asks for Go 1.20');
    const r2 = (await runCheck(toolchainCheck, dir, { settings: { goVersionFile: 'ci/go.txt' } })).result;
    expect(r2.findings[0]).toMatchObject({ file: 'ci/go.txt', line: 1 });
    const r3 = (await runCheck(toolchainCheck, dir, { settings: { goVersionFile: 'nope/.go-version' } })).result;
    expect(r3.findings[0]!.message).toContain('does not exist');
  });

  it('checks go.work and every workspace module', async () => {
    const dir = await makeRepo({
      'go.work': `go ${lang}\n\nuse (\n\t./app\n\t./lib\n)\n`,
      'app/go.mod': goMod('example.com/app', lang),
      'app/main.go': main,
      'lib/go.mod': goMod('example.com/lib', '1.99.0'),
      'lib/lib.go': 'package lib\n',
    });
    const { result } = await runCheck(toolchainCheck, dir, { env: { GOTOOLCHAIN: 'local' } });
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => f.file)).toEqual(['lib/go.mod']);
    expect(result.findings[0]!.line).toBe(3);
  });

  it('flags an invalid go line and an invalid GOTOOLCHAIN', async () => {
    const dir = await makeRepo({ 'go.mod': 'module example.com/bad\n\ngo 1.21.x\n', 'main.go': main });
    const { result } = await runCheck(toolchainCheck, dir, { env: { GOTOOLCHAIN: 'bash' } });
    const msgs = result.findings.map((f) => f.message).join('\n');
    expect(msgs).toContain('invalid go line');
    expect(msgs).toContain('GOTOOLCHAIN=bash is not a valid setting');
  });
});
