import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blockwildcardroles as template } from '../../../server/src/templates/k8sazurev1blockwildcardroles';
import { appliedReview } from './objectReviews';
import { culpritPaths, messages } from './support';

const role = (kind: string, rules: JsonObject[]) => appliedReview({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'deployer', namespace: 'shop' }, rules });

describe('k8sazurev1blockwildcardroles', () => {
  it('flags each * in verbs and resources, one message per field, on the item', () => {
    const violations = template.check(
      role('Role', [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
        { apiGroups: [''], resources: ['*'], verbs: ['get', '*'] },
      ]),
      {},
    );
    assert.deepEqual(messages(violations), [
      "Role deployer should not use the wildcard '*' in verbs; list only what the role needs",
      "Role deployer should not use the wildcard '*' in resources; list only what the role needs",
    ]);
    assert.deepEqual(culpritPaths(violations[0]), [
      ['rules', 0, 'verbs', 0],
      ['rules', 1, 'verbs', 1],
    ]);
    assert.deepEqual(culpritPaths(violations[1]), [['rules', 1, 'resources', 0]]);
  });

  it('names a ClusterRole as such', () => {
    assert.deepEqual(messages(template.check(role('ClusterRole', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]), {})), [
      "ClusterRole deployer should not use the wildcard '*' in verbs; list only what the role needs",
    ]);
  });

  it('allows explicit verbs and resources, and a wildcard API group or subresource pattern', () => {
    const rules: JsonObject[] = [
      { apiGroups: ['*'], resources: ['deployments', 'pods/*'], verbs: ['get', 'list'] },
      { nonResourceURLs: ['/healthz/*'], verbs: ['get'] },
    ];
    assert.deepEqual(template.check(role('ClusterRole', rules), {}), []);
  });
});
