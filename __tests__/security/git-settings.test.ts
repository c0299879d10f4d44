// git settings of the inspected repository must not start programs. Each case plants one setting
// that makes git run a command (creating MARKER) in a real temp repo, runs every check that calls
// git (git-clean, secrets with a diff scope, modules), and proves the marker never appears while
// the checks still give the right answer.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gitCleanCheck } from '../../src/checks/git-clean.js';
import { modulesCheck } from '../../src/checks/modules.js';
import { secretsCheck } from '../../src/checks/secrets.js';
import { runGit } from '../../src/core/git.js';
import { cleanupTempDirs, git, goMod, makeRepo, tempDir, writeFiles } from '../helpers/repo.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const linux = process.platform === 'linux';

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

interface Plant {
  name: string;
  /** Plant the setting; `cmd` is a shell command that creates the marker. */
  plant(dir: string, cmd: string): Promise<void>;
}

// `cat` at the end keeps the filters' and textconv's output what git expects, so that only the
// marker tells whether the program ran.
const PLANTS: Plant[] = [
  { name: 'core.fsmonitor (git status)', plant: async (dir, cmd) => void git(dir, 'config', 'core.fsmonitor', cmd) },
  {
    name: 'filter.<x>.clean via .gitattributes (git status, git diff of the work tree)',
    plant: async (dir, cmd) => {
      git(dir, 'config', 'filter.evil.clean', `${cmd}; cat`);
      git(dir, 'config', 'filter.evil.smudge', `${cmd}; cat`);
      git(dir, 'config', 'filter.evil.required', 'true');
      await writeFiles(dir, { '.git/info/attributes': '* filter=evil\n' });
    },
  },
  {
    name: 'filter.<x>.process, in a file included from .git/config',
    plant: async (dir, cmd) => {
      await writeFiles(dir, { '.git/evil.cfg': `[filter "ev.il"]\n\tprocess = sh -c '${cmd}'\n\trequired = true\n`, '.git/info/attributes': '*.go filter=ev.il\n' });
      git(dir, 'config', 'include.path', 'evil.cfg');
    },
  },
  {
    name: 'diff.<x>.textconv and diff.<x>.command (git diff of the diff scope)',
    plant: async (dir, cmd) => {
      git(dir, 'config', 'diff.evil.textconv', `sh -c '${cmd}; cat "$0"'`);
      git(dir, 'config', 'diff.evil.command', cmd);
      await writeFiles(dir, { '.git/info/attributes': '* diff=evil\n' });
    },
  },
  { name: 'diff.external', plant: async (dir, cmd) => void git(dir, 'config', 'diff.external', cmd) },
  {
    name: 'hooks: .git/hooks and core.hooksPath (post-index-change, post-checkout...)',
    plant: async (dir, cmd) => {
      const hook = `#!/bin/sh\n${cmd}\n`;
      for (const h of ['post-index-change', 'pre-commit', 'post-checkout', 'reference-transaction', 'pre-auto-gc']) {
        await fs.mkdir(path.join(dir, '.git', 'hooks'), { recursive: true });
        await fs.writeFile(path.join(dir, '.git', 'hooks', h), hook, { mode: 0o755 });
        await fs.mkdir(path.join(dir, '.git', 'evil-hooks'), { recursive: true });
        await fs.writeFile(path.join(dir, '.git', 'evil-hooks', h), hook, { mode: 0o755 });
      }
      git(dir, 'config', 'core.hooksPath', path.join(dir, '.git', 'evil-hooks'));
    },
  },
  {
    name: 'pager, askpass, ssh, credential helper, gpg program, alias',
    plant: async (dir, cmd) => {
      for (const key of ['core.pager', 'pager.status', 'pager.diff', 'core.askPass', 'core.sshCommand', 'credential.helper', 'gpg.program', 'core.editor']) {
        git(dir, 'config', key, key === 'credential.helper' ? `!${cmd}` : cmd);
      }
      git(dir, 'config', 'alias.status', `!${cmd}`);
      git(dir, 'config', 'log.showSignature', 'true');
    },
  },
];

/**
 * A module on branch `feature` (one commit past `main`), with a tracked file whose mtime changed
 * (same content: git must read it, through any filter, to know), one modified and one untracked file.
 */
