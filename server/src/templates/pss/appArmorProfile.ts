import { isObject } from '../../json';
import type { Path } from '../../json';
import { culpritAt } from '../common';
import type { Review } from '../types';
import {
  containersPhrase,
  goQuote,
  goString,
  isSet,
  joinQuote,
  pluralize,
  podContainers,
  podSecurityContextPath,
  pssCheck,
  securityContextPath,
  sortedSet,
  valueAt,
} from './common';

const ALLOWED_PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** A profile set to a type other than RuntimeDefault or Localhost. */
interface ForbiddenProfile {
  type: string;
  path: Path;
}

function forbiddenProfileAt(review: Review, path: Path): ForbiddenProfile | undefined {
  if (!isSet(valueAt(review, path))) return undefined;
  const type = goString(valueAt(review, [...path, 'type']));
  return ALLOWED_PROFILE_TYPES.has(type) ? undefined : { type, path };
}

/** The deprecated annotation allows no profile (empty), `runtime/default` and `localhost/<profile>`. */
function isAllowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** Baseline: the pod, its containers and the deprecated annotations must not turn AppArmor off. */
export const pssAppArmorProfile = pssCheck({
  checkId: 'appArmorProfile',
  level: 'baseline',
  sourceFile: 'check_appArmorProfile.go',
  evaluate(review) {
    const podProfile = forbiddenProfileAt(review, podSecurityContextPath('appArmorProfile'));
    const containerProfiles = podContainers(review).flatMap((container) => {
      const profile = forbiddenProfileAt(review, securityContextPath(container, 'appArmorProfile'));
      return profile ? [{ container, ...profile }] : [];
    });
    const annotations = valueAt(review, ['metadata', 'annotations']);
    const forbiddenAnnotations = Object.entries(isObject(annotations) ? annotations : {})
      .filter(([key, value]) => key.startsWith(ANNOTATION_PREFIX) && !isAllowedAnnotationValue(goString(value)))
      .map(([key, value]) => ({ text: `${key}=${goQuote(goString(value))}`, path: ['metadata', 'annotations', key] }));

    const setters: string[] = [];
    if (podProfile) setters.push('pod');
    if (containerProfiles.length > 0) setters.push(containersPhrase(containerProfiles.map(({ container }) => container)));
    if (forbiddenAnnotations.length > 0) setters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
    if (setters.length === 0) return undefined;

    const profiles = [...(podProfile ? [podProfile] : []), ...containerProfiles];
    const forbiddenValues = [...sortedSet(profiles.map(({ type }) => type)), ...sortedSet(forbiddenAnnotations.map(({ text }) => text))];
    return {
      reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', forbiddenValues.length),
      detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(forbiddenValues)}`,
      culprits: [...profiles.map(({ path }) => culpritAt([...path, 'type'], path)), ...forbiddenAnnotations.map(({ path }) => culpritAt(path))],
    };
  },
});
