// One run from start to finish, shared by the CLI and the action: read the config, probe, run the
// checks. Adapters only gather inputs and write the report out.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { exists, findGitRoot } from './fs-utils.js';
import { DEFAULT_CONFIG_FILE, resolveSettings, type FileConfig, type Overrides } from './config.js';
import { prepareRun, runChecks, type RunDeps } from './runner.js';
import type { Check, CheckId, Report, Settings } from './types.js';

export interface PreflightOptions {
  /** Directory to inspect (relative to process.cwd()). */
  dir: string;
  /** Explicit config file (must exist); otherwise `.github/go-preflight.yml` is looked up. */
  configFile?: string;
  overrides: Overrides;
  checks: Partial<Record<CheckId, Check>>;
}

async function readIfExists(p: string): Promise<string | undefined> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** `.github/go-preflight.yml` in dir, else in a parent up to the repository root (the dir holding `.git`). */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  const root = await findGitRoot(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, DEFAULT_CONFIG_FILE);
    if (await exists(candidate)) return candidate;
    if (!root || d === root || path.dirname(d) === d) return undefined;
  }
}

export async function loadSettings(opts: PreflightOptions, warn: (m: string) => void): Promise<Settings> {
  const dir = path.resolve(opts.dir);
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new ConfigurationError(`directory ${opts.dir} does not exist`);
  }
  if (!st.isDirectory()) throw new ConfigurationError(`${opts.dir} is not a directory`);

  let configFile: string | undefined;
  let file: FileConfig | undefined;
  // The YAML parser is loaded only when there is a file to parse.
  const parseConfig = async (text: string, name: string) => (await import('./config-file.js')).parseConfig(text, name, opts.checks);
  if (opts.configFile) {
    configFile = path.resolve(dir, opts.configFile);
    const text = await readIfExists(configFile);
    if (text === undefined) throw new ConfigurationError(`config file ${opts.configFile} does not exist`);
    file = await parseConfig(text, path.relative(dir, configFile).split(path.sep).join('/') || configFile);
  } else {
    configFile = await findConfigFile(dir);
    if (configFile) {
      const text = (await readIfExists(configFile)) ?? '';
      file = await parseConfig(text, path.relative(dir, configFile).split(path.sep).join('/'));
    }
  }
  return resolveSettings({ dir, file, configFile, overrides: opts.overrides, checks: opts.checks, warn });
}

export interface PreflightResult {
  report: Report;
  settings: Settings;
  /** The git work tree's root, when the directory is in one (annotation paths are relative to it). */
  gitRoot?: string;
}

export async function runPreflight(opts: PreflightOptions, deps: RunDeps): Promise<PreflightResult> {
  const settings = await loadSettings(opts, (m) => deps.logger.warning(m));
  const prepared = await prepareRun(settings, deps);
  if (prepared.probe.modules.length === 0) {
    throw new ConfigurationError(
      `no go.mod in ${settings.dir} or below: go-preflight inspects Go modules; point it at the module's directory (working-directory input or DIR argument)`,
    );
  }
  if (!settings.targetsExplicit) settings.targets = [prepared.probe.host];
  if (!prepared.probe.go.available) deps.logger.error(`${prepared.probe.go.error ?? '`go` is not usable'}: install Go (actions/setup-go) before go-preflight`);
  const report = await runChecks(settings, opts.checks, deps, prepared);
  return { report, settings, gitRoot: prepared.probe.git.root };
}
