// The action's entry point. All logic is in action/main.ts.
import { run } from './action/main.js';

await run();
