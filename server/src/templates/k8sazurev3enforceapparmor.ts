import { getPath, isObject } from '../json';
import type { JsonValue, Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  fixIfApplicable,
  isTruthy,
  isWindowsPod,
  podName,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { InputContainer } from './common';
import type { ConstraintTemplate, Review } from './types';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** The annotation value the API server writes for an `appArmorProfile` field; undefined when it writes none. */
function annotationForField(profile: JsonValue | undefined): string | undefined {
  if (!isObject(profile)) return undefined;
  if (profile.type === 'RuntimeDefault') return 'runtime/default';
  if (profile.type === 'Unconfined') return 'unconfined';
  if (profile.type === 'Localhost' && typeof profile.localhostProfile === 'string') return `localhost/${profile.localhostProfile}`;
  return undefined;
}

/** A container's profile as the template reads it, with the field it comes from. */
interface ResolvedProfile {
  profile: JsonValue;
  /** The annotation, or the field the API server copies into it. */
  path: Path;
  /** Whether the profile comes from an `appArmorProfile` field rather than from the annotation or its absence. */
  fromField: boolean;
}

/**
 * The container's annotation; without one, the annotation the API server (1.30 and later) adds on
 * create from the container's `appArmorProfile`, or else the pod's (not for pods with `os.name: windows`);
 * without either, `runtime/default`, as the template assumes.
 */
function resolveProfile(review: Review, container: InputContainer, annotationPath: Path): ResolvedProfile {
  const annotation = getPath(review.object, annotationPath);
  if (annotation !== undefined && isTruthy(annotation)) return { profile: annotation, path: annotationPath, fromField: false };
  if (annotation === undefined && getPath(review.object, ['spec', 'os', 'name']) !== 'windows') {
    const containerFieldPath = [...container.path, 'securityContext', 'appArmorProfile'];
    const containerProfile = getPath(review.object, containerFieldPath);
    const fromContainer = annotationForField(containerProfile);
    if (fromContainer !== undefined) return { profile: fromContainer, path: containerFieldPath, fromField: true };
    const podFieldPath = ['spec', 'securityContext', 'appArmorProfile'];
    const fromPod = containerProfile === undefined || containerProfile === null ? annotationForField(getPath(review.object, podFieldPath)) : undefined;
    if (fromPod !== undefined) return { profile: fromPod, path: podFieldPath, fromField: true };
  }
  return { profile: 'runtime/default', path: annotationPath, fromField: false };
}

/**
 * Flags containers whose AppArmor profile (`container.apparmor.security.beta.kubernetes.io/<name>`,
 * `runtime/default` when absent) is not in `allowedProfiles`. The pod-wide annotation is not read.
 */
export const k8sazurev3enforceapparmor: ConstraintTemplate = {
  name: 'k8sazurev3enforceapparmor',
  kind: 'K8sAzureV3EnforceAppArmor',
  storeUrl: storeUrl('enforce-apparmor-profile', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const allowedParameter = getPath(parameters, ['allowedProfiles']);
    const allowed = elementsOf(allowedParameter);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const name = containerField(container, 'name');
      // A container without a name gets no message (it prints the name), so it needs no key either.
      const key = sprintf(`${ANNOTATION_PREFIX}%v`, [name]);
      if (key === undefined) continue;
      const annotationPath = ['metadata', 'annotations', key];
      const { profile, path, fromField } = resolveProfile(review, container, annotationPath);
      if (allowed.some((candidate) => regoEquals(candidate, profile))) continue;
      const message = sprintf('AppArmor profile is not allowed, pod: %v, container: %v. Allowed profiles: %v', [podName(review), name, allowedParameter]);
      if (message === undefined) continue;
      // A stricter profile can stop a workload that needs the access: offered, not preferred. An annotation
      // that contradicts an appArmorProfile field would make the API server refuse the pod, so none then.
      const [firstAllowed] = allowed;
      const fix =
        typeof firstAllowed === 'string' && !fromField
          ? fixIfApplicable(review.object, `Set the AppArmor profile to ${firstAllowed}`, false, [{ op: 'set', path: annotationPath, value: firstAllowed }])
          : undefined;
      violations.add(message, culpritAt(path, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
