// secrets: are there credentials committed in tracked files?
//
// A gitleaks-compatible scan (own rules written from the providers' token formats, the user's
// .gitleaks.toml, .gitleaksignore, `gitleaks:allow`) over the working-tree content of tracked
// files. A secret's value never leaves the engine: findings carry a 4-character preview at most,
// and every value found is registered with the CI's log masking.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { CheckIncompleteError, getErrorMessage } from '../core/errors.js';
import { reportPath } from '../core/paths.js';
import { describeUnsafeRead, isUnsafeReadError, READ_LIMITS, readRepoFile, tryReadRepoFile, type UnsafeReadError } from '../core/safe-read.js';
import type { Check, CheckContext, Finding, Suppression } from '../core/types.js';
import { addedLookup, commitsToScan, dedupeAgainstTree, grepAllowFiles, inlineAllowedInTree, type CommitPlan } from '../secrets/change.js';
import { addedLinesSince, scanCommits, type CommitFinding, type CommitScanResult } from '../secrets/commits.js';
import { inScope, resolveDiffScope, type DiffScope } from '../secrets/diff.js';
import { loadGitleaksConfig, type ConfigProblem } from '../secrets/gitleaks-config.js';
import { GITLEAKS_IGNORE_FILE, normalizeFingerprint, parseBaseline, parseGitleaksIgnore } from '../secrets/ignore.js';
import { skipReason } from '../secrets/files.js';
import { globToRegExp, matchesAny } from '../secrets/glob.js';
import { maskPieces } from '../secrets/redact.js';
import { RULESET_VERSION, builtinRules } from '../secrets/rules.js';
import { DEFAULT_MAX_FILE_SIZE, rulesetFor, scanRepo } from '../secrets/scan-repo.js';
import { DEFAULT_RULESET_CONFIG, type RawFinding, type RulesetConfig } from '../secrets/types.js';

const MAX_OVERSIZED_NOTICES = 20;
/** Above this many bytes of files, what paths-ignore and allowlists hide is listed only within a pull request's changes. */
const LIST_HIDDEN_MAX_BYTES = 16 * 1024 * 1024;
/** At most this many suppressed findings in the report (an allowlist of `.*` can hide thousands). */
const MAX_SUPPRESSED = 500;

const CONFIG_HINT = '.github/go-preflight.yml (checks.secrets)';

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

let revokeById: Map<string, string | undefined> | undefined;
function revokeHint(ruleId: string): string | undefined {
  revokeById ??= new Map(builtinRules().map((r) => [r.id, r.revoke]));
  return revokeById.get(ruleId);
}

/** Files with no comment syntax: key and certificate files, key stores, JSON, path-only findings. */
const NO_COMMENT_FILE_RE = /(?:\.(?:pem|key|crt|cer|der|p8|pk8|p12|pfx|ppk|asc|gpg|jks|keystore|json)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_[\w-]+)?)$/i;

function cannotHoldComment(f: RawFinding): boolean {
  return f.line === 0 || NO_COMMENT_FILE_RE.test(f.file) || (f.tier === 'private-key' && !/\.[A-Za-z0-9]{1,5}$/.test(f.file));
}

