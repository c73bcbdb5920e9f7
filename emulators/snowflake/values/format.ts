/**
 * Stored value to text, as TO_VARCHAR and casts to VARCHAR produce it: Snowflake format models for
 * dates, times and timestamps (YYYY, MM, MON, DD, DY, HH24, HH12, AM, MI, SS, FF0-9, TZH, TZM,
 * "literal"), the session's *_OUTPUT_FORMAT parameters when no model is given. Pure.
 */
import { parseCanonicalJson } from './json-text';
import { unsupported } from '../errors';
import type { SnowflakeType } from '../types';
import { civilFromDays, NS_PER_MINUTE, splitDays, weekday, zoneOffsetMinutes } from './calendar';
import { formatFloatDefault, formatFloatModel } from './float-text';
import { formatUnscaled, unpackTz, type Stored } from './parse';

/** The session parameters that decide how values print. */
export interface OutputParameters {
  TIMEZONE: string;
  TIMESTAMP_OUTPUT_FORMAT: string;
  TIMESTAMP_NTZ_OUTPUT_FORMAT: string;
  TIMESTAMP_LTZ_OUTPUT_FORMAT: string;
  TIMESTAMP_TZ_OUTPUT_FORMAT: string;
  DATE_OUTPUT_FORMAT: string;
  TIME_OUTPUT_FORMAT: string;
  BINARY_OUTPUT_FORMAT: string;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface DateTimeFields {
  days: number;
  nsOfDay: bigint;
  offsetMinutes: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Longest element first, so that HH24 wins over HH and MMMM over MM. */
const ELEMENTS = [
  'YYYY',
  'MMMM',
  'HH24',
  'HH12',
  'TZHTZM',
  'TZH',
  'TZM',
  'YY',
  'MON',
  'MM',
  'DY',
  'DD',
  'HH',
  'AM',
  'PM',
  'MI',
  'SS',
  'FF',
];

type ModelPart = { literal: string } | { element: string; digits: number };

/** A format model split into literals and elements once, since every value of a column shares it. */
const parsedModels = new Map<string, ModelPart[]>();

function parseModel(model: string): ModelPart[] {
  const cached = parsedModels.get(model);
  if (cached) return cached;
  const parts: ModelPart[] = [];
  let i = 0;
  while (i < model.length) {
    if (model[i] === '"') {
      const close = model.indexOf('"', i + 1);
      const end = close < 0 ? model.length : close;
      parts.push({ literal: model.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const rest = model.slice(i).toUpperCase();
    const element = ELEMENTS.find((e) => rest.startsWith(e));
    if (!element) {
      parts.push({ literal: model[i]! });
      i += 1;
      continue;
    }
    i += element.length;
    // FF alone means nine digits; FF0-FF9 cut the nanoseconds to that many.
    let digits = 9;
    if (element === 'FF' && /^[0-9]/.test(model[i] ?? '')) {
      digits = Number(model[i]);
      i += 1;
    }
    parts.push({ element, digits });
  }
  if (parsedModels.size > 100) parsedModels.clear();
  parsedModels.set(model, parts);
  return parts;
}

export function formatDateTime(f: DateTimeFields, model: string): string {
  const { year, month, day } = civilFromDays(f.days);
  const secondsOfDay = Number(f.nsOfDay / 1_000_000_000n);
  const nanos = Number(f.nsOfDay % 1_000_000_000n);
  const hour = Math.floor(secondsOfDay / 3600);
  const minute = Math.floor((secondsOfDay % 3600) / 60);
  const second = secondsOfDay % 60;
  const sign = f.offsetMinutes < 0 ? '-' : '+';
  const offHours = pad(Math.floor(Math.abs(f.offsetMinutes) / 60), 2);
  const offMinutes = pad(Math.abs(f.offsetMinutes) % 60, 2);
  let out = '';
  for (const part of parseModel(model)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    switch (part.element) {
      case 'YYYY':
        out += pad(year, 4);
        break;
      case 'YY':
        out += pad(year % 100, 2);
        break;
      case 'MMMM':
        out += MONTH_NAMES[month - 1];
        break;
      case 'MON':
        out += MONTH_NAMES[month - 1]!.slice(0, 3);
        break;
      case 'MM':
        out += pad(month, 2);
        break;
      case 'DY':
        out += DAY_NAMES[weekday(f.days)];
        break;
      case 'DD':
        out += pad(day, 2);
        break;
      case 'HH24':
      case 'HH':
        out += pad(hour, 2);
        break;
      case 'HH12':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case 'AM':
      case 'PM':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'MI':
        out += pad(minute, 2);
        break;
      case 'SS':
        out += pad(second, 2);
        break;
      case 'FF':
        out += pad(nanos, 9).slice(0, part.digits);
        break;
      case 'TZHTZM':
        out += `${sign}${offHours}${offMinutes}`;
        break;
      case 'TZH':
        out += `${sign}${offHours}`;
        break;
      case 'TZM':
        out += offMinutes;
        break;
    }
  }
  return out;
}

/** The output format a type uses when no model is given (TZ and LTZ fall back to TIMESTAMP_OUTPUT_FORMAT). */
function defaultModel(type: SnowflakeType, p: OutputParameters): string {
  switch (type.kind) {
    case 'DATE':
      return p.DATE_OUTPUT_FORMAT;
    case 'TIME':
      return p.TIME_OUTPUT_FORMAT;
    case 'TIMESTAMP_NTZ':
      return p.TIMESTAMP_NTZ_OUTPUT_FORMAT || p.TIMESTAMP_OUTPUT_FORMAT;
    case 'TIMESTAMP_LTZ':
      return p.TIMESTAMP_LTZ_OUTPUT_FORMAT || p.TIMESTAMP_OUTPUT_FORMAT;
    case 'TIMESTAMP_TZ':
      return p.TIMESTAMP_TZ_OUTPUT_FORMAT || p.TIMESTAMP_OUTPUT_FORMAT;
    default:
      return '';
  }
}

/** Days, time of day and offset of a stored date, time or timestamp. */
export function dateTimeFields(type: SnowflakeType, value: Stored, timezone: string): DateTimeFields {
  switch (type.kind) {
    case 'DATE':
      return { days: value as number, nsOfDay: 0n, offsetMinutes: 0 };
    case 'TIME':
      return { days: 0, nsOfDay: value as bigint, offsetMinutes: 0 };
    case 'TIMESTAMP_NTZ':
      return { ...splitDays(value as bigint), offsetMinutes: 0 };
    case 'TIMESTAMP_LTZ': {
      const offsetMinutes = zoneOffsetMinutes(timezone, value as bigint);
      return { ...splitDays((value as bigint) + BigInt(offsetMinutes) * NS_PER_MINUTE), offsetMinutes };
    }
    case 'TIMESTAMP_TZ': {
      const { instantNs, offsetMinutes } = unpackTz(value as bigint);
      return { ...splitDays(instantNs + BigInt(offsetMinutes) * NS_PER_MINUTE), offsetMinutes };
    }
    default:
      throw new Error(`${type.kind} is not a date or time`);
  }
}

/** TO_VARCHAR(value [, model]) for every type. */
export function toVarchar(
  type: SnowflakeType,
  value: Stored,
  model: string | undefined,
  p: OutputParameters,
): string {
  switch (type.kind) {
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      const chosen = model === undefined || model.toUpperCase() === 'AUTO' ? defaultModel(type, p) : model;
      return formatDateTime(dateTimeFields(type, value, p.TIMEZONE), chosen);
    }
    case 'NUMBER':
      if (model !== undefined) throw unsupported('TO_VARCHAR of a number with a format model');
      return formatUnscaled(value as bigint, type.scale);
    case 'FLOAT':
      return model === undefined
        ? formatFloatDefault(value as number)
        : formatFloatModel(value as number, model);
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'BINARY': {
      const format = (model ?? p.BINARY_OUTPUT_FORMAT).toUpperCase();
      const bytes = Buffer.from(value as Uint8Array);
      if (format === 'BASE64') return bytes.toString('base64');
      if (format === 'UTF8' || format === 'UTF-8') return bytes.toString('utf8');
      return bytes.toString('hex').toUpperCase();
    }
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY': {
      const parsed = parseCanonicalJson(value as string);
      return typeof parsed === 'string' ? parsed : (value as string);
    }
    case 'TEXT':
      return value as string;
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      // GEOGRAPHY_OUTPUT_FORMAT / GEOMETRY_OUTPUT_FORMAT (GeoJSON by default) is not implemented.
      throw unsupported(`printing a ${type.kind} value (ST_ASWKB and ST_SRID read it)`);
  }
}
