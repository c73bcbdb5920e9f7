/**
 * SQL Server's Change Tracking, as Microsoft documents it:
 * - https://learn.microsoft.com/sql/relational-databases/track-changes/about-change-tracking-sql-server
 * - https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server
 * - https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server
 * - https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql
 *
 * How it lives here: each tracked table has a DuckDB log table `ct<objectId>` with one row per row a
 * statement changed: the primary key's stored columns, the operation (I, U, D), a sequence number in
 * statement order, and the version of its transaction, NULL until that transaction commits, when every
 * log row it wrote gets the database's next version. Commits that carry tracked changes run one at a
 * time, so versions follow commit order and a version counts as current only once DuckDB has committed
 * it. CHANGETABLE computes the net change per key from the log inside the reader's own DuckDB snapshot,
 * so a SNAPSHOT transaction sees the log, and cleanups, as they were when it began ("Using Snapshot
 * Isolation" in "Work with Change Tracking").
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, VARCHAR } from '@duckdb/node-api';
import { collationKey } from '../collation';
import type { SqlValue } from '../types/values';
import { QueryParams } from './bound';
import { nameKey, sameName, type Catalog, type ColumnInfo, type TableInfo } from './catalog';
import {
  hasKeyColumn,
  physicalColumns,
  physicalTableName,
  storageValues,
  type PhysicalColumn,
} from './storage';

export type RetentionUnits = 'MINUTES' | 'HOURS' | 'DAYS';

/** ALTER DATABASE ... SET CHANGE_TRACKING = ON (CHANGE_RETENTION = n units, AUTO_CLEANUP = ON|OFF). */
export interface DatabaseChangeTracking {
  retention: number;
  units: RetentionUnits;
  autoCleanup: boolean;
}

/** sys.change_tracking_tables' versions of one table. */
export interface TableChangeTracking {
  /** The database's version when tracking began, or when the table was last truncated. */
  beginVersion: number;
  /** Changes up to this version may have been cleaned up. */
  cleanupVersion: number;
}

/**
 * Tables a transaction truncated. TRUNCATE TABLE removes a table's change information and resets its
 * begin version, which raises CHANGE_TRACKING_MIN_VALID_VERSION
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-tables).
 * A client is told its changes are lost only when its last version is below that minimum ("Validate the
 * last synchronized version" in
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server),
 * so the truncation must come after every version a client could have read before it: the truncating
 * transaction commits with a version of its own, and that version is the table's new begin version.
 * Otherwise a client that synchronized just before the TRUNCATE would read on, missing every removed row.
 */
export interface TruncatedTables {
  tables: Iterable<TableInfo>;
  /** Writes the catalog (the begin versions) in the committing transaction. */
  saveCatalog: () => Promise<void>;
}

export type ChangeOperation = 'I' | 'U' | 'D';

/** sys.change_tracking_databases.retention_period_units: 1 minutes, 2 hours, 3 days. */
export const RETENTION_UNIT_CODES: Record<RetentionUnits, number> = { MINUTES: 1, HOURS: 2, DAYS: 3 };

/** The default of ALTER DATABASE ... SET CHANGE_TRACKING = ON: 2 days, auto cleanup on. */
export const DEFAULT_DATABASE_CHANGE_TRACKING: DatabaseChangeTracking = {
  retention: 2,
  units: 'DAYS',
  autoCleanup: true,
};

export const logTableName = (objectId: number): string => `ct${objectId}`;

/** Every commit's version, by database (see ChangeTracking.open). */
const COMMITS = 'standin_ct_commits';

/**
 * CHANGE_TRACKING_MIN_VALID_VERSION: a client that has every change up to version v needs those after
 * v, all still there when v is at least the begin version and the cleanup version
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql).
 */
export const minValidVersion = (t: TableChangeTracking): number => Math.max(t.beginVersion, t.cleanupVersion);

function keyOrdinals(table: TableInfo): number[] {
  return table.primaryKey!.columns.map((name) => table.columns.findIndex((c) => sameName(c.name, name)));
}

function keyPhysical(table: TableInfo): PhysicalColumn[] {
  return keyOrdinals(table).flatMap((o) => physicalColumns(table.columns[o]!.type, o));
}

