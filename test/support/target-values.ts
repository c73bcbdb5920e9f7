/**
 * Reading migrated rows back from Snowflake as exact text, and the expected text for each sample row,
 * so tests compare every value of every column with what was seeded, type by type.
 */
import { sameValueText, type SameValueRule } from '../../src/validation/canonical';
import { CUSTOMER_COLUMNS, ORDER_COLUMNS } from '../../scripts/sample-data';

type Kind = 'int' | 'decimal' | 'text' | 'bool' | 'double' | 'date' | 'ts7' | 'ts3' | 'tz7' | 'time3' | 'hex';

const CUSTOMER_KINDS: Kind[] = [
  'int',
  'text',
  'text',
  'text',
  'text',
  'text',
  'decimal',
  'int',
  'bool',
  'date',
  'ts7',
  'ts3',
  'text',
];
const ORDER_KINDS: Kind[] = [
  'int',
  'int',
  'text',
  'tz7',
  'date',
  'time3',
  'text',
  'decimal',
  'decimal',
  'decimal',
  'double',
  'double',
  'text',
  'hex',
  'bool',
];

const FORMAT: Partial<Record<Kind, string>> = {
  date: 'YYYY-MM-DD',
  ts7: 'YYYY-MM-DD HH24:MI:SS.FF7',
  ts3: 'YYYY-MM-DD HH24:MI:SS.FF3',
  tz7: 'YYYY-MM-DD HH24:MI:SS.FF7 TZH:TZM',
  time3: 'HH24:MI:SS.FF3',
};

function selectExpression(column: string, kind: Kind): string {
  const quoted = `"${column.toUpperCase()}"`;
  if (FORMAT[kind]) return `TO_VARCHAR(${quoted}, '${FORMAT[kind]}') AS ${quoted}`;
  return quoted;
}

/** The migrator's own same-value rule for each sample column kind (src/validation/canonical.ts). */
const RULES: Record<Kind, SameValueRule> = {
  int: 'exact-decimal',
  decimal: 'exact-decimal',
  text: 'text',
  bool: 'boolean',
  double: 'ieee-double',
  date: 'date',
  ts7: 'timestamp',
  ts3: 'timestamp',
  tz7: 'timestamp-offset',
  time3: 'time',
  hex: 'bytes',
};

/** One canonical text per value, so a seeded value and a read-back value compare with ===. */
function canonical(value: unknown, kind: Kind): string {
  return sameValueText(RULES[kind], value);
}

export interface SampleTable {
  source: string;
  target: string;
  columns: string[];
  kinds: Kind[];
}

export const SAMPLE_TABLES = {
  customers: {
    source: 'dbo.customers',
    target: 'CUSTOMERS',
    columns: CUSTOMER_COLUMNS,
    kinds: CUSTOMER_KINDS,
  },
  orders: { source: 'dbo.orders', target: 'ORDERS', columns: ORDER_COLUMNS, kinds: ORDER_KINDS },
} satisfies Record<string, SampleTable>;

export function selectAllQuery(
  table: SampleTable,
  database = 'STEVE_MCP',
  schema = 'DATA_MIGRATION',
): string {
  const list = table.columns.map((c, i) => selectExpression(c, table.kinds[i]!)).join(', ');
  return `SELECT ${list} FROM "${database}"."${schema}"."${table.target}" ORDER BY "${table.columns[0]!.toUpperCase()}"`;
}

export function canonicalRows(table: SampleTable, rows: Iterable<unknown[]>): string[][] {
  return [...rows].map((row) => row.map((value, i) => canonical(value, table.kinds[i]!)));
}

export function canonicalTargetRows(table: SampleTable, rows: Record<string, unknown>[]): string[][] {
  return rows.map((row) => table.columns.map((c, i) => canonical(row[c.toUpperCase()], table.kinds[i]!)));
}
