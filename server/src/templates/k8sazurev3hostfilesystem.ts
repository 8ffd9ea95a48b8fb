import { getPath } from '../json';
import type { JsonObject, JsonValue } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  entriesOf,
  fixIfApplicable,
  isTruthy,
  isWindowsPod,
  mountedVolumes,
  podName,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { InputContainer } from './common';
import type { Culprit, ConstraintTemplate, Review, TemplateViolation } from './types';

/** A path as its segments: `/foo/bar/` is `foo`, `bar`; `/` has none, so it is a prefix of every path. */
function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.replace(/^\/+|\/+$/g, '').split('/');
}

/** Prefix matching by whole segments: `/foo` matches `/foo/bar` but not `/fool`. Non-strings never match. */
export function pathMatches(prefix: JsonValue | undefined, path: JsonValue | undefined): boolean {
  if (typeof prefix !== 'string' || typeof path !== 'string') return false;
  const prefixSegments = pathSegments(prefix);
  const pathSegmentList = pathSegments(path);
  return (
    prefixSegments.length <= pathSegmentList.length &&
    prefixSegments.every((segment, index) => segment === pathSegmentList[index])
  );
}

/** Whether a host path lies under an allowed `pathPrefix`. */
export type PathPrefixRule = (prefix: JsonValue | undefined, path: JsonValue | undefined) => boolean;

/**
 * The allowed-host-paths rule for one list of allowed paths (`undefined` when the parameter is not
 * set): checks the hostPath volumes that a non-excluded container or init container mounts
 * (ephemeral containers are not read). The path must lie under an allowed `pathPrefix`, and when
 * that prefix is `readOnly`, every such mount of it must be `readOnly: true`.
 */
export function hostPathViolations(
  review: Review,
  parameters: JsonObject,
  allowedPathsParameter: JsonValue | undefined,
  isUnder: PathPrefixRule,
): TemplateViolation[] {
  // With `false` the Rego's default and its pass-through both answer, which is an evaluation error: no verdict.
  if (allowedPathsParameter === false) return [];
  const allowedPaths = allowedPathsParameter ?? [];
  const containers = checkedContainers(review, parameters, { lists: ['containers', 'initContainers'] });
  const violations = new ViolationSet();
  for (const volume of mountedVolumes(review, containers)) {
    if (!isTruthy(getPath(volume.value, ['hostPath']))) continue;
    const hostPath = getPath(volume.value, ['hostPath', 'path']);
    const matching = elementsOf(allowedPaths).filter((allowed) => isUnder(getPath(allowed, ['pathPrefix']), hostPath));

    if (matching.length === 0) {
      const message = sprintf('HostPath volume %v is not allowed, pod: %v. Allowed path: %v', [
        volume.value,
        podName(review),
        allowedPaths,
      ]);
      // No safe fix: only the author knows which allowed path would do.
      if (message !== undefined) violations.add(message, culpritAt([...volume.path, 'hostPath', 'path'], [...volume.path, 'hostPath']));
      continue;
    }

    if (!matching.some((allowed) => isTruthy(getPath(allowed, ['readOnly'])))) continue;
    const writableMounts = writableMountsOf(getPath(volume.value, ['name']), containers, review.object);
    if (writableMounts.length === 0) continue;
    const message = sprintf('HostPath volume %v does not meet the readonly requirement, pod: %v. Allowed path: %v', [
      volume.value,
      podName(review),
      allowedPaths,
    ]);
    if (message === undefined) continue;
    for (const culprit of writableMounts) violations.add(message, culprit);
  }
  return violations.toArray();
}

/** Linux pods' hostPath volumes against `allowedHostPaths`; pods pinned to Windows are skipped. */
export const k8sazurev3hostfilesystem: ConstraintTemplate = {
  name: 'k8sazurev3hostfilesystem',
  kind: 'K8sAzureV3HostFilesystem',
  storeUrl: storeUrl('allowed-host-paths', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    return hostPathViolations(review, parameters, getPath(parameters, ['allowedHostPaths']), pathMatches);
  },
};

/** The mounts of `volumeName` that are not `readOnly`, each with the fix that makes it read-only. */
function writableMountsOf(volumeName: JsonValue | undefined, containers: InputContainer[], object: JsonValue): Culprit[] {
  if (volumeName === undefined) return [];
  const culprits: Culprit[] = [];
  for (const container of containers) {
    for (const [key, mount] of entriesOf(containerField(container, 'volumeMounts'))) {
      const name = getPath(mount, ['name']);
      if (name === undefined || !regoEquals(name, volumeName) || isTruthy(getPath(mount, ['readOnly']))) continue;
      const mountPath = [...container.path, 'volumeMounts', key];
      const readOnlyPath = [...mountPath, 'readOnly'];
      const fix = fixIfApplicable(object, 'Mount read-only', true, [{ op: 'set', path: readOnlyPath, value: true }]);
      culprits.push(culpritAt(readOnlyPath, [...mountPath, 'name'], [fix]));
    }
  }
  return culprits;
}
