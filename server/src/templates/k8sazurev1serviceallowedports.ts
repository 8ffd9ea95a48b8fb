import { getPath, type JsonValue } from '../json';
import { culpritAt, elementsOf, entriesOf, regoRegexMatch, sprintf, storeUrl, ViolationSet } from './common';
import type { ConstraintTemplate } from './types';

/** The Rego's VALID_PORT_RANGE, matched anywhere in the entry as re_match does. */
const PORT_RANGE = '[0-9]+-[0-9]+';

/** OPA's `to_number` on a string: what Go's strconv.ParseFloat accepts (the forms a port list can hold). */
function toNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** `within_port_range`: an entry like "4000-5000" holds a range, any other entry must equal the port's text. */
function allows(allowedPort: JsonValue, portText: string): boolean {
  if (regoRegexMatch(PORT_RANGE, allowedPort) === true && typeof allowedPort === 'string') {
    const [low, high] = allowedPort.split('-').map(toNumber);
    const port = Number(portText);
    return low !== undefined && high !== undefined && port >= low && port <= high;
  }
  return allowedPort === portText;
}

/**
 * Flags each Service port whose `port` is not listed in `allowedPorts` (strings: a port such as "443", or a
 * range such as "4000-5000"). The cluster's own `kubernetes` Service in `default` is left alone.
 */
export const k8sazurev1serviceallowedports: ConstraintTemplate = {
  name: 'k8sazurev1serviceallowedports',
  kind: 'K8sAzureV1ServiceAllowedPorts',
  storeUrl: storeUrl('service-allowed-ports', 'v1'),
  check(review, parameters) {
    const name = getPath(review.object, ['metadata', 'name']);
    if (getPath(review.object, ['metadata', 'namespace']) === 'default' && name === 'kubernetes') return [];
    const allowedPorts = elementsOf(getPath(parameters, ['allowedPorts']));
    const violations = new ViolationSet();
    for (const [index, port] of entriesOf(getPath(review.object, ['spec', 'ports']))) {
      const number = getPath(port, ['port']);
      // format_int(port.port, 10) reads only numbers, rounding toward zero.
      if (typeof number !== 'number') continue;
      const portText = String(Math.trunc(number));
      if (allowedPorts.some((allowedPort) => allows(allowedPort, portText))) continue;
      const message = sprintf('Port %v for service %v has not been allowed.', [portText, name]);
      if (message !== undefined) violations.add(message, culpritAt(['spec', 'ports', index, 'port']));
    }
    return violations.toArray();
  },
};
