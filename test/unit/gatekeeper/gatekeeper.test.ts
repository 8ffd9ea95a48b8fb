import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConstraint, reviewWithConstraint } from '../../../server/src/gatekeeper/evaluate';
import { inventoryOf } from '../../../server/src/gatekeeper/inventory';
import { constraintMatches, MatchError } from '../../../server/src/gatekeeper/match';
import { reviewOfAdmissionReview, reviewOfObject, ReviewError } from '../../../server/src/gatekeeper/review';
import { compileConstraintTemplate, readConstraintTemplate } from '../../../server/src/gatekeeper/template';
import type { JsonObject } from '../../../server/src/json';

const pod = (name: string, namespace?: string, labels?: Record<string, string>): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

describe('gatekeeper: input.review', () => {
  it('reviews an object as gator does: its kind and name, no operation, no user', () => {
    const { review, namespace } = reviewOfObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } });
    assert.equal(namespace, 'prod');
    assert.deepEqual(review, {
      uid: '',
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: '', version: '', resource: '' },
      name: 'web',
      namespace: 'prod',
      operation: '',
      userInfo: {},
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } },
      oldObject: null,
      options: null,
    });
  });

  it("takes an AdmissionReview's request as it is, and refuses one gator would refuse", () => {
    const request = { operation: 'UPDATE', userInfo: { username: 'alice' }, object: pod('a'), oldObject: pod('a') };
    const { review, matchObjects } = reviewOfAdmissionReview({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
    assert.equal(review.operation, 'UPDATE');
    assert.deepEqual(review.userInfo, { username: 'alice' });
    assert.equal(matchObjects.length, 2);
    assert.throws(() => reviewOfAdmissionReview({ kind: 'AdmissionReview', request: { operation: 'CREATE' } }), ReviewError);
    assert.throws(() => reviewOfAdmissionReview({ kind: 'AdmissionReview', request: { object: pod('a'), extra: 1 } }), /unknown field "request.extra"/);
  });
});

describe('gatekeeper: spec.match', () => {
  it('matches kinds, namespaces (with wildcards), names and label selectors', () => {
    const kinds = [{ apiGroups: [''], kinds: ['Pod'] }];
    assert.equal(constraintMatches({ kinds }, [pod('a', 'default')], undefined), true);
    assert.equal(constraintMatches({ kinds: [{ apiGroups: ['apps'], kinds: ['*'] }] }, [pod('a', 'default')], undefined), false);
    assert.equal(constraintMatches({ namespaces: ['kube-*'] }, [pod('a', 'kube-system')], undefined), true);
    assert.equal(constraintMatches({ excludedNamespaces: ['kube-*'] }, [pod('a', 'kube-system')], undefined), false);
    assert.equal(constraintMatches({ namespaces: ['default'] }, [pod('a')], undefined), true, 'an object without a namespace is not ruled out');
    assert.equal(constraintMatches({ name: 'web-*' }, [pod('web-1')], undefined), true);
    assert.equal(constraintMatches({ labelSelector: { matchLabels: { app: 'x' } } }, [pod('a', 'default', { app: 'y' })], undefined), false);
  });

  it('applies scope and namespaceSelector, which needs the Namespace of a namespaced object', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { tier: 'prod' } } };
    const selector = { namespaceSelector: { matchLabels: { tier: 'prod' } } };
    assert.equal(constraintMatches({ scope: 'Cluster' }, [pod('a', 'prod')], undefined), false);
    assert.equal(constraintMatches({ scope: 'Namespaced' }, [pod('a', 'prod')], undefined), true);
    assert.equal(constraintMatches(selector, [pod('a', 'prod')], namespace), true);
    assert.equal(constraintMatches(selector, [namespace], undefined), true, 'a Namespace is selected by its own labels');
    assert.throws(() => constraintMatches(selector, [pod('a', 'prod')], undefined), MatchError);
  });
});

describe('gatekeeper: a constraint against a review', () => {
  const template = compileConstraintTemplate(
    readConstraintTemplate({
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 'k8sexample' },
      spec: {
        crd: { spec: { names: { kind: 'K8sExample' } } },
        targets: [
          {
            target: 'admission.k8s.gatekeeper.sh',
            rego: [
              'package k8sexample',
              'violation[{"msg": msg}] { not input.parameters.allowed[input.review.object.metadata.name]; msg := "not allowed" }',
              'violation[{"msg": msg, "details": {"peers": n}}] { n := count(data.inventory.namespace[input.review.object.metadata.namespace].v1.Pod); n > 0; msg := "has peers" }',
              'violation[{"msg": "not allowed"}] { true }',
              'violation[{"no_msg": true}] { true }',
            ].join('\n'),
          },
        ],
      },
    }),
    'example.yaml',
  );
  const constraint = readConstraint({ kind: 'K8sExample', metadata: { name: 'c' }, spec: { parameters: { allowed: { ok: true } } } });

  it('reports each distinct msg and details once, and drops results without msg, as Gatekeeper does', () => {
    const verdict = reviewWithConstraint(template, constraint, reviewOfObject(pod('bad', 'default')), [pod('other', 'default')]);
    assert.ok(verdict.matched);
    assert.deepEqual(verdict.violations, [
      { msg: 'not allowed', details: {} },
      { msg: 'has peers', details: { peers: 1 } },
    ]);
  });

  it('keeps the inventory in Gatekeeper shape: cluster and namespace, group/version, kind, name', () => {
    const inventory = inventoryOf([pod('a', 'ns'), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } }]);
    assert.deepEqual(Object.keys((inventory.namespace as JsonObject).ns as JsonObject), ['v1']);
    assert.ok(((inventory.cluster as JsonObject)['rbac.authorization.k8s.io/v1'] as JsonObject).ClusterRole);
  });

  it('reads a template with Rego and CEL as Rego, and tells a CEL-only template apart', () => {
    const both = readConstraintTemplate({
      kind: 'ConstraintTemplate',
      metadata: { name: 't' },
      spec: { crd: { spec: { names: { kind: 'T' } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source: {} }, { engine: 'Rego', source: { rego: 'package t', libs: ['package lib.x'] } }] }] },
    });
    assert.deepEqual([both.hasCel, both.rego?.libs], [true, ['package lib.x']]);
    const celOnly = readConstraintTemplate({ kind: 'ConstraintTemplate', metadata: { name: 't' }, spec: { crd: { spec: { names: { kind: 'T' } } }, targets: [{ code: [{ engine: 'K8sNativeValidation', source: {} }] }] } });
    assert.equal(celOnly.rego, undefined);
  });

  it('refuses a template without violation, or with a lib outside package lib', () => {
    const withRego = (rego: string, libs: string[] = []) =>
      compileConstraintTemplate({ name: 't', kind: 'T', rego: { source: rego, libs }, hasCel: false }, 't.yaml');
    assert.throws(() => withRego('package t\ndeny { true }'), /must define the rule violation/);
    assert.throws(() => withRego('package t\nviolation[{"msg": "x"}] { true }', ['package helpers\nf(x) = x']), /must begin with lib/);
  });
});
