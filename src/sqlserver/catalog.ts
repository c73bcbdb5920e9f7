/** What SQL Server's catalog says about the server and a table: the facts the migrator plans from. */
import { MigrationError } from '../contracts/errors';
import type { SourceColumn, SourceTableRef } from '../contracts/table';
import { classifyFilterError } from './errors';
import type { SourcePool } from './pool';
import { queryRows } from './query';
import {
  COLUMN_FLAGS_QUERY,
  COLUMNS_QUERY,
  compileFilterQuery,
  countRowsQuery,
  displayTableName,
  PRIMARY_KEY_QUERY,
  SERVER_INFO_QUERY,
  TABLE_TYPE_QUERY,
  WRITE_ACCESS_QUERY,
  WRITE_PERMISSIONS,
} from './sql';

export interface ServerInfo {
  version: string;
  databaseName: string;
  productVersion: string;
}

export async function readServerInfo(pool: SourcePool): Promise<ServerInfo> {
  const [row] = await queryRows<{ version: string; database_name: string; product_version: string }>(pool, {
    text: SERVER_INFO_QUERY,
    params: {},
  });
  return {
    version: row!.version,
    databaseName: row!.database_name,
    productVersion: String(row!.product_version),
  };
}

export interface SourceTableCatalog {
  type: 'BASE TABLE' | 'VIEW';
  columns: SourceColumn[];
  primaryKey: string[];
}

interface ColumnRow extends Record<string, unknown> {
  COLUMN_NAME: string;
  ORDINAL_POSITION: number;
  DATA_TYPE: string;
  CHARACTER_MAXIMUM_LENGTH: number | null;
  NUMERIC_PRECISION: number | null;
  NUMERIC_SCALE: number | null;
  DATETIME_PRECISION: number | null;
  IS_NULLABLE: string;
}

interface FlagRow extends Record<string, unknown> {
  name: string;
  is_identity: boolean;
  is_computed: boolean;
}

export async function readTableCatalog(pool: SourcePool, ref: SourceTableRef): Promise<SourceTableCatalog> {
  const names = { text: '', params: { schema: ref.schema, table: ref.table } };
  const [table] = await queryRows<{ TABLE_TYPE: string }>(pool, { ...names, text: TABLE_TYPE_QUERY });
  if (!table) {
    throw new MigrationError(
      'SourceTableNotFound',
      `The table ${displayTableName(ref)} does not exist in the source database (or the login cannot see it).`,
    );
  }
  const [columns, flags, key] = await Promise.all([
    queryRows<ColumnRow>(pool, { ...names, text: COLUMNS_QUERY }),
    queryRows<FlagRow>(pool, { ...names, text: COLUMN_FLAGS_QUERY }),
    queryRows<{ COLUMN_NAME: string }>(pool, { ...names, text: PRIMARY_KEY_QUERY }),
  ]);
  const flagsByName = new Map(flags.map((f) => [f.name, f]));
  return {
    type: table.TABLE_TYPE === 'VIEW' ? 'VIEW' : 'BASE TABLE',
    columns: columns.map((c) => ({
      name: c.COLUMN_NAME,
      ordinal: Number(c.ORDINAL_POSITION),
      dataType: c.DATA_TYPE.toLowerCase(),
      charMaxLength: c.CHARACTER_MAXIMUM_LENGTH === null ? null : Number(c.CHARACTER_MAXIMUM_LENGTH),
      numericPrecision: c.NUMERIC_PRECISION === null ? null : Number(c.NUMERIC_PRECISION),
      numericScale: c.NUMERIC_SCALE === null ? null : Number(c.NUMERIC_SCALE),
      datetimePrecision: c.DATETIME_PRECISION === null ? null : Number(c.DATETIME_PRECISION),
      nullable: c.IS_NULLABLE === 'YES',
      isIdentity: Boolean(flagsByName.get(c.COLUMN_NAME)?.is_identity),
      isComputed: Boolean(flagsByName.get(c.COLUMN_NAME)?.is_computed),
    })),
    primaryKey: key.map((k) => k.COLUMN_NAME),
  };
}

/** Runs a query whose only user-written text is the filter, so that SQL Server's complaints name it. */
async function withFilter<T>(
  ref: SourceTableRef,
  filter: string | undefined,
  query: () => Promise<T>,
): Promise<T> {
  try {
    return await query();
  } catch (err) {
    throw (filter && classifyFilterError(err, displayTableName(ref), filter)) || err;
  }
}

export async function countRows(pool: SourcePool, ref: SourceTableRef, filter?: string): Promise<number> {
  const [row] = await withFilter(ref, filter, () =>
    queryRows<{ row_count: string | number }>(pool, { text: countRowsQuery(ref, filter), params: {} }),
  );
  return Number(row!.row_count);
}

/** Has SQL Server compile the filter against the table without reading a row (`check`). */
export async function compileFilter(pool: SourcePool, ref: SourceTableRef, filter: string): Promise<void> {
  await withFilter(ref, filter, () => queryRows(pool, { text: compileFilterQuery(ref, filter), params: {} }));
}

/** Fixed roles and database permissions of the login that allow more than reading (empty: read-only). */
export async function readWriteAccess(pool: SourcePool): Promise<string[]> {
  const [row] = await queryRows<Record<string, number | null>>(pool, {
    text: WRITE_ACCESS_QUERY,
    params: {},
  });
  return writeAccessOf(row!);
}

/** Pure: the roles and permissions a WRITE_ACCESS_QUERY row says the login holds. */
export function writeAccessOf(row: Record<string, number | null>): string[] {
  const roles = ['sysadmin', 'db_owner'].filter((r) => row[r] === 1).map((r) => `member of ${r}`);
  const perms = WRITE_PERMISSIONS.filter((p) => row[p] === 1);
  return [...roles, ...(perms.length ? [`${perms.join(', ')} on the database`] : [])];
}
