import { getPath } from '../../json';
import { culpritAt } from '../common';
import { isSet, joinQuote, pluralize, podVolumes, pssCheck } from './common';

/** Baseline: no hostPath volumes. */
export const pssHostPathVolumes = pssCheck({
  checkId: 'hostPathVolumes',
  level: 'baseline',
  sourceFile: 'check_hostPathVolumes.go',
  evaluate(review) {
    const hostPathVolumes = podVolumes(review).filter((volume) => isSet(getPath(volume.value, ['hostPath'])));
    if (hostPathVolumes.length === 0) return undefined;
    return {
      reason: 'hostPath volumes',
      detail: `${pluralize('volume', 'volumes', hostPathVolumes.length)} ${joinQuote(hostPathVolumes.map((volume) => volume.name))}`,
      culprits: hostPathVolumes.map((volume) => culpritAt([...volume.path, 'hostPath'])),
    };
  },
});
