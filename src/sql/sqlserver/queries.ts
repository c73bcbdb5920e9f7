/**
 * Every piece of T-SQL the migrator sends is built here, and every identifier is quoted by
 * `quoteIdentifier`. Pure: no driver, no I/O.
 *
 * Key values travel as text produced by SQL Server (`keyText`) and are converted back by SQL Server
 * (`keyParam`), so all comparisons of keys follow its collation and its uniqueidentifier order.
 */
import { MigrationError } from '../../contracts/errors';
import type { BatchRange, SourceColumn, SourceTableRef } from '../../contracts/table';
import type { ColumnMapping } from '../../mapping/type-map';
import type { AggregateSpec } from '../../validation/aggregates';
import { displayTableName, quoteIdentifier } from '../../names/sqlserver-names';
import { invalidFilterMessage } from './filter';

export function qualifiedTable(ref: SourceTableRef): string {
  return `${quoteIdentifier(ref.schema)}.${quoteIdentifier(ref.table)}`;
}

/** The column's declared type as T-SQL spells it, e.g. nvarchar(50), decimal(18,2), datetime2(7). */
export function declaredType(column: SourceColumn): string {
  const type = column.dataType.toLowerCase();
  const length = column.charMaxLength === -1 ? 'max' : String(column.charMaxLength);
  switch (type) {
    case 'decimal':
    case 'numeric':
      return `${type}(${column.numericPrecision},${column.numericScale})`;
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary':
      return `${type}(${length})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${type}(${column.datetimePrecision})`;
    default:
      return type;
  }
}

const KEY_TEXT: Record<string, string> = {
  bigint: 'CAST({c} AS nvarchar(4000))',
  int: 'CAST({c} AS nvarchar(4000))',
  smallint: 'CAST({c} AS nvarchar(4000))',
  tinyint: 'CAST({c} AS nvarchar(4000))',
  bit: 'CAST({c} AS nvarchar(4000))',
  decimal: 'CAST({c} AS nvarchar(4000))',
  numeric: 'CAST({c} AS nvarchar(4000))',
  money: 'CONVERT(nvarchar(40), {c}, 2)',
  smallmoney: 'CONVERT(nvarchar(40), {c}, 2)',
  char: '{c}',
  varchar: '{c}',
  nchar: '{c}',
  nvarchar: '{c}',
  uniqueidentifier: 'CONVERT(nchar(36), {c})',
  date: 'CONVERT(nvarchar(40), {c}, 121)',
  time: 'CONVERT(nvarchar(40), {c}, 121)',
  datetime: 'CONVERT(nvarchar(40), {c}, 121)',
  smalldatetime: 'CONVERT(nvarchar(40), {c}, 121)',
  datetime2: 'CONVERT(nvarchar(40), {c}, 121)',
  datetimeoffset: 'CONVERT(nvarchar(40), {c}, 121)',
  binary: 'CONVERT(nvarchar(4000), {c}, 1)',
  varbinary: 'CONVERT(nvarchar(4000), {c}, 1)',
  // Its path text; CAST(@p AS hierarchyid) parses it back (Parse: "called implicitly when a conversion
  // from a string type to hierarchyid occurs",
  // https://learn.microsoft.com/en-us/sql/t-sql/data-types/parse-database-engine).
  hierarchyid: 'CAST({c} AS nvarchar(4000))',
};

/** Why a column cannot order batches, or undefined when it can. */
export function keyColumnProblem(column: SourceColumn): string | undefined {
  if (!KEY_TEXT[column.dataType.toLowerCase()]) return `its type ${column.dataType} cannot bound key ranges`;
  if (column.charMaxLength === -1) return `${declaredType(column)} cannot bound key ranges`;
  if (column.nullable) return 'it allows NULL, and rows with a NULL key would fall outside every key range';
  return undefined;
}

/** `qualifier`: a table alias with its dot (`t.`), when the query reads more than one table. */
function substitute(template: string, column: SourceColumn, qualifier = ''): string {
  return template.replaceAll('{c}', qualifier + quoteIdentifier(column.name));
}

/** A select-list item reading a column through its mapping's lossless expression, named after the column. */
export function readColumn(mapping: ColumnMapping, qualifier = ''): string {
  const expression = substitute(mapping.read, mapping.column, qualifier);
  const name = quoteIdentifier(mapping.column.name);
  return expression === name ? name : `${expression} AS ${name}`;
}

export function keyText(column: SourceColumn): string {
  const template = KEY_TEXT[column.dataType.toLowerCase()];
  if (!template) throw new Error(`${column.name}: ${keyColumnProblem(column)}`);
  return substitute(template, column);
}

