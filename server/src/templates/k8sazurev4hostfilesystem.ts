import { getPath } from '../json';
import type { JsonValue } from '../json';
import { isWindowsPod, storeUrl } from './common';
import { hostPathViolations, pathMatches } from './k8sazurev3hostfilesystem';
import type { ConstraintTemplate } from './types';

/** `C:\var\log` as `c:/var/log`: Windows takes either separator and ignores letter case. */
function asPortableWindowsPath(path: JsonValue | undefined): JsonValue | undefined {
  return typeof path === 'string' ? path.replaceAll('\\', '/').toLowerCase() : path;
}

/** Segment-wise prefix matching of Windows paths, so that `C:\` allows every path on drive C. */
function windowsPathMatches(prefix: JsonValue | undefined, path: JsonValue | undefined): boolean {
  return pathMatches(asPortableWindowsPath(prefix), asPortableWindowsPath(path));
}

/**
 * allowed-host-paths/v4 (no copy published; see README, Inferred semantics): v3's rule and
 * messages for Linux pods, and the same rule for pods pinned to Windows, which v3 skipped,
 * against `windowsAllowedHostPaths`.
 */
export const k8sazurev4hostfilesystem: ConstraintTemplate = {
  name: 'k8sazurev4hostfilesystem',
  kind: 'K8sAzureV4HostFilesystem',
  storeUrl: storeUrl('allowed-host-paths', 'v4'),
  check(review, parameters) {
    return isWindowsPod(review)
      ? hostPathViolations(review, parameters, getPath(parameters, ['windowsAllowedHostPaths']), windowsPathMatches)
      : hostPathViolations(review, parameters, getPath(parameters, ['allowedHostPaths']), pathMatches);
  },
};
