import { BuiltinError } from '../errors';
import type { Value } from '../value';
import { define, integerOperand, numberOperand, stringOperand, type BuiltinTable } from './types';

/**
 * OPA's time built-ins over nanoseconds since the epoch. Numbers are doubles, so nanoseconds of today's dates are
 * exact to about a quarter microsecond; calendar fields are computed from milliseconds.
 */

const NS_PER_MS = 1e6;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Calendar fields of an instant in a time zone ("UTC", "" or an IANA name such as "Europe/Paris"). */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function fieldsAt(ns: number, zone: string): Fields {
  const ms = Math.floor(ns / NS_PER_MS);
  if (zone === 'UTC' || zone === '') {
    const date = new Date(ms);
    if (Number.isNaN(date.getTime())) throw new BuiltinError('time: the instant is out of range');
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), weekday: date.getUTCDay() };
  }
  let parts: Intl.DateTimeFormatPart[];
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'long' });
    parts = format.formatToParts(new Date(ms));
  } catch {
    throw new BuiltinError(`time: unknown time zone ${zone}`);
  }
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')), hour: Number(part('hour')), minute: Number(part('minute')), second: Number(part('second')), weekday: WEEKDAYS.indexOf(part('weekday')) };
}

/** An operand of time.date, clock, weekday and diff: nanoseconds, or [nanoseconds, zone] ("Local" is UTC here). */
function instantOperand(args: Value[], index = 0): Fields {
  const value = args[index];
  if (Array.isArray(value)) {
    if (value.length !== 2 || typeof value[0] !== 'number' || typeof value[1] !== 'string') throw new BuiltinError(`operand ${index + 1} must be a number or [number, string]`);
    return fieldsAt(value[0], value[1] === 'Local' ? 'UTC' : value[1]);
  }
  return fieldsAt(numberOperand(args, index), 'UTC');
}

function nanosecondsOf(value: Value): number {
  return Array.isArray(value) ? (value[0] as number) : (value as number);
}

/** An RFC 3339 timestamp, with nanosecond fractions, as Go's time.Parse(time.RFC3339, …) reads it. */
function parseRfc3339(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) throw new BuiltinError(`time.parse_rfc3339_ns: cannot parse ${JSON.stringify(text)}`);
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  return instant(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(9, '0')), zoneOffsetMinutes(zone));
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).replace(':', '').match(/\d{2}/g) as string[];
  return sign * (Number(hours) * 60 + Number(minutes));
}

/** Nanoseconds since the epoch of a wall-clock time at a UTC offset; fields out of range are errors, as in Go. */
function instant(year: number, month: number, day: number, hour: number, minute: number, second: number, nanos: number, offsetMinutes: number): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw new BuiltinError('time: a field is out of range');
  return (ms - offsetMinutes * 60_000) * NS_PER_MS + nanos;
}

/** Go layouts (reference time Mon Jan 2 15:04:05 MST 2006), the elements templates use. */
const LAYOUT_ELEMENTS = ['January', 'Monday', '-07:00', 'Z07:00', '-0700', 'Z0700', '2006', '.000000000', '.000000', '.000', 'Jan', 'Mon', 'MST', '01', '02', '_2', '15', '03', '04', '05', '06', 'PM', '1', '2', '3', '4', '5', '-07'];

