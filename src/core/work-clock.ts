// A check's timeout clock that runs only while the check works. A check whose `go` processes all
// wait for a slot (taken by other checks' processes) is queued, not working: with four targets
// on a 243-module repository, mod-verify used to time out at 300 s without having run a process.

import type { SlotMeter } from './go.js';

export interface WorkClock extends SlotMeter {
  /** Milliseconds counted so far. */
  elapsedMs(): number;
  /** Stop the clock for good (the check ended). */
  stop(): void;
}

/**
 * Counts time except while the check has processes waiting for a slot and none running; calls
 * `onExpire` once when the counted time reaches budgetMs.
 */
export function createWorkClock(budgetMs: number, onExpire: () => void, now: () => number = Date.now): WorkClock {
  let waiting = 0;
  let running = 0;
  let counted = 0;
  let since: number | undefined; // start of the current counting stretch
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const paused = () => waiting > 0 && running === 0;
  const update = () => {
    if (stopped) return;
    if (paused()) {
      if (since !== undefined) {
        counted += now() - since;
        since = undefined;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
    } else if (since === undefined) {
      since = now();
      timer = setTimeout(
        () => {
          stopped = true;
          onExpire();
        },
        Math.max(0, budgetMs - counted),
      );
    }
  };
  update();
  return {
    queued() {
      waiting++;
      update();
    },
    started() {
      waiting = Math.max(0, waiting - 1);
      running++;
      update();
    },
    ended() {
      running = Math.max(0, running - 1);
      update();
    },
    elapsedMs: () => counted + (since !== undefined ? now() - since : 0),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
