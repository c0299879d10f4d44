// The command line adapter: flags in, report out. stdout holds only the report; progress, logs
// and errors go to stderr, so `--format json | jq` works.
//
// Exit codes: 0 success or warning (or anything with --mode warn), 1 failure, 2 bad usage or
// configuration.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_CHECKS } from '../checks/index.js';
import { parseCheckList, parseEnforceList, parseTarget, renderJsonSchema, splitList, type Overrides } from '../core/config.js';
import { ConfigurationError, getErrorMessage } from '../core/errors.js';
import { describeIoError } from '../core/io-errors.js';
import { createConsoleLogger } from '../core/logger.js';
import { runPreflight } from '../core/preflight.js';
import { mergeReports, readReports } from '../core/merge.js';
import { parseShard } from '../core/shard.js';
import type { ChangeCommits, Check, CheckId, CiFacts, Mode, Report } from '../core/types.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { redactReport, redactText } from '../report/redact.js';
import { renderText } from '../report/text.js';
import { VERSION } from '../version.js';
import { createDirCacheStore } from './cache.js';
import { createProgress } from './progress.js';

export const USAGE = `Usage: go-preflight [options] [DIR]
       go-preflight merge [--format F] [--output FILE] [--mode fail|warn] REPORT.json...

Tells you before \`go build\` why the build is going to fail, where, and how to fix it.
DIR defaults to the current directory.

Options:
  --checks ID,...          run only these checks
  --skip ID,...            run all checks but these
  --targets GOOS/GOARCH,...  targets to check (default: the configured ones, else go env GOOS/GOARCH)
  --packages PATTERN,...   packages the build compiles (default: the configured ones, else ./...)
  --config FILE            config file (default: .github/go-preflight.yml)
  --mode fail|warn         warn: exit 0 whatever is found
  --fail-fast              stop at the first failing check
  --go-version VERSION     the Go version the build should use (like setup-go's go-version)
  --go-version-file FILE   file that names it (go.mod, go.work, .go-version, .tool-versions)
  --since REF              also scan for secrets the lines every commit in REF..HEAD added
                           (a secret added then deleted is still in the history)
  --history                also scan every commit reachable from any ref (as gitleaks git)
  --enforce ID,...|all     checks the repository's own config files cannot weaken (level,
                           options, timeout, mode/on-error warn; for secrets also its
                           .gitleaks.toml allowlists, .gitleaksignore and baseline)
  --cache-dir DIR          keep the secret scan's results per git blob in DIR, so a re-run
                           scans only changed files
  --shard I/N              do shard I of N of the module-level work (a CI matrix); repo-wide
                           checks run in shard 1. Combine the shards' --format json reports
                           with \`go-preflight merge\`
  --format text|json|markdown|sarif   report format (default text)
  --output FILE            write the report to FILE instead of stdout
  --verbose                debug logging on stderr
  --print-config-schema    print the JSON Schema of the config file
  --version, --help

Check ids: toolchain, go-env, mod-verify, mod-tidy, vendor, modules, git-clean, targets,
packages, cgo, secrets.
Exit codes: 0 success or warning (or --mode warn), 1 failure, 2 bad usage or configuration.`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout / stderr are terminals (colour and the live progress line). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  checks?: Partial<Record<CheckId, Check>>;
  signal?: AbortSignal;
}

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export function renderReport(report: Report, format: Format, color: boolean, verbose = false): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report, { toolVersion: VERSION });
    case 'text':
      return renderText(report, { color, verbose });
  }
}

/** `--output` must name a file that can be written: checked before the run, not after minutes of checks. */
async function checkOutputPath(cwd: string, output: string): Promise<string> {
  if (output.trim() === '') throw new ConfigurationError('is empty: name the report file', '--output');
  const file = path.resolve(cwd, output);
  const st = await fs.stat(file).catch(() => undefined);
  if (st?.isDirectory()) throw new ConfigurationError(`${output} is a directory: name a file to write the report to`, '--output');
  if (st && !st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) throw new ConfigurationError(`${output} is not a regular file`, '--output');
  return file;
}

export { describeIoError };

