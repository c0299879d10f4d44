// The core logs through this interface; the action backs it with @actions/core, the CLI with
// stderr, tests with a recorder.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** Writes to stderr (stdout holds only the report). */
export function createConsoleLogger(opts: { verbose?: boolean; write?: (s: string) => void } = {}): Logger {
  const write = opts.write ?? ((s: string) => process.stderr.write(s));
  return {
    debug: (m) => {
      if (opts.verbose) write(`debug: ${m}\n`);
    },
    info: (m) => write(`${m}\n`),
    warning: (m) => write(`warning: ${m}\n`),
    error: (m) => write(`error: ${m}\n`),
  };
}

export interface RecordedLine {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
}

export interface RecordingLogger extends Logger {
  lines: RecordedLine[];
}

export function createRecordingLogger(): RecordingLogger {
  const lines: RecordedLine[] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warning: (message) => lines.push({ level: 'warning', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {}, error() {} };
