import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { k8sazurev1printmutationsannotations as template } from '../../../server/src/templates/k8sazurev1printmutationsannotations';
import { container, culpritPaths, messages, podReview } from './support';

const parameters = { messages: { 'example.com/seccomp': 'seccomp set to RuntimeDefault', 'example.com/non-root': 'runAsNonRoot set to true' } };

function annotated(annotations: Record<string, string>) {
  return podReview({ containers: [container('web')] }, { name: 'web', annotations });
}

describe('k8sazurev1printmutationsannotations', () => {
  it('prints nothing without a listed annotation, or with no messages at all (Deployment Safeguards’ default)', () => {
    assert.deepEqual(template.check(annotated({ 'example.com/owner': 'team' }), parameters), []);
    assert.deepEqual(template.check(podReview({ containers: [container('web')] }), parameters), []);
    assert.deepEqual(template.check(annotated({ 'example.com/seccomp': 'true' }), { messages: {} }), []);
    assert.deepEqual(template.check(annotated({ 'example.com/seccomp': 'true' }), {}), []);
  });

  it('prints the message of each listed annotation the Pod carries, in key order, at the annotation', () => {
    const violations = template.check(annotated({ 'example.com/seccomp': 'true', 'example.com/non-root': '' }), parameters);
    assert.deepEqual(messages(violations), ['runAsNonRoot set to true', 'seccomp set to RuntimeDefault']);
    assert.deepEqual(culpritPaths(violations[0]), [['metadata', 'annotations', 'example.com/non-root']]);
  });

  it('prints a message that is not a string as Rego prints a value', () => {
    assert.deepEqual(messages(template.check(annotated({ mutated: 'yes' }), { messages: { mutated: { by: 'safeguards' } } })), ['{"by": "safeguards"}']);
  });
});
