import { getPath, isObject } from '../json';
import type { JsonValue } from '../json';
import { checkedContainers, containerField, culpritAt, elementsOf, isTruthy, podName, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** The handlers that count: a gRPC probe, or one with only timings, counts as no probe. */
const PROBE_HANDLERS = ['tcpSocket', 'httpGet', 'exec'];

function hasHandler(probe: JsonValue | undefined): boolean {
  return isObject(probe) && PROBE_HANDLERS.some((handler) => isTruthy(probe[handler]));
}

/**
 * Flags each regular container (not init or ephemeral ones) that lacks a probe named in
 * `enforceProbes`, or whose probe has none of the tcpSocket, httpGet and exec handlers.
 */
export const k8sazurev2containerenforceprobes: ConstraintTemplate = {
  name: 'k8sazurev2containerenforceprobes',
  kind: 'K8sAzureV2ContainerEnforceProbes',
  storeUrl: storeUrl('container-enforce-probes', 'v2'),
  check(review, parameters) {
    const requiredParameter = getPath(parameters, ['enforceProbes']);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers'] })) {
      for (const probe of elementsOf(requiredParameter)) {
        if (typeof probe === 'string' && hasHandler(containerField(container, probe))) continue;
        const message = sprintf('Container <%v> in your Pod <%v> has no <%v>. Required probes: %v', [
          containerField(container, 'name'),
          podName(review),
          probe,
          requiredParameter,
        ]);
        if (message === undefined) continue;
        const namePath = [...container.path, 'name'];
        // Writing a probe means choosing how the app is checked, so there is no fix.
        violations.add(message, typeof probe === 'string' ? culpritAt([...container.path, probe], namePath) : culpritAt(namePath));
      }
    }
    return violations.toArray();
  },
};
