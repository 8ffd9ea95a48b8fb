import { culpritAt } from '../common';
import { containersPhrase, podContainers, podSecurityContextPath, pssCheck, runsInUserNamespace, securityContextPath, valueAt } from './common';

/** Restricted (policy 1.23+): neither the pod nor a container sets `runAsUser: 0`; exempt in a user namespace (1.35+). */
export const pssRunAsUser = pssCheck({
  checkId: 'runAsUser',
  level: 'restricted',
  sourceFile: 'check_runAsUser.go',
  evaluate(review) {
    if (runsInUserNamespace(review)) return undefined;
    const podPath = podSecurityContextPath('runAsUser');
    const podRunsAsRoot = valueAt(review, podPath) === 0;
    const rootContainers = podContainers(review).filter((container) => valueAt(review, securityContextPath(container, 'runAsUser')) === 0);
    if (!podRunsAsRoot && rootContainers.length === 0) return undefined;
    const setters = [...(podRunsAsRoot ? ['pod'] : []), ...(rootContainers.length > 0 ? [containersPhrase(rootContainers)] : [])];
    const paths = [...(podRunsAsRoot ? [podPath] : []), ...rootContainers.map((container) => securityContextPath(container, 'runAsUser'))];
    return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, culprits: paths.map((path) => culpritAt(path)) };
  },
});
