import path from 'node:path';

// Error taxonomy: a ConfigurationError is the user's mistake (bad flag, bad config, no go.mod) and
// is printed as one line with no stack; anything else is our bug or the environment's fault.

class ConfigurationError extends Error {
  /** Where the mistake is: `file:line:col` or an input/flag name. */
   where;
  constructor(message, where) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'ConfigurationError';
    this.where = where;
  }
}

function getErrorMessage(e) {
  // Not `instanceof Error`: errors from another realm (node:vm, jest) fail that test.
  if (e && typeof e === 'object' && typeof (e ).message === 'string') return (e ).message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** Stable check ids, in the contract's table order (the report lists them in this order). */
const CHECK_IDS = [
  'toolchain',
  'go-env',
  'mod-verify',
  'mod-tidy',
  'vendor',
  'modules',
  'git-clean',
  'targets',
  'packages',
  'cgo',
  'secrets',
] ;
 

function isCheckId(s) {
  return (CHECK_IDS ).includes(s);
}

 












function formatTarget(t) {
  return `${t.goos}/${t.goarch}`;
}

// A declarative description of config options. The same spec validates `.github/go-preflight.yml`
// (config.ts) and generates the published JSON Schema (go-preflight.schema.json), so the two can
// never disagree.

 






function toJsonSchema(spec) {
  switch (spec.type) {
    case 'string':
      return {
        type: 'string',
        description: spec.description,
        ...(spec.enum ? { enum: [...spec.enum] } : {}),
        ...(spec.pattern ? { pattern: spec.pattern } : {}),
        ...(spec.default !== undefined ? { default: spec.default } : {}),
      };
    case 'boolean':
      return { type: 'boolean', description: spec.description, ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'integer':
      return {
        type: 'integer',
        description: spec.description,
        ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
        ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
        ...(spec.default !== undefined ? { default: spec.default } : {}),
      };
    case 'array':
      return {
        type: 'array',
        description: spec.description,
        items: toJsonSchema(spec.items),
        ...(spec.default !== undefined ? { default: [...spec.default] } : {}),
      };
    case 'object':
      return {
        type: 'object',
        description: spec.description,
        properties: Object.fromEntries(Object.entries(spec.properties).map(([k, v]) => [k, toJsonSchema(v)])),
        additionalProperties: spec.additionalProperties ? toJsonSchema(spec.additionalProperties) : false,
      };
  }
}

// Configuration: defaults < `.github/go-preflight.yml` < inputs/flags, with a warning when a flag or
// input overrides a different value from the file. Parsing is a pure function of the file's text
// that throws ConfigurationError naming `file:line:col` and the key.


const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_CONFIG_FILE = '.github/go-preflight.yml';

const TARGET_RE = /^[a-z0-9]+\/[a-z0-9]+$/;

function parseTarget(s, where) {
  const t = s.trim();
  if (!TARGET_RE.test(t)) {
    throw new ConfigurationError(`invalid target "${s}": write GOOS/GOARCH, e.g. linux/amd64`, where);
  }
  const [goos, goarch] = t.split('/') ;
  return { goos, goarch };
}

function splitList(s) {
  return s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The config file's spec: top-level keys and `checks.<id>` keys (with each check's own options). */
function configSpec(checks) {
  const level = {
    type: 'string',
    enum: ['error', 'warn', 'off'],
    description: 'error: findings keep their severity; warn: errors become warnings; off: the check does not run.',
  };
  const checkProps = {};
  for (const id of CHECK_IDS) {
    checkProps[id] = {
      type: 'object',
      description: `Settings of the ${id} check. A bare level (error | warn | off) is accepted too.`,
      properties: {
        level,
        timeout: { type: 'integer', minimum: 1, description: 'Seconds before the check is stopped and reported as error.' },
        ...(checks[id]?.options ?? {}),
      },
    };
  }
  return {
    type: 'object',
    description: 'go-preflight configuration (.github/go-preflight.yml). Every key is optional.',
    properties: {
      mode: { type: 'string', enum: ['fail', 'warn'], default: 'fail', description: 'fail: the step fails on a failure conclusion; warn: never fails it.' },
      'on-error': {
        type: 'string',
        enum: ['fail', 'warn'],
        default: 'fail',
        description: 'How a check that could not complete (status error: crash, timeout, tool missing) counts: fail makes the conclusion failure, warn makes it a warning.',
      },
      'fail-fast': { type: 'boolean', default: false, description: 'Stop at the first failing check (checks then run one at a time, in table order).' },
      targets: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z0-9]+/[a-z0-9]+$', description: 'GOOS/GOARCH, e.g. linux/amd64' },
        description: 'GOOS/GOARCH targets the build ships (default: go env GOOS/GOARCH).',
      },
      packages: { type: 'array', items: { type: 'string', description: 'package pattern' }, description: 'Package patterns the build compiles (default ./...).' },
      timeout: { type: 'integer', minimum: 1, default: DEFAULT_TIMEOUT_MS / 1000, description: 'Default seconds per check.' },
      checks: { type: 'object', description: 'Per-check settings, keyed by check id.', properties: checkProps },
    },
  };
}

