import { getPath, isObject, type JsonValue } from '../json';
import { culpritAt, elementsOf, isTruthy, regoRegexMatch, RegoSet, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Requires the annotations listed in `annotations` (`[{key, allowedRegex}]`): each key must be present,
 * and where `allowedRegex` is not empty, the value must contain a match of it (Go regex syntax).
 */
export const k8sazurev1requiredannotations: ConstraintTemplate = {
  name: 'k8sazurev1requiredannotations',
  kind: 'K8sAzureV1RequiredAnnotations',
  storeUrl: storeUrl('enforce-required-annotation', 'v1'),
  check(review, parameters) {
    const violations = new ViolationSet();
    const annotations = getPath(review.object, ['metadata', 'annotations']);
    const provided = isObject(annotations) ? annotations : {};
    const expectations = elementsOf(getPath(parameters, ['annotations']));

    const isProvided = (key: JsonValue) => typeof key === 'string' && isTruthy(getPath(provided, [key]));
    const missing = new RegoSet(expectations.flatMap((expected) => getPath(expected, ['key']) ?? []).filter((key) => !isProvided(key)));
    const missingMessage = missing.members.length > 0 ? sprintf('you must provide annotation(s): %v', [missing]) : undefined;
    if (missingMessage !== undefined) violations.add(missingMessage, culpritAt(['metadata', 'annotations'], ['metadata']));

    for (const [key, value] of Object.entries(provided)) {
      for (const expected of expectations) {
        const allowedRegex = getPath(expected, ['allowedRegex']);
        if (getPath(expected, ['key']) !== key || allowedRegex === undefined || allowedRegex === '') continue;
        // A value or pattern re_match cannot read makes the match undefined, and `not` of it holds.
        if (regoRegexMatch(allowedRegex, value) === true) continue;
        const message = sprintf('Annotation <%v: %v> does not satisfy allowed regex: %v', [key, value, allowedRegex]);
        if (message !== undefined) violations.add(message, culpritAt(['metadata', 'annotations', key]));
      }
    }
    return violations.toArray();
  },
};
