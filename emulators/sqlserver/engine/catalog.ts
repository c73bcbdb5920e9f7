/**
 * What SQL Server's system catalog knows: databases, schemas, tables with their declared column types,
 * identity, defaults and constraints. DuckDB only holds the rows; every type question is answered here.
 * Names compare under the server collation, as SQL Server compares identifiers.
 */
import type { ScalarFunction } from './scalar-functions';
import type { XmlSchemaCollection } from './xml-schema-collections';
import { collationKey } from '../collation';
import { SqlError } from '../errors';
import type { SqlType } from '../types/sql-type';
import type { DatabaseChangeTracking, TableChangeTracking } from './change-tracking';
import type { ExtendedProperty } from './extended-properties';
import { Security } from './security';

export interface ColumnInfo {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: { seed: bigint; increment: bigint };
  /** The DEFAULT as written, and its constraint name. */
  default?: { source: string; name: string };
  /** MASKED WITH (FUNCTION = '...'): the masking function, as sys.masked_columns shows it. */
  mask?: string;
  /** GENERATED ALWAYS AS ROW START | END: set by SQL Server on INSERT, never given. */
  generatedAlways?: 'AS_ROW_START' | 'AS_ROW_END';
  /** HIDDEN: not in SELECT * nor in INSERT without a column list. */
  hidden?: boolean;
  /**
   * A computed column: its expression as written and whether PERSISTED. The stand-in computes the value
   * when a row is written (computed-columns.ts).
   */
  computed?: { definition: string; persisted: boolean };
  /** Always Encrypted, catalog only: the stand-in keeps no ciphertext, so reading the column is refused. */
  encryption?: { key: string; type: 'DETERMINISTIC' | 'RANDOMIZED'; algorithm: string };
  /** Typed xml: the id of its XML schema collection (xml-schema-collections.ts). */
  xmlCollectionId?: number;
}

export interface KeyConstraint {
  name: string;
  columns: string[];
  /** A primary key declared NONCLUSTERED (a primary key is the clustered index otherwise). */
  nonclustered?: boolean;
}

/** A CHECK constraint: its condition as written, the column of a column constraint, its state. */
export interface CheckConstraint {
  name: string;
  source: string;
  column?: string;
  /** ALTER TABLE ... NOCHECK CONSTRAINT: not enforced. */
  disabled?: boolean;
  /** Enabled again without checking the rows already there (sys.check_constraints.is_not_trusted). */
  notTrusted?: boolean;
}

/** An alias type (CREATE TYPE ... FROM, sp_addtype): a system type under a name, with a nullability. */
export interface AliasType {
  schema: string;
  name: string;
  base: SqlType;
  nullable: boolean;
}

/** CREATE INDEX: unique ones are enforced, the others only listed in sys.indexes. */
export interface IndexInfo extends KeyConstraint {
  /** Names the DuckDB index of a unique one. */
  id: number;
  unique: boolean;
  clustered: boolean;
}

export interface ForeignKey extends KeyConstraint {
  refSchema: string;
  refTable: string;
  refColumns: string[];
  /** ALTER TABLE ... NOCHECK CONSTRAINT (foreign keys are recorded, never enforced, either way). */
  disabled?: boolean;
}

export interface TableInfo {
  objectId: number;
  database: string;
  schema: string;
  name: string;
  columns: ColumnInfo[];
  primaryKey?: KeyConstraint;
  uniques: KeyConstraint[];
  foreignKeys: ForeignKey[];
  checks?: CheckConstraint[];
  indexes?: IndexInfo[];
  /** The last identity value handed out; undefined before the first. */
  identityCurrent?: bigint;
  createdMs: number;
  /** ALTER TABLE ... ENABLE CHANGE_TRACKING: its versions; absent when not tracked. */
  changeTracking?: TableChangeTracking;
  /** WITH (MEMORY_OPTIMIZED = ON): catalog and SNAPSHOT refusal (41332); the rows live as any table's. */
  memoryOptimized?: boolean;
  /** SYSTEM_VERSIONING = ON: the object id of its history table (sys.tables.history_table_id). */
  historyTableId?: number;
}

export interface SchemaInfo {
  id: number;
  name: string;
}

