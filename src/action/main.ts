// The GitHub Action adapter: inputs in; annotations, job summary, report files and outputs out.
// Everything else is the core's.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { ALL_CHECKS } from '../checks/index.js';
import { ConfigurationError, getErrorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { runPreflight } from '../core/preflight.js';
import type { Check, CheckId, Report } from '../core/types.js';
import { failureLine, toAnnotations, type Annotation, type LoggedLine } from '../report/annotations.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { redactReport, redactText } from '../report/redact.js';
import { renderText } from '../report/text.js';
import { VERSION } from '../version.js';
import { createActionsCacheStore } from './cache.js';
import { getActionSettings, OUTPUTS } from './inputs.js';
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
  try {
    const s = getActionSettings();
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const dir = path.resolve(workspace, s.workingDirectory);
    const { report: rawReport, settings, gitRoot } = await runPreflight(
      { dir, configFile: s.config, overrides: s.overrides, checks },
      {
        logger,
        env,
        ci: {
          baseRef: env.GITHUB_BASE_REF || undefined,
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
    await fs.mkdir(path.dirname(reportFile), { recursive: true });
    await fs.writeFile(reportFile, renderJson(report));
    core.setOutput(OUTPUTS.reportFile, reportFile);

    if (s.sarifFile) {
      const sarifFile = path.resolve(workspace, s.sarifFile);
      await fs.mkdir(path.dirname(sarifFile), { recursive: true });
      await fs.writeFile(sarifFile, renderSarif(report, { toolVersion: VERSION, pathPrefix: prefix, linkable, informationUri: actionHome(env) }));
      core.setOutput(OUTPUTS.sarifFile, sarifFile);
    }

    if (s.summary && env.GITHUB_STEP_SUMMARY) {
      const md = renderMarkdown(report, {
        serverUrl: env.GITHUB_SERVER_URL,
        repository: env.GITHUB_REPOSITORY,
        sha,
        pathPrefix: prefix,
        linkable,
      });
      await fs.appendFile(env.GITHUB_STEP_SUMMARY, md);
    }

    setOutputs(report);
    const fails = report.conclusion === 'failure' && settings.mode !== 'warn';
    // The step fails through core.setFailed with a one-line cause; that line is one of the 10
    // error annotations, planned with the others so that it never pushes a finding or the
    // "… and N more" note out.
    emitAnnotations(
      toAnnotations(s.annotations ? report : undefined, { pathPrefix: prefix, logged: logger.logged, failure: fails ? failureLine(report) : undefined }),
      logger.logged,
    );
    if (!fails) {
      core.info(`go-preflight: ${report.conclusion}${settings.mode === 'warn' && report.conclusion === 'failure' ? ' (mode: warn, the step does not fail)' : ''}`);
    }
  } catch (e) {
    const cause = e instanceof ConfigurationError ? `go-preflight: ${e.message}` : `go-preflight: internal error: ${getErrorMessage(e)}`;
    // The findings are still annotated when writing an output failed after the run.
    emitAnnotations(toAnnotations(annotated.report, { pathPrefix: annotated.pathPrefix, logged: logger.logged, failure: redactText(cause) }), logger.logged);
    core.setOutput(OUTPUTS.conclusion, 'failure');
  }
}

/** The README of the action being run (rules' helpUri), when the runner says which it is. */
function actionHome(env: NodeJS.ProcessEnv): string | undefined {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${repo}`;
}

function setOutputs(report: Report): void {
  core.setOutput(OUTPUTS.conclusion, report.conclusion);
  core.setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','));
  core.setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','));
}
