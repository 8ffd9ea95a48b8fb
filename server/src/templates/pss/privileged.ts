import { culpritAt, removeFix } from '../common';
import { containersPhrase, podContainers, pssCheck, securityContextPath, valueAt } from './common';

/** Baseline: no container may run privileged. */
export const pssPrivileged = pssCheck({
  checkId: 'privileged',
  level: 'baseline',
  sourceFile: 'check_privileged.go',
  evaluate(review) {
    const privileged = podContainers(review).filter((container) => valueAt(review, securityContextPath(container, 'privileged')) === true);
    if (privileged.length === 0) return undefined;
    return {
      reason: 'privileged',
      detail: `${containersPhrase(privileged)} must not set securityContext.privileged=true`,
      culprits: privileged.map((container) => {
        const path = securityContextPath(container, 'privileged');
        return culpritAt(path, undefined, [removeFix('Remove `privileged: true`', path)]);
      }),
    };
  },
});
