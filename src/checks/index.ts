// The check registry: every implemented check, keyed by id. The runner reports ids without an
// entry as `skip` ("not implemented yet") so nothing pretends to pass.

import type { Check, CheckId } from '../core/types.js';
import { cgoCheck } from './cgo.js';
import { gitCleanCheck } from './git-clean.js';
import { goEnvCheck } from './go-env.js';
import { modTidyCheck } from './mod-tidy.js';
import { modVerifyCheck } from './mod-verify.js';
import { modulesCheck } from './modules.js';
import { packagesCheck } from './packages.js';
import { secretsCheck } from './secrets.js';
import { targetsCheck } from './targets.js';
import { toolchainCheck } from './toolchain.js';
import { vendorCheck } from './vendor.js';

export const ALL_CHECKS: Partial<Record<CheckId, Check>> = {
  toolchain: toolchainCheck,
  'go-env': goEnvCheck,
  'mod-verify': modVerifyCheck,
  'mod-tidy': modTidyCheck,
  vendor: vendorCheck,
  modules: modulesCheck,
  'git-clean': gitCleanCheck,
  targets: targetsCheck,
  packages: packagesCheck,
  cgo: cgoCheck,
  secrets: secretsCheck,
};
