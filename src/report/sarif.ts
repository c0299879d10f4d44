// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, one rule
// per check id plus one per secret rule (and per security rule of mod-verify) that has findings,
// one result per finding that has a real file to point at.
//
// What code scanning does with it, and why each part is shaped so:
// - Alerts are matched across commits by `partialFingerprints`: ours hash what the finding is
//   about (check, rule, file, module, target, commit), never its line or wording, so an edit above
//   it or a new Go version in the message keeps the alert. `primaryLocationLineHash` is left to
//   upload-sarif, which computes it from the checkout.
// - Rules tagged `security` with a `security-severity` become security alerts (committed secrets,
//   a checksum mismatch: a tampered dependency).
// - Every result needs a location with a region; a finding with no file is not pinned to a go.mod
//   that may not exist: it goes on its module's go.mod when it names a module, else it stays out
//   of the results and a notification says so.
// - A check that could not run is a tool execution notification (with `associatedRule`) and
//   makes `executionSuccessful` false.

import { createHash } from 'node:crypto';
import type { Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import { CHECK_IDS, type CheckId, type CheckResult, type Finding, type Report, type Severity } from '../core/types.js';
import { builtinRules } from '../secrets/rules.js';
import {
  CHECK_QUESTIONS,
  compareFindings,
  DEFAULT_TITLES,
  formatNumber,
  position,
  prefixedPath,
  present,
  reasonOf,
  SEVERITY_RANK,
  stringifyJson,
} from './format.js';

export interface SarifOptions {
  /** go-preflight's version, shown by code scanning as the tool version. */
  toolVersion?: string;
  /** The project's home page; rules link to the README section of their check there. */
  informationUri?: string;
  /** The inspected dir relative to the repository root (`sub/dir/`), prepended to files. */
  pathPrefix?: string;
  /** At most this many results (code scanning rejects a run with more than 25,000). */
  maxResults?: number;
  /**
   * Whether a file (relative to the inspected dir) exists in the repository at the analysed
   * commit. When given, a module's go.mod is used as the location of a finding without a file
   * only if it is there.
   */
  linkable?: (file: string) => boolean;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** go-preflight's home: `uses: go-preflight/go-preflight@v0` in the README. */
export const DEFAULT_INFORMATION_URI = 'https://github.com/go-preflight/go-preflight';
/** Key of our partial fingerprint; the version changes whenever the hashed fields change. */
export const FINGERPRINT_KEY = 'goPreflight/v2';
/** Code scanning's hard limit: a run with more results is rejected whole. */
export const MAX_RESULTS = 25_000;
/** Findings without a location are listed one notification each up to this many, then counted. */
const MAX_UNLOCATED_NOTIFICATIONS = 100;

/** The README heading anchor of each check's section (`### \`id\` — question`); a test keeps them in step with the README. */
export const README_ANCHORS: Record<CheckId, string> = {
  toolchain: 'toolchain--is-the-running-go-the-one-this-repo-asks-for',
  'go-env': 'go-env--are-the-go-environment-variables-and-caches-sane',
  'mod-verify': 'mod-verify--do-gosum-and-the-module-cache-agree-with-what-was-published',
  'mod-tidy': 'mod-tidy--are-gomod-and-gosum-tidy-in-every-module',
  vendor: 'vendor--is-vendor-consistent-with-gomod',
  modules: 'modules--is-the-module-graph-buildable-here',
  'git-clean': 'git-clean--is-the-working-tree-clean',
  targets: 'targets--is-every-goosgoarch-one-this-go-supports',
  packages: 'packages--do-the-packages-load-for-every-target',
  cgo: 'cgo--is-there-a-working-c-toolchain-for-every-target-that-needs-one',
  secrets: 'secrets--are-there-credentials-committed-in-tracked-files',
};

/** How to fix what each check finds (the rule's `help`; each result's message holds its own fix too). */
export const CHECK_HELP: Record<CheckId, string> = {
  toolchain:
    'Run the Go the repository asks for: give actions/setup-go `go-version-file: go.mod` (or the same version as `go-version`), or change the `go`/`toolchain` line, `.go-version` or `.tool-versions` so that they agree. The finding names the file and line to change.',
  'go-env':
    'Correct or unset the variable the finding names (in the workflow `env:`, or `go env -w NAME=value` / `go env -u NAME`), and make GOCACHE and GOMODCACHE writable directories.',
  'mod-verify':
    'If go.sum disagrees with what was downloaded or with the checksum database, do not overwrite go.sum: find out why (a re-tagged or tampered dependency) first. A modified module cache is replaced with `go clean -modcache && go mod download`; missing go.sum entries are added by `go mod download` or `go mod tidy`.',
  'mod-tidy': 'Run `go mod tidy` in the module the finding names and commit go.mod and go.sum.',
  vendor: 'Run `go mod vendor` in the module the finding names and commit vendor/ (or remove vendor/ and stop vendoring).',
  modules:
    'Fix the go.mod or go.work line the finding names: create or correct the `replace` target or the `use` directory, make the module path match the repository, or raise the `go` line to what the dependency needs.',
  'git-clean':
    'Commit, delete or .gitignore the files the finding names; when an earlier step writes them, run go-preflight before that step or make the step write outside the repository.',
  targets: 'Correct or remove the GOOS/GOARCH pair in the `targets` input or config: `go tool dist list` prints the pairs this Go supports.',
  packages:
    'Fix the package the finding names: add the missing module (`go get`), the missing go.sum entry (`go mod download`), a Go file that builds for the target, or `func main` in package main.',
  cgo: 'Install the C toolchain for the target (CC or a cross compiler, and the pkg-config packages the finding names), or build that target with CGO_ENABLED=0.',
  secrets:
    'Revoke or rotate the credential where it was issued, then remove it from the git history (git filter-repo --replace-text, or BFG) and read it from a secret store. If it is not a secret, add a `preflight:allow` comment on its line or its fingerprint to .gitleaksignore.',
};

/** mod-verify rules that mean a dependency is not what was published: security alerts. */
const SECURITY_MOD_RULES: Record<string, { title: string; severity: string }> = {
  'gosum-mismatch': { title: 'go.sum does not match the downloaded module', severity: '8.0' },
  'sumdb-mismatch': { title: 'go.sum does not match the checksum database', severity: '8.0' },
  'mod-cache-modified': { title: 'Module cache content was modified', severity: '7.0' },
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

/** `mod-tidy` -> `ModTidy`, `github-pat` -> `GithubPat` (SARIF rule names are identifier-like). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : ''))
    .join('');
}

/** A relative URI reference: forward slashes, each segment percent-encoded (spaces, `#`, `%`). */
function toUri(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

let secretRuleInfo: Map<string, { title: string; tier: string }> | undefined;
function secretRule(id: string): { title: string; tier: string } | undefined {
  secretRuleInfo ??= new Map(builtinRules().map((r) => [r.id, { title: r.title, tier: r.tier }]));
  return secretRuleInfo.get(id);
}

/**
 * The security severity of a secret rule (code scanning: 9.0+ critical, 7.0+ high, 4.0+ medium):
 * a provider key or a private key is critical; a credential in a config format high; a generic
 * or custom finding medium.
 */
function secretSeverity(ruleId: string): string {
  const tier = secretRule(ruleId)?.tier;
  if (tier === 'provider' || tier === 'private-key') return '9.5';
  if (tier === 'credential') return '8.0';
  return '5.5';
}

/** The SARIF rule a finding belongs to: its check, or `check/rule` for secrets and security rules. */
function sarifRuleId(checkId: CheckId, f: Finding): string {
  const rule = present(f.ruleId);
  if (rule && checkId === 'secrets') return `secrets/${rule}`;
  if (rule && checkId === 'mod-verify' && rule in SECURITY_MOD_RULES) return `mod-verify/${rule}`;
  return checkId;
}

function checkRule(id: CheckId, title: string, info: string): ReportingDescriptor {
  const help = CHECK_HELP[id];
  return {
    id,
    // Not PascalCase(id): the Multitool's SARIF1001 wants a name that differs from the id beyond case.
    name: pascalCase(DEFAULT_TITLES[id]),
    shortDescription: { text: title },
    fullDescription: { text: CHECK_QUESTIONS[id] },
    help: { text: help, markdown: help },
    helpUri: `${info}#${README_ANCHORS[id]}`,
    properties: { tags: id === 'secrets' ? ['security', 'go'] : ['go'], ...(id === 'secrets' ? { 'security-severity': '8.0' } : {}) },
  };
}

function subRule(id: string, info: string): ReportingDescriptor {
  const [checkId, rule] = id.split('/', 2) as [CheckId, string];
  if (checkId === 'secrets') {
    const title = secretRule(rule)?.title ?? rule;
    return {
      id,
      name: pascalCase(`secret-${rule}`),
      shortDescription: { text: `Committed secret: ${title}` },
      fullDescription: { text: `A value that the ${rule} rule recognises as ${title} is committed. ${CHECK_QUESTIONS.secrets}` },
      help: { text: CHECK_HELP.secrets, markdown: CHECK_HELP.secrets },
      helpUri: `${info}#${README_ANCHORS.secrets}`,
      properties: { tags: ['security', 'secret'], 'security-severity': secretSeverity(rule) },
    };
  }
  const sec = SECURITY_MOD_RULES[rule]!;
  return {
    id,
    name: pascalCase(rule),
    shortDescription: { text: sec.title },
    fullDescription: { text: `${sec.title}: the dependency is not what was published (tampered, or re-tagged upstream). ${CHECK_QUESTIONS['mod-verify']}` },
    help: { text: CHECK_HELP['mod-verify'], markdown: CHECK_HELP['mod-verify'] },
    helpUri: `${info}#${README_ANCHORS['mod-verify']}`,
    properties: { tags: ['security', 'supply-chain'], 'security-severity': sec.severity },
  };
}

/**
 * What a finding is about, for its fingerprint: check, rule, file, module, target and commit;
 * never the line or the message, which change with unrelated edits and Go versions.
 */
function fingerprintKey(checkId: string, f: Finding): string {
  return [checkId, f.ruleId ?? '', (f.file ?? '').replace(/\\/g, '/'), f.module ?? '', f.target ?? '', f.commit ?? ''].join('\0');
}

function hash(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Fingerprints of a check's findings (in the given order). Findings about the same thing are
 * told apart by their rank among those (by line, then message): the second untidy require of a
 * go.mod stays the second when a line is added above both.
 */
export function findingFingerprints(checkId: string, findings: readonly Finding[]): string[] {
  const keys = findings.map((f) => fingerprintKey(checkId, f));
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const out = keys.map((k) => hash(k));
  for (const [k, idx] of groups) {
    if (idx.length < 2) continue;
    idx
      .sort((a, b) => (position(findings[a]!.line) ?? 0) - (position(findings[b]!.line) ?? 0) || (findings[a]!.message < findings[b]!.message ? -1 : findings[a]!.message > findings[b]!.message ? 1 : 0) || a - b)
      .forEach((i, rank) => {
        if (rank > 0) out[i] = hash(`${k}\0${rank}`);
      });
  }
  return out;
}

/**
 * The file a result points at: the finding's file when it is in the repository (a finding seen in
 * a commit is, at that commit), else its module's go.mod; undefined when neither (an untracked
 * file, an environment variable): such a finding becomes a notification.
 */
function locationFile(f: Finding, linkable: SarifOptions['linkable']): string | undefined {
  const file = present(f.file)?.replace(/\\/g, '/');
  if (file && (!linkable || present(f.commit) || linkable(file))) return present(f.file);
  const mod = present(f.module)?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (mod === undefined) return undefined;
  const gomod = mod === '' || mod === '.' ? 'go.mod' : `${mod}/go.mod`;
  return !linkable || linkable(gomod) ? gomod : undefined;
}

function result(check: CheckResult, f: Finding, file: string, ruleId: string, ruleIndex: number, fingerprint: string, pathPrefix: string | undefined): Result {
  const hint = present(f.hint);
  const own = present(f.file) !== undefined;
  const line = own ? position(f.line) : undefined;
  const column = line ? position(f.column) : undefined;
  const endLine = line ? position(f.endLine) : undefined;
  const endColumn = endLine && column ? position(f.endColumn) : undefined;
  const region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number } = { startLine: line ?? 1 };
  if (column) region.startColumn = column;
  if (endLine && endLine >= region.startLine) {
    region.endLine = endLine;
    // SARIF's endColumn is exclusive; ours is the last column (inclusive).
    if (endColumn && (endLine > region.startLine || endColumn >= (column ?? 1))) region.endColumn = endColumn + 1;
  }
  const properties: Record<string, string> = { check: check.id };
  const target = present(f.target);
  const module = present(f.module);
  const commit = present(f.commit);
  const rule = present(f.ruleId);
  if (rule) properties.subRule = rule;
  if (target) properties.target = target;
  if (module) properties.module = module;
  if (commit) properties.commit = commit;
  let text = f.message;
  if (commit) text += ` (in commit ${commit.slice(0, 12)})`;
  if (hint) text += `\nFix: ${hint}`;
  return {
    ruleId,
    ruleIndex,
    level: LEVEL[f.severity] ?? 'note',
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(prefixedPath(pathPrefix, file)), uriBaseId: '%SRCROOT%' },
          region,
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties,
  };
}

export function toSarif(report: Report, opts: SarifOptions = {}): Log {
  const titles = new Map(report.checks.map((c) => [c.id, c.title] as const));
  const info = present(opts.informationUri)?.replace(/\/+$/, '') ?? DEFAULT_INFORMATION_URI;

  interface Item {
    check: CheckResult;
    f: Finding;
    fingerprint: string;
    ruleId: string;
    file?: string;
  }
  const all: Item[] = [];
  for (const check of report.checks) {
    const sorted = [...check.findings].sort(compareFindings);
    const fps = findingFingerprints(check.id, sorted);
    sorted.forEach((f, i) => all.push({ check, f, fingerprint: fps[i]!, ruleId: sarifRuleId(check.id, f), file: locationFile(f, opts.linkable) }));
  }
  const located = all.filter((x) => x.file !== undefined);
  const unlocated = all.filter((x) => x.file === undefined);

  // Over the limit, keep the most severe findings (then by check order), so that an upload is
  // never rejected and what is dropped is said in a notification.
  const maxResults = Math.max(0, Math.floor(opts.maxResults ?? MAX_RESULTS));
  let kept = located;
  if (located.length > maxResults) {
    const keep = new Set(
      located
        .map((x, i) => ({ rank: SEVERITY_RANK[x.f.severity] ?? 3, i }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .slice(0, maxResults)
        .map((x) => x.i),
    );
    kept = located.filter((_, i) => keep.has(i));
  }

  // Rules: every check, then the sub-rules that have results, sorted (stable indexes per run).
  const rules: ReportingDescriptor[] = CHECK_IDS.map((id) => checkRule(id, titles.get(id) || DEFAULT_TITLES[id], info));
  const subIds = [...new Set(kept.map((x) => x.ruleId).filter((id) => id.includes('/')))].sort();
  for (const id of subIds) rules.push(subRule(id, info));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i] as const));

  const results = kept.map((x) => result(x.check, x.f, x.file!, x.ruleId, ruleIndex.get(x.ruleId)!, x.fingerprint, opts.pathPrefix));

  const ref = (id: CheckId) => ({ id, index: ruleIndex.get(id)! });
  // A check that could not complete is not a finding about the code: SARIF records it as a tool
  // execution notification, which code scanning shows on the tool status page.
  const notifications: Notification[] = report.checks
    .filter((c) => c.status === 'error')
    .map((c) => ({
      level: 'error' as const,
      message: { text: `go-preflight could not run check ${c.id}: ${reasonOf(c)}` },
      associatedRule: ref(c.id),
    }));
  unlocated.slice(0, MAX_UNLOCATED_NOTIFICATIONS).forEach((x) => {
    const hint = present(x.f.hint);
    notifications.push({
      level: LEVEL[x.f.severity] ?? 'note',
      message: {
        text: `${x.check.id}: ${x.f.message}${hint ? `\nFix: ${hint}` : ''}\n(Not a code scanning alert: this finding is about no file in the repository at this commit; the job summary and the JSON report hold it.)`,
      },
      associatedRule: ref(x.check.id),
    });
  });
  if (unlocated.length > MAX_UNLOCATED_NOTIFICATIONS) {
    notifications.push({
      level: 'warning',
      message: { text: `${formatNumber(unlocated.length - MAX_UNLOCATED_NOTIFICATIONS)} more findings about no file are not listed here; the JSON report holds every finding` },
    });
  }
  if (kept.length < located.length) {
    const cut = located.length - kept.length;
    notifications.push({
      level: 'warning',
      message: {
        text: `${formatNumber(cut)} of ${formatNumber(located.length)} findings are not in this file: code scanning accepts at most ${formatNumber(maxResults)} results per run; the JSON report holds every finding`,
      },
    });
  }

  const run: Run = {
    tool: {
      driver: {
        name: 'go-preflight',
        ...(present(opts.toolVersion) ? { version: opts.toolVersion } : {}),
        informationUri: info,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: !report.checks.some((c) => c.status === 'error'),
        toolExecutionNotifications: notifications,
      },
    ],
    results,
    properties: { conclusion: report.conclusion, goVersion: report.go.version, targets: [...report.targets] },
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  return stringifyJson(toSarif(report, opts));
}
