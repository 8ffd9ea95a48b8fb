import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev1uniqueserviceselector as template } from '../../../server/src/templates/k8sazurev1uniqueserviceselector';
import { appliedReview, reviewWithInventory, service } from './objectReviews';
import { culpritPaths, messages, onlyViolation } from './support';

const shop = (name: string, spec: JsonObject, namespace = 'shop') => service(name, spec, { namespace });
const web = (ports: number[], selector: JsonObject = { app: 'web' }): JsonObject => ({ selector, ports: ports.map((port) => ({ port })) });

describe('k8sazurev1uniqueserviceselector', () => {
  it('flags a Service with the selector and a port of another Service in its namespace, on the selector', () => {
    const violation = onlyViolation(template.check(reviewWithInventory(shop('web-preview', web([80, 8080])), [], [shop('web', web([8080]))]), {}));
    assert.equal(violation.message, 'same selector as service <web> in namespace <shop> with overlapping ports.');
    assert.deepEqual(culpritPaths(violation), [['spec', 'selector']]);
  });

  it('names every Service it collides with, whichever was applied first', () => {
    const review = reviewWithInventory(shop('web', web([80])), [shop('web-a', web([80]))], [shop('web-b', web([80]))]);
    assert.deepEqual(messages(template.check(review, {})), [
      'same selector as service <web-a> in namespace <shop> with overlapping ports.',
      'same selector as service <web-b> in namespace <shop> with overlapping ports.',
    ]);
  });

  it('compares whole selectors: the same keys with the same values, in any order', () => {
    const compound = (selector: JsonObject) => shop('x', web([80], selector));
    assert.equal(template.check(reviewWithInventory(shop('web', web([80], { tier: 'front', app: 'web' })), [compound({ app: 'web', tier: 'front' })]), {}).length, 1);
    assert.deepEqual(template.check(reviewWithInventory(shop('web', web([80], { app: 'web', tier: 'front' })), [compound({ app: 'web' })]), {}), []);
  });

  it('allows the same selector on other ports, in another namespace, or on another copy of itself', () => {
    assert.deepEqual(template.check(reviewWithInventory(shop('web', web([80])), [shop('web-metrics', web([9090]))]), {}), []);
    assert.deepEqual(template.check(reviewWithInventory(shop('web', web([80])), [shop('web', web([80]), 'staging')]), {}), []);
    assert.deepEqual(template.check(reviewWithInventory(shop('web', web([80])), [shop('web', web([80]))]), {}), []);
  });

  it('ignores Services without a selector', () => {
    const manual = { ports: [{ port: 80 }] };
    assert.deepEqual(template.check(reviewWithInventory(shop('db', manual), [shop('cache', manual)]), {}), []);
  });

  it('sees no other Service without an inventory', () => {
    assert.deepEqual(template.check(appliedReview(shop('web', web([80]))), {}), []);
  });
});