/** Go's time.Parse for the common layout elements; anything else in the layout must match literally. */
function parseWithLayout(layout: string, text: string): number {
  const fields = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0, pm: undefined as boolean | undefined };
  let rest = text;
  const take = (pattern: RegExp): string => {
    const match = pattern.exec(rest);
    if (!match) throw new BuiltinError(`time.parse_ns: cannot parse ${JSON.stringify(text)} as ${JSON.stringify(layout)}`);
    rest = rest.slice(match[0].length);
    return match[0];
  };
  for (let i = 0; i < layout.length; ) {
    const element = LAYOUT_ELEMENTS.find((candidate) => layout.startsWith(candidate, i));
    if (!element) {
      take(new RegExp(`^${layout[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      i++;
      continue;
    }
    i += element.length;
    switch (element) {
      case '2006': fields.year = Number(take(/^\d{4}/)); break;
      case '06': fields.year = 2000 + Number(take(/^\d{2}/)); if (fields.year >= 2069) fields.year -= 100; break;
      case '01': case '1': fields.month = Number(take(element === '01' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case 'January': case 'Jan': {
        const name = take(element === 'January' ? /^[A-Za-z]+/ : /^[A-Za-z]{3}/);
        fields.month = MONTHS.findIndex((month) => (element === 'January' ? month : month.slice(0, 3)).toLowerCase() === name.toLowerCase()) + 1;
        if (fields.month === 0) throw new BuiltinError(`time.parse_ns: bad month ${name}`);
        break;
      }
      case '02': case '2': case '_2': fields.day = Number(take(element === '02' ? /^\d{2}/ : element === '_2' ? /^[ \d]\d/ : /^\d{1,2}/).trim()); break;
      case 'Monday': take(/^[A-Za-z]+/); break;
      case 'Mon': take(/^[A-Za-z]{3}/); break;
      case '15': fields.hour = Number(take(/^\d{1,2}/)); break;
      case '03': case '3': fields.hour = Number(take(element === '03' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case '04': case '4': fields.minute = Number(take(element === '04' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case '05': case '5': fields.second = Number(take(element === '05' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case 'PM': fields.pm = take(/^(AM|PM)/i).toUpperCase() === 'PM'; break;
      case '.000': case '.000000': case '.000000000': fields.nanos = Number(take(new RegExp(`^\\.\\d{${element.length - 1}}`)).slice(1).padEnd(9, '0')); break;
      case 'MST': take(/^[A-Z]{3,4}|^[+-]\d+/); break;
      default: {
        // Zone offsets; a Z… layout also takes "Z" for UTC.
        if (element.startsWith('Z') && /^Z/.test(rest)) {
          take(/^Z/);
          break;
        }
        const pattern = element.endsWith(':00') ? /^[+-]\d{2}:\d{2}/ : element.length === 3 ? /^[+-]\d{2}/ : /^[+-]\d{4}/;
        const offset = take(pattern);
        fields.offset = zoneOffsetMinutes(offset.length === 3 ? `${offset}00` : offset);
      }
    }
    // Go also accepts fractional seconds after 05 when the layout has none.
    if ((element === '05' || element === '5') && /^\.\d/.test(rest) && !layout.startsWith('.', i)) fields.nanos = Number(take(/^\.\d{1,9}/).slice(1).padEnd(9, '0'));
  }
  if (rest !== '') throw new BuiltinError(`time.parse_ns: extra text ${JSON.stringify(rest)}`);
  if (fields.pm !== undefined) {
    if (fields.hour < 1 || fields.hour > 12) throw new BuiltinError('time.parse_ns: hour out of range');
    fields.hour = (fields.hour % 12) + (fields.pm ? 12 : 0);
  }
  return instant(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.nanos, fields.offset);
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration: "1h30m", "-1.5s", "300ms", "0". */
function parseDuration(text: string): number {
  const match = /^([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!match) throw new BuiltinError(`time.parse_duration_ns: invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  for (const [, amount, unit] of match[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS[unit];
  return match[1] === '-' ? -total : total;
}

/** Go's Time.AddDate: fields are added, then the date is normalised (Jan 31 + 1 month is Mar 2 or 3). */
function addDate(ns: number, years: number, months: number, days: number): number {
  const ms = Math.floor(ns / NS_PER_MS);
  const date = new Date(ms);
  const shifted = Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth() + months, date.getUTCDate() + days, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return shifted * NS_PER_MS + (ns - ms * NS_PER_MS);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** OPA's time.diff: the calendar difference [years, months, days, hours, minutes, seconds], always non-negative. */
function diff(args: Value[]): number[] {
  const [first, second] = [instantOperand(args, 0), instantOperand(args, 1)];
  const [early, late] = nanosecondsOf(args[0]) <= nanosecondsOf(args[1]) ? [first, second] : [second, first];
  let year = late.year - early.year;
  let month = late.month - early.month;
  let day = late.day - early.day;
  let hour = late.hour - early.hour;
  let minute = late.minute - early.minute;
  let seconds = late.second - early.second;
  // Borrow from the next larger field, as OPA does (days from the month before the later date).
  if (seconds < 0) {
    seconds += 60;
    minute--;
  }
  if (minute < 0) {
    minute += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    day += daysIn(late.year, late.month - 1);
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, minute, seconds];
}

export const timeBuiltins: BuiltinTable = {
  // The same instant for the whole evaluation, as in OPA.
  'time.now_ns': define(0, (_args, context) => context.nowNanoseconds),
  'time.parse_rfc3339_ns': define(1, (args) => parseRfc3339(stringOperand(args, 0))),
  'time.parse_ns': define(2, (args) => parseWithLayout(stringOperand(args, 0), stringOperand(args, 1))),
  'time.parse_duration_ns': define(1, (args) => parseDuration(stringOperand(args, 0))),
  'time.date': define(1, (args) => {
    const { year, month, day } = instantOperand(args);
    return [year, month, day];
  }),
  'time.clock': define(1, (args) => {
    const { hour, minute, second } = instantOperand(args);
    return [hour, minute, second];
  }),
  'time.weekday': define(1, (args) => WEEKDAYS[instantOperand(args).weekday]),
  'time.add_date': define(4, (args) => addDate(numberOperand(args, 0), integerOperand(args, 1), integerOperand(args, 2), integerOperand(args, 3))),
  'time.diff': define(2, diff),
  // Tracing is a no-op here; the call itself is true, as in OPA.
  trace: define(1, () => true),
};
