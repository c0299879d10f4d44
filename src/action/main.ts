// The GitHub Action adapter: inputs in; annotations, job summary, report files and outputs out.
// Everything else is the core's.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { ALL_CHECKS } from '../checks/index.js';
import { ConfigurationError, getErrorMessage } from '../core/errors.js';
import { describeIoError } from '../core/io-errors.js';
import type { Logger } from '../core/logger.js';
import { runPreflight, type PreflightResult } from '../core/preflight.js';
import { expandGlob, mergeReports, readReports } from '../core/merge.js';
import { findGitRoot } from '../core/fs-utils.js';
import type { Check, CheckId, Report } from '../core/types.js';
import { failureLine, toAnnotations, type Annotation, type LoggedLine } from '../report/annotations.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { redactReport, redactText } from '../report/redact.js';
import { renderText } from '../report/text.js';
import { VERSION } from '../version.js';
import { createActionsCacheStore } from './cache.js';
import { readChangeCommits } from './event.js';
import { getActionSettings, INPUTS, OUTPUTS } from './inputs.js';
import { filesAtCommit } from './tracked.js';

/**
 * The action's logger. Warnings and errors are not written when logged: every annotation the step
 * writes counts against GitHub's 10 per level, so they are kept and planned with the findings
 * (toAnnotations), most important first; what does not fit is written as a plain log line.
 * Every line is redacted first (a config value or a URL may hold a credential).
 */
function createActionLogger(): Logger & { logged: LoggedLine[] } {
  const logged: LoggedLine[] = [];
  return {
    logged,
    debug: (m) => core.debug(redactText(m)),
    info: (m) => core.info(redactText(m)),
    warning: (m) => logged.push({ level: 'warning', message: redactText(m) }),
    error: (m) => logged.push({ level: 'error', message: redactText(m) }),
  };
}

/** Write the planned annotations; logged lines that did not fit the budget go to the log as text. */
function emitAnnotations(annotations: Annotation[], logged: readonly LoggedLine[]): void {
  for (const a of annotations) {
    if (a.failure) {
      core.setFailed(a.message);
      continue;
    }
    const props: core.AnnotationProperties = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn, endLine: a.endLine };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
  const shown = annotations.map((a) => a.message);
  for (const l of logged) {
    if (!shown.some((m) => m.includes(l.message.trim()))) core.info(`go-preflight ${l.level} (not annotated: GitHub shows 10 per level): ${l.message}`);
  }
}

/** The commit the summary links files at: the PR head when there is one (GITHUB_SHA is a merge commit then). */
async function linkSha(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await fs.readFile(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { head?: { sha?: string } } };
      if (event.pull_request?.head?.sha) return event.pull_request.head.sha;
    } catch {
      /* no event file: fall back */
    }
  }
  return env.GITHUB_SHA;
}

/** Annotation and link paths are relative to the repository root; findings are relative to the inspected dir. */
function pathPrefix(dir: string, env: NodeJS.ProcessEnv, gitRoot?: string): string {
  const root = gitRoot ?? env.GITHUB_WORKSPACE;
  if (!root) return '';
  const rel = path.relative(root, dir);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return '';
  return `${rel.split(path.sep).join('/')}/`;
}

export async function run(checks: Partial<Record<CheckId, Check>> = ALL_CHECKS): Promise<void> {
  const env = process.env;
  const logger = createActionLogger();
  let annotated: { report?: Report; pathPrefix: string } = { pathPrefix: '' };
  // Files and outputs the workflow asked for that could not be written (full disk, a directory in
  // the way): each is one error line, and the step fails, since later steps read them.
  const writeFailures: string[] = [];
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
          maskSecret: (v) => core.setSecret(v),
          cache: s.overrides.cache !== false ? createActionsCacheStore(env, (m) => core.debug(m)) : undefined,
        },
        onCheckEnd: (r) => {
          if (r.status !== 'skip' || r.durationMs > 0) core.info(redactText(`${r.id}: ${r.status}${r.skipReason ? ` (${r.skipReason})` : ''} in ${r.durationMs} ms`));
        },
      },
    );

    // Every output below is rendered from the redacted report: no check can print a secret.
    const report = redactReport(rawReport);
    const prefix = pathPrefix(dir, env, gitRoot);
    const sha = await linkSha(env);
    const tracked = (sha ? await filesAtCommit(dir, env, sha) : undefined) ?? (await filesAtCommit(dir, env));
    const linkable = tracked ? (file: string) => tracked.has(file) : undefined;
    if (s.annotations) annotated = { report, pathPrefix: prefix };

    core.startGroup('go-preflight report');
    core.info(renderText(report, { color: false }));
    core.endGroup();

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
        await fs.appendFile(env.GITHUB_STEP_SUMMARY, md);
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
      core.info(`go-preflight: ${report.conclusion}${settings.mode === 'warn' && report.conclusion === 'failure' ? ' (mode: warn, the step does not fail)' : ''}`);
    }
  } catch (e) {
    const cause = e instanceof ConfigurationError ? `go-preflight: ${e.message}` : `go-preflight: internal error: ${getErrorMessage(e).split('\n')[0]}`;
    // The findings are still annotated when writing an output failed after the run.
    emitAnnotations(toAnnotations(annotated.report, { pathPrefix: annotated.pathPrefix, logged: logger.logged, failure: redactText(cause) }), logger.logged);
    setOutput(OUTPUTS.conclusion, 'failure', []);
  }
}

/** The README of the action being run (rules' helpUri), when the runner says which it is. */
function actionHome(env: NodeJS.ProcessEnv): string | undefined {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${repo}`;
}

/** `merge-reports`: the shards' JSON reports (downloaded artifacts) merged into one report. */
async function mergeFromGlob(glob: string, workspace: string, dir: string, mode: 'fail' | 'warn' | undefined): Promise<PreflightResult> {
  const files = await expandGlob(glob, workspace);
  if (files.length === 0) throw new ConfigurationError(`no file matches "${glob}" (download the shards' report artifacts first)`, 'input merge-reports');
  core.info(`go-preflight: merging ${files.length} report${files.length === 1 ? '' : 's'}: ${files.map((f) => path.relative(workspace, f)).join(', ')}`);
  const report = mergeReports(await readReports(files));
  // Only what the adapter reads of the settings: the mode.
  const settings = { mode: mode ?? 'fail' } as PreflightResult['settings'];
  return { report, settings, gitRoot: await findGitRoot(dir) };
}

let outputFailed = false;
/**
 * core.setOutput appends to the GITHUB_OUTPUT file and throws when it cannot (full disk, a path
 * that is a directory): one error line for the first failure, false, never a stack trace.
 */
function setOutput(name: string, value: string, failures: string[]): boolean {
  try {
    core.setOutput(name, value);
    return true;
  } catch (e) {
    if (!outputFailed) {
      outputFailed = true;
      const line = `go-preflight: the step outputs could not be written to GITHUB_OUTPUT (${describeIoError(e)})`;
      if (failures.length === 0 && name === OUTPUTS.conclusion) core.setFailed(line);
      else failures.push(line);
    }
    return false;
  }
}

/** Write a report file the workflow asked for; false (and one failure line) when it cannot be written. */
async function writeOutputFile(file: string, render: () => string, input: string, failures: string[]): Promise<boolean> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, render());
    return true;
  } catch (e) {
    failures.push(`go-preflight: input ${input}: cannot write ${file}: ${describeIoError(e)}`);
    return false;
  }
}

function setOutputs(report: Report, failures: string[]): void {
  setOutput(OUTPUTS.conclusion, report.conclusion, failures);
  setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','), failures);
  setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','), failures);
}
