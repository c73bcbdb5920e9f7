/**
 * Text to stored value, the way Snowflake converts a string (a CSV field, a bound value, a cast) to a
 * column type. Pure. Stored forms:
 *   NUMBER   bigint, the unscaled value (123.45 in NUMBER(10,2) is 12345n)
 *   FLOAT    number
 *   TEXT     string                  BINARY  Uint8Array
 *   BOOLEAN  boolean                 DATE    number of days since 1970-01-01
 *   TIME     bigint nanoseconds since midnight
 *   TIMESTAMP_NTZ  bigint wall-clock nanoseconds since the epoch
 *   TIMESTAMP_LTZ  bigint UTC nanoseconds since the epoch
 *   TIMESTAMP_TZ   bigint packed: UTC nanoseconds * 4096 + (offset minutes + 1440)
 *   VARIANT/OBJECT/ARRAY  string, JSON text
 *   GEOGRAPHY/GEOMETRY    string, upper-case hex EWKB with the SRID (./spatial.ts)
 */
import { formatReader, type FormattedFields } from './input-format';
import { canonicalJson } from './json-text';
import { parseSpatial } from './spatial';
import { conversion } from '../errors';
import { MAX_TEXT_LENGTH, type SnowflakeType } from '../types';
import {
  daysFromCivil,
  floorDiv,
  instantOfWallTime,
  isValidDate,
  NS_PER_MINUTE,
  NS_PER_SECOND,
} from './calendar';

export type Stored = bigint | number | string | boolean | Uint8Array;

export interface ConversionContext {
  /** The session's TIMEZONE, for timestamps without an offset going into LTZ and TZ columns. */
  timezone: string;
  /** BINARY_FORMAT (COPY) or BINARY_INPUT_FORMAT (session); HEX by default. */
  binaryFormat?: BinaryFormat;
  /** DATE_INPUT_FORMAT, TIME_INPUT_FORMAT and TIMESTAMP_INPUT_FORMAT; AUTO (or absent) detects. */
  inputFormats?: { date: string; time: string; timestamp: string };
}

export type BinaryFormat = 'HEX' | 'BASE64' | 'UTF8';

const NUMBER_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string to the unscaled value at `scale`, rounding half away from zero as Snowflake does. */
export function parseNumber(text: string, precision: number, scale: number): bigint {
  const plain = PLAIN_DECIMAL.exec(text);
  if (plain && (plain[3] ?? '').length <= scale) {
    // The common case (what CSV files and binds carry): no exponent, no rounding.
    const whole = plain[2]!.replace(/^0+(?=\d)/, '');
    if (whole.length > precision - scale && whole !== '0') throw conversion.numberRange(text);
    const unscaled = BigInt(whole + (plain[3] ?? '').padEnd(scale, '0'));
    return plain[1] === '-' ? -unscaled : unscaled;
  }
  const m = NUMBER_TEXT.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw conversion.number(text);
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '') || '0';
  // value = digits * 10^(shift); we want value * 10^scale.
  const shift = Number(exponent) - fraction.length + scale;
  if (shift > 80) throw conversion.numberRange(text);
  let unscaled: bigint;
  if (shift >= 0) unscaled = BigInt(digits) * 10n ** BigInt(shift);
  else if (-shift > digits.length + 1) unscaled = 0n;
  else {
    const divisor = 10n ** BigInt(-shift);
    const n = BigInt(digits);
    unscaled = n / divisor + ((n % divisor) * 2n >= divisor ? 1n : 0n);
  }
  if (unscaled >= 10n ** BigInt(precision)) throw conversion.numberRange(text);
  return sign === '-' ? -unscaled : unscaled;
}

/** The exact decimal text of an unscaled value: formatUnscaled(-12345n, 2) is "-123.45". */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

function parseFloatText(text: string): number {
  const t = text.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw conversion.number(text);
  return Number(t);
}

const TRUE_WORDS = new Set(['TRUE', 'T', 'YES', 'Y', 'ON', '1']);
const FALSE_WORDS = new Set(['FALSE', 'F', 'NO', 'N', 'OFF', '0']);

export function parseBoolean(text: string): boolean {
  const t = text.trim().toUpperCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  throw conversion.boolean(text);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const ISO_DATE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\s*$/;
const US_DATE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;
const MON_DATE = /^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})\s*$/;

