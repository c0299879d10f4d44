// toolchain: is the running Go the one this repo asks for, and is the `go` on PATH the one GOROOT says?
//
// Sources, in order of authority: the go-version input, the go-version-file input, .go-version,
// .tool-versions (`golang` line), go.work and go.mod `go` lines (minimums: older is an error),
// `toolchain` lines (advisory: older is a warning, Go does not enforce them), every workspace module.
// Versions compare in Go's own order (1.21 < 1.21rc1 < 1.21.0), not semver.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Check, CheckContext, Finding } from '../core/types.js';
import { compareGo, isReleaseVersion, isValidGoVersion, languageVersion, normalizeGoVersion } from '../core/go-version.js';
import { findDirective, type Directive } from '../core/gomod.js';
import { isInside, joinReport, reportPath } from '../core/paths.js';
import { selectToolchain, type ToolchainSwitch } from '../core/probe.js';
import { describeUnsafeRead, quoteToken, READ_LIMITS, tryReadRepoFile } from '../core/safe-read.js';

interface VersionPin {
  /** Where it came from, for messages: `.go-version`, `the go-version input`. */
  source: string;
  file?: string;
  line?: number;
  spec: string;
}

/**
 * A version file, read as every repository file is (core/safe-read.ts): a symlink out of the
 * repository, a FIFO, a device or an oversized file is refused, never read or quoted.
 */
async function readVersionFile(ctx: CheckContext, abs: string) {
  const base = path.basename(abs);
  const maxBytes = base === 'go.mod' || base === 'go.work' ? READ_LIMITS.goMod : READ_LIMITS.versionFile;
  return tryReadRepoFile(abs, { root: ctx.probe.git.root ?? ctx.dir, maxBytes, allowOutside: true });
}

/** Does the running version satisfy a setup-go style spec (1.22, 1.22.3, ^1.22, ~1.22.1, >=1.21, 1.22.x)? undefined = cannot tell. */
export function satisfiesSpec(running: string, specRaw: string): boolean | undefined {
  const spec = specRaw.trim().replace(/^v/, '').replace(/^go/, '');
  const run = normalizeGoVersion(running);
  if (spec === '' || spec === 'stable' || spec === 'oldstable' || spec === 'latest' || spec === '*') return undefined;
  const [rMaj, rMin, rPat] = run.split(/[.]/).map((x) => parseInt(x, 10));
  const xRange = /^(\d+)\.(\d+)\.(x|\*)$/.exec(spec);
  if (xRange) return compareGo(languageVersion(run), `${xRange[1]}.${xRange[2]}`) === 0;
  const caret = /^\^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(spec);
  if (caret) return rMaj === Number(caret[1]) && compareGo(run, `${caret[1]}.${caret[2]}.${caret[3] ?? 0}`) >= 0;
  const tilde = /^~(\d+)\.(\d+)(?:\.(\d+))?$/.exec(spec);
  if (tilde) return rMaj === Number(tilde[1]) && rMin === Number(tilde[2]) && (rPat ?? 0) >= Number(tilde[3] ?? 0);
  const cmp = /^(>=|>|<=|<)\s*(\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?)$/.exec(spec);
  if (cmp) {
    const c = compareGo(run, cmp[2]!.split('.').length === 2 && Number(cmp[2]!.split('.')[1]) >= 21 ? `${cmp[2]}.0` : cmp[2]!);
    return cmp[1] === '>=' ? c >= 0 : cmp[1] === '>' ? c > 0 : cmp[1] === '<=' ? c <= 0 : c < 0;
  }
  if (!isValidGoVersion(spec)) return undefined;
  // A pin of x.y accepts any x.y.z (setup-go resolves it to the newest patch); x.y.z and rc pins are exact.
  if (/^\d+\.\d+$/.test(spec)) return languageVersion(run) === spec;
  return compareGo(run, spec) === 0;
}

function describePinFix(pin: VersionPin, running: string): string {
  return `Install Go ${pin.spec} before this step (actions/setup-go with go-version: '${pin.spec}'), or change ${pin.source} to ${languageVersion(running)} if the running Go is the one you want.`;
}

