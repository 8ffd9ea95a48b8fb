import { isObject } from '../json';
import { culpritAt, isNamespaceBuiltIn, isTruthy, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/** Flags objects in the `default` namespace, or without one, except the ones Kubernetes puts there. */
export const k8sazurev1blockdefault: ConstraintTemplate = {
  name: 'k8sazurev1blockdefault',
  kind: 'K8sAzureV1BlockDefault',
  storeUrl: storeUrl('block-default-namespace', 'v1'),
  check(review) {
    const { object } = review;
    const metadata = object.metadata;
    if (!isObject(metadata)) return [];
    const inDefaultNamespace = !isTruthy(metadata.namespace) || metadata.namespace === 'default';
    if (!inDefaultNamespace || isNamespaceBuiltIn(object)) return [];
    const message = sprintf('Usage of the default namespace is not allowed, name: %v, kind: %v', [metadata.name, object.kind]);
    // A manifest without a namespace lands in the default one: point at `metadata` then.
    return message === undefined ? [] : [{ message, culprits: [culpritAt(['metadata', 'namespace'], ['metadata'])] }];
  },
};
