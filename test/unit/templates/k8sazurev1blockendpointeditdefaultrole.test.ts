import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blockendpointeditdefaultrole as template } from '../../../server/src/templates/k8sazurev1blockendpointeditdefaultrole';
import { appliedReview } from './objectReviews';
import { culpritPaths, onlyViolation } from './support';

const MESSAGE =
  'ClusterRole system:aggregate-to-edit should not allow endpoint edit permissions. For k8s version < 1.22, the Cluster Role should be annotated with rbac.authorization.kubernetes.io/autoupdate=false to prevent autoreconciliation back to default permissions for this role.';

const clusterRole = (name: string, rules: JsonObject[]) => appliedReview({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });

describe('k8sazurev1blockendpointeditdefaultrole', () => {
  it('flags each endpoints resource of a rule that may create, patch or update', () => {
    const review = clusterRole('system:aggregate-to-edit', [
      { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['patch'] },
      { apiGroups: ['apps'], resources: ['endpoints'], verbs: ['update'] },
    ]);
    const violation = onlyViolation(template.check(review, {}));
    assert.equal(violation.message, MESSAGE);
    assert.deepEqual(culpritPaths(violation), [
      ['rules', 1, 'resources', 1],
      ['rules', 2, 'resources', 0],
    ]);
  });

  it('allows read-only endpoint access, and other roles', () => {
    assert.deepEqual(template.check(clusterRole('system:aggregate-to-edit', [{ resources: ['endpoints'], verbs: ['get', 'watch', 'delete'] }]), {}), []);
    assert.deepEqual(template.check(clusterRole('my-editor', [{ resources: ['endpoints'], verbs: ['create'] }]), {}), []);
  });
});
