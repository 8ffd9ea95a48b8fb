import { getPath } from '../json';
import { culpritAt, sprintf, storeUrl } from './common';
import type { ConstraintTemplate } from './types';

/** The in-tree Azure provisioners AKS retired, and the CSI driver that replaces each. */
const CSI_REPLACEMENTS: Readonly<Record<string, string>> = {
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
};

/** Flags a StorageClass whose `provisioner` is the in-tree `kubernetes.io/azure-disk` or `kubernetes.io/azure-file`. */
export const k8sazurev1enforcecsidriver: ConstraintTemplate = {
  name: 'k8sazurev1enforcecsidriver',
  kind: 'K8sAzureV1EnforceCSIDriver',
  storeUrl: storeUrl('enforce-csi-driver', 'v1'),
  check(review) {
    const provisioner = review.object.provisioner;
    const replacement = typeof provisioner === 'string' && Object.hasOwn(CSI_REPLACEMENTS, provisioner) ? CSI_REPLACEMENTS[provisioner] : undefined;
    if (replacement === undefined) return [];
    const message = sprintf('Storage class %v use intree provisioner %v is not allowed', [getPath(review.object, ['metadata', 'name']), provisioner]);
    if (message === undefined) return [];
    // The CSI driver reads some parameters differently (e.g. skuName), so switching is offered but not preferred.
    const fix = { title: `Use the CSI driver ${replacement}`, preferred: false, operations: [{ op: 'set' as const, path: ['provisioner'], value: replacement }] };
    return [{ message, culprits: [culpritAt(['provisioner'], undefined, [fix])] }];
  },
};
