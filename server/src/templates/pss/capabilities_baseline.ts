import { culpritAt, removeFix } from '../common';
import type { Culprit } from '../types';
import { containersPhrase, goString, itemsAt, joinQuote, podContainers, pssCheck, securityContextPath, sortedSet } from './common';
import type { PodContainer } from './common';

/** The capabilities a container runtime grants by default, minus NET_RAW. Compared exactly: no case folding, no `CAP_` prefix. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Baseline: containers may add only the default capabilities. */
export const pssCapabilitiesBaseline = pssCheck({
  checkId: 'capabilities_baseline',
  level: 'baseline',
  sourceFile: 'check_capabilities_baseline.go',
  evaluate(review) {
    const offending: PodContainer[] = [];
    const added: string[] = [];
    const culprits: Culprit[] = [];
    for (const container of podContainers(review)) {
      const addPath = securityContextPath(container, 'capabilities', 'add');
      let addsOther = false;
      itemsAt(review, addPath).forEach((item, index) => {
        const capability = goString(item);
        if (BASELINE_CAPABILITIES.has(capability)) return;
        addsOther = true;
        added.push(capability);
        const itemPath = [...addPath, index];
        culprits.push(culpritAt(itemPath, undefined, [removeFix(`Do not add ${capability}`, itemPath)]));
      });
      if (addsOther) offending.push(container);
    }
    if (offending.length === 0) return undefined;
    return {
      reason: 'non-default capabilities',
      detail: `${containersPhrase(offending)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`,
      culprits,
    };
  },
});
