import type { JsonObject } from '../json';
import type { Mutator } from '../mutations/types';
import type { ConstraintTemplate } from '../templates/types';

export type Effect = 'audit' | 'deny' | 'disabled';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A constraint's `spec.match`, as Azure builds it from the definition's details. */
export interface ConstraintMatch {
  kinds: { apiGroups: string[]; kinds: string[] }[];
  namespaces: string[];
  excludedNamespaces: string[];
  labelSelector: LabelSelector;
}

/** One member of the active initiative, resolved: what the cluster's constraint would be. */
export interface ActiveConstraint {
  referenceId: string;
  definitionId: string;
  displayName: string;
  version: string;
  /** Documentation of the definition (Azure portal page of the built-in). */
  docsUrl: string;
  template: ConstraintTemplate;
  effect: Effect;
  /** The constraint's `spec.parameters`: the definition's `values` with parameters substituted. */
  parameters: JsonObject;
  match: ConstraintMatch;
  /** Gatekeeper expansion source: Original judges Pods only when they are created. */
  source: 'Original' | 'Generated' | 'All';
}

/** A mutation member of the active initiative, resolved: the Gatekeeper mutator the cluster would run. */
export interface ActiveMutation {
  referenceId: string;
  definitionId: string;
  /** The definition's file name without its version, e.g. `MutateRunAsNonRoot`: what notices name. */
  definitionName: string;
  displayName: string;
  version: string;
  docsUrl: string;
  mutator: Mutator;
  /** Azure's Mutate or Disabled (Deployment Safeguards passes `effectForMutationPolicies`, Disabled by default). */
  effect: 'mutate' | 'disabled';
  /** Kinds, namespaces and excluded namespaces: mutators take no label selector. */
  match: ConstraintMatch;
}

export interface InitiativeInfo {
  id: string;
  alias?: string;
  displayName: string;
  version: string;
}

/** The active initiative with its members resolved against the settings. */
export interface ResolvedPolicy {
  initiative: InitiativeInfo;
  effect: Effect;
  constraints: ActiveConstraint[];
  /** The mutation members, which change Pods and other objects before the constraints judge them; absent when there are none. */
  mutations?: ActiveMutation[];
  /** Problems in the settings; each already fell back to a default. */
  problems: string[];
}
