import { getPath } from '../json';
import { culpritAt, entriesOf, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags each Ingress rule without a `host` (or with an empty one): such a rule answers for every host name
 * that reaches the controller. No template is published for v2; the semantics and message are inferred
 * from the definition (see the README).
 */
export const k8sazurev2requireingresshost: ConstraintTemplate = {
  name: 'k8sazurev2requireingresshost',
  kind: 'K8sAzureV2RequireIngressHost',
  storeUrl: storeUrl('require-ingress-host', 'v2'),
  check(review) {
    const violations = new ViolationSet();
    const name = getPath(review.object, ['metadata', 'name']);
    for (const [index, rule] of entriesOf(getPath(review.object, ['spec', 'rules']))) {
      const host = getPath(rule, ['host']);
      if (typeof host === 'string' && host !== '') continue;
      const message = sprintf('Ingress %v should specify a host in each rule; rule %v has none', [name, index]);
      if (message !== undefined) violations.add(message, culpritAt(['spec', 'rules', index, 'host'], ['spec', 'rules', index]));
    }
    return violations.toArray();
  },
};