/** The report to `--output` (already checked by checkOutputPath) or stdout; a failed write is one line, exit 2. */
async function writeReport(io: CliIo, out: string, outputFile: string | undefined, shown: string | undefined): Promise<void> {
  if (outputFile) {
    try {
      await fs.mkdir(path.dirname(outputFile), { recursive: true });
      await fs.writeFile(outputFile, out);
    } catch (e) {
      throw new ConfigurationError(`cannot write the report to ${shown ?? outputFile}: ${describeIoError(e)}`, '--output');
    }
    return;
  }
  try {
    io.stdout(out);
  } catch (e) {
    throw new ConfigurationError(`cannot write the report to stdout: ${describeIoError(e)}`);
  }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'merge') return runMerge(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        checks: { type: 'string' },
        skip: { type: 'string' },
        targets: { type: 'string' },
        packages: { type: 'string' },
        config: { type: 'string' },
        mode: { type: 'string' },
        'fail-fast': { type: 'boolean' },
        'go-version': { type: 'string' },
        'go-version-file': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        'print-config-schema': { type: 'boolean' },
        'cache-dir': { type: 'string' },
        shard: { type: 'string' },
        since: { type: 'string' },
        history: { type: 'boolean' },
        enforce: { type: 'string' },
      },
    });
  } catch (e) {
    // parseArgs messages are one line, e.g. "Unknown option '--chekcs'".
    io.stderr(`go-preflight: ${getErrorMessage(e).split('\n')[0]} (see go-preflight --help)\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (v['print-config-schema']) {
    io.stdout(renderJsonSchema(io.checks ?? ALL_CHECKS));
    return 0;
  }
  if (v.version) {
    io.stdout(`go-preflight ${VERSION}\n`);
    return 0;
  }
  // Log lines and error messages may quote a config value or a URL: redacted like the report.
  const logger = createConsoleLogger({ verbose: !!v.verbose, write: (s) => io.stderr(redactText(s)) });
  try {
    if (parsed.positionals.length > 1) throw new ConfigurationError(`expected at most one DIR, got ${parsed.positionals.join(' ')}`);
    const format = (v.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new ConfigurationError(`--format must be one of ${FORMATS.join(', ')} (got "${v.format}")`);
    if (v.mode !== undefined && v.mode !== 'fail' && v.mode !== 'warn') throw new ConfigurationError(`--mode must be fail or warn (got "${v.mode}")`);
    const overrides: Overrides = {
      source: 'flag',
      checks: v.checks !== undefined ? parseCheckList(v.checks, '--checks') : undefined,
      skip: v.skip !== undefined ? parseCheckList(v.skip, '--skip') : undefined,
      targets: v.targets !== undefined ? splitList(v.targets).map((t) => parseTarget(t, '--targets')) : undefined,
      packages: v.packages !== undefined ? splitList(v.packages) : undefined,
      mode: v.mode as Mode | undefined,
      failFast: v['fail-fast'] ? true : undefined,
      goVersion: v['go-version'],
      goVersionFile: v['go-version-file'],
      shard: v.shard !== undefined ? parseShard(v.shard, '--shard') : undefined,
      enforce: v.enforce !== undefined ? parseEnforceList(v.enforce, '--enforce') : undefined,
    };
    if (v.since !== undefined && v.history) throw new ConfigurationError('--since and --history cannot be used together: --history already scans every commit');
    if (v.since !== undefined && (!v.since.trim() || v.since.trim().startsWith('-'))) throw new ConfigurationError(`--since needs a git ref (got "${v.since}")`, '--since');
    const commits: ChangeCommits | undefined = v.history ? { source: 'history' } : v.since !== undefined ? { source: 'since', base: v.since.trim(), head: 'HEAD' } : undefined;
    const ci: CiFacts = {
      ...(v['cache-dir'] !== undefined ? { cache: createDirCacheStore(path.resolve(io.cwd, v['cache-dir'])) } : {}),
      ...(commits ? { commits } : {}),
    };
    if (overrides.targets?.length === 0) throw new ConfigurationError('--targets is empty', '--targets');
    const outputFile = v.output !== undefined ? await checkOutputPath(io.cwd, v.output) : undefined;
    const dir = path.resolve(io.cwd, parsed.positionals[0] ?? '.');
    const progress = createProgress({ write: io.stderr, isTTY: io.stderrIsTTY, enabled: !io.env.CI || io.stderrIsTTY });
    const { report: rawReport, settings } = await runPreflight(
      { dir, configFile: v.config !== undefined ? path.resolve(io.cwd, v.config) : undefined, overrides, checks: io.checks ?? ALL_CHECKS },
      {
        logger,
        env: io.env,
        onCheckStart: progress.start,
        onCheckEnd: progress.end,
        signal: io.signal,
        ci,
      },
    );
    progress.done();
    // Every format is rendered from the redacted report: no check can print a secret.
    const report = redactReport(rawReport);
    const color = !outputFile && io.stdoutIsTTY && !io.env.NO_COLOR && format === 'text';
    const out = renderReport(report, format, color, !!v.verbose);
    await writeReport(io, out, outputFile, v.output);
    if (outputFile) io.stderr(`go-preflight: ${report.conclusion}; report written to ${v.output}\n`);
    if (report.conclusion === 'failure' && settings.mode !== 'warn') return 1;
    return 0;
  } catch (e) {
    if (e instanceof ConfigurationError) {
      io.stderr(`go-preflight: ${redactText(e.message)}\n`);
      return 2;
    }
    io.stderr(`go-preflight: internal error: ${redactText(getErrorMessage(e))}\n`);
    if (v.verbose && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return 1;
  }
}


/** `go-preflight merge REPORT.json...`: one report from the JSON reports of a matrix's shards. */
async function runMerge(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string' }, output: { type: 'string' }, mode: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.stderr(`go-preflight merge: ${getErrorMessage(e).split('\n')[0]} (see go-preflight --help)\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const format = (v.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new ConfigurationError(`--format must be one of ${FORMATS.join(', ')} (got "${v.format}")`);
    if (v.mode !== undefined && v.mode !== 'fail' && v.mode !== 'warn') throw new ConfigurationError(`--mode must be fail or warn (got "${v.mode}")`);
    if (parsed.positionals.length === 0) throw new ConfigurationError('merge: give the JSON reports of every shard (go-preflight merge shard-*.json)');
    const outputFile = v.output !== undefined ? await checkOutputPath(io.cwd, v.output) : undefined;
    // Shard reports are files a job downloaded: redacted again, like every report rendered here.
    const report = redactReport(mergeReports(await readReports(parsed.positionals.map((f) => path.resolve(io.cwd, f)))));
    const color = !outputFile && io.stdoutIsTTY && !io.env.NO_COLOR && format === 'text';
    await writeReport(io, renderReport(report, format, color), outputFile, v.output);
    if (outputFile) io.stderr(`go-preflight: ${report.conclusion}; merged report written to ${v.output}\n`);
    return report.conclusion === 'failure' && v.mode !== 'warn' ? 1 : 0;
  } catch (e) {
    if (e instanceof ConfigurationError) {
      io.stderr(`go-preflight merge: ${e.message}\n`);
      return 2;
    }
    io.stderr(`go-preflight merge: internal error: ${getErrorMessage(e)}\n`);
    return 1;
  }
}
