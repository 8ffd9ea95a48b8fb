import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev2requireingresshost as template } from '../../../server/src/templates/k8sazurev2requireingresshost';
import { appliedReview } from './objectReviews';
import { messages } from './support';

const HTTP = { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] };
const ingress = (spec: JsonObject) => appliedReview({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec });

describe('k8sazurev2requireingresshost', () => {
  it('flags each rule without a host, or with an empty one, on the rule', () => {
    const violations = template.check(ingress({ rules: [{ host: 'shop.example.com', http: HTTP }, { http: HTTP }, { host: '', http: HTTP }] }), {});
    assert.deepEqual(messages(violations), [
      'Ingress web should specify a host in each rule; rule 1 has none',
      'Ingress web should specify a host in each rule; rule 2 has none',
    ]);
    assert.deepEqual(violations[0]?.culprits, [{ path: ['spec', 'rules', 1, 'host'], fallback: ['spec', 'rules', 1] }]);
    assert.deepEqual(violations[1]?.culprits, [{ path: ['spec', 'rules', 2, 'host'], fallback: ['spec', 'rules', 2] }]);
  });

  it('allows rules with hosts, wildcard hosts included, and an Ingress with only a default backend', () => {
    assert.deepEqual(template.check(ingress({ rules: [{ host: 'shop.example.com', http: HTTP }, { host: '*.example.com', http: HTTP }] }), {}), []);
    assert.deepEqual(template.check(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }), {}), []);
  });
});
