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
import { runPreflight } from '../core/preflight.js';
import type { Check, CheckId, Report } from '../core/types.js';
import { toAnnotations } from '../report/annotations.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { VERSION } from '../version.js';
import { createActionsCacheStore } from './cache.js';
import { getActionSettings, INPUTS, OUTPUTS } from './inputs.js';

const actionsLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
};

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
          maskSecret: (v) => core.setSecret(v),
          cache: s.overrides.cache !== false ? createActionsCacheStore(env) : undefined,
        },
        onCheckEnd: (r) => {
          if (r.status !== 'skip' || r.durationMs > 0) core.info(`${r.id}: ${r.status}${r.skipReason ? ` (${r.skipReason})` : ''} in ${r.durationMs} ms`);
        },
      },
    );

    const prefix = pathPrefix(dir, env, gitRoot);

    core.startGroup('go-preflight report');
    core.info(renderText(report, { color: false }));
    core.endGroup();

    if (s.annotations) {
      for (const a of toAnnotations(report, { pathPrefix: prefix })) {
        const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn };
        if (a.level === 'error') core.error(a.message, props);
        else if (a.level === 'warning') core.warning(a.message, props);
        else core.notice(a.message, props);
      }
    }

    // Files the workflow asked for: a write that fails (full disk, a directory in the way) is one
    // error line and fails the step, since later steps read them.
    const reportFile = path.resolve(workspace, s.reportFile ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-report.json'));
    const wroteReport = await writeOutputFile(reportFile, () => renderJson(report), INPUTS.reportFile);
    if (wroteReport) setOutput(OUTPUTS.reportFile, reportFile);

    let wroteSarif = true;
    if (s.sarifFile) {
      const sarifFile = path.resolve(workspace, s.sarifFile);
      wroteSarif = await writeOutputFile(sarifFile, () => renderSarif(report, { toolVersion: VERSION, pathPrefix: prefix }), INPUTS.sarifFile);
      if (wroteSarif) setOutput(OUTPUTS.sarifFile, sarifFile);
    }

    if (s.summary && env.GITHUB_STEP_SUMMARY) {
      const md = renderMarkdown(report, {
        serverUrl: env.GITHUB_SERVER_URL,
        repository: env.GITHUB_REPOSITORY,
        sha: await linkSha(env),
        pathPrefix: prefix,
      });
      // The summary is for people: a summary that cannot be written is a warning, and never turns
      // a passing run into a failure.
      try {
        await fs.appendFile(env.GITHUB_STEP_SUMMARY, md);
      } catch (e) {
        core.warning(`go-preflight: the job summary could not be written to GITHUB_STEP_SUMMARY (${describeIoError(e)}); the report is in the log above`);
      }
    }

    const wroteOutputs = setOutputs(report);
    if (!wroteReport || !wroteSarif || !wroteOutputs) {
      process.exitCode = 1;
    } else if (report.conclusion === 'failure' && settings.mode !== 'warn') {
      // Not core.setFailed: it would add one more error annotation beyond GitHub's 10 per step and
      // push out a finding. The annotations and the summary already say what failed.
      const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
      core.info(`go-preflight: failure (${failed.join(', ')}); see the annotations and the job summary`);
      process.exitCode = 1;
    } else {
      core.info(`go-preflight: ${report.conclusion}${settings.mode === 'warn' && report.conclusion === 'failure' ? ' (mode: warn, the step does not fail)' : ''}`);
    }
  } catch (e) {
    if (e instanceof ConfigurationError) core.setFailed(`go-preflight: ${e.message}`);
    else core.setFailed(`go-preflight: internal error: ${getErrorMessage(e).split('\n')[0]}`);
    setOutput(OUTPUTS.conclusion, 'failure');
  }
}

let outputFailed = false;
/**
 * core.setOutput appends to the GITHUB_OUTPUT file and throws when it cannot (full disk, a path
 * that is a directory): one error line for the first failure, false, never a stack trace.
 */
function setOutput(name: string, value: string): boolean {
  try {
    core.setOutput(name, value);
    return true;
  } catch (e) {
    if (!outputFailed) {
      outputFailed = true;
      core.setFailed(`go-preflight: the step outputs could not be written to GITHUB_OUTPUT (${describeIoError(e)})`);
    }
    return false;
  }
}

/** Write a report file the workflow asked for; false (after one error line) when it cannot be written. */
async function writeOutputFile(file: string, render: () => string, input: string): Promise<boolean> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, render());
    return true;
  } catch (e) {
    core.setFailed(`go-preflight: input ${input}: cannot write ${file}: ${describeIoError(e)}`);
    return false;
  }
}

function setOutputs(report: Report): boolean {
  const a = setOutput(OUTPUTS.conclusion, report.conclusion);
  const b = setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','));
  const c = setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','));
  return a && b && c;
}
