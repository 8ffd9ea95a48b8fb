import { getPath } from '../json';
import { isNamespaceBuiltIn, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags every object the constraint matches (the definition's `kind` and `apiGroups`, in its `namespaces`),
 * except the built-in ones. Cluster-scoped objects have no namespace, so the message, and the violation, is undefined.
 */
export const k8sazurev1blockresource: ConstraintTemplate = {
  name: 'k8sazurev1blockresource',
  kind: 'K8sAzureV1BlockResource',
  storeUrl: storeUrl('block-resource', 'v1'),
  check(review) {
    const { object } = review;
    if (isNamespaceBuiltIn(object)) return [];
    const message = sprintf('%v resource except default in namespace %v is not allowed, name: %v', [
      object.kind,
      getPath(object, ['metadata', 'namespace']),
      getPath(object, ['metadata', 'name']),
    ]);
    return message === undefined ? [] : [{ message, culprits: [] }];
  },
};
