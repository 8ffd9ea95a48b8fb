import { getPath } from '../json';
import { culpritAt, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags a RoleBinding or ClusterRoleBinding whose `roleRef` is the ClusterRole `cluster-admin` (CIS Kubernetes
 * benchmark). No template is published; the semantics and message are inferred (see the README).
 */
export const k8sazurev1blockadminrolebindings: ConstraintTemplate = {
  name: 'k8sazurev1blockadminrolebindings',
  kind: 'K8sAzureV1BlockAdminRoleBindings',
  storeUrl: storeUrl('block-admin-rolebindings', 'v1'),
  check(review) {
    const roleRef = getPath(review.object, ['roleRef']);
    if (getPath(roleRef, ['kind']) !== 'ClusterRole' || getPath(roleRef, ['name']) !== 'cluster-admin') return [];
    const message = sprintf('%v %v grants the cluster-admin role; bind a role with only the permissions needed', [review.object.kind, getPath(review.object, ['metadata', 'name'])]);
    return message === undefined ? [] : [{ message, culprits: [culpritAt(['roleRef', 'name'])] }];
  },
};
