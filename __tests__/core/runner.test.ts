import { afterAll, describe, expect, it } from '@jest/globals';
import { gitCleanCheck } from '../../src/checks/git-clean.js';
import { toolchainCheck } from '../../src/checks/toolchain.js';
import { conclusionOf, statusOf } from '../../src/core/runner.js';
import { CHECK_IDS, type Check } from '../../src/core/types.js';
import { fakeGoDir, pathWith, pathWithoutGo } from '../helpers/fake-go.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const files = { 'go.mod': goMod('example.com/r'), 'main.go': 'package main\n\nfunc main() {}\n' };

const failing: Check = {
  id: 'vendor',
  title: 'Failing',
  needs: [],
  run: async () => ({ findings: [{ severity: 'error', message: 'broken', file: 'go.mod', line: 1 }] }),
};
const warning: Check = { id: 'modules', title: 'Warning', needs: [], run: async () => ({ findings: [{ severity: 'warning', message: 'hmm' }] }) };
const crashing: Check = { id: 'targets', title: 'Crashing', needs: [], run: async () => { throw new Error('boom'); } };
const listing: Check = {
  id: 'packages',
  title: 'Lists packages',
  needs: ['go', 'module', 'loadable'],
  run: async (ctx) => {
    const r = await ctx.go.run(['list', '-json', './...'], { cwd: ctx.dir, signal: ctx.signal });
    return { findings: r.code === 0 ? [] : [{ severity: 'error', message: `go list failed: ${r.stderr.trim()}` }] };
  },
};

describe('statusOf / conclusionOf', () => {
  it('derive status and conclusion as the contract says', () => {
    expect(statusOf([])).toBe('pass');
    expect(statusOf([{ severity: 'notice', message: 'n' }])).toBe('pass');
    expect(statusOf([{ severity: 'warning', message: 'w' }])).toBe('warn');
    expect(statusOf([{ severity: 'warning', message: 'w' }, { severity: 'error', message: 'e' }])).toBe('fail');
    const c = (status: 'pass' | 'warn' | 'fail' | 'skip' | 'error') => ({ id: 'vendor' as const, title: '', status, durationMs: 0, findings: [] });
    expect(conclusionOf([c('pass'), c('skip')])).toBe('success');
    expect(conclusionOf([c('pass'), c('warn')])).toBe('warning');
    expect(conclusionOf([c('warn'), c('error')])).toBe('failure');
    // on-error: warn counts a check that could not complete as a warning, a real failure still fails.
    expect(conclusionOf([c('pass'), c('error')], 'warn')).toBe('warning');
    expect(conclusionOf([c('fail'), c('error')], 'warn')).toBe('failure');
  });
});

