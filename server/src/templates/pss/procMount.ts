import { culpritAt, removeFix } from '../common';
import { containersPhrase, goString, isSet, joinQuote, podContainers, pssCheck, runsInUserNamespace, securityContextPath, sortedSet, valueAt } from './common';
import type { PssForbidden } from './common';
import type { Review } from '../types';

/** PSA's `procMount_1_0`: every container keeps the default /proc masks. Shared with procMount_restricted. */
export function forbiddenProcMounts(review: Review): PssForbidden | undefined {
  const unmasked = podContainers(review).filter((container) => {
    const procMount = valueAt(review, securityContextPath(container, 'procMount'));
    return isSet(procMount) && goString(procMount) !== 'Default';
  });
  if (unmasked.length === 0) return undefined;
  const values = sortedSet(unmasked.map((container) => goString(valueAt(review, securityContextPath(container, 'procMount')))));
  return {
    reason: 'procMount',
    detail: `${containersPhrase(unmasked)} must not set securityContext.procMount to ${joinQuote(values)}`,
    culprits: unmasked.map((container) => {
      const path = securityContextPath(container, 'procMount');
      return culpritAt(path, undefined, [removeFix('Remove `procMount` (use the default /proc masks)', path)]);
    }),
  };
}

/** Baseline: the default /proc masks, unless the pod runs in a user namespace (`hostUsers: false`, policy 1.35+). */
export const pssProcMount = pssCheck({
  checkId: 'procMount',
  level: 'baseline',
  sourceFile: 'check_procMount_baseline.go',
  evaluate: (review) => (runsInUserNamespace(review) ? undefined : forbiddenProcMounts(review)),
});
