/**
 * SQL Server column type -> Snowflake column type, and how each value is read so that nothing is lost.
 *
 * `mssql`/tedious decode some types lossily (datetime2 to a millisecond Date, datetimeoffset without its
 * offset, decimal to a float), so such columns are converted to text by SQL Server itself in the SELECT
 * (`read`), with SQL Server's own formatting rules, and that text is what Snowflake parses.
 */
import { hintFor, MigrationError } from '../contracts/errors';
import type { SourceColumn } from '../contracts/table';
import { VARIANT_READ } from './variant';

/** How a value travels from the SELECT to the CSV file / insert binds. */
export type ValueKind =
  | 'number' // JS number from the driver (int, smallint, tinyint)
  | 'float' // IEEE double from the driver (float, and real's float32 value widened exactly)
  | 'text-number' // exact decimal text (bigint arrives as a string; decimal, money converted in SQL)
  | 'boolean'
  | 'text' // character data, uniqueidentifier text, xml
  | 'binary' // Buffer
  | 'date' // yyyy-mm-dd
  | 'time' // hh:mi:ss[.fffffff]
  | 'timestamp-ntz' // yyyy-mm-dd hh:mi:ss[.fffffff]
  | 'timestamp-tz' // yyyy-mm-dd hh:mi:ss[.fffffff] +hh:mm
  | 'spatial' // <SRID>;<hex WKB with Z and M>, loaded as hex WKB (GEOGRAPHY) or EWKB (GEOMETRY): spatial.ts
  | 'variant'; // sql_variant: its base type and value, loaded as JSON {"type","value"} into VARIANT: variant.ts

/** Snowflake's limits: VARCHAR holds at most 16 MB, BINARY 8 MB. */
export const SNOWFLAKE_MAX_VARCHAR_BYTES = 16_777_216;
export const SNOWFLAKE_MAX_BINARY_BYTES = 8_388_608;

export interface ColumnMapping {
  column: SourceColumn;
  targetType: string;
  kind: ValueKind;
  /** T-SQL expression producing the value to load, `{c}` standing for the quoted column. */
  read: string;
  /** Largest value Snowflake accepts in bytes, checked per value (never a silent cut). */
  maxBytes?: number;
  /** How the Snowflake column differs from the source column, for `discover` and `plan`; empty: exact. */
  changes: string[];
  /**
   * What the content check proves of this column's values where it rests on behaviour the Snowflake
   * documentation does not promise (shown by `discover` and `plan`); absent: every value, exactly.
   */
  checked?: string;
}

function fractionDigits(column: SourceColumn, fallback: number): number {
  return column.datetimePrecision ?? column.numericScale ?? fallback;
}

/** SQL Server compares under the column's collation; Snowflake columns get none, so compare by code point. */
function collationChanges(column: SourceColumn): string[] {
  const collation = column.collation;
  if (!collation || !/_CI(_|$)/i.test(collation)) return [];
  return [`case-insensitive collation ${collation} -> case-sensitive comparisons in Snowflake`];
}

function characterType(column: SourceColumn): Pick<ColumnMapping, 'targetType' | 'maxBytes'> {
  const length = column.charMaxLength;
  // -1 is (max); text/ntext/xml report 2^31-1 or -1. Snowflake VARCHAR(n) counts characters, which is
  // never more than SQL Server's n (bytes for varchar, UTF-16 units for nvarchar).
  if (length === null || length < 0 || length > SNOWFLAKE_MAX_VARCHAR_BYTES) {
    return { targetType: 'VARCHAR', maxBytes: SNOWFLAKE_MAX_VARCHAR_BYTES };
  }
  return { targetType: `VARCHAR(${length})` };
}

function binaryType(column: SourceColumn): Pick<ColumnMapping, 'targetType' | 'maxBytes'> {
  const length = column.charMaxLength;
  if (length === null || length < 0 || length > SNOWFLAKE_MAX_BINARY_BYTES) {
    return { targetType: 'BINARY', maxBytes: SNOWFLAKE_MAX_BINARY_BYTES };
  }
  return { targetType: `BINARY(${length})` };
}

