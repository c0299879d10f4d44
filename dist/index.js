import { promises } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { g as getInput, i as info, d as debug, s as setSecret, a as startGroup, e as endGroup, b as setOutput$1, c as setFailed, f as error, w as warning, n as notice } from './chunks/core-DEi4EHRe.js';
import { j as reasonOf, k as present, l as compareByLocation, S as SEVERITIES, n as formatNumber, t as truncateChars, u as utf8Bytes, o as truncateUtf8, q as prefixedPath, s as position, p as parseShard, v as runProcess, w as runGit, A as ALL_CHECKS, r as runPreflight, b as redactText, a as redactReport, d as renderText, g as renderJson, e as renderSarif, V as VERSION, f as renderMarkdown, h as describeIoError, x as expandGlob, m as mergeReports, c as readReports, y as findGitRoot, i as exitOnSignals } from './chunks/version-D2cXIUEz.js';
import { C as ConfigurationError, p as parseEnforceList, s as splitList, a as parseTarget, b as parseCheckList, g as getErrorMessage } from './chunks/config-D7jD1qAz.js';
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
import './chunks/scan-file-Djet_NeU.js';
import 'node:child_process';

/** GitHub's caps per annotation (Checks API): message 64 KB, title 255 characters. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TITLE_CHARS = 255;

/** mod-verify rules that mean a dependency is not what was published. */
const SECURITY_RULES = new Set(['gosum-mismatch', 'sumdb-mismatch', 'mod-cache-modified']);

/** Rank classes, lower first. */
const SECURITY = 0;
const BUILD = 1;
const COULD_NOT_RUN = 2;
const LOGGED = 3;
const TREE = 4;

function rankOf(checkId, f) {
  if (checkId === 'secrets') return SECURITY;
  if (checkId === 'mod-verify' && f.ruleId && SECURITY_RULES.has(f.ruleId)) return SECURITY;
  if (checkId === 'git-clean') return TREE;
  return BUILD;
}

function title(id, target, downgraded) {
  return truncateChars(`go-preflight: ${id}${target ? ` [${target}]` : ''}${downgraded ? ' (would fail)' : ''}`, MAX_TITLE_CHARS);
}

function fromFinding(check, f, pathPrefix) {
  const hint = present(f.hint);
  const commit = present(f.commit);
  let message = f.message;
  if (commit) message += ` (in commit ${commit.slice(0, 7)})`;
  if (f.downgraded) message = `Would fail the build check (downgraded to a warning by mode: warn or the check's level): ${message}`;
  if (hint) message += `\nFix: ${hint}`;
  const a = { level: f.severity, message, title: title(check.id, present(f.target), f.downgraded) };
  const file = present(f.file);
  if (file) {
    a.file = prefixedPath(pathPrefix, file);
    // A line or column means nothing without the file; GitHub ignores them then.
    const line = position(f.line);
    if (line) {
      a.startLine = line;
      const col = position(f.column);
      if (col) a.startColumn = col;
      const end = position(f.endLine);
      if (end && end > line) a.endLine = end;
    }
  }
  return a;
}

/** Keep the message under 64 KB; a `suffix` (the "N more" note) always survives the cut. */
function fitMessage(message, suffix = '') {
  const room = MAX_MESSAGE_BYTES - utf8Bytes(suffix);
  const body = utf8Bytes(message) <= room ? message : `${truncateUtf8(message, room - 3)}…`;
  return body + suffix;
}

/** One line, for core.setFailed. */
function oneLine(s) {
  return truncateChars(s.replace(/\s*[\r\n]+\s*/g, ' ').trim(), 1000);
}










