/**
 * Canonical value text: the one module that turns a value into text to compare it, one rule per mapping
 * kind, for two comparisons:
 *
 * 1. "The same value" (tests' value comparison, aggregate checks): a value read from either side, in
 *    whatever form its driver gives it, becomes a normal text under its column's SameValueRule (keyed on
 *    the migrator's own mapping, type-map.ts), and two values are the same value exactly when their texts
 *    are equal. A value a rule cannot read gives a text no readable value gives ("unreadable ..."), so it
 *    never matches by accident and the mismatch shows what arrived. The Snowflake expression that reads a
 *    column in that form is targetTextExpression (./target-text.ts).
 *
 * 2. Row-level content checksums: every column of every row in one canonical text, the same text the
 *    worker builds from the values it loads and Snowflake builds from the stored values (see
 * `canonicalExpression` in src/sql/snowflake/content-queries.ts, which mirrors this file type by type). Pure.
 *
 * Canonical value per kind (what SQL Server's text gives and Snowflake's TO_VARCHAR prints alike):
 *  - text (char, varchar, nchar, nvarchar, text, ntext, xml, uniqueidentifier as SQL Server prints it):
 *    the string itself, every character;
 *  - number, text-number (integers, bigint, decimal, money): the exact decimal text with the column's
 *    scale of fraction digits (SQL Server's CAST/CONVERT and Snowflake's NUMBER(p,s) print both);
 *  - float, real: the double in Snowflake's fixed-position format model FLOAT_MODEL (sign, 17
 *    significant digits, 3-digit exponent: `+1.0000000000000001E-001` for 0.1), correctly rounded: 17
 *    digits tell every two doubles apart, so two doubles that differ in their last bit never share it;
 *  - boolean: true or false;
 *  - binary: upper-case hex of every byte;
 *  - date: YYYY-MM-DD; time: HH:MI:SS.fffffff; timestamps: YYYY-MM-DD HH:MI:SS.fffffff, seven fraction
 *    digits (one 100 ns tick), and for datetimeoffset the offset +HH:MM;
 *  - spatial (geography, geometry): `<SRID>;<upper-case hex of 2D little-endian WKB>`, coordinates
 *    rounded to 14 decimal places as Snowflake stores them (src/mapping/spatial.ts);
 *  - variant (sql_variant): `<base type>;<value text>` of the loaded object (src/mapping/variant.ts),
 *    framed like character data, as the value can hold any character.
 *
 * A row's text is its columns' canonical values joined by commas, NULL as `~` and character data
 * framed by its UTF-8 byte length (`5:héllo`), so no two different rows share a text. A column whose
 * values can be megabytes ((max) types: `digested`) holds `#` and the MD5 of its canonical value instead,
 * so that a row's text stays far below Snowflake's VARCHAR limit (16 MB on older accounts), which a
 * single 8 MB binary printed as hex would reach, and two long values together would pass. Its checksum is
 * the first 60 bits of the text's MD5 as an integer; a set of rows sums them (order-independent, exact
 * in NUMBER(38,0) for up to 10^11 rows).
 *
 * Free of Node imports, as the workflows use its constants (through src/sql/snowflake/content-queries.ts); the row text
 * itself, which digests with node:crypto, is built by ./row-text.ts.
 */
import { canonicalSpatial } from '../mapping/spatial';
import { canonicalVariant, parseVariantRead } from '../mapping/variant';
import type { ColumnMapping, ValueKind } from '../mapping/type-map';

/** `hh:mi:ss` and a fraction of up to nine digits (nanoseconds), as both sides print times. */
const SECONDS = String.raw`(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?`;

// ---- 1. The same value ----

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
const TIME = new RegExp(`^${SECONDS}$`);
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
export function sameValueText(rule: SameValueRule, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = canonicalOf(rule, value);
  if (text === undefined) return unreadable(rule, value);
  return rule === 'text' ? JSON.stringify(text) : text;
}

export function sameValue(rule: SameValueRule, source: unknown, target: unknown): boolean {
  return sameValueText(rule, source) === sameValueText(rule, target);
}

/** Exact decimal text in one canonical form: "-12.50" and "-12.5" compare equal, "-0" is "0". */
export function canonicalDecimal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  let text = String(value).trim();
  const negative = text.startsWith('-');
  text = text.replace(/^[-+]/, '');
  let [whole = '0', fraction = ''] = text.split('.');
  whole = whole.replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}

// ---- 2. Row checksums: the text Snowflake prints of a loaded value ----

