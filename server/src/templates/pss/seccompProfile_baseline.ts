import type { Path } from '../../json';
import { culpritAt, fixIfApplicable } from '../common';
import type { Culprit, Review } from '../types';
import { containersPhrase, goString, isSet, joinQuote, podContainers, podSecurityContextPath, pssCheck, securityContextPath, sortedSet, valueAt } from './common';
import type { PodContainer, PssForbidden } from './common';

const ALLOWED_PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** The seccomp profiles of a pod and its containers, judged as both seccomp checks judge them. */
export interface SeccompProfiles {
  /** The pod sets an allowed profile, which containers without one of their own inherit. */
  podAllowed: boolean;
  /** Who sets a forbidden profile type: `pod`, then `container(s) "a"`. */
  forbiddenSetters: string[];
  forbiddenTypes: string[];
  forbiddenCulprits: Culprit[];
  /** Containers that set no profile of their own. */
  unsetContainers: PodContainer[];
}

/** The type of the profile at `path`; undefined when no profile is set there. */
function profileTypeAt(review: Review, path: Path): string | undefined {
  return isSet(valueAt(review, path)) ? goString(valueAt(review, [...path, 'type'])) : undefined;
}

export function judgeSeccompProfiles(review: Review): SeccompProfiles {
  const profiles: SeccompProfiles = { podAllowed: false, forbiddenSetters: [], forbiddenTypes: [], forbiddenCulprits: [], unsetContainers: [] };
  const forbid = (profilePath: Path, type: string) => {
    profiles.forbiddenTypes.push(type);
    const typePath = [...profilePath, 'type'];
    const fix = fixIfApplicable(review.object, 'Set `seccompProfile.type: RuntimeDefault`', true, [{ op: 'set', path: typePath, value: 'RuntimeDefault' }]);
    profiles.forbiddenCulprits.push(culpritAt(typePath, profilePath, [fix]));
  };

  const podPath = podSecurityContextPath('seccompProfile');
  const podType = profileTypeAt(review, podPath);
  if (podType !== undefined && ALLOWED_PROFILE_TYPES.has(podType)) profiles.podAllowed = true;
  else if (podType !== undefined) {
    profiles.forbiddenSetters.push('pod');
    forbid(podPath, podType);
  }
  const forbiddenContainers: PodContainer[] = [];
  for (const container of podContainers(review)) {
    const path = securityContextPath(container, 'seccompProfile');
    const type = profileTypeAt(review, path);
    if (type === undefined) profiles.unsetContainers.push(container);
    else if (!ALLOWED_PROFILE_TYPES.has(type)) {
      forbiddenContainers.push(container);
      forbid(path, type);
    }
  }
  if (forbiddenContainers.length > 0) profiles.forbiddenSetters.push(containersPhrase(forbiddenContainers));
  return profiles;
}

/** The message for profiles set to a forbidden type (e.g. `Unconfined`); both checks word it alike. */
export function forbiddenSeccompTypes(profiles: SeccompProfiles): PssForbidden | undefined {
  if (profiles.forbiddenSetters.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${profiles.forbiddenSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(profiles.forbiddenTypes))}`,
    culprits: profiles.forbiddenCulprits,
  };
}

/** Baseline: a seccomp profile, where set, is RuntimeDefault or Localhost (not Unconfined). */
export const pssSeccompProfileBaseline = pssCheck({
  checkId: 'seccompProfile_baseline',
  level: 'baseline',
  sourceFile: 'check_seccompProfile_baseline.go',
  evaluate: (review) => forbiddenSeccompTypes(judgeSeccompProfiles(review)),
});