async function hostileRepo(): Promise<string> {
  const dir = await makeRepo({
    'go.mod': goMod('example.com/hostile', '1.21'),
    'main.go': 'package main\n\nfunc main() {}\n',
    'same.go': 'package main\n\nvar same = 1\n',
    'edit.txt': 'one\n',
  });
  git(dir, 'checkout', '-q', '-b', 'feature');
  await writeFiles(dir, { 'feature.go': 'package main\n\nvar feature = 2\n' });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'feature');
  return dir;
}

async function afterPlant(dir: string): Promise<void> {
  // Same content, new mtime: the index's stat data no longer matches, so git reads the file.
  const later = new Date(Date.now() + 5000);
  await fs.utimes(path.join(dir, 'same.go'), later, later);
  await fs.utimes(path.join(dir, 'main.go'), later, later);
  await writeFiles(dir, { 'edit.txt': 'one\ntwo\n', 'new.txt': 'new\n', 'feature.go': 'package main\n\nvar feature = 3\n' });
}

(linux ? describe : describe.skip)('git settings of the inspected repository start no program', () => {
  for (const p of PLANTS) {
    it(p.name, async () => {
      const dir = await hostileRepo();
      const markers = await tempDir('git-marker');
      const marker = path.join(markers, 'MARKER');
      await p.plant(dir, `touch '${marker}'`);
      await afterPlant(dir);

      const { report } = await runChecksIn(dir, [gitCleanCheck, secretsCheck, modulesCheck], { options: { 'diff-base': 'main' } });
      expect(await exists(marker)).toBe(false);
      // ... and nothing the fsmonitor protocol would have created in the repo either.
      expect(await fs.readdir(dir)).toEqual(expect.not.arrayContaining(['2', '1']));

      // The checks still see the truth: the two changes, not the touched file.
      const clean = report.checks.find((c) => c.id === 'git-clean')!;
      expect(clean.status).toBe('fail');
      expect(clean.findings.map((f) => f.file ?? f.message).sort()).toEqual(['edit.txt', 'feature.go', 'new.txt']);
      const secrets = report.checks.find((c) => c.id === 'secrets')!;
      expect(secrets.status).toBe('pass');
    });
  }

  it('a submodule with its own filter and fsmonitor: git-clean does not run git inside it', async () => {
    const sub = await makeRepo({ 'lib.txt': 'lib\n' });
    const dir = await hostileRepo();
    git(dir, '-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', sub, 'sub');
    git(dir, 'commit', '-q', '-m', 'sub');
    const marker = path.join(await tempDir('git-marker'), 'MARKER');
    const subGit = path.join(dir, '.git', 'modules', 'sub');
    git(subGit, 'config', 'filter.subevil.clean', `touch '${marker}'; cat`);
    git(subGit, 'config', 'core.fsmonitor', `touch '${marker}'`);
    await writeFiles(subGit, { 'info/attributes': '* filter=subevil\n' });
    const later = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'sub', 'lib.txt'), later, later);

    const { report } = await runChecksIn(dir, [gitCleanCheck]);
    expect(await exists(marker)).toBe(false);
    // The submodule's files are unchanged (only an mtime moved): clean.
    expect(report.checks.find((c) => c.id === 'git-clean')!.status).toBe('pass');
  });

  it('a filter driver whose name holds "=" (which -c cannot override): git is not run, git-clean is error', async () => {
    const dir = await hostileRepo();
    const marker = path.join(await tempDir('git-marker'), 'MARKER');
    git(dir, 'config', 'filter.x=y.clean', `touch '${marker}'; cat`);
    await writeFiles(dir, { '.git/info/attributes': '* filter=x=y\n' });
    await afterPlant(dir);
    const { report } = await runChecksIn(dir, [gitCleanCheck]);
    expect(await exists(marker)).toBe(false);
    const c = report.checks.find((x) => x.id === 'git-clean')!;
    expect(c.status).toBe('error');
    expect(c.skipReason).toContain('defines a filter driver whose name contains "="');
  });

  it('runGit lists only the repository-scoped filter drivers and turns each off', async () => {
    const dir = await hostileRepo();
    git(dir, 'config', 'filter.Mixed.Case.clean', 'x');
    const r = await runGit(['config', '--get-regexp', '^filter\\.'], { cwd: dir, worktree: true });
    // The override is on the command line: git itself reports the emptied values.
    expect(r.stdout).toContain('filter.Mixed.Case.clean \n');
    expect(r.stdout).toContain('filter.Mixed.Case.required false');
  });
});
