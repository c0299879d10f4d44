// The check registry: every implemented check, keyed by id. The runner reports ids without an
// entry as `skip` ("not implemented yet") so nothing pretends to pass.

import type { Check, CheckId } from '../core/types.js';
import { cgoCheck } from './cgo.js';
import { gitCleanCheck } from './git-clean.js';
import { packagesCheck } from './packages.js';
import { targetsCheck } from './targets.js';
import { toolchainCheck } from './toolchain.js';

export const ALL_CHECKS: Partial<Record<CheckId, Check>> = {
  toolchain: toolchainCheck,
  'git-clean': gitCleanCheck,
  targets: targetsCheck,
  packages: packagesCheck,
  cgo: cgoCheck,
};
