import type { Path } from '../../json';
import { culpritAt, removeFix } from '../common';
import type { Culprit } from '../types';
import { pssCheck, valueAt } from './common';

/** PSA names them in this order. */
const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Baseline: the pod shares none of the host's network, process and IPC namespaces. */
export const pssHostNamespaces = pssCheck({
  checkId: 'hostNamespaces',
  level: 'baseline',
  sourceFile: 'check_hostNamespaces.go',
  evaluate(review) {
    const shared: string[] = [];
    const culprits: Culprit[] = [];
    for (const field of HOST_NAMESPACES) {
      const path: Path = ['spec', field];
      if (valueAt(review, path) !== true) continue;
      shared.push(`${field}=true`);
      culprits.push(culpritAt(path, undefined, [removeFix(`Remove \`${field}: true\``, path)]));
    }
    if (shared.length === 0) return undefined;
    return { reason: 'host namespaces', detail: shared.join(', '), culprits };
  },
});
