import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1blockresource as template } from '../../../server/src/templates/k8sazurev1blockresource';
import { appliedReview } from './objectReviews';
import { onlyViolation } from './support';

const secret = (metadata: JsonObject, type?: string): JsonObject => ({ apiVersion: 'v1', kind: 'Secret', metadata, ...(type === undefined ? {} : { type }) });

describe('k8sazurev1blockresource', () => {
  it('flags every object it is given, with its kind, namespace and name, on the object as a whole', () => {
    const violation = onlyViolation(template.check(appliedReview(secret({ name: 'db-password', namespace: 'default' })), {}));
    assert.equal(violation.message, 'Secret resource except default in namespace default is not allowed, name: db-password');
    assert.deepEqual(violation.culprits, []);
    const implied = onlyViolation(template.check(appliedReview(secret({ name: 'api-key' })), {}));
    assert.equal(implied.message, 'Secret resource except default in namespace default is not allowed, name: api-key');
  });

  it('lets through the objects Kubernetes creates in every namespace', () => {
    const token = secret({ name: 'default-token', annotations: { 'kubernetes.io/service-account.name': 'default' } }, 'kubernetes.io/service-account-token');
    assert.deepEqual(template.check(appliedReview(token), {}), []);
    assert.deepEqual(template.check(appliedReview({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }), {}), []);
  });

  it('says nothing about cluster-scoped objects: without a namespace the Rego message is undefined', () => {
    assert.deepEqual(template.check(appliedReview({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }), {}), []);
  });
});
