import { getPath } from '../json';
import type { Path } from '../json';
import { checkedContainers, containerField, culpritAt, isWindowsPod, removeFix, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

const HOST_PROCESS: Path = ['securityContext', 'windowsOptions', 'hostProcess'];

/**
 * windows-block-host-process/v1 (no copy published; see README, Inferred semantics). In pods pinned to
 * Windows, as the other Windows templates read it, flags each container that runs as a HostProcess
 * container: its own `windowsOptions.hostProcess`, or else the pod's, is true.
 */
export const k8sazurev1windowsblockhostprocess: ConstraintTemplate = {
  name: 'k8sazurev1windowsblockhostprocess',
  kind: 'K8sAzureV1WindowsBlockHostProcess',
  storeUrl: storeUrl('windows-block-host-process', 'v1'),
  check(review, parameters) {
    if (!isWindowsPod(review)) return [];
    const podPath: Path = ['spec', ...HOST_PROCESS];
    const podHostProcess = getPath(review.object, podPath);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { honourExcludedContainers: false })) {
      const ownHostProcess = containerField(container, ...HOST_PROCESS);
      const [hostProcess, path] = ownHostProcess === undefined ? [podHostProcess, podPath] : [ownHostProcess, [...container.path, ...HOST_PROCESS]];
      if (hostProcess !== true) continue;
      const message = sprintf('Container <%v> is a HostProcess container.', [containerField(container, 'name')]);
      // Without its own field a container inherits the pod's, so removing its own helps only when the pod's is not true.
      const fix = path === podPath || podHostProcess !== true ? removeFix('Remove `hostProcess`', path) : undefined;
      if (message !== undefined) violations.add(message, culpritAt(path, undefined, [fix]));
    }
    return violations.toArray();
  },
};
