import { getPath } from '../json';
import { ALL_CONTAINER_LISTS, checkedContainers, culpritAt, entriesOf, fixIfApplicable, podName, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate, Culprit } from './types';

const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Flags a pod that mounts a service account token: `automountServiceAccountToken: true`, or no such
 * field (an explicit `null` is dropped by the API server), in which case the ServiceAccount admission
 * plugin mounts the token into every container before Gatekeeper sees the pod, unless the pod's
 * ServiceAccount opts out, which a manifest alone cannot tell. A pod whose containers all have
 * excluded images is not flagged.
 */
export const k8sazurev2blockautomounttoken: ConstraintTemplate = {
  name: 'k8sazurev2blockautomounttoken',
  kind: 'K8sAzureV2BlockAutomountToken',
  storeUrl: storeUrl('block-automount-token', 'v2'),
  check(review, parameters) {
    if (checkedContainers(review, parameters, { honourExcludedContainers: false }).length === 0) return [];
    const automountPath = ['spec', 'automountServiceAccountToken'];
    const automount = getPath(review.object, automountPath);
    if (automount !== true && automount !== undefined && automount !== null) return [];
    const message = sprintf('Automounting service account token is disallowed, pod: %v', [podName(review)]);
    if (message === undefined) return [];
    const fix = fixIfApplicable(review.object, 'Set `automountServiceAccountToken: false`', true, [{ op: 'set', path: automountPath, value: false }]);
    const culprits: Culprit[] = [culpritAt(automountPath, ['spec'], [fix])];
    if (automount !== true) {
      // Mounts of the token path that the manifest writes itself (of any container, excluded ones too).
      for (const list of ALL_CONTAINER_LISTS) {
        for (const [containerKey, container] of entriesOf(getPath(review.object, ['spec', list]))) {
          for (const [mountKey, mount] of entriesOf(getPath(container, ['volumeMounts']))) {
            if (getPath(mount, ['mountPath']) !== TOKEN_MOUNT_PATH) continue;
            culprits.push(culpritAt(['spec', list, containerKey, 'volumeMounts', mountKey, 'mountPath'], undefined, [fix]));
          }
        }
      }
    }
    const violations = new ViolationSet();
    for (const culprit of culprits) violations.add(message, culprit);
    return violations.toArray();
  },
};
