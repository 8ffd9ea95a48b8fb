import { getPath } from '../json';
import { culpritAt, entriesOf, formatRegoValue, RegoSet, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** Flags a core Service whose `spec.externalIPs` lists an address outside `allowedExternalIPs` (CVE-2020-8554). */
export const k8sazurev1externalips: ConstraintTemplate = {
  name: 'k8sazurev1externalips',
  kind: 'K8sAzureV1ExternalIPs',
  storeUrl: storeUrl('allowed-external-ips', 'v1'),
  check(review, parameters) {
    if (review.kind.kind !== 'Service' || review.kind.group !== '') return [];
    const allowed = new RegoSet(entriesOf(getPath(parameters, ['allowedExternalIPs'])).map(([, ip]) => ip));
    const externalIPs = entriesOf(getPath(review.object, ['spec', 'externalIPs']));
    const forbidden = externalIPs.filter(([, ip]) => !allowed.has(ip));
    if (forbidden.length === 0) return [];
    const message = sprintf('service has forbidden external IPs: %v', [new RegoSet(forbidden.map(([, ip]) => ip))]);
    if (message === undefined) return [];
    const violations = new ViolationSet();
    for (const [index, ip] of forbidden) {
      const path = ['spec', 'externalIPs', index];
      // Dropping an address changes where the Service answers, so the fix is offered but not preferred.
      violations.add(message, culpritAt(path, undefined, [{ title: `Remove external IP ${formatRegoValue(ip)}`, preferred: false, operations: [{ op: 'remove', path }] }]));
    }
    return violations.toArray();
  },
};
