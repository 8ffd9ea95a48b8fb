import { getPath } from '../json';
import type { JsonValue, Path } from '../json';
import { checkedContainers, containerField, culpritAt, elementsOf, isTruthy, isWindowsPod, podName, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import { k8sazurev2selinux } from './k8sazurev2selinux';
import type { Culprit, ConstraintTemplate } from './types';

/** A field the API server does not store: it drops null and, for these strings, empty values. */
function isUnset(value: JsonValue | undefined): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** The fields of `options` (at `path`) that the Pod Security Standards refuse: a `user` or `role`, a `type` not allowed. */
function pssOffences(options: JsonValue | undefined, path: Path, allowedTypes: JsonValue | undefined): Culprit[] {
  const offences: Culprit[] = [];
  for (const field of ['user', 'role'] as const) {
    if (!isUnset(getPath(options, [field]))) offences.push(culpritAt([...path, field]));
  }
  const type = getPath(options, ['type']);
  if (!isUnset(type) && !elementsOf(allowedTypes).some((allowed) => regoEquals(allowed, type))) offences.push(culpritAt([...path, 'type']));
  return offences;
}

/**
 * selinux/v3 (no copy published; see README, Inferred semantics). Without `enforcePSS` it is v2. With
 * it, the Pod Security Standards' rule for the pod's and each container's `seLinuxOptions`: no `user` or
 * `role`, and a `type` that is empty or in `allowedSELinuxTypes`; each offending field is a culprit.
 * Image exclusions apply to containers, not to the pod's own options.
 */
export const k8sazurev3selinux: ConstraintTemplate = {
  name: 'k8sazurev3selinux',
  kind: 'K8sAzureV3SELinux',
  storeUrl: storeUrl('selinux', 'v3'),
  check(review, parameters) {
    if (!isTruthy(getPath(parameters, ['enforcePSS']))) return k8sazurev2selinux.check(review, parameters);
    if (isWindowsPod(review)) return [];
    const allowedTypes = getPath(parameters, ['allowedSELinuxTypes']);
    const violations = new ViolationSet();
    const podOptionsPath: Path = ['spec', 'securityContext', 'seLinuxOptions'];
    const podMessage = sprintf('SELinux options is not allowed, pod: %v. Allowed SELinux types: %v', [podName(review), allowedTypes]);
    if (podMessage !== undefined) {
      for (const culprit of pssOffences(getPath(review.object, podOptionsPath), podOptionsPath, allowedTypes)) violations.add(podMessage, culprit);
    }
    for (const container of checkedContainers(review, parameters, { honourExcludedContainers: false })) {
      const message = sprintf('SELinux options is not allowed, pod: %v, container %v. Allowed SELinux types: %v', [
        podName(review),
        containerField(container, 'name'),
        allowedTypes,
      ]);
      if (message === undefined) continue;
      const optionsPath = [...container.path, 'securityContext', 'seLinuxOptions'];
      for (const culprit of pssOffences(getPath(review.object, optionsPath), optionsPath, allowedTypes)) violations.add(message, culprit);
    }
    return violations.toArray();
  },
};