function toAnnotations(report, opts = {}) {
  const perLevel = Math.max(0, Math.floor(opts.perLevel ?? 10));
  const candidates = [];
  let order = 0;
  const push = (c) => candidates.push({ ...c, order: order++ });

  // Checks that could not run, one annotation per cause ("`go` was not found" once, not per check).
  const byReason = new Map();
  for (const check of report?.checks ?? []) {
    if (check.status !== 'error') continue;
    const reason = reasonOf(check);
    const ids = byReason.get(reason);
    if (ids) ids.push(check.id);
    else byReason.set(reason, [check.id]);
  }
  const logged = (opts.logged ?? []).filter((l) => present(l.message));
  const seenLogged = new Set();
  for (const l of logged) {
    const message = l.message.trim();
    const key = `${l.level}\0${message}`;
    if (seenLogged.has(key)) continue;
    seenLogged.add(key);
    // A logged line that states a cause some checks could not run for absorbs their annotation.
    const absorbed = [];
    for (const [reason, ids] of byReason) {
      if (reason.length >= 8 && message.includes(reason)) {
        absorbed.push(...ids);
        byReason.delete(reason);
      }
    }
    const text = absorbed.length ? `${message} (checks that could not run: ${absorbed.join(', ')})` : message;
    push({
      level: l.level,
      rank: l.level === 'error' ? COULD_NOT_RUN : LOGGED,
      key,
      make: () => ({ level: l.level, message: text, title: 'go-preflight' }),
    });
  }
  for (const [reason, ids] of byReason) {
    push({
      level: 'error',
      rank: COULD_NOT_RUN,
      key: `error\0${reason}`,
      make: () => ({
        level: 'error',
        message: `go-preflight could not run ${ids.length === 1 ? 'check' : 'checks'} ${ids.join(', ')}: ${reason}`,
        title: title(ids.join(', ')),
      }),
    });
  }
  for (const check of report?.checks ?? []) {
    const findings = [...check.findings].sort(compareByLocation);
    for (const f of findings) {
      if (!SEVERITIES.includes(f.severity)) continue;
      push({ level: f.severity, rank: rankOf(check.id, f), key: '', make: () => fromFinding(check, f, opts.pathPrefix) });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order);

  const failure = present(opts.failure) ? oneLine(opts.failure) : undefined;
  const out = [];
  for (const level of SEVERITIES) {
    const room = Math.max(0, perLevel - (level === 'error' && failure ? 1 : 0));
    const all = candidates.filter((c) => c.level === level);
    // Only the ones shown are built: a report may hold 100k findings.
    const list = all.slice(0, room).map((c) => c.make());
    const more = all.length - list.length;
    const note = `… and ${formatNumber(more)} more ${level}${more === 1 ? '' : 's'}: see the job summary`;
    list.forEach((a, i) => {
      const isLastCut = more > 0 && i === list.length - 1;
      out.push({ ...a, message: fitMessage(a.message, isLastCut ? `\n${note}` : '') });
    });
    if (level === 'error' && failure) {
      // The failure line is one line; when no other error is shown, it carries the note itself.
      const text = more > 0 && list.length === 0 ? `${failure} (${note})` : failure;
      out.push({ level: 'error', message: text, title: 'go-preflight', failure: true });
    }
  }
  return out;
}

/** The one-line cause the step fails with: which checks failed or could not run. */
function failureLine(report) {
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const errored = report.checks.filter((c) => c.status === 'error').map((c) => c.id);
  const parts = [failed.length ? `${failed.join(', ')} failed` : '', errored.length ? `${errored.join(', ')} could not run` : ''].filter(Boolean);
  return `go-preflight: ${parts.join('; ') || 'failure'}; the annotations above and the job summary say where and how to fix`;
}

// A CacheStore backed by @actions/cache, loaded only when used (it is large: the Azure SDK).
// @actions/cache keys a cache by its paths too, so we always save and restore one fixed directory
// under RUNNER_TEMP and copy to and from the directory a check works in. Caches are immutable:
// a key can be saved once, so each run saves under `<key>-<run id>-<attempt>` and a restore takes
// the newest entry whose key starts with `<key>-`.





/**
 * Whether the cache service can be used. Not available is normal and worth a debug line only:
 * a runner without the cache service (GHES without it, `ACTIONS_CACHE_URL` unset) or
 * `@github/local-action`, whose `@actions/cache` stub has no `isFeatureAvailable` at all.
 */
function cacheAvailable(cache, debug = () => {}) {
  if (typeof cache.isFeatureAvailable !== 'function') {
    debug('the Actions cache is not available here (no isFeatureAvailable in @actions/cache): results are not cached');
    return false;
  }
  let ok = false;
  try {
    ok = cache.isFeatureAvailable();
  } catch {
    ok = false;
  }
  if (!ok) debug('the Actions cache service is not available on this runner: results are not cached');
  return ok;
}

function createActionsCacheStore(env, debug = () => {}) {
  const stable = path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-cache');
  return {
    async restore(key, dir) {
      const cache = await import('./chunks/cache-JmYnL_Wr.js');
      if (!cacheAvailable(cache, debug)) return false;
      await promises.mkdir(stable, { recursive: true });
      const hit = await cache.restoreCache([stable], key, [`${key}-`]);
      if (!hit) return false;
      await promises.cp(stable, dir, { recursive: true });
      return true;
    },
    async save(key, dir) {
      const cache = await import('./chunks/cache-JmYnL_Wr.js');
      if (!cacheAvailable(cache, debug)) return;
      await promises.rm(stable, { recursive: true, force: true });
      await promises.cp(dir, stable, { recursive: true });
      await cache.saveCache([stable], `${key}-${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? 1}`);
    },
  };
}

// The commits of the change a workflow run inspects, read from the event payload
// (GITHUB_EVENT_PATH): a pull request's base.sha..head.sha, a push's before..after. The secret scan
// reads the lines each of them adds. Nothing here touches the network.



const SHA_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const ZERO_RE = /^0+$/;

function sha(v) {
  return typeof v === 'string' && SHA_RE.test(v) ? v : undefined;
}

/** The change's commits from a parsed event payload, or undefined when the event has none. */
function changeCommitsFromEvent(eventName, event) {
  if (!event || typeof event !== 'object') return undefined;
  const e = event ;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = e.pull_request ;
    const base = sha(pr?.base?.sha);
    const head = sha(pr?.head?.sha);
    if (!head) return undefined;
    const count = typeof pr?.commits === 'number' && pr.commits > 0 ? pr.commits : undefined;
    return { source: 'pull_request', ...(base ? { base } : {}), head, ...(count ? { count } : {}) };
  }
  if (eventName === 'push') {
    const after = sha(e.after);
    if (!after || ZERO_RE.test(after)) return undefined; // a deleted branch: nothing was added
    const before = sha(e.before);
    const repo = e.repository ;
    const defaultBranch = typeof repo?.default_branch === 'string' && repo.default_branch && !repo.default_branch.startsWith('-') ? repo.default_branch : undefined;
    const count = Array.isArray(e.commits) && e.commits.length > 0 ? e.commits.length : undefined;
    if (!before || ZERO_RE.test(before)) return { source: 'push', head: after, ...(defaultBranch ? { defaultBranch } : {}), ...(count ? { count } : {}) };
    return { source: 'push', base: before, head: after, ...(count ? { count } : {}) };
  }
  return undefined;
}

