import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from './exclude';

/** Folders that never hold a team's manifests and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * The YAML files below `root` (depth-first, sorted), leaving out hidden and dependency folders and
 * whatever matches `exclude` (globs relative to `root`).
 */
export function findYamlFiles(root: string, exclude: readonly string[]): string[] {
  const patterns = exclude.map(globToRegExp);
  const files: string[] = [];
  const walk = (dir: string, relative: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative ? `${relative}/${name}` : name;
      if (patterns.some((pattern) => pattern.test(rel))) continue;
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) {
        if (!SKIPPED_FOLDERS.has(name) && !name.startsWith('.')) walk(path, rel);
      } else if (/\.ya?ml$/i.test(name)) files.push(path);
    }
  };
  walk(root, '');
  return files;
}