export function keyParam(column: SourceColumn, param: string): string {
  const type = column.dataType.toLowerCase();
  return type === 'binary' || type === 'varbinary'
    ? `CONVERT(${declaredType(column)}, @${param}, 1)`
    : `CAST(@${param} AS ${declaredType(column)})`;
}

export interface BoundQuery {
  text: string;
  /** Parameters, all bound as nvarchar(4000) text (except `skip`, an int). */
  params: Record<string, string>;
}

/**
 * Lexicographic comparison of the key tuple with bound values: `>` for a lower bound, `<=` for an upper
 * one. (a, b) > (x, y) is a > x OR (a = x AND b > y); for a composite key it is led by `a >= x` (`a <= x`),
 * which implies nothing more but is a predicate on the index's leading column alone, so SQL Server can
 * seek to the range instead of scanning the whole index: an OR of conjunctions is not a seek predicate
 * (https://learn.microsoft.com/en-us/sql/relational-databases/sql-server-index-design-guide, "Index key
 * columns ... in the WHERE clause").
 */
function keyComparison(keys: SourceColumn[], values: string[], op: '>' | '<=', prefix: string): BoundQuery {
  const params: Record<string, string> = {};
  const strict = op === '>' ? '>' : '<';
  const alternatives = keys.map((_, i) => {
    const terms = keys.slice(0, i + 1).map((k, j) => {
      const param = `${prefix}${j}`;
      params[param] = values[j]!;
      const cmp = j < i ? '=' : i === keys.length - 1 ? op : strict;
      return `${quoteIdentifier(k.name)} ${cmp} ${keyParam(k, param)}`;
    });
    return terms.length === 1 ? terms[0]! : `(${terms.join(' AND ')})`;
  });
  const tuple = `(${alternatives.join(' OR ')})`;
  if (keys.length === 1) return { text: tuple, params };
  const leading = `${quoteIdentifier(keys[0]!.name)} ${op === '>' ? '>=' : '<='} ${keyParam(keys[0]!, `${prefix}0`)}`;
  return { text: `(${leading} AND ${tuple})`, params };
}

/** Key columns whose bound text SQL Server converts to a code page (char, varchar): it may lose characters. */
export function codePageKeys(keys: SourceColumn[]): number[] {
  return keys.flatMap((k, i) => (['char', 'varchar'].includes(k.dataType.toLowerCase()) ? [i] : []));
}

/**
 * Whether each char/varchar key value survives the way range queries bind it (`keyParam`: nvarchar text
 * cast to the column's type), compared byte for byte as Unicode. A value with characters outside the code
 * page SQL Server converts to would come back with `?` and bound the wrong rows. Microsoft does not say
 * plainly which collation's code page that conversion uses, so the migrator checks instead of assuming.
 */
export function keyRoundTripQuery(keys: SourceColumn[], values: string[]): BoundQuery {
  const params: Record<string, string> = {};
  const checks = codePageKeys(keys).map((i) => {
    params[`r${i}`] = values[i]!;
    const back = `CAST(${keyParam(keys[i]!, `r${i}`)} AS nvarchar(4000))`;
    return `CASE WHEN CONVERT(varbinary(8000), ${back}) = CONVERT(varbinary(8000), @r${i}) THEN 1 ELSE 0 END AS ${quoteIdentifier(`ok${i}`)}`;
  });
  return { text: `SELECT ${checks.join(', ')}`, params };
}

/**
 * The filter as a condition, checked again here because every query that carries it is built here: the
 * config schema refuses a bad filter first, but a workflow input may come from elsewhere.
 */
function filterCondition(table: SourceTableRef, filter: string): string {
  const problem = invalidFilterMessage(displayTableName(table), filter);
  if (problem) throw new MigrationError('InvalidFilter', problem);
  return `(${filter})`;
}

