import { culpritAt, fixIfApplicable } from '../common';
import { containersPhrase, isWindowsPod, podContainers, pssCheck, securityContextPath, valueAt } from './common';

/** Restricted: every container sets `allowPrivilegeEscalation: false`; Windows pods are exempt (policy 1.25+). */
export const pssAllowPrivilegeEscalation = pssCheck({
  checkId: 'allowPrivilegeEscalation',
  level: 'restricted',
  sourceFile: 'check_allowPrivilegeEscalation.go',
  evaluate(review) {
    if (isWindowsPod(review)) return undefined;
    const escalating = podContainers(review).filter((container) => valueAt(review, securityContextPath(container, 'allowPrivilegeEscalation')) !== false);
    if (escalating.length === 0) return undefined;
    return {
      reason: 'allowPrivilegeEscalation != false',
      detail: `${containersPhrase(escalating)} must set securityContext.allowPrivilegeEscalation=false`,
      culprits: escalating.map((container) => {
        const path = securityContextPath(container, 'allowPrivilegeEscalation');
        const fix = fixIfApplicable(review.object, 'Set `allowPrivilegeEscalation: false`', true, [{ op: 'set', path, value: false }]);
        return culpritAt(path, [...container.path, 'name'], [fix]);
      }),
    };
  },
});
