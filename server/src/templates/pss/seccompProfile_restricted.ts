import { culpritAt, fixIfApplicable } from '../common';
import { containersPhrase, isWindowsPod, podSecurityContextPath, pssCheck, securityContextPath } from './common';
import { forbiddenSeccompTypes, judgeSeccompProfiles } from './seccompProfile_baseline';

/**
 * Restricted: every container runs with RuntimeDefault or Localhost, its own or the pod's; not set at all is
 * forbidden too. Replaces seccompProfile_baseline. Windows pods are exempt (policy 1.25+).
 */
export const pssSeccompProfileRestricted = pssCheck({
  checkId: 'seccompProfile_restricted',
  level: 'restricted',
  overrides: ['seccompProfile_baseline'],
  sourceFile: 'check_seccompProfile_restricted.go',
  evaluate(review) {
    if (isWindowsPod(review)) return undefined;
    const profiles = judgeSeccompProfiles(review);
    const forbidden = forbiddenSeccompTypes(profiles);
    if (forbidden || profiles.podAllowed || profiles.unsetContainers.length === 0) return forbidden;
    // Setting the pod's profile covers every container without its own.
    const podFix = fixIfApplicable(review.object, 'Set the pod\'s `seccompProfile.type: RuntimeDefault`', true, [
      { op: 'set', path: podSecurityContextPath('seccompProfile', 'type'), value: 'RuntimeDefault' },
    ]);
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(profiles.unsetContainers)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      culprits: profiles.unsetContainers.map((container) => culpritAt(securityContextPath(container, 'seccompProfile'), [...container.path, 'name'], [podFix])),
    };
  },
});