function whereClause(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function rangeConditions(
  table: SourceTableRef,
  keys: SourceColumn[],
  range: Pick<BatchRange, 'lower' | 'upper'>,
  filter?: string,
) {
  const parts: BoundQuery[] = [];
  if (range.lower) parts.push(keyComparison(keys, range.lower, '>', 'l'));
  if (range.upper) parts.push(keyComparison(keys, range.upper, '<=', 'u'));
  const conditions = parts.map((p) => p.text);
  if (filter) conditions.push(filterCondition(table, filter));
  return { conditions, params: Object.assign({}, ...parts.map((p) => p.params)) as Record<string, string> };
}

function orderBy(keys: SourceColumn[]): string {
  return keys.map((k) => quoteIdentifier(k.name)).join(', ');
}

/**
 * The key of the row `skip` rows past `after` (in key order): the upper bound of the next batch.
 * SQL Server finds and compares it; the migrator only carries the text.
 */
export function batchBoundaryQuery(
  table: SourceTableRef,
  keys: SourceColumn[],
  after: string[] | null,
  filter?: string,
): BoundQuery {
  const { conditions, params } = rangeConditions(table, keys, { lower: after, upper: null }, filter);
  const select = keys.map((k, i) => `${keyText(k)} AS ${quoteIdentifier(`k${i}`)}`).join(', ');
  return {
    text:
      `SELECT ${select} FROM ${qualifiedTable(table)}${whereClause(conditions)} ` +
      `ORDER BY ${orderBy(keys)} OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY`,
    params,
  };
}

/** Reads one batch: every column through its lossless `read` expression. */
export function selectBatchQuery(
  table: SourceTableRef,
  columns: ColumnMapping[],
  keys: SourceColumn[],
  range: Pick<BatchRange, 'lower' | 'upper'>,
  filter?: string,
): BoundQuery {
  const select = columns.map((m) => readColumn(m)).join(', ');
  // No ORDER BY: a batch needs no order (the range is in the WHERE), and in T-SQL ORDER BY [k] would name
  // the converted select-list alias [k], not the column.
  const { conditions, params } = rangeConditions(table, keys, range, filter);
  return { text: `SELECT ${select} FROM ${qualifiedTable(table)}${whereClause(conditions)}`, params };
}

/**
 * A table's rows as the catalog estimates them, without reading it: sys.partitions' `rows` ("approximate
 * number of rows in this partition") summed over the partitions of the heap (index_id 0) or the
 * clustered index (1), which together hold each row once. No row for a view (not in sys.tables).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-partitions-transact-sql
 */
export const ROW_ESTIMATE_QUERY =
  'SELECT SUM(p.rows) AS row_count FROM sys.partitions AS p ' +
  'JOIN sys.tables AS t ON t.object_id = p.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND p.index_id IN (0, 1)';

export function countRowsQuery(table: SourceTableRef, filter?: string): string {
  return `SELECT COUNT_BIG(*) AS row_count FROM ${qualifiedTable(table)}${whereClause(filter ? [filterCondition(table, filter)] : [])}`;
}

/** The source side of validation: row count, non-NULL counts and exact sums (see validation/aggregates.ts). */
export function aggregatesQuery(table: SourceTableRef, specs: AggregateSpec[], filter?: string): string {
  const measures = specs.map((spec) => {
    const column = quoteIdentifier(spec.mapping.column.name);
    const scale = spec.mapping.column.numericScale ?? 0;
    const expression =
      spec.measure === 'count'
        ? `COUNT_BIG(${column})`
        : `CAST(SUM(CAST(${column} AS decimal(38, ${scale}))) AS varchar(60))`;
    return `${expression} AS ${quoteIdentifier(spec.alias)}`;
  });
  const select = ['COUNT_BIG(*) AS [rows]', ...measures].join(', ');
  return `SELECT ${select} FROM ${qualifiedTable(table)}${whereClause(filter ? [filterCondition(table, filter)] : [])}`;
}

/** Compiles a filter without reading a row: SQL Server resolves its columns and types (for `check`). */
export function compileFilterQuery(table: SourceTableRef, filter: string): string {
  return `SELECT TOP 0 1 AS compiled FROM ${qualifiedTable(table)} WHERE ${filterCondition(table, filter)}`;
}

/** Database permissions whose holder could change data or schema: the migrator needs none of them. */
export const WRITE_PERMISSIONS = ['CONTROL', 'ALTER', 'CREATE TABLE', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** What the login could do besides reading (`check` warns): fixed roles, then effective database permissions. */
export const WRITE_ACCESS_QUERY =
  "SELECT IS_SRVROLEMEMBER('sysadmin') AS [sysadmin], IS_ROLEMEMBER('db_owner') AS [db_owner], " +
  WRITE_PERMISSIONS.map((p) => `HAS_PERMS_BY_NAME(NULL, 'DATABASE', '${p}') AS ${quoteIdentifier(p)}`).join(
    ', ',
  );

/**
 * What decides whether the login reads a table's real values and all its rows: UNMASK (masked columns,
 * https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking; sysadmin,
 * db_owner and CONTROL include it) and whether it may read the security policies (VIEW DEFINITION or
 * ALTER ANY SECURITY POLICY,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-policies-transact-sql).
 * Database-level grants only: SQL Server 2022's UNMASK on a schema, table or column is not read.
 * https://learn.microsoft.com/sql/t-sql/functions/has-perms-by-name-transact-sql
 */
export const READ_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'UNMASK') AS [unmask], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DEFINITION') AS [view_definition], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'ALTER ANY SECURITY POLICY') AS [alter_any_security_policy]";

/**
 * The database permissions `check` lists besides READ_PERMISSIONS_QUERY's: VIEW DATABASE STATE (table
 * sizes, sys.dm_db_partition_stats) or, from SQL Server 2022, VIEW DATABASE PERFORMANCE STATE, which an
 * older server does not know (HAS_PERMS_BY_NAME then answers NULL).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-dynamic-management-views/sys-dm-db-partition-stats-transact-sql
 */
export const DATABASE_STATE_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE STATE') AS [view_database_state], " +
  "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE PERFORMANCE STATE') AS [view_database_performance_state]";

/**
 * A table's SELECT and VIEW CHANGE TRACKING (CHANGETABLE needs it,
 * https://learn.microsoft.com/en-us/sql/relational-databases/track-changes/manage-change-tracking-sql-server),
 * `@name` the quoted two-part name.
 */
export const TABLE_PERMISSIONS_QUERY =
  "SELECT HAS_PERMS_BY_NAME(@name, 'OBJECT', 'SELECT') AS [select], " +
  "HAS_PERMS_BY_NAME(@name, 'OBJECT', 'VIEW CHANGE TRACKING') AS [view_change_tracking]";

/** https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-masked-columns-transact-sql */
export const MASKED_COLUMNS_QUERY =
  'SELECT c.name, c.masking_function FROM sys.masked_columns AS c ' +
  'JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND c.is_masked = 1 ORDER BY c.column_id';

/**
 * Enabled policies' filter predicates (predicate_type 0) on the table:
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-security-predicates-transact-sql
 */
export const FILTER_PREDICATES_QUERY =
  'SELECT ps.name AS policy_schema, p.name AS policy_name, sp.predicate_definition ' +
  'FROM sys.security_predicates AS sp JOIN sys.security_policies AS p ON p.object_id = sp.object_id ' +
  'JOIN sys.schemas AS ps ON ps.schema_id = p.schema_id ' +
  'JOIN sys.tables AS t ON t.object_id = sp.target_object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND p.is_enabled = 1 AND sp.predicate_type = 0 ' +
  'ORDER BY ps.name, p.name, sp.security_predicate_id';

export const SERVER_INFO_QUERY =
  "SELECT @@VERSION AS version, DB_NAME() AS database_name, SERVERPROPERTY('ProductVersion') AS product_version";

/** Whether the database allows SNAPSHOT transactions (ALLOW_SNAPSHOT_ISOLATION): ON, OFF or IN_TRANSITION_... */
export const SNAPSHOT_ISOLATION_QUERY =
  'SELECT snapshot_isolation_state_desc AS state FROM sys.databases WHERE name = DB_NAME()';

/** The database's user tables: no views, no system tables (what patterns in migration.tables match). */
export const BASE_TABLES_QUERY =
  'SELECT s.name AS schema_name, t.name AS table_name FROM sys.tables AS t ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE t.is_ms_shipped = 0 ORDER BY s.name, t.name';

export const TABLE_TYPE_QUERY =
  'SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table';

/**
 * The table's object id and creation time: both stay through ALTER TABLE and change when the table is
 * dropped and created again. Object names are unique within a schema, so no type filter is needed.
 */
export const OBJECT_IDENTITY_QUERY =
  'SELECT o.object_id, CONVERT(nvarchar(30), o.create_date, 121) AS create_date FROM sys.objects AS o ' +
  'JOIN sys.schemas AS s ON s.schema_id = o.schema_id WHERE s.name = @schema AND o.name = @table';

export const COLUMNS_QUERY =
  'SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, ' +
  'DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME FROM INFORMATION_SCHEMA.COLUMNS ' +
  'WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION';

/**
 * What kind of table it is (src/source/table-kinds.ts): memory-optimized, and its place in system
 * versioning with the table on the other side (history_table_id of the system-versioned table):
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql
 */
export const TABLE_KIND_QUERY =
  'SELECT t.is_memory_optimized, t.temporal_type, hs.name AS history_schema, h.name AS history_table, ' +
  'cs.name AS current_schema, c.name AS current_table FROM sys.tables AS t ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'LEFT JOIN sys.tables AS h ON h.object_id = t.history_table_id LEFT JOIN sys.schemas AS hs ON hs.schema_id = h.schema_id ' +
  'LEFT JOIN sys.tables AS c ON c.history_table_id = t.object_id LEFT JOIN sys.schemas AS cs ON cs.schema_id = c.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/** SQL Server 2014 has is_memory_optimized but none of 2016's columns (temporal_type, encryption_type...). */
export const MEMORY_OPTIMIZED_QUERY =
  'SELECT t.is_memory_optimized FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/**
 * Period columns (generated_always_type 1 and 2: AS ROW START/END) with is_hidden, and Always Encrypted
 * columns (encryption_type not NULL):
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-columns-transact-sql
 */
export const KIND_COLUMNS_QUERY =
  'SELECT c.name, c.generated_always_type, c.generated_always_type_desc, c.is_hidden, c.encryption_type_desc ' +
  'FROM sys.columns AS c JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND (c.generated_always_type IN (1, 2) OR c.encryption_type IS NOT NULL) ' +
  'ORDER BY c.column_id';

/**
 * Column flags from sys.columns. `default_object_id` (not 0: the column has a default) is metadata any
 * grantee on the table sees, while the default's definition (INFORMATION_SCHEMA.COLUMNS.COLUMN_DEFAULT,
 * OBJECT_DEFINITION underneath) is NULL without VIEW DEFINITION
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/object-definition-transact-sql): both together tell
 * "no default" from "a default the login may not see".
 */
export const COLUMN_FLAGS_QUERY =
  'SELECT c.name, c.is_identity, c.is_computed, c.default_object_id FROM sys.columns AS c ' +
  'JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table ORDER BY c.column_id';

/** Constraints other than the primary key (foreign keys, unique, check): none is carried to Snowflake. */
export const OTHER_CONSTRAINTS_QUERY =
  'SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS ' +
  "WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table AND CONSTRAINT_TYPE <> 'PRIMARY KEY' " +
  'ORDER BY CONSTRAINT_TYPE, CONSTRAINT_NAME';

/** Indexes that back no key constraint (Snowflake has no indexes). */
export const INDEXES_QUERY =
  'SELECT i.name, i.type_desc, i.is_unique FROM sys.indexes AS i ' +
  'JOIN sys.tables AS t ON t.object_id = i.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table AND i.index_id > 0 ' +
  'AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 ORDER BY i.name';

/**
 * The table's size as sp_spaceused counts data and indexes: used 8 KB pages of every partition. Needs
 * VIEW DATABASE STATE (or, from SQL Server 2022, VIEW DATABASE PERFORMANCE STATE).
 */
export const TABLE_SIZE_QUERY =
  'SELECT SUM(ps.used_page_count) * 8192 AS used_bytes FROM sys.dm_db_partition_stats AS ps ' +
  'JOIN sys.tables AS t ON t.object_id = ps.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'WHERE s.name = @schema AND t.name = @table';

/**
 * The columns of each UNIQUE constraint, in key order: Snowflake declares them (without enforcing them).
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/key-column-usage-transact-sql
 */
export const UNIQUE_KEYS_QUERY =
  'SELECT tc.CONSTRAINT_NAME, kcu.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc ' +
  'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ' +
  'AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
  "WHERE tc.CONSTRAINT_TYPE = 'UNIQUE' AND tc.TABLE_SCHEMA = @schema AND tc.TABLE_NAME = @table " +
  'ORDER BY tc.CONSTRAINT_NAME, kcu.ORDINAL_POSITION';

/**
 * The MS_Description extended properties of a table (minor_id 0) and of its columns (minor_id: the
 * column_id), which SQL Server Management Studio writes as descriptions. `value` is sql_variant: cast to
 * nvarchar(max) to read it as text.
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/extended-properties-catalog-views-sys-extended-properties
 */
export const DESCRIPTIONS_QUERY =
  'SELECT c.name AS column_name, CAST(ep.value AS nvarchar(max)) AS description ' +
  'FROM sys.extended_properties AS ep JOIN sys.tables AS t ON t.object_id = ep.major_id ' +
  'JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
  'LEFT JOIN sys.columns AS c ON c.object_id = ep.major_id AND c.column_id = ep.minor_id ' +
  "WHERE ep.class = 1 AND ep.name = N'MS_Description' AND s.name = @schema AND t.name = @table";

export const PRIMARY_KEY_QUERY =
  'SELECT kcu.COLUMN_NAME, kcu.ORDINAL_POSITION FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc ' +
  'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ' +
  'AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
  "WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = @schema AND tc.TABLE_NAME = @table " +
  'ORDER BY kcu.ORDINAL_POSITION';
