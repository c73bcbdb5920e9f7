/**
 * CAST and CONVERT with SQL Server's rules: which conversions exist, how they round, the text they produce
 * (CONVERT styles included) and the errors they raise.
 */
import { decodeCp1252, encodeCp1252, toCodePage1252 } from '../collation';
import { SqlError, notSupported, overflow } from '../errors';
import type { DateTimeParts } from './datetime';
import {
  DAY_1900,
  TICKS_PER_DAY,
  TICKS_PER_DAY_N,
  TICKS_PER_MINUTE_N,
  formatDateTime,
  fromDatetime,
  fromSmallDatetime,
  joinTicks,
  MAX_DAY,
  outOfRange,
  parseDateTimeText,
  roundTicks,
  splitTicks,
  toDatetime,
  toSmallDatetime,
  DATETIME_UNITS_PER_DAY,
} from './datetime';
import {
  fitsPrecision,
  formatScaled,
  groupThousands,
  numberToScaled,
  parseDecimalText,
  rescale,
  scaledToNumber,
  truncateScale,
} from './decimal';
import { formatGuid, parseGuid } from './guid';
import { parseHierarchyId } from './hierarchyid';
import { hierarchyIdFromBinary } from './hierarchyid-binary';
import { defaultSrid, spatialFrom, spatialFromBinary } from './spatial';
import type { SqlType } from './sql-type';
import {
  INTEGER_RANGES,
  MAX,
  isApproxNumeric,
  isBinaryType,
  isDateTimeType,
  isIntegerType,
  isScaledNumeric,
  isStringType,
  isUnicodeType,
  scaleOf,
  isSpatialType,
} from './sql-type';
import type { DateTimeOffsetValue, SqlValue } from './values';
import { isVariant } from './values';

const MONEY_RANGE: Record<string, [bigint, bigint]> = {
  money: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
  smallmoney: [-2_147_483_648n, 2_147_483_647n],
};

/** The short type name SQL Server uses in conversion messages ("varchar", "numeric"). */
const messageName = (t: SqlType): string => (t.name === 'decimal' ? 'numeric' : t.name);

function notAllowed(from: SqlType, to: SqlType): SqlError {
  return new SqlError(
    529,
    `Explicit conversion from data type ${messageName(from)} to ${messageName(to)} is not allowed.`,
  );
}

function conversionFailed(text: string, from: SqlType, to: SqlType): SqlError {
  return new SqlError(
    245,
    `Conversion failed when converting the ${messageName(from)} value '${text}' to data type ${messageName(to)}.`,
  );
}

const dateTimeFailed = (): SqlError =>
  new SqlError(241, 'Conversion failed when converting date and/or time from character string.');

/** Converts a value from one type to another as CAST/CONVERT does (`style` is CONVERT's third argument). */
export function convert(value: SqlValue, from: SqlType, to: SqlType, style?: number): SqlValue {
  if (value === null) return null;
  if (isVariant(value)) return convert(value.value, value.variant, to, style);
  if (isSpatialType(from) || isSpatialType(to)) return convertSpatial(value, from, to);
  if (to.name === 'sql_variant') return { variant: from, value };
  if (from.name === 'hierarchyid' || to.name === 'hierarchyid') return convertHierarchyId(value, from, to);
  if (isStringType(to) || to.name === 'xml') {
    if (to.name === 'xml' && !isStringType(from) && from.name !== 'xml' && !isBinaryType(from))
      throw notAllowed(from, to);
    return fitString(textConverter(from, to, style)(value), from, to);
  }
  if (isIntegerType(to)) return toInteger(value, from, to);
  if (isScaledNumeric(to)) return toScaled(value, from, to);
  if (isApproxNumeric(to)) return toApprox(value, from, to);
  switch (to.name) {
    case 'bit':
      return toBit(value, from, to);
    case 'uniqueidentifier':
      return toGuid(value, from, to);
    case 'binary':
    case 'varbinary':
    case 'image':
      return fitBinary(toBytes(value, from, to, style), to);
  }
  if (isDateTimeType(to)) return fromParts(partsOf(value, from, to), to, from);
  throw notAllowed(from, to);
}

