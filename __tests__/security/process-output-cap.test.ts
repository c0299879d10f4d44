// A tool that prints more than a string can hold (go printing 600 MB) must not crash the run:
// captured output is capped (64 MiB by default, injectable per call, so this test prints a few
// MB), the process is stopped at the cap, and a check that needs the whole output is `error`.

import { afterAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { packagesCheck } from '../../src/checks/packages.js';
import { DEFAULT_MAX_OUTPUT_BYTES, describeFailure, liveProcessCount, runProcess, type ProcessRunner } from '../../src/core/process.js';
import { cleanupTempDirs, goMod, makeRepo, tempDir } from '../helpers/repo.js';
import { realGo, pathWith } from '../helpers/fake-go.js';
import { runChecksIn } from '../helpers/run-check.js';

afterAll(cleanupTempDirs);

const MiB = 1024 * 1024;
const node = process.execPath;
// Prints `total` bytes of go list -json records to stdout (or stderr), in 64 KiB writes.
const printer = (total: number, stream: 'stdout' | 'stderr') =>
  `const rec = JSON.stringify({ ImportPath: "example.com/big/p", Name: "p" }) + "\\n"; const chunk = rec.repeat(Math.ceil(65536 / rec.length)); let n = 0; const w = () => { while (n < ${total}) { n += chunk.length; if (!process.${stream}.write(chunk)) return process.${stream}.once("drain", w); } }; w();`;

describe('output cap', () => {
  it('is 64 MiB by default, far below the longest V8 string', () => {
    expect(DEFAULT_MAX_OUTPUT_BYTES).toBe(64 * MiB);
  });

  it('stops a process that prints past the cap: truncated, incomplete, and said so', async () => {
    const r = await runProcess(node, ['-e', printer(6 * MiB, 'stdout')], { maxOutputBytes: 1 * MiB });
    expect(r.truncated).toBe(true);
    expect(r.code).toBeNull();
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1 * MiB);
    expect(describeFailure(r)).toMatch(/: printed more than 1 MiB; stopped \(its output is incomplete\)$/);
    expect(liveProcessCount()).toBe(0);
  });

  it('output under the cap is whole', async () => {
    const r = await runProcess(node, ['-e', printer(2 * MiB, 'stdout')], { maxOutputBytes: 4 * MiB });
    expect(r.truncated).toBe(false);
    expect(r.code).toBe(0);
    expect(Buffer.byteLength(r.stdout)).toBeGreaterThanOrEqual(2 * MiB);
  });

  it('caps stderr too, keeping its beginning', async () => {
    const r = await runProcess(node, ['-e', printer(3 * MiB, 'stderr')], { maxErrorBytes: 256 * 1024 });
    expect(r.code).toBe(0);
    expect(Buffer.byteLength(r.stderr)).toBe(256 * 1024);
    expect(r.stderr.startsWith('{"ImportPath":"example.com/big/p"')).toBe(true);
  });

  (process.platform === 'win32' ? it.skip : it)('go list printing past the cap: the packages check is error with the reason, not a pass on part of the list', async () => {
    const dir = await makeRepo({ 'go.mod': goMod('example.com/big', '1.21'), 'main.go': 'package main\n\nfunc main() {}\n' });
    const fakeDir = await tempDir('fake-go-big');
    await fs.writeFile(
      path.join(fakeDir, 'go'),
      `#!/bin/sh\ncase "$1" in\n  list) exec '${node}' -e '${printer(6 * MiB, 'stdout')}' ;;\n  *) exec '${realGo}' "$@" ;;\nesac\n`,
      { mode: 0o755 },
    );
    // The cap is injected through the process seam: 1 MiB instead of 64.
    const exec: ProcessRunner = (cmd, args, opts) => runProcess(cmd, args, { ...opts, maxOutputBytes: 1 * MiB });
    const { report } = await runChecksIn(dir, [packagesCheck], { exec, env: { PATH: pathWith(fakeDir) } });
    const c = report.checks.find((x) => x.id === 'packages')!;
    expect(c.status).toBe('error');
    expect(c.skipReason).toMatch(/^go list .*: printed more than 1 MiB; stopped \(its output is incomplete\)$/);
  });
});