export interface DatabaseInfo {
  id: number;
  name: string;
  schemas: SchemaInfo[];
  /** ALLOW_SNAPSHOT_ISOLATION: OFF in a new database, ON in master (as on a real server). */
  allowSnapshotIsolation?: boolean;
  /** ALTER DATABASE ... SET CHANGE_TRACKING = ON: its options; absent when off. */
  changeTracking?: DatabaseChangeTracking;
  /** ALTER DATABASE ... SET RECOVERY: absent is FULL, a new database's model (model's default). */
  recoveryModel?: 'FULL' | 'BULK_LOGGED' | 'SIMPLE';
  aliasTypes?: AliasType[];
  /** sp_addextendedproperty's properties (extended-properties.ts). */
  extendedProperties?: ExtendedProperty[];
  xmlSchemaCollections?: XmlSchemaCollection[];
}

/** Schemas every database has, with SQL Server's ids. */
const BUILT_IN_SCHEMAS: SchemaInfo[] = [
  { id: 1, name: 'dbo' },
  { id: 2, name: 'guest' },
  { id: 3, name: 'INFORMATION_SCHEMA' },
  { id: 4, name: 'sys' },
];

export const nameKey = (name: string): string => collationKey(name).toString('latin1');
export const sameName = (a: string, b: string): boolean => a === b || nameKey(a) === nameKey(b);

interface CatalogJson {
  nextObjectId: number;
  databases: DatabaseInfo[];
  tables: (Omit<TableInfo, 'columns' | 'identityCurrent'> & {
    columns: (Omit<ColumnInfo, 'identity'> & { identity?: { seed: string; increment: string } })[];
    identityCurrent?: string;
  })[];
}

export class Catalog {
  private readonly databases = new Map<string, DatabaseInfo>();
  private readonly tables = new Map<string, TableInfo>();
  private nextObjectId = 901_578_250;
  /** Bumped by every change, so readers can cache what they derive. */
  version = 0;
  /** Logins, users, grants, predicate functions and security policies (not kept by --data). */
  readonly security = new Security(this);
  /** Scalar user-defined functions (scalar-functions.ts; not kept by --data). */
  private readonly scalarFunctions = new Map<string, ScalarFunction>();

  constructor(databaseNames: string[] = []) {
    for (const name of ['master', ...databaseNames]) if (!this.database(name)) this.addDatabase(name);
  }

  private tableKey(database: string, schema: string, name: string): string {
    return `${nameKey(database)}\u0000${nameKey(schema)}\u0000${nameKey(name)}`;
  }

  database(name: string): DatabaseInfo | undefined {
    return this.databases.get(nameKey(name));
  }

  allDatabases(): DatabaseInfo[] {
    return [...this.databases.values()].sort((a, b) => a.id - b.id);
  }

  addDatabase(name: string): DatabaseInfo {
    if (this.database(name)) {
      throw new SqlError(1801, `Database '${name}' already exists. Choose a different database name.`);
    }
    const db: DatabaseInfo = {
      id: this.databases.size + 1,
      name,
      schemas: BUILT_IN_SCHEMAS.map((s) => ({ ...s })),
      allowSnapshotIsolation: sameName(name, 'master'),
    };
    if (db.id >= 2) db.id += 3; // ids 2-4 are tempdb, model and msdb on a real server
    this.databases.set(nameKey(name), db);
    this.version++;
    return db;
  }

  dropDatabase(name: string): DatabaseInfo {
    const db = this.requireDatabase(name);
    for (const t of this.tablesOf(db.name)) this.tables.delete(this.tableKey(t.database, t.schema, t.name));
    this.databases.delete(nameKey(name));
    this.version++;
    return db;
  }

  requireDatabase(name: string): DatabaseInfo {
    const db = this.database(name);
    if (!db) {
      throw new SqlError(
        911,
        `Database '${name}' does not exist. Make sure that the name is entered correctly.`,
      );
    }
    return db;
  }

  schema(database: string, name: string): SchemaInfo | undefined {
    return this.database(database)?.schemas.find((s) => sameName(s.name, name));
  }

  addSchema(database: string, name: string): SchemaInfo {
    const db = this.requireDatabase(database);
    if (this.schema(database, name)) {
      throw new SqlError(2714, `There is already an object named '${name}' in the database.`);
    }
    const schema = { id: Math.max(4, ...db.schemas.map((s) => s.id)) + 1, name };
    db.schemas.push(schema);
    this.version++;
    return schema;
  }

  removeSchema(database: string, name: string): void {
    const db = this.requireDatabase(database);
    db.schemas = db.schemas.filter((s) => !sameName(s.name, name));
    this.version++;
  }