/** CHANGETABLE(CHANGES ...)'s columns, in SQL Server's order: SYS_CHANGE_* then the primary key. */
export function changesColumns(table: TableInfo): ColumnInfo[] {
  const system: ColumnInfo[] = [
    { name: 'SYS_CHANGE_VERSION', type: { name: 'bigint' }, nullable: true },
    { name: 'SYS_CHANGE_CREATION_VERSION', type: { name: 'bigint' }, nullable: true },
    { name: 'SYS_CHANGE_OPERATION', type: { name: 'nchar', length: 1 }, nullable: true },
    { name: 'SYS_CHANGE_COLUMNS', type: { name: 'varbinary', length: 4100 }, nullable: true },
    { name: 'SYS_CHANGE_CONTEXT', type: { name: 'varbinary', length: 128 }, nullable: true },
  ];
  return [...system, ...keyOrdinals(table).map((o) => ({ ...table.columns[o]!, identity: undefined }))];
}

const hexKey = (text: string): string => `unhex('${collationKey(text).toString('hex')}')`;

/** The rows of one tracked table that one statement changed, written to its log. */
export class ChangeLog {
  constructor(
    readonly table: TableInfo,
    private readonly connection: DuckDBConnection,
    private readonly seq: () => number,
  ) {}

  private get log(): string {
    return logTableName(this.table.objectId);
  }

  /** The stored key columns, for RETURNING. */
  get keyColumns(): string {
    return keyPhysical(this.table)
      .map((p) => p.name)
      .join(', ');
  }

  isKeyColumn(ordinal: number): boolean {
    return keyOrdinals(this.table).includes(ordinal);
  }

  /** Logs the rows `where` selects now, before the statement changes them. */
  async logSelected(op: ChangeOperation, where: (params: QueryParams) => string): Promise<void> {
    const params = new QueryParams();
    const whereSql = where(params);
    await this.connection.run(
      `INSERT INTO ${this.log} SELECT ${this.keyColumns}, '${op}', ${this.seq()}, NULL FROM ${physicalTableName(this.table.objectId)}${whereSql}`,
      params.values,
      params.types,
    );
  }

  /** Logs rows given by their full values (what INSERT appended). */
  logRows(op: ChangeOperation, rows: SqlValue[][]): Promise<void> {
    const ordinals = keyOrdinals(this.table);
    return this.logStored(
      op,
      rows.map((row) => ordinals.flatMap((o) => storageValues(this.table.columns[o]!.type, row[o]!))),
    );
  }

  /** Logs rows given by their stored key columns (what UPDATE ... RETURNING gave back). */
  async logStored(op: ChangeOperation, rows: DuckDBValue[][]): Promise<void> {
    const physical = keyPhysical(this.table);
    const seq = this.seq();
    for (let at = 0; at < rows.length; at += 500) {
      const params = new QueryParams();
      const tuples = rows.slice(at, at + 500).map((row) => {
        const values = row.map((v, i) => params.add(v, physical[i]!.duckType));
        return `(${values.join(', ')}, '${op}', ${seq}, NULL)`;
      });
      await this.connection.run(
        `INSERT INTO ${this.log} VALUES ${tuples.join(', ')}`,
        params.values,
        params.types,
      );
    }
  }
}

export class ChangeTracking {
  /** The last committed version of each database (by name key); 0 before the first. */
  private readonly committed = new Map<string, number>();
  private commitQueue: Promise<unknown> = Promise.resolve();
  private sequence = 0;

  /** The versions a transaction beginning now reads: taken before DuckDB's snapshot, never ahead of it. */
  versions(): ReadonlyMap<string, number> {
    return new Map(this.committed);
  }

  static versionOf(versions: ReadonlyMap<string, number>, database: string): number {
    return versions.get(nameKey(database)) ?? 0;
  }

  currentVersion(database: string): number {
    return ChangeTracking.versionOf(this.committed, database);
  }

