import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCelTemplate } from '../../../server/src/cel/template';
import { celConstraintTemplate } from '../../../server/src/custom/celTemplate';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import type { ResolvedPolicy } from '../../../server/src/engine/types';
import type { JsonObject } from '../../../server/src/json';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import type { ConstraintTemplate, Review } from '../../../server/src/templates/types';

function celTemplate(name: string, source: JsonObject): ConstraintTemplate {
  return celConstraintTemplate(compileCelTemplate(name, name, source), name);
}

const requiredTeam = celTemplate('team', {
  validations: [{ expression: 'has(object.metadata.labels) && has(object.metadata.labels.team)', message: 'every Pod needs a team label' }],
});

const registries = celTemplate('registries', {
  validations: [{ expression: 'object.spec.containers.all(c, c.image.startsWith("mcr.microsoft.com/"))', message: 'images must come from mcr.microsoft.com' }],
});

function podReview(metadata: JsonObject, images: string[]): Review {
  const containers = images.map((image, index) => ({ name: `c${index}`, image }));
  return { kind: { group: '', version: 'v1', kind: 'Pod' }, name: 'web', namespace: 'default', operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers } } };
}

describe('CEL ConstraintTemplate wrapper: where a violation is shown', () => {
  it('puts a missing label on the labels it was looked for in, or on metadata when there are none', () => {
    assert.deepEqual(requiredTeam.check(podReview({ name: 'web', labels: { app: 'web' } }, []), {}), [
      { message: 'every Pod needs a team label', culprits: [{ path: ['metadata', 'labels', 'team'], fallback: ['metadata', 'labels'] }] },
    ]);
    assert.deepEqual(requiredTeam.check(podReview({ name: 'web' }, []), {}), [
      { message: 'every Pod needs a team label', culprits: [{ path: ['metadata', 'labels'], fallback: ['metadata'] }] },
    ]);
  });

  it("puts an image rule on the failing container's image: the one the comprehension stopped at", () => {
    const culpritsOf = (images: string[]) => registries.check(podReview({ name: 'web' }, images), {}).map((violation) => violation.culprits);
    assert.deepEqual(culpritsOf(['mcr.microsoft.com/nginx', 'docker.io/busybox']), [[{ path: ['spec', 'containers', 1, 'image'] }]]);
    assert.deepEqual(culpritsOf(['docker.io/nginx', 'mcr.microsoft.com/busybox']), [[{ path: ['spec', 'containers', 0, 'image'] }]]);
    assert.deepEqual(culpritsOf(['mcr.microsoft.com/nginx']), []);
  });

  it('narrows to the containers the message names, each on what was read of it', () => {
    const outsiders = celTemplate('outsiders', {
      variables: [{ name: 'outsiders', expression: 'object.spec.containers.filter(c, !c.image.startsWith("mcr.microsoft.com/"))' }],
      validations: [{ expression: 'size(variables.outsiders) == 0', messageExpression: '"outside: " + variables.outsiders.map(c, c.name).join(", ")' }],
    });
    const review = podReview({ name: 'web' }, ['docker.io/nginx', 'mcr.microsoft.com/busybox', 'quay.io/envoy']);
    assert.deepEqual(outsiders.check(review, {}), [
      { message: 'outside: c0, c2', culprits: [{ path: ['spec', 'containers', 0, 'image'] }, { path: ['spec', 'containers', 2, 'image'] }] },
    ]);
  });

  describe('in a manifest', () => {
    const catalog = loadCatalog();
    const policy: ResolvedPolicy = {
      ...resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: 'none' }),
      constraints: [
        {
          referenceId: 'registries',
          definitionId: 'registries',
          displayName: 'Allowed registries',
          version: '1.0.0',
          docsUrl: '',
          template: registries,
          effect: 'deny',
          parameters: {},
          match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaces: [], excludedNamespaces: [], labelSelector: {} },
          source: 'Original',
        },
      ],
    };
    const findingLines = (text: string) =>
      new FileAnalyzer().analyze(text, policy, { defaultNamespace: 'default', allowSuppressions: true }).flatMap((document) =>
        document.verdict.findings.map((finding) => text.slice(document.start + finding.start, document.start + finding.end)),
      );
    const containers = (indent: string) =>
      [`${indent}containers:`, `${indent}  - name: web`, `${indent}    image: mcr.microsoft.com/nginx`, `${indent}  - name: sidecar`, `${indent}    image: docker.io/busybox`].join('\n');

    it('shows a Pod violation on the image line of the failing container', () => {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${containers('  ')}\n`;
      assert.deepEqual(findingLines(text), ['image: docker.io/busybox']);
    });

    it("shows a Deployment's violation on the image line in its Pod template", () => {
      const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n${containers('      ')}\n`;
      assert.deepEqual(findingLines(text), ['image: docker.io/busybox']);
    });
  });
});
