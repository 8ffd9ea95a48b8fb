import { getPath } from '../json';
import type { JsonObject, JsonValue, Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  fixIfApplicable,
  isTruthy,
  isWindowsPod,
  RegoSet,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { InputContainer } from './common';
import type { ConstraintTemplate, FixOperation, FixProposal, Review } from './types';

const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';

/** Names of the same profile in the securityContext scheme and the annotation scheme, both ways. */
const EQUIVALENT_PROFILE_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['RuntimeDefault', ['runtime/default', 'docker/default']],
  ['Unconfined', ['unconfined']],
  ['Localhost', ['localhost']],
  ['runtime/default', ['RuntimeDefault']],
  ['docker/default', ['RuntimeDefault']],
  ['unconfined', ['Unconfined']],
  ['localhost', ['Localhost']],
]);

/** What `allowedProfiles` permits, worked out once per review. */
interface AllowedProfiles {
  /** The listed profiles plus their equivalent names; printed in messages as a Rego set. */
  names: RegoSet;
  /** `localhost/*` allows any Localhost file and any `localhost/...` annotation. */
  anyLocalhostFile: boolean;
  /** The files named by `localhost/<file>` entries. */
  localhostFiles: string[];
}

function allowedProfilesOf(parameters: JsonObject): AllowedProfiles {
  const listed = elementsOf(getPath(parameters, ['allowedProfiles']));
  const names: JsonValue[] = [...listed];
  const localhostFiles: string[] = [];
  for (const profile of listed) {
    if (typeof profile !== 'string') continue;
    if (!profile.toLowerCase().startsWith('localhost')) names.push(...(EQUIVALENT_PROFILE_NAMES.get(profile) ?? []));
    // This test is case-sensitive, unlike the one above.
    if (profile.startsWith('localhost')) names.push('Localhost');
    if (profile.startsWith('localhost/')) localhostFiles.push(profile.replaceAll('localhost/', ''));
  }
  return { names: new RegoSet(names), anyLocalhostFile: listed.includes('localhost/*'), localhostFiles };
}

function isAllowed(profile: JsonValue, file: JsonValue, allowed: AllowedProfiles): boolean {
  const isText = typeof profile === 'string';
  if ((!isText || !profile.toLowerCase().startsWith('localhost')) && allowed.names.has(profile)) return true;
  if (profile === 'Localhost' && allowed.names.has('Localhost')) {
    return allowed.anyLocalhostFile || allowed.localhostFiles.some((allowedFile) => regoEquals(allowedFile, file));
  }
  return isText && profile.startsWith('localhost/') && (allowed.names.has('localhost/*') || allowed.names.has(profile));
}

/** A container's seccomp profile as the template resolves it, with the field it comes from. */
interface ResolvedProfile {
  profile: JsonValue;
  file: JsonValue;
  location: string;
  /** The field to blame; for "not configured", where the profile should be. */
  path: Path;
}

function annotationValue(review: Review, key: string | undefined): JsonValue | undefined {
  return key === undefined ? undefined : getPath(review.object, ['metadata', 'annotations', key]);
}

function containerAnnotationKey(container: InputContainer): string | undefined {
  const name = containerField(container, 'name');
  return typeof name === 'string' ? CONTAINER_ANNOTATION_PREFIX + name : undefined;
}

/**
 * Every profile the Rego's rule bodies find for the container. In this order of precedence:
 * container securityContext, pod securityContext, container annotation, pod annotation, none.
 * The bodies exclude each other except for odd values (a `false` annotation), where more than one
 * answers; the caller treats that as the evaluation error it is in Rego.
 */
