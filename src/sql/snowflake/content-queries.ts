/**
 * The Snowflake SQL that checks what was loaded: aggregates, each value's canonical text, row hashes and
 * checksums, and the calibration probes (see the README's "Content validation"). Pure: no driver, no I/O.
 */
import type { SnowflakeName } from '../../contracts/table';
import { quoteIdentifier, UNQUOTED_IDENTIFIER } from '../../names/snowflake-names';
import type { ValueKind } from '../../mapping/type-map';
import type { AggregateSpec } from '../../validation/aggregates';
import {
  FIELD_SEPARATOR,
  FLOAT_MODEL,
  FRACTION_DIGITS,
  NULL_FIELD,
  ROW_HASH_HEX_DIGITS,
  DIGEST_MARK,
  isFramed,
} from '../../validation/canonical';
import {
  qualifiedName,
  qualifiedSchema,
  type TargetColumn,
  BATCH_COLUMN,
  ATTEMPT_COLUMN,
} from './statements';

/** The target side of validation, on the loaded rows; aliases match aggregatesQuery on SQL Server. */
export function aggregatesQuery(
  table: SnowflakeName,
  specs: AggregateSpec[],
  metadata: { isMigrated: string; migratedAt: string },
): string {
  const measures = specs.map(
    (spec) =>
      `${spec.measure === 'count' ? 'COUNT' : 'SUM'}(${quoteIdentifier(spec.targetColumn)}) AS ${quoteIdentifier(spec.alias)}`,
  );
  const select = [
    'COUNT(*) AS "rows"',
    ...measures,
    `COUNT_IF(NOT ${quoteIdentifier(metadata.isMigrated)}) AS "notMigrated"`,
    `COUNT(${quoteIdentifier(metadata.migratedAt)}) AS "withMigratedAt"`,
  ].join(', ');
  return `SELECT ${select} FROM ${qualifiedName(table)}`;
}

/** A column as the content checksum sees it: its Snowflake name and how its values were loaded. */
export interface ContentColumn {
  name: string;
  kind: ValueKind;
  /** Its values can be megabytes: the row's text holds their MD5 (isDigested in validation/canonical.ts). */
  digested?: boolean;
}

const FRACTION = `FF${FRACTION_DIGITS}`;
const CANONICAL_FORMAT: Partial<Record<ValueKind, string>> = {
  float: FLOAT_MODEL,
  date: 'YYYY-MM-DD',
  time: `HH24:MI:SS.${FRACTION}`,
  'timestamp-ntz': `YYYY-MM-DD HH24:MI:SS.${FRACTION}`,
  'timestamp-tz': `YYYY-MM-DD HH24:MI:SS.${FRACTION} TZH:TZM`,
};

/**
 * The canonical text of a stored value, the same text src/validation/canonical.ts builds from the loaded
 * value. Kind by kind, the Snowflake function and the documented behaviour each form rests on:
 *
 * - number, text-number: TO_VARCHAR(NUMBER(p,s)). "DECIMAL ... Default Format TM9" and "TM9 ... Any
 *   decimal fixed-point number value is printed precisely with the number of digits in the fractional
 *   part determined by the scale of the number" (https://docs.snowflake.com/en/sql-reference/sql-format-models,
 *   "Default formats for printing", "Text-minimal numeric formats").
 * - float: TO_VARCHAR(x, 'S0.0000000000000000EEEEE') (same page, "Fixed-position numeric formats"):
 *   "S: Explicit numeric sign place holder; prints a + sign for positive numbers or a - sign for negative
 *   numbers"; "0: Position for a digit; leading/trailing zeros are explicitly printed"; "The exponent
 *   element causes fixed-position numbers to be normalized so that the first digit in the integer part is
 *   1 to 9 (unless the value of the number is zero, in which case the value of the exponent is also
 *   zero)"; "EEE, EEEE, and EEEEE always print the + or - sign for the exponent and the requested number
 *   of digits (leading zeros are not suppressed)", EEEEE covering "from E-324 to E+308", every double.
 *   One digit and sixteen fraction digits are 17 significant digits, which tell every two doubles apart.
 *   Not documented, so checked on the account by the calibration probe: that the digits are correctly
 *   rounded from the binary value (ties away from zero, like ROUND's default HALF_AWAY_FROM_ZERO,
 *   https://docs.snowflake.com/en/sql-reference/functions/round), and that S prints - for -0 (the page
 *   says only that floating-point numbers "have two distinct zero values (+0. and -0.)";
 *   https://docs.snowflake.com/en/sql-reference/data-types-numeric shows a FLOAT stored as -0). The
 *   default TO_VARCHAR(FLOAT) is not used: its default model, TME, prints a "minimal number of digits"
 *   (the TO_CHAR page shows TO_VARCHAR(LOG(3,4)) as 1.261859507), which loses bits.
 * - boolean: TO_VARCHAR(BOOLEAN) converts TRUE to 'true' and FALSE to 'false'
 *   (https://docs.snowflake.com/en/sql-reference/data-type-conversion, BOOLEAN to VARCHAR).
 * - text: the VARCHAR itself, framed by OCTET_LENGTH, its length in bytes
 *   (https://docs.snowflake.com/en/sql-reference/functions/octet_length).
 * - binary: HEX_ENCODE: "The default value is 1 and indicates that uppercase letters are used"
 *   (https://docs.snowflake.com/en/sql-reference/functions/hex_encode).
 * - date, time, timestamps: TO_VARCHAR with the format models above: YYYY, MM, DD, HH24, MI, SS, FF7
 *   (seven digits of fractional seconds), TZH:TZM
 *   (https://docs.snowflake.com/en/sql-reference/date-time-input-output, "Date and time formats").
 * - variant: the object's type and value, `<type>;<value>` (variantText below), framed by its length.
 * - spatial: the SRID (ST_SRID, https://docs.snowflake.com/en/sql-reference/functions/st_srid), `;`, and
 *   the WKB in hex (ST_ASWKB "return the binary representation of that value in WKB", little-endian
 *   as its examples print it: https://docs.snowflake.com/en/sql-reference/functions/st_aswkb).
 */
