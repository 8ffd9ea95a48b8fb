import { createHash } from 'node:crypto';
import { parseDocument, stringify } from 'yaml';
import { BuiltinError } from '../errors';
import { compareStrings, fromJson, toJson, type Value } from '../value';
import type { JsonValue } from '../../json';
import { define, stringOperand, type BuiltinTable } from './types';

/** Go's json.Marshal: keys sorted, and <, >, & and the line separators escaped as Go escapes them for HTML safety. */
function goJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return escapeForHtml(JSON.stringify(value));
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const keys = Object.keys(value).sort(compareStrings);
  return `{${keys.map((key) => `${escapeForHtml(JSON.stringify(key))}:${goJson(value[key])}`).join(',')}}`;
}

function escapeForHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function parseJson(text: string): Value {
  try {
    return fromJson(JSON.parse(text) as JsonValue);
  } catch {
    throw new BuiltinError('json.unmarshal: invalid JSON');
  }
}

export const encodingBuiltins: BuiltinTable = {
  'json.marshal': define(1, (args) => goJson(toJson(args[0]))),
  'json.unmarshal': define(1, (args) => parseJson(stringOperand(args, 0))),
  'json.is_valid': define(1, (args) => {
    if (typeof args[0] !== 'string') return false;
    try {
      JSON.parse(args[0]);
      return true;
    } catch {
      return false;
    }
  }),
  'base64.encode': define(1, (args) => Buffer.from(stringOperand(args, 0), 'utf8').toString('base64')),
  'base64.decode': define(1, (args) => {
    const text = stringOperand(args, 0);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new BuiltinError('base64.decode: illegal base64 data');
    return Buffer.from(text, 'base64').toString('utf8');
  }),
  'base64.is_valid': define(1, (args) => typeof args[0] === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(args[0]) && args[0].length % 4 === 0),
  'base64url.encode': define(1, (args) => Buffer.from(stringOperand(args, 0), 'utf8').toString('base64url').padEnd(Math.ceil(Buffer.byteLength(stringOperand(args, 0)) / 3) * 4, '=')),
  'base64url.encode_no_pad': define(1, (args) => Buffer.from(stringOperand(args, 0), 'utf8').toString('base64url')),
  'base64url.decode': define(1, (args) => {
    const text = stringOperand(args, 0);
    // Padding is optional, as Go's RawURLEncoding fallback in OPA allows.
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw new BuiltinError('base64url.decode: illegal base64 data');
    return Buffer.from(text, 'base64url').toString('utf8');
  }),
  'hex.encode': define(1, (args) => Buffer.from(stringOperand(args, 0), 'utf8').toString('hex')),
  'hex.decode': define(1, (args) => {
    const text = stringOperand(args, 0);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new BuiltinError('hex.decode: invalid hex data');
    return Buffer.from(text, 'hex').toString('utf8');
  }),
  // Hashes of the string's UTF-8 bytes, as lowercase hex.
  'crypto.md5': define(1, (args) => createHash('md5').update(stringOperand(args, 0), 'utf8').digest('hex')),
  'crypto.sha1': define(1, (args) => createHash('sha1').update(stringOperand(args, 0), 'utf8').digest('hex')),
  'crypto.sha256': define(1, (args) => createHash('sha256').update(stringOperand(args, 0), 'utf8').digest('hex')),
  // OPA marshals through JSON (sigs.k8s.io/yaml): keys sorted, sets as sorted lists.
  'yaml.marshal': define(1, (args) => stringify(toJson(args[0]), { sortMapEntries: true, indentSeq: false })),
  'yaml.unmarshal': define(1, (args) => fromJson(parseYaml(stringOperand(args, 0)))),
  'yaml.is_valid': define(1, (args) => {
    if (typeof args[0] !== 'string') return false;
    try {
      parseYaml(args[0]);
      return true;
    } catch {
      return false;
    }
  }),
};

/** One YAML document as JSON; an error, a second document or a value JSON cannot hold is a built-in error. */
function parseYaml(text: string): JsonValue {
  const document = parseDocument(text, { uniqueKeys: true, merge: true });
  if (document.errors.length > 0) throw new BuiltinError(`yaml.unmarshal: ${document.errors[0].message}`);
  const json = document.toJS({ maxAliasCount: 100 }) as unknown;
  return (json === undefined ? null : JSON.parse(JSON.stringify(json))) as JsonValue;
}
