import { getPath } from '../json';
import { checkedContainers, containerField, culpritAt, isTruthy, isWindowsPod, removeFix, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** Flags containers whose `securityContext.privileged` is truthy. */
export const k8sazurev2noprivilege: ConstraintTemplate = {
  name: 'k8sazurev2noprivilege',
  kind: 'K8sAzureV2NoPrivilege',
  storeUrl: storeUrl('container-no-privilege', 'v2'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const privilegedPath = [...container.path, 'securityContext', 'privileged'];
      if (!isTruthy(getPath(review.object, privilegedPath))) continue;
      const message = sprintf('Privileged container is not allowed: %v, securityContext: %v', [
        containerField(container, 'name'),
        containerField(container, 'securityContext'),
      ]);
      if (message === undefined) continue;
      violations.add(message, culpritAt(privilegedPath, undefined, [removeFix('Remove `privileged`', privilegedPath)]));
    }
    return violations.toArray();
  },
};
