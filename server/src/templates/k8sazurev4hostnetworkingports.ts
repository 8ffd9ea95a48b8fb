import { getPath } from '../json';
import type { JsonValue } from '../json';
import { elementsOf, storeUrl } from './common';
import { checkHostNetworkingPorts } from './k8sazurev3hostnetworkingports';
import type { ConstraintTemplate } from './types';

/** An `allowedHostPorts` entry: a port (`80` or `"80"`) or an inclusive range (`"3000-5000"`). Anything else allows nothing. */
function allowsPort(entry: JsonValue, port: number): boolean {
  if (typeof entry === 'number') return entry === port;
  if (typeof entry !== 'string') return false;
  const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(entry);
  if (!range) return false;
  const low = Number(range[1]);
  const high = range[2] === undefined ? low : Number(range[2]);
  return low <= port && port <= high;
}

/** A hostPort uses the host's network unless it is absent or 0 (the API server's "no host port"). */
function isAllowedHostPort(hostPort: JsonValue | undefined, allowedHostPorts: JsonValue | undefined): boolean {
  if (hostPort === undefined || hostPort === 0) return true;
  return typeof hostPort === 'number' && elementsOf(allowedHostPorts).some((entry) => allowsPort(entry, hostPort));
}

/**
 * host-network-ports/v4 (no copy published; see README, Inferred semantics): v3's rule with the
 * port range replaced by the list `allowedHostPorts`, and v3's message.
 */
export const k8sazurev4hostnetworkingports: ConstraintTemplate = {
  name: 'k8sazurev4hostnetworkingports',
  kind: 'K8sAzureV4HostNetworkingPorts',
  storeUrl: storeUrl('host-network-ports', 'v4'),
  check: checkHostNetworkingPorts((hostPort, parameters) => isAllowedHostPort(hostPort, getPath(parameters, ['allowedHostPorts']))),
};
