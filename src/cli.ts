// The go-preflight command. All logic is in cli/main.ts.
import { describeIoError, runCli } from './cli/main.js';
import { exitOnSignals } from './core/process.js';

// Ctrl-C or a cancelled job: end every go/git/compiler process group we started, exit 130/143.
exitOnSignals();

// Writing the report can fail after the write call returned (a pipe whose reader left: `| head`,
// a full disk: `> /dev/full`): the stream then emits 'error', which would otherwise be an uncaught
// exception with a stack trace. One line on stderr and exit 2 instead.
let stdoutFailed = false;
process.stdout.on('error', (e) => {
  if (!stdoutFailed) {
    stdoutFailed = true;
    try {
      process.stderr.write(`go-preflight: cannot write the report to stdout: ${describeIoError(e)}\n`);
    } catch {
      /* stderr is gone too: nothing left to tell */
    }
  }
  process.exitCode = 2;
});
process.stderr.on('error', () => {
  /* nowhere left to report to; the exit code still says what happened */
});

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = stdoutFailed ? 2 : code;