/**
 * geography/geometry from a string (Parse, see spatial.ts) and from its binary form ([MS-SSCLRT],
 * spatial-binary.ts; CAST and CONVERT read SQL Server's serialization as they do hierarchyid's); to another
 * spatial type, to its binary form and to text (ToString, whose digits Microsoft does not document) it is
 * refused.
 */
function convertSpatial(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (from.name === to.name) return value;
  if (isSpatialType(to) && isStringType(from)) return spatialFrom(to, value as string, defaultSrid(to));
  if (isSpatialType(to) && isBinaryType(from)) return spatialFromBinary(to, value as Buffer);
  if (isSpatialType(to) && !isBinaryType(from)) throw notAllowed(from, to);
  throw notSupported(`converting ${from.name} to ${to.name}`);
}

/**
 * hierarchyid from and to strings (Parse and ToString, see hierarchyid.ts), and from its binary form
 * ([MS-SSCLRT], hierarchyid-binary.ts; CAST and CONVERT call Read, https://learn.microsoft.com/en-us/sql/t-sql/data-types/read-database-engine).
 * Writing the binary form is not modelled: refused rather than made up.
 */
function convertHierarchyId(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (from.name === to.name) return value;
  if (isStringType(from)) return parseHierarchyId(value as string);
  if (isStringType(to)) return fitString(value as string, from, to);
  if (isBinaryType(from)) return hierarchyIdFromBinary(value as Buffer);
  if (isBinaryType(to)) throw notSupported('hierarchyid to binary (its encoding)');
  throw notAllowed(from, to);
}

// ---- numbers ------------------------------------------------------------------------------------------

/** Any numeric value as a scaled bigint at its own scale, or a double for float/real. */
function numericOf(
  value: SqlValue,
  from: SqlType,
): { scaled: bigint; scale: number } | { float: number } | undefined {
  if (isIntegerType(from)) return { scaled: BigInt(value as number | bigint), scale: 0 };
  if (from.name === 'bit') return { scaled: value ? 1n : 0n, scale: 0 };
  if (isScaledNumeric(from)) return { scaled: value as bigint, scale: scaleOf(from) };
  if (isApproxNumeric(from)) return { float: value as number };
  return undefined;
}

function checkIntRange(v: bigint, to: SqlType): number | bigint {
  const [lo, hi] = INTEGER_RANGES[to.name]!;
  if (v < lo || v > hi) throw overflow(to.name);
  return to.name === 'bigint' ? v : Number(v);
}

function toInteger(value: SqlValue, from: SqlType, to: SqlType): number | bigint {
  if (isStringType(from)) {
    const text = (value as string).trim();
    if (!/^[+-]?\d+$/.test(text)) throw conversionFailed(value as string, from, to);
    return checkIntRange(BigInt(text), to);
  }
  if (isBinaryType(from)) {
    const bytes = value as Buffer;
    const size = to.name === 'tinyint' ? 1 : to.name === 'smallint' ? 2 : to.name === 'int' ? 4 : 8;
    const window = Buffer.alloc(size);
    bytes.subarray(Math.max(0, bytes.length - size)).copy(window, Math.max(0, size - bytes.length));
    const unsigned = BigInt('0x' + (window.toString('hex') || '0'));
    const signed = to.name === 'tinyint' ? unsigned : BigInt.asIntN(size * 8, unsigned);
    return checkIntRange(signed, to);
  }
  if (from.name === 'datetime' || from.name === 'smalldatetime') {
    const perDay = from.name === 'datetime' ? DATETIME_UNITS_PER_DAY : 1440;
    return checkIntRange(BigInt(Math.floor((value as number) / perDay + 0.5)), to);
  }
  const n = numericOf(value, from);
  if (!n) throw notAllowed(from, to);
  if ('float' in n) {
    if (!Number.isFinite(n.float)) throw overflow(to.name);
    const t = Math.trunc(n.float);
    if (Math.abs(t) > 9.3e18) throw overflow(to.name);
    return checkIntRange(BigInt(t), to);
  }
  // money rounds to the nearest integer, decimal truncates.
  const whole =
    from.name === 'money' || from.name === 'smallmoney'
      ? rescale(n.scaled, n.scale, 0)
      : truncateScale(n.scaled, n.scale, 0);
  return checkIntRange(whole, to);
}

