// The registry of live children behind the signal handlers: every process started through
// runProcess is known until it ends, and killAllProcesses ends each one with its process group.

import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOnSignals, killAllProcesses, liveProcessCount, runProcess } from '../../src/core/process.js';

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

(process.platform === 'linux' ? describe : describe.skip)('live process registry', () => {
  it('knows every running child and kills each one with its grandchildren', async () => {
    expect(liveProcessCount()).toBe(0);
    const d = mkdtempSync(path.join(os.tmpdir(), 'process-registry-'));
    try {
      // Each starts a grandchild, records its pid, then waits on it.
      const runs = ['a', 'b'].map((n) => runProcess('sh', ['-c', `sleep 600 & echo $! > '${d}/${n}.tmp'; mv '${d}/${n}.tmp' '${d}/${n}'; wait`]));
      while (!existsSync(path.join(d, 'a')) || !existsSync(path.join(d, 'b'))) await new Promise((r) => setTimeout(r, 20));
      const grandchildren = ['a', 'b'].map((n) => Number(readFileSync(path.join(d, n), 'utf8')));
      expect(liveProcessCount()).toBe(2);
      killAllProcesses();
      const results = await Promise.all(runs);
      expect(liveProcessCount()).toBe(0);
      for (const r of results) expect(r.code).toBeNull();
      for (const pid of grandchildren) {
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((res) => setTimeout(res, 20));
        expect(alive(pid)).toBe(false);
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('exitOnSignals: a signal kills the children, then exits 128+n', async () => {
    const codes: number[] = [];
    const remove = exitOnSignals((code) => codes.push(code));
    try {
      const run = runProcess('sleep', ['600']);
      while (liveProcessCount() < 1) await new Promise((r) => setTimeout(r, 20));
      process.emit('SIGTERM', 'SIGTERM');
      expect(codes).toEqual([143]);
      expect((await run).code).toBeNull();
      process.emit('SIGINT', 'SIGINT');
      expect(codes).toEqual([143, 130]);
    } finally {
      remove();
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