/** setup-go's reading of a version file (src/installer.ts parseGoVersionFile). */
export function parseVersionFile(name: string, text: string, userToolchain: string): { spec: string; line: number } | undefined {
  const base = path.basename(name);
  const lines = text.split('\n');
  const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
  if (base === 'go.mod' || base === 'go.work') {
    if (userToolchain !== 'local') {
      const m = /^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)/m.exec(text);
      if (m) return { spec: m[1]!, line: lineOf(/^toolchain go/) };
    }
    const g = /^go (\d+(\.\d+)*)/m.exec(text);
    return g ? { spec: g[1]!, line: lineOf(/^go \d/) } : undefined;
  }
  if (base === '.tool-versions') {
    const m = /^golang\s+([^\n#]+)/m.exec(text);
    return m ? { spec: m[1]!.trim().split(/\s+/)[0]!, line: lineOf(/^golang\s/) } : undefined;
  }
  const spec = text.trim();
  if (!spec) return undefined;
  return { spec, line: lines.findIndex((l) => l.trim() !== '') + 1 };
}

async function collectPins(ctx: CheckContext, findings: Finding[]): Promise<VersionPin[]> {
  const pins: VersionPin[] = [];
  const { settings, dir, probe } = ctx;
  if (settings.goVersion) pins.push({ source: 'the go-version input', spec: settings.goVersion });
  if (settings.goVersionFile) {
    const abs = path.resolve(dir, settings.goVersionFile);
    const read = await readVersionFile(ctx, abs);
    const rel = reportPath(dir, abs);
    if (read === undefined) {
      findings.push({
        severity: 'error',
        message: `The go-version-file ${settings.goVersionFile} does not exist (actions/setup-go fails on it too)`,
        hint: 'Point go-version-file at go.mod, go.work, .go-version or .tool-versions, relative to the working directory.',
      });
    } else if ('error' in read) {
      findings.push({
        severity: 'error',
        message: `The go-version-file ${describeUnsafeRead(read.error, rel)}`,
        hint: 'Point go-version-file at a regular file of this repository (go.mod, go.work, .go-version or .tool-versions).',
        file: rel,
      });
    } else {
      const parsed = parseVersionFile(abs, read.text, probe.userGoToolchain);
      if (parsed) pins.push({ source: rel, file: rel, line: parsed.line, spec: parsed.spec });
    }
  }
  // The version files setup-go users keep next to the code (not read by Go itself).
  for (const name of ['.go-version', '.tool-versions']) {
    const abs = path.join(dir, name);
    if (settings.goVersionFile && path.resolve(dir, settings.goVersionFile) === abs) continue;
    // Only files of the repository: a .go-version that links outside it is reported, not read.
    const read = await tryReadRepoFile(abs, { root: probe.git.root ?? dir, maxBytes: READ_LIMITS.versionFile });
    if (read === undefined) continue;
    if ('error' in read) {
      findings.push({
        severity: 'warning',
        message: describeUnsafeRead(read.error, name),
        hint: `Commit ${name} as a regular file holding only the Go version (e.g. 1.22), or delete it.`,
        file: name,
      });
      continue;
    }
    const parsed = parseVersionFile(abs, read.text, probe.userGoToolchain);
    if (parsed) pins.push({ source: name, file: name, line: parsed.line, spec: parsed.spec });
  }
  return pins;
}

function checkPins(ctx: CheckContext, pins: VersionPin[], findings: Finding[]): void {
  const running = ctx.probe.go.version;
  for (const pin of pins) {
    const ok = satisfiesSpec(running, pin.spec);
    if (ok === undefined) {
      if (!['stable', 'oldstable', 'latest'].includes(pin.spec.trim())) {
        findings.push({
          severity: 'warning',
          // One token at most: the file is the repository's, and whatever else it holds is not ours to print.
          message: `${pin.source} asks for Go "${quoteToken(pin.spec)}", which is not a Go version go-preflight can compare`,
          hint: 'Write a version such as 1.22 (any 1.22.x) or 1.22.3 (exactly).',
          file: pin.file,
          line: pin.line,
        });
      }
      continue;
    }
    if (!ok) {
      findings.push({
        severity: 'error',
        message: `${pin.source} asks for Go ${pin.spec} but the running Go is ${running}`,
        hint: describePinFix(pin, running),
        file: pin.file,
        line: pin.line,
        column: pin.line ? 1 : undefined,
      });
    }
  }
}

/** The toolchain switch that decides for this go.mod/go.work (a workspace module: the go.work's). */
function switchFor(ctx: CheckContext, file: string, kind: 'go.mod' | 'go.work'): ToolchainSwitch['selections'][number] | undefined {
  const sw = ctx.probe.toolchainSwitch;
  if (!sw) return undefined;
  const own = sw.selections.find((x) => x.file === file);
  if (own || kind === 'go.work') return own;
  const mod = ctx.probe.modules.find((m) => m.goModFile === file);
  return mod?.inWorkspace && ctx.probe.work ? sw.selections.find((x) => x.file === ctx.probe.work!.relFile) : undefined;
}

/** A hint for a toolchain go cannot get. */
function unavailableHint(what: { file: string; goLine?: string }, sel: { toolchain: string; because: string; error?: string }, gt: string, runningV: string): string {
  const v = normalizeGoVersion(sel.toolchain);
  if (/\+path$|^path$/.test(gt)) return `Put ${sel.toolchain} on PATH (go looks for a binary named ${sel.toolchain}), or install Go ${v} with actions/setup-go and set GOTOOLCHAIN=local.`;
  if (/GOPROXY=off|GOSUMDB=off|disabled by/i.test(sel.error ?? '')) return `Install Go ${v} before this step (actions/setup-go with go-version-file: ${what.file}): toolchain downloads need GOPROXY and GOSUMDB.`;
  return `Check the ${sel.because.startsWith('toolchain') ? 'toolchain' : 'go'} line of ${what.file}: ${sel.toolchain} is not a Go release that can be downloaded (a typo?). Write a released version (e.g. go ${languageVersion(runningV)}.0), or install the Go you need with actions/setup-go.`;
}

/** go and toolchain lines of one go.mod or go.work. */
function checkGoLines(
  ctx: CheckContext,
  what: { file: string; directives: Directive[]; goLine?: string; toolchainLine?: string; kind: 'go.mod' | 'go.work' },
  findings: Finding[],
  notes: string[],
): void {
  const running = ctx.probe.go.version;
  const runningV = normalizeGoVersion(running);
  const gt = ctx.probe.userGoToolchain || 'auto';
  // Would go switch for this go.mod at all? Only auto/path modes do (local, or a pinned goX.Y.Z, never).
  // A workspace module never decides: go reads only go.work's lines to pick the toolchain.
  const member = what.kind === 'go.mod' && !!ctx.probe.work && !!ctx.probe.modules.find((m) => m.goModFile === what.file)?.inWorkspace;
  const mayswitch = !member && (!!selectToolchain(gt, running, what.goLine, what.toolchainLine) || /(^|\+)(auto|path)$/.test(gt));
  const sel = switchFor(ctx, what.file, what.kind);
  const goDir = findDirective(what.directives, 'go');
  const tcDir = findDirective(what.directives, 'toolchain');
  let reportedSwitch = false;
  const switchFinding = (line: Directive | undefined) => {
    if (!sel || reportedSwitch) return;
    reportedSwitch = true;
    if (sel.error) {
      findings.push({
        severity: 'error',
        message: `${what.file} asks for ${sel.because} and GOTOOLCHAIN=${gt} makes go switch to ${sel.toolchain}, which is not available: ${sel.error}. Every go command (go build included) fails with this error`,
        hint: unavailableHint(what, sel, gt, runningV),
        file: what.file,
        line: line?.line,
        column: line?.column,
        ruleId: 'toolchain-unavailable',
      });
    } else {
      notes.push(`${what.file} asks for ${sel.because}: with GOTOOLCHAIN=${gt} the build switches from ${running} to ${sel.toolchain} (go fetched it into the module cache, as the build will); the module checks ran with ${sel.toolchain}`);
    }
  };
  if (what.goLine !== undefined) {
    if (!isValidGoVersion(what.goLine)) {
      findings.push({
        severity: 'error',
        message: `${what.file} has an invalid go line "go ${what.goLine}": every go command fails with "invalid go version"`,
        hint: `Write the go line as go 1.N or go 1.N.P, e.g. go ${languageVersion(runningV)}.0`,
        file: what.file,
        line: goDir?.line,
        column: goDir?.column,
      });
    } else if (compareGo(runningV, what.goLine) < 0) {
      if (sel && sel.file !== what.file) {
        // A workspace module: the go.work's finding says which toolchain builds it.
      } else if (sel && sel.because === `go ${what.goLine}`) switchFinding(goDir);
      else if (sel) switchFinding(tcDir ?? goDir);
      else if (mayswitch) {
        // The probe could not resolve the switch (the environment is broken: see go-env).
        findings.push({
          severity: 'warning',
          message: `${what.file} requires go >= ${what.goLine} but the running Go is ${running}: with GOTOOLCHAIN=${gt} every go command will first switch to go${isReleaseVersion(what.goLine) ? what.goLine : `${what.goLine}.0`} (downloading it)`,
          hint: `Install Go ${what.goLine} or newer before this step (actions/setup-go with go-version-file: ${what.file}), or lower the go line if the code does not need Go ${languageVersion(what.goLine)}.`,
          file: what.file,
          line: goDir?.line,
          column: goDir?.column,
        });
      } else {
        findings.push({
          severity: 'error',
          message: `${what.file} requires go >= ${what.goLine} but the running Go is ${running}: the build fails with "go: ${what.kind === 'go.mod' ? 'go.mod' : 'go.work'} requires go >= ${what.goLine} (running go ${runningV}; GOTOOLCHAIN=${gt})"`,
          hint: `Install Go ${what.goLine} or newer before this step (actions/setup-go with go-version-file: ${what.file}), or lower the go line if the code does not need Go ${languageVersion(what.goLine)}.`,
          file: what.file,
          line: goDir?.line,
          column: goDir?.column,
        });
      }
    }
  }
  const tc = what.toolchainLine;
  if (tc && tc !== 'default') {
    if (!/^go\d/.test(tc) || !isValidGoVersion(tc)) {
      findings.push({
        severity: 'error',
        message: `${what.file} has an invalid toolchain line "toolchain ${tc}"`,
        hint: `Write it as toolchain go1.N.P (e.g. toolchain ${running}), or remove it.`,
        file: what.file,
        line: tcDir?.line,
        column: tcDir?.column,
      });
    } else if (compareGo(runningV, tc) < 0) {
      if (sel) switchFinding(sel.because.startsWith('toolchain') ? tcDir : goDir);
      else {
        findings.push({
          severity: 'warning',
          message: !mayswitch
            ? `${what.file} suggests toolchain ${tc} but the running Go is ${running}; with GOTOOLCHAIN=${gt} Go ignores the toolchain line and builds with ${running}`
            : `${what.file} suggests toolchain ${tc} but the running Go is ${running}; with GOTOOLCHAIN=${gt} every go command will download and switch to ${tc}`,
          hint: `Install ${tc} before this step (actions/setup-go reads the toolchain line with go-version-file: ${what.file}), or lower the toolchain line.`,
          file: what.file,
          line: tcDir?.line,
          column: tcDir?.column,
        });
      }
    }
  }
  // A switch the go/toolchain lines above did not explain (GOTOOLCHAIN=goX+auto with a newer minimum).
  if (sel && sel.file === what.file && !reportedSwitch) switchFinding(undefined);
}

async function checkGoOnPath(ctx: CheckContext, findings: Finding[]): Promise<void> {
  const { goEnv, go } = ctx.probe;
  if (!go.bin || !goEnv.GOROOT) return;
  const [realBin, realRoot] = await Promise.all([fs.realpath(go.bin).catch(() => go.bin!), fs.realpath(goEnv.GOROOT).catch(() => goEnv.GOROOT!)]);
  if (!isInside(path.join(realRoot, 'bin'), realBin)) {
    findings.push({
      severity: 'warning',
      message: `The go on PATH (${go.bin}) is not the one in GOROOT (${goEnv.GOROOT}/bin): tools that use GOROOT will see a different Go than \`go\` does`,
      hint: 'Unset GOROOT (Go finds its own), or put $GOROOT/bin first on PATH.',
    });
  }
}

function checkGoToolchainSetting(ctx: CheckContext, findings: Finding[]): void {
  const gt = ctx.probe.userGoToolchain;
  if (!gt) return;
  const running = ctx.probe.go.version;
  const m = /^(go\d[^+]*)(?:\+(auto|path))?$/.exec(gt);
  if (m && m[1] && compareGo(normalizeGoVersion(m[1]), normalizeGoVersion(running)) !== 0) {
    const min = m[2] !== undefined;
    if (!min || compareGo(normalizeGoVersion(running), normalizeGoVersion(m[1])) < 0) {
      findings.push({
        severity: 'warning',
        message: `GOTOOLCHAIN=${gt} makes every go command ${m[2] === 'path' ? 'look for' : 'download and run'} ${m[1]} instead of the installed ${running}`,
        hint: 'Install the Go you want with actions/setup-go and set GOTOOLCHAIN=local (setup-go v6 does), or remove GOTOOLCHAIN.',
      });
    }
  } else if (!m && !['local', 'auto', 'path', 'local+auto', 'local+path'].includes(gt)) {
    findings.push({
      severity: 'error',
      message: `GOTOOLCHAIN=${gt} is not a valid setting: every go command fails with 'go: invalid GOTOOLCHAIN "${gt}"'`,
      hint: 'Use local, auto, path, go1.N.P, go1.N.P+auto or go1.N.P+path.',
    });
  }
  // (When the probe resolved the switch, the toolchain-unavailable finding quotes go's own error.)
  if (!ctx.probe.toolchainSwitch && (gt === 'auto' || gt.endsWith('+auto')) && (ctx.probe.goEnv.GOSUMDB === 'off' || ctx.probe.goEnv.GOPROXY === 'off')) {
    const needsSwitch = ctx.probe.modules.some((mod) => mod.goLine && compareGo(normalizeGoVersion(running), mod.goLine) < 0);
    if (needsSwitch) {
      findings.push({
        severity: 'error',
        message: `A newer Go must be downloaded (GOTOOLCHAIN=${gt}) but ${ctx.probe.goEnv.GOPROXY === 'off' ? 'GOPROXY=off' : 'GOSUMDB=off'} makes toolchain downloads fail`,
        hint: 'Install the required Go with actions/setup-go instead of relying on a toolchain download.',
      });
    }
  }
}

export const toolchainCheck: Check = {
  id: 'toolchain',
  title: 'Go toolchain',
  needs: ['go'],
  async run(ctx) {
    const findings: Finding[] = [];
    const switchNotes: string[] = [];
    const pins = await collectPins(ctx, findings);
    checkPins(ctx, pins, findings);
    const { work, modules } = ctx.probe;
    if (work) {
      checkGoLines(ctx, { file: work.relFile, directives: work.directives, goLine: work.goLine, toolchainLine: work.toolchainLine, kind: 'go.work' }, findings, switchNotes);
    }
    for (const m of modules) {
      // In a workspace, go.work's go/toolchain lines select the toolchain, but each module's go line
      // must still be <= the running Go for the build to load it.
      checkGoLines(ctx, { file: m.goModFile, directives: m.directives, goLine: m.goLine, toolchainLine: work && m.inWorkspace ? undefined : m.toolchainLine, kind: 'go.mod' }, findings, switchNotes);
    }
    await checkGoOnPath(ctx, findings);
    checkGoToolchainSetting(ctx, findings);
    const notes = [
      `running ${ctx.probe.go.version} (${ctx.probe.go.bin ?? 'go'}), GOTOOLCHAIN=${ctx.probe.userGoToolchain || 'auto'}`,
      ...switchNotes,
      ...pins.map((p) => `${p.source} asks for ${p.spec}`),
      ...(work?.goLine ? [`${work.relFile}: go ${work.goLine}${work.toolchainLine ? `, toolchain ${work.toolchainLine}` : ''}`] : []),
      ...modules.filter((m) => m.goLine).map((m) => `${joinReport(m.relDir, 'go.mod')}: go ${m.goLine}${m.toolchainLine ? `, toolchain ${m.toolchainLine}` : ''}`),
    ];
    return { findings, notes: notes.slice(0, 20) };
  },
};
