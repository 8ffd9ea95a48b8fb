import { getPath } from '../json';
import type { JsonValue, Path } from '../json';
import {
  checkedContainers,
  containerField,
  culpritAt,
  elementsOf,
  fixIfApplicable,
  isTruthy,
  isWindowsPod,
  podSecurityContextFallback,
  regoEquals,
  regoGreater,
  regoLess,
  sprintf,
  storeUrl,
  ViolationSet,
} from './common';
import type { InputContainer } from './common';
import type { Culprit, ConstraintTemplate, FixProposal, Review } from './types';

const CHECKED_FIELDS = ['runAsUser', 'runAsGroup', 'supplementalGroups', 'fsGroup'] as const;
type CheckedField = (typeof CHECKED_FIELDS)[number];
type GroupField = Exclude<CheckedField, 'runAsUser'>;

/** Kubernetes has these two only in the pod's securityContext. */
const POD_ONLY_FIELDS: ReadonlySet<string> = new Set<GroupField>(['supplementalGroups', 'fsGroup']);

interface Finding {
  message: string;
  culprit: Culprit;
}

interface FoundValue {
  value: JsonValue;
  path: Path;
}

/**
 * The value a container runs with: its own securityContext field when defined (even `false`),
 * otherwise the pod's, but that fallback only applies when the reviewed object is a Pod.
 */
function effectiveValue(review: Review, container: InputContainer, field: string): FoundValue | undefined {
  const containerPath = [...container.path, 'securityContext', field];
  const containerValue = getPath(review.object, containerPath);
  if (containerValue !== undefined) return { value: containerValue, path: containerPath };
  if (review.kind.kind !== 'Pod') return undefined;
  const podPath = ['spec', 'securityContext', field];
  const podValue = getPath(review.object, podPath);
  return podValue === undefined ? undefined : { value: podValue, path: podPath };
}

/** Whether `value` lies in one of the ranges; `max: -1` means no upper bound. Compared as Rego compares. */
function isInRange(value: JsonValue, ranges: JsonValue): boolean {
  return elementsOf(ranges).some((range) => {
    const min = getPath(range, ['min']);
    const max = getPath(range, ['max']);
    if (min === undefined || max === undefined || regoLess(value, min)) return false;
    return regoEquals(max, -1) || !regoGreater(value, max);
  });
}

/** An unknown rule matches no Rego rule body: undefined, which the template's `not` reads as not accepted. */
function acceptsUser(rule: JsonValue, user: JsonValue, userParameters: JsonValue): boolean {
  if (rule === 'RunAsAny') return true;
  if (rule === 'MustRunAsNonRoot') return !regoEquals(user, 0);
  if (rule === 'MustRunAs') {
    const ranges = getPath(userParameters, ['ranges']);
    return ranges !== undefined && isInRange(user, ranges);
  }
  return false;
}

/** Missing ranges make the Rego call undefined, so even RunAsAny then rejects a value. */
function acceptsGroup(rule: JsonValue | undefined, value: JsonValue, ranges: JsonValue | undefined): boolean {
  if (ranges === undefined) return false;
  if (rule === 'RunAsAny') return true;
  if (rule === 'MustRunAs' || rule === 'MayRunAs') return isInRange(value, ranges);
  return false;
}

/** The minimum of the first range, when it is accepted: the value a fix proposes. */
function firstAllowedValue(ranges: JsonValue | undefined, accepts: (value: number) => boolean): number | undefined {
  const min = getPath(elementsOf(ranges)[0], ['min']);
  return typeof min === 'number' && accepts(min) ? min : undefined;
}

/** Setting a user or group ID chooses a value and may break the workload: never preferred. */
function setValueFix(object: JsonValue, field: string, path: Path, value: JsonValue): FixProposal | undefined {
  return fixIfApplicable(object, `Set \`${field}\` to ${JSON.stringify(value)}`, false, [{ op: 'set', path, value }]);
}

function userFindings(review: Review, container: InputContainer, userParameters: JsonValue): Finding[] {
  const rule = getPath(userParameters, ['rule']);
  const name = containerField(container, 'name');
  const namePath = [...container.path, 'name'];
  const user = effectiveValue(review, container, 'runAsUser');
  const containerUserPath = [...container.path, 'securityContext', 'runAsUser'];
  const allowedUser =
    rule === 'MustRunAs'
      ? firstAllowedValue(getPath(userParameters, ['ranges']), (value) => acceptsUser(rule, value, userParameters))
      : undefined;
  const findings: Finding[] = [];
  const addFinding = (message: string | undefined, culprit: Culprit): void => {
    if (message !== undefined) findings.push({ message, culprit });
  };

  if (rule !== undefined && user !== undefined && !acceptsUser(rule, user.value, userParameters)) {
    // For MustRunAsNonRoot with user 0 there is no value to propose: the image decides which user works.
    const fix = allowedUser === undefined ? undefined : setValueFix(review.object, 'runAsUser', user.path, allowedUser);
    addFinding(
      sprintf('Container %v is attempting to run as disallowed user %v. Allowed runAsUser: %v', [name, user.value, userParameters]),
      culpritAt(user.path, namePath, [fix]),
    );
  }
  if (!isTruthy(user?.value) && rule === 'MustRunAs') {
    const fix = allowedUser === undefined ? undefined : setValueFix(review.object, 'runAsUser', containerUserPath, allowedUser);
    addFinding(
      sprintf('Container %v is attempting to run without a required securityContext/runAsUser', [name]),
      culpritAt(user?.path ?? containerUserPath, namePath, [fix]),
    );
  }
  if (rule === 'MustRunAsNonRoot' && !isTruthy(user?.value)) {
    const nonRoot = effectiveValue(review, container, 'runAsNonRoot');
    if (!isTruthy(nonRoot?.value)) {
      const containerNonRootPath = [...container.path, 'securityContext', 'runAsNonRoot'];
      // Not preferred: an image built to run as root stops working.
      const fix = fixIfApplicable(review.object, 'Set `runAsNonRoot: true`', false, [
        { op: 'set', path: containerNonRootPath, value: true },
      ]);
      addFinding(
        sprintf(
          'Container %v is attempting to run without a required securityContext/runAsNonRoot or securityContext/runAsUser != 0',
          [name],
        ),
        culpritAt(nonRoot?.path ?? containerNonRootPath, namePath, [fix]),
      );
    }
  }
  return findings;
}

