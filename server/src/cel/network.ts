import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CIDR_TYPE, IP_TYPE, opaqueFields, opaqueValue, succeeds } from './opaque';

/** An address as Go's net/netip parses it: 4 bytes (IPv4) or 16 (IPv6); zones are refused before this. */
type Address = Uint8Array;

class AddressError extends Error {}

/** netip.ParseAddr's error text: `ParseAddr("x"): why (at "rest")`. */
function addressError(text: string, why: string, at?: string): AddressError {
  return new AddressError(`ParseAddr(${JSON.stringify(text)}): ${why}${at === undefined ? '' : ` (at ${JSON.stringify(at)})`}`);
}

function parseIPv4(text: string, whole: string): Address {
  const fields = text.split('.');
  if (fields.length > 4) throw addressError(whole, 'IPv4 address too long');
  if (fields.length < 4) throw addressError(whole, 'IPv4 address too short');
  return Uint8Array.from(
    fields.map((field) => {
      if (field === '') throw addressError(whole, 'IPv4 field must have at least one digit');
      if (!/^[0-9]+$/.test(field)) throw addressError(whole, 'unexpected character', field);
      if (field.length > 1 && field.startsWith('0')) throw addressError(whole, 'IPv4 field has octet with leading zero');
      const value = Number(field);
      if (value > 255) throw addressError(whole, 'IPv4 field has value >255');
      return value;
    }),
  );
}

function parseIPv6(text: string, whole: string): { address: Address; zone: string } {
  const [body, zone, ...more] = text.split('%');
  if (more.length > 0 || zone === '') throw addressError(whole, 'zone must be a non-empty string');
  const halves = body.split('::');
  if (halves.length > 2) throw addressError(whole, 'multiple :: in address');
  const groupsOf = (part: string, last: boolean): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group, index, groups) => {
      if (last && index === groups.length - 1 && group.includes('.')) {
        const v4 = parseIPv4(group, whole);
        return [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
      }
      if (group === '') throw addressError(whole, 'each colon-separated field must have at least one digit', group);
      if (!/^[0-9a-fA-F]+$/.test(group)) throw addressError(whole, 'unexpected character', group);
      if (group.length > 4) throw addressError(whole, 'IPv6 field has value >=2^16', group);
      return [parseInt(group, 16)];
    });
  };
  const head = groupsOf(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1], true) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) throw addressError(whole, halves.length === 1 && missing > 0 ? 'address string too short' : 'trailing garbage after address');
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return { address: Uint8Array.from(groups.flatMap((group) => [group >> 8, group & 0xff])), zone: zone ?? '' };
}

