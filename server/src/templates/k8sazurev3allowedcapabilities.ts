import { getPath } from '../json';
import type { JsonValue } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  entriesOf,
  fixIfApplicable,
  isWindowsPod,
  removeFix,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { ConstraintTemplate } from './types';

/**
 * Capability names compare case-insensitively; entries that are not strings never match anything.
 * Maps each lowercased name to its first spelling in the list.
 */
function capabilityNames(list: JsonValue | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of elementsOf(list)) {
    if (typeof item === 'string' && !names.has(item.toLowerCase())) names.set(item.toLowerCase(), item);
  }
  return names;
}

/**
 * Flags containers that add a capability outside `allowedCapabilities` (`*` allows all), and
 * containers that drop neither every `requiredDropCapabilities` entry nor `ALL`.
 */
export const k8sazurev3allowedcapabilities: ConstraintTemplate = {
  name: 'k8sazurev3allowedcapabilities',
  kind: 'K8sAzureV3AllowedCapabilities',
  storeUrl: storeUrl('container-allowed-capabilities', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const allowedParameter = getPath(parameters, ['allowedCapabilities']);
    const allowed = capabilityNames(allowedParameter);
    const requiredDropsParameter = getPath(parameters, ['requiredDropCapabilities']);
    const requiredDrops = capabilityNames(requiredDropsParameter);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const name = containerField(container, 'name');
      const capabilitiesPath = [...container.path, 'securityContext', 'capabilities'];

      if (!allowed.has('*')) {
        const addPath = [...capabilitiesPath, 'add'];
        const disallowed = entriesOf(getPath(review.object, addPath)).filter(
          ([, capability]) => typeof capability === 'string' && !allowed.has(capability.toLowerCase()),
        );
        // Without the parameter the message says NONE (false would print as false).
        const message = sprintf('container <%v> has a disallowed capability. Allowed capabilities are %v', [
          name,
          allowedParameter ?? 'NONE',
        ]);
        if (message !== undefined) {
          for (const [key, capability] of disallowed) {
            const itemPath = [...addPath, key];
            violations.add(message, culpritAt(itemPath, undefined, [removeFix(`Do not add ${String(capability)}`, itemPath)]));
          }
        }
      }

      const dropPath = [...capabilitiesPath, 'drop'];
      const drop = getPath(review.object, dropPath);
      const dropped = capabilityNames(drop);
      const missing = [...requiredDrops].filter(([capability]) => !dropped.has(capability));
      if (missing.length === 0 || dropped.has('all')) continue;
      const message = sprintf(
        'container <%v> is not dropping all required capabilities. Container must drop all of %v or "ALL"',
        [name, requiredDropsParameter],
      );
      if (message === undefined) continue;
      const completedDrop = [...(Array.isArray(drop) ? drop : []), ...missing.map(([, spelling]) => spelling)];
      // Dropping capabilities may break a workload that relies on them: offered, not preferred.
      const fix = fixIfApplicable(review.object, 'Drop the required capabilities', false, [
        { op: 'set', path: dropPath, value: completedDrop },
      ]);
      violations.add(message, culpritAt(dropPath, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
