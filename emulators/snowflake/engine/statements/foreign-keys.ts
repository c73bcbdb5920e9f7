/**
 * FOREIGN KEY constraints: declared by CREATE TABLE or ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY,
 * kept, never enforced, and listed by SHOW IMPORTED KEYS.
 *
 * Snowflake keeps FOREIGN KEY on standard tables as metadata only; it does not check rows against it
 * (https://docs.snowflake.com/en/sql-reference/constraints-overview). The referenced columns are the
 * parent's primary key when the REFERENCES clause names none
 * (https://docs.snowflake.com/en/sql-reference/sql/create-table-constraint); a key over columns that are
 * no primary or unique key of the parent is refused as not implemented, since the docs do not say what
 * Snowflake answers. SHOW IMPORTED KEYS
 * lists one row per column of each foreign key
 * (https://docs.snowflake.com/en/sql-reference/sql/show-imported-keys).
 */
import { randomUUID } from 'node:crypto';
import { objectMissing, unsupported } from '../../errors';
import type { Cursor } from '../../sql/cursor';
import type { TableInfo } from '../catalog';
import { requireTable } from '../names';
import { fixed, STATEMENT_TYPE, text, timestampLtz, type RowsResult } from '../result';
import type { Session } from '../session';

export interface ForeignKeyClause {
  /** null: Snowflake names it (SYS_CONSTRAINT_<uuid>). */
  name: string | null;
  columns: string[];
  references: string[];
  /** Empty: the referenced table's primary key. */
  refColumns: string[];
}

function nameList(c: Cursor): string[] {
  c.expectOp('(');
  const names = [c.identifier()];
  while (c.acceptOp(',')) names.push(c.identifier());
  c.expectOp(')');
  return names;
}

/** What follows `FOREIGN KEY`: `(cols) REFERENCES table [(cols)]`. */
export function readForeignKey(c: Cursor, name: string | null): ForeignKeyClause {
  const columns = nameList(c);
  c.expect('REFERENCES');
  const references = c.qualifiedName();
  const refColumns = c.isOp('(') ? nameList(c) : [];
  return { name, columns, references, refColumns };
}

const sameColumns = (a: string[], b: string[]) =>
  a.length === b.length && a.every((column, i) => column === b[i]);

/** Checks the clause against both tables and keeps it on `table`. */
export async function declareForeignKey(
  session: Session,
  table: TableInfo,
  fk: ForeignKeyClause,
): Promise<void> {
  for (const column of fk.columns) {
    if (!table.columns.some((c) => c.name === column)) throw objectMissing('Column', column);
  }
  const parent = await requireTable(session, fk.references, 'ALTER TABLE');
  const refColumns = fk.refColumns.length ? fk.refColumns : parent.primaryKey;
  for (const column of refColumns) {
    if (!parent.columns.some((c) => c.name === column)) throw objectMissing('Column', column);
  }
  const keys = [parent.primaryKey, ...parent.uniqueKeys];
  if (!keys.some((key) => sameColumns(key, refColumns)) || refColumns.length !== fk.columns.length) {
    throw unsupported(
      'FOREIGN KEY whose columns are not those of a primary or unique key of the referenced table',
    );
  }
  await session.catalog.addForeignKey({
    tableId: table.id,
    name: fk.name ?? `SYS_CONSTRAINT_${randomUUID()}`,
    columns: fk.columns,
    refTableId: parent.id,
    refColumns,
  });
}

/** `SHOW IMPORTED KEYS [IN {ACCOUNT | DATABASE [db] | SCHEMA [s] | [TABLE] t}]`. */
export async function showImportedKeys(
  session: Session,
  c: Cursor,
  scope: (session: Session, c: Cursor) => Promise<{ database?: string; schema?: string }>,
): Promise<RowsResult> {
  let tables: TableInfo[];
  if (c.isWord('IN') && !['ACCOUNT', 'DATABASE', 'SCHEMA'].some((w) => c.isWord(w, 1))) {
    c.expect('IN');
    c.accept('TABLE');
    tables = [await requireTable(session, c.qualifiedName(), 'SHOW IMPORTED KEYS')];
  } else {
    tables = await session.catalog.tables(await scope(session, c));
  }
  c.end();
  const rows = [];
  for (const fk of await session.catalog.foreignKeys(tables.map((t) => t.id))) {
    const child = tables.find((t) => t.id === fk.tableId)!;
    const parent = await session.catalog.tableById(fk.refTableId);
    if (!parent) continue;
    for (const [i, column] of fk.columns.entries()) {
      rows.push([
        BigInt(fk.createdOn) * 1_000_000n,
        parent.database,
        parent.schema,
        parent.name,
        fk.refColumns[i]!,
        child.database,
        child.schema,
        child.name,
        column,
        BigInt(i + 1),
        'NO ACTION',
        'NO ACTION',
        fk.name,
        null,
        'NOT DEFERRABLE',
        'false',
        null,
      ]);
    }
  }
  // The output columns of https://docs.snowflake.com/en/sql-reference/sql/show-imported-keys, in its
  // order: a row per column of each key, key_sequence its place in the key (1..n), fk_name the key's
  // name. Snowflake's own SQLAlchemy dialect reads them by these names (fk_name, fk_column_name,
  // pk_schema_name, pk_table_name, pk_column_name, key_sequence: snowflakedb/snowflake-sqlalchemy,
  // snowdialect.py). pk_name stays NULL: the stand-in keeps primary and unique keys without names.
  return {
    kind: 'rows',
    columns: [
      timestampLtz('created_on'),
      text('pk_database_name'),
      text('pk_schema_name'),
      text('pk_table_name'),
      text('pk_column_name'),
      text('fk_database_name'),
      text('fk_schema_name'),
      text('fk_table_name'),
      text('fk_column_name'),
      fixed('key_sequence'),
      text('update_rule'),
      text('delete_rule'),
      text('fk_name'),
      text('pk_name'),
      text('deferrability'),
      text('rely'),
      text('comment'),
    ],
    rows,
    statementTypeId: STATEMENT_TYPE.SCL,
  };
}