/** DATE with AUTO detection: YYYY-MM-DD (a time part is dropped), MM/DD/YYYY and DD-MON-YYYY. */
export function parseDate(text: string): number {
  let y: number, mo: number, d: number;
  let m = ISO_DATE.exec(text);
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = US_DATE.exec(text))) [y, mo, d] = [Number(m[3]), Number(m[1]), Number(m[2])];
  else if ((m = MON_DATE.exec(text)))
    [y, mo, d] = [Number(m[3]), MONTHS.indexOf(m[2]!.toUpperCase()) + 1, Number(m[1])];
  else throw conversion.date(text);
  if (!isValidDate(y, mo, d)) throw conversion.date(text);
  return daysFromCivil(y, mo, d);
}

const TIME_TEXT = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?\s*$/;

/** TIME with AUTO detection: HH24:MI[:SS[.FFFFFFFFF]], cut to the column's scale. */
export function parseTime(text: string, scale: number): bigint {
  const m = TIME_TEXT.exec(text);
  if (!m) throw conversion.time(text);
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw conversion.time(text);
  const ns = BigInt(h * 3600 + mi * 60 + s) * NS_PER_SECOND + fractionNs(m[4] ?? '');
  return truncateToScale(ns, scale);
}

export interface ParsedTimestamp {
  /** Nanoseconds since the epoch of the wall-clock reading, as if it were UTC. */
  wallNs: bigint;
  /** The offset written in the text, in minutes east of UTC. */
  offsetMinutes?: number;
}

const TIMESTAMP_TEXT =
  /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i;

/**
 * TIMESTAMP with AUTO detection: ISO dates with an optional time, fraction (up to 9 digits) and
 * offset (Z, +HH, +HHMM, +HH:MM), or an integer of seconds, milliseconds, microseconds or nanoseconds
 * since the epoch (told apart by magnitude, as Snowflake does).
 */
export function parseTimestampText(text: string): ParsedTimestamp {
  const fixed = fixedShapeTimestamp(text);
  if (fixed) return fixed;
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return { wallNs: epochIntegerNs(BigInt(t)), offsetMinutes: 0 };
  const parts = isoTimestampParts(text) ?? rfc2822TimestampParts(text);
  if (!parts) throw conversion.timestamp(text);
  const { y, mo, d, h, mi, s, fraction, zone } = parts;
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59 || s > 59) throw conversion.timestamp(text);
  const wallNs = wallClockNs(y, mo, d, h, mi, s) + fractionNs(fraction);
  if (zone === undefined) return { wallNs };
  if (zone.toUpperCase() === 'Z') return { wallNs, offsetMinutes: 0 };
  const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
  const offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) throw conversion.timestamp(text);
  return { wallNs, offsetMinutes };
}

/** The largest offset a timestamp's text may carry: ±18:00. */
const MAX_OFFSET_MINUTES = 18 * 60;

/** Nanoseconds since 1970 of a wall-clock reading to the second (fields already checked). */
const wallClockNs = (y: number, mo: number, d: number, h: number, mi: number, s: number): bigint =>
  BigInt(daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * NS_PER_SECOND;

/** The number written by `count` ASCII digits at `start`, or -1 (also past the end of `text`). */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let k = start; k < start + count; k += 1) {
    const code = text.charCodeAt(k) - 48;
    if (!(code >= 0 && code <= 9)) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * `YYYY-MM-DD HH:MI:SS[.F…F][ ±HH:MM]`, the shape SQL Server prints and the migrator's files carry, read
 * by character codes: the regular expressions cost more than the rest of a value's load. Gives what the
 * general path gives, or undefined for any other shape or an invalid value (the general path then
 * reads it, or says what is wrong).
 */
function fixedShapeTimestamp(text: string): ParsedTimestamp | undefined {
  const n = text.length;
  if (n < 19) return undefined;
  for (const [at, code] of FIXED_SHAPE_SEPARATORS) if (text.charCodeAt(at) !== code) return undefined;
  const [y, mo, d] = [digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)];
  const [h, mi, s] = [digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2)];
  if (y < 0 || !isValidDate(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return undefined;
  let i = 19;
  let fractionNanos = 0;
  if (text.charCodeAt(i) === 46) {
    const first = i + 1;
    for (i = first; i < n && i - first < 9 && digitsAt(text, i, 1) >= 0; i += 1);
    if (i === first) return undefined;
    fractionNanos = digitsAt(text, first, i - first) * 10 ** (9 - (i - first));
  }
  const wallNs = wallClockNs(y, mo, d, h, mi, s) + BigInt(fractionNanos);
  if (i === n) return { wallNs };
  // ` ±HH:MM` and nothing after it.
  const sign = text.charCodeAt(i + 1);
  const [zh, zm] = [digitsAt(text, i + 2, 2), digitsAt(text, i + 5, 2)];
  if (n !== i + 7 || text.charCodeAt(i) !== 32 || (sign !== 43 && sign !== 45)) return undefined;
  if (text.charCodeAt(i + 4) !== 58 || zh < 0 || zm < 0) return undefined;
  const offsetMinutes = (sign === 45 ? -1 : 1) * (zh * 60 + zm);
  return Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES ? undefined : { wallNs, offsetMinutes };
}

/** Where `YYYY-MM-DD HH:MI:SS` has its separators: - - space : :. */
const FIXED_SHAPE_SEPARATORS: [number, number][] = [
  [4, 45],
  [7, 45],
  [10, 32],
  [13, 58],
  [16, 58],
];

interface TimestampParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  fraction: string;
  zone: string | undefined;
}

