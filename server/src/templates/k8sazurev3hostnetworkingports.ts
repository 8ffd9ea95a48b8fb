import { getPath } from '../json';
import type { JsonObject, JsonValue, Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  entriesOf,
  isTruthy,
  isWindowsPod,
  podName,
  regoGreater,
  regoLess,
  removeFix,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { Culprit, ConstraintTemplate } from './types';

/** Whether a container's `hostPort` (undefined when the port has none) is allowed by the constraint's parameters. */
export type HostPortRule = (hostPort: JsonValue | undefined, parameters: JsonObject) => boolean;

/**
 * The host-network-ports rule with its port test left open: flags each container of a pod that uses
 * the host network when `allowHostNetwork` is not set, or that has a `hostPort` the rule refuses.
 * The message prints all parameters.
 */
export function checkHostNetworkingPorts(isAllowedHostPort: HostPortRule): ConstraintTemplate['check'] {
  return (review, parameters) => {
    if (isWindowsPod(review)) return [];
    const hostNetworkPath: Path = ['spec', 'hostNetwork'];
    const hostNetwork = getPath(review.object, hostNetworkPath);
    const usesForbiddenHostNetwork = !isTruthy(getPath(parameters, ['allowHostNetwork'])) && isTruthy(hostNetwork);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const culprits: Culprit[] = [];
      if (usesForbiddenHostNetwork) {
        culprits.push(culpritAt(hostNetworkPath, undefined, [removeFix('Remove `hostNetwork`', hostNetworkPath)]));
      }
      for (const [portKey, port] of entriesOf(containerField(container, 'ports'))) {
        if (isAllowedHostPort(getPath(port, ['hostPort']), parameters)) continue;
        const portPath = [...container.path, 'ports', portKey];
        const hostPortPath = [...portPath, 'hostPort'];
        // With hostNetwork the API server defaults hostPort to containerPort, so removing it would not help.
        const fix = hostNetwork === true ? undefined : removeFix('Remove `hostPort`', hostPortPath);
        culprits.push(culpritAt(hostPortPath, [...portPath, 'containerPort'], [fix]));
      }
      if (culprits.length === 0) continue;
      const message = sprintf(
        'The specified hostNetwork and hostPort are not allowed, pod: %v, container: %v. Allowed values: %v',
        [podName(review), containerField(container, 'name'), parameters],
      );
      if (message === undefined) continue;
      for (const culprit of culprits) violations.add(message, culprit);
    }
    return violations.toArray();
  };
}

/**
 * Host network and a hostPort outside `minPort`..`maxPort` are not allowed. Ports compare as Rego
 * compares values, across types too (null < booleans < numbers < strings), so a non-numeric
 * hostPort is judged as Gatekeeper would judge it; a missing bound never flags.
 */
export const k8sazurev3hostnetworkingports: ConstraintTemplate = {
  name: 'k8sazurev3hostnetworkingports',
  kind: 'K8sAzureV3HostNetworkingPorts',
  storeUrl: storeUrl('host-network-ports', 'v3'),
  check: checkHostNetworkingPorts(
    (hostPort, parameters) =>
      !regoLess(hostPort, getPath(parameters, ['minPort'])) && !regoGreater(hostPort, getPath(parameters, ['maxPort'])),
  ),
};
