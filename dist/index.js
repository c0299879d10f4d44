import { promises } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { g as getInput, i as info, s as setSecret, a as startGroup, e as endGroup, b as error, w as warning, n as notice, c as setOutput, d as setFailed, f as debug } from './chunks/core-DHdfAaK-.js';
import { e as compareByLocation, S as SEVERITIES, f as formatNumber, u as utf8Bytes, t as truncateUtf8, g as reasonOf, p as present, h as prefixedPath, i as position, j as truncateChars, A as ALL_CHECKS, r as runPreflight, a as renderText, d as renderJson, b as renderSarif, V as VERSION, c as renderMarkdown } from './chunks/version-Cnnpzh4q.js';
import { C as ConfigurationError, s as splitList, p as parseTarget, a as parseCheckList, g as getErrorMessage } from './chunks/config-HnYcnVtJ.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';
import 'node:crypto';
import './chunks/scan-file-DT1vfABN.js';
import 'node:child_process';

/** GitHub's caps per annotation (Checks API): message 64 KB, title 255 characters. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TITLE_CHARS = 255;

function title(check, target) {
  return truncateChars(`go-preflight: ${check.id}${target ? ` [${target}]` : ''}`, MAX_TITLE_CHARS);
}

function fromFinding(check, f, pathPrefix) {
  const hint = present(f.hint);
  const a = {
    level: f.severity,
    message: hint ? `${f.message}\nFix: ${hint}` : f.message,
    title: title(check, present(f.target)),
  };
  const file = present(f.file);
  if (file) {
    a.file = prefixedPath(pathPrefix, file);
    // A line or column means nothing without the file; GitHub ignores them then.
    const line = position(f.line);
    if (line) {
      a.startLine = line;
      const col = position(f.column);
      if (col) a.startColumn = col;
    }
  }
  return a;
}

function fromErroredCheck(check) {
  return {
    level: 'error',
    message: `go-preflight could not run check ${check.id}: ${reasonOf(check)}`,
    title: title(check),
  };
}

/** Keep the message under 64 KB; a `suffix` (the "N more" note) always survives the cut. */
function fitMessage(message, suffix = '') {
  const room = MAX_MESSAGE_BYTES - utf8Bytes(suffix);
  const body = utf8Bytes(message) <= room ? message : `${truncateUtf8(message, room - 3)}…`;
  return body + suffix;
}

function toAnnotations(report, opts = {}) {
  const perLevel = Math.max(0, Math.floor(opts.perLevel ?? 10));
  const shown = { error: [], warning: [], notice: [] };
  const total = { error: 0, warning: 0, notice: 0 };
  const add = (level, make) => {
    total[level]++;
    // Only the ones shown are built: a report may hold 100k findings.
    if (shown[level].length < perLevel) shown[level].push(make());
  };
  // Check order as in the report, then file/line inside a check (the sort is stable).
  for (const check of report.checks) {
    if (check.status === 'error') add('error', () => fromErroredCheck(check));
    const findings = [...check.findings].sort(compareByLocation);
    for (const f of findings) {
      if (!(f.severity in total)) continue;
      add(f.severity, () => fromFinding(check, f, opts.pathPrefix));
    }
  }

  const out = [];
  for (const level of SEVERITIES) {
    const list = shown[level];
    const more = total[level] - list.length;
    list.forEach((a, i) => {
      const isLastCut = more > 0 && i === list.length - 1;
      const note = isLastCut ? `\n… and ${formatNumber(more)} more ${level}${more === 1 ? '' : 's'}: see the job summary` : '';
      out.push({ ...a, message: fitMessage(a.message, note) });
    });
  }
  return out;
}

// A CacheStore backed by @actions/cache, loaded only when used (it is large: the Azure SDK).
// @actions/cache keys a cache by its paths too, so we always save and restore one fixed directory
// under RUNNER_TEMP and copy to and from the directory a check works in. Caches are immutable:
// a key can be saved once, so each run saves under `<key>-<run id>-<attempt>` and a restore takes
// the newest entry whose key starts with `<key>-`.



