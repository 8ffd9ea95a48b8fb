import type { Path } from '../../json';
import { culpritAt, fixIfApplicable } from '../common';
import type { Culprit } from '../types';
import { containersPhrase, podContainers, podSecurityContextPath, pssCheck, runsInUserNamespace, securityContextPath, valueAt } from './common';
import type { PodContainer } from './common';

const FIX_TITLE = 'Set `runAsNonRoot: true`';

/**
 * Restricted: every container runs as non-root, by its own `runAsNonRoot: true` or the pod's; an explicit false
 * anywhere is forbidden. A pod in a user namespace (`hostUsers: false`) is exempt (policy 1.35+).
 */
export const pssRunAsNonRoot = pssCheck({
  checkId: 'runAsNonRoot',
  level: 'restricted',
  sourceFile: 'check_runAsNonRoot.go',
  evaluate(review) {
    if (runsInUserNamespace(review)) return undefined;
    const setters: string[] = [];
    const explicitCulprits: Culprit[] = [];
    // Never preferred: an image that needs root then fails to start.
    const setTrue = (path: Path) => culpritAt(path, undefined, [fixIfApplicable(review.object, FIX_TITLE, false, [{ op: 'set', path, value: true }])]);

    const podPath = podSecurityContextPath('runAsNonRoot');
    const podRunAsNonRoot = valueAt(review, podPath);
    if (podRunAsNonRoot === false) {
      setters.push('pod');
      explicitCulprits.push(setTrue(podPath));
    }
    const explicitlyRoot: PodContainer[] = [];
    const implicitlyRoot: PodContainer[] = [];
    for (const container of podContainers(review)) {
      const path = securityContextPath(container, 'runAsNonRoot');
      const runAsNonRoot = valueAt(review, path);
      if (runAsNonRoot === false) {
        explicitlyRoot.push(container);
        explicitCulprits.push(setTrue(path));
      } else if (runAsNonRoot !== true && podRunAsNonRoot !== true) {
        implicitlyRoot.push(container);
      }
    }
    if (explicitlyRoot.length > 0) setters.push(containersPhrase(explicitlyRoot));
    if (setters.length > 0) {
      return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`, culprits: explicitCulprits };
    }
    if (implicitlyRoot.length === 0) return undefined;
    // The pod's setting covers every container that has none of its own.
    const podFix = fixIfApplicable(review.object, `${FIX_TITLE} for the pod`, false, [{ op: 'set', path: podPath, value: true }]);
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersPhrase(implicitlyRoot)} must set securityContext.runAsNonRoot=true`,
      culprits: implicitlyRoot.map((container) => culpritAt(securityContextPath(container, 'runAsNonRoot'), [...container.path, 'name'], [podFix])),
    };
  },
});
