/** Builders and assertions shared by the template tests. */
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import type { ConstraintTemplate, FixOperation, Review, TemplateViolation } from '../../../server/src/templates/types';
import { applyOperations } from './applyOperations';

export const POD_KIND: Review['kind'] = { group: '', version: 'v1', kind: 'Pod' };

/** A Pod under review; `metadata` defaults to the name `demo`. */
export function podReview(spec: JsonObject, metadata: JsonObject = { name: 'demo' }): Review {
  return {
    kind: POD_KIND,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: 'default',
    operation: 'CREATE',
    object: { apiVersion: 'v1', kind: 'Pod', metadata, spec },
  };
}

/** A container named `name` running an ordinary image, with extra fields. */
export function container(name: string, fields: JsonObject = {}): JsonObject {
  return { name, image: 'mcr.microsoft.com/azurelinux/base/nginx:1.25', ...fields };
}

/** The constraint parameters Azure builds for each template from the Baseline and Restricted initiatives. */
export const INITIATIVE_PARAMETERS = {
  k8sazurev2noprivilege: { excludedContainers: [], excludedImages: [] },
  k8sazurev3hostnetworkingports: { allowHostNetwork: false, minPort: 0, maxPort: 0, excludedContainers: [], excludedImages: [] },
  k8sazurev2blockhostnamespace: { excludedImages: [] },
  k8sazurev3allowedcapabilities: {
    allowedCapabilities: ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'],
    requiredDropCapabilities: [],
    excludedContainers: [],
    excludedImages: [],
  },
  k8sazurev3hostfilesystem: { allowedHostPaths: [], excludedContainers: [], excludedImages: [] },
  k8sazurev3noprivilegeescalation: { excludedContainers: [], excludedImages: [] },
  k8sazurev2volumetypes: {
    volumes: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'],
    excludedImages: [],
  },
  k8sazurev3allowedusersgroups: {
    runAsUser: { rule: 'MustRunAsNonRoot', ranges: [] },
    runAsGroup: { rule: 'MustRunAs', ranges: [{ min: 1, max: 65535 }] },
    supplementalGroups: { rule: 'MustRunAs', ranges: [{ min: 1, max: 65535 }] },
    fsGroup: { rule: 'MustRunAs', ranges: [{ min: 1, max: 65535 }] },
    excludedContainers: [],
    excludedImages: [],
  },
  k8sazurev3allowedseccomp: { allowedProfiles: ['runtime/default', 'docker/default'], excludedContainers: [], excludedImages: [] },
} satisfies Record<string, JsonObject>;

/** The messages of the violations, in order. */
export function messages(violations: readonly TemplateViolation[]): string[] {
  return violations.map((violation) => violation.message);
}

/** The culprit paths of one violation. */
export function culpritPaths(violation: TemplateViolation | undefined): unknown[] {
  assert.ok(violation, 'expected a violation');
  return violation.culprits.map((culprit) => culprit.path);
}

/** The single violation of a check, failing otherwise. */
export function onlyViolation(violations: readonly TemplateViolation[]): TemplateViolation {
  assert.equal(violations.length, 1, `expected one violation, got ${JSON.stringify(messages(violations))}`);
  return violations[0] as TemplateViolation;
}

/** The operations of the first fix of every culprit of a violation. */
export function firstFixOperations(violation: TemplateViolation): FixOperation[] {
  return violation.culprits.flatMap((culprit) => culprit.fixes?.[0]?.operations ?? []);
}

/**
 * Applies the first fix of every culprit of `violation` and checks again: the violation must be gone.
 * Returns the violations that remain, for further assertions.
 */
export function assertFixesClear(
  template: ConstraintTemplate,
  review: Review,
  parameters: JsonObject,
  violation: TemplateViolation,
): TemplateViolation[] {
  assert.ok(violation.culprits.every((culprit) => (culprit.fixes ?? []).length > 0), 'every culprit should have a fix');
  const fixed: Review = { ...review, object: applyOperations(review.object, firstFixOperations(violation)) };
  const remaining = template.check(fixed, parameters);
  assert.ok(!messages(remaining).includes(violation.message), `still violated after the fixes: ${violation.message}`);
  return remaining;
}
