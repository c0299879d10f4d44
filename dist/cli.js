#!/usr/bin/env node
import { promises } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { V as VERSION, r as runPreflight, A as ALL_CHECKS, a as renderText, b as renderSarif, c as renderMarkdown, d as renderJson } from './chunks/version-Cnnpzh4q.js';
import { g as getErrorMessage, r as renderJsonSchema, C as ConfigurationError, s as splitList, p as parseTarget, a as parseCheckList } from './chunks/config-HnYcnVtJ.js';
import 'node:crypto';
import 'node:url';
import './chunks/scan-file-DT1vfABN.js';
import 'node:os';
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
  --cache-dir DIR          keep the secret scan's results per git blob in DIR, so a re-run
                           scans only changed files
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

async function runCli(argv, io) {
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
  const logger = createConsoleLogger({ verbose: !!v.verbose, write: io.stderr });
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
    };
    if (overrides.targets?.length === 0) throw new ConfigurationError('--targets is empty', '--targets');
    const dir = path.resolve(io.cwd, parsed.positionals[0] ?? '.');
    const progress = createProgress({ write: io.stderr, isTTY: io.stderrIsTTY, enabled: !io.env.CI || io.stderrIsTTY });
    const { report, settings } = await runPreflight(
      { dir, configFile: v.config !== undefined ? path.resolve(io.cwd, v.config) : undefined, overrides, checks: io.checks ?? ALL_CHECKS },
      {
        logger,
        env: io.env,
        onCheckStart: progress.start,
        onCheckEnd: progress.end,
        signal: io.signal,
        ci: v['cache-dir'] !== undefined ? { cache: createDirCacheStore(path.resolve(io.cwd, v['cache-dir'])) } : undefined,
      },
    );
    progress.done();
    const color = !v.output && io.stdoutIsTTY && !io.env.NO_COLOR && format === 'text';
    const out = renderReport(report, format, color, !!v.verbose);
    if (v.output) {
      const file = path.resolve(io.cwd, v.output);
      await promises.mkdir(path.dirname(file), { recursive: true });
      await promises.writeFile(file, out);
      io.stderr(`go-preflight: ${report.conclusion}; report written to ${v.output}\n`);
    } else io.stdout(out);
    if (report.conclusion === 'failure' && settings.mode !== 'warn') return 1;
    return 0;
  } catch (e) {
    if (e instanceof ConfigurationError) {
      io.stderr(`go-preflight: ${e.message}\n`);
      return 2;
    }
    io.stderr(`go-preflight: internal error: ${getErrorMessage(e)}\n`);
    if (v.verbose && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return 1;
  }
}

// The go-preflight command. All logic is in cli/main.ts.

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  env: process.env,
  cwd: process.cwd(),
});
//# sourceMappingURL=cli.js.map
