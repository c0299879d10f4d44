// The go-preflight command. All logic is in cli/main.ts.
import { runCli } from './cli/main.js';
import { exitOnSignals } from './core/process.js';

// Ctrl-C or a cancelled job: end every go/git/compiler process group we started, exit 130/143.
exitOnSignals();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  env: process.env,
  cwd: process.cwd(),
});
