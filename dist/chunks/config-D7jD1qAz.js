import { constants, promises } from 'node:fs';
import path from 'node:path';

// The one way to read a file of the inspected repository. Its content is written by a stranger:
// a committed symlink may point at the runner's environment under procfs, the password file or an
// endless device, and a non-git directory may hold a FIFO. So every read here
//  - resolves the path with realpath and refuses a file that lies outside the inspected root
//    (the git work tree's root, else DIR), whatever chain of links leads there;
//  - opens with O_NONBLOCK (a FIFO cannot block the open) and O_NOFOLLOW on the resolved path, then
//    checks the opened descriptor (fstat): only a regular file is read;
//  - reads at most `maxBytes` (+1 to notice more), whatever the file claims its size is (procfs
//    files say 0), so no file costs more than its cap in memory or time.
// A refusal is an UnsafeReadError whose message names the file and the reason in words, never the
// content. Callers turn it into a finding (see describeUnsafeRead).


/** Size caps: as large as a legitimate file of that kind ever gets, far below what hurts. */
const READ_LIMITS = {
  /** `.go-version`, `.tool-versions`. */
  versionFile: 1024,
  /** `.github/go-preflight.yml`. */
  config: 1024 * 1024,
  /** `.gitleaks.toml` and the files it extends. */
  gitleaksConfig: 1024 * 1024,
  /** `.gitleaksignore`. */
  ignoreFile: 4 * 1024 * 1024,
  /** A baseline report (a gitleaks or go-preflight JSON report). */
  baseline: 64 * 1024 * 1024,
  /** go.mod, go.work. */
  goMod: 16 * 1024 * 1024,
  /** go.sum, vendor/modules.txt. */
  goSum: 64 * 1024 * 1024,
  /** A Go source file read for positions. */
  source: 16 * 1024 * 1024,
} ;

 

class UnsafeReadError extends Error {
   reason;
  /** The path as the caller gave it. */
   file;
   limit;
  /** For not-regular: what it is (directory, FIFO, device, socket). */
   kind;
  /** Whether the path itself is a symlink. */
   symlink;
   detail;
  constructor(reason, file, opts = {}) {
    super(explain(reason, path.basename(file), opts));
    this.name = 'UnsafeReadError';
    this.reason = reason;
    this.file = file;
    this.limit = opts.limit;
    this.kind = opts.kind;
    this.symlink = !!opts.symlink;
    this.detail = opts.detail;
  }
}

function isUnsafeReadError(e) {
  return e instanceof Error && e.name === 'UnsafeReadError';
}

