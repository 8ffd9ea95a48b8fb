import { getPath } from '../json';
import { culpritAt, entriesOf, formatRegoValue, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * print-mutations-annotations/v1 (no copy published; see README, Inferred semantics). `messages` maps an
 * annotation to the message to print when a Pod carries it, as Deployment Safeguards' mutations mark what they
 * changed. Each such annotation of the Pod is one violation whose message is the entry's, printed as is: with
 * `warn` the cluster shows it as a kubectl warning. Entries are read in key order, as Rego iterates an object.
 */
export const k8sazurev1printmutationsannotations: ConstraintTemplate = {
  name: 'k8sazurev1printmutationsannotations',
  kind: 'K8sAzureV1PrintMutationsAnnotations',
  storeUrl: storeUrl('print-mutations-annotations', 'v1'),
  check(review, parameters) {
    const violations = new ViolationSet();
    const entries = entriesOf(getPath(parameters, ['messages'])).sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    for (const [annotation, message] of entries) {
      const path = ['metadata', 'annotations', annotation];
      if (getPath(review.object, path) === undefined) continue;
      violations.add(formatRegoValue(message), culpritAt(path));
    }
    return violations.toArray();
  },
};
