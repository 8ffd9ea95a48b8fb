/**
 * Custom requests between the VS Code client and the server (plain LSP otherwise).
 * Shared by both sides; holds types and method names only.
 */

/** `aksPolicy/catalog`: every initiative the server knows, with its members: the built-ins and those of the workspace folder. */
export const CatalogRequest = 'aksPolicy/catalog';

export interface CatalogParams {
  /** A document (or folder) whose workspace folder's own initiatives to list; the first folder's when omitted. */
  uri?: string;
}

export interface CatalogMember {
  referenceId: string;
  definitionId: string;
  displayName: string;
  version: string;
  /** Constraint template name, e.g. `k8sazurev2noprivilege`. */
  template: string;
  docsUrl: string;
}

export interface CatalogInitiative {
  id: string;
  /** Short name accepted by `aksPolicy.initiative` (`baseline`, `restricted`, a custom initiative's file name), when it has one. */
  alias?: string;
  displayName: string;
  version: string;
  members: CatalogMember[];
}

/** A built-in definition that `aksPolicy.policies["<name>"]` can assign on its own, beside the initiative. */
export interface CatalogDefinition {
  /** The key for `aksPolicy.policies`: the definition's file name, e.g. `ContainerAllowedImages`. */
  name: string;
  definitionId: string;
  displayName: string;
  version: string;
  template: string;
  docsUrl: string;
}

export interface CatalogResult {
  initiatives: CatalogInitiative[];
  /** Every built-in definition, newest version of each. */
  definitions: CatalogDefinition[];
}

/** `aksPolicy/activeConstraints`: what is in force for a document (or the workspace when `uri` is omitted). */
export const ActiveConstraintsRequest = 'aksPolicy/activeConstraints';

export interface ActiveConstraintsParams {
  uri?: string;
}

export interface ActiveConstraintInfo {
  referenceId: string;
  displayName: string;
  template: string;
  /** Constraint kind, e.g. `K8sAzureV2NoPrivilege`. */
  kind: string;
  effect: 'audit' | 'deny' | 'disabled';
  /** The constraint's `spec.parameters`. */
  parameters: unknown;
  match: {
    kinds: string[];
    namespaces: string[];
    excludedNamespaces: string[];
    labelSelector: unknown;
  };
}

export interface ActiveConstraintsResult {
  initiative: { id: string; displayName: string; version: string };
  effect: 'audit' | 'deny' | 'disabled';
  constraints: ActiveConstraintInfo[];
  /** Problems found in the settings (each already fell back to a default). */
  problems: string[];
}

/** Code action kind of the fix-all action. */
export const FixAllKind = 'source.fixAll.aksPolicy';

/** Diagnostic `source`. */
export const DiagnosticSource = 'AKS Policy';

/** `aksPolicy/checkWorkspace`: checks every Kubernetes YAML file of the workspace folders, open or not. No params. */
export const CheckWorkspaceRequest = 'aksPolicy/checkWorkspace';

export interface CheckWorkspaceResult {
  /** YAML files read. */
  files: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
  findings: number;
  /** Files skipped (larger than aksPolicy.maxFileSize, unreadable). */
  skipped: number;
}

/** `aksPolicy/templateTests`: whether a file is a template (or a definition naming a template file) with gator suites, for the code lens. */
export const TemplateTestsRequest = 'aksPolicy/templateTests';

export interface TemplateTestsParams {
  uri: string;
  /** The editor's text of the file (JSON definitions are not synchronised with the server). */
  text: string;
}

/** Where the lens goes and the suites it would run; null when the file has no template with a suite. */
export type TemplateTestsResult = { line: number; suites: string[] } | null;

/** `aksPolicy/testTemplate`: runs the gator suites of the template that a file is or names; failures are published on the suites. */
export const TestTemplateRequest = 'aksPolicy/testTemplate';

export interface TestTemplateParams {
  uri: string;
}

export interface TemplateTestCase {
  /** The suite file's URI. */
  suite: string;
  test: string;
  name: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
  /** 0-based line of the case in the suite. */
  line?: number;
}

export interface TestTemplateResult {
  /** The template file's URI, when the file is or names one. */
  template?: string;
  suites: string[];
  cases: TemplateTestCase[];
  passed: number;
  failed: number;
  skipped: number;
  /** Why nothing ran (an untrusted workspace, no template, no suite). */
  problem?: string;
}
