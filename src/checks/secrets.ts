// secrets: are there credentials committed in tracked files?
//
// A gitleaks-compatible scan (own rules written from the providers' token formats, the user's
// .gitleaks.toml, .gitleaksignore, `gitleaks:allow`) over the working-tree content of tracked
// files. A secret's value never leaves the engine: findings carry a 4-character preview at most,
// and every value found is registered with the CI's log masking.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CheckIncompleteError, getErrorMessage } from '../core/errors.js';
import { reportPath } from '../core/paths.js';
import type { Check, CheckContext, Finding } from '../core/types.js';
import { inScope, resolveDiffScope, type DiffScope } from '../secrets/diff.js';
import { loadGitleaksConfig, type ConfigProblem } from '../secrets/gitleaks-config.js';
import { GITLEAKS_IGNORE_FILE, parseBaseline, parseGitleaksIgnore } from '../secrets/ignore.js';
import { maskPieces } from '../secrets/redact.js';
import { RULESET_VERSION, builtinRules } from '../secrets/rules.js';
import { DEFAULT_MAX_FILE_SIZE, scanRepo } from '../secrets/scan-repo.js';
import { DEFAULT_RULESET_CONFIG, type RawFinding, type RulesetConfig } from '../secrets/types.js';

const MAX_OVERSIZED_NOTICES = 20;

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

/** The error reason for files that could not be read: each named (the first 3), with why. */
export function unreadableReason(list: ReadonlyArray<{ file: string; reason: string }>): string {
  const shown = list.slice(0, 3).map((u) => `${u.file} (${u.reason})`);
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  return `could not read ${list.length === 1 ? 'a file, so it was' : `${list.length} files, so they were`} not scanned for secrets: ${shown.join(', ')}${more}; make them readable by the user running go-preflight, or list them in checks.secrets.paths-ignore`;
}

async function readIgnoreFile(file: string): Promise<{ fingerprints: Set<string>; badLines: number[] } | undefined> {
  try {
    return parseGitleaksIgnore(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
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
  },

  async run(ctx) {
    const o = ctx.options;
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

    // 1. The user's gitleaks configuration.
    let config: RulesetConfig = { ...DEFAULT_RULESET_CONFIG };
    const gl = await loadGitleaksConfig(root);
    if (gl) {
      config = gl.config;
      findings.push(...gl.problems.map((p) => problemFinding(ctx, p)));
      exclude.push(...gl.files.map((f) => reportPath(ctx.dir, f)));
      notes.push(`Rules from ${reportPath(ctx.dir, gl.files[0] ?? path.join(root, '.gitleaks.toml'))}${config.useDefault ? ' on top of the default rules' : ' only (no [extend] useDefault)'}.`);
    }
    config = { ...config, disabledRules: [...new Set([...config.disabledRules, ...disabled])], generic: o.generic !== false };

    // 2. Accepted findings.
    const ignored = new Set<string>();
    for (const d of new Set([ctx.dir, root])) {
      const file = path.join(d, GITLEAKS_IGNORE_FILE);
      const parsed = await readIgnoreFile(file);
      if (!parsed) continue;
      exclude.push(reportPath(ctx.dir, file));
      for (const fp of parsed.fingerprints) ignored.add(fp);
      for (const line of parsed.badLines.slice(0, 5)) {
        findings.push({
          severity: 'notice',
          message: `${GITLEAKS_IGNORE_FILE}: line ${line} is not a fingerprint (file:rule-id:line), so it ignores nothing`,
          hint: 'Copy the fingerprint from the finding\'s hint, e.g. `config/app.yaml:generic-api-key:12`.',
          file: reportPath(ctx.dir, file),
          line,
        });
      }
    }
    let baseline = new Set<string>();
    if (typeof o.baseline === 'string' && o.baseline) {
      const file = path.resolve(ctx.dir, o.baseline);
      exclude.push(reportPath(ctx.dir, file));
      try {
        baseline = parseBaseline(await fs.readFile(file, 'utf8'));
      } catch (e) {
        findings.push({
          severity: 'warning',
          // A JSON.parse message quotes the text, and a gitleaks report holds secrets: say less.
          message: `The baseline ${o.baseline} cannot be used (${e instanceof SyntaxError ? 'not valid JSON' : getErrorMessage(e).split('\n')[0]}), so no finding is accepted from it`,
          hint: `Point checks.secrets.baseline in ${CONFIG_HINT} at a JSON report of a previous run (go-preflight --format json, or gitleaks --report-format json).`,
          file: reportPath(ctx.dir, file),
        });
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
    const result = await scanRepo(ctx.dir, {
      config,
      mode: isRepo ? 'git' : 'walk',
      scanVendor,
      maxFileSize,
      pathsIgnore,
      exclude,
      only: scope ? new Set(scope.changed.keys()) : undefined,
      workers: typeof o.workers === 'number' ? o.workers : undefined,
      cache,
      exec: ctx.exec,
      env: ctx.env,
      signal: ctx.signal,
      logger: ctx.logger,
    });

    // 5. Mask every value found (accepted ones too: they are still secrets), then filter.
    for (const f of result.findings) if (f.secret) for (const piece of maskPieces(f.secret)) ctx.ci.maskSecret?.(piece);
    // A file the scan could not read may hold a secret: the check could not look, so it is an error.
    if (result.unreadable.length) throw new CheckIncompleteError(unreadableReason(result.unreadable));
    let inIgnore = 0;
    let inBaseline = 0;
    let outOfScope = 0;
    for (const f of result.findings) {
      if (scope && !inScope(scope, f.file, f.line, f.endLine)) {
        outOfScope++;
        continue;
      }
      if (ignored.has(f.fingerprint)) {
        inIgnore++;
        continue;
      }
      if (baseline.has(f.fingerprint)) {
        inBaseline++;
        continue;
      }
      findings.push(describeFinding(f));
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
    return { findings, notes };
  },
};
