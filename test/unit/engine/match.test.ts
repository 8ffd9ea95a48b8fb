import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesConstraint, type MatchTarget } from '../../../server/src/engine/match';
import type { ConstraintMatch } from '../../../server/src/engine/types';

const podMatch: ConstraintMatch = {
  kinds: [{ apiGroups: [''], kinds: ['Pod'] }],
  namespaces: [],
  excludedNamespaces: ['kube-system', 'gatekeeper-system', 'azure-arc'],
  labelSelector: {},
};

function pod(overrides: Partial<MatchTarget> = {}): MatchTarget {
  return { group: '', kind: 'Pod', namespace: 'default', labels: {}, ...overrides };
}

function matches(match: Partial<ConstraintMatch>, target: MatchTarget): boolean {
  return matchesConstraint({ ...podMatch, ...match }, target);
}

describe('matchesConstraint: kinds', () => {
  it('matches the named group and kind only', () => {
    assert.equal(matches({}, pod()), true);
    assert.equal(matches({}, pod({ kind: 'Deployment', group: 'apps' })), false);
    assert.equal(matches({}, pod({ group: 'example.com' })), false);
  });

  it('matches any of several entries', () => {
    const kinds = [
      { apiGroups: [''], kinds: ['Pod'] },
      { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet'] },
    ];
    assert.equal(matches({ kinds }, pod({ group: 'apps', kind: 'StatefulSet' })), true);
    assert.equal(matches({ kinds }, pod({ group: '', kind: 'Deployment' })), false);
  });

  it('treats "*" and empty lists as everything', () => {
    assert.equal(matches({ kinds: [] }, pod({ group: 'batch', kind: 'Job' })), true);
    assert.equal(matches({ kinds: [{ apiGroups: ['*'], kinds: ['Job'] }] }, pod({ group: 'batch', kind: 'Job' })), true);
    assert.equal(matches({ kinds: [{ apiGroups: ['batch'], kinds: ['*'] }] }, pod({ group: 'batch', kind: 'CronJob' })), true);
    assert.equal(matches({ kinds: [{ apiGroups: [], kinds: [] }] }, pod({ group: 'x', kind: 'Y' })), true);
  });
});

describe('matchesConstraint: namespaces', () => {
  it('checks every namespace when the list is empty, else only the listed ones', () => {
    assert.equal(matches({ namespaces: [] }, pod({ namespace: 'anything' })), true);
    assert.equal(matches({ namespaces: ['prod', 'staging'] }, pod({ namespace: 'staging' })), true);
    assert.equal(matches({ namespaces: ['prod'] }, pod({ namespace: 'production' })), false);
  });

  it('accepts a trailing * as a prefix', () => {
    assert.equal(matches({ namespaces: ['team-*'] }, pod({ namespace: 'team-a' })), true);
    assert.equal(matches({ namespaces: ['team-*'] }, pod({ namespace: 'teams' })), false);
  });

  it('accepts a leading * as a suffix, and both as a substring, as Gatekeeper does', () => {
    assert.equal(matches({ namespaces: ['*-system'] }, pod({ namespace: 'kube-system' })), false, 'excluded all the same');
    assert.equal(matches({ namespaces: ['*-dev'] }, pod({ namespace: 'shop-dev' })), true);
    assert.equal(matches({ namespaces: ['*-dev'] }, pod({ namespace: 'dev-shop' })), false);
    assert.equal(matches({ namespaces: ['*shop*'] }, pod({ namespace: 'my-shop-dev' })), true);
    assert.equal(matches({ namespaces: ['*'] }, pod({ namespace: 'x' })), true);
  });

  it('skips excluded namespaces, exactly or by wildcard', () => {
    assert.equal(matches({}, pod({ namespace: 'kube-system' })), false);
    assert.equal(matches({}, pod({ namespace: 'kube-public' })), true);
    assert.equal(matches({ excludedNamespaces: ['kube-*'] }, pod({ namespace: 'kube-public' })), false);
    assert.equal(matches({ namespaces: ['prod'], excludedNamespaces: ['prod'] }, pod({ namespace: 'prod' })), false);
  });

  it('never rules out a cluster-scoped object by namespace', () => {
    const clusterRole = pod({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '' });
    const kinds = [{ apiGroups: ['rbac.authorization.k8s.io'], kinds: ['ClusterRole'] }];
    assert.equal(matches({ kinds, namespaces: ['prod'] }, clusterRole), true);
    assert.equal(matches({ kinds, excludedNamespaces: ['*'] }, clusterRole), true);
  });
});

describe('matchesConstraint: labelSelector', () => {
  const labels = { app: 'web', tier: 'frontend' };

  it('selects everything when empty', () => {
    assert.equal(matches({ labelSelector: {} }, pod({ labels })), true);
    assert.equal(matches({ labelSelector: { matchLabels: {}, matchExpressions: [] } }, pod()), true);
  });

  it('needs every matchLabels pair', () => {
    assert.equal(matches({ labelSelector: { matchLabels: { app: 'web' } } }, pod({ labels })), true);
    assert.equal(matches({ labelSelector: { matchLabels: { app: 'web', tier: 'backend' } } }, pod({ labels })), false);
    assert.equal(matches({ labelSelector: { matchLabels: { team: 'a' } } }, pod({ labels })), false);
  });

  it('evaluates In, NotIn, Exists and DoesNotExist', () => {
    const expect = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', key: string, values: string[] | undefined, expected: boolean) =>
      assert.equal(matches({ labelSelector: { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] } }, pod({ labels })), expected, `${key} ${operator} ${values}`);
    expect('In', 'app', ['web', 'api'], true);
    expect('In', 'app', ['api'], false);
    expect('In', 'missing', ['web'], false);
    expect('NotIn', 'app', ['api'], true);
    expect('NotIn', 'app', ['web'], false);
    expect('NotIn', 'missing', ['web'], true);
    expect('Exists', 'tier', undefined, true);
    expect('Exists', 'missing', undefined, false);
    expect('DoesNotExist', 'missing', undefined, true);
    expect('DoesNotExist', 'tier', undefined, false);
  });

  it('ANDs matchLabels with every expression', () => {
    const labelSelector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['frontend'] }, { key: 'canary', operator: 'DoesNotExist' as const }] };
    assert.equal(matches({ labelSelector }, pod({ labels })), true);
    assert.equal(matches({ labelSelector }, pod({ labels: { ...labels, canary: 'true' } })), false);
  });

  it('does not take inherited properties for labels', () => {
    assert.equal(matches({ labelSelector: { matchExpressions: [{ key: 'toString', operator: 'Exists' }] } }, pod()), false);
  });
});
