import { getPath } from '../json';
import { checkedContainers, containerField, culpritAt, fixIfApplicable, isTruthy, isWindowsPod, sprintf, storeUrl, ViolationSet } from './common';
import { escalatesAsNonRootUser } from './k8sazurev3noprivilegeescalation';
import type { ConstraintTemplate } from './types';

/**
 * container-no-privilege-escalation/v4 (no copy published; see README, Inferred semantics). With
 * `forcePrivilegeEscalationToBeFalse`, every container must set `allowPrivilegeEscalation: false`, as
 * the Pod Security Standards' restricted profile requires; without it, v3's rule applies unchanged.
 */
export const k8sazurev4noprivilegeescalation: ConstraintTemplate = {
  name: 'k8sazurev4noprivilegeescalation',
  kind: 'K8sAzureV4NoPrivilegeEscalation',
  storeUrl: storeUrl('container-no-privilege-escalation', 'v4'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const forceFalse = isTruthy(getPath(parameters, ['forcePrivilegeEscalationToBeFalse']));
    const podRunAsUser = getPath(review.object, ['spec', 'securityContext', 'runAsUser']);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const escalates = forceFalse
        ? containerField(container, 'securityContext', 'allowPrivilegeEscalation') !== false
        : escalatesAsNonRootUser(container, podRunAsUser);
      if (!escalates) continue;
      const message = sprintf('Privilege escalation container is not allowed: %v', [containerField(container, 'name')]);
      if (message === undefined) continue;
      const flagPath = [...container.path, 'securityContext', 'allowPrivilegeEscalation'];
      const fix = fixIfApplicable(review.object, 'Set `allowPrivilegeEscalation: false`', true, [
        { op: 'set', path: flagPath, value: false },
      ]);
      violations.add(message, culpritAt(flagPath, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
