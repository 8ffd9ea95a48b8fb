import { getPath } from '../json';
import { culpritAt, entriesOf, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** What a rule grants: the actions (`verbs`) and the objects (`resources`), as the CIS Kubernetes benchmark reads it. */
const GRANT_FIELDS = ['verbs', 'resources'] as const;

/**
 * Flags a Role or ClusterRole rule that grants `*` in its verbs or resources (CIS Kubernetes benchmark).
 * No template is published; the semantics and message are inferred from the definition (see the README).
 */
export const k8sazurev1blockwildcardroles: ConstraintTemplate = {
  name: 'k8sazurev1blockwildcardroles',
  kind: 'K8sAzureV1BlockWildcardRoles',
  storeUrl: storeUrl('block-wildcard-roles', 'v1'),
  check(review) {
    const violations = new ViolationSet();
    const name = getPath(review.object, ['metadata', 'name']);
    for (const [ruleIndex, rule] of entriesOf(getPath(review.object, ['rules']))) {
      for (const field of GRANT_FIELDS) {
        for (const [itemIndex, item] of entriesOf(getPath(rule, [field]))) {
          if (item !== '*') continue;
          const message = sprintf("%v %v should not use the wildcard '*' in %v; list only what the role needs", [review.object.kind, name, field]);
          if (message !== undefined) violations.add(message, culpritAt(['rules', ruleIndex, field, itemIndex]));
        }
      }
    }
    return violations.toArray();
  },
};
