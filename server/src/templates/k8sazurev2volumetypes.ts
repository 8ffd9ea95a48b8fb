import { getPath } from '../json';
import {
  checkedContainers,
  culpritAt,
  elementsOf,
  entriesOf,
  isTruthy,
  mountedVolumes,
  podName,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { ConstraintTemplate } from './types';

/**
 * Flags the type of each volume that a container mounts when it is not in `volumes` (`*` allows all).
 * Volumes no container mounts are not checked. Unlike the other templates this one has no Windows
 * skip and never reads `excludedContainers`; only `excludedImages` exempts a container's mounts.
 */
export const k8sazurev2volumetypes: ConstraintTemplate = {
  name: 'k8sazurev2volumetypes',
  kind: 'K8sAzureV2VolumeTypes',
  storeUrl: storeUrl('allowed-volume-types', 'v2'),
  check(review, parameters) {
    const allowedTypes = getPath(parameters, ['volumes']);
    const allowedTypeList = elementsOf(allowedTypes);
    if (allowedTypeList.some((type) => regoEquals(type, '*'))) return [];
    const containers = checkedContainers(review, parameters, { honourExcludedContainers: false });
    const violations = new ViolationSet();
    for (const volume of mountedVolumes(review, containers)) {
      // Every key but `name` whose value holds counts as a volume type.
      for (const [type, source] of entriesOf(volume.value)) {
        if (type === 'name' || !isTruthy(source) || allowedTypeList.some((allowed) => regoEquals(allowed, type))) continue;
        const message = sprintf('The volume type %v is not allowed, pod: %v. Allowed volume types: %v', [
          type,
          podName(review),
          allowedTypes,
        ]);
        // No fix: replacing a volume source needs the author's judgement.
        if (message !== undefined) violations.add(message, culpritAt([...volume.path, type]));
      }
    }
    return violations.toArray();
  },
};
