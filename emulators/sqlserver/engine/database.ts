/**
 * The server's data: one DuckDB database (in memory or in a file) holding every SQL Server database's
 * tables, and the catalog of declared types beside it, saved in the same DuckDB file.
 */
import type { Procedure } from './procedures';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { invalidObject, notSupported } from '../errors';
import { isSystemView } from '../tsql/builtins';
import type { ObjectName } from '../tsql/ast';
import type { Relation } from './bound';
import { Catalog, type TableInfo } from './catalog';
import { ChangeTracking } from './change-tracking';
import { findCatalogView } from './catalog-views';
import { physicalTableName } from './storage';

const CATALOG_TABLE = 'standin_catalog';

/**
 * SQL Server 2000's system tables, now compatibility views of the sys schema, which old scripts name
 * without it (`select * from sysobjects`, `dbo.sysobjects`)
 * (https://learn.microsoft.com/sql/relational-databases/system-compatibility-views/system-compatibility-views-transact-sql).
 */
function compatibilityView(schema: string, name: string) {
  if (!/^sys(objects|databases)$/i.test(name) || !/^(dbo|sys)$/i.test(schema)) return undefined;
  return findCatalogView('sys', name);
}

export interface QualifiedName {
  database: string;
  schema: string;
  name: string;
}

export class Database {
  /** Stored procedures of every database, keyed by lower-case `database.schema.name` (not kept by --data). */
  readonly procedures = new Map<string, Procedure>();
  /** Change tracking's versions and logs (the settings are in the catalog). */
  readonly changeTracking = new ChangeTracking();
  /** The tail of the DDL queue: one DDL statement of any session at a time. */
  private ddlQueue: Promise<unknown> = Promise.resolve();

  /**
   * Runs DDL after every DDL statement queued before it. DuckDB answers two sessions changing its catalog
   * (and the stand-in's catalog row) at once with a write-write conflict, which would surface as 1205;
   * SQL Server makes the second wait on its schema locks instead.
   */
  serializeDdl<T>(run: () => Promise<T>): Promise<T> {
    const result = this.ddlQueue.then(run, run);
    this.ddlQueue = result.catch(() => undefined);
    return result;
  }

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly catalog: Catalog,
  ) {}

  static async open(databaseNames: string[], dataFile?: string): Promise<Database> {
    const instance = await DuckDBInstance.create(dataFile ?? ':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(
        `CREATE TABLE IF NOT EXISTS ${CATALOG_TABLE} (id INTEGER PRIMARY KEY, json VARCHAR)`,
      );
      const saved = (
        await connection.runAndReadAll(`SELECT json FROM ${CATALOG_TABLE} WHERE id = 1`)
      ).getRows();
      const catalog =
        saved.length > 0 ? Catalog.fromJson(String(saved[0]![0]), databaseNames) : new Catalog(databaseNames);
      const db = new Database(instance, catalog);
      await db.recoverIdentities(connection);
      await db.changeTracking.open(connection);
      await db.saveCatalog(connection);
      return db;
    } finally {
      connection.closeSync();
    }
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Writes the catalog in the caller's transaction, so a rolled-back CREATE TABLE leaves no trace. */
  async saveCatalog(connection: DuckDBConnection): Promise<void> {
    await connection.run(`INSERT OR REPLACE INTO ${CATALOG_TABLE} VALUES (1, $1)`, [this.catalog.toJson()]);
  }

  /** Identity values handed out since the catalog was last saved are recovered from the data. */
  private async recoverIdentities(connection: DuckDBConnection): Promise<void> {
    for (const table of this.catalog.allTables()) {
      const ordinal = table.columns.findIndex((c) => c.identity);
      if (ordinal < 0) continue;
      const rows = (
        await connection.runAndReadAll(
          `SELECT CAST(max(c${ordinal}) AS VARCHAR) FROM ${physicalTableName(table.objectId)}`,
        )
      ).getRows();
      const max = rows[0]?.[0];
      if (max !== null && max !== undefined) {
        const value = BigInt(String(max).replace(/\..*$/, ''));
        if (table.identityCurrent === undefined || value > table.identityCurrent)
          table.identityCurrent = value;
      }
    }
  }

  /** The test hook behind the emulator's cleanupChangeTracking (see ChangeTracking.cleanup). */
  async cleanupChangeTracking(database: string): Promise<void> {
    const name = this.catalog.requireDatabase(database).name;
    await this.serializeDdl(async () => {
      const connection = await this.connect();
      try {
        await connection.run('BEGIN TRANSACTION');
        await this.changeTracking.cleanup(this.catalog, name, connection);
        await this.saveCatalog(connection);
        await connection.run('COMMIT');
      } catch (e) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        connection.closeSync();
      }
    });
  }

  close(): void {
    this.instance.closeSync();
  }

  /** A name as written, completed with the current database and the default schema. */
  qualify(name: ObjectName, currentDatabase: string): QualifiedName {
    const parts = name.parts;
    const table = parts[parts.length - 1]!;
    const schema = parts.length >= 2 && parts[parts.length - 2] !== '' ? parts[parts.length - 2]! : 'dbo';
    const database = parts.length === 3 ? parts[0]! : currentDatabase;
    return { database, schema, name: table };
  }

  /** A user table; 208 when there is none by that name. */
  table(name: ObjectName, currentDatabase: string): TableInfo {
    const q = this.qualify(name, currentDatabase);
    const table = this.catalog.table(q.database, q.schema, q.name);
    if (!table) throw invalidObject(name.text);
    return table;
  }

  /** A table or catalog view that a query reads. */
  relation(name: ObjectName, currentDatabase: string): Relation {
    const q = this.qualify(name, currentDatabase);
    const view =
      name.parts.length >= 2
        ? (findCatalogView(q.schema, q.name) ?? compatibilityView(q.schema, q.name))
        : compatibilityView('dbo', q.name);
    if (view) {
      if (!this.catalog.database(q.database)) throw invalidObject(name.text);
      return { database: q.database, schema: view.schema, name: view.name, columns: view.columns, view };
    }
    if (isSystemView(q.schema, q.name)) throw notSupported(`the catalog view sys.${q.name}`);
    const table = this.table(name, currentDatabase);
    return {
      database: table.database,
      schema: table.schema,
      name: table.name,
      columns: table.columns,
      table,
    };
  }
}
