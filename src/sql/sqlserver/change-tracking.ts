/**
 * The T-SQL of following a table's changes with SQL Server's Change Tracking (every edition and Azure SQL
 * Database, no SQL Server Agent). Pure: no driver, no I/O.
 *
 * The pattern is the documented one
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server):
 * in one SNAPSHOT transaction, check the last synchronized version against
 * CHANGE_TRACKING_MIN_VALID_VERSION (CHANGETABLE does not refuse an older one: its answer is just
 * incomplete), read CHANGE_TRACKING_CURRENT_VERSION() for the next round, and read
 * CHANGETABLE(CHANGES t, @last) joined to the table for the current values of the changed rows.
 */
import type { SourceColumn, SourceTableRef } from '../../contracts/table';
import type { ColumnMapping } from '../../mapping/type-map';
import { qualifiedTable, readColumn, type BoundQuery } from './queries';
import { quoteIdentifier } from '../../names/sqlserver-names';

/** An N'...' literal. */
const unicodeLiteral = (text: string): string => `N'${text.replace(/'/g, "''")}'`;

const objectId = (table: SourceTableRef): string => `OBJECT_ID(${unicodeLiteral(qualifiedTable(table))})`;

/**
 * The version of the last committed transaction: NULL when change tracking is off for the database
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql).
 */
export const CURRENT_VERSION_QUERY = 'SELECT CHANGE_TRACKING_CURRENT_VERSION() AS current_version';

/**
 * The oldest last-synchronized version from which the table's changes are complete; NULL when change
 * tracking is off for the database or the table is unknown
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql).
 */
export function minValidVersionQuery(table: SourceTableRef): string {
  return `SELECT CHANGE_TRACKING_MIN_VALID_VERSION(${objectId(table)}) AS min_valid_version`;
}

/**
 * The database's change tracking settings: no row when it is off
 * (https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-databases).
 */
export const DATABASE_CHANGE_TRACKING_QUERY =
  'SELECT is_auto_cleanup_on, retention_period, retention_period_units_desc ' +
  'FROM sys.change_tracking_databases WHERE database_id = DB_ID()';

/**
 * The table's change tracking versions: no row when it is not tracked
 * (https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-tables).
 */
export function tableChangeTrackingQuery(table: SourceTableRef): string {
  return (
    'SELECT begin_version, min_valid_version FROM sys.change_tracking_tables ' +
    `WHERE object_id = ${objectId(table)}`
  );
}

/** A result column name that no column of the table has. */
function freeName(base: string, columns: ColumnMapping[]): string {
  const taken = new Set(columns.map((m) => m.column.name.toLowerCase()));
  let name = base;
  while (taken.has(name.toLowerCase())) name = `_${name}`;
  return name;
}

export interface ChangesQuery extends BoundQuery {
  /** The result columns holding SYS_CHANGE_VERSION and SYS_CHANGE_OPERATION (I, U or D). */
  versionColumn: string;
  operationColumn: string;
}

/**
 * The net change of every row changed after version `lastVersion`: one row per
 * primary key, its operation and version, the key from CHANGETABLE (so deleted rows have it too) and the
 * other columns' current values from the table through the same lossless read expressions as a batch
 * (NULL for a deleted row): the CHANGETABLE page's example C, "Obtaining all changed data for a
 * synchronization" (https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql).
 * CHANGETABLE takes a bigint variable or constant ("An expression will cause a syntax error"), so the
 * text parameter is converted into one first.
 */
export function changesQuery(
  table: SourceTableRef,
  columns: ColumnMapping[],
  keys: SourceColumn[],
  lastVersion: string,
): ChangesQuery {
  const isKey = (m: ColumnMapping): boolean => keys.some((k) => k.name === m.column.name);
  const versionColumn = freeName('sys_change_version', columns);
  const operationColumn = freeName('sys_change_operation', columns);
  const select = [
    `ct.SYS_CHANGE_VERSION AS ${quoteIdentifier(versionColumn)}`,
    `ct.SYS_CHANGE_OPERATION AS ${quoteIdentifier(operationColumn)}`,
    ...columns.map((m) => readColumn(m, isKey(m) ? 'ct.' : 't.')),
  ];
  const on = keys.map((k) => `t.${quoteIdentifier(k.name)} = ct.${quoteIdentifier(k.name)}`).join(' AND ');
  const text =
    'DECLARE @last bigint = CAST(@last_version AS bigint); ' +
    `SELECT ${select.join(', ')} FROM CHANGETABLE(CHANGES ${qualifiedTable(table)}, @last) AS ct ` +
    `LEFT JOIN ${qualifiedTable(table)} AS t ON ${on}`;
  return { text, params: { last_version: lastVersion }, versionColumn, operationColumn };
}

/**
 * What a DBA runs so the migrator can follow a table (for `check`): change tracking on for the database
 * (SQL Server's default retention, 2 days, and automatic cleanup) and for the table
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server),
 * and VIEW CHANGE TRACKING on the table for the migrator's user, which CHANGETABLE requires besides
 * SELECT (CHANGETABLE page, "Permissions";
 * https://learn.microsoft.com/sql/t-sql/statements/grant-object-permissions-transact-sql).
 */
export function enableDatabaseChangeTrackingStatement(database: string): string {
  return `ALTER DATABASE ${quoteIdentifier(database)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`;
}

export function enableTableChangeTrackingStatement(table: SourceTableRef): string {
  return `ALTER TABLE ${qualifiedTable(table)} ENABLE CHANGE_TRACKING`;
}

export function grantViewChangeTrackingStatement(table: SourceTableRef, user: string): string {
  return `GRANT VIEW CHANGE TRACKING ON OBJECT::${qualifiedTable(table)} TO ${quoteIdentifier(user)}`;
}
