import { getPath } from '../json';
import { checkedContainers, containerField, culpritAt, regoRegexMatch, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags containers whose image does not match `imageRegex` anywhere (an unanchored Go regular
 * expression). Without the parameter, or with a pattern Go refuses, every container is flagged.
 * Only `excludedContainers` exempts a container; this template has no image exclusions.
 */
export const k8sazurev2containerallowedimages: ConstraintTemplate = {
  name: 'k8sazurev2containerallowedimages',
  kind: 'K8sAzureV2ContainerAllowedImages',
  storeUrl: storeUrl('container-allowed-images', 'v2'),
  check(review, parameters) {
    const pattern = getPath(parameters, ['imageRegex']);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { honourExcludedImages: false })) {
      const image = containerField(container, 'image');
      if (regoRegexMatch(pattern, image) === true) continue;
      const message = sprintf('Container image %v for container %v has not been allowed.', [image, containerField(container, 'name')]);
      if (message === undefined) continue;
      violations.add(message, culpritAt([...container.path, 'image'], [...container.path, 'name']));
    }
    return violations.toArray();
  },
};
