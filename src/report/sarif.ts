// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, one rule
// per check id, one result per finding. Code scanning needs a location on every result and
// tracks alerts across commits by `partialFingerprints`, so both are always filled.

import { createHash } from 'node:crypto';
import { CHECK_IDS, type CheckResult, type Finding, type Report, type Severity } from '../core/types.js';
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
  /** The project's home page; rules link to `${informationUri}#${checkId}`. */
  informationUri?: string;
  /** The inspected dir relative to the repository root (`sub/dir/`), prepended to files. */
  pathPrefix?: string;
  /** At most this many results (code scanning rejects a run with more than 25,000). */
  maxResults?: number;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of our partial fingerprint; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'goPreflight/v1';
/** The file a result without a file points at: every module has one, and code scanning needs a location. */
const FALLBACK_FILE = 'go.mod';
/** Code scanning's hard limit: a run with more results is rejected whole. */
export const MAX_RESULTS = 25_000;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: string };
    region?: { startLine: number; startColumn?: number };
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties?: { target?: string; subRule?: string };
}

/** `mod-tidy` -> `ModTidy` (SARIF rule names are identifier-like). */
function ruleName(id: string): string {
  return id
    .split('-')
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

/** Stable across runs and machines: the same check, file, line and message give the same hash. */
export function findingFingerprint(checkId: string, f: Finding): string {
  const fp = present(f.fingerprint);
  if (fp) return fp;
  const key = [checkId, f.file ?? '', String(position(f.line) ?? ''), f.message].join('\0');
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function result(check: CheckResult, f: Finding, pathPrefix: string | undefined): SarifResult {
  const ruleIndex = (CHECK_IDS as readonly string[]).indexOf(check.id);
  const hint = present(f.hint);
  const file = present(f.file);
  const line = file ? position(f.line) : undefined;
  const column = line ? position(f.column) : undefined;
  const location: SarifLocation = {
    physicalLocation: {
      artifactLocation: { uri: toUri(prefixedPath(pathPrefix, file ?? FALLBACK_FILE)), uriBaseId: '%SRCROOT%' },
      ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
    },
  };
  const properties: { target?: string; subRule?: string } = {};
  const target = present(f.target);
  const subRule = present(f.ruleId);
  if (target) properties.target = target;
  if (subRule) properties.subRule = subRule;
  return {
    ruleId: check.id,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[f.severity] ?? 'note',
    message: { text: hint ? `${f.message}\nFix: ${hint}` : f.message },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(check.id, f) },
    ...(Object.keys(properties).length ? { properties } : {}),
  };
}

export function toSarif(report: Report, opts: SarifOptions = {}): object {
  const titles = new Map(report.checks.map((c) => [c.id, c.title] as const));
  const info = present(opts.informationUri);
  const rules = CHECK_IDS.map((id) => ({
    id,
    name: ruleName(id),
    shortDescription: { text: titles.get(id) || DEFAULT_TITLES[id] },
    fullDescription: { text: CHECK_QUESTIONS[id] },
    help: { text: CHECK_QUESTIONS[id] },
    ...(info ? { helpUri: `${info}#${id}` } : {}),
  }));

  // Over the limit, keep the most severe findings (then by check order), so that an upload is
  // never rejected and what is dropped is said in a notification.
  const maxResults = Math.max(0, Math.floor(opts.maxResults ?? MAX_RESULTS));
  const all = report.checks.flatMap((check) => [...check.findings].sort(compareFindings).map((f) => ({ check, f })));
  let kept = all;
  if (all.length > maxResults) {
    const keep = new Set(
      all
        .map((x, i) => ({ rank: SEVERITY_RANK[x.f.severity] ?? 3, i }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .slice(0, maxResults)
        .map((x) => x.i),
    );
    kept = all.filter((_, i) => keep.has(i));
  }
  const results = kept.map(({ check, f }) => result(check, f, opts.pathPrefix));

  // A check that could not complete is not a finding about the code: SARIF records it as a tool
  // execution notification, which code scanning shows on the tool status page.
  const notifications: Array<{ level: string; message: { text: string }; descriptor?: { id: string } }> = report.checks
    .filter((c) => c.status === 'error')
    .map((c) => ({
      level: 'error',
      message: { text: `go-preflight could not run check ${c.id}: ${reasonOf(c)}` },
      descriptor: { id: c.id },
    }));
  if (kept.length < all.length) {
    const cut = all.length - kept.length;
    notifications.push({
      level: 'warning',
      message: {
        text: `${formatNumber(cut)} of ${formatNumber(all.length)} findings are not in this file: code scanning accepts at most ${formatNumber(maxResults)} results per run; the JSON report holds every finding`,
      },
    });
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'go-preflight',
            ...(present(opts.toolVersion) ? { version: opts.toolVersion } : {}),
            ...(info ? { informationUri: info } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        properties: { conclusion: report.conclusion, goVersion: report.go.version, targets: [...report.targets] },
      },
    ],
  };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  return stringifyJson(toSarif(report, opts));
}