function groupFindings(review: Review, container: InputContainer, field: GroupField, groupParameters: JsonValue): Finding[] {
  const rule = getPath(groupParameters, ['rule']);
  const ranges = getPath(groupParameters, ['ranges']);
  const name = containerField(container, 'name');
  const namePath = [...container.path, 'name'];
  const found = effectiveValue(review, container, field);
  const allowedGroup = firstAllowedValue(ranges, (value) => acceptsGroup(rule, value, ranges));
  const asFieldValue = (group: number): JsonValue => (field === 'supplementalGroups' ? [group] : group);
  const findings: Finding[] = [];
  const addFinding = (message: string | undefined, culprits: Culprit[]): void => {
    if (message !== undefined) for (const culprit of culprits) findings.push({ message, culprit });
  };

  if (rule !== undefined && found !== undefined && !Array.isArray(found.value) && !acceptsGroup(rule, found.value, ranges)) {
    const fix = allowedGroup === undefined ? undefined : setValueFix(review.object, field, found.path, asFieldValue(allowedGroup));
    addFinding(
      sprintf('Container %v is attempting to run as disallowed group %v. Allowed %v: %v', [name, found.value, field, groupParameters]),
      [culpritAt(found.path, namePath, [fix])],
    );
  }
  if (rule !== undefined && found !== undefined && Array.isArray(found.value)) {
    const culprits = found.value.flatMap((group, index) => {
      if (acceptsGroup(rule, group, ranges)) return [];
      const itemPath = [...found.path, index];
      const fix = allowedGroup === undefined ? undefined : setValueFix(review.object, field, itemPath, allowedGroup);
      return [culpritAt(itemPath, undefined, [fix])];
    });
    if (culprits.length > 0) {
      addFinding(
        sprintf('Container %v is attempting to run with disallowed supplementalGroups %v. Allowed %v: %v', [
          name,
          found.value,
          field,
          groupParameters,
        ]),
        culprits,
      );
    }
  }
  if (!isTruthy(found?.value) && rule === 'MustRunAs') {
    addFinding(
      sprintf('Container %v is attempting to run without a required securityContext/%v. Allowed %v: %v', [
        name,
        field,
        field,
        groupParameters,
      ]),
      [missingGroupCulprit(review, container, field, found, allowedGroup === undefined ? undefined : asFieldValue(allowedGroup))],
    );
  }
  return findings;
}

/** Where a missing (or false) group field belongs, with the fix that sets it when one surely works. */
function missingGroupCulprit(
  review: Review,
  container: InputContainer,
  field: GroupField,
  found: FoundValue | undefined,
  allowedValue: JsonValue | undefined,
): Culprit {
  const containerPath = [...container.path, 'securityContext', field];
  const namePath = [...container.path, 'name'];
  if (!POD_ONLY_FIELDS.has(field)) {
    const fix = allowedValue === undefined ? undefined : setValueFix(review.object, field, containerPath, allowedValue);
    return culpritAt(found?.path ?? containerPath, namePath, [fix]);
  }
  // A pod-level value reaches the container only through the Pod fallback, which a container-level value blocks.
  if (review.kind.kind !== 'Pod' || containerField(container, 'securityContext', field) !== undefined) {
    return culpritAt(containerPath, namePath);
  }
  const podPath = ['spec', 'securityContext', field];
  const fix = allowedValue === undefined ? undefined : setValueFix(review.object, field, podPath, allowedValue);
  return culpritAt(podPath, podSecurityContextFallback(review), [fix]);
}

/**
 * Checks each container's runAsUser (MustRunAs, MustRunAsNonRoot, RunAsAny) and runAsGroup,
 * supplementalGroups and fsGroup (MustRunAs, MayRunAs, RunAsAny) against the ranges in the
 * parameters, reading the container's securityContext first and the pod's when the container
 * does not set the field.
 */
export const k8sazurev3allowedusersgroups: ConstraintTemplate = {
  name: 'k8sazurev3allowedusersgroups',
  kind: 'K8sAzureV3AllowedUsersGroups',
  storeUrl: storeUrl('allowed-users-groups', 'v3'),
  check(review, parameters) {
    if (isWindowsPod(review)) return [];
    const violations = new ViolationSet();
    for (const field of CHECKED_FIELDS) {
      const fieldParameters = getPath(parameters, [field]);
      if (fieldParameters === undefined) continue;
      for (const container of checkedContainers(review, parameters)) {
        const findings =
          field === 'runAsUser'
            ? userFindings(review, container, fieldParameters)
            : groupFindings(review, container, field, fieldParameters);
        // The Rego computes one message per field and container with a function; two different
        // messages (possible only when the value is `false`) are a conflict that aborts the evaluation.
        if (new Set(findings.map((finding) => finding.message)).size > 1) return [];
        for (const finding of findings) violations.add(finding.message, finding.culprit);
      }
    }
    return violations.toArray();
  },
};
