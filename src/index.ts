// The action's entry point. All logic is in action/main.ts.
import { run } from './action/main.js';
import { exitOnSignals } from './core/process.js';

// A cancelled workflow sends SIGINT, then SIGTERM: end every process group we started, exit 130/143.
exitOnSignals();

await run();