/** Message and hint of one finding; built from rule metadata and the redacted preview only. */
export function describeFinding(f: RawFinding): Finding {
  const where = f.kind === 'test' ? ' in test code' : f.kind === 'example' ? ' in example code' : f.kind === 'generated' ? ' in generated code' : '';
  let message: string;
  if (f.line === 0) message = `${capitalize(f.title)}: a file of this kind was committed`;
  else if (f.ruleId === 'generic-api-key') message = `Possible secret assigned to ${f.name ?? 'a secret-like name'}${where} (${f.preview})`;
  else message = `${capitalize(f.title)} committed${where} (${f.preview})`;
  if (f.note) message += `: ${f.note}`;

  const revoke = revokeHint(f.ruleId) ?? (f.tier === 'custom' ? 'Revoke or rotate it where it was issued' : 'If it is a real credential, rotate it where it was issued');
  const parts = [
    `${revoke}, then remove it from the git history (git filter-repo --replace-text, or BFG): a later commit that deletes it leaves it in every clone.`,
  ];
  if (f.tier === 'private-key' && f.kind === 'test') {
    parts.push('For a test key, write it as "-----BEGIN RSA TESTING KEY-----" and replace "TESTING KEY" with "PRIVATE KEY" at run time, as Go\'s own tests do.');
  }
  if (f.tier === 'generic' || f.tier === 'credential') parts.push('Read it from the environment or a secret store instead.');
  if (cannotHoldComment(f)) {
    // A PEM, key store or JSON key file has no comment syntax: an inline allow would break it.
    parts.push(`If it is not a real secret (a test key), add the line \`${f.fingerprint}\` to ${GITLEAKS_IGNORE_FILE}, or list the file in checks.secrets.paths-ignore in ${CONFIG_HINT}.`);
  } else {
    const at = f.line > 0 ? ` on line ${f.line}` : '';
    parts.push(`If it is not a real secret, add a "preflight:allow" (or "gitleaks:allow") comment${at}, or add \`${f.fingerprint}\` to ${GITLEAKS_IGNORE_FILE}.`);
  }

  const out: Finding = { severity: f.severity, message, hint: parts.join(' '), file: f.file, ruleId: f.ruleId, fingerprint: f.fingerprint };
  if (f.line > 0) {
    out.line = f.line;
    out.column = f.column;
  }
  return out;
}

/** `.gitleaksignore`, read as every repository file is (core/safe-read.ts); a refusal is returned, never read. */
async function readIgnoreFile(
  file: string,
  root: string,
): Promise<{ fingerprints: Set<string>; badLines: number[]; lineOf: Map<string, number> } | { error: UnsafeReadError } | undefined> {
  const read = await tryReadRepoFile(file, { root, maxBytes: READ_LIMITS.ignoreFile });
  if (read === undefined || 'error' in read) return read;
  const text = read.text;
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const fp = raw.trim() && !raw.trim().startsWith('#') ? normalizeFingerprint(raw) : undefined;
    if (fp && !lineOf.has(fp)) lineOf.set(fp, i + 1);
  });
  return { ...parseGitleaksIgnore(text), lineOf };
}

/** The plain `file:rule:line` fingerprint of a finding (a commit finding's starts with its sha). */
function plainFingerprint(f: RawFinding): string {
  return `${f.file}:${f.ruleId}:${f.line}`;
}

/** A commit finding's message says where it is now: in the history only. */
export function describeCommitFinding(f: CommitFinding): Finding {
  const out = describeFinding(f);
  out.message += ` [added in commit ${f.commit.slice(0, 12)}, no longer in the files]`;
  out.commit = f.commit;
  out.fingerprint = f.fingerprint;
  return out;
}

/** The error reason for files that could not be read: each named (the first 3), with why. */
export function unreadableReason(list: ReadonlyArray<{ file: string; reason: string }>): string {
  const shown = list.slice(0, 3).map((u) => `${u.file} (${u.reason})`);
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  return `could not read ${list.length === 1 ? 'a file, so it was' : `${list.length} files, so they were`} not scanned for secrets: ${shown.join(', ')}${more}; make them readable by the user running go-preflight, or list them in checks.secrets.paths-ignore`;
}

function problemFinding(ctx: CheckContext, p: ConfigProblem): Finding {
  const f: Finding = {
    severity: 'warning',
    message: `${path.basename(p.file)}: ${p.message}`,
    hint: 'Fix the entry: go-preflight reads .gitleaks.toml like gitleaks v8 and runs its patterns on an RE2 engine (Go regexp syntax); an entry it cannot use is skipped.',
    file: reportPath(ctx.dir, p.file),
    ruleId: 'gitleaks-config',
  };
  if (p.line) f.line = p.line;
  return f;
}

/** The config file position of a secrets option, for `at`: `.github/go-preflight.yml:12`. */
function configAt(ctx: CheckContext, key: string): string | undefined {
  const file = ctx.settings.configFile;
  if (!file) return undefined;
  const line = ctx.settings.configLines?.[`checks.secrets.${key}`];
  return `${reportPath(ctx.dir, file)}${line ? `:${line}` : ''}`;
}

