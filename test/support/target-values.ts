/**
 * Reading migrated rows back from Snowflake as exact text, and the expected text for each sample row,
 * so tests compare every value of every column with what was seeded, type by type.
 */
import { canonicalDecimal } from '../../src/validation/aggregates';
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

/** One canonical text per value, so a seeded value and a read-back value compare with ===. */
export function canonical(value: unknown, kind: Kind): string {
  if (value === null || value === undefined) return 'NULL';
  switch (kind) {
    case 'int':
    case 'decimal':
      return canonicalDecimal(value);
    case 'double':
      return String(Number(value));
    case 'bool':
      return String(value === true || value === 'TRUE' || value === 'true' || value === 1 || value === '1');
    case 'hex':
      return Buffer.isBuffer(value) ? value.toString('hex').toUpperCase() : String(value).toUpperCase();
    default:
      return String(value);
  }
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
