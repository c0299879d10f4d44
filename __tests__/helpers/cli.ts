// Runs the command line in the test process (runCli, the same code as dist/cli.js) and captures
// what it writes. One helper for every test that drives the CLI.

import { runCli, type CliIo } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `go-preflight ARGS` with NO_COLOR=1 on top of process.env, then `env` (a variable set to
 * undefined is removed), in `cwd` (default: the test's working directory).
 */
export async function runCliCaptured(args: readonly string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, NO_COLOR: '1', ...(opts.env ?? {}) },
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await runCli([...args], io);
  return { code, stdout, stderr };
}
