// Corpus preparation: the Go distribution's own source tree and real modules fetched through the
// module proxy (whatever GOPROXY says), each copied into a git repository under the bench work
// directory and committed, with its dependencies downloaded so the module cache is warm.
// A prepared corpus is reused by later runs (its metadata file marks it complete).

import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isBinaryFile, log, must, redact, run, tail } from './util.mjs';

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'go-preflight bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'go-preflight bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(dir, args, env = process.env) {
  return must('git', ['-c', 'core.autocrlf=false', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: { ...env, ...GIT_ENV } });
}

/** git init + add everything (ignored files too, so every tool sees the same files) + commit. */
export async function commitTree(dir, message) {
  await git(dir, ['init', '-q']);
  await git(dir, ['add', '-A', '-f']);
  await git(dir, ['commit', '-q', '--no-verify', '-m', message]);
}

/** Puts a corpus back to its commit (the naive checklist's commands may write go.sum). */
export async function resetTree(dir) {
  const status = await git(dir, ['status', '--porcelain', '--ignored']);
  if (status.trim() === '') return false;
  await git(dir, ['reset', '-q', '--hard']);
  await git(dir, ['clean', '-qfdx']);
  return true;
}

function makeWritable(dir) {
  // Module cache files are read-only (0444, dirs 0555); the copy must be an ordinary checkout.
  const walk = (d) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) chmodSync(p, (statSync(p).mode & 0o111 ? 0o755 : 0o644));
    }
  };
  walk(dir);
}

