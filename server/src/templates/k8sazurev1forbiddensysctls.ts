import { getPath } from '../json';
import type { JsonValue } from '../json';
import { culpritAt, elementsOf, entriesOf, formatRegoValue, isWindowsPod, podName, regoEquals, removeFix, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * A sysctl is forbidden by `*`, by its exact name, or by an entry that is a prefix of it once the
 * entry's leading and trailing `*`s are trimmed: `kernel.*` forbids `kernel.msgmax`, and an empty
 * entry (or `**`) forbids everything.
 */
function isForbidden(sysctl: JsonValue, forbidden: readonly JsonValue[]): boolean {
  return forbidden.some(
    (entry) =>
      entry === '*' ||
      regoEquals(entry, sysctl) ||
      (typeof entry === 'string' && typeof sysctl === 'string' && sysctl.startsWith(entry.replace(/^\*+|\*+$/g, ''))),
  );
}

/** Flags each pod-level sysctl that `forbiddenSysctls` forbids. Pods pinned to Windows are skipped. */
export const k8sazurev1forbiddensysctls: ConstraintTemplate = {
  name: 'k8sazurev1forbiddensysctls',
  kind: 'K8sAzureV1ForbiddenSysctls',
  storeUrl: storeUrl('forbidden-sysctl-interfaces', 'v1'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const forbiddenParameter = getPath(parameters, ['forbiddenSysctls']);
    const forbidden = elementsOf(forbiddenParameter);
    const violations = new ViolationSet();
    for (const [key, entry] of entriesOf(getPath(review.object, ['spec', 'securityContext', 'sysctls']))) {
      const sysctl = getPath(entry, ['name']);
      if (sysctl === undefined || !isForbidden(sysctl, forbidden)) continue;
      const message = sprintf('The sysctl %v is not allowed, pod: %v. Forbidden sysctls: %v', [sysctl, podName(review), forbiddenParameter]);
      if (message === undefined) continue;
      const itemPath = ['spec', 'securityContext', 'sysctls', key];
      violations.add(message, culpritAt(itemPath, undefined, [removeFix(`Remove the sysctl ${formatRegoValue(sysctl)}`, itemPath)]));
    }
    return violations.toArray();
  },
};
