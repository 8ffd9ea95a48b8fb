import { storeUrl } from './common';
import { checkHostNamespaces } from './k8sazurev2blockhostnamespace';
import type { ConstraintTemplate } from './types';

/**
 * block-host-namespace/v3 (no copy published; see README, Inferred semantics): v2's rule and
 * message, extended to the host network as the definition says.
 */
export const k8sazurev3blockhostnamespace: ConstraintTemplate = {
  name: 'k8sazurev3blockhostnamespace',
  kind: 'K8sAzureV3BlockHostNamespace',
  storeUrl: storeUrl('block-host-namespace', 'v3'),
  check: checkHostNamespaces(['hostPID', 'hostIPC', 'hostNetwork']),
};
