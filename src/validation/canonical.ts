/**
 * Row-level content checksums, part one: every column of every row in one canonical text, the same text the
 * worker builds from the values it loads and Snowflake builds from the stored values (see
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
import { canonicalVariant } from '../mapping/variant';
import type { ColumnMapping, ValueKind } from '../mapping/type-map';

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

const SECONDS_FRACTION = /(\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?/;

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

/** The canonical value of one loaded (CSV/bind) value of a kind; see the table at the top. */
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
