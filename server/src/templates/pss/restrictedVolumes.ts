import { getPath } from '../../json';
import { culpritAt } from '../common';
import { isSet, joinQuote, pluralize, podVolumes, pssCheck, sortedSet } from './common';

/** The volume sources a restricted pod may use: ephemeral or API-backed storage, nothing from the node or the network. */
const ALLOWED_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** The other sources, in the order PSA tests them (a volume names the first it has). */
const RESTRICTED_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/**
 * Restricted: volumes use only the allowed sources; replaces hostPathVolumes. A volume without any source is
 * not flagged: the API server makes it an emptyDir before PSA sees it.
 */
export const pssRestrictedVolumes = pssCheck({
  checkId: 'restrictedVolumes',
  level: 'restricted',
  overrides: ['hostPathVolumes'],
  sourceFile: 'check_restrictedVolumes.go',
  evaluate(review) {
    const restricted = podVolumes(review).flatMap((volume) => {
      const has = (source: string) => isSet(getPath(volume.value, [source]));
      if (ALLOWED_SOURCES.some(has)) return [];
      const source = RESTRICTED_SOURCES.find(has);
      return source === undefined ? [] : [{ volume, source }];
    });
    if (restricted.length === 0) return undefined;
    const names = restricted.map(({ volume }) => volume.name);
    const sources = sortedSet(restricted.map(({ source }) => source));
    return {
      reason: 'restricted volume types',
      detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', sources.length)} ${joinQuote(sources)}`,
      culprits: restricted.map(({ volume, source }) => culpritAt([...volume.path, source])),
    };
  },
});