export const NULL_FIELD = '~';
export const FIELD_SEPARATOR = ',';
/** Fraction digits of times and timestamps in canonical form: SQL Server's 100 ns tick. */
export const FRACTION_DIGITS = 7;
/** Hex digits of a row's MD5 that are summed: 60 bits. */
export const ROW_HASH_HEX_DIGITS = 15;

/**
 * The Snowflake format model of a FLOAT's canonical text (see canonicalExpression in
 * src/sql/snowflake/content-queries.ts for the documentation it rests on): S prints + or -, one digit, a period,
 * sixteen 0 elements (digits printed, trailing zeros kept), EEEEE a signed three-digit exponent.
 */
export const FLOAT_MODEL = 'S0.0000000000000000EEEEE';
const FLOAT_FRACTION_DIGITS = 16;

/**
 * A double as TO_VARCHAR(x, FLOAT_MODEL) prints it. toExponential rounds the exact binary value
 * correctly (ECMA-262 Number.prototype.toExponential: n × 10^(e−f) − x as close to zero as possible, the
 * larger n on a tie, that is half away from zero, as Snowflake's ROUND does by default:
 * https://docs.snowflake.com/en/sql-reference/functions/round). -0 prints its sign: Snowflake's FLOAT
 * keeps -0 apart from 0. Whether the account prints the same is checked by the calibration probe
 * (calibration.ts). SQL Server's float holds no NaN or infinity (its range is -1.79E+308 to -2.23E-308,
 * 0 and 2.23E-308 to 1.79E+308: https://learn.microsoft.com/en-us/sql/t-sql/data-types/float-and-real-transact-sql);
 * they get a text no finite value has (Snowflake's fixed-position models print overflow there).
 */
export function canonicalFloat(x: number): string {
  if (!Number.isFinite(x)) return `#${String(x)}`;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '+';
  // `d.dddddddddddddddde±x`: the exponent sign at index 19, one to three digits after it.
  const text = Math.abs(x).toExponential(FLOAT_FRACTION_DIGITS);
  return `${sign}${text.slice(0, 18)}E${text[19]}${text.slice(20).padStart(3, '0')}`;
}

/** Kinds whose values can hold any character, so they are framed by their byte length. */
export const isFramed = (kind: ValueKind) => kind === 'text' || kind === 'variant';

/** Columns whose values can be megabytes (the (max) types, which have a size limit): digested in a row's text. */
export const isDigested = (mapping: Pick<ColumnMapping, 'maxBytes'>) => mapping.maxBytes !== undefined;
/** Marks a digested value in a row's text: no framed value starts with it (a frame starts with a digit). */
export const DIGEST_MARK = '#';

const SECONDS_FRACTION = new RegExp(SECONDS);

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Whether `text` has a fraction of exactly seven digits (what datetime2(7) and time(7) print). */
function hasSevenDigitFraction(text: string): boolean {
  const dot = text.indexOf('.');
  if (dot < 0 || (dot + 8 < text.length && text[dot + 8] !== ' ')) return false;
  for (let i = dot + 1; i <= dot + FRACTION_DIGITS; i += 1) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** `12:30:05.12` -> `12:30:05.1200000`; `2024-01-31 12:30:05 +05:30` -> `... 12:30:05.0000000 +05:30`. */
function sevenDigitFraction(text: string): string {
  // Hot path: the default precision already prints seven digits.
  if (hasSevenDigitFraction(text)) return text;
  return text.replace(
    SECONDS_FRACTION,
    (_m, seconds: string, fraction = '') =>
      `${seconds}.${fraction.padEnd(FRACTION_DIGITS, '0').slice(0, FRACTION_DIGITS)}`,
  );
}

/** The checksum text of one loaded (CSV/bind) value of a kind; see the table at the top. */
export function canonicalValue(kind: ValueKind, loaded: string): string {
  switch (kind) {
    case 'boolean':
      return loaded === 'TRUE' ? 'true' : 'false';
    case 'float':
      // The loaded text is the shortest that reads back as the double (values.ts): Number() gives it back.
      return canonicalFloat(Number(loaded));
    case 'text-number':
      // SQL Server prints a decimal whose precision equals its scale without the leading zero
      // (numeric(12,12): `.000000000001`); Snowflake's TO_VARCHAR prints `0.000000000001`.
      return loaded.startsWith('.') || loaded.startsWith('-.') ? loaded.replace('.', '0.') : loaded;
    case 'time':
    case 'timestamp-ntz':
    case 'timestamp-tz':
      return sevenDigitFraction(loaded);
    case 'spatial':
      // The loaded hex was checked when it was written (values.ts); a text no value gives otherwise.
      return canonicalSpatial(loaded) ?? `#unreadable ${loaded}`;
    case 'variant':
      return canonicalVariant(loaded);
    default:
      return loaded;
  }
}