function createActionsCacheStore(env) {
  const stable = path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-cache');
  return {
    async restore(key, dir) {
      const cache = await import('./chunks/cache-DNJV3KGG.js');
      if (!cache.isFeatureAvailable()) return false;
      await promises.mkdir(stable, { recursive: true });
      const hit = await cache.restoreCache([stable], key, [`${key}-`]);
      if (!hit) return false;
      await promises.cp(stable, dir, { recursive: true });
      return true;
    },
    async save(key, dir) {
      const cache = await import('./chunks/cache-DNJV3KGG.js');
      if (!cache.isFeatureAvailable()) return;
      await promises.rm(stable, { recursive: true, force: true });
      await promises.cp(dir, stable, { recursive: true });
      await cache.saveCache([stable], `${key}-${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? 1}`);
    },
  };
}

// The only module that reads action inputs. Unset inputs become undefined, never ''.



/** Input names, in one place (action.yml declares the same). */
const INPUTS = {
  workingDirectory: 'working-directory',
  checks: 'checks',
  skip: 'skip',
  targets: 'targets',
  packages: 'packages',
  config: 'config',
  mode: 'mode',
  failFast: 'fail-fast',
  goVersion: 'go-version',
  goVersionFile: 'go-version-file',
  annotations: 'annotations',
  summary: 'summary',
  sarifFile: 'sarif-file',
  reportFile: 'report-file',
  cache: 'cache',
} ;

const OUTPUTS = {
  conclusion: 'conclusion',
  failedChecks: 'failed-checks',
  warnedChecks: 'warned-checks',
  reportFile: 'report-file',
  sarifFile: 'sarif-file',
} ;


















function getOptionalInput(name) {
  const v = getInput(name).trim();
  return v === '' ? undefined : v;
}

function getOptionalBoolean(name) {
  const v = getOptionalInput(name);
  if (v === undefined) return undefined;
  if (/^(true|yes|on|1)$/i.test(v)) return true;
  if (/^(false|no|off|0)$/i.test(v)) return false;
  throw new ConfigurationError(`must be true or false (got "${v}")`, `input ${name}`);
}

function getActionSettings() {
  const mode = getOptionalInput(INPUTS.mode);
  if (mode !== undefined && mode !== 'fail' && mode !== 'warn') {
    throw new ConfigurationError(`must be fail or warn (got "${mode}")`, `input ${INPUTS.mode}`);
  }
  const checks = getOptionalInput(INPUTS.checks);
  const skip = getOptionalInput(INPUTS.skip);
  const targets = getOptionalInput(INPUTS.targets);
  const packages = getOptionalInput(INPUTS.packages);
  return {
    workingDirectory: getOptionalInput(INPUTS.workingDirectory) ?? '.',
    config: getOptionalInput(INPUTS.config),
    overrides: {
      source: 'input',
      checks: checks !== undefined ? parseCheckList(checks, `input ${INPUTS.checks}`) : undefined,
      skip: skip !== undefined ? parseCheckList(skip, `input ${INPUTS.skip}`) : undefined,
      targets: targets !== undefined ? splitList(targets).map((t) => parseTarget(t, `input ${INPUTS.targets}`)) : undefined,
      packages: packages !== undefined ? splitList(packages) : undefined,
      mode: mode ,
      failFast: getOptionalBoolean(INPUTS.failFast),
      goVersion: getOptionalInput(INPUTS.goVersion),
      goVersionFile: getOptionalInput(INPUTS.goVersionFile),
      cache: getOptionalBoolean(INPUTS.cache),
    },
    annotations: getOptionalBoolean(INPUTS.annotations) ?? true,
    summary: getOptionalBoolean(INPUTS.summary) ?? true,
    sarifFile: getOptionalInput(INPUTS.sarifFile),
    reportFile: getOptionalInput(INPUTS.reportFile),
  };
}

// The GitHub Action adapter: inputs in; annotations, job summary, report files and outputs out.
// Everything else is the core's.


const actionsLogger = {
  debug: (m) => debug(m),
  info: (m) => info(m),
  warning: (m) => warning(m),
  error: (m) => error(m),
};

