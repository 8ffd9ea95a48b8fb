import { getPath } from '../json';
import { culpritAt, elementsOf, entriesOf, regoEquals, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

const MESSAGE =
  'ClusterRole system:aggregate-to-edit should not allow endpoint edit permissions. For k8s version < 1.22, the Cluster Role should be annotated with rbac.authorization.kubernetes.io/autoupdate=false to prevent autoreconciliation back to default permissions for this role.';
const EDIT_VERBS = ['create', 'patch', 'update'];

/** Flags `system:aggregate-to-edit` when a rule lets it create, patch or update `endpoints` (CVE-2021-25740). */
export const k8sazurev1blockendpointeditdefaultrole: ConstraintTemplate = {
  name: 'k8sazurev1blockendpointeditdefaultrole',
  kind: 'K8sAzureV1BlockEndpointEditDefaultRole',
  storeUrl: storeUrl('block-endpoint-edit-default-role', 'v1'),
  check(review) {
    if (getPath(review.object, ['metadata', 'name']) !== 'system:aggregate-to-edit') return [];
    const violations = new ViolationSet();
    for (const [ruleKey, rule] of entriesOf(getPath(review.object, ['rules']))) {
      const verbs = elementsOf(getPath(rule, ['verbs']));
      if (!verbs.some((verb) => EDIT_VERBS.some((edit) => regoEquals(verb, edit)))) continue;
      // The rule's apiGroups are not read: `endpoints` under any group counts, as in the Rego.
      for (const [resourceKey, resource] of entriesOf(getPath(rule, ['resources']))) {
        if (resource === 'endpoints') violations.add(MESSAGE, culpritAt(['rules', ruleKey, 'resources', resourceKey]));
      }
    }
    return violations.toArray();
  },
};
