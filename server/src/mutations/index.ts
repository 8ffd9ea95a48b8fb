/**
 * The registry of native mutators, one per Azure mutation policy: the only place that lists them. None of the
 * `mutation.yaml` files is published; each row is inferred from its definition's name and description (and,
 * for the limits and the taints, from the Deployment Safeguards documentation). The README lists them.
 */
import { getPath, isObject, type JsonValue } from '../json';
import {
  addToContainerList,
  assignField,
  NODES,
  POD_DISRUPTION_BUDGETS,
  PODS,
  removeFromList,
  unlessAlready,
  whenMissing,
  whereSetOtherThan,
  type Replaces,
} from './factories';
import type { Mutator } from './types';

/** A non-root user id, as the runAsUser mutations' names say. */
const NON_ROOT_USER = 1000;
/** AKS keeps this taint for its system node pool. */
const SYSTEM_POOL_TAINT = 'CriticalAddonsOnly';

/** Missing, or root: the runAsUser mutations keep a non-root id that is already chosen. */
const whenMissingOrRoot: Replaces = (current) => whenMissing(current) || current === 0;

/** Outside the system node pool, as AKS labels its nodes. */
function isUserPoolNode(node: JsonValue): boolean {
  const mode = getPath(node, ['metadata', 'labels', 'kubernetes.azure.com/mode']);
  return mode !== 'system' && mode !== 'System';
}

export const builtinMutators: readonly Mutator[] = [
  addToContainerList('mutate-container-allowed-capabilities-containers/v1', 'containers', ['securityContext', 'capabilities', 'drop'], 'ALL'),
  addToContainerList('mutate-container-allowed-capabilities-initcontainers/v1', 'initContainers', ['securityContext', 'capabilities', 'drop'], 'ALL'),
  assignField('mutate-privilege-escalation-containers/v1', PODS, 'containers', ['securityContext', 'allowPrivilegeEscalation'], false, unlessAlready(false)),
  assignField('mutate-privilege-escalation-init-containers/v1', PODS, 'initContainers', ['securityContext', 'allowPrivilegeEscalation'], false, unlessAlready(false)),
  assignField('mutate-read-only-root-filesystem/v1', PODS, 'containers', ['securityContext', 'readOnlyRootFilesystem'], true, whenMissing),
  assignField('mutate-read-only-root-filesystem-init-containers/v1', PODS, 'initContainers', ['securityContext', 'readOnlyRootFilesystem'], true, whenMissing),
  assignField('mutate-run-as-non-root/v1', PODS, 'containers', ['securityContext', 'runAsNonRoot'], true, unlessAlready(true)),
  assignField('mutate-run-as-non-root-initContainers/v1', PODS, 'initContainers', ['securityContext', 'runAsNonRoot'], true, unlessAlready(true)),
  assignField('mutate-run-as-user-containers/v1', PODS, 'containers', ['securityContext', 'runAsUser'], NON_ROOT_USER, whenMissingOrRoot),
  assignField('mutate-run-as-user-initContainers/v1', PODS, 'initContainers', ['securityContext', 'runAsUser'], NON_ROOT_USER, whenMissingOrRoot),
  assignField('mutate-run-as-user-pod/v1', PODS, 'object', ['spec', 'securityContext', 'runAsUser'], NON_ROOT_USER, whenMissingOrRoot),
  assignField('mutate-seccomp-profile-containers/v1', PODS, 'containers', ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault', whenMissing),
  assignField('mutate-seccomp-profile-initcontainers/v1', PODS, 'initContainers', ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault', whenMissing),
  assignField('mutate-resource-cpu-limits/v1', PODS, 'containers', ['resources', 'limits', 'cpu'], '500m', whenMissing),
  assignField('mutate-resource-memory-limits/v1', PODS, 'containers', ['resources', 'limits', 'memory'], '500Mi', whenMissing),
  assignField('mutate-mount-service-account-token/v1', PODS, 'object', ['spec', 'automountServiceAccountToken'], false, unlessAlready(false)),
  assignField('mutate-max-unavailable-pods/v1', POD_DISRUPTION_BUDGETS, 'object', ['spec', 'maxUnavailable'], 1, whereSetOtherThan(1)),
  assignField('mutate-pdb-add-unhealthy-pod-eviction-policy/v1', POD_DISRUPTION_BUDGETS, 'object', ['spec', 'unhealthyPodEvictionPolicy'], 'AlwaysAllow', whenMissing),
  removeFromList('mutate-systempool-taints/v1', NODES, ['spec', 'taints'], isUserPoolNode, (taint) =>
    isObject(taint) && taint.key === SYSTEM_POOL_TAINT ? `remove the taint ${SYSTEM_POOL_TAINT}` : undefined,
  ),
];

const byUrl = new Map<string, Mutator>();
for (const mutator of builtinMutators) {
  if (byUrl.has(mutator.mutationUrl)) throw new Error(`Two mutators have the store URL ${mutator.mutationUrl}`);
  byUrl.set(mutator.mutationUrl, mutator);
}

/** The mutator at a store URL as definitions name it in `mutationInfo.url`. */
export function mutatorByUrl(url: string): Mutator | undefined {
  return byUrl.get(url);
}
