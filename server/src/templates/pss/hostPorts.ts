import { getPath } from '../../json';
import { culpritAt, removeFix } from '../common';
import type { Culprit } from '../types';
import { containersPhrase, itemsAt, pluralize, podContainers, pssCheck, sortedSet, valueAt } from './common';
import type { PodContainer } from './common';

/** Baseline: no container port may be bound to a host port. */
export const pssHostPorts = pssCheck({
  checkId: 'hostPorts',
  level: 'baseline',
  sourceFile: 'check_hostPorts.go',
  evaluate(review) {
    // With hostNetwork the API server sets each hostPort to its containerPort, so removing it would not help.
    const hostPortsAreDefaulted = valueAt(review, ['spec', 'hostNetwork']) === true;
    const offending: PodContainer[] = [];
    const hostPorts: string[] = [];
    const culprits: Culprit[] = [];
    for (const container of podContainers(review)) {
      const portsPath = [...container.path, 'ports'];
      let usesHostPort = false;
      itemsAt(review, portsPath).forEach((port, index) => {
        const hostPort = getPath(port, ['hostPort']);
        if (typeof hostPort !== 'number' || hostPort === 0) return;
        usesHostPort = true;
        hostPorts.push(String(hostPort));
        const hostPortPath = [...portsPath, index, 'hostPort'];
        const fix = hostPortsAreDefaulted ? undefined : removeFix('Remove `hostPort`', hostPortPath);
        culprits.push(culpritAt(hostPortPath, [...portsPath, index, 'containerPort'], [fix]));
      });
      if (usesHostPort) offending.push(container);
    }
    if (offending.length === 0) return undefined;
    // PSA lists the ports as a sorted set of strings: "10250" comes before "80".
    const distinctPorts = sortedSet(hostPorts);
    return {
      reason: 'hostPort',
      detail: `${containersPhrase(offending)} ${pluralize('uses', 'use', offending.length)} ${pluralize('hostPort', 'hostPorts', distinctPorts.length)} ${distinctPorts.join(', ')}`,
      culprits,
    };
  },
});
