import { culpritAt } from '../common';
import { containersPhrase, podContainers, podSecurityContextPath, pssCheck, securityContextPath, valueAt } from './common';

/** Baseline: no Windows HostProcess containers, set for the pod or for a container. */
export const pssWindowsHostProcess = pssCheck({
  checkId: 'windowsHostProcess',
  level: 'baseline',
  sourceFile: 'check_windowsHostProcess.go',
  evaluate(review) {
    const podPath = podSecurityContextPath('windowsOptions', 'hostProcess');
    const podIsHostProcess = valueAt(review, podPath) === true;
    const hostProcessContainers = podContainers(review).filter((container) => valueAt(review, securityContextPath(container, 'windowsOptions', 'hostProcess')) === true);
    if (!podIsHostProcess && hostProcessContainers.length === 0) return undefined;
    const setters = [...(podIsHostProcess ? ['pod'] : []), ...(hostProcessContainers.length > 0 ? [containersPhrase(hostProcessContainers)] : [])];
    const paths = [...(podIsHostProcess ? [podPath] : []), ...hostProcessContainers.map((container) => securityContextPath(container, 'windowsOptions', 'hostProcess'))];
    return {
      reason: 'hostProcess',
      detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
      culprits: paths.map((path) => culpritAt(path)),
    };
  },
});
