import { getPath } from '../json';
import { containerField, isTruthy, storeUrl, type InputContainer } from './common';
import { escalatesAsNonRootUser, privilegeEscalationViolations } from './k8sazurev3noprivilegeescalation';
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
    const forceFalse = isTruthy(getPath(parameters, ['forcePrivilegeEscalationToBeFalse']));
    const escalates = forceFalse
      ? (container: InputContainer) => containerField(container, 'securityContext', 'allowPrivilegeEscalation') !== false
      : escalatesAsNonRootUser;
    return privilegeEscalationViolations(review, parameters, escalates);
  },
};