type Rule = (column: SourceColumn) => Omit<ColumnMapping, 'column' | 'changes'> & { changes?: string[] };

/** See canonicalExpression in src/sql/snowflake/content-queries.ts and the README's "Content validation". */
const FLOAT_CHECKED =
  'content check: 17 significant digits, bit-exact where Snowflake rounds them correctly and keeps the sign of -0 (undocumented; the calibration probe checks both before a run)';

const integer =
  (digits: number): Rule =>
  () => ({ targetType: `NUMBER(${digits},0)`, kind: 'number', read: '{c}' });

const text =
  (...changes: string[]): Rule =>
  (c) => ({ ...characterType(c), kind: 'text', read: '{c}', changes: [...changes, ...collationChanges(c)] });

const FIXED_LENGTH =
  'fixed length: the spaces SQL Server pads values with are kept, and count in comparisons';

const HIERARCHY_PATH =
  'hierarchyid -> VARCHAR(4000), its path text (ToString(), e.g. /1/3/): sorts as text, not depth-first, and has no hierarchyid methods';

/**
 * geography and geometry: the driver would get SQL Server's own serialization (a CLR type, TDS UDT), so
 * SQL Server gives the SRID and the OGC WKB with any Z and M: STSrid
 * (https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/stsrid-geography-data-type) and
 * AsBinaryZM, "augmented with any Z (elevation) and M (measure) values carried by the instance"
 * (https://learn.microsoft.com/en-us/sql/t-sql/spatial-geography/asbinaryzm-geography-data-type), whose
 * hex CONVERT style 2 writes without 0x
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/cast-and-convert-transact-sql#binary-styles).
 * Z and M are read so that a value carrying them stops the run instead of losing them (spatial.ts).
 */
const SPATIAL_READ = "CAST({c}.STSrid AS nvarchar(11)) + N';' + CONVERT(nvarchar(max), {c}.AsBinaryZM(), 2)";

const SPATIAL_CHECKED =
  'content check: coordinates rounded to 14 decimal places, as Snowflake documents it stores them (the calibration probe checks that it rounds them to the same doubles)';

const spatial =
  (targetType: 'GEOGRAPHY' | 'GEOMETRY', changes: string[]): Rule =>
  () => ({ targetType, kind: 'spatial', read: SPATIAL_READ, changes, checked: SPATIAL_CHECKED });

const ROW_VERSION =
  'rowversion -> BINARY(8): the counter is copied as bytes, and Snowflake does not maintain it';