function isoTimestampParts(text: string): TimestampParts | undefined {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return undefined;
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
    zone: m[8],
  };
}

/** RFC 2822 (`Thu, 21 Dec 2000 16:01:07 +0200`, also with a fraction or AM/PM): one of AUTO's formats. */
const RFC_2822_TEXT =
  /^\s*(?:MON|TUE|WED|THU|FRI|SAT|SUN),\s+(\d{1,2})\s+([A-Z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{0,9}))?(?:\s+(AM|PM))?(?:\s+([+-]\d{2}:?\d{2}))?\s*$/i;

function rfc2822TimestampParts(text: string): TimestampParts | undefined {
  const m = RFC_2822_TEXT.exec(text);
  const mo = m ? MONTHS.indexOf(m[2]!.toUpperCase()) + 1 : 0;
  if (!m || mo === 0) return undefined;
  let h = Number(m[4]);
  if (m[8] !== undefined) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[8].toUpperCase() === 'PM' ? 12 : 0);
  }
  return {
    y: Number(m[3]),
    mo,
    d: Number(m[1]),
    h,
    mi: Number(m[5]),
    s: Number(m[6]),
    fraction: m[7] ?? '',
    zone: m[9],
  };
}

function epochIntegerNs(n: bigint): bigint {
  const magnitude = n < 0n ? -n : n;
  if (magnitude < 31_536_000_000n) return n * NS_PER_SECOND;
  if (magnitude < 31_536_000_000_000n) return n * 1_000_000n;
  if (magnitude < 31_536_000_000_000_000n) return n * 1_000n;
  return n;
}

function fractionNs(digits: string): bigint {
  return digits === '' ? 0n : BigInt(digits.padEnd(9, '0'));
}

export function truncateToScale(ns: bigint, scale: number): bigint {
  const unit = 10n ** BigInt(9 - scale);
  return floorDiv(ns, unit) * unit;
}

export const TZ_OFFSET_BIAS = 1440;
export const TZ_PACK = 4096n;

export function packTz(instantNs: bigint, offsetMinutes: number): bigint {
  return instantNs * TZ_PACK + BigInt(offsetMinutes + TZ_OFFSET_BIAS);
}

export function unpackTz(packed: bigint): { instantNs: bigint; offsetMinutes: number } {
  const index = packed - floorDiv(packed, TZ_PACK) * TZ_PACK;
  return { instantNs: (packed - index) / TZ_PACK, offsetMinutes: Number(index) - TZ_OFFSET_BIAS };
}

/** A parsed timestamp as one of the three timestamp types (the offset matters only for LTZ and TZ). */
export function timestampAs(
  kind: 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ',
  p: ParsedTimestamp,
  scale: number,
  timezone: string,
): bigint {
  if (kind === 'TIMESTAMP_NTZ') return truncateToScale(p.wallNs, scale);
  const located =
    p.offsetMinutes === undefined
      ? instantOfWallTime(timezone, p.wallNs)
      : { instantNs: p.wallNs - BigInt(p.offsetMinutes) * NS_PER_MINUTE, offsetMinutes: p.offsetMinutes };
  const instant = truncateToScale(located.instantNs, scale);
  return kind === 'TIMESTAMP_LTZ' ? instant : packTz(instant, located.offsetMinutes);
}

