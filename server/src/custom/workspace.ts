import type { PolicyCatalog } from '../engine/catalog';
import type { Settings } from '../settings';
import { catalogWithGatekeeperPolicies } from './constraints';
import { catalogWithWorkspaceInitiatives } from './initiatives';
import { catalogWithCustomDefinitions } from './loader';
import type { FileProblem } from './problems';

export interface WorkspaceCatalog {
  catalog: PolicyCatalog;
  problems: string[];
  /** The problems at their places in the policy files. */
  fileProblems: FileProblem[];
  /** The policy files read: a change to one calls for reading them again. */
  sources: string[];
}

/**
 * `base` with the workspace folders' own policies as `settings` find them: custom definitions, Gatekeeper templates
 * and constraints, then custom initiatives (last, so that they may combine the workspace's definitions with the built-ins).
 */
export function workspaceCatalog(base: PolicyCatalog, folders: readonly string[], settings: Settings): WorkspaceCatalog {
  const definitions = catalogWithCustomDefinitions(base, folders, settings.customPolicyPaths, settings.templateEngine);
  const gatekeeper = catalogWithGatekeeperPolicies(definitions.catalog, folders, settings.constraintTemplatePaths, settings.templateEngine);
  const initiatives = catalogWithWorkspaceInitiatives(gatekeeper.catalog, folders, settings.initiativePaths);
  return {
    catalog: initiatives.catalog,
    problems: [...definitions.problems, ...gatekeeper.problems, ...initiatives.problems],
    fileProblems: [...definitions.fileProblems, ...gatekeeper.fileProblems],
    sources: [...definitions.sources, ...gatekeeper.sources],
  };
}