/** Read GITHUB_EVENT_PATH; undefined when there is no payload or it cannot be read. */
async function readChangeCommits(env) {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    return changeCommitsFromEvent(env.GITHUB_EVENT_NAME, JSON.parse(await promises.readFile(env.GITHUB_EVENT_PATH, 'utf8')));
  } catch {
    return undefined;
  }
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
  shard: 'shard',
  mergeReports: 'merge-reports',
  enforce: 'enforce',
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
  const shard = getOptionalInput(INPUTS.shard);
  const mergeReports = getOptionalInput(INPUTS.mergeReports);
  if (shard !== undefined && mergeReports !== undefined) {
    throw new ConfigurationError('give either shard (run one shard) or merge-reports (merge the shards), not both', `input ${INPUTS.mergeReports}`);
  }
  const enforce = getOptionalInput(INPUTS.enforce);
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
      shard: shard !== undefined ? parseShard(shard, `input ${INPUTS.shard}`) : undefined,
      enforce: enforce !== undefined ? parseEnforceList(enforce, `input ${INPUTS.enforce}`) : undefined,
    },
    annotations: getOptionalBoolean(INPUTS.annotations) ?? true,
    summary: getOptionalBoolean(INPUTS.summary) ?? true,
    sarifFile: getOptionalInput(INPUTS.sarifFile),
    reportFile: getOptionalInput(INPUTS.reportFile),
    mergeReports,
  };
}

// Which files exist at the commit the job summary links at, so that an untracked or deleted file is
// never a dead link. `git ls-tree` reads objects only: it runs no filter, hook, fsmonitor or pager
// of the inspected repository.


/**
 * The files of `rev` under `dir`, relative to `dir` with forward slashes (what findings use), or
 * undefined when git cannot tell (not a repository, no commit yet, git missing): then the caller
 * links every file, as before.
 */