/** Kubernetes' parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6 address. */
function parseIP(text: string): Address {
  let parsed: { address: Address; zone: string };
  try {
    if (text === '') throw addressError(text, 'unable to parse IP');
    const colon = text.indexOf(':');
    const dot = text.indexOf('.');
    if (colon < 0 && dot < 0) throw addressError(text, 'unable to parse IP');
    parsed = colon < 0 ? { address: parseIPv4(text, text), zone: '' } : parseIPv6(text, text);
  } catch (error) {
    if (error instanceof AddressError) throw new Error(`IP Address ${JSON.stringify(text)} parse error during conversion from string: ${error.message}`);
    throw error;
  }
  if (parsed.zone !== '') throw new Error(`IP address ${JSON.stringify(text)} with zone value is not allowed`);
  if (isIPv4Mapped(parsed.address)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`);
  return parsed.address;
}

const isIPv4Mapped = (address: Address) => address.length === 16 && address.slice(0, 10).every((byte) => byte === 0) && address[10] === 0xff && address[11] === 0xff;

/** netip's text form: dotted IPv4; IPv6 in lower-case hex with the longest run (two or more) of zero groups as `::`. */
function formatAddress(address: Address): string {
  if (address.length === 4) return address.join('.');
  const groups = Array.from({ length: 8 }, (_, index) => (address[index * 2] << 8) | address[index * 2 + 1]);
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength && end - start >= 2) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((group) => group.toString(16)).join(':');
  return bestStart < 0 ? hex(0, 8) : `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

const isUnspecified = (address: Address) => address.every((byte) => byte === 0);
const isLoopback = (address: Address) => (address.length === 4 ? address[0] === 127 : address.slice(0, 15).every((byte) => byte === 0) && address[15] === 1);
const isMulticast = (address: Address) => (address.length === 4 ? (address[0] & 0xf0) === 0xe0 : address[0] === 0xff);
const isLinkLocalMulticast = (address: Address) => (address.length === 4 ? address[0] === 224 && address[1] === 0 && address[2] === 0 : address[0] === 0xff && (address[1] & 0x0f) === 0x02);
const isLinkLocalUnicast = (address: Address) => (address.length === 4 ? address[0] === 169 && address[1] === 254 : address[0] === 0xfe && (address[1] & 0xc0) === 0x80);
/** As netip (and package net): private IPv4 and unique-local IPv6 addresses count as global unicast. */
function isGlobalUnicast(address: Address): boolean {
  if (address.length === 4 && (isUnspecified(address) || address.every((byte) => byte === 255))) return false;
  return !isUnspecified(address) && !isLoopback(address) && !isMulticast(address) && !isLinkLocalUnicast(address);
}

interface Prefix {
  address: Address;
  bits: number;
}

/** Kubernetes' parseCIDR: netip.ParsePrefix (host bits may be set), then no IPv4-mapped IPv6 address. */
function parseCIDR(text: string): Prefix {
  const fail = (why: string) => new Error(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): ${why}`);
  const slash = text.lastIndexOf('/');
  if (slash < 0) throw fail("no '/'");
  const addressText = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  let address: Address;
  try {
    if (addressText.includes('%')) throw new AddressError('IPv6 zones cannot be present in a prefix');
    address = addressText.includes(':') ? parseIPv6(addressText, addressText).address : parseIPv4(addressText, addressText);
  } catch (error) {
    if (error instanceof AddressError) throw fail(error.message);
    throw error;
  }
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText) || bitsText.length > 3) throw fail(`bad bits after slash: ${JSON.stringify(bitsText)}`);
  const bits = Number(bitsText);
  if (bits > address.length * 8) throw fail(`prefix length out of range`);
  if (isIPv4Mapped(address)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`);
  return { address, bits };
}

/** cidr(): Kubernetes wraps parseCIDR's error (already saying "network address parse error…") once more. */
function cidrFromText(text: string): Prefix {
  try {
    return parseCIDR(text);
  } catch (error) {
    throw new Error(`network address parse error during conversion from string: ${(error as Error).message}`);
  }
}

function masked({ address, bits }: Prefix): Prefix {
  return { address: address.map((byte, index) => byte & (0xff << Math.max(0, Math.min(8, 8 * (index + 1) - bits))) & 0xff), bits };
}

const sameAddress = (a: Address, b: Address) => a.length === b.length && a.every((byte, index) => byte === b[index]);
const contains = (prefix: Prefix, address: Address) => prefix.address.length === address.length && sameAddress(masked(prefix).address, masked({ address, bits: prefix.bits }).address);

/**
 * Kubernetes compares the masked prefix with the other prefix's address at this prefix's length, unmasked (netip's
 * PrefixFrom keeps host bits), so a contained network only counts when its host bits beyond this length are zero.
 */
function containsPrefix(prefix: Prefix, other: Prefix): boolean {
  return sameAddress(masked(prefix).address, other.address) && prefix.bits <= other.bits;
}

const ipValue = (address: Address) => opaqueValue(IP_TYPE, { address });
const cidrValue = ({ address, bits }: Prefix) => opaqueValue(CIDR_TYPE, { address, bits });
const ipOf = (value: CelValue) => opaqueFields(IP_TYPE, value).address as Address;
const cidrOf = (value: CelValue): Prefix => {
  const fields = opaqueFields(CIDR_TYPE, value);
  return { address: fields.address as Address, bits: fields.bits as number };
};

const IP = IP_TYPE.celType;
const CIDR = CIDR_TYPE.celType;

/** Kubernetes' ip and cidr libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go). */
export const NETWORK_FUNCTIONS: readonly CelFunc[] = [
  celFunc('ip', [CelScalar.STRING], IP, (text) => ipValue(parseIP(text))),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (text) => succeeds(() => parseIP(text))),
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (text) => formatAddress(parseIP(text)) === text),
  celFunc('string', [IP], CelScalar.STRING, (value) => formatAddress(ipOf(value))),
  celMethod('family', IP, [], CelScalar.INT, function (this: CelValue) {
    return ipOf(this).length === 4 ? 4n : 6n;
  }),
  celMethod('isUnspecified', IP, [], CelScalar.BOOL, function (this: CelValue) {
    return isUnspecified(ipOf(this));
  }),
  celMethod('isLoopback', IP, [], CelScalar.BOOL, function (this: CelValue) {
    return isLoopback(ipOf(this));
  }),
  celMethod('isLinkLocalMulticast', IP, [], CelScalar.BOOL, function (this: CelValue) {
    return isLinkLocalMulticast(ipOf(this));
  }),
  celMethod('isLinkLocalUnicast', IP, [], CelScalar.BOOL, function (this: CelValue) {
    return isLinkLocalUnicast(ipOf(this));
  }),
  celMethod('isGlobalUnicast', IP, [], CelScalar.BOOL, function (this: CelValue) {
    return isGlobalUnicast(ipOf(this));
  }),
  celFunc('cidr', [CelScalar.STRING], CIDR, (text) => cidrValue(cidrFromText(text))),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (text) => succeeds(() => parseCIDR(text))),
  celFunc('string', [CIDR], CelScalar.STRING, (value) => {
    const { address, bits } = cidrOf(value);
    return `${formatAddress(address)}/${bits}`;
  }),
  celMethod('containsIP', CIDR, [IP], CelScalar.BOOL, function (this: CelValue, other) {
    return contains(cidrOf(this), ipOf(other));
  }),
  celMethod('containsIP', CIDR, [CelScalar.STRING], CelScalar.BOOL, function (this: CelValue, other: string) {
    return contains(cidrOf(this), parseIP(other));
  }),
  celMethod('containsCIDR', CIDR, [CIDR], CelScalar.BOOL, function (this: CelValue, other) {
    return containsPrefix(cidrOf(this), cidrOf(other));
  }),
  celMethod('containsCIDR', CIDR, [CelScalar.STRING], CelScalar.BOOL, function (this: CelValue, other: string) {
    return containsPrefix(cidrOf(this), cidrFromText(other));
  }),
  celMethod('ip', CIDR, [], IP, function (this: CelValue) {
    return ipValue(cidrOf(this).address);
  }),
  celMethod('prefixLength', CIDR, [], CelScalar.INT, function (this: CelValue) {
    return BigInt(cidrOf(this).bits);
  }),
  celMethod('masked', CIDR, [], CIDR, function (this: CelValue) {
    return cidrValue(masked(cidrOf(this)));
  }),
];
