/**
 * The T-SQL that reads a table's rows, keys, counts and sums: every identifier is quoted by
 * `quoteIdentifier`; the catalog's queries are in catalog-queries.ts. Pure: no driver, no I/O.
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