/** Every go.mod directory under dir, skipped as `./...` skips (vendor, testdata, `.`/`_` dirs). */
export function moduleDirs(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'go.mod')) out.push(path.relative(dir, d) || '.');
    for (const e of entries) {
      if (!e.isDirectory() || ['vendor', 'testdata', 'node_modules'].includes(e.name) || /^[._]/.test(e.name)) continue;
      walk(path.join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files, bytes, and bytes of text files (no NUL in the first 8000 bytes) tracked in a repo. */
export async function trackedStats(dir) {
  const out = await git(dir, ['ls-files', '-z']);
  let files = 0;
  let bytes = 0;
  let textFiles = 0;
  let textBytes = 0;
  for (const f of out.split('\0')) {
    if (!f) continue;
    const p = path.join(dir, f);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    files++;
    bytes += st.size;
    if (!isBinaryFile(p)) {
      textFiles++;
      textBytes += st.size;
    }
  }
  return { files, bytes, textFiles, textBytes };
}

/** The line of go's output that says what went wrong (go prints "go: ..." context lines too). */
function firstErrorLine(stderr) {
  const lines = String(stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /\b(40\d|50\d)\b|error|not available|cannot|invalid/i.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

function isPrerelease(v) {
  return /-/.test(v.replace(/\+incompatible$/, ''));
}

/** `go mod download -json MOD@VER`: { dir, version } or { error }. */
async function downloadModule(mod, version) {
  const r = await run('go', ['mod', 'download', '-json', `${mod}@${version}`], { measureRss: false, timeoutMs: 15 * 60_000 });
  let info;
  try {
    info = JSON.parse(r.stdout);
  } catch {
    return { error: r.error ?? tail(r.stderr) };
  }
  if (info.Error || !info.Dir) return { error: info.Error ?? `no Dir for ${mod}@${version}` };
  return { dir: info.Dir, version: info.Version };
}

/**
 * The pinned version, or when it cannot be had here (e.g. its go line is newer than this Go),
 * the newest release that downloads, from `go list -m -versions`.
 */
async function resolveModule(spec, notes) {
  const pinned = await downloadModule(spec.module, spec.version);
  if (!pinned.error) return pinned;
  notes.push(`${spec.module}@${spec.version} could not be downloaded (${pinned.error.split('\n')[0]}); used the newest release that could`);
  log(`${spec.module}@${spec.version}: ${pinned.error.split('\n')[0]}; looking for another version`);
  const r = await run('go', ['list', '-m', '-versions', spec.module], { measureRss: false, timeoutMs: 5 * 60_000 });
  const versions = r.stdout.trim().split(/\s+/).slice(1).filter((v) => !isPrerelease(v)).reverse();
  for (const v of versions.slice(0, 8)) {
    if (v === spec.version) continue;
    const got = await downloadModule(spec.module, v);
    if (!got.error) return got;
  }
  throw new Error(`no downloadable version of ${spec.module} (${tail(r.stderr) || 'go list -m -versions found none that works'})`);
}

/** Drops a go.work (and go.work.sum) naming directories the copy does not have. */
function dropBrokenGoWork(dir, notes) {
  const gowork = path.join(dir, 'go.work');
  if (!existsSync(gowork)) return;
  const text = readFileSync(gowork, 'utf8');
  const uses = [];
  for (const m of text.matchAll(/^\s*use\s+([^\s(]\S*)\s*$/gm)) uses.push(m[1]);
  const block = /^\s*use\s*\(([\s\S]*?)\)/m.exec(text);
  if (block) for (const line of block[1].split('\n')) if (line.trim() && !line.trim().startsWith('//')) uses.push(line.trim().split(/\s+/)[0]);
  const missing = uses.filter((u) => !existsSync(path.join(dir, u, 'go.mod')));
  if (missing.length === 0) return;
  // A module zip holds one module: nested modules a repo's go.work uses are not in it.
  rmSync(gowork);
  rmSync(path.join(dir, 'go.work.sum'), { force: true });
  notes.push(`go.work removed from the copy: its use dirs ${missing.join(', ')} are separate modules, absent from the module zip`);
}

/**
 * Prepares one corpus under `root` (reusing it when complete and `fresh` is false).
 * spec: { name, kind: 'goroot' } or { name, kind: 'module', module, version }.
 * Returns the corpus record: { name, dir, source, version, modules, files, bytes, textFiles, textBytes, notes, prepMs }.
 */
export async function prepareCorpus(spec, root, { fresh, goroot, goVersion }) {
  const dir = path.join(root, spec.name);
  const meta = path.join(root, `${spec.name}.json`);
  if (!fresh && existsSync(meta) && existsSync(path.join(dir, '.git'))) {
    const rec = JSON.parse(readFileSync(meta, 'utf8'));
    if (rec.specKey === specKey(spec, goroot, goVersion)) {
      if (await resetTree(dir)) log(`${spec.name}: reset to its commit`);
      log(`${spec.name}: reusing ${dir}`);
      return { ...rec, dir, reused: true };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(meta, { force: true });
  const t0 = Date.now();
  const notes = [];
  let source;
  let version;
  if (spec.kind === 'goroot') {
    const src = path.join(goroot, 'src');
    log(`${spec.name}: copying ${src}`);
    cpSync(src, dir, { recursive: true, verbatimSymlinks: true });
    makeWritable(dir);
    source = '$(go env GOROOT)/src';
    version = goVersion;
    notes.push('a copy of the std and cmd modules outside GOROOT: Go resolves their import paths to GOROOT, so packages do not build from the copy (the build fails the same way)');
  } else {
    log(`${spec.name}: downloading ${spec.module}@${spec.version}`);
    const got = await resolveModule(spec, notes);
    cpSync(got.dir, dir, { recursive: true });
    makeWritable(dir);
    dropBrokenGoWork(dir, notes);
    source = spec.module;
    version = got.version;
  }
  log(`${spec.name}: git init + commit`);
  await commitTree(dir, `${source}@${version}`);
  const modules = moduleDirs(dir);
  for (const m of modules) {
    log(`${spec.name}: go mod download in ${m}`);
    const r = await run('go', ['mod', 'download'], { cwd: path.join(dir, m), measureRss: false, timeoutMs: 20 * 60_000 });
    if (r.error || r.code !== 0) notes.push(`\`go mod download\` in ${m} failed: ${firstErrorLine(r.stderr) || r.error}`);
  }
  // go mod download can add go.sum lines; the corpus is the commit as published.
  await resetTree(dir);
  const stats = await trackedStats(dir);
  const rec = { name: spec.name, specKey: specKey(spec, goroot, goVersion), source, version, modules, ...stats, notes, prepMs: Date.now() - t0, preparedAt: new Date().toISOString() };
  writeFileSync(meta, redact(JSON.stringify(rec, null, 2)));
  log(`${spec.name}: ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB, ${modules.length} module(s), prepared in ${Math.round(rec.prepMs / 1000)} s`);
  return { ...rec, dir, reused: false };
}

function specKey(spec, goroot, goVersion) {
  return spec.kind === 'goroot' ? `goroot:${goroot}` : `module:${spec.module}@${spec.version}`;
}