function formatSize(n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function explain(reason, name, o) {
  switch (reason) {
    case 'missing':
      return o.symlink ? `${name} is a symlink to a file that does not exist: not read` : `${name} does not exist`;
    case 'outside':
      return o.symlink ? `${name} is a symlink to ${o.kind ?? 'a file'} outside the repository: not read` : `${name} is outside the repository: not read`;
    case 'not-regular':
      return `${name} ${o.symlink ? 'is a symlink to' : 'is'} ${o.kind ?? 'a special file'}, not a regular file: not read`;
    case 'too-large':
      return `${name} is larger than ${formatSize(o.limit ?? 0)}, more than such a file ever holds: not read`;
    case 'unreadable':
      return `${name} cannot be read${o.detail ? ` (${o.detail})` : ''}`;
  }
}

function kindOf(st) {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

















// O_NONBLOCK: opening a FIFO for reading must not wait for a writer. O_NOFOLLOW: the resolved path
// was checked; a link swapped in after that is not followed. Both are 0 where they do not exist
// (Windows has neither FIFOs nor this kind of link race).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

function errno(e) {
  return (e )?.code;
}

function inside(root, p) {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function fromErrno(e, file, symlink) {
  const code = errno(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnsafeReadError('missing', file, { symlink });
  if (code === 'ELOOP') return new UnsafeReadError('unreadable', file, { symlink, detail: 'a loop of symlinks' });
  if (code === 'EISDIR') return new UnsafeReadError('not-regular', file, { symlink, kind: 'a directory' });
  if (code === 'EACCES' || code === 'EPERM') return new UnsafeReadError('unreadable', file, { symlink, detail: 'permission denied' });
  return new UnsafeReadError('unreadable', file, { symlink, detail: code ?? 'I/O error' });
}

function checkContainment(file, abs, real, root, rr, symlink, allowOutside) {
  const asWritten = inside(root, abs) || inside(rr, abs);
  if (asWritten) {
    if (!inside(rr, real)) throw new UnsafeReadError('outside', file, { symlink: true });
  } else if (!allowOutside) {
    throw new UnsafeReadError('outside', file, { symlink });
  }
}

const realRoots = new Map();
function realRoot(root) {
  let p = realRoots.get(root);
  if (!p) {
    p = promises.realpath(root).catch(() => path.resolve(root));
    realRoots.set(root, p);
    if (realRoots.size > 64) realRoots.delete(realRoots.keys().next().value);
  }
  return p;
}

/** The bytes of a regular file inside the root, at most maxBytes. Throws UnsafeReadError. */
async function readRepoBuffer(file, opts) {
  const abs = path.resolve(file);
  let symlink = false;
  let real;
  try {
    symlink = (await promises.lstat(abs)).isSymbolicLink();
    real = await promises.realpath(abs);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  const rr = await realRoot(opts.root);
  checkContainment(file, abs, real, path.resolve(opts.root), rr, symlink, !!opts.allowOutside);
  let h;
  try {
    h = await promises.open(real, OPEN_FLAGS);
  } catch (e) {
    throw fromErrno(e, file, symlink);
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new UnsafeReadError('not-regular', file, { symlink, kind: kindOf(st) });
    if (st.size > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    // Read up to the cap + 1, whatever the size said (procfs and sysfs files report 0).
    const cap = opts.maxBytes + 1;
    let buf = Buffer.allocUnsafe(Math.min(cap, Math.max(st.size + 1, 4096)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length >= cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      let r;
      try {
        ({ bytesRead: r } = await h.read(buf, n, buf.length - n, null));
      } catch (e) {
        if (errno(e) === 'EAGAIN') break;
        throw fromErrno(e, file, symlink);
      }
      if (r === 0) break;
      n += r;
    }
    if (n > opts.maxBytes) throw new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    return buf.subarray(0, n);
  } finally {
    await h.close().catch(() => undefined);
  }
}

/**
 * Whether a file that go (not us) is about to read is safe to hand to it: the same containment,
 * type and size rules as readRepoBuffer, without reading. undefined when it is fine or plainly
 * absent; the refusal otherwise. (go follows a go.sum or vendor/modules.txt that links out of the
 * repository and prints what it finds there in its errors and diffs.)
 */
async function checkRepoFile(file, opts) {
  const abs = path.resolve(file);
  let symlink = false;
  try {
    symlink = (await promises.lstat(abs)).isSymbolicLink();
    const real = await promises.realpath(abs);
    checkContainment(file, abs, real, path.resolve(opts.root), await realRoot(opts.root), symlink, !!opts.allowOutside);
    const st = await promises.stat(real);
    if (!st.isFile()) return new UnsafeReadError('not-regular', file, { symlink, kind: kindOf(st) });
    if (st.size > opts.maxBytes) return new UnsafeReadError('too-large', file, { symlink, limit: opts.maxBytes });
    return undefined;
  } catch (e) {
    const err = isUnsafeReadError(e) ? e : fromErrno(e, file, symlink);
    return err.reason === 'missing' && !err.symlink ? undefined : err;
  }
}

/**
 * Whether a directory of the repository (`vendor/`) stays in it after every symlink: undefined when
 * it does (or does not exist), the refusal otherwise.
 */
async function checkRepoDir(dir, root) {
  const abs = path.resolve(dir);
  try {
    const symlink = (await promises.lstat(abs)).isSymbolicLink();
    const real = await promises.realpath(abs);
    const rr = await realRoot(root);
    if ((inside(path.resolve(root), abs) || inside(rr, abs)) && !inside(rr, real)) return new UnsafeReadError('outside', dir, { symlink: true, kind: 'a directory' });
    if (!(await promises.stat(real)).isDirectory()) return new UnsafeReadError('not-regular', dir, { symlink, kind: 'not a directory' });
    return undefined;
  } catch {
    return undefined;
  }
}

/** UTF-8 text of a regular file inside the root, at most maxBytes. Throws UnsafeReadError. */
async function readRepoFile(file, opts) {
  return (await readRepoBuffer(file, opts)).toString('utf8');
}

/** Like readRepoFile, but a file that does not exist (not even as a dangling link) is undefined. */
async function readRepoFileIfExists(file, opts) {
  try {
    return await readRepoFile(file, opts);
  } catch (e) {
    if (isUnsafeReadError(e) && e.reason === 'missing' && !e.symlink) return undefined;
    throw e;
  }
}

/** readRepoFile that never throws: the text, or the refusal (undefined for a plain missing file). */
async function tryReadRepoFile(file, opts) {
  try {
    return { text: await readRepoFile(file, opts) };
  } catch (e) {
    if (!isUnsafeReadError(e)) return { error: new UnsafeReadError('unreadable', file, { detail: 'I/O error' }) };
    if (e.reason === 'missing' && !e.symlink) return undefined;
    return { error: e };
  }
}

/**
 * A finding-ready sentence for a refusal, naming the file by its report path:
 * "`.go-version` is a symlink to a file outside the repository: not read".
 */
function describeUnsafeRead(e, reportName) {
  return unsafeReadSentence(e, `\`${reportName}\``);
}

/** The same sentence with any subject: "the config file is a directory, not a regular file: not read". */
function unsafeReadSentence(e, subject) {
  return explain(e.reason, subject, { limit: e.limit, kind: e.kind, symlink: e.symlink, detail: e.detail });
}

/**
 * At most one token of untrusted text, for a message: the first line's first run of non-space
 * characters, cut at `max` characters. A message never quotes more of a file than the token that
 * is wrong.
 */
function quoteToken(s, max = 40) {
  const first = s.replace(/^[\s\uFEFF]+/, '').split(/[\s\0]/, 1)[0] ?? '';
  // Control characters are never part of a token worth showing.
  // eslint-disable-next-line no-control-regex
  const clean = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * A value from a repository file (a config value, a key), for a message: its first line, cut at
 * `max` characters, control characters replaced. Error lines are printed before any report (and
 * its redaction) exists, so they quote no more than this.
 */
function clipValue(s, max = 64) {
  const first = s.split(/\r?\n/, 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max || first.length < s.length ? `${clean.slice(0, max)}…` : clean;
}

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

/**
 * A check could not look at everything it had to (a file it cannot read, a tool that failed):
 * its status is `error` with this message as the reason, as is (not "the check crashed").
 */
class CheckIncompleteError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckIncompleteError';
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
/** The longest timeout a Node timer can hold ((2^31 - 1) ms, about 24.8 days), in whole seconds. A larger one fires at once. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const TARGET_RE = /^[a-z0-9]+\/[a-z0-9]+$/;

function parseTarget(s, where) {
  const t = s.trim();
  if (!TARGET_RE.test(t)) {
    throw new ConfigurationError(`invalid target "${s}": write GOOS/GOARCH, e.g. linux/amd64`, where);
  }
  const [goos, goarch] = t.split('/') ;
  return { goos, goarch };
}

/**
 * A package pattern as `go list` will get it. One that starts with `-` would be read by go as a
 * flag (`-toolexec=...` runs any program, `-mod=mod` rewrites go.mod): a configuration error.
 */
function checkPackagePattern(p, where) {
  if (p.trim().startsWith('-')) {
    throw new ConfigurationError(`package pattern "${p.trim().slice(0, 40)}" starts with "-": go would read it as a flag; write a package path or a ./dir/... pattern`, where);
  }
  if (/[\0\r\n]/.test(p)) throw new ConfigurationError('a package pattern cannot contain a line break or NUL', where);
  return p;
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
        timeout: { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, description: 'Seconds before the check is stopped and reported as error.' },
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
      timeout: { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, default: DEFAULT_TIMEOUT_MS / 1000, description: 'Default seconds per check.' },
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

































/** `enforce` / `--enforce`: comma-separated check ids, or `all`. */
function parseEnforceList(s, where) {
  const ids = splitList(s);
  if (ids.length === 1 && ids[0].toLowerCase() === 'all') return [...CHECK_IDS];
  if (ids.some((id) => id.toLowerCase() === 'all')) throw new ConfigurationError('write either "all" or a list of check ids, not both', where);
  return parseCheckList(s, where);
}

/**
 * Drop what the repository's config file says that would weaken an enforced check: its level
 * (off, warn), its timeout (its own or the file's default), its options, and a file-wide `mode:
 * warn` or `on-error: warn` (which would turn the check's failure into a green step). Each key
 * dropped is one warning naming the key, the file and the line. Returns a new FileConfig.
 */
function applyEnforce(file, enforce, source, warn) {
  if (!enforce.length) return file;
  const name = file.file ?? 'the config file';
  const where = (key) => `${name}${file.lines?.[key] !== undefined ? `:${file.lines[key]}` : ''}`;
  const by = source === 'input' ? 'the enforce input' : '--enforce';
  const ids = enforce.length === CHECK_IDS.length ? 'every check' : enforce.join(', ');
  const out = { ...file, checks: { ...file.checks } };
  if (file.mode === 'warn') {
    warn(`mode: warn in ${where('mode')} is ignored: ${by} enforces ${ids}, whose failures the repository's own files cannot turn into warnings (the workflow's mode input still can)`);
    delete out.mode;
  }
  if (file.onError === 'warn') {
    warn(`on-error: warn in ${where('on-error')} is ignored: ${by} enforces ${ids}, and a check that could not complete must fail`);
    delete out.onError;
  }
  for (const id of enforce) {
    const fc = file.checks[id];
    if (file.timeoutMs !== undefined && fc?.timeoutMs === undefined && file.timeoutMs < DEFAULT_TIMEOUT_MS) {
      warn(`timeout in ${where('timeout')} is ignored for ${id}: ${by} enforces it, so it keeps the default timeout of ${DEFAULT_TIMEOUT_MS / 1000} s`);
    }
    if (!fc) continue;
    const kept = { options: {} };
    if (fc.level === 'off' || fc.level === 'warn') {
      warn(`checks.${id} level ${fc.level} in ${where(`checks.${id}.level`)} is ignored: ${by} enforces ${id}`);
    } else if (fc.level) kept.level = fc.level;
    if (fc.timeoutMs !== undefined) warn(`checks.${id}.timeout in ${where(`checks.${id}.timeout`)} is ignored: ${by} enforces ${id}, so it keeps the default timeout`);
    for (const key of Object.keys(fc.options)) {
      warn(`checks.${id}.${key} in ${where(`checks.${id}.${key}`)} is ignored: ${by} enforces ${id}, so the repository's config cannot change its options`);
    }
    out.checks[id] = kept;
  }
  return out;
}

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
  const { overrides: o, warn } = opts;
  const enforce = o.enforce ?? [];
  const file = opts.file && enforce.length ? applyEnforce(opts.file, enforce, o.source, warn) : opts.file;
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
  // Every source of patterns is checked here too (the file's are checked with their line when parsed).
  for (const p of o.packages ?? []) checkPackagePattern(p, o.source === 'flag' ? '--packages' : 'input packages');
  for (const p of file?.packages ?? []) checkPackagePattern(p, `${cfgName} (packages)`);
  const timeoutMs = file?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const targets = pick('targets', file?.targets, o.targets, [], (a, b) => sameList(a, b));
  const checks = {} ;
  for (const id of CHECK_IDS) {
    const fc = file?.checks[id];
    let level = fc?.level ?? 'error';
    let offReason;
    if (o.checks && !o.checks.includes(id)) {
      level = 'off';
      offReason = `not selected (${o.source === 'flag' ? '--checks' : 'checks input'})`;
    }
    if (o.skip?.includes(id)) {
      level = 'off';
      offReason = `not selected (${o.source === 'flag' ? '--skip' : 'skip input'})`;
    }
    if (o.checks?.includes(id) && level === 'off' && !o.skip?.includes(id)) {
      warn(`checks: ${id} is off in ${cfgName} but was asked for by the ${o.source}; running it`);
      level = 'error';
    }
    const checkTimeout = enforce.includes(id) ? Math.max(timeoutMs, DEFAULT_TIMEOUT_MS) : timeoutMs;
    checks[id] = { level, ...(offReason ? { offReason } : {}), timeoutMs: fc?.timeoutMs ?? checkTimeout, options: fc?.options ?? {} };
  }
  if (o.goVersion && o.goVersionFile) {
    warn('Both go-version and go-version-file are given; go-version is used (as actions/setup-go does)');
  }
  return {
    dir: opts.dir,
    configFile: opts.configFile,
    ...(file?.lines ? { configLines: file.lines } : {}),
    mode: pick('mode', file?.mode, o.mode, 'fail'),
    onError: file?.onError ?? 'fail',
    failFast: pick('fail-fast', file?.failFast, o.failFast, false),
    targets,
    targetsExplicit: targets.length > 0,
    packages: pick('packages', file?.packages, o.packages, ['./...'], sameList),
    packagesExplicit: o.packages !== undefined || file?.packages !== undefined,
    checks,
    goVersion: o.goVersion,
    goVersionFile: o.goVersion ? undefined : o.goVersionFile,
    cache: o.cache ?? true,
    ...(o.shard ? { shard: o.shard } : {}),
    timeoutMs,
    ...(enforce.length ? { enforce: [...enforce] } : {}),
  };
}

export { ConfigurationError as C, DEFAULT_CONFIG_FILE as D, READ_LIMITS as R, parseTarget as a, parseCheckList as b, checkRepoFile as c, describeUnsafeRead as d, checkRepoDir as e, CHECK_IDS as f, getErrorMessage as g, formatTarget as h, CheckIncompleteError as i, isUnsafeReadError as j, readRepoFile as k, readRepoFileIfExists as l, resolveSettings as m, isCheckId as n, configSpec as o, parseEnforceList as p, quoteToken as q, renderJsonSchema as r, splitList as s, tryReadRepoFile as t, unsafeReadSentence as u, clipValue as v, checkPackagePattern as w };
//# sourceMappingURL=config-D7jD1qAz.js.map