  /**
   * Opens the record of committed versions (kept by --data): one row per commit that changed tracked
   * rows, appended in that commit's transaction (appends never conflict), so a restart resumes each
   * database's versions where they were, even when the changes themselves are gone.
   */
  async open(connection: DuckDBConnection): Promise<void> {
    await connection.run(`CREATE TABLE IF NOT EXISTS ${COMMITS} (database VARCHAR, version BIGINT)`);
    const rows = (
      await connection.runAndReadAll(
        `SELECT database, CAST(max(version) AS VARCHAR) FROM ${COMMITS} GROUP BY database`,
      )
    ).getRows();
    for (const [database, version] of rows) {
      const key = nameKey(String(database));
      this.committed.set(key, Math.max(this.committed.get(key) ?? 0, Number(version)));
    }
  }

  log(table: TableInfo, connection: DuckDBConnection): ChangeLog {
    return new ChangeLog(table, connection, () => ++this.sequence);
  }

  async createLog(table: TableInfo, connection: DuckDBConnection): Promise<void> {
    const columns = keyPhysical(table).map((p) => `${p.name} ${p.duckType.toString()}`);
    await connection.run(
      `CREATE TABLE ${logTableName(table.objectId)} (${columns.join(', ')}, sys_op ${VARCHAR.toString()}, sys_seq ${BIGINT.toString()}, sys_version ${BIGINT.toString()})`,
    );
  }

  dropLog(table: TableInfo, connection: DuckDBConnection): Promise<unknown> {
    return connection.run(`DROP TABLE IF EXISTS ${logTableName(table.objectId)}`);
  }

  /**
   * Commits the connection's open DuckDB transaction, which changed these tracked tables: their pending
   * log rows get the next version of their database. One such commit at a time, so versions are handed
   * out in commit order and CHANGE_TRACKING_CURRENT_VERSION() never names a version not yet readable.
   */
  commit(
    connection: DuckDBConnection,
    tables: Iterable<TableInfo>,
    truncated?: TruncatedTables,
  ): Promise<void> {
    const run = async (): Promise<void> => {
      const next = new Map<string, number>();
      const changed = new Set<string>();
      const versionOf = (table: TableInfo): number => {
        const key = nameKey(table.database);
        if (!next.has(key)) next.set(key, (this.committed.get(key) ?? 0) + 1);
        return next.get(key)!;
      };
      /** The database takes the version: recorded for a restart, current once committed. */
      const takeVersion = async (table: TableInfo): Promise<void> => {
        const key = nameKey(table.database);
        if (changed.has(key)) return;
        changed.add(key);
        await connection.run(`INSERT INTO ${COMMITS} VALUES ($1, ${versionOf(table)})`, [table.database]);
      };
      const restore: (() => void)[] = [];
      try {
        for (const table of truncated?.tables ?? []) {
          const tracking = table.changeTracking;
          if (!tracking) continue;
          await takeVersion(table);
          const before = tracking.beginVersion;
          restore.push(() => (tracking.beginVersion = before));
          tracking.beginVersion = versionOf(table);
        }
        if (restore.length > 0) await truncated!.saveCatalog();
        for (const table of tables) {
          if (!table.changeTracking) continue;
          const logged = await connection.run(
            `UPDATE ${logTableName(table.objectId)} SET sys_version = ${versionOf(table)} WHERE sys_version IS NULL`,
          );
          if (logged.rowsChanged > 0) await takeVersion(table);
        }
        await connection.run('COMMIT');
      } catch (e) {
        restore.forEach((undo) => undo());
        throw e;
      }
      // A transaction that changed no tracked row (an UPDATE matching nothing) takes no version.
      for (const key of changed) this.committed.set(key, next.get(key)!);
    };
    const result = this.commitQueue.then(run, run);
    this.commitQueue = result.catch(() => undefined);
    return result;
  }

  /**
   * TRUNCATE TABLE logs no row: it removes the table's change information, the rows this transaction
   * logged included. Its commit then resets the table's begin version (commit's `truncated`).
   */
  async truncate(table: TableInfo, connection: DuckDBConnection): Promise<void> {
    await connection.run(`DELETE FROM ${logTableName(table.objectId)}`);
  }