function suppression(f: RawFinding, by: string, at: string | undefined, added: boolean | undefined, commit?: string): Suppression {
  const s: Suppression = { file: f.file, by };
  if (f.line > 0) s.line = f.line;
  s.ruleId = f.ruleId;
  if (at) s.at = at;
  if (added !== undefined) s.addedByChange = added;
  if (commit) s.commit = commit;
  return s;
}

export const secretsCheck: Check = {
  id: 'secrets',
  title: 'Committed secrets',
  needs: [],
  options: {
    'scan-vendor': { type: 'boolean', default: false, description: 'Also scan vendor/ directories (third-party code, skipped by default).' },
    'max-file-size': {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_MAX_FILE_SIZE,
      description: 'Files larger than this many bytes are not scanned (a notice names them). Default 5 MiB.',
    },
    'diff-base': {
      type: 'string',
      description:
        "Report only secrets on lines changed since the branch left this git ref (default: the pull request's base branch). An empty string scans everything.",
    },
    baseline: {
      type: 'string',
      description: 'JSON file of accepted findings, relative to the directory: an array of {fingerprint}, a gitleaks JSON report, or a previous go-preflight JSON report.',
    },
    'paths-ignore': { type: 'array', items: { type: 'string', description: 'A glob (gitignore style).' }, description: 'Paths never scanned.' },
    'disabled-rules': { type: 'array', items: { type: 'string', description: 'A rule id, e.g. generic-api-key.' }, description: 'Rules not to run.' },
    generic: {
      type: 'boolean',
      default: true,
      description: 'Run the generic rules: secret-like names assigned high-entropy values, JWTs, bearer tokens.',
    },
    workers: { type: 'integer', minimum: 1, maximum: 64, description: 'Most worker threads for large repositories (default: the CPUs, at most 8).' },
    commits: {
      type: 'string',
      enum: ['auto', 'off'],
      default: 'auto',
      description:
        'auto: also scan the lines each commit of the change added (a pull request\'s or a push\'s commits in the action, --since/--history on the command line); off: only the files.',
    },
  },

  async run(ctx) {
    const o = ctx.options;
    const enforced = ctx.settings.enforce?.includes('secrets') === true;
    const scanVendor = o['scan-vendor'] === true;
    const maxFileSize = typeof o['max-file-size'] === 'number' ? o['max-file-size'] : DEFAULT_MAX_FILE_SIZE;
    const pathsIgnore = Array.isArray(o['paths-ignore']) ? (o['paths-ignore'] as string[]) : [];
    const disabled = Array.isArray(o['disabled-rules']) ? (o['disabled-rules'] as string[]) : [];
    const git = ctx.probe.git;
    const isRepo = git.isRepo;
    const root = isRepo && git.root ? git.root : ctx.dir;
    const gitOpts = { exec: ctx.exec, env: ctx.env, signal: ctx.signal };
    const findings: Finding[] = [];
    const notes: string[] = [];
    const exclude: string[] = [];
    const suppressed: Suppression[] = [];
    const dirPrefix = reportPath(root, ctx.dir);

    // 1. The user's gitleaks configuration. Enforced: its custom rules add detections, but its
    //    allowlists, disabled rules and a missing `useDefault` cannot take any away, and its own
    //    files are scanned like any other.
    let config: RulesetConfig = { ...DEFAULT_RULESET_CONFIG };
    let glFile: string | undefined;
    const gl = await loadGitleaksConfig(root);
    if (gl) {
      glFile = reportPath(ctx.dir, gl.files[0] ?? path.join(root, '.gitleaks.toml'));
      findings.push(...gl.problems.map((p) => problemFinding(ctx, p)));
      if (enforced) {
        const weakening = gl.config.allowlists.length + gl.config.disabledRules.length + gl.config.rules.filter((r) => r.allowlists.length).length + (gl.config.useDefault ? 0 : 1);
        config = { ...gl.config, useDefault: true, allowlists: [], disabledRules: [], rules: gl.config.rules.map((r) => ({ ...r, allowlists: [] })) };
        notes.push(
          `secrets is enforced: ${gl.config.rules.length} custom rule(s) from ${glFile} add detections${weakening ? `; its allowlists, disabled rules and useDefault are not applied` : ''}.`,
        );
      } else {
        config = gl.config;
        exclude.push(...gl.files.map((f) => reportPath(ctx.dir, f)));
        notes.push(`Rules from ${glFile}${config.useDefault ? ' on top of the default rules' : ' only (no [extend] useDefault)'}.`);
      }
    }
    config = { ...config, disabledRules: [...new Set([...config.disabledRules, ...disabled])], generic: o.generic !== false };

    // 2. Accepted findings (none when enforced: the repository cannot accept its own secrets).
    const ignored = new Map<string, string>(); // fingerprint -> where (file:line)
    for (const d of new Set([ctx.dir, root])) {
      const file = path.join(d, GITLEAKS_IGNORE_FILE);
      const parsed = await readIgnoreFile(file, root);
      if (!parsed) continue;
      if ('error' in parsed) {
        findings.push({
          severity: 'warning',
          message: `${describeUnsafeRead(parsed.error, reportPath(ctx.dir, file))}, so it ignores nothing`,
          hint: `Commit ${GITLEAKS_IGNORE_FILE} as a regular file of fingerprints (file:rule-id:line), one per line.`,
          file: reportPath(ctx.dir, file),
        });
        continue;
      }
      const rel = reportPath(ctx.dir, file);
      if (enforced) {
        if (parsed.fingerprints.size) notes.push(`secrets is enforced: the ${parsed.fingerprints.size} entries of ${rel} are not applied.`);
        continue;
      }
      exclude.push(rel);
      for (const fp of parsed.fingerprints) if (!ignored.has(fp)) ignored.set(fp, `${rel}:${parsed.lineOf.get(fp) ?? 0}`);
      for (const line of parsed.badLines.slice(0, 5)) {
        findings.push({
          severity: 'notice',
          message: `${GITLEAKS_IGNORE_FILE}: line ${line} is not a fingerprint (file:rule-id:line), so it ignores nothing`,
          hint: 'Copy the fingerprint from the finding\'s hint, e.g. `config/app.yaml:generic-api-key:12`.',
          file: rel,
          line,
        });
      }
    }
    let baseline = new Set<string>();
    let baselineRel: string | undefined;
    if (typeof o.baseline === 'string' && o.baseline) {
      const file = path.resolve(ctx.dir, o.baseline);
      baselineRel = reportPath(ctx.dir, file);
      exclude.push(baselineRel);
      try {
        baseline = parseBaseline(await readRepoFile(file, { root, maxBytes: READ_LIMITS.baseline }));
      } catch (e) {
        if (isUnsafeReadError(e) && (e.reason !== 'missing' || e.symlink)) {
          findings.push({
            severity: 'warning',
            message: `The baseline ${describeUnsafeRead(e, reportPath(ctx.dir, file))}, so no finding is accepted from it`,
            hint: `Point checks.secrets.baseline in ${CONFIG_HINT} at a regular file of this repository holding a JSON report of a previous run.`,
            file: reportPath(ctx.dir, file),
          });
        } else {
          findings.push({
            severity: 'warning',
            // A JSON.parse message quotes the text, and a gitleaks report holds secrets: say less.
            message: `The baseline ${o.baseline} cannot be used (${e instanceof SyntaxError ? 'not valid JSON' : getErrorMessage(e).split('\n')[0]}), so no finding is accepted from it`,
            hint: `Point checks.secrets.baseline in ${CONFIG_HINT} at a JSON report of a previous run (go-preflight --format json, or gitleaks --report-format json).`,
            file: reportPath(ctx.dir, file),
          });
        }
      }
    }

    // 3. Diff scope.
    let scope: DiffScope | undefined;
    const base = typeof o['diff-base'] === 'string' ? o['diff-base'].trim() : ctx.ci.baseRef?.trim();
    if (base && isRepo) {
      const r = await resolveDiffScope(ctx.dir, base, gitOpts, git.shallow === true);
      if ('scope' in r) scope = r.scope;
      else if (r.problem === 'shallow') {
        // Scanning everything is the safe side. With the default base (the pull request's), this is
        // what every default actions/checkout (fetch-depth: 1) gets: say it, but do not warn on
        // every pull request; a diff-base the user configured is a warning.
        const explicit = typeof o['diff-base'] === 'string';
        findings.push({
          severity: explicit ? 'warning' : 'notice',
          message: `The clone is shallow and lacks the history of ${base}, so every tracked file was scanned instead of the lines this branch changed`,
          hint: 'Set `fetch-depth: 0` on actions/checkout (`with: fetch-depth: 0`) so that the base branch and the merge base are available.',
        });
      } else {
        findings.push({
          severity: 'warning',
          message: `Cannot tell which lines changed since ${base} (${r.detail}), so every tracked file was scanned`,
          hint: `Set checks.secrets.diff-base in ${CONFIG_HINT} to a branch or commit that exists in this clone, or fetch it first.`,
        });
      }
    } else if (base && typeof o['diff-base'] === 'string') {
      notes.push(`diff-base ${base} is ignored: ${ctx.dir} is not a git repository.`);
    }

    // 4. Scan.
    let cache: { store: NonNullable<typeof ctx.ci.cache>; key: string; dir: string } | undefined;
    if (ctx.ci.cache && isRepo) {
      const hash = createHash('sha256').update(JSON.stringify({ config, maxFileSize, scanVendor })).digest('hex').slice(0, 16);
      cache = { store: ctx.ci.cache, key: `secrets-v${RULESET_VERSION}-${hash}`, dir: await ctx.tempDir('secrets-cache') };
    }
    const scanOpts = {
      mode: (isRepo ? 'git' : 'walk') as 'git' | 'walk',
      scanVendor,
      maxFileSize,
      pathsIgnore,
      exclude,
      only: scope ? new Set(scope.changed.keys()) : undefined,
      workers: typeof o.workers === 'number' ? o.workers : undefined,
      exec: ctx.exec,
      env: ctx.env,
      signal: ctx.signal,
      logger: ctx.logger,
    };
    // The files and the commits are scanned at the same time: the commits are mostly `git log`
    // processes, the files mostly this process.
    const scanTree = scanRepo(ctx.dir, { ...scanOpts, config, cache });
    scanTree.catch(() => undefined);
    const allowFiles = isRepo ? grepAllowFiles(ctx.dir, gitOpts) : Promise.resolve([]);
    allowFiles.catch(() => undefined);

    // 5. The commits of the change: the lines each one added (a secret added then deleted).
    let commitFindings: CommitFinding[] = [];
    let commitInline: CommitFinding[] = [];
    let plan: CommitPlan | undefined;
    let commitScan: Promise<CommitScanResult> | undefined;
    const commitsMode = o.commits === 'off' ? 'off' : 'auto';
    if (ctx.ci.commits && commitsMode === 'off') notes.push('checks.secrets.commits is off: the commits of the change were not scanned, only the files.');
    else if (ctx.ci.commits && !isRepo) notes.push(`The commits were not scanned: ${ctx.dir} is not a git repository.`);
    else if (ctx.ci.commits) {
      plan = await commitsToScan(ctx.dir, ctx.ci.commits, gitOpts, git.shallow === true);
      findings.push(...plan.findings);
      notes.push(...plan.notes);
      if (plan.range) {
        commitScan = scanCommits(ctx.dir, plan.range, gitOpts, {
          config,
          scanVendor,
          maxFileSize,
          pathsIgnore,
          exclude,
          workers: scanOpts.workers,
          logger: ctx.logger,
        });
        commitScan.catch(() => undefined);
      }
    }
    const result = await scanTree;
    if (commitScan && plan) {
      const cr = await commitScan;
      commitFindings = dedupeAgainstTree(result.findings, cr.findings);
      commitInline = dedupeAgainstTree(result.findings, cr.inlineAllowed);
      const threads = cr.threads > 1 ? ` on ${cr.threads} threads` : '';
      notes.push(`Scanned the lines added by ${cr.commits} commit(s), ${plan.what} (${mb(cr.bytes)}) in ${(cr.durationMs / 1000).toFixed(2)} s${threads}.`);
    }

    // Lines the change added (for addedByChange), by path relative to the repository root.
    let addedMap: Map<string, Set<number>> | undefined;
    if (plan?.base) addedMap = await addedLinesSince(ctx.dir, plan.base, gitOpts);
    else if (scope) addedMap = await addedLinesSince(ctx.dir, scope.mergeBase, gitOpts);
    const added = addedLookup(addedMap, dirPrefix);
    const addedAt = (file: string | undefined, line?: number): boolean | undefined => (added && file ? added(file, line) : undefined);
    const historyOnly = ctx.ci.commits?.source === 'history';

    // 6. Mask every value found (accepted ones too: they are still secrets), then filter.
    for (const f of [...result.findings, ...commitFindings, ...commitInline]) if (f.secret) for (const piece of maskPieces(f.secret)) ctx.ci.maskSecret?.(piece);
    // A file the scan could not read may hold a secret: the check could not look, so it is an error.
    if (result.unreadable.length) throw new CheckIncompleteError(unreadableReason(result.unreadable));
    let inIgnore = 0;
    let inBaseline = 0;
    let outOfScope = 0;
    const accept = (f: RawFinding, commit?: string): boolean => {
      const fp = plainFingerprint(f);
      const ig = ignored.get(fp) ?? (commit ? ignored.get(normalizeFingerprint(f.fingerprint) ?? '') : undefined);
      if (ig) {
        inIgnore++;
        const [igFile, igLine] = [ig.slice(0, ig.lastIndexOf(':')), Number(ig.slice(ig.lastIndexOf(':') + 1))];
        suppressed.push(suppression(f, GITLEAKS_IGNORE_FILE, ig, addedAt(igFile, igLine), commit));
        return false;
      }
      if (baseline.has(fp)) {
        inBaseline++;
        suppressed.push(suppression(f, 'baseline', baselineRel, addedAt(baselineRel), commit));
        return false;
      }
      return true;
    };
    for (const f of result.findings) {
      if (scope && !inScope(scope, f.file, f.line, f.endLine)) {
        outOfScope++;
        continue;
      }
      if (accept(f)) findings.push(describeFinding(f));
    }
    for (const f of commitFindings) if (accept(f, f.commit)) findings.push(describeCommitFinding(f));

    // 7. Every other suppression, so that a reviewer sees what was hidden and by what.
    if (isRepo) {
      const ignoreRes = pathsIgnore.filter((g) => g.trim()).map(globToRegExp);
      const excluded = new Set(exclude);
      const keep = (rel: string) => !skipReason(rel, scanVendor) && !excluded.has(rel) && !matchesAny(rel, ignoreRes) && (!scope || scope.changed.has(rel));
      const inline = inlineAllowedInTree(ctx.dir, await allowFiles, () => rulesetFor(config), result.findings, keep, maxFileSize);
      for (const f of inline) {
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        suppressed.push(suppression(f, 'inline comment', `${f.file}:${f.line}`, addedAt(f.file, f.line)));
      }
      for (const f of dedupeAgainstTree([...result.findings, ...inline], commitInline)) suppressed.push(suppression(f, 'inline comment', `${f.file}:${f.line}`, historyOnly ? undefined : true, f.commit));
    }
    // Listing what paths-ignore and the rule changes hide means scanning more: within the change
    // (a pull request's diff scope) or a small tree only, else a note says it was not listed.
    const listHidden = !!scope || result.stats.bytes <= LIST_HIDDEN_MAX_BYTES;
    const rulesWeakened = !config.useDefault || config.allowlists.length > 0 || config.disabledRules.length > 0 || !config.generic || config.rules.some((r) => r.allowlists.length > 0);
    if (!listHidden && (pathsIgnore.length || rulesWeakened)) {
      notes.push(`Findings hidden by ${[pathsIgnore.length ? 'paths-ignore' : '', rulesWeakened ? 'allowlists or disabled rules' : ''].filter(Boolean).join(' and ')} are listed as suppressed only within a pull request's changes or in trees under ${mb(LIST_HIDDEN_MAX_BYTES)}.`);
    }
    if (pathsIgnore.length && listHidden) {
      const hidden = await scanRepo(ctx.dir, { ...scanOpts, config, invertIgnore: true });
      const at = configAt(ctx, 'paths-ignore');
      const cfgRel = ctx.settings.configFile ? reportPath(ctx.dir, ctx.settings.configFile) : undefined;
      const line = ctx.settings.configLines?.['checks.secrets.paths-ignore'];
      for (const f of hidden.findings) {
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        suppressed.push(suppression(f, 'paths-ignore', at, cfgRel ? addedAt(cfgRel, line) : undefined));
      }
    }
    if (rulesWeakened && listHidden) {
      // The same files with every rule and no allowlist: what is found there and not above was hidden.
      const strict: RulesetConfig = { ...config, useDefault: true, allowlists: [], disabledRules: [], generic: true, rules: config.rules.map((r) => ({ ...r, allowlists: [] })) };
      const full = await scanRepo(ctx.dir, { ...scanOpts, config: strict });
      const seen = new Set(result.findings.map((f) => `${f.file}\0${f.ruleId}\0${f.line}`));
      const glAdded = glFile ? addedAt(glFile) : undefined;
      const cfgRel = ctx.settings.configFile ? reportPath(ctx.dir, ctx.settings.configFile) : undefined;
      for (const f of full.findings) {
        if (seen.has(`${f.file}\0${f.ruleId}\0${f.line}`)) continue;
        if (scope && !inScope(scope, f.file, f.line, f.endLine)) continue;
        if (disabled.includes(f.ruleId)) suppressed.push(suppression(f, 'disabled-rules', configAt(ctx, 'disabled-rules'), cfgRel ? addedAt(cfgRel, ctx.settings.configLines?.['checks.secrets.disabled-rules']) : undefined));
        else if (o.generic === false && f.tier === 'generic') suppressed.push(suppression(f, 'generic: false', configAt(ctx, 'generic'), cfgRel ? addedAt(cfgRel, ctx.settings.configLines?.['checks.secrets.generic']) : undefined));
        else if (glFile) suppressed.push(suppression(f, config.disabledRules.includes(f.ruleId) ? 'disabled-rules' : config.useDefault ? 'allowlist' : 'useDefault off', glFile, glAdded));
      }
    }

    for (const big of result.oversized.slice(0, MAX_OVERSIZED_NOTICES)) {
      findings.push({
        severity: 'notice',
        message: `${big.file} is ${mb(big.size)}, over max-file-size (${mb(maxFileSize)}): it was not scanned for secrets`,
        hint: `Raise checks.secrets.max-file-size in ${CONFIG_HINT}, or list the file in checks.secrets.paths-ignore to say it needs no scan.`,
        file: big.file,
      });
    }
    if (result.oversized.length > MAX_OVERSIZED_NOTICES) {
      notes.push(`${result.oversized.length - MAX_OVERSIZED_NOTICES} more files over max-file-size were not scanned.`);
    }

    const s = result.stats;
    const cached = s.fromCache ? `, ${s.fromCache} unchanged files from the cache` : '';
    const threads = s.threads > 1 ? ` on ${s.threads} threads` : '';
    notes.push(`Scanned ${s.scanned} ${s.mode === 'git' ? 'tracked files' : 'files'} (${mb(s.bytes)}) in ${(s.durationMs / 1000).toFixed(2)} s${threads}${cached}.`);
    if (scope) {
      notes.push(`Only lines changed since ${scope.base} (merge base ${scope.mergeBase.slice(0, 12)}) are reported${outOfScope ? `; ${outOfScope} older findings are not` : ''}.`);
    }
    if (inIgnore) notes.push(`${inIgnore} finding(s) accepted by ${GITLEAKS_IGNORE_FILE}.`);
    if (inBaseline) notes.push(`${inBaseline} finding(s) accepted by the baseline.`);
    const addedSupp = suppressed.filter((x) => x.addedByChange).length;
    if (addedSupp) notes.push(`${addedSupp} suppression(s) were added by this change: review them.`);
    // Those the change added first, then the others, at most MAX_SUPPRESSED.
    suppressed.sort((a, b) => Number(!!b.addedByChange) - Number(!!a.addedByChange));
    if (suppressed.length > MAX_SUPPRESSED) {
      notes.push(`${suppressed.length} findings were suppressed; the report lists the first ${MAX_SUPPRESSED} (those this change added first).`);
      suppressed.length = MAX_SUPPRESSED;
    }
    return { findings, notes, ...(suppressed.length ? { suppressed } : {}) };
  },
};
