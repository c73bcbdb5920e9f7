/**
 * When a value in Snowflake is "the same value" as one in SQL Server, one rule per mapping, written once:
 * each side's value is turned into a canonical text and the texts compare with ===. The rules are keyed on
 * the migrator's own mapping (type-map.ts), so tests and row-level validation share them. Pure.
 *
 * A value a rule cannot read gives a text no readable value gives ("unreadable ..."), so it never
 * matches by accident and the mismatch shows what arrived.
 */
import type { ColumnMapping } from '../mapping/type-map';
import { canonicalSpatial } from '../mapping/spatial';
import { parseVariantRead } from '../mapping/variant';
import { spatialText, variantText } from '../sql/snowflake/content-queries';
import { canonicalDecimal } from './aggregates';

export type SameValueRule =
  | 'exact-decimal' // integers, decimal, money: the exact number, whatever its trailing zeros
  | 'ieee-double' // float, real: the same 64 bits (-0 is not 0)
  | 'boolean'
  | 'text' // exactly the same characters, trailing spaces included
  | 'guid-text' // SQL Server's GUID text, upper case
  | 'bytes'
  | 'date'
  | 'time' // every 100 ns tick
  | 'timestamp' // every 100 ns tick
  | 'timestamp-offset' // every tick and the offset (the same instant at another offset differs)
  | 'spatial' // the SRID and every coordinate to 14 decimal places (src/mapping/spatial.ts)
  | 'variant'; // the base type as declared and the value's exact text (src/mapping/variant.ts)

export function sameValueRule(mapping: Pick<ColumnMapping, 'kind' | 'column'>): SameValueRule {
  const type = mapping.column.dataType.toLowerCase();
  switch (mapping.kind) {
    case 'float':
      return 'ieee-double';
    case 'number':
    case 'text-number':
      return 'exact-decimal';
    case 'boolean':
      return 'boolean';
    case 'text':
      return type === 'uniqueidentifier' ? 'guid-text' : 'text';
    case 'binary':
      return 'bytes';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'timestamp-ntz':
      return 'timestamp';
    case 'timestamp-tz':
      return 'timestamp-offset';
    case 'spatial':
      return 'spatial';
    case 'variant':
      return 'variant';
  }
}

const unreadable = (rule: SameValueRule, value: unknown): string =>
  `unreadable ${rule}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;

/** "hh:mi:ss" and the fraction without trailing zeros (".1200000" and ".12" are the same tick). */
const TIME = /^(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function canonicalTime(text: string): string | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${match[1]}.${fraction}` : match[1];
}

function canonicalTimestamp(text: string): string | undefined {
  const [date = '', time = '', ...rest] = text.split(/[ T]/);
  if (rest.length || !DATE.test(date)) return undefined;
  const clock = canonicalTime(time);
  return clock && `${date} ${clock}`;
}

function canonicalTimestampOffset(text: string): string | undefined {
  const cut = text.lastIndexOf(' ');
  if (cut < 0) return undefined;
  const stamp = canonicalTimestamp(text.slice(0, cut));
  const offset = OFFSET.exec(text.slice(cut + 1));
  if (!stamp || !offset) return undefined;
  // +00:00 and -00:00 are the same offset; SQL Server prints the former.
  const sign = offset[2] === '00' && offset[3] === '00' ? '+' : offset[1];
  return `${stamp} ${sign}${offset[2]}:${offset[3]}`;
}

function canonicalDouble(value: unknown): string | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  if (!Number.isFinite(n)) return undefined;
  // String(n) is the shortest text that reads back as the same double; it drops only the sign of -0.
  return Object.is(n, -0) ? '-0' : String(n);
}

function canonicalBoolean(value: unknown): string | undefined {
  if (value === true || value === 1 || value === '1') return 'TRUE';
  if (value === false || value === 0 || value === '0') return 'FALSE';
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return upper === 'TRUE' || upper === 'FALSE' ? upper : undefined;
}

function canonicalBytes(value: unknown): string | undefined {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return Buffer.from(value).toString('hex').toUpperCase();
  if (typeof value === 'string' && /^(?:[0-9A-Fa-f]{2})*$/.test(value)) return value.toUpperCase();
  return undefined;
}

function canonicalExactDecimal(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return undefined;
  const text = typeof value === 'bigint' || typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(text)) return undefined;
  return canonicalDecimal(text);
}

/**
 * A sql_variant as SQL Server's read gives it (`<BaseType>;<Precision>;<Scale>;<MaxLength>;<value>`), or
 * Snowflake's `<type>;<value>` (variantText): both as `<type>;<value>`. A type with no length, precision
 * or scale never holds `;` in its value (numbers, dates, GUIDs), so the two forms do not mix up.
 */
function variantOf(value: string): string | undefined {
  const read = parseVariantRead(value);
  if (!('problem' in read)) return `${read.type};${read.value}`;
  return value.includes(';') ? value : undefined;
}

function canonicalOf(rule: SameValueRule, value: unknown): string | undefined {
  switch (rule) {
    case 'exact-decimal':
      return canonicalExactDecimal(value);
    case 'ieee-double':
      return canonicalDouble(value);
    case 'boolean':
      return canonicalBoolean(value);
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'guid-text': {
      const upper = typeof value === 'string' ? value.toUpperCase() : '';
      return GUID.test(upper) ? upper : undefined;
    }
    case 'bytes':
      return canonicalBytes(value);
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? value : undefined;
    case 'time':
      return typeof value === 'string' ? canonicalTime(value) : undefined;
    case 'timestamp':
      return typeof value === 'string' ? canonicalTimestamp(value) : undefined;
    case 'timestamp-offset':
      return typeof value === 'string' ? canonicalTimestampOffset(value) : undefined;
    case 'spatial':
      return typeof value === 'string' && value.includes(';') ? canonicalSpatial(value) : undefined;
    case 'variant':
      return typeof value === 'string' ? variantOf(value) : undefined;
  }
}

/**
 * The canonical text of one value under a rule: NULL (null or undefined) is "NULL", which no non-NULL
 * value gives (a text "NULL" is JSON-quoted). Two values are the same value exactly when their texts are equal.
 */
export function canonicalValue(rule: SameValueRule, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = canonicalOf(rule, value);
  if (text === undefined) return unreadable(rule, value);
  return rule === 'text' ? JSON.stringify(text) : text;
}

export function sameValue(rule: SameValueRule, source: unknown, target: unknown): boolean {
  return canonicalValue(rule, source) === canonicalValue(rule, target);
}

/** Snowflake formats that print every digit a rule compares (FF9: nanoseconds, so no tick is rounded). */
const TARGET_FORMATS: Partial<Record<SameValueRule, string>> = {
  date: 'YYYY-MM-DD',
  time: 'HH24:MI:SS.FF9',
  timestamp: 'YYYY-MM-DD HH24:MI:SS.FF9',
  'timestamp-offset': 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
};

/**
 * The Snowflake expression that reads a migrated column as the text its rule compares (`quoted` is the
 * quoted column name). Numbers are read as they are and should be fetched as strings (exact NUMBER text).
 */
export function targetTextExpression(rule: SameValueRule, quoted: string): string {
  if (rule === 'spatial') return spatialText(quoted);
  if (rule === 'variant') return variantText(quoted);
  const format = TARGET_FORMATS[rule];
  return format ? `TO_VARCHAR(${quoted}, '${format}')` : quoted;
}
