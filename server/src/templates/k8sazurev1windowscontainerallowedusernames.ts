import { getPath } from '../json';
import type { JsonValue } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  fixIfApplicable,
  isNanoServerImage,
  isTruthy,
  isWindowsPod,
  regoEquals,
  sprintf,
  storeUrl,
  ViolationSet,
  windowsUserName,
} from './common';
import type { ConstraintTemplate } from './types';

const DOMAIN_WILDCARD = '\\*';

/** `DOMAIN\*` allows every `<prefix>\<user>` whose text starts with `DOMAIN` (so `DOMAINX\user` too). */
function allowedByDomain(userName: JsonValue, allowed: readonly JsonValue[]): boolean {
  if (typeof userName !== 'string' || !/.+\\.+/.test(userName)) return false;
  return allowed.some((entry) => typeof entry === 'string' && entry.endsWith(DOMAIN_WILDCARD) && userName.startsWith(entry.slice(0, -DOMAIN_WILDCARD.length)));
}

/**
 * Flags regular and init containers of pods pinned to Windows (by nodeSelector) whose user is not in
 * `allowedUserNames`: their own `runAsUserName`, else the pod's, else ContainerUser for a Nano Server
 * image and ContainerAdministrator for any other. The message calls the allowed list "Disallowed users".
 */
export const k8sazurev1windowscontainerallowedusernames: ConstraintTemplate = {
  name: 'k8sazurev1windowscontainerallowedusernames',
  kind: 'K8sAzureV1WindowsContainerAllowedUsernames',
  storeUrl: storeUrl('windows-container-allowed-usernames', 'v1'),
  check(review, parameters) {
    if (!isWindowsPod(review)) return [];
    const allowedParameter = getPath(parameters, ['allowedUserNames']);
    const allowed = elementsOf(allowedParameter);
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers', 'initContainers'], honourExcludedContainers: false })) {
      const ownPath = [...container.path, 'securityContext', 'windowsOptions', 'runAsUserName'];
      const named = windowsUserName(review, container);
      const byDefault = isNanoServerImage(container) ? 'ContainerUser' : 'ContainerAdministrator';
      const own = getPath(review.object, ownPath);
      const userName = own !== undefined ? own : named !== undefined && isTruthy(named.userName) ? named.userName : byDefault;
      if (allowed.some((entry) => regoEquals(entry, userName)) || allowedByDomain(userName, allowed)) continue;
      const message = sprintf('Container <%v> has disallowed runAsUsername. Disallowed users are %v', [containerField(container, 'name'), allowedParameter]);
      if (message === undefined) continue;
      const culpritPath = named?.path ?? ownPath;
      // Another user may lack rights the workload relies on: offered, not preferred, and only for a plain user name.
      const plainName = allowed.find((entry): entry is string => typeof entry === 'string' && !entry.endsWith(DOMAIN_WILDCARD));
      const fix = plainName === undefined ? undefined : fixIfApplicable(review.object, `Run as ${plainName}`, false, [{ op: 'set', path: culpritPath, value: plainName }]);
      violations.add(message, culpritAt(culpritPath, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