function renderJsonSchema(checks) {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'go-preflight.schema.json',
    title: 'go-preflight configuration',
    ...toJsonSchema(configSpec(checks)),
  };
  // A check may be given as a bare level string.
  const props = (schema ).properties.checks.properties;
  for (const id of Object.keys(props)) props[id] = { oneOf: [{ type: 'string', enum: ['error', 'warn', 'off'] }, props[id]] };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** What the config file said, after validation (only keys present in the file). */

























function parseCheckList(s, where) {
  const ids = splitList(s);
  for (const id of ids) {
    if (!isCheckId(id)) throw new ConfigurationError(`unknown check id "${id}" (known: ${CHECK_IDS.join(', ')})`, where);
  }
  return ids ;
}

/** Merge defaults < file < overrides. `warn` receives the precedence warnings. */
function resolveSettings(opts






) {
  const { file, overrides: o, warn } = opts;
  const cfgName = opts.configFile ? path.basename(opts.configFile) : 'the config file';
  const pick = (name, fromFile, fromOverride, def, eq = (a, b) => a === b) => {
    if (fromOverride !== undefined) {
      if (fromFile !== undefined && !eq(fromFile, fromOverride)) {
        warn(`${name}: the ${o.source} value overrides the one in ${cfgName}`);
      }
      return fromOverride;
    }
    return fromFile ?? def;
  };
  const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const timeoutMs = file?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const targets = pick('targets', file?.targets, o.targets, [], (a, b) => sameList(a, b));
  const checks = {} ;
  for (const id of CHECK_IDS) {
    const fc = file?.checks[id];
    let level = fc?.level ?? 'error';
    if (o.checks && !o.checks.includes(id)) level = 'off';
    if (o.skip?.includes(id)) level = 'off';
    if (o.checks?.includes(id) && level === 'off' && !o.skip?.includes(id)) {
      warn(`checks: ${id} is off in ${cfgName} but was asked for by the ${o.source}; running it`);
      level = 'error';
    }
    checks[id] = { level, timeoutMs: fc?.timeoutMs ?? timeoutMs, options: fc?.options ?? {} };
  }
  if (o.goVersion && o.goVersionFile) {
    warn('Both go-version and go-version-file are given; go-version is used (as actions/setup-go does)');
  }
  return {
    dir: opts.dir,
    configFile: opts.configFile,
    mode: pick('mode', file?.mode, o.mode, 'fail'),
    onError: file?.onError ?? 'fail',
    failFast: pick('fail-fast', file?.failFast, o.failFast, false),
    targets,
    targetsExplicit: targets.length > 0,
    packages: pick('packages', file?.packages, o.packages, ['./...'], sameList),
    checks,
    goVersion: o.goVersion,
    goVersionFile: o.goVersion ? undefined : o.goVersionFile,
    cache: o.cache ?? true,
    timeoutMs,
  };
}

export { ConfigurationError as C, DEFAULT_CONFIG_FILE as D, parseCheckList as a, CHECK_IDS as b, resolveSettings as c, configSpec as d, formatTarget as f, getErrorMessage as g, isCheckId as i, parseTarget as p, renderJsonSchema as r, splitList as s };
//# sourceMappingURL=config-HnYcnVtJ.js.map