function resolveProfiles(review: Review, container: InputContainer): ResolvedProfile[] {
  const containerProfilePath = [...container.path, 'securityContext', 'seccompProfile'];
  const podProfilePath = ['spec', 'securityContext', 'seccompProfile'];
  const containerProfile = getPath(review.object, containerProfilePath);
  const podProfile = getPath(review.object, podProfilePath);
  const containerKey = containerAnnotationKey(container);
  const containerAnnotation = annotationValue(review, containerKey);
  const podAnnotation = annotationValue(review, POD_ANNOTATION);
  const results: ResolvedProfile[] = [];
  const fromSecurityContext = (profilePath: Path, location: string): void => {
    const profile = getPath(review.object, [...profilePath, 'type']);
    if (profile === undefined) return;
    // Like object.get with a default: only a missing key reads as "" (an explicit null stays null).
    const file = getPath(review.object, [...profilePath, 'localhostProfile']);
    results.push({ profile, file: file === undefined ? '' : file, location, path: [...profilePath, 'type'] });
  };

  if (isTruthy(containerProfile)) {
    fromSecurityContext(containerProfilePath, 'container securityContext');
    return results;
  }
  fromSecurityContext(podProfilePath, 'pod securityContext');
  if (isTruthy(podProfile)) return results;
  if (containerKey !== undefined && containerAnnotation !== undefined && isTruthy(containerAnnotation)) {
    results.push({
      profile: containerAnnotation,
      file: '',
      location: `annotation ${containerKey}`,
      path: ['metadata', 'annotations', containerKey],
    });
  } else if (podAnnotation !== undefined) {
    results.push({ profile: podAnnotation, file: '', location: `annotation ${POD_ANNOTATION}`, path: ['metadata', 'annotations', POD_ANNOTATION] });
  }
  if (!isTruthy(containerAnnotation) && !isTruthy(podAnnotation)) {
    results.push({ profile: 'not configured', file: '', location: 'no explicit profile found', path: containerProfilePath });
  }
  return results;
}

/**
 * Sets the container's own profile to RuntimeDefault, which takes precedence over every other source.
 * A container annotation goes too, because the API server rejects one that disagrees with the field.
 */
function runtimeDefaultFix(review: Review, container: InputContainer): FixProposal | undefined {
  const operations: FixOperation[] = [];
  const containerKey = containerAnnotationKey(container);
  if (containerKey !== undefined && annotationValue(review, containerKey) !== undefined) {
    operations.push({ op: 'remove', path: ['metadata', 'annotations', containerKey] });
  }
  operations.push({ op: 'set', path: [...container.path, 'securityContext', 'seccompProfile'], value: { type: 'RuntimeDefault' } });
  return fixIfApplicable(review.object, 'Use the RuntimeDefault seccomp profile', true, operations);
}

/**
 * Flags containers whose seccomp profile (from securityContext or the legacy annotations, or none)
 * is not in `allowedProfiles`. `*` allows everything; `localhost/<file>` entries allow Localhost
 * profiles with that file, `localhost/*` any file.
 */
export const k8sazurev3allowedseccomp: ConstraintTemplate = {
  name: 'k8sazurev3allowedseccomp',
  kind: 'K8sAzureV3AllowedSeccomp',
  storeUrl: storeUrl('allowed-seccomp-profiles', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    if (elementsOf(getPath(parameters, ['allowedProfiles'])).includes('*')) return [];
    const allowed = allowedProfilesOf(parameters);
    const runtimeDefaultAllowed = isAllowed('RuntimeDefault', '', allowed);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters)) {
      const resolved = resolveProfiles(review, container);
      if (resolved.length > 1) return [];
      const [result] = resolved;
      if (result === undefined || isAllowed(result.profile, result.file, allowed)) continue;
      const name = containerField(container, 'name');
      const message =
        result.profile === 'Localhost'
          ? sprintf("Seccomp profile '%v' with file '%v' is not allowed for container '%v'. Found at: %v. Allowed profiles: %v", [
              result.profile,
              result.file,
              name,
              result.location,
              allowed.names,
            ])
          : sprintf("Seccomp profile '%v' is not allowed for container '%v'. Found at: %v. Allowed profiles: %v", [
              result.profile,
              name,
              result.location,
              allowed.names,
            ]);
      if (message === undefined) continue;
      const fix = runtimeDefaultAllowed ? runtimeDefaultFix(review, container) : undefined;
      violations.add(message, culpritAt(result.path, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
