import { getPath } from '../json';
import type { JsonValue } from '../json';
import { checkedContainers, containerField, culpritAt, isTruthy, isWindowsPod, removeFix, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** `default` or `unmasked` from the `procMount` parameter in any case; anything else counts as `default`. */
function allowedProcMount(parameter: JsonValue | undefined): 'default' | 'unmasked' {
  return typeof parameter === 'string' && parameter.toLowerCase() === 'unmasked' ? 'unmasked' : 'default';
}

/**
 * Flags containers that set a `procMount` other than Default (compared in any case) while only
 * `default` is allowed. Containers without a truthy `procMount` are never looked at.
 */
export const k8sazurev4procmount: ConstraintTemplate = {
  name: 'k8sazurev4procmount',
  kind: 'K8sAzureV4ProcMount',
  storeUrl: storeUrl('allowed-proc-mount-types', 'v4'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const allowed = allowedProcMount(getPath(parameters, ['procMount']));
    if (allowed === 'unmasked') return [];
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const procMountPath = [...container.path, 'securityContext', 'procMount'];
      const procMount = getPath(review.object, procMountPath);
      if (!isTruthy(procMount)) continue;
      if (typeof procMount === 'string' && procMount.toLowerCase() === 'default') continue;
      const message = sprintf('ProcMount type is not allowed, container: %v. Allowed procMount types: %v', [containerField(container, 'name'), allowed]);
      if (message === undefined) continue;
      // Without the field the runtime masks /proc as it does by default.
      violations.add(message, culpritAt(procMountPath, undefined, [removeFix('Remove `procMount`', procMountPath)]));
    }
    return violations.toArray();
  },
};
