import { getPath } from '../json';
import type { JsonObject, JsonValue } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  fixIfApplicable,
  isTruthy,
  isWindowsPod,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { InputContainer } from './common';
import type { ConstraintTemplate, Review, TemplateViolation } from './types';

/**
 * The v3 rule: `allowPrivilegeEscalation: true`, or anything but `false` while the container runs as a
 * non-zero user: its own `runAsUser`, or, when that is unset, the pod's.
 */
export function escalatesAsNonRootUser(container: InputContainer, podRunAsUser: JsonValue | undefined): boolean {
  const allowPrivilegeEscalation = containerField(container, 'securityContext', 'allowPrivilegeEscalation');
  if (allowPrivilegeEscalation === true) return true;
  if (allowPrivilegeEscalation === false) return false;
  const runAsUser = containerField(container, 'securityContext', 'runAsUser');
  const runsAsNonZeroUser = runAsUser !== undefined && !regoEquals(runAsUser, 0);
  // Rego's `not runAsUser` holds only when it is undefined or false: `runAsUser: 0` does not inherit the pod's user.
  const inheritsNonZeroUser = !isTruthy(runAsUser) && podRunAsUser !== undefined && !regoEquals(podRunAsUser, 0);
  return runsAsNonZeroUser || inheritsNonZeroUser;
}

/**
 * A "Privilege escalation container is not allowed" violation, with the fix that sets the flag to false, for each
 * checked container that `escalates` (given the pod's `runAsUser`); pods pinned to Windows are skipped.
 */
export function privilegeEscalationViolations(
  review: Review,
  parameters: JsonObject,
  escalates: (container: InputContainer, podRunAsUser: JsonValue | undefined) => boolean,
): TemplateViolation[] {
  if (isWindowsPod(review)) return [];
  const podRunAsUser = getPath(review.object, ['spec', 'securityContext', 'runAsUser']);
  const violations = new ViolationSet();
  for (const container of checkedContainers(review, parameters)) {
    if (!escalates(container, podRunAsUser)) continue;
    const message = sprintf('Privilege escalation container is not allowed: %v', [containerField(container, 'name')]);
    if (message === undefined) continue;
    const flagPath = [...container.path, 'securityContext', 'allowPrivilegeEscalation'];
    const fix = fixIfApplicable(review.object, 'Set `allowPrivilegeEscalation: false`', true, [{ op: 'set', path: flagPath, value: false }]);
    violations.add(message, culpritAt(flagPath, [...container.path, 'name'], [fix]));
  }
  return violations.toArray();
}

/**
 * Flags containers with `allowPrivilegeEscalation: true`, and containers that do not set it to
 * `false` while running as a non-zero user: their own `runAsUser`, or, when theirs is unset, the
 * pod's. A container running as root, or with no runAsUser anywhere, is not flagged.
 */
export const k8sazurev3noprivilegeescalation: ConstraintTemplate = {
  name: 'k8sazurev3noprivilegeescalation',
  kind: 'K8sAzureV3NoPrivilegeEscalation',
  storeUrl: storeUrl('container-no-privilege-escalation', 'v3'),
  check: (review, parameters) => privilegeEscalationViolations(review, parameters, escalatesAsNonRootUser),
};
