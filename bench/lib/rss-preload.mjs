// Loaded with `node --import` only when GNU time is missing: the child records its own peak RSS
// (KiB) at exit so the harness still has a memory figure for the node process.
import { writeFileSync } from 'node:fs';

const file = process.env.GP_BENCH_RSS_FILE;
if (file) {
  delete process.env.GP_BENCH_RSS_FILE;
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // A missing figure is reported as n/a; never fail the measured run for it.
    }
  });
}
