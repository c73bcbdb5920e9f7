/**
 * INSERT BULK and the BULK_LOAD message after it (tedious' BulkLoad, bcp, SqlBulkCopy): the statement
 * names the table, the columns and the options; the rows arrive in the next message and go in as one
 * INSERT, so a failure loads none of them.
 */
import { SqlError, invalidColumn } from '../errors';
import type { BulkOptions, StatementBody } from '../tsql/ast';
import { convert } from '../types/convert';
import { MAX, type SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';
import { sameName, type TableInfo } from './catalog';
import { insertRows, type InsertContext } from './dml';
import { compareTyped } from './operators';

export type InsertBulk = Extract<StatementBody, { kind: 'insertBulk' }>;

/** An INSERT BULK statement checked against its table, waiting for its rows. */
export interface PendingBulk {
  table: TableInfo;
  columns: string[];
  /** The columns' types as INSERT BULK declared them. */
  declared: SqlType[];
  options: BulkOptions;
}

export function prepareBulk(s: InsertBulk, table: TableInfo): PendingBulk {
  for (const c of s.columns) {
    if (!table.columns.some((t) => sameName(t.name, c.name))) throw invalidColumn(c.name);
  }
  return {
    table,
    columns: s.columns.map((c) => c.name),
    declared: s.columns.map((c) => c.type),
    options: s.options,
  };
}

/** Loads the rows of a BULK_LOAD message, typed as its column metadata says; returns how many. */
export async function loadBulk(
  bulk: PendingBulk,
  types: SqlType[],
  rows: SqlValue[][],
  ctx: Omit<InsertContext, 'identityInsert'>,
): Promise<{ count: number; lastIdentity: bigint | null }> {
  if (types.length !== bulk.columns.length) {
    throw new SqlError(
      50000,
      `The SQL Server stand-in got ${types.length} columns in the BULK_LOAD message for the ${bulk.columns.length} INSERT BULK named.`,
    );
  }
  checkOrder(bulk, types, rows);
  const { table, options } = bulk;
  const column = (name: string) => table.columns.find((t) => sameName(t.name, name))!;
  // Without KEEP_IDENTITY, SQL Server ignores the values sent for the identity column and numbers the rows.
  const identityColumn = bulk.columns.findIndex((c) => column(c).identity);
  const identity = options.keepIdentity ? -1 : identityColumn;
  // "Values in the data file being imported for computed or timestamp columns are ignored, and SQL Server
  // automatically assigns values" (bcp Utility, "Computed Columns and timestamp Columns":
  // https://learn.microsoft.com/en-us/previous-versions/sql/sql-server-2005/ms162802(v=sql.90)).
  const ignored = bulk.columns.map((c, i) => i === identity || column(c).computed !== undefined);
  const keep = (_: unknown, i: number): boolean => !ignored[i];
  return insertRows(
    table,
    bulk.columns.filter(keep),
    {
      types: types.filter(keep),
      rows: ignored.some(Boolean) ? rows.map((r) => r.filter(keep)) : rows,
      nullIsDefault: !options.keepNulls,
    },
    {
      ...ctx,
      // KEEPIDENTITY keeps the file's values of a table's identity column; a table without one has none to keep.
      identityInsert: options.keepIdentity && identityColumn >= 0,
      skipChecks: !options.checkConstraints,
    },
  );
}

const sameType = (a: SqlType, b: SqlType): boolean =>
  a.name === b.name && a.length === b.length && a.precision === b.precision && a.scale === b.scale;

/** The clustered index's columns: an index created CLUSTERED, else the primary key (clustered by default). */
function clusteredKey(table: TableInfo): string[] | undefined {
  return table.indexes?.find((i) => i.clustered)?.columns ?? table.primaryKey?.columns;
}

/**
 * ORDER (...) promises the rows come sorted. SQL Server relies on the promise, and so checks it, only when
 * it names the clustered key (ascending: the stand-in's keys have no direction) and the key columns arrive
 * in the table's own types; then two rows out of order refuse the load with 4819. Otherwise the rows are
 * sorted (or converted, which may reorder them) anyway and the hint is ignored; tedious' own suite shows
 * both: an `int` key checked, an `nvarchar(255)` key sent as `nvarchar(4000)` not.
 */
function checkOrder(bulk: PendingBulk, types: SqlType[], rows: SqlValue[][]): void {
  const order = bulk.options.order;
  const key = clusteredKey(bulk.table);
  if (
    !order ||
    !key ||
    order.length !== key.length ||
    order.some((o, i) => o.descending || !sameName(o.column, key[i]!))
  ) {
    return;
  }
  const positions = key.map((k) => bulk.columns.findIndex((c) => sameName(c, k)));
  const asStored = (p: number): boolean => {
    const column = bulk.table.columns.find((c) => sameName(c.name, bulk.columns[p]!));
    return column !== undefined && sameType(column.type, bulk.declared[p]!);
  };
  if (!positions.every((p) => p >= 0 && asStored(p))) return;
  const keyOf = (row: SqlValue[]) => positions.map((p) => ({ type: types[p]!, value: row[p]! }));
  for (let i = 1; i < rows.length; i++) {
    const previous = keyOf(rows[i - 1]!);
    const current = keyOf(rows[i]!);
    const first = previous.findIndex((v, j) => (compareTyped(v, current[j]!) ?? 0) !== 0);
    if (first >= 0 && (compareTyped(previous[first]!, current[first]!) ?? 0) > 0) {
      const shown = (k: typeof previous): string =>
        `(${k.map((v) => (v.value === null ? 'NULL' : String(convert(v.value, v.type, { name: 'nvarchar', length: MAX })))).join(', ')})`;
      throw new SqlError(
        4819,
        `Cannot bulk load. The bulk data stream was incorrectly specified as sorted or the data violates a uniqueness constraint imposed by the target table. Sort order incorrect for the following two rows: primary key of first row: ${shown(previous)}, primary key of second row: ${shown(current)}.`,
      );
    }
  }
}
