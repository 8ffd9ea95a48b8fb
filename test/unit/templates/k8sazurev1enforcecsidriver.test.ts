import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1enforcecsidriver as template } from '../../../server/src/templates/k8sazurev1enforcecsidriver';
import { appliedReview } from './objectReviews';
import { culpritPaths, firstFixOperations, onlyViolation } from './support';

const storageClass = (provisioner: string) => appliedReview({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'premium' }, provisioner });

describe('k8sazurev1enforcecsidriver', () => {
  it('flags the in-tree Azure Disk and Azure File provisioners, on the provisioner', () => {
    const disk = onlyViolation(template.check(storageClass('kubernetes.io/azure-disk'), {}));
    assert.equal(disk.message, 'Storage class premium use intree provisioner kubernetes.io/azure-disk is not allowed');
    assert.deepEqual(culpritPaths(disk), [['provisioner']]);
    assert.deepEqual(firstFixOperations(disk), [{ op: 'set', path: ['provisioner'], value: 'disk.csi.azure.com' }]);
    assert.equal(disk.culprits[0]?.fixes?.[0]?.preferred, false, 'the CSI driver reads some parameters differently');
    const file = onlyViolation(template.check(storageClass('kubernetes.io/azure-file'), {}));
    assert.deepEqual(firstFixOperations(file), [{ op: 'set', path: ['provisioner'], value: 'file.csi.azure.com' }]);
  });

  it('allows CSI drivers and other provisioners', () => {
    for (const provisioner of ['disk.csi.azure.com', 'file.csi.azure.com', 'kubernetes.io/no-provisioner']) {
      assert.deepEqual(template.check(storageClass(provisioner), {}), []);
    }
  });
});
