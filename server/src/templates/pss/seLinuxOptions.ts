import type { Path } from '../../json';
import { culpritAt } from '../common';
import type { Review } from '../types';
import { containersPhrase, goString, isSet, joinQuote, pluralize, podContainers, podSecurityContextPath, pssCheck, securityContextPath, sortedSet, valueAt } from './common';

/** The SELinux types a container may run as (policy 1.31+); "" keeps the runtime's default. */
const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** What is wrong with one seLinuxOptions: a forbidden type, a user, a role; with the fields to point at. */
interface ForbiddenOptions {
  type?: string;
  setsUser: boolean;
  setsRole: boolean;
  paths: Path[];
}

function forbiddenOptionsAt(review: Review, path: Path): ForbiddenOptions | undefined {
  if (!isSet(valueAt(review, path))) return undefined;
  const forbidden: ForbiddenOptions = { setsUser: false, setsRole: false, paths: [] };
  const type = goString(valueAt(review, [...path, 'type']));
  if (!ALLOWED_TYPES.has(type)) {
    forbidden.type = type;
    forbidden.paths.push([...path, 'type']);
  }
  if (goString(valueAt(review, [...path, 'user'])) !== '') {
    forbidden.setsUser = true;
    forbidden.paths.push([...path, 'user']);
  }
  if (goString(valueAt(review, [...path, 'role'])) !== '') {
    forbidden.setsRole = true;
    forbidden.paths.push([...path, 'role']);
  }
  return forbidden.paths.length > 0 ? forbidden : undefined;
}

/** Baseline: seLinuxOptions may set only an allowed type (and a level), never a user or a role. */
export const pssSeLinuxOptions = pssCheck({
  checkId: 'seLinuxOptions',
  level: 'baseline',
  sourceFile: 'check_seLinuxOptions.go',
  evaluate(review) {
    const podOptions = forbiddenOptionsAt(review, podSecurityContextPath('seLinuxOptions'));
    const containerOptions = podContainers(review).flatMap((container) => {
      const options = forbiddenOptionsAt(review, securityContextPath(container, 'seLinuxOptions'));
      return options ? [{ container, ...options }] : [];
    });
    const setters: string[] = [];
    if (podOptions) setters.push('pod');
    if (containerOptions.length > 0) setters.push(containersPhrase(containerOptions.map(({ container }) => container)));
    if (setters.length === 0) return undefined;

    const all = [...(podOptions ? [podOptions] : []), ...containerOptions];
    const types = sortedSet(all.flatMap(({ type }) => (type === undefined ? [] : [type])));
    const problems: string[] = [];
    if (types.length > 0) problems.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (all.some(({ setsUser }) => setsUser)) problems.push('user may not be set');
    if (all.some(({ setsRole }) => setsRole)) problems.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${problems.join('; ')}`,
      culprits: all.flatMap(({ paths }) => paths.map((path) => culpritAt(path))),
    };
  },
});
