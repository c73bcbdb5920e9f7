/**
 * Conversions between stored values of two Snowflake types (casts, TO_* functions, INSERT ... SELECT
 * into a column of another type). Pure.
 */
import { parseCanonicalJson } from './json-text';
import { conversion, unsupported } from '../errors';
import { isSpatial, isTimestamp, type SnowflakeType } from '../types';
import {
  floorDiv,
  floorMod,
  instantOfWallTime,
  NS_PER_DAY,
  NS_PER_MINUTE,
  zoneOffsetMinutes,
} from './calendar';
import { toVarchar, type OutputParameters } from './format';
import {
  checkTextLength,
  formatUnscaled,
  packTz,
  parseNumber,
  textConverter,
  truncateToScale,
  unpackTz,
  type ConversionContext,
  type Stored,
} from './parse';

export interface ConvertContext extends ConversionContext {
  params: OutputParameters;
}

interface Moment {
  wallNs: bigint;
  instantNs: () => bigint;
  offsetMinutes: () => number;
}

function momentOf(type: SnowflakeType, value: Stored, timezone: string): Moment | undefined {
  if (type.kind === 'DATE' || type.kind === 'TIMESTAMP_NTZ') {
    const wallNs = type.kind === 'DATE' ? BigInt(value as number) * NS_PER_DAY : (value as bigint);
    const located = () => instantOfWallTime(timezone, wallNs);
    return { wallNs, instantNs: () => located().instantNs, offsetMinutes: () => located().offsetMinutes };
  }
  if (type.kind === 'TIMESTAMP_LTZ') {
    const instant = value as bigint;
    const offset = zoneOffsetMinutes(timezone, instant);
    return {
      wallNs: instant + BigInt(offset) * NS_PER_MINUTE,
      instantNs: () => instant,
      offsetMinutes: () => offset,
    };
  }
  if (type.kind === 'TIMESTAMP_TZ') {
    const { instantNs, offsetMinutes } = unpackTz(value as bigint);
    return {
      wallNs: instantNs + BigInt(offsetMinutes) * NS_PER_MINUTE,
      instantNs: () => instantNs,
      offsetMinutes: () => offsetMinutes,
    };
  }
  return undefined;
}

export function convertValue(
  from: SnowflakeType,
  value: Stored,
  to: SnowflakeType,
  ctx: ConvertContext,
): Stored {
  if (from.kind === 'TEXT') return textConverter(to, ctx)(value as string);
  if (to.kind === 'TEXT') return checkTextLength(toVarchar(from, value, undefined, ctx.params), to.length);
  if (from.kind === 'VARIANT' || from.kind === 'OBJECT' || from.kind === 'ARRAY') {
    const parsed = parseCanonicalJson(value as string);
    if (to.kind === from.kind) return value;
    // Semi-structured values move between the three types as they are when the target can hold them:
    // any into VARIANT, an array into ARRAY, an object into OBJECT (all kept as the same canonical JSON).
    const holds = Array.isArray(parsed)
      ? 'ARRAY'
      : parsed !== null && typeof parsed === 'object'
        ? 'OBJECT'
        : '';
    if (to.kind === 'VARIANT' || to.kind === holds) return value;
    if (parsed !== null && typeof parsed === 'object')
      throw unsupported(`cast from ${from.kind} holding an object or array to ${to.kind}`);
    return textConverter(to, ctx)(String(parsed));
  }
  if (isSpatial(from) || isSpatial(to)) {
    if (from.kind === to.kind) return value;
    throw unsupported(`cast from ${from.kind} to ${to.kind}`);
  }
  if (to.kind === 'VARIANT') return JSON.stringify(jsonOf(from, value, ctx));

  if (to.kind === 'NUMBER') {
    if (from.kind === 'NUMBER') return rescale(value as bigint, from.scale, to.precision, to.scale);
    if (from.kind === 'FLOAT') return parseNumber(floatDigits(value as number), to.precision, to.scale);
    if (from.kind === 'BOOLEAN') return rescale(value ? 1n : 0n, 0, to.precision, to.scale);
  }
  if (to.kind === 'FLOAT') {
    if (from.kind === 'NUMBER') return Number(formatUnscaled(value as bigint, from.scale));
    if (from.kind === 'FLOAT') return value;
  }
  if (to.kind === 'BOOLEAN') {
    if (from.kind === 'BOOLEAN') return value;
    if (from.kind === 'NUMBER') return (value as bigint) !== 0n;
    if (from.kind === 'FLOAT') return (value as number) !== 0;
  }
  if (to.kind === 'BINARY' && from.kind === 'BINARY') {
    if ((value as Uint8Array).length > to.length)
      throw conversion.binaryTooLong(Buffer.from(value as Uint8Array).toString('hex'));
    return value;
  }
  if (to.kind === 'TIME' && from.kind === 'TIME') return truncateToScale(value as bigint, to.scale);

  const moment = momentOf(from, value, ctx.timezone);
  if (moment) {
    if (to.kind === 'DATE') return Number(floorDiv(moment.wallNs, NS_PER_DAY));
    if (to.kind === 'TIME') return truncateToScale(floorMod(moment.wallNs, NS_PER_DAY), to.scale);
    if (to.kind === 'TIMESTAMP_NTZ') return truncateToScale(moment.wallNs, to.scale);
    if (to.kind === 'TIMESTAMP_LTZ') return truncateToScale(moment.instantNs(), to.scale);
    if (to.kind === 'TIMESTAMP_TZ')
      return packTz(truncateToScale(moment.instantNs(), to.scale), moment.offsetMinutes());
  }
  throw unsupported(`cast from ${from.kind} to ${to.kind}`);
}

function rescale(unscaled: bigint, fromScale: number, precision: number, toScale: number): bigint {
  const text = formatUnscaled(unscaled, fromScale);
  return parseNumber(text, precision, toScale);
}

/** All digits of a double, without exponent notation, so parseNumber reads it exactly. */
function floatDigits(n: number): string {
  if (!Number.isFinite(n)) throw conversion.numberRange(String(n));
  return n.toString();
}

/** A stored value as the JSON value a VARIANT holds. */
function jsonOf(type: SnowflakeType, value: Stored, ctx: ConvertContext): unknown {
  switch (type.kind) {
    case 'NUMBER':
      return Number(formatUnscaled(value as bigint, type.scale));
    case 'FLOAT':
    case 'BOOLEAN':
      return value;
    default:
      if (isTimestamp(type) || type.kind === 'DATE' || type.kind === 'TIME' || type.kind === 'BINARY') {
        return toVarchar(type, value, undefined, ctx.params);
      }
      return value;
  }
}
