import { getPath } from '../json';
import { checkedContainers, containerField, culpritAt, defaultImagePullPolicy, elementsOf, fixIfApplicable, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags containers whose `imagePullPolicy` is not in `allowedPullPolicy`. A container without one is
 * judged by the policy the API server gives it first: `Always` for an image tagged `latest` or not
 * tagged at all, `IfNotPresent` otherwise. Without the parameter nothing is flagged (the message
 * would print an undefined value).
 */
export const k8sazurev2containerallowedpullpolicy: ConstraintTemplate = {
  name: 'k8sazurev2containerallowedpullpolicy',
  kind: 'K8sAzureV2ContainerAllowedPullPolicy',
  storeUrl: storeUrl('container-allowed-pull-policy', 'v2'),
  check(review, parameters) {
    const allowedParameter = getPath(parameters, ['allowedPullPolicy']);
    const allowed = elementsOf(allowedParameter);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { honourExcludedContainers: false })) {
      const policyPath = [...container.path, 'imagePullPolicy'];
      const written = getPath(review.object, policyPath);
      const policy = written ?? defaultImagePullPolicy(containerField(container, 'image'));
      if (policy === undefined || allowed.some((candidate) => regoEquals(candidate, policy))) continue;
      const message = sprintf('Image pull policy %v for container %v is not been allowed. allowed policies: %v', [
        policy,
        containerField(container, 'name'),
        allowedParameter,
      ]);
      if (message === undefined) continue;
      // Pulling less often can serve a stale image, so this is offered but not preferred.
      const [firstAllowed] = allowed;
      const fix =
        typeof firstAllowed === 'string'
          ? fixIfApplicable(review.object, `Set \`imagePullPolicy: ${firstAllowed}\``, false, [{ op: 'set', path: policyPath, value: firstAllowed }])
          : undefined;
      // A defaulted policy comes from the image's tag, so that is where it points.
      violations.add(message, culpritAt(policyPath, [...container.path, 'image'], [fix]));
    }
    return violations.toArray();
  },
};
