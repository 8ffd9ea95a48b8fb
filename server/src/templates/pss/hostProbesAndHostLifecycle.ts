import { culpritAt, removeFix } from '../common';
import type { Culprit } from '../types';
import { goString, isSet, joinQuote, pluralize, podContainers, pssCheck, sortedSet, valueAt } from './common';

/** Every handler that can name a host: the three probes and the two lifecycle hooks, each as httpGet or tcpSocket. */
const HANDLERS = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/** Baseline (policy 1.34+): probes and lifecycle hooks must not name a host, not even 127.0.0.1; they reach the pod. */
export const pssHostProbesAndHostLifecycle = pssCheck({
  checkId: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  sourceFile: 'check_hostProbesAndhostLifecycle.go',
  evaluate(review) {
    const containerNames: string[] = [];
    const hosts: string[] = [];
    const culprits: Culprit[] = [];
    for (const container of podContainers(review)) {
      for (const handler of HANDLERS) {
        for (const action of ACTIONS) {
          const actionPath = [...container.path, ...handler, action];
          if (!isSet(valueAt(review, actionPath))) continue;
          const hostPath = [...actionPath, 'host'];
          const host = goString(valueAt(review, hostPath));
          if (host === '') continue;
          containerNames.push(container.name);
          hosts.push(host);
          // Without a host the handler reaches the pod's own IP, which may not be what the host pointed at.
          culprits.push(culpritAt(hostPath, undefined, [{ ...removeFix('Remove `host`', hostPath), preferred: false }]));
        }
      }
    }
    if (culprits.length === 0) return undefined;
    // Unlike most checks, this one lists containers as a sorted set.
    const names = sortedSet(containerNames);
    const distinctHosts = sortedSet(hosts);
    return {
      reason: 'probe or lifecycle host',
      detail: `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', distinctHosts.length)} ${joinQuote(distinctHosts)}`,
      culprits,
    };
  },
});