function toScaled(value: SqlValue, from: SqlType, to: SqlType): bigint {
  const scale = scaleOf(to);
  let scaled: bigint;
  if (isStringType(from)) {
    const isMoney = to.name === 'money' || to.name === 'smallmoney';
    const parsed = parseDecimalText(value as string, isMoney);
    if (!parsed) {
      if (isMoney)
        throw new SqlError(235, `Cannot convert a char value to money. The char value has incorrect syntax.`);
      throw new SqlError(8114, `Error converting data type ${messageName(from)} to numeric.`);
    }
    scaled = rescale(parsed.value, parsed.scale, scale);
  } else {
    const n = numericOf(value, from);
    if (!n) throw notAllowed(from, to);
    if ('float' in n) {
      if (!Number.isFinite(n.float)) throw overflow(messageName(to));
      scaled = numberToScaled(n.float, scale);
    } else scaled = rescale(n.scaled, n.scale, scale);
  }
  const moneyRange = MONEY_RANGE[to.name];
  if (moneyRange) {
    if (scaled < moneyRange[0] || scaled > moneyRange[1])
      throw new SqlError(8115, `Arithmetic overflow error converting expression to data type ${to.name}.`);
  } else if (!fitsPrecision(scaled, to.precision ?? 18)) {
    const source = isStringType(from)
      ? messageName(from)
      : isIntegerType(from)
        ? from.name
        : messageName(from);
    throw new SqlError(8115, `Arithmetic overflow error converting ${source} to data type numeric.`);
  }
  return scaled;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toApprox(value: SqlValue, from: SqlType, to: SqlType): number {
  let x: number;
  if (isStringType(from)) {
    const text = (value as string).trim();
    if (!FLOAT_RE.test(text))
      throw new SqlError(8114, `Error converting data type ${messageName(from)} to ${to.name}.`);
    x = Number(text);
  } else if (from.name === 'datetime' || from.name === 'smalldatetime') {
    x = (value as number) / (from.name === 'datetime' ? DATETIME_UNITS_PER_DAY : 1440);
  } else {
    const n = numericOf(value, from);
    if (!n) throw notAllowed(from, to);
    x = 'float' in n ? n.float : n.scale === 0 ? Number(n.scaled) : scaledToNumber(n.scaled, n.scale);
  }
  if (!Number.isFinite(x)) throw overflow(to.name);
  if (to.name === 'real') {
    const r = Math.fround(x);
    if (!Number.isFinite(r)) throw overflow('real');
    return r;
  }
  return x;
}

function toBit(value: SqlValue, from: SqlType, to: SqlType): boolean {
  if (isStringType(from)) {
    const text = (value as string).trim();
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
    if (!/^[+-]?\d+(\.\d*)?$/.test(text)) throw conversionFailed(value as string, from, to);
    return Number(text) !== 0;
  }
  const n = numericOf(value, from);
  if (!n) throw notAllowed(from, to);
  return 'float' in n ? n.float !== 0 : n.scaled !== 0n;
}

// ---- uniqueidentifier and binary --------------------------------------------------------------------------

function toGuid(value: SqlValue, from: SqlType, to: SqlType): Buffer {
  if (from.name === 'uniqueidentifier') return value as Buffer;
  if (isStringType(from)) {
    const guid = parseGuid(value as string);
    if (!guid)
      throw new SqlError(
        8169,
        'Conversion failed when converting from a character string to uniqueidentifier.',
      );
    return guid;
  }
  if (isBinaryType(from)) {
    const out = Buffer.alloc(16);
    (value as Buffer).copy(out, 0, 0, 16);
    return out;
  }
  throw notAllowed(from, to);
}

function toBytes(value: SqlValue, from: SqlType, to: SqlType, style?: number): Buffer {
  if (isBinaryType(from) || from.name === 'uniqueidentifier') return value as Buffer;
  if (isStringType(from)) {
    const text = value as string;
    if (style === 1 || style === 2) {
      const hex = style === 1 ? (/^0x/i.test(text) ? text.slice(2) : undefined) : text;
      if (hex === undefined || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
        throw new SqlError(8114, `Error converting data type ${messageName(from)} to ${to.name}.`);
      return Buffer.from(hex, 'hex');
    }
    return isUnicodeType(from) ? Buffer.from(text, 'utf16le') : encodeCp1252(text);
  }
  if (isIntegerType(from) || from.name === 'bit') {
    const size =
      from.name === 'tinyint' || from.name === 'bit'
        ? 1
        : from.name === 'smallint'
          ? 2
          : from.name === 'int'
            ? 4
            : 8;
    const unsigned = BigInt.asUintN(
      size * 8,
      BigInt(typeof value === 'boolean' ? (value ? 1 : 0) : (value as number | bigint)),
    );
    return Buffer.from(unsigned.toString(16).padStart(size * 2, '0'), 'hex');
  }
  throw notAllowed(from, to);
}

function fitBinary(bytes: Buffer, to: SqlType): Buffer {
  const length = to.length ?? 30;
  if (to.name === 'image' || length === MAX) return bytes;
  if (bytes.length > length) return Buffer.from(bytes.subarray(0, length));
  if (to.name === 'binary' && bytes.length < length)
    return Buffer.concat([bytes, Buffer.alloc(length - bytes.length)]);
  return bytes;
}

// ---- text ----------------------------------------------------------------------------------------------

/** %g-like text with SQL Server's three-digit exponent ("1.23457e+006"). */
function formatFloat(x: number, style: number | undefined): string {
  const exponentText = (e: string): string => {
    const sign = e.startsWith('-') ? '-' : '+';
    return 'e' + sign + e.replace(/^[+-]/, '').padStart(3, '0');
  };
  const scientific = (digits: number): string => {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return m + exponentText(e!);
  };
  if (style === 1) return scientific(8);
  if (style === 2) return scientific(16);
  if (style === 3) return scientific(17);
  if (x === 0) return '0';
  const precision = 6;
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(precision)))));
  if (exponent < -4 || exponent >= precision) {
    const [m, e] = x.toExponential(precision - 1).split('e');
    return m!.replace(/\.?0+$/, '') + exponentText(e!);
  }
  return Number(x.toPrecision(precision)).toString().replace(/e.*$/, '');
}

