// A check's timeout counts its own work, not the time it waits for a `go` process slot, and a
// check that times out reports what it finished.

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import os from 'node:os';
import { defaultSettings } from '../../src/core/config.js';
import { createGoRunner } from '../../src/core/go.js';
import { createRecordingLogger } from '../../src/core/logger.js';
import type { ProcessResult, ProcessRunner } from '../../src/core/process.js';
import { describeProgress, prepareRun, runChecks } from '../../src/core/runner.js';
import { CHECK_IDS, type Check } from '../../src/core/types.js';
import { createWorkClock } from '../../src/core/work-clock.js';
import { fakeGoDir, pathWith } from '../helpers/fake-go.js';
import { cleanupTempDirs, goMod, makeRepo } from '../helpers/repo.js';
import { testEnv } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

describe('work clock', () => {
  it('does not count time while every process of the check waits for a slot', () => {
    jest.useFakeTimers();
    try {
      let expired = 0;
      const clock = createWorkClock(1000, () => expired++);
      jest.advanceTimersByTime(400); // own work (JS) counts
      clock.queued(); // waits for a slot ...
      jest.advanceTimersByTime(10_000); // ... for a long time: not counted
      expect(expired).toBe(0);
      expect(clock.elapsedMs()).toBe(400);
      clock.started();
      clock.queued(); // a second process queued while one runs: the check is working
      jest.advanceTimersByTime(599);
      expect(expired).toBe(0);
      jest.advanceTimersByTime(1);
      expect(expired).toBe(1);
      clock.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('go runner slots', () => {
  it('holds a process back while free memory is low and one already runs, and tells the meter', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const exec: ProcessRunner = (command, args) =>
      new Promise<ProcessResult>((resolve) => {
        events.push(`run ${args.join(' ')}`);
        const done = () => resolve({ command, args, code: 0, stdout: '', stderr: '', durationMs: 0, timedOut: false, aborted: false, truncated: false });
        if (args[0] === 'first') release = done;
        else done();
      });
    let free = 64 * 1024 * 1024;
    const go = createGoRunner({ bin: '/bin/go', exec, baseEnv: {}, concurrency: 4, freeMemory: () => free });
    const meter = { queued: () => events.push('queued'), started: () => events.push('started'), ended: () => events.push('ended') };
    const first = go.withMeter(meter).run(['first'], { memo: false });
    const second = go.withMeter(meter).run(['second'], { memo: false });
    await new Promise((r) => setTimeout(r, 20));
    // The second waits (memory is low and the first runs); the meter hears it.
    expect(events.filter((e) => e.startsWith('run'))).toEqual(['run first']);
    expect(events.filter((e) => e === 'queued')).toHaveLength(1);
    free = 8 * 1024 * 1024 * 1024;
    release();
    await Promise.all([first, second]);
    expect(events.slice(-4)).toEqual(['ended', 'started', 'run second', 'ended']);
  });
});

describe('runner timeouts', () => {
  const files = { 'go.mod': goMod('example.com/t'), 'main.go': 'package main\n\nfunc main() {}\n' };

  it('does not time out a check that waited behind another check for every go slot', async () => {
    const dir = await makeRepo(files);
    // `go list -deps` hangs: the hog's processes take every slot until the hog times out.
    const fake = await fakeGoDir({ 'list -deps*': 'hang' });
    const env = testEnv({ PATH: pathWith(fake) });
    const settings = defaultSettings(dir);
    for (const id of CHECK_IDS) settings.checks[id].level = 'off';
    settings.checks.packages = { level: 'error', timeoutMs: 6000, options: {} };
    settings.checks.cgo = { level: 'error', timeoutMs: 2500, options: {} };
    const slots = Math.max(2, os.cpus().length);
    const hog: Check = {
      id: 'packages',
      title: 'Hog',
      needs: ['go'],
      run: async (ctx) => {
        await Promise.all(Array.from({ length: slots }, (_, i) => ctx.go.run(['list', '-deps', `./x${i}`], { cwd: dir, signal: ctx.signal, memo: false })));
        return { findings: [] };
      },
    };
    const waiter: Check = {
      id: 'cgo',
      title: 'Waiter',
      needs: ['go'],
      run: async (ctx) => {
        // Let the hog take the slots first.
        await new Promise((r) => setTimeout(r, 200));
        const r = await ctx.go.run(['env', 'GOVERSION'], { cwd: dir, signal: ctx.signal, memo: false });
        return { findings: r.code === 0 ? [] : [{ severity: 'error', message: `go env failed: ${r.stderr}` }] };
      },
    };
    const prepared = await prepareRun(settings, { env });
    settings.targets = [prepared.probe.host];
    const report = await runChecks(settings, { packages: hog, cgo: waiter }, { logger: createRecordingLogger(), env }, prepared);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.packages!.status).toBe('error');
    expect(byId.packages!.skipReason).toMatch(/timed out/);
    // Queued for ~6 s with a 2.5 s budget, yet its own work was short: it passes.
    expect(byId.cgo!.status).toBe('pass');
  });

  it('reports the findings and modules a timed-out check finished', async () => {
    const dir = await makeRepo(files);
    const settings = defaultSettings(dir);
    for (const id of CHECK_IDS) settings.checks[id].level = 'off';
    settings.checks['mod-verify'] = { level: 'error', timeoutMs: 300, options: {} };
    const slow: Check = {
      id: 'mod-verify',
      title: 'Slow',
      needs: [],
      run: async (ctx) => {
        ctx.progress?.plan(['a', 'b', 'c']);
        ctx.progress?.add([{ severity: 'error', message: 'bad in a', file: 'a/go.mod', line: 3, module: 'a' }], 'a');
        ctx.progress?.add([], 'b');
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return { findings: [] };
      },
    };
    const env = testEnv();
    const prepared = await prepareRun(settings, { env });
    const report = await runChecks(settings, { 'mod-verify': slow }, { logger: createRecordingLogger(), env }, prepared);
    const r = report.checks.find((c) => c.id === 'mod-verify')!;
    expect(r.status).toBe('error');
    expect(r.skipReason).toMatch(/^timed out after 300 ms .*; finished 2 of 3 modules; not finished: c$/);
    expect(r.findings).toEqual([{ severity: 'error', message: 'bad in a', file: 'a/go.mod', line: 3, module: 'a' }]);
  });

  it('describes progress briefly', () => {
    expect(describeProgress(['a'], new Set(['a']))).toBe('finished 1 of 1 module');
    expect(describeProgress(['a', 'b', 'c', 'd', 'e', 'f', 'g'], new Set())).toBe('finished 0 of 7 modules; not finished: a, b, c, d, e and 2 more');
  });
});