// Values SQL Server converts to text come back as nvarchar: the text is ASCII either way, and tedious
// decodes UTF-16 natively but varchar through iconv-lite per value (a third of the read CPU, measured).
const RULES: Record<string, Rule> = {
  bigint: () => ({ targetType: 'NUMBER(19,0)', kind: 'text-number', read: '{c}' }),
  int: integer(10),
  smallint: integer(5),
  tinyint: integer(3),
  bit: () => ({
    targetType: 'BOOLEAN',
    kind: 'boolean',
    read: '{c}',
    changes: ['1 and 0 become TRUE and FALSE'],
  }),
  decimal: (c) => ({
    targetType: `NUMBER(${c.numericPrecision ?? 18},${c.numericScale ?? 0})`,
    kind: 'text-number',
    read: 'CAST({c} AS nvarchar(48))',
  }),
  money: () => ({
    targetType: 'NUMBER(19,4)',
    kind: 'text-number',
    read: 'CONVERT(nvarchar(32), {c}, 2)',
    changes: ['money -> NUMBER(19,4): the same values, exact to 4 decimals'],
  }),
  smallmoney: () => ({
    targetType: 'NUMBER(10,4)',
    kind: 'text-number',
    read: 'CONVERT(nvarchar(32), {c}, 2)',
    changes: ['smallmoney -> NUMBER(10,4): the same values, exact to 4 decimals'],
  }),
  // Both arrive as IEEE doubles (a real's float32 value widened exactly) and FLOAT is a double.
  float: () => ({ targetType: 'FLOAT', kind: 'float', read: '{c}', checked: FLOAT_CHECKED }),
  real: () => ({
    targetType: 'FLOAT',
    kind: 'float',
    read: '{c}',
    checked: FLOAT_CHECKED,
    changes: ['4-byte real -> 8-byte FLOAT: the same values, widened exactly'],
  }),
  date: () => ({ targetType: 'DATE', kind: 'date', read: 'CONVERT(nvarchar(10), {c}, 23)' }),
  time: (c) => ({
    targetType: `TIME(${fractionDigits(c, 7)})`,
    kind: 'time',
    read: 'CAST({c} AS nvarchar(16))',
  }),
  // datetime keeps 1/300 s ticks; style 121 prints them as SQL Server shows them (.000/.003/.007).
  datetime: () => ({
    targetType: 'TIMESTAMP_NTZ(3)',
    kind: 'timestamp-ntz',
    read: 'CONVERT(nvarchar(23), {c}, 121)',
    changes: ['1/300 s ticks -> milliseconds, as SQL Server shows them (.003, .007)'],
  }),
  smalldatetime: () => ({
    targetType: 'TIMESTAMP_NTZ(0)',
    kind: 'timestamp-ntz',
    read: 'CONVERT(nvarchar(19), {c}, 120)',
  }),
  datetime2: (c) => ({
    targetType: `TIMESTAMP_NTZ(${fractionDigits(c, 7)})`,
    kind: 'timestamp-ntz',
    read: 'CONVERT(nvarchar(27), {c}, 121)',
  }),
  datetimeoffset: (c) => ({
    targetType: `TIMESTAMP_TZ(${fractionDigits(c, 7)})`,
    kind: 'timestamp-tz',
    read: 'CONVERT(nvarchar(34), {c}, 121)',
    changes: ['datetimeoffset -> TIMESTAMP_TZ: each value keeps its instant and its UTC offset'],
  }),
  char: text(FIXED_LENGTH),
  varchar: text(),
  text: text(),
  xml: text('xml -> its text: no XML type or XML schema in Snowflake'),
  // uniqueidentifier as SQL Server prints it (upper case, its own byte order), never re-encoded in JS.
  uniqueidentifier: () => ({
    targetType: 'VARCHAR(36)',
    kind: 'text',
    read: 'CONVERT(nchar(36), {c})',
    changes: [
      "uniqueidentifier -> VARCHAR(36), SQL Server's upper-case text: sorts as text, not in SQL Server's order",
    ],
  }),
  // hierarchyid as its canonical path text: "ToString is called implicitly when a conversion from
  // hierarchyid to a string type occurs", CAST(node AS nvarchar(4000)), return type nvarchar(4000)
  // (https://learn.microsoft.com/en-us/sql/t-sql/data-types/tostring-database-engine). The driver would
  // get the CLR type's own binary encoding instead (TDS UDT), which Snowflake cannot read.
  hierarchyid: () => ({
    targetType: 'VARCHAR(4000)',
    kind: 'text',
    read: 'CAST({c} AS nvarchar(4000))',
    changes: [HIERARCHY_PATH],
  }),
  geography: spatial('GEOGRAPHY', [
    'geography -> GEOGRAPHY: coordinates kept to 14 decimal places; a value with another SRID than 4326, Z or M coordinates, or circular arcs stops the run',
  ]),
  geometry: spatial('GEOMETRY', [
    "geometry -> GEOMETRY with each value's SRID: coordinates kept to 14 decimal places; a value with Z or M coordinates or circular arcs stops the run",
  ]),
  sql_variant: () => ({
    targetType: 'VARIANT',
    kind: 'variant',
    read: VARIANT_READ,
    changes: [
      'sql_variant -> VARIANT holding {"type": <base type>, "value": <exact text>}: read v:value with the type named in v:type',
    ],
  }),
  binary: (c) => ({ ...binaryType(c), kind: 'binary', read: '{c}' }),
  varbinary: (c) => ({ ...binaryType(c), kind: 'binary', read: '{c}' }),
  image: (c) => ({ ...binaryType(c), kind: 'binary', read: '{c}' }),
  // rowversion: an 8-byte binary counter.
  timestamp: () => ({ targetType: 'BINARY(8)', kind: 'binary', read: '{c}', changes: [ROW_VERSION] }),
  rowversion: () => ({ targetType: 'BINARY(8)', kind: 'binary', read: '{c}', changes: [ROW_VERSION] }),
};
RULES.numeric = RULES.decimal!;
RULES.nchar = RULES.char!;
RULES.nvarchar = RULES.varchar!;
RULES.ntext = RULES.text!;

