#!/usr/bin/env node
import { promises } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { V as VERSION, p as parseShard, r as runPreflight, A as ALL_CHECKS, a as redactReport, b as redactText, m as mergeReports, c as readReports, d as renderText, e as renderSarif, f as renderMarkdown, g as renderJson, h as describeIoError, i as exitOnSignals } from './chunks/version-D2cXIUEz.js';
import { g as getErrorMessage, r as renderJsonSchema, C as ConfigurationError, p as parseEnforceList, s as splitList, a as parseTarget, b as parseCheckList } from './chunks/config-D7jD1qAz.js';
import 'node:crypto';
import 'node:url';
import 'node:os';
import 'node:zlib';
import './chunks/scan-file-Djet_NeU.js';
import 'node:buffer';
import 'node:worker_threads';
import 'node:child_process';

// The core logs through this interface; the action backs it with @actions/core, the CLI with
// stderr, tests with a recorder.








/** Writes to stderr (stdout holds only the report). */
function createConsoleLogger(opts = {}) {
  const write = opts.write ?? ((s) => process.stderr.write(s));
  return {
    debug: (m) => {
      if (opts.verbose) write(`debug: ${m}\n`);
    },
    info: (m) => write(`${m}\n`),
    warning: (m) => write(`warning: ${m}\n`),
    error: (m) => write(`error: ${m}\n`),
  };
}

// A CacheStore in a local directory, for `--cache-dir`: the secret scan's per-blob results survive
// between runs on a developer machine or a CI system without the Actions cache.



/** Keys become directory names: keep them to a safe alphabet. */
function entry(root, key) {
  return path.join(root, key.replace(/[^\w.-]/g, '_'));
}

function createDirCacheStore(root) {
  return {
    async restore(key, dir) {
      const from = entry(root, key);
      try {
        await promises.access(from);
      } catch {
        return false;
      }
      await promises.cp(from, dir, { recursive: true });
      return true;
    },
    async save(key, dir) {
      const to = entry(root, key);
      // Write beside, then swap, so that a run stopped half way never leaves a torn entry.
      const tmp = `${to}.tmp-${process.pid}`;
      await promises.rm(tmp, { recursive: true, force: true });
      await promises.mkdir(path.dirname(tmp), { recursive: true });
      await promises.cp(dir, tmp, { recursive: true });
      await promises.rm(to, { recursive: true, force: true });
      await promises.rename(tmp, to);
    },
  };
}

function createProgress(opts) {
  const running = new Set();
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

// The command line adapter: flags in, report out. stdout holds only the report; progress, logs
// and errors go to stderr, so `--format json | jq` works.
//
// Exit codes: 0 success or warning (or anything with --mode warn), 1 failure, 2 bad usage or
// configuration.


const USAGE = `Usage: go-preflight [options] [DIR]
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













const FORMATS = ['text', 'json', 'markdown', 'sarif'] ;


function renderReport(report, format, color, verbose = false) {
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
async function checkOutputPath(cwd, output) {
  if (output.trim() === '') throw new ConfigurationError('is empty: name the report file', '--output');
  const file = path.resolve(cwd, output);
  const st = await promises.stat(file).catch(() => undefined);
  if (st?.isDirectory()) throw new ConfigurationError(`${output} is a directory: name a file to write the report to`, '--output');
  if (st && !st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) throw new ConfigurationError(`${output} is not a regular file`, '--output');
  return file;
}

/** The report to `--output` (already checked by checkOutputPath) or stdout; a failed write is one line, exit 2. */
async function writeReport(io, out, outputFile, shown) {
  if (outputFile) {
    try {
      await promises.mkdir(path.dirname(outputFile), { recursive: true });
      await promises.writeFile(outputFile, out);
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

async function runCli(argv, io) {
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
    const format = (v.format ?? 'text') ;
    if (!FORMATS.includes(format)) throw new ConfigurationError(`--format must be one of ${FORMATS.join(', ')} (got "${v.format}")`);
    if (v.mode !== undefined && v.mode !== 'fail' && v.mode !== 'warn') throw new ConfigurationError(`--mode must be fail or warn (got "${v.mode}")`);
    const overrides = {
      source: 'flag',
      checks: v.checks !== undefined ? parseCheckList(v.checks, '--checks') : undefined,
      skip: v.skip !== undefined ? parseCheckList(v.skip, '--skip') : undefined,
      targets: v.targets !== undefined ? splitList(v.targets).map((t) => parseTarget(t, '--targets')) : undefined,
      packages: v.packages !== undefined ? splitList(v.packages) : undefined,
      mode: v.mode ,
      failFast: v['fail-fast'] ? true : undefined,
      goVersion: v['go-version'],
      goVersionFile: v['go-version-file'],
      shard: v.shard !== undefined ? parseShard(v.shard, '--shard') : undefined,
      enforce: v.enforce !== undefined ? parseEnforceList(v.enforce, '--enforce') : undefined,
    };
    if (v.since !== undefined && v.history) throw new ConfigurationError('--since and --history cannot be used together: --history already scans every commit');
    if (v.since !== undefined && (!v.since.trim() || v.since.trim().startsWith('-'))) throw new ConfigurationError(`--since needs a git ref (got "${v.since}")`, '--since');
    const commits = v.history ? { source: 'history' } : v.since !== undefined ? { source: 'since', base: v.since.trim(), head: 'HEAD' } : undefined;
    const ci = {
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
async function runMerge(argv, io) {
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
    const format = (v.format ?? 'text') ;
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

// The go-preflight command. All logic is in cli/main.ts.

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
//# sourceMappingURL=cli.js.map