export function canonicalExpression(column: ContentColumn): string {
  const c = quoteIdentifier(column.name);
  const format = CANONICAL_FORMAT[column.kind];
  if (format) return `TO_VARCHAR(${c}, '${format}')`;
  if (column.kind === 'text') return c;
  if (column.kind === 'binary') return `HEX_ENCODE(${c})`;
  if (column.kind === 'spatial') return spatialText(c);
  if (column.kind === 'variant') return variantText(c);
  return `TO_VARCHAR(${c})`;
}

/**
 * `<type>;<value>` of a VARIANT holding a sql_variant's object (src/mapping/variant.ts): both fields
 * by bracket notation (https://docs.snowflake.com/en/user-guide/querying-semistructured), cast to VARCHAR,
 * which gives a VARIANT string's characters as they are (without JSON quotes:
 * https://docs.snowflake.com/en/sql-reference/data-type-conversion). A VARIANT that is not such an
 * object has no field to read: it reads `#unreadable`, a text no loaded object gives (SQL NULL stays NULL).
 */
export const variantText = (quoted: string) =>
  `NVL2(${quoted}, COALESCE(${quoted}['type']::VARCHAR || ';' || ${quoted}['value']::VARCHAR, '#unreadable'), NULL)`;

/** `<SRID>;<hex WKB>` of a GEOGRAPHY or GEOMETRY (see canonicalExpression). */
export const spatialText = (quoted: string) =>
  `TO_VARCHAR(ST_SRID(${quoted})) || ';' || HEX_ENCODE(ST_ASWKB(${quoted}))`;

function framedExpression(column: ContentColumn): string {
  const c = quoteIdentifier(column.name);
  // MD5 returns the 32-character lower-case hex of its argument's UTF-8 bytes, as the worker's digestOf.
  // https://docs.snowflake.com/en/sql-reference/functions/md5
  const value = column.digested
    ? `'${DIGEST_MARK}' || MD5(${canonicalExpression(column)})`
    : isFramed(column.kind)
      ? `OCTET_LENGTH(${canonicalExpression(column)}) || ':' || ${canonicalExpression(column)}`
      : canonicalExpression(column);
  return `NVL2(${c}, ${value}, '${NULL_FIELD}')`;
}

/** A row's canonical text (see checksum.ts): framed values joined by the separator. */
export function rowTextExpression(columns: ContentColumn[]): string {
  return columns.map(framedExpression).join(` || '${FIELD_SEPARATOR}' || `);
}

const hexModel = 'X'.repeat(ROW_HASH_HEX_DIGITS);
const rowHash = (columns: ContentColumn[]) =>
  `TO_NUMBER(SUBSTR(MD5(${rowTextExpression(columns)}), 1, ${ROW_HASH_HEX_DIGITS}), '${hexModel}')`;
const bucketOf = (keys: ContentColumn[], depth: number) =>
  `SUBSTR(MD5(${rowTextExpression(keys)}), 1, ${depth})`;

/** A probed value's canonical text and row hash (as a one-column row), aliased T<suffix> and H<suffix>. */
const probedValue = (value: ContentColumn, suffix: string) =>
  `${canonicalExpression(value)} AS "T${suffix}", ${rowHash([value])} AS "H${suffix}"`;

/**
 * The calibration probe's query (src/validation/calibration.ts): `count` bound values, each converted
 * to `targetType` as an INSERT's binds are, printed in canonical form and hashed as a one-column row,
 * in bind order. No table: nothing is created, even before the target database exists.
 */
export function calibrationQuery(column: { kind: ValueKind; targetType: string }, count: number): string {
  const rows = Array.from(
    { length: count },
    (_, i) =>
      `SELECT ${i} AS "I", ${column.kind === 'variant' ? 'PARSE_JSON(?)' : `CAST(? AS ${column.targetType})`} AS "V"`,
  ).join(' UNION ALL ');
  return `SELECT "I", ${probedValue({ name: 'V', kind: column.kind }, '')} FROM (${rows}) ORDER BY "I"`;
}

