// A live progress line on a terminal ("running mod-tidy, packages · 4/11 done"), and one line per
// finished check otherwise, all on stderr so stdout keeps only the report.

import type { CheckId, CheckResult } from '../core/types.js';

export interface Progress {
  start: (id: CheckId, title: string) => void;
  end: (r: CheckResult) => void;
  done: () => void;
}

export function createProgress(opts: { write: (s: string) => void; isTTY: boolean; enabled: boolean }): Progress {
  const running = new Set<string>();
  let finished = 0;
  let lastLen = 0;
  const draw = () => {
    if (!opts.isTTY || !opts.enabled) return;
    const line = running.size ? `running ${[...running].join(', ')} · ${finished} done` : '';
    opts.write(`\r${line.padEnd(lastLen)}\r${line}`);
    lastLen = line.length;
  };
  return {
    start: (id) => {
      running.add(id);
      draw();
    },
    end: (r) => {
      running.delete(r.id);
      if (r.status !== 'skip' || r.durationMs > 0) finished++;
      if (!opts.isTTY && opts.enabled && r.durationMs > 0) {
        opts.write(`go-preflight: ${r.id} ${r.status} (${r.durationMs} ms)\n`);
      }
      draw();
    },
    done: () => {
      if (opts.isTTY && opts.enabled && lastLen) opts.write(`\r${' '.repeat(lastLen)}\r`);
      lastLen = 0;
    },
  };
}
