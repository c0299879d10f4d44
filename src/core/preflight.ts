// One run from start to finish, shared by the CLI and the action: read the config, probe, run the
// checks. Adapters only gather inputs and write the report out.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { exists, findGitRoot } from './fs-utils.js';
import { isUnsafeReadError, unsafeReadSentence, READ_LIMITS, readRepoFile } from './safe-read.js';
import { DEFAULT_CONFIG_FILE, resolveSettings, type FileConfig, type Overrides } from './config.js';
import { prepareRun, runChecks, type RunDeps } from './runner.js';
import { CHECK_IDS, type Check, type CheckId, type Report, type Settings } from './types.js';

export interface PreflightOptions {
  /** Directory to inspect (relative to process.cwd()). */
  dir: string;
  /** Explicit config file (must exist); otherwise `.github/go-preflight.yml` is looked up. */
  configFile?: string;
  overrides: Overrides;
  checks: Partial<Record<CheckId, Check>>;
}

/**
 * The config file's text, read as every repository file is (safe-read.ts): a committed symlink that
 * leaves the repository, a directory, a FIFO or an endless device is a configuration error naming
 * the file, never a hang and never its content. A path the user named outside the repository
 * (`--config ../ci/go-preflight.yml`) is theirs to choose and is read, still only as a regular file.
 */
async function readConfigText(file: string, root: string, shown: string, explicit: boolean): Promise<string | undefined> {
  try {
    return await readRepoFile(file, { root, maxBytes: READ_LIMITS.config, allowOutside: explicit });
  } catch (e) {
    if (isUnsafeReadError(e)) {
      if (e.reason === 'missing' && !e.symlink) return undefined;
      throw new ConfigurationError(unsafeReadSentence(e, 'the config file'), shown);
    }
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
  const root = (await findGitRoot(dir)) ?? dir;
  if (opts.configFile) {
    configFile = path.resolve(dir, opts.configFile);
    const shown = path.relative(dir, configFile).split(path.sep).join('/') || configFile;
    const text = await readConfigText(configFile, root, shown, true);
    if (text === undefined) throw new ConfigurationError(`config file ${opts.configFile} does not exist`);
    file = await parseConfig(text, shown);
  } else {
    configFile = await findConfigFile(dir);
    if (configFile) {
      const shown = path.relative(dir, configFile).split(path.sep).join('/');
      const text = (await readConfigText(configFile, root, shown, false)) ?? '';
      file = await parseConfig(text, shown);
    }
  }
  const settings = resolveSettings({ dir, file, configFile, overrides: opts.overrides, checks: opts.checks, warn });
  assertSomethingRuns(settings, opts.overrides, configFile ? path.relative(dir, configFile).split(path.sep).join('/') || configFile : undefined);
  return settings;
}

/**
 * A run with every check off would report success having looked at nothing (`--checks ''` with a
 * committed secret): that is a usage error, named after what turned the checks off.
 */
function assertSomethingRuns(settings: Settings, o: Overrides, configName: string | undefined): void {
  const flag = (name: string) => (o.source === 'flag' ? `--${name}` : `input ${name}`);
  if (o.checks && o.checks.length === 0) throw new ConfigurationError('names no check: give check ids (e.g. toolchain,secrets), or leave it out to run them all', flag('checks'));
  if (Object.values(settings.checks).some((c) => c.level !== 'off')) return;
  const selected = (o.checks ?? CHECK_IDS).filter((id) => !o.skip?.includes(id));
  if (selected.length === 0) {
    if (o.checks && o.skip?.length) throw new ConfigurationError(`skips every check that ${flag('checks')} asks for: no check is left to run`, flag('skip'));
    throw new ConfigurationError('leaves no check to run: skip fewer checks', flag('skip'));
  }
  // The selection left checks that the configuration file turned off: the report says so per check.
  if (o.checks || o.skip?.length) return;
  throw new ConfigurationError('every check is off: turn at least one on (checks.<id>: error)', configName ?? 'configuration');
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
