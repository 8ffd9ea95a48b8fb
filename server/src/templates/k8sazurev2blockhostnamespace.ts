import { getPath } from '../json';
import type { Path } from '../json';
import { checkedContainers, culpritAt, isTruthy, isWindowsPod, podName, removeFix, sprintf, storeUrl } from './common';
import type { Culprit, ConstraintTemplate } from './types';

/** The pod fields that share a host namespace. */
export type HostNamespaceField = 'hostPID' | 'hostIPC' | 'hostNetwork';

/**
 * The block-host-namespace rule over `fields`: one violation per pod that sets any of them, with
 * each such field as a culprit.
 */
export function checkHostNamespaces(fields: readonly HostNamespaceField[]): ConstraintTemplate['check'] {
  return (review, parameters) => {
    if (isWindowsPod(review)) return [];
    // The Rego needs one container its image exclusions keep; it never reads excludedContainers.
    if (checkedContainers(review, parameters, { honourExcludedContainers: false }).length === 0) return [];
    const culprits: Culprit[] = [];
    for (const field of fields) {
      const path: Path = ['spec', field];
      if (isTruthy(getPath(review.object, path))) culprits.push(culpritAt(path, undefined, [removeFix(`Remove \`${field}\``, path)]));
    }
    if (culprits.length === 0) return [];
    const message = sprintf('Sharing the host namespace is not allowed: %v', [podName(review)]);
    return message === undefined ? [] : [{ message, culprits }];
  };
}

/** Flags pods sharing the host's PID or IPC namespace (this v2 does not look at hostNetwork). */
export const k8sazurev2blockhostnamespace: ConstraintTemplate = {
  name: 'k8sazurev2blockhostnamespace',
  kind: 'K8sAzureV2BlockHostNamespace',
  storeUrl: storeUrl('block-host-namespace', 'v2'),
  check: checkHostNamespaces(['hostPID', 'hostIPC']),
};
