import { culpritAt, fixIfApplicable, removeFix } from '../common';
import type { Culprit, FixProposal, Review } from '../types';
import { containersPhrase, goString, isSet, isWindowsPod, itemsAt, joinQuote, podContainers, pssCheck, securityContextPath, sortedSet, valueAt } from './common';
import type { PodContainer } from './common';

/** The one capability a restricted container may add back. */
const ALLOWED_ADDITION = 'NET_BIND_SERVICE';

/**
 * `drop: [ALL]`: set when there is no list; otherwise the first entry becomes ALL, which covers whatever it dropped
 * (a whole list cannot be replaced in place).
 */
function dropAllFix(review: Review, container: PodContainer): FixProposal | undefined {
  const dropPath = securityContextPath(container, 'capabilities', 'drop');
  const drop = valueAt(review, dropPath);
  if (!isSet(drop)) return fixIfApplicable(review.object, 'Drop ALL capabilities', true, [{ op: 'set', path: dropPath, value: ['ALL'] }]);
  if (!Array.isArray(drop) || drop.length === 0) return undefined;
  return fixIfApplicable(review.object, 'Drop ALL capabilities', true, [{ op: 'set', path: [...dropPath, 0], value: 'ALL' }]);
}

/** Restricted: every container drops ALL and adds back NET_BIND_SERVICE at most; replaces capabilities_baseline. Windows pods are exempt (policy 1.25+). */
export const pssCapabilitiesRestricted = pssCheck({
  checkId: 'capabilities_restricted',
  level: 'restricted',
  overrides: ['capabilities_baseline'],
  sourceFile: 'check_capabilities_restricted.go',
  evaluate(review) {
    if (isWindowsPod(review)) return undefined;
    const notDroppingAll: PodContainer[] = [];
    const adding: PodContainer[] = [];
    const added: string[] = [];
    const dropCulprits: Culprit[] = [];
    const addCulprits: Culprit[] = [];
    for (const container of podContainers(review)) {
      const dropPath = securityContextPath(container, 'capabilities', 'drop');
      if (!itemsAt(review, dropPath).some((capability) => capability === 'ALL')) {
        notDroppingAll.push(container);
        dropCulprits.push(culpritAt(dropPath, [...container.path, 'name'], [dropAllFix(review, container)]));
      }
      const addPath = securityContextPath(container, 'capabilities', 'add');
      let addsForbidden = false;
      itemsAt(review, addPath).forEach((item, index) => {
        const capability = goString(item);
        if (capability === ALLOWED_ADDITION) return;
        addsForbidden = true;
        added.push(capability);
        const itemPath = [...addPath, index];
        addCulprits.push(culpritAt(itemPath, undefined, [removeFix(`Do not add ${capability}`, itemPath)]));
      });
      if (addsForbidden) adding.push(container);
    }
    const details: string[] = [];
    if (notDroppingAll.length > 0) details.push(`${containersPhrase(notDroppingAll)} must set securityContext.capabilities.drop=["ALL"]`);
    if (adding.length > 0) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`);
    if (details.length === 0) return undefined;
    return { reason: 'unrestricted capabilities', detail: details.join('; '), culprits: [...dropCulprits, ...addCulprits] };
  },
});