async function filesAtCommit(
  dir,
  env,
  rev = 'HEAD',
  exec = runProcess,
) {
  const r = await runGit(['ls-tree', '-r', '-z', '--name-only', '--end-of-options', rev], { exec, cwd: dir, env, timeoutMs: 30_000, maxOutputBytes: 64 * 1024 * 1024 });
  if (r.code !== 0 || r.truncated) return undefined;
  return new Set(r.stdout.split('\0').filter(Boolean));
}

// The GitHub Action adapter: inputs in; annotations, job summary, report files and outputs out.
// Everything else is the core's.


/**
 * The action's logger. Warnings and errors are not written when logged: every annotation the step
 * writes counts against GitHub's 10 per level, so they are kept and planned with the findings
 * (toAnnotations), most important first; what does not fit is written as a plain log line.
 * Every line is redacted first (a config value or a URL may hold a credential).
 */
function createActionLogger() {
  const logged = [];
  return {
    logged,
    debug: (m) => debug(redactText(m)),
    info: (m) => info(redactText(m)),
    warning: (m) => logged.push({ level: 'warning', message: redactText(m) }),
    error: (m) => logged.push({ level: 'error', message: redactText(m) }),
  };
}

/** Write the planned annotations; logged lines that did not fit the budget go to the log as text. */
function emitAnnotations(annotations, logged) {
  for (const a of annotations) {
    if (a.failure) {
      setFailed(a.message);
      continue;
    }
    const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn, endLine: a.endLine };
    if (a.level === 'error') error(a.message, props);
    else if (a.level === 'warning') warning(a.message, props);
    else notice(a.message, props);
  }
  const shown = annotations.map((a) => a.message);
  for (const l of logged) {
    if (!shown.some((m) => m.includes(l.message.trim()))) info(`go-preflight ${l.level} (not annotated: GitHub shows 10 per level): ${l.message}`);
  }
}

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
  const logger = createActionLogger();
  let annotated = { pathPrefix: '' };
  // Files and outputs the workflow asked for that could not be written (full disk, a directory in
  // the way): each is one error line, and the step fails, since later steps read them.
  const writeFailures = [];
  try {
    const s = getActionSettings();
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const dir = path.resolve(workspace, s.workingDirectory);
    const { report: rawReport, settings, gitRoot } = s.mergeReports !== undefined ? await mergeFromGlob(s.mergeReports, workspace, dir, s.overrides.mode) : await runPreflight(
      { dir, configFile: s.config, overrides: s.overrides, checks },
      {
        logger,
        env,
        ci: {
          baseRef: env.GITHUB_BASE_REF || undefined,
          commits: await readChangeCommits(env),
          maskSecret: (v) => setSecret(v),
          cache: s.overrides.cache !== false ? createActionsCacheStore(env, (m) => debug(m)) : undefined,
        },
        onCheckEnd: (r) => {
          if (r.status !== 'skip' || r.durationMs > 0) info(redactText(`${r.id}: ${r.status}${r.skipReason ? ` (${r.skipReason})` : ''} in ${r.durationMs} ms`));
        },
      },
    );

    // Every output below is rendered from the redacted report: no check can print a secret.
    const report = redactReport(rawReport);
    const prefix = pathPrefix(dir, env, gitRoot);
    const sha = await linkSha(env);
    const tracked = (sha ? await filesAtCommit(dir, env, sha) : undefined) ?? (await filesAtCommit(dir, env));
    const linkable = tracked ? (file) => tracked.has(file) : undefined;
    if (s.annotations) annotated = { report, pathPrefix: prefix };

    startGroup('go-preflight report');
    info(renderText(report, { color: false }));
    endGroup();

    const reportFile = path.resolve(workspace, s.reportFile ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-report.json'));
    if (await writeOutputFile(reportFile, () => renderJson(report), INPUTS.reportFile, writeFailures)) setOutput(OUTPUTS.reportFile, reportFile, writeFailures);

    if (s.sarifFile) {
      const sarifFile = path.resolve(workspace, s.sarifFile);
      const sarif = () => renderSarif(report, { toolVersion: VERSION, pathPrefix: prefix, linkable, informationUri: actionHome(env) });
      if (await writeOutputFile(sarifFile, sarif, INPUTS.sarifFile, writeFailures)) setOutput(OUTPUTS.sarifFile, sarifFile, writeFailures);
    }

    if (s.summary && env.GITHUB_STEP_SUMMARY) {
      const md = renderMarkdown(report, {
        serverUrl: env.GITHUB_SERVER_URL,
        repository: env.GITHUB_REPOSITORY,
        sha,
        pathPrefix: prefix,
        linkable,
      });
      // The summary is for people: a summary that cannot be written is a warning, and never turns
      // a passing run into a failure.
      try {
        await promises.appendFile(env.GITHUB_STEP_SUMMARY, md);
      } catch (e) {
        logger.warning(`go-preflight: the job summary could not be written to GITHUB_STEP_SUMMARY (${describeIoError(e)}); the report is in the log above`);
      }
    }

    setOutputs(report, writeFailures);
    const fails = report.conclusion === 'failure' && settings.mode !== 'warn';
    // The step fails through core.setFailed with a one-line cause; that line is one of the 10
    // error annotations, planned with the others so that it never pushes a finding or the
    // "… and N more" note out. A file that could not be written fails the step too.
    for (const w of writeFailures.slice(1)) logger.error(w);
    const failure = writeFailures[0] ?? (fails ? failureLine(report) : undefined);
    emitAnnotations(toAnnotations(s.annotations ? report : undefined, { pathPrefix: prefix, logged: logger.logged, failure }), logger.logged);
    if (!failure) {
      info(`go-preflight: ${report.conclusion}${settings.mode === 'warn' && report.conclusion === 'failure' ? ' (mode: warn, the step does not fail)' : ''}`);
    }
  } catch (e) {
    const cause = e instanceof ConfigurationError ? `go-preflight: ${e.message}` : `go-preflight: internal error: ${getErrorMessage(e).split('\n')[0]}`;
    // The findings are still annotated when writing an output failed after the run.
    emitAnnotations(toAnnotations(annotated.report, { pathPrefix: annotated.pathPrefix, logged: logger.logged, failure: redactText(cause) }), logger.logged);
    setOutput(OUTPUTS.conclusion, 'failure', []);
  }
}

