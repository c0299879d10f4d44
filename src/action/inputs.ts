// The only module that reads action inputs. Unset inputs become undefined, never ''.

import * as core from '@actions/core';
import { parseCheckList, parseEnforceList, parseTarget, splitList, type Overrides } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';
import { parseShard } from '../core/shard.js';
import type { Mode } from '../core/types.js';

/** Input names, in one place (action.yml declares the same). */
export const INPUTS = {
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
} as const;

export const OUTPUTS = {
  conclusion: 'conclusion',
  failedChecks: 'failed-checks',
  warnedChecks: 'warned-checks',
  reportFile: 'report-file',
  sarifFile: 'sarif-file',
} as const;

export interface ActionSettings {
  /** Directory to inspect, relative to the workspace (default "."). */
  workingDirectory: string;
  /** Config file path relative to the working directory, when given. */
  config?: string;
  /** Everything that overrides the config file. */
  overrides: Overrides;
  /** Emit annotations for findings (default true). */
  annotations: boolean;
  /** Write the job summary (default true). */
  summary: boolean;
  /** Where to write SARIF, when wanted. */
  sarifFile?: string;
  /** Where to write the JSON report (default: $RUNNER_TEMP/go-preflight-report.json). */
  reportFile?: string;
  /** Glob of shard reports to merge instead of running the checks (`merge-reports`). */
  mergeReports?: string;
}

function getOptionalInput(name: string): string | undefined {
  const v = core.getInput(name).trim();
  return v === '' ? undefined : v;
}

function getOptionalBoolean(name: string): boolean | undefined {
  const v = getOptionalInput(name);
  if (v === undefined) return undefined;
  if (/^(true|yes|on|1)$/i.test(v)) return true;
  if (/^(false|no|off|0)$/i.test(v)) return false;
  throw new ConfigurationError(`must be true or false (got "${v}")`, `input ${name}`);
}

export function getActionSettings(): ActionSettings {
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
      mode: mode as Mode | undefined,
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
