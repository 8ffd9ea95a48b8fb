import { getPath } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  entriesOf,
  formatRegoValue,
  isWindowsPod,
  regoEquals,
  removeFix,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags containers that add a capability listed in `disallowedCapabilities` (compared exactly, case
 * included), and every container when the list holds `*`. Backs two definitions: one with its own
 * list, and one fixed to `SYS_ADMIN`.
 */
export const k8sazurev3disallowedcapabilities: ConstraintTemplate = {
  name: 'k8sazurev3disallowedcapabilities',
  kind: 'K8sAzureV3DisallowedCapabilities',
  storeUrl: storeUrl('container-disallowed-capabilities', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const disallowedParameter = getPath(parameters, ['disallowedCapabilities']);
    const disallowed = elementsOf(disallowedParameter);
    const disallowsAll = disallowed.includes('*');
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const addPath = [...container.path, 'securityContext', 'capabilities', 'add'];
      const added = entriesOf(getPath(review.object, addPath)).filter(([, capability]) => disallowed.some((entry) => regoEquals(entry, capability)));
      if (added.length === 0 && !disallowsAll) continue;
      const message = sprintf('container <%v> has a disallowed capability. Disallowed capabilities are %v', [
        containerField(container, 'name'),
        disallowedParameter ?? [],
      ]);
      if (message === undefined) continue;
      if (disallowsAll) {
        // With `*` no capability list passes, so there is nothing to fix.
        violations.add(message, culpritAt([...container.path, 'name'], container.path));
        continue;
      }
      for (const [key, capability] of added) {
        const itemPath = [...addPath, key];
        violations.add(message, culpritAt(itemPath, undefined, [removeFix(`Do not add ${formatRegoValue(capability)}`, itemPath)]));
      }
    }
    return violations.toArray();
  },
};
