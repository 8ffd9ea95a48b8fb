import type { JsonValue } from '../json';
import { checkedContainers, containerField, culpritAt, DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/**
 * Whether an image reference resolves to the tag `latest`: it says so (`nginx:latest`, also with a
 * digest), or it has neither tag nor digest (`nginx`), which the runtime pulls as `latest`.
 */
export function usesLatestTag(image: JsonValue | undefined): boolean {
  if (typeof image !== 'string') return false;
  const digestAt = image.indexOf('@');
  const name = digestAt === -1 ? image : image.slice(0, digestAt);
  // A `:` before the last `/` belongs to the registry's port, not to a tag.
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const tagAt = lastPart.lastIndexOf(':');
  if (tagAt === -1) return digestAt === -1;
  return lastPart.slice(tagAt + 1) === 'latest';
}

/**
 * container-no-latest-image/v2 (no copy published; see README, Inferred semantics): flags each
 * container, init container and ephemeral container whose image uses the tag `latest`, said or implied.
 */
export const k8sazurev2containernolatestimage: ConstraintTemplate = {
  name: 'k8sazurev2containernolatestimage',
  kind: 'K8sAzureV2ContainerNoLatestImage',
  storeUrl: storeUrl('container-no-latest-image', 'v2'),
  check(review, parameters) {
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const image = containerField(container, 'image');
      if (!usesLatestTag(image)) continue;
      const message = sprintf(`container <%v> uses the latest image tag (%v). ${DEPLOYMENT_SAFEGUARDS_MORE_INFORMATION}`, [
        containerField(container, 'name'),
        image,
      ]);
      if (message !== undefined) violations.add(message, culpritAt([...container.path, 'image'], [...container.path, 'name']));
    }
    return violations.toArray();
  },
};
