import type { JsonObject } from '../json';
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
  /** Problems in the settings; each already fell back to a default. */
  problems: string[];
}
