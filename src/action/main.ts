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
import { toAnnotations } from '../report/annotations.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { VERSION } from '../version.js';
import { createActionsCacheStore } from './cache.js';
import { readChangeCommits } from './event.js';
import { getActionSettings, OUTPUTS } from './inputs.js';

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
          commits: await readChangeCommits(env),
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

    const reportFile = path.resolve(workspace, s.reportFile ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'go-preflight-report.json'));
    await fs.mkdir(path.dirname(reportFile), { recursive: true });
    await fs.writeFile(reportFile, renderJson(report));
    core.setOutput(OUTPUTS.reportFile, reportFile);

    if (s.sarifFile) {
      const sarifFile = path.resolve(workspace, s.sarifFile);
      await fs.mkdir(path.dirname(sarifFile), { recursive: true });
      await fs.writeFile(sarifFile, renderSarif(report, { toolVersion: VERSION, pathPrefix: prefix }));
      core.setOutput(OUTPUTS.sarifFile, sarifFile);
    }

    if (s.summary && env.GITHUB_STEP_SUMMARY) {
      const md = renderMarkdown(report, {
        serverUrl: env.GITHUB_SERVER_URL,
        repository: env.GITHUB_REPOSITORY,
        sha: await linkSha(env),
        pathPrefix: prefix,
      });
      await fs.appendFile(env.GITHUB_STEP_SUMMARY, md);
    }

    setOutputs(report);
    if (report.conclusion === 'failure' && settings.mode !== 'warn') {
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
    else core.setFailed(`go-preflight: internal error: ${getErrorMessage(e)}`);
    core.setOutput(OUTPUTS.conclusion, 'failure');
  }
}

function setOutputs(report: Report): void {
  core.setOutput(OUTPUTS.conclusion, report.conclusion);
  core.setOutput(OUTPUTS.failedChecks, report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id).join(','));
  core.setOutput(OUTPUTS.warnedChecks, report.checks.filter((c) => c.status === 'warn').map((c) => c.id).join(','));
}