  /**
   * What the automatic cleanup does once the retention period has passed for every change committed so
   * far: removes them and moves each table's cleanup version (so its minimum valid version) up to the
   * current version. A test hook: the stand-in has no background task and no clock-based retention.
   */
  async cleanup(catalog: Catalog, database: string, connection: DuckDBConnection): Promise<void> {
    const version = this.currentVersion(database);
    for (const table of catalog.tablesOf(database)) {
      if (!table.changeTracking) continue;
      await connection.run(`DELETE FROM ${logTableName(table.objectId)} WHERE sys_version <= ${version}`);
      table.changeTracking.cleanupVersion = version;
    }
    // Only the latest version is needed to resume after a restart.
    await connection.run(`DELETE FROM ${COMMITS} WHERE database = $1 AND version < ${version}`, [database]);
  }

  /**
   * CHANGETABLE(CHANGES t, last) as a DuckDB relation, its columns named as the stand-in stores a
   * relation's columns (c<i>, k<i>): one row per key changed after `last` (all retained changes when
   * NULL) up to `upTo`, the reader's current version. Relative to that baseline: a key whose first change
   * in the range is an insert is I, one whose last change is a delete is D (not reported when it was also
   * inserted in the range: it neither was nor is there), any other U; so a delete then an insert of a key
   * is an update, as the page says, and a primary-key update (logged as D of the old key, I of the new)
   * is a delete and an insert. SYS_CHANGE_CREATION_VERSION is the version of the key's last retained
   * insert. Without TRACK_COLUMNS_UPDATED, SYS_CHANGE_COLUMNS is NULL; no change context is recorded.
   */
  changesSql(table: TableInfo, last: bigint | null, upTo: number): string {
    const keyNames = keyPhysical(table).map((p) => p.name);
    // Keys are the same key when SQL Server compares them equal ('abc' and 'ABC' under the collation):
    // grouped by what comparisons use, each reported as last written.
    const compared = keyOrdinals(table).map((o) => `${hasKeyColumn(table.columns[o]!.type) ? 'k' : 'c'}${o}`);
    const spelled = keyNames.filter((name) => !compared.includes(name));
    const base = changesColumns(table).length - keyOrdinals(table).length;
    const inRange = last === null ? 'TRUE' : `sys_version > ${last}`;
    const order = '(sys_version, sys_seq)';
    const opKey = (op: string): string => `WHEN '${op}' THEN ${hexKey(op)}`;
    // The primary key's columns take their places after the five SYS_CHANGE_* columns.
    const keyOut = keyOrdinals(table).flatMap((o, i) =>
      physicalColumns(table.columns[o]!.type, o).map(
        (p, j) => `${p.name} AS ${physicalColumns(table.columns[o]!.type, base + i)[j]!.name}`,
      ),
    );
    return `(SELECT sys_change_version AS c0, sys_change_creation_version AS c1, op AS c2,
        CASE op ${opKey('I')} ${opKey('U')} ${opKey('D')} END AS k2,
        CAST(NULL AS BLOB) AS c3, CAST(NULL AS BLOB) AS k3, CAST(NULL AS BLOB) AS c4, CAST(NULL AS BLOB) AS k4,
        ${keyOut.join(', ')}
      FROM (SELECT ${keyNames.join(', ')},
          CASE WHEN last_op = 'D' THEN 'D' WHEN first_op = 'I' THEN 'I' ELSE 'U' END AS op,
          first_op, last_op, sys_change_version, sys_change_creation_version
        FROM (SELECT ${[...compared, ...spelled.map((name) => `arg_max(${name}, ${order}) AS ${name}`)].join(', ')},
            arg_min(sys_op, ${order}) FILTER (WHERE ${inRange}) AS first_op,
            arg_max(sys_op, ${order}) FILTER (WHERE ${inRange}) AS last_op,
            max(sys_version) FILTER (WHERE ${inRange}) AS sys_change_version,
            max(sys_version) FILTER (WHERE sys_op = 'I') AS sys_change_creation_version
          FROM ${logTableName(table.objectId)}
          WHERE sys_version IS NOT NULL AND sys_version <= ${upTo}
          GROUP BY ${compared.join(', ')})
        WHERE sys_change_version IS NOT NULL AND NOT (first_op = 'I' AND last_op = 'D')))`;
  }
}