  table(database: string, schema: string, name: string): TableInfo | undefined {
    return this.tables.get(this.tableKey(database, schema, name));
  }

  scalarFunction(database: string, schema: string, name: string): ScalarFunction | undefined {
    return this.scalarFunctions.get(this.tableKey(database, schema, name));
  }

  /** 2714 when a table or function of the schema has the name: they share one namespace. */
  createScalarFunction(fn: ScalarFunction): void {
    if (!this.schema(fn.database, fn.schema))
      throw new SqlError(
        2760,
        `The specified schema name "${fn.schema}" either does not exist or you do not have permission to use it.`,
      );
    const key = this.tableKey(fn.database, fn.schema, fn.name);
    if (this.tables.has(key) || this.scalarFunctions.has(key))
      throw new SqlError(2714, `There is already an object named '${fn.name}' in the database.`);
    this.scalarFunctions.set(key, fn);
  }

  /** Whether there was such a function to drop. */
  dropScalarFunction(name: { database: string; schema: string; name: string }): boolean {
    return this.scalarFunctions.delete(this.tableKey(name.database, name.schema, name.name));
  }

  tableById(objectId: number): TableInfo | undefined {
    for (const t of this.tables.values()) if (t.objectId === objectId) return t;
    return undefined;
  }

  /** The system-versioned table whose history `history` keeps, if any. */
  currentTableOf(history: TableInfo): TableInfo | undefined {
    return this.tablesOf(history.database).find((t) => t.historyTableId === history.objectId);
  }

  tablesOf(database: string): TableInfo[] {
    return [...this.tables.values()]
      .filter((t) => sameName(t.database, database))
      .sort((a, b) => a.objectId - b.objectId);
  }

  allTables(): TableInfo[] {
    return [...this.tables.values()];
  }

  newObjectId(): number {
    const id = this.nextObjectId;
    this.nextObjectId += 16_000_057;
    if (this.nextObjectId > 2_000_000_000) this.nextObjectId -= 1_900_000_000;
    return id;
  }

  addTable(table: TableInfo): void {
    this.tables.set(this.tableKey(table.database, table.schema, table.name), table);
    this.version++;
  }

  removeTable(table: TableInfo): void {
    this.tables.delete(this.tableKey(table.database, table.schema, table.name));
    // A dropped object's extended properties go with it.
    const db = this.database(table.database);
    if (db?.extendedProperties) {
      db.extendedProperties = db.extendedProperties.filter(
        (p) => p.class !== 1 || p.majorId !== table.objectId,
      );
    }
    this.version++;
  }

  /** Constraint names are unique per schema, as in SQL Server. */
  constraintExists(database: string, schema: string, name: string): boolean {
    return this.tablesOf(database).some(
      (t) =>
        sameName(t.schema, schema) &&
        [
          t.primaryKey,
          ...t.uniques,
          ...t.foreignKeys,
          ...(t.checks ?? []),
          ...t.columns.map((c) => c.default),
        ].some((k) => k !== undefined && sameName(k.name, name)),
    );
  }

  toJson(): string {
    const json: CatalogJson = {
      nextObjectId: this.nextObjectId,
      databases: this.allDatabases(),
      tables: this.allTables().map((t) => ({
        ...t,
        identityCurrent: t.identityCurrent?.toString(),
        columns: t.columns.map((c) => ({
          ...c,
          identity: c.identity && {
            seed: c.identity.seed.toString(),
            increment: c.identity.increment.toString(),
          },
        })),
      })),
    };
    return JSON.stringify(json);
  }

  /** Restores a saved catalog; databases named in the options that it lacks are added. */
  static fromJson(text: string, databaseNames: string[]): Catalog {
    const json = JSON.parse(text) as CatalogJson;
    const catalog = new Catalog();
    catalog.databases.clear();
    for (const db of json.databases) catalog.databases.set(nameKey(db.name), db);
    for (const t of json.tables) {
      catalog.addTable({
        ...t,
        identityCurrent: t.identityCurrent === undefined ? undefined : BigInt(t.identityCurrent),
        columns: t.columns.map((c) => ({
          ...c,
          identity: c.identity && { seed: BigInt(c.identity.seed), increment: BigInt(c.identity.increment) },
        })),
      });
    }
    catalog.nextObjectId = json.nextObjectId;
    for (const name of databaseNames) if (!catalog.database(name)) catalog.addDatabase(name);
    return catalog;
  }
}