/** The README of the action being run (rules' helpUri), when the runner says which it is. */
function actionHome(env) {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${repo}`;
}

/** `merge-reports`: the shards' JSON reports (downloaded artifacts) merged into one report. */
async function mergeFromGlob(glob, workspace, dir, mode) {
  const files = await expandGlob(glob, workspace);
  if (files.length === 0) throw new ConfigurationError(`no file matches "${glob}" (download the shards' report artifacts first)`, 'input merge-reports');
  info(`go-preflight: merging ${files.length} report${files.length === 1 ? '' : 's'}: ${files.map((f) => path.relative(workspace, f)).join(', ')}`);
  const report = mergeReports(await readReports(files));
  // Only what the adapter reads of the settings: the mode.
  const settings = { mode: mode ?? 'fail' } ;
  return { report, settings, gitRoot: await findGitRoot(dir) };
}

let outputFailed = false;
/**
 * core.setOutput appends to the GITHUB_OUTPUT file and throws when it cannot (full disk, a path
 * that is a directory): one error line for the first failure, false, never a stack trace.
 */
function setOutput(name, value, failures) {
  try {
    setOutput$1(name, value);
    return true;
  } catch (e) {
    if (!outputFailed) {
      outputFailed = true;
      const line = `go-preflight: the step outputs could not be written to GITHUB_OUTPUT (${describeIoError(e)})`;
      if (failures.length === 0 && name === OUTPUTS.conclusion) setFailed(line);
      else failures.push(line);
    }
    return false;
  }
}

/** Write a report file the workflow asked for; false (and one failure line) when it cannot be written. */
async function writeOutputFile(file, render, input, failures) {
  try {
    await promises.mkdir(path.dirname(file), { recursive: true });
    await promises.writeFile(file, render());
    return true;
  } catch (e) {
    failures.push(`go-preflight: input ${input}: cannot write ${file}: ${describeIoError(e)}`);
    return false;
  }
}

function setOutputs(report, failures) {
  setOutput(OUTPUTS.conclusion, report.conclusion, failures);
  setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','), failures);
  setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','), failures);
}

// The action's entry point. All logic is in action/main.ts.

// A cancelled workflow sends SIGINT, then SIGTERM: end every process group we started, exit 130/143.
exitOnSignals();

await run();
//# sourceMappingURL=index.js.map
