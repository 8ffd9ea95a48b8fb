import { getPath } from '../json';
import type { Path } from '../json';
import { culpritAt, entriesOf, isTruthy, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

const CONTAINERS: Path = ['spec', 'template', 'spec', 'containers'];

/**
 * container-enforce-pre-stop-hook/v1 (no copy published; see README, Inferred semantics). Its definition
 * matches the workload objects themselves (Deployment, StatefulSet, ReplicaSet), not their Pods: each
 * container of the pod template must have a `lifecycle.preStop` hook.
 */
export const k8sazurev1containerenforceprestophook: ConstraintTemplate = {
  name: 'k8sazurev1containerenforceprestophook',
  kind: 'K8sAzureV1ContainerEnforcePreStopHook',
  storeUrl: storeUrl('container-enforce-pre-stop-hook', 'v1'),
  check(review) {
    const violations = new ViolationSet();
    for (const [key, container] of entriesOf(getPath(review.object, CONTAINERS))) {
      const containerPath = [...CONTAINERS, key];
      if (isTruthy(getPath(container, ['lifecycle', 'preStop']))) continue;
      const message = sprintf('Container <%v> in your %v <%v> has no preStop hook', [
        getPath(container, ['name']),
        review.kind.kind,
        getPath(review.object, ['metadata', 'name']),
      ]);
      if (message !== undefined) violations.add(message, culpritAt([...containerPath, 'lifecycle', 'preStop'], [...containerPath, 'name']));
    }
    return violations.toArray();
  },
};
