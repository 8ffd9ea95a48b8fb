/**
 * Custom initiatives: the policy set definitions of the workspace (`aksPolicy.initiativePaths`), read from disk
 * and handed to the catalog, which checks and adds them (engine/catalog.ts, withWorkspaceInitiatives).
 */
import { readFileSync, statSync } from 'node:fs';
import { withWorkspaceInitiatives, type InitiativeSource, type PolicyCatalog } from '../engine/catalog';
import { findCustomPolicyFiles, MAX_POLICY_FILE_BYTES } from './loader';

/** `base` with the policy sets found under each of `folders` (a file found twice is read once), and the problems of their files. */
export function catalogWithWorkspaceInitiatives(base: PolicyCatalog, folders: readonly string[], patterns: readonly string[]): { catalog: PolicyCatalog; problems: string[] } {
  const sources: InitiativeSource[] = [];
  const problems: string[] = [];
  const files = new Set(folders.flatMap((folder) => findCustomPolicyFiles(folder, patterns)));
  for (const file of files) {
    try {
      if (statSync(file).size > MAX_POLICY_FILE_BYTES) {
        problems.push(`${file}: larger than ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MB; not read.`);
        continue;
      }
      sources.push({ file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      problems.push(`${file}: cannot be read (${error instanceof Error ? error.message : String(error)}); ignored.`);
    }
  }
  const extended = withWorkspaceInitiatives(base, sources);
  return { catalog: extended.catalog, problems: [...problems, ...extended.problems] };
}
