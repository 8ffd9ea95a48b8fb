import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blockadminrolebindings as template } from '../../../server/src/templates/k8sazurev1blockadminrolebindings';
import { appliedReview } from './objectReviews';
import { culpritPaths, onlyViolation } from './support';

const binding = (kind: string, roleRef: JsonObject, namespace?: string) =>
  appliedReview({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: namespace === undefined ? { name: 'ops' } : { name: 'ops', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
  });

describe('k8sazurev1blockadminrolebindings', () => {
  it('flags a ClusterRoleBinding or RoleBinding to cluster-admin, on the role name', () => {
    const clusterWide = onlyViolation(template.check(binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'cluster-admin' }), {}));
    assert.equal(clusterWide.message, 'ClusterRoleBinding ops grants the cluster-admin role; bind a role with only the permissions needed');
    assert.deepEqual(culpritPaths(clusterWide), [['roleRef', 'name']]);
    const namespaced = onlyViolation(template.check(binding('RoleBinding', { kind: 'ClusterRole', name: 'cluster-admin' }, 'shop'), {}));
    assert.equal(namespaced.message, 'RoleBinding ops grants the cluster-admin role; bind a role with only the permissions needed');
  });

  it('allows bindings to other roles, and to a namespaced Role that happens to be called cluster-admin', () => {
    assert.deepEqual(template.check(binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'admin' }), {}), []);
    assert.deepEqual(template.check(binding('RoleBinding', { kind: 'Role', name: 'cluster-admin' }, 'shop'), {}), []);
  });
});
