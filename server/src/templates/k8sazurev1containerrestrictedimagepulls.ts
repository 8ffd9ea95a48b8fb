import { getPath } from '../json';
import { checkedContainers, culpritAt, podName, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags a pod without `imagePullSecrets` that runs a container whose image is not excluded. An empty
 * or null list counts as none: the API server drops it. The ServiceAccount admission plugin copies
 * the ServiceAccount's own pull secrets into a pod that has none, which a manifest alone cannot show.
 */
export const k8sazurev1containerrestrictedimagepulls: ConstraintTemplate = {
  name: 'k8sazurev1containerrestrictedimagepulls',
  kind: 'K8sAzureV1ContainerRestrictedImagePulls',
  storeUrl: storeUrl('container-restricted-image-pulls', 'v1'),
  check(review, parameters) {
    const secrets = getPath(review.object, ['spec', 'imagePullSecrets']);
    const hasSecrets = secrets !== undefined && secrets !== null && !(Array.isArray(secrets) && secrets.length === 0);
    if (hasSecrets || checkedContainers(review, parameters, { honourExcludedContainers: false }).length === 0) return [];
    // The template formats with %s; for the name and namespace, which are strings, that prints what %v does.
    const message = sprintf('%v in %v does not have imagePullSecrets. Unauthenticated image pulls are not recommended.', [podName(review), review.namespace]);
    if (message === undefined) return [];
    // Which secret holds the registry's credentials is the user's to say, so there is no fix.
    return [{ message, culprits: [culpritAt(['spec', 'imagePullSecrets'], ['spec'])] }];
  },
};