describe('runner', () => {
  it('reports every check id in contract order; missing ones as skip "not implemented yet"', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [failing]);
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.checks.find((c) => c.id === 'vendor')!.status).toBe('fail');
    expect(report.checks.find((c) => c.id === 'toolchain')).toMatchObject({ status: 'skip', skipReason: 'disabled in the configuration' });
    expect(report.conclusion).toBe('failure');
  });

  it('level warn downgrades errors; mode warn downgrades every check', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [failing, warning], {
      settings: { mode: 'fail' },
    });
    expect(report.conclusion).toBe('failure');
    const warned = await runChecksIn(dir, [failing, warning], { settings: { mode: 'warn' } });
    expect(warned.report.checks.find((c) => c.id === 'vendor')).toMatchObject({ status: 'warn' });
    expect(warned.report.checks.find((c) => c.id === 'vendor')!.findings[0]!.severity).toBe('warning');
    expect(warned.report.conclusion).toBe('warning');
  });

  it('turns a crash into status error with the reason, and keeps running the others', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [crashing, warning]);
    expect(report.checks.find((c) => c.id === 'targets')).toMatchObject({ status: 'error', skipReason: 'the check crashed: boom' });
    expect(report.checks.find((c) => c.id === 'modules')!.status).toBe('warn');
    expect(report.conclusion).toBe('failure');
  });

  it('on-error: warn makes a crashed check a warning for the conclusion, still reported as error', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [crashing, warning], { settings: { onError: 'warn' } });
    expect(report.checks.find((c) => c.id === 'targets')!.status).toBe('error');
    expect(report.conclusion).toBe('warning');
  });

  it('fail-fast skips what comes after the first failure, naming it', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [failing, warning, gitCleanCheck], { settings: { failFast: true } });
    expect(report.checks.find((c) => c.id === 'vendor')!.status).toBe('fail');
    expect(report.checks.find((c) => c.id === 'modules')).toMatchObject({ status: 'skip', skipReason: 'fail-fast: vendor failed' });
    expect(report.checks.find((c) => c.id === 'git-clean')).toMatchObject({ status: 'skip', skipReason: 'fail-fast: vendor failed' });
  });

  it('stops a check whose go command hangs: status error "timed out", process killed', async () => {
    const dir = await makeRepo(files);
    const fake = await fakeGoDir({ 'list -json ./...': 'hang' });
    const t0 = Date.now();
    const { report } = await runChecksIn(dir, [listing, warning], { env: { PATH: pathWith(fake) }, timeoutMs: 1500 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    const r = report.checks.find((c) => c.id === 'packages')!;
    expect(r.status).toBe('error');
    expect(r.skipReason).toMatch(/^timed out after 2 s/);
    expect(report.checks.find((c) => c.id === 'modules')!.status).toBe('warn');
  });

  it('reports a crashing go command as a finding, not a dead run', async () => {
    const dir = await makeRepo(files);
    const fake = await fakeGoDir({ 'list -json ./...': 'crash' });
    const { report } = await runChecksIn(dir, [listing], { env: { PATH: pathWith(fake) } });
    const r = report.checks.find((c) => c.id === 'packages')!;
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('panic: runtime error');
  });

  it('treats garbage from go env -json as go being unusable', async () => {
    const dir = await makeRepo(files);
    const fake = await fakeGoDir({ 'env -json': 'garbage' });
    const { report } = await runChecksIn(dir, [toolchainCheck, gitCleanCheck], { env: { PATH: pathWith(fake) } });
    const t = report.checks.find((c) => c.id === 'toolchain')!;
    expect(t.status).toBe('error');
    expect(t.skipReason).toContain('`go env -json` failed');
    expect(report.checks.find((c) => c.id === 'git-clean')!.status).toBe('pass');
  });

  it('without go on PATH: go checks are error with the reason, the others still run', async () => {
    const dir = await makeRepo(files);
    const { report } = await runChecksIn(dir, [toolchainCheck, listing, gitCleanCheck], { env: { PATH: pathWithoutGo(), GOROOT: undefined } });
    expect(report.checks.find((c) => c.id === 'toolchain')).toMatchObject({ status: 'error', skipReason: '`go` was not found on PATH' });
    expect(report.checks.find((c) => c.id === 'packages')).toMatchObject({ status: 'error', skipReason: '`go` was not found on PATH' });
    expect(report.checks.find((c) => c.id === 'git-clean')!.status).toBe('pass');
    expect(report.go.version).toBe('unknown');
  });

  it('skips module checks with the prerequisite when go.mod needs a newer Go', async () => {
    const dir = await makeRepo({ ...files, 'go.mod': goMod('example.com/r', '1.99.0') });
    const { report } = await runChecksIn(dir, [toolchainCheck, listing], { env: { GOTOOLCHAIN: 'local' } });
    expect(report.checks.find((c) => c.id === 'toolchain')!.status).toBe('fail');
    const p = report.checks.find((c) => c.id === 'packages')!;
    expect(p.status).toBe('skip');
    expect(p.skipReason).toMatch(/^prerequisite failed: go.mod requires go >= 1.99.0/);
  });

  it('never runs the same go command twice in a run', async () => {
    const dir = await makeRepo(files);
    const twin: Check = { ...listing, id: 'cgo', title: 'Twin' };
    const seen: string[][] = [];
    const { report } = await runChecksIn(dir, [listing, twin], {
      exec: async (cmd, args, opts) => {
        if (cmd.endsWith('go') || cmd.endsWith('go.exe')) seen.push([...args]);
        const { runProcess } = await import('../../src/core/process.js');
        return runProcess(cmd, args, opts);
      },
    });
    expect(report.checks.find((c) => c.id === 'cgo')!.status).toBe('pass');
    const keys = seen.map((a) => a.join(' '));
    expect(keys.filter((k) => k === 'list -json ./...')).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
