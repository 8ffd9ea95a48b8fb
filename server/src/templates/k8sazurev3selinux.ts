import { getPath } from '../json';
import type { JsonObject, JsonValue, Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  isTruthy,
  isWindowsPod,
  podName,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { Culprit, ConstraintTemplate } from './types';

const OPTION_FIELDS = ['level', 'role', 'type', 'user'] as const;

/** v2's rule: some entry of `allowedSELinuxOptions` has the same value for every field the options set. */
function matchesAllowedOptions(options: JsonValue, parameters: JsonObject): boolean {
  return elementsOf(getPath(parameters, ['allowedSELinuxOptions'])).some((allowed) =>
    OPTION_FIELDS.every((field) => {
      const value = getPath(options, [field]);
      // Rego's has_field: a field set to false counts as missing.
      if (value === undefined || value === false) return true;
      const allowedValue = getPath(allowed, [field]);
      return allowedValue !== undefined && regoEquals(allowedValue, value);
    }),
  );
}

/** The fields of `options` (at `path`) that the Pod Security Standards refuse: a `user` or `role`, a `type` not allowed. */
function pssOffences(options: JsonValue, path: Path, parameters: JsonObject): Culprit[] {
  const isEmpty = (value: JsonValue | undefined) => value === undefined || value === '';
  const allowedTypes = elementsOf(getPath(parameters, ['allowedSELinuxTypes']));
  const offences: Culprit[] = [];
  for (const field of ['user', 'role'] as const) {
    if (!isEmpty(getPath(options, [field]))) offences.push(culpritAt([...path, field]));
  }
  const type = getPath(options, ['type']);
  if (!isEmpty(type) && !allowedTypes.some((allowed) => type !== undefined && regoEquals(allowed, type))) offences.push(culpritAt([...path, 'type']));
  return offences;
}

/**
 * selinux/v3 (no copy published; see README, Inferred semantics). Without `enforcePSS` it is v2:
 * pod and container `seLinuxOptions` must match an entry of `allowedSELinuxOptions`. With it, the Pod
 * Security Standards' rule: no `user` or `role`, and a `type` that is empty or in `allowedSELinuxTypes`.
 * Image exclusions apply to containers, not to the pod's own options.
 */
export const k8sazurev3selinux: ConstraintTemplate = {
  name: 'k8sazurev3selinux',
  kind: 'K8sAzureV3SELinux',
  storeUrl: storeUrl('selinux', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const enforcePss = isTruthy(getPath(parameters, ['enforcePSS']));
    const allowedLabel = enforcePss ? 'Allowed SELinux types' : 'Allowed options';
    const allowed = getPath(parameters, [enforcePss ? 'allowedSELinuxTypes' : 'allowedSELinuxOptions']);
    const offences = (options: JsonValue, path: Path): Culprit[] => {
      if (enforcePss) return pssOffences(options, path, parameters);
      return matchesAllowedOptions(options, parameters) ? [] : [culpritAt(path)];
    };
    const violations = new ViolationSet();
    const podOptionsPath: Path = ['spec', 'securityContext', 'seLinuxOptions'];
    const podOptions = getPath(review.object, podOptionsPath);
    // Rego's has_field: options set to false count as none.
    if (podOptions !== undefined && podOptions !== false) {
      const message = sprintf(`SELinux options is not allowed, pod: %v. ${allowedLabel}: %v`, [podName(review), allowed]);
      if (message !== undefined) for (const culprit of offences(podOptions, podOptionsPath)) violations.add(message, culprit);
    }
    for (const container of checkedContainers(review, parameters, { honourExcludedContainers: false })) {
      const options = containerField(container, 'securityContext', 'seLinuxOptions');
      if (options === undefined || options === false) continue;
      const message = sprintf(`SELinux options is not allowed, pod: %v, container %v. ${allowedLabel}: %v`, [
        podName(review),
        containerField(container, 'name'),
        allowed,
      ]);
      if (message === undefined) continue;
      for (const culprit of offences(options, [...container.path, 'securityContext', 'seLinuxOptions'])) violations.add(message, culprit);
    }
    return violations.toArray();
  },
};
