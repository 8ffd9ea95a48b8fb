import { BuiltinError } from '../errors';
import { RegoSet } from '../value';
import { define, stringOperand, type BuiltinTable } from './types';

/** An IPv4 or IPv6 network: its first address and prefix length, addresses as integers. */
interface Network {
  bits: 32 | 128;
  base: bigint;
  prefix: number;
}

/** The most addresses net.cidr_expand lists: a bigger network would only exhaust memory. */
const MAX_EXPANDED = 65_536;

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((sum, part) => (sum << 8n) | BigInt(part), 0n);
}

function parseIPv6(text: string): bigint | undefined {
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  let groups = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const tail = parseIPv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    groups = `${text.slice(0, lastColon + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return undefined;
  const split = (half: string) => (half === '' ? [] : half.split(':'));
  const head = split(halves[0]);
  const tail = halves.length === 2 ? split(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return all.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function parseAddress(text: string): { bits: 32 | 128; value: bigint } | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

function mask(bits: number, prefix: number): bigint {
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** `10.0.0.0/8`, `fd00::/8`; with `allowAddress`, a bare address is a network of one. Go's net.ParseCIDR rules. */
function parseNetwork(text: string, allowAddress: boolean): Network | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) {
    const address = allowAddress ? parseAddress(text) : undefined;
    return address && { bits: address.bits, base: address.value, prefix: address.bits };
  }
  const address = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText) || Number(prefixText) > address.bits) return undefined;
  const prefix = Number(prefixText);
  return { bits: address.bits, base: address.value & mask(address.bits, prefix), prefix };
}

function networkOperand(args: Parameters<typeof stringOperand>[0], index: number, allowAddress = false): Network {
  const network = parseNetwork(stringOperand(args, index), allowAddress);
  if (!network) throw new BuiltinError(`operand ${index + 1} is not a valid CIDR${allowAddress ? ' or IP address' : ''}`);
  return network;
}

function last(network: Network): bigint {
  return network.base | ((1n << BigInt(network.bits - network.prefix)) - 1n);
}

function formatAddress(value: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // Go shortens the longest run of two or more zero groups to `::`.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start === -1) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

export const netBuiltins: BuiltinTable = {
  'net.cidr_contains': define(2, (args) => {
    const outer = networkOperand(args, 0);
    const inner = networkOperand(args, 1, true);
    return outer.bits === inner.bits && inner.prefix >= outer.prefix && (inner.base & mask(outer.bits, outer.prefix)) === outer.base;
  }),
  'net.cidr_intersects': define(2, (args) => {
    const a = networkOperand(args, 0);
    const b = networkOperand(args, 1);
    return a.bits === b.bits && a.base <= last(b) && b.base <= last(a);
  }),
  'net.cidr_is_valid': define(1, (args) => typeof args[0] === 'string' && parseNetwork(args[0], false) !== undefined),
  'net.cidr_expand': define(1, (args) => {
    const network = networkOperand(args, 0);
    const size = last(network) - network.base + 1n;
    if (size > BigInt(MAX_EXPANDED)) throw new BuiltinError(`net.cidr_expand: a network of more than ${MAX_EXPANDED} addresses is not expanded`);
    return new RegoSet(Array.from({ length: Number(size) }, (_, i) => formatAddress(network.base + BigInt(i), network.bits)));
  }),
};
