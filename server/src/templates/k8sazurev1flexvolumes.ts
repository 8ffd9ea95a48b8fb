import { getPath, isObject } from '../json';
import type { JsonObject, JsonValue } from '../json';
import { culpritAt, elementsOf, entriesOf, isTruthy, podName, regoEquals, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** Fields the API server leaves out of a stored FlexVolume when they hold their zero value (`omitempty`). */
const OMITTED_WHEN_EMPTY = ['fsType', 'secretRef', 'readOnly', 'options'];

function isEmpty(value: JsonValue): boolean {
  return value === null || value === '' || value === false || (isObject(value) && Object.keys(value).length === 0);
}

/** A volume as the API server stores it and the message prints it. */
function servedVolume(volume: JsonObject): JsonObject {
  const flexVolume = volume.flexVolume;
  if (!isObject(flexVolume)) return volume;
  const served = Object.fromEntries(Object.entries(flexVolume).filter(([key, value]) => !(OMITTED_WHEN_EMPTY.includes(key) && isEmpty(value))));
  if (served.driver === null) served.driver = '';
  return { ...volume, flexVolume: served };
}

/**
 * Flags each FlexVolume volume (mounted or not) whose driver is not in `allowedFlexVolumeDrivers`.
 * The message prints the whole volume. Without the parameter nothing is flagged. There are no
 * container or image exclusions and no Windows skip.
 */
export const k8sazurev1flexvolumes: ConstraintTemplate = {
  name: 'k8sazurev1flexvolumes',
  kind: 'K8sAzureV1FlexVolumes',
  storeUrl: storeUrl('flexvolume-drivers', 'v1'),
  check(review, parameters) {
    const allowedParameter = getPath(parameters, ['allowedFlexVolumeDrivers']);
    const violations = new ViolationSet();
    for (const [key, volume] of entriesOf(getPath(review.object, ['spec', 'volumes']))) {
      if (!isObject(volume) || !isTruthy(volume.flexVolume)) continue;
      const served = servedVolume(volume);
      const driver = getPath(served, ['flexVolume', 'driver']);
      if (driver !== undefined && elementsOf(allowedParameter).some((allowed) => regoEquals(allowed, driver))) continue;
      const message = sprintf('FlexVolume %v is not allowed, pod: %v. Allowed drivers: %v', [served, podName(review), allowedParameter]);
      if (message === undefined) continue;
      const volumePath = ['spec', 'volumes', key];
      // Another driver means other storage: no fix.
      violations.add(message, culpritAt([...volumePath, 'flexVolume', 'driver'], [...volumePath, 'flexVolume']));
    }
    return violations.toArray();
  },
};