/**
 * The probe's table for the COPY path: TEMPORARY, so it exists only in this session and is purged when
 * the session ends (https://docs.snowflake.com/en/user-guide/tables-temp-transient); its columns are the
 * sentinel's index and one column per probed type, nullable (a type with fewer sentinels has NULLs).
 */
export function createProbeTable(
  table: SnowflakeName,
  index: string,
  values: Pick<TargetColumn, 'name' | 'type'>[],
): string {
  const columns = [
    `${quoteIdentifier(index)} NUMBER(10,0) NOT NULL`,
    ...values.map((c) => `${quoteIdentifier(c.name)} ${c.type}`),
  ];
  return `CREATE TEMPORARY TABLE ${qualifiedName(table)} (${columns.join(', ')})`;
}

/**
 * A folder of a table's own stage, `@db.schema.%table/path/`: "each table has a Snowflake stage allocated
 * to it", "an implicit stage tied to a table object", not a separate database object
 * (https://docs.snowflake.com/en/user-guide/data-load-local-file-system-create-stage, "Table stages").
 * The table's name is written unquoted, as the documentation writes `@%mytable`: only a name that reads
 * the same unquoted is accepted.
 */
export function tableStageLocation(table: SnowflakeName, path: string): string {
  if (!UNQUOTED_IDENTIFIER.test(table.name) || table.name !== table.name.toUpperCase())
    throw new Error(`A table stage is named here only for an upper-case unquoted name, not ${table.name}.`);
  return `@${qualifiedSchema(table.database, table.schema)}.%${table.name}/${path}/`;
}

/** Each probed type's canonical text and row hash per sentinel (T0/H0, T1/H1, ...), in index order. */
export function probeTableQuery(table: SnowflakeName, index: string, values: ContentColumn[]): string {
  const select = values.map((value, k) => probedValue(value, String(k))).join(', ');
  const i = quoteIdentifier(index);
  return `SELECT ${i} AS "I", ${select} FROM ${qualifiedName(table)} ORDER BY ${i}`;
}

/** Which rows of a table a comparison covers: a condition with binds, or the whole table. */
export interface ContentScope {
  where?: string;
  binds: (string | number)[];
}

export interface BoundStatement {
  sql: string;
  binds: (string | number)[];
}

/** The rows a batch attempt loaded into staging. */
export const batchScope = (batch: number, attempt: number): ContentScope => ({
  where: `${quoteIdentifier(BATCH_COLUMN)} = ? AND ${quoteIdentifier(ATTEMPT_COLUMN)} = ?`,
  binds: [batch, attempt],
});

function scoped(scope: ContentScope, extra?: BoundStatement): BoundStatement {
  const conditions = [scope.where, extra?.sql].filter((c): c is string => Boolean(c));
  return {
    sql: conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '',
    binds: [...scope.binds, ...(extra?.binds ?? [])],
  };
}

/** Row count and the sum of the rows' hashes over a scope. */
export function checksumQuery(
  table: SnowflakeName,
  columns: ContentColumn[],
  scope: ContentScope,
): BoundStatement {
  const where = scoped(scope);
  return {
    sql: `SELECT COUNT(*) AS "rows", SUM(${rowHash(columns)}) AS "sum" FROM ${qualifiedName(table)}${where.sql}`,
    binds: where.binds,
  };
}

const inList = (expression: string, values: string[]): BoundStatement => ({
  sql: `${expression} IN (${values.map(() => '?').join(', ')})`,
  binds: values,
});

/**
 * Checksums per bucket of `depth` hex digits of the key's MD5, within the given parent buckets (one
 * digit shorter; all rows at depth 1): one step of bisecting a difference down to its rows.
 */
export function bucketChecksumQuery(
  table: SnowflakeName,
  columns: ContentColumn[],
  keys: ContentColumn[],
  scope: ContentScope,
  depth: number,
  parents: string[],
): BoundStatement {
  const bucket = bucketOf(keys, depth);
  const where = scoped(scope, depth > 1 ? inList(bucketOf(keys, depth - 1), parents) : undefined);
  return {
    sql:
      `SELECT ${bucket} AS "bucket", COUNT(*) AS "rows", SUM(${rowHash(columns)}) AS "sum" ` +
      `FROM ${qualifiedName(table)}${where.sql} GROUP BY ${bucket}`,
    binds: where.binds,
  };
}

/** The canonical values of the rows in the given buckets (columns aliased c0, c1, ...). */
export function bucketRowsQuery(
  table: SnowflakeName,
  columns: ContentColumn[],
  keys: ContentColumn[],
  scope: ContentScope,
  buckets: string[],
): BoundStatement {
  const depth = buckets[0]?.length ?? 1;
  const where = scoped(scope, inList(bucketOf(keys, depth), buckets));
  const select = columns.map((c, i) => `${canonicalExpression(c)} AS "c${i}"`).join(', ');
  return { sql: `SELECT ${select} FROM ${qualifiedName(table)}${where.sql}`, binds: where.binds };
}
