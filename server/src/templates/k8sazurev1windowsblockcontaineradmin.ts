import { getPath } from '../json';
import type { Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  fixIfApplicable,
  isNanoServerImage,
  isTruthy,
  isWindowsPod,
  sprintf,
  storeUrl,
  ViolationSet,
  windowsUserName,
} from './common';
import type { InputContainer } from './common';
import type { ConstraintTemplate, Review } from './types';

const ADMINISTRATOR = 'ContainerAdministrator';

const POD_USER_NAME = ['spec', 'securityContext', 'windowsOptions', 'runAsUserName'];

function setsUserName(review: Review, path: Path): boolean {
  return isTruthy(getPath(review.object, path));
}

/** `runAsNonRoot` holds for the container: its own when truthy, or the pod's when the container does not set it at all. */
function runsAsNonRoot(review: Review, container: InputContainer): boolean {
  const own = containerField(container, 'securityContext', 'runAsNonRoot');
  if (isTruthy(own)) return true;
  return own === undefined && isTruthy(getPath(review.object, ['spec', 'securityContext', 'runAsNonRoot']));
}

/**
 * Flags regular and init containers of pods pinned to Windows (by nodeSelector) that run as
 * ContainerAdministrator: by their own or the pod's `runAsUserName`, or by default, when neither sets
 * a user, `runAsNonRoot` does not hold and the image is not Nano Server based.
 */
export const k8sazurev1windowsblockcontaineradmin: ConstraintTemplate = {
  name: 'k8sazurev1windowsblockcontaineradmin',
  kind: 'K8sAzureV1WindowsBlockContainerAdmin',
  storeUrl: storeUrl('windows-block-container-admin', 'v1'),
  check(review, parameters) {
    if (!isWindowsPod(review)) return [];
    const violations = new ViolationSet();
    for (const container of checkedContainers(review, parameters, { lists: ['containers', 'initContainers'], honourExcludedContainers: false })) {
      const ownPath = [...container.path, 'securityContext', 'windowsOptions', 'runAsUserName'];
      const named = windowsUserName(review, container);
      let culpritPath: Path;
      if (named?.userName === ADMINISTRATOR) culpritPath = named.path;
      else if (!setsUserName(review, ownPath) && !setsUserName(review, POD_USER_NAME) && !runsAsNonRoot(review, container) && !isNanoServerImage(container)) {
        culpritPath = ownPath;
      }
      else continue;
      const message = sprintf('Container <%v> has ContainerAdministrator runAsUsername.', [containerField(container, 'name')]);
      if (message === undefined) continue;
      // Running as ContainerUser may lack rights the workload relies on: offered, not preferred.
      const fix = fixIfApplicable(review.object, 'Run as ContainerUser', false, [{ op: 'set', path: culpritPath, value: 'ContainerUser' }]);
      violations.add(message, culpritAt(culpritPath, [...container.path, 'name'], [fix]));
    }
    return violations.toArray();
  },
};
