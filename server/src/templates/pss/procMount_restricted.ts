import { pssCheck } from './common';
import { forbiddenProcMounts } from './procMount';

/** Restricted: the default /proc masks even in a user namespace; replaces baseline's relaxed procMount check. */
export const pssProcMountRestricted = pssCheck({
  checkId: 'procMount_restricted',
  level: 'restricted',
  overrides: ['procMount'],
  sourceFile: 'check_procMount_restricted.go',
  evaluate: forbiddenProcMounts,
});