/** The commit the summary links files at: the PR head when there is one (GITHUB_SHA is a merge commit then). */
async function linkSha(env) {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await promises.readFile(env.GITHUB_EVENT_PATH, 'utf8')) ;
      if (event.pull_request?.head?.sha) return event.pull_request.head.sha;
    } catch {
      /* no event file: fall back */
    }
  }
  return env.GITHUB_SHA;
}

/** Annotation and link paths are relative to the repository root; findings are relative to the inspected dir. */
function pathPrefix(dir, env, gitRoot) {
  const root = gitRoot ?? env.GITHUB_WORKSPACE;
  if (!root) return '';
  const rel = path.relative(root, dir);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return '';
  return `${rel.split(path.sep).join('/')}/`;
}

async function run(checks = ALL_CHECKS) {
  const env = process.env;
  try {
    const s = getActionSettings();
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const dir = path.resolve(workspace, s.workingDirectory);
    const { report, settings, gitRoot } = await runPreflight(
      { dir, configFile: s.config, overrides: s.overrides, checks },
      {
        logger: actionsLogger,
        env,
        ci: {
          baseRef: env.GITHUB_BASE_REF || undefined,
          maskSecret: (v) => setSecret(v),
          cache: s.overrides.cache !== false ? createActionsCacheStore(env) : undefined,
        },
        onCheckEnd: (r) => {
          if (r.status !== 'skip' || r.durationMs > 0) info(`${r.id}: ${r.status}${r.skipReason ? ` (${r.skipReason})` : ''} in ${r.durationMs} ms`);
        },
      },
    );

    const prefix = pathPrefix(dir, env, gitRoot);

    startGroup('go-preflight report');
    info(renderText(report, { color: false }));
    endGroup();

    if (s.annotations) {
      for (const a of toAnnotations(report, { pathPrefix: prefix })) {
        const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn };
        if (a.level === 'error') error(a.message, props);
        else if (a.level === 'warning') warning(a.message, props);
        else notice(a.message, props);
      }
    }

    const reportFile = path.resolve(workspace, s.reportFile ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-report.json'));
    await promises.mkdir(path.dirname(reportFile), { recursive: true });
    await promises.writeFile(reportFile, renderJson(report));
    setOutput(OUTPUTS.reportFile, reportFile);

    if (s.sarifFile) {
      const sarifFile = path.resolve(workspace, s.sarifFile);
      await promises.mkdir(path.dirname(sarifFile), { recursive: true });
      await promises.writeFile(sarifFile, renderSarif(report, { toolVersion: VERSION, pathPrefix: prefix }));
      setOutput(OUTPUTS.sarifFile, sarifFile);
    }

    if (s.summary && env.GITHUB_STEP_SUMMARY) {
      const md = renderMarkdown(report, {
        serverUrl: env.GITHUB_SERVER_URL,
        repository: env.GITHUB_REPOSITORY,
        sha: await linkSha(env),
        pathPrefix: prefix,
      });
      await promises.appendFile(env.GITHUB_STEP_SUMMARY, md);
    }

    setOutputs(report);
    if (report.conclusion === 'failure' && settings.mode !== 'warn') {
      // Not core.setFailed: it would add one more error annotation beyond GitHub's 10 per step and
      // push out a finding. The annotations and the summary already say what failed.
      const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
      info(`go-preflight: failure (${failed.join(', ')}); see the annotations and the job summary`);
      process.exitCode = 1;
    } else {
      info(`go-preflight: ${report.conclusion}${settings.mode === 'warn' && report.conclusion === 'failure' ? ' (mode: warn, the step does not fail)' : ''}`);
    }
  } catch (e) {
    if (e instanceof ConfigurationError) setFailed(`go-preflight: ${e.message}`);
    else setFailed(`go-preflight: internal error: ${getErrorMessage(e)}`);
    setOutput(OUTPUTS.conclusion, 'failure');
  }
}

function setOutputs(report) {
  setOutput(OUTPUTS.conclusion, report.conclusion);
  setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','));
  setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','));
}

// The action's entry point. All logic is in action/main.ts.

await run();
//# sourceMappingURL=index.js.map
