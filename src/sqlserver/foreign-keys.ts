/**
 * The source database's foreign keys, read from the ISO views SQL Server documents:
 * INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS names each FOREIGN KEY and the PRIMARY KEY or UNIQUE
 * constraint it references (https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/referential-constraints-transact-sql),
 * INFORMATION_SCHEMA.KEY_COLUMN_USAGE the columns of both, in key order
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/key-column-usage-transact-sql).
 * A key that references a unique index (not a constraint) has no referenced columns there: it comes
 * back with `referenced: null`, and is listed as not carried.
 */
import type { SourceForeignKey } from '../mapping/foreign-keys';
import type { SourceReader } from './read-transaction';
import { FOREIGN_KEYS_QUERY } from '../sql/sqlserver/catalog-queries';
import { queryRows } from './query';

export type ForeignKeyRow = {
  constraint_schema: string;
  name: string;
  table_schema: string;
  table_name: string;
  column_name: string;
  ref_schema: string | null;
  ref_table: string | null;
  ref_column: string | null;
};

/** One key per constraint, its column pairs in key order (the rows come ordered). Pure. */
export function groupForeignKeys(rows: ForeignKeyRow[]): SourceForeignKey[] {
  const keys = new Map<string, SourceForeignKey>();
  for (const row of rows) {
    const id = `${row.constraint_schema}.${row.name}`;
    let key = keys.get(id);
    if (!key) {
      key = {
        name: row.name,
        table: { schema: row.table_schema, table: row.table_name },
        columns: [],
        referenced:
          row.ref_schema === null || row.ref_table === null
            ? null
            : { schema: row.ref_schema, table: row.ref_table },
        refColumns: [],
      };
      keys.set(id, key);
    }
    key.columns.push(row.column_name);
    if (row.ref_column === null) key.referenced = null;
    else key.refColumns.push(row.ref_column);
  }
  return [...keys.values()];
}

export async function readForeignKeys(reader: SourceReader): Promise<SourceForeignKey[]> {
  return groupForeignKeys(await queryRows<ForeignKeyRow>(reader, { text: FOREIGN_KEYS_QUERY, params: {} }));
}