function dateTimeFormatOf(t: SqlType): {
  fraction: number;
  hasDate: boolean;
  hasTime: boolean;
  hasOffset: boolean;
  legacy: boolean;
} {
  switch (t.name) {
    case 'date':
      return { fraction: 0, hasDate: true, hasTime: false, hasOffset: false, legacy: false };
    case 'time':
      return { fraction: t.scale ?? 7, hasDate: false, hasTime: true, hasOffset: false, legacy: false };
    case 'datetime':
      return { fraction: 3, hasDate: true, hasTime: true, hasOffset: false, legacy: true };
    case 'smalldatetime':
      return { fraction: 3, hasDate: true, hasTime: true, hasOffset: false, legacy: true };
    case 'datetimeoffset':
      return { fraction: t.scale ?? 7, hasDate: true, hasTime: true, hasOffset: true, legacy: false };
    default:
      return { fraction: t.scale ?? 7, hasDate: true, hasTime: true, hasOffset: false, legacy: false };
  }
}

/** The style CAST uses for a date/time type: 0 for the old types, ODBC canonical (121) for the new. */
const defaultDateStyle = (t: SqlType): number =>
  t.name === 'datetime' || t.name === 'smalldatetime' ? 0 : 121;

type TextOf = (value: SqlValue) => string;