export function parseBinary(text: string, format: BinaryFormat): Uint8Array {
  if (format === 'UTF8') return Buffer.from(text, 'utf8');
  if (format === 'BASE64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw conversion.base64(text);
    return Buffer.from(text, 'base64');
  }
  if (text.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) throw conversion.hex(text);
  return Buffer.from(text, 'hex');
}

/** Characters as Snowflake counts them: Unicode code points (a surrogate pair is one). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

export function checkTextLength(text: string, length: number): string {
  if (
    (text.length > length && codePointLength(text) > length) ||
    (text.length > MAX_TEXT_LENGTH / 4 && Buffer.byteLength(text) > MAX_TEXT_LENGTH)
  ) {
    throw conversion.tooLong(text);
  }
  return text;
}

function parseVariant(text: string): string {
  try {
    return canonicalJson(text);
  } catch (err) {
    throw conversion.json((err as Error).message);
  }
}

export type TextConverter = (text: string) => Stored;

/** The conversion of a string to a column of `type` (CSV fields, bound values). */
export function textConverter(type: SnowflakeType, ctx: ConversionContext): TextConverter {
  switch (type.kind) {
    case 'NUMBER':
      return (t) => parseNumber(t, type.precision, type.scale);
    case 'FLOAT':
      return parseFloatText;
    case 'TEXT':
      return (t) => checkTextLength(t, type.length);
    case 'BINARY': {
      const format = ctx.binaryFormat ?? 'HEX';
      return (t) => {
        const bytes = parseBinary(t, format);
        if (bytes.length > type.length) throw conversion.binaryTooLong(Buffer.from(bytes).toString('hex'));
        return bytes;
      };
    }
    case 'BOOLEAN':
      return parseBoolean;
    case 'DATE': {
      const read = formattedReader(ctx.inputFormats?.date, conversion.date);
      if (!read) return parseDate;
      return (t) => {
        const f = read(t);
        if (!isValidDate(f.y, f.mo, f.d)) throw conversion.date(t);
        return daysFromCivil(f.y, f.mo, f.d);
      };
    }
    case 'TIME': {
      const read = formattedReader(ctx.inputFormats?.time, conversion.time);
      if (!read) return (t) => parseTime(t, type.scale);
      return (t) => {
        const f = read(t);
        if (f.h > 23 || f.mi > 59 || f.s > 59) throw conversion.time(t);
        return truncateToScale(
          BigInt(f.h * 3600 + f.mi * 60 + f.s) * NS_PER_SECOND + fractionNs(f.fraction),
          type.scale,
        );
      };
    }
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      const read = formattedReader(ctx.inputFormats?.timestamp, conversion.timestamp);
      if (!read) return (t) => timestampAs(type.kind, parseTimestampText(t), type.scale, ctx.timezone);
      return (t) => {
        const f = read(t);
        if (!isValidDate(f.y, f.mo, f.d) || f.h > 23 || f.mi > 59 || f.s > 59) throw conversion.timestamp(t);
        const parsed: ParsedTimestamp = {
          wallNs: wallClockNs(f.y, f.mo, f.d, f.h, f.mi, f.s) + fractionNs(f.fraction),
          ...(f.offsetMinutes === undefined ? {} : { offsetMinutes: f.offsetMinutes }),
        };
        return timestampAs(type.kind, parsed, type.scale, ctx.timezone);
      };
    }
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return parseVariant;
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      return (t) => parseSpatial(type.kind, t);
  }
}

/**
 * The reader of a non-AUTO input format (text that does not match it is the type's conversion error),
 * or undefined for AUTO detection.
 * https://docs.snowflake.com/en/sql-reference/date-time-input-output#date-and-time-formats
 */
function formattedReader(
  format: string | undefined,
  refuse: (text: string) => Error,
): ((text: string) => FormattedFields) | undefined {
  if (format === undefined || format.toUpperCase() === 'AUTO') return undefined;
  const read = formatReader(format);
  return (text) => {
    const fields = read(text);
    if (!fields) throw refuse(text);
    return fields;
  };
}