export const SUPPORTED_SOURCE_TYPES = Object.keys(RULES).sort();

/**
 * Snowflake's NUMBER takes a scale of 0 to 37, so decimal(38,38) has no exact home (NUMBER(38,37) would
 * round every value's last digit). https://docs.snowflake.com/en/sql-reference/data-types-numeric
 */
export const SNOWFLAKE_MAX_SCALE = 37;

/** Why a column cannot be carried exactly, or undefined when it can. */
function refusal(column: SourceColumn): string | undefined {
  const type = column.dataType.toLowerCase();
  if (!RULES[type]) return 'the migrator has no exact mapping for it';
  if ((type === 'decimal' || type === 'numeric') && (column.numericScale ?? 0) > SNOWFLAKE_MAX_SCALE)
    return `Snowflake's NUMBER holds at most ${SNOWFLAKE_MAX_SCALE} digits after the decimal point, this column ${column.numericScale}`;
  return undefined;
}

/** Maps one column, or throws naming `table.column` and the type when it cannot be carried exactly. */
export function mapColumn(tableName: string, column: SourceColumn): ColumnMapping {
  const type = column.dataType.toLowerCase();
  const why = refusal(column);
  if (why !== undefined) {
    const shown =
      RULES[type] && column.numericScale
        ? `${type}(${column.numericPrecision},${column.numericScale})`
        : type;
    throw new MigrationError(
      'UnsupportedColumnType',
      `Column ${tableName}.${column.name} has type ${shown}, which cannot be migrated exactly (${why}). ` +
        `Leave it out with excludeColumns, or convert it to a supported type in a view or computed column. Supported: ${SUPPORTED_SOURCE_TYPES.join(', ')}.`,
    );
  }
  const { changes = [], ...mapping } = RULES[type]!(column);
  const limit =
    mapping.maxBytes && `a value over ${mapping.maxBytes / 1_048_576} MB (Snowflake's limit) stops the run`;
  return { column, ...mapping, changes: limit ? [...changes, limit] : changes };
}

/** What happens to a column's values in Snowflake: the type-fidelity verdict `discover` and `plan` show. */
export type ColumnVerdict =
  | { verdict: 'exact'; targetType: string; checked?: string }
  | { verdict: 'converted'; targetType: string; how: string[]; checked?: string }
  | { verdict: 'refused'; why: string; todo: string };

export function columnVerdict(column: SourceColumn): ColumnVerdict {
  const why = refusal(column);
  if (why !== undefined) return { verdict: 'refused', why, todo: hintFor('UnsupportedColumnType')! };
  const { targetType, changes, checked } = mapColumn('', column);
  const proof = checked === undefined ? {} : { checked };
  return changes.length
    ? { verdict: 'converted', targetType, how: changes, ...proof }
    : { verdict: 'exact', targetType, ...proof };
}
