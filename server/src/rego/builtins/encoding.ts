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
};

