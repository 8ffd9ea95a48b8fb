import { getPath } from '../json';
import type { JsonValue } from '../json';
import { culpritAt, elementsOf, entriesOf, formatRegoValue, isTruthy, isWindowsPod, podName, regoEquals, removeFix, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** An entry allows its own name, every name when it is `*`, and every name it prefixes when it ends in `*`. */
function allowsSysctl(entry: JsonValue, sysctl: JsonValue): boolean {
  if (entry === '*' || regoEquals(entry, sysctl)) return true;
  return typeof entry === 'string' && entry.endsWith('*') && typeof sysctl === 'string' && sysctl.startsWith(entry.slice(0, -1));
}

/**
 * allowed-sysctl-interfaces/v1 (no copy published; see README, Inferred semantics): the allow-list half
 * of the Gatekeeper library's sysctl template, with Azure's Windows skip as in forbidden-sysctl-interfaces/v1.
 * Each pod sysctl must be allowed by `allowedSysctls`; without the parameter every sysctl is.
 */
export const k8sazurev1allowedsysctls: ConstraintTemplate = {
  name: 'k8sazurev1allowedsysctls',
  kind: 'K8sAzureV1AllowedSysctls',
  storeUrl: storeUrl('allowed-sysctl-interfaces', 'v1'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const allowedSysctls = getPath(parameters, ['allowedSysctls']);
    if (!isTruthy(allowedSysctls)) return [];
    const violations = new ViolationSet();
    for (const [key, sysctl] of entriesOf(getPath(review.object, ['spec', 'securityContext', 'sysctls']))) {
      const name = getPath(sysctl, ['name']);
      if (name === undefined || elementsOf(allowedSysctls).some((entry) => allowsSysctl(entry, name))) continue;
      const message = sprintf('The sysctl %v is not explicitly allowed, pod: %v. Allowed sysctls: %v', [name, podName(review), allowedSysctls]);
      if (message === undefined) continue;
      const itemPath = ['spec', 'securityContext', 'sysctls', key];
      violations.add(message, culpritAt([...itemPath, 'name'], itemPath, [removeFix(`Remove the sysctl ${formatRegoValue(name)}`, itemPath)]));
    }
    return violations.toArray();
  },
};