/** How values of one type become text in a CONVERT style, chosen once per type pair. */
function textConverter(from: SqlType, to: SqlType, style?: number): TextOf {
  if (isStringType(from) || from.name === 'xml') return (v) => v as string;
  if (isIntegerType(from)) return (v) => String(v);
  if (from.name === 'bit') return (v) => (v ? '1' : '0');
  if (from.name === 'money' || from.name === 'smallmoney') {
    if (style === 2 || style === 126) return (v) => formatScaled(v as bigint, 4);
    if (style === 1) return (v) => groupThousands(formatScaled(rescale(v as bigint, 4, 2), 2));
    return (v) => formatScaled(rescale(v as bigint, 4, 2), 2);
  }
  if (isScaledNumeric(from)) {
    const scale = scaleOf(from);
    return (v) => formatScaled(v as bigint, scale);
  }
  if (isApproxNumeric(from)) return (v) => formatFloat(v as number, style);
  if (from.name === 'uniqueidentifier') return (v) => formatGuid(v as Buffer);
  if (isBinaryType(from)) {
    if (style === 1) return (v) => '0x' + (v as Buffer).toString('hex').toUpperCase();
    if (style === 2) return (v) => (v as Buffer).toString('hex').toUpperCase();
    if (isUnicodeType(to)) {
      return (v) => {
        const bytes = v as Buffer;
        return (bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(1)])).toString('utf16le');
      };
    }
    return (v) => decodeCp1252(v as Buffer);
  }
  if (isDateTimeType(from)) {
    const format = dateTimeFormatOf(from);
    const chosen = style ?? defaultDateStyle(from);
    // Style 127 writes a datetimeoffset in UTC, marked Z.
    if (chosen === 127 && from.name === 'datetimeoffset') {
      return (v) =>
        formatDateTime({ ...splitTicks((v as DateTimeOffsetValue).utc), offset: 0 }, format, chosen);
    }
    return (v) => formatDateTime(partsOf(v, from, to), format, chosen);
  }
  throw notAllowed(from, to);
}

/** Types whose text is plain ASCII: converting it to varchar needs no code page. */
const asciiText = (t: SqlType): boolean =>
  isIntegerType(t) ||
  isScaledNumeric(t) ||
  isApproxNumeric(t) ||
  isDateTimeType(t) ||
  t.name === 'bit' ||
  t.name === 'uniqueidentifier';

/**
 * CAST/CONVERT from one type to another, prepared once: the select list converts every row, and the type
 * questions are answered here rather than per value.
 */
export function converter(from: SqlType, to: SqlType, style?: number): (value: SqlValue) => SqlValue {
  if (isStringType(to) && asciiText(from)) {
    const text = textConverter(from, to, style);
    return (v) => (v === null ? null : fitLength(text(v), from, to));
  }
  return (v) => convert(v, from, to, style);
}

/** Applies the target's code page and length. */
function fitString(text: string, from: SqlType, to: SqlType): string {
  return fitLength(isUnicodeType(to) ? text : toCodePage1252(text), from, to);
}

