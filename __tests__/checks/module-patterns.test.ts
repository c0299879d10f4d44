// Which module lists which package pattern, in a whole run and in a sharded one.

import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { modulePatterns } from '../../src/checks/internal/go-list.js';
import type { ModuleInfo } from '../../src/core/probe.js';
import type { CheckContext } from '../../src/core/types.js';

const repo = path.resolve('/repo');
const mod = (rel: string, modPath: string) => ({ dir: path.join(repo, rel), path: modPath, inWorkspace: false }) as unknown as ModuleInfo;
const root = mod('.', 'example.com/app');
const svc = mod('svc', 'example.com/app/svc');

function ctx(packages: string[], shardModules?: ModuleInfo[]): CheckContext {
  const probe = shardModules ? { modules: shardModules, allModules: [root, svc] } : { modules: [root, svc] };
  return { dir: repo, settings: { packages }, probe } as unknown as CheckContext;
}

describe('modulePatterns', () => {
  it('gives ./svc/... to the module that owns svc/, and ./... to every module', () => {
    const c = ctx(['./svc/...', './...']);
    expect(modulePatterns(c, root, [root, svc])).toEqual(['./...']);
    expect(modulePatterns(c, svc, [root, svc])).toEqual(['./...']);
    expect(modulePatterns(ctx(['./svc/cmd/...']), svc, [root, svc])).toEqual(['./cmd/...']);
  });

  it('in a shard without svc/, the root module is not given svc/ patterns', () => {
    const shard1 = ctx(['./svc/...', 'example.com/app/svc/...'], [root]);
    expect(modulePatterns(shard1, root, [root])).toEqual([]);
    const shard2 = ctx(['./svc/...', 'example.com/app/svc/...'], [svc]);
    expect(modulePatterns(shard2, svc, [svc])).toEqual(['./...', 'example.com/app/svc/...']);
  });
});