/** Applies the target's length: CAST cuts strings silently, numbers that do not fit are an error. */
function fitLength(text: string, from: SqlType, to: SqlType): string {
  const length = to.length ?? 30;
  if (length === MAX || to.name === 'text' || to.name === 'ntext' || to.name === 'xml') return text;
  if (text.length > length) {
    if (isIntegerType(from) && !isUnicodeType(to)) return '*';
    if (isIntegerType(from) || isScaledNumeric(from) || isApproxNumeric(from) || from.name === 'bit') {
      throw new SqlError(
        8115,
        `Arithmetic overflow error converting ${isIntegerType(from) ? 'expression' : messageName(from)} to data type ${to.name}.`,
      );
    }
    if (from.name === 'uniqueidentifier')
      throw new SqlError(8170, `Insufficient result space to convert uniqueidentifier value to ${to.name}.`);
    return text.slice(0, length);
  }
  if ((to.name === 'char' || to.name === 'nchar') && text.length < length) return text.padEnd(length, ' ');
  return text;
}

// ---- dates and times -------------------------------------------------------------------------------------

/** Any date/time value (or date/time text) as local date, time and offset. */
export function partsOf(value: SqlValue, from: SqlType, to: SqlType): DateTimeParts {
  switch (from.name) {
    case 'date':
      return { days: value as number, ticks: 0, hasDate: true, hasTime: false };
    case 'time':
      return { days: DAY_1900, ticks: value as number, hasDate: false, hasTime: true };
    case 'datetime2':
      return splitTicks(value as bigint);
    case 'datetime':
      return fromDatetime(value as number);
    case 'smalldatetime':
      return fromSmallDatetime(value as number);
    case 'datetimeoffset': {
      const dto = value as DateTimeOffsetValue;
      const local = splitTicks(dto.utc + BigInt(dto.offset) * TICKS_PER_MINUTE_N);
      return { days: local.days, ticks: local.ticks, offset: dto.offset };
    }
  }
  if (isStringType(from)) {
    const parts = parseDateTimeText(value as string);
    if (!parts) throw dateTimeFailed();
    if ((to.name === 'datetime' || to.name === 'smalldatetime') && (parts.fractionDigits ?? 0) > 3)
      throw dateTimeFailed();
    return parts;
  }
  throw notAllowed(from, to);
}

function fromParts(parts: DateTimeParts, to: SqlType, from: SqlType): SqlValue {
  const source = messageName(from);
  if ((to.name === 'time' && from.name === 'date') || (to.name === 'date' && from.name === 'time'))
    throw notAllowed(from, to);
  switch (to.name) {
    case 'date':
      return parts.days;
    case 'time':
      return roundTicks(parts.ticks, to.scale ?? 7) % TICKS_PER_DAY;
    case 'datetime':
      return toDatetime(parts.days, parts.ticks, source);
    case 'smalldatetime':
      return toSmallDatetime(parts.days, parts.ticks, source);
    case 'datetime2': {
      const total = joinTicks(parts.days, roundTicks(parts.ticks, to.scale ?? 7));
      if (total >= BigInt(MAX_DAY + 1) * TICKS_PER_DAY_N) throw outOfRange(source, 'datetime2');
      return total;
    }
    case 'datetimeoffset': {
      const offset = parts.offset ?? 0;
      const local = joinTicks(parts.days, roundTicks(parts.ticks, to.scale ?? 7));
      if (local >= BigInt(MAX_DAY + 1) * TICKS_PER_DAY_N) throw outOfRange(source, 'datetimeoffset');
      const utc = local - BigInt(offset) * TICKS_PER_MINUTE_N;
      if (utc < 0n || utc >= BigInt(MAX_DAY + 1) * TICKS_PER_DAY_N)
        throw outOfRange(source, 'datetimeoffset');
      return { utc, offset };
    }
  }
  throw notAllowed(from, to);
}

/** Ticks since 0001-01-01 of any date/time value, UTC for datetimeoffset: the order SQL Server compares in. */
export function instantTicks(value: SqlValue, type: SqlType): bigint {
  if (type.name === 'datetimeoffset') return (value as DateTimeOffsetValue).utc;
  const parts = partsOf(value, type, type);
  return joinTicks(parts.days, parts.ticks);
}
