/**
 * CREATE/DROP of tables, schemas and databases: the catalog entry (with SQL Server's checks and its
 * generated constraint names) and the DuckDB table behind it. Each returns how to undo its catalog change,
 * for ROLLBACK.
 */
import { checkMaskingFunction, defaultMask } from './security';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError, notSupported } from '../errors';
import { isIntegerType, isLargeObjectType, type SqlType } from '../types/sql-type';
import type {
  AliasTypeName,
  ColumnDefinition,
  ComputedColumnDefinition,
  ObjectName,
  StatementBody,
  TableConstraint,
  TableOptions,
} from '../tsql/ast';
import { Binder, type BindEnv } from './binder';
import {
  sameName,
  type AliasType,
  type Catalog,
  type CheckConstraint,
  type ColumnInfo,
  type ForeignKey,
  type KeyConstraint,
  type TableInfo,
} from './catalog';
import { validateCheck } from './checks';
import { xmlCollectionOf } from './xml-schema-collections';
import { bindComputedColumns, computedColumnInfo } from './computed-columns';
import { DEFAULT_DATABASE_CHANGE_TRACKING } from './change-tracking';
import type { Database } from './database';
import { parseDefaultExpression } from './defaults';
import { keySql, physicalColumns, physicalTableName } from './storage';

export type Undo = () => void;

export interface DdlContext {
  db: Database;
  database: string;
  connection: DuckDBConnection;
  env: BindEnv;
  /** The session's ANSI_NULL_DFLT_ON / _OFF: whether a column without NULL or NOT NULL allows NULL. */
  nullableByDefault: boolean;
}

/** SQL Server's generated names end in hex digits derived from the object id. */
export function hexSuffix(objectId: number, salt: number, digits: number): string {
  let text = '';
  for (let i = 0; text.length < digits; i++) {
    text += ((Math.imul(objectId ^ (salt * 0x9e3779b1), 0x85ebca6b) + i * 0xc2b2ae35) >>> 0)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
  }
  return text.slice(0, digits);
}

/** The alias type a column names, from the table's database (its schema, dbo if none): 2715 if none. */
export function aliasType(
  catalog: Catalog,
  database: string,
  type: AliasTypeName,
  position: number,
): AliasType {
  const parts = type.alias.parts;
  if (parts.length > 2)
    throw new SqlError(
      117,
      `The type name '${type.alias.text}' contains more than the maximum number of prefixes. The maximum is 1.`,
      { class: 15 },
    );
  const schema = parts.length === 2 ? parts[0]! : 'dbo';
  const name = parts[parts.length - 1]!;
  const found = catalog
    .database(database)
    ?.aliasTypes?.find((a) => sameName(a.schema, schema) && sameName(a.name, name));
  if (!found) {
    throw new SqlError(
      2715,
      `Column, parameter, or variable #${position}: Cannot find data type ${type.alias.text}.`,
      { class: 16 },
    );
  }
  return found;
}

const isValidIdentityType = (t: SqlType): boolean =>
  isIntegerType(t) || ((t.name === 'decimal' || t.name === 'numeric') && t.scale === 0);

export async function createTable(
  name: ObjectName,
  definitions: (ColumnDefinition | ComputedColumnDefinition)[],
  constraints: TableConstraint[],
  ctx: DdlContext,
  options: TableOptions = {},
): Promise<Undo> {
  const { catalog } = ctx.db;
  const q = ctx.db.qualify(name, ctx.database);
  if (!catalog.database(q.database)) {
    throw new SqlError(2702, `Database '${q.database}' does not exist.`);
  }
  if (!catalog.schema(q.database, q.schema)) {
    throw new SqlError(
      2760,
      `The specified schema name "${q.schema}" either does not exist or you do not have permission to use it.`,
    );
  }
  if (catalog.table(q.database, q.schema, q.name)) {
    throw new SqlError(2714, `There is already an object named '${q.name}' in the database.`);
  }
  const objectId = catalog.newObjectId();
  const tableName = q.name;

  const columns: ColumnInfo[] = [];
  const duplicateColumn = (column: string) =>
    new SqlError(
      2705,
      `Column names in each table must be unique. Column name '${column}' in table '${tableName}' is specified more than once.`,
    );
  const keys: { kind: 'primaryKey' | 'unique'; key: KeyConstraint }[] = [];
  const foreignKeys: ForeignKey[] = [];
  const constraintNames = new Set<string>();
  const claim = (constraintName: string): string => {
    if (
      constraintNames.has(constraintName.toLowerCase()) ||
      catalog.constraintExists(q.database, q.schema, constraintName)
    ) {
      throw new SqlError(2714, `There is already an object named '${constraintName}' in the database.`);
    }
    constraintNames.add(constraintName.toLowerCase());
    return constraintName;
  };
  const keyName = (prefix: 'PK' | 'UQ', explicit: string | undefined, salt: number): string =>
    claim(explicit ?? `${prefix}__${tableName.slice(0, 8)}__${hexSuffix(objectId, salt, 16)}`);
  const checks: CheckConstraint[] = [];
  const check = (definition: { name?: string; text: string }, column: string | undefined, salt: number) => {
    const generated = `CK__${tableName.slice(0, 9)}__${column === undefined ? '' : `${column.slice(0, 5)}__`}${hexSuffix(objectId, salt, 8)}`;
    checks.push({ name: claim(definition.name ?? generated), source: definition.text, column });
  };
  const foreignKey = (
    columnsOf: string[],
    ref: { name?: string; table: ObjectName; columns: string[] },
    salt: number,
  ): ForeignKey => {
    const target = ctx.db.qualify(ref.table, ctx.database);
    const refTable = catalog.table(target.database, target.schema, target.name);
    const fkName =
      ref.name ?? `FK__${tableName.slice(0, 9)}__${target.name.slice(0, 9)}__${hexSuffix(objectId, salt, 8)}`;
    if (!refTable && !sameName(target.name, tableName)) {
      throw new SqlError(1767, `Foreign key '${fkName}' references invalid table '${ref.table.text}'.`);
    }
    const refColumns = ref.columns.length > 0 ? ref.columns : (refTable?.primaryKey?.columns ?? []);
    return {
      name: claim(fkName),
      columns: columnsOf,
      refSchema: target.schema,
      refTable: target.name,
      refColumns,
    };
  };

  definitions.forEach((definition, i) => {
    if ('computed' in definition) {
      if (columns.some((c) => sameName(c.name, definition.name))) throw duplicateColumn(definition.name);
      columns.push(computedColumnInfo(definition));
      return;
    }
    const alias =
      'alias' in definition.type ? aliasType(catalog, q.database, definition.type, i + 1) : undefined;
    const xmlCollection =
      'xmlCollection' in definition.type ? xmlCollectionOf(catalog, q.database, definition.type) : undefined;
    const type: SqlType = alias ? alias.base : xmlCollection ? { name: 'xml' } : (definition.type as SqlType);
    const d = { ...definition, type };
    if (columns.some((c) => sameName(c.name, d.name))) throw duplicateColumn(d.name);
    if (d.identity) {
      if (!isValidIdentityType(d.type) || d.nullable === true) {
        throw new SqlError(
          2749,
          `Identity column '${d.name}' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, and constrained to be nonnullable.`,
        );
      }
      if (columns.some((c) => c.identity)) {
        throw new SqlError(
          2744,
          `Multiple identity columns specified for table '${tableName}'. Only one identity column per table is allowed.`,
        );
      }
    }
    const column: ColumnInfo = {
      name: d.name,
      type: d.type,
      nullable: d.nullable ?? alias?.nullable ?? (!(d.identity || d.primaryKey) && ctx.nullableByDefault),
      identity: d.identity,
    };
    if (xmlCollection) column.xmlCollectionId = xmlCollection.id;
    if (d.generatedAlways) {
      // Period columns are datetime2 and never NULL (SQL Server makes them NOT NULL itself).
      if (d.type.name !== 'datetime2' || d.nullable === true || d.default || d.identity)
        throw notSupported('a GENERATED ALWAYS column other than NOT NULL datetime2 without a default');
      column.generatedAlways = d.generatedAlways;
      column.nullable = false;
    }
    if (d.hidden) {
      if (!d.generatedAlways) throw notSupported('HIDDEN on a column that is not GENERATED ALWAYS');
      column.hidden = true;
    }
    if (d.encryption) column.encryption = d.encryption;
    if (d.mask !== undefined) {
      column.mask = checkMaskingFunction(d.mask);
      defaultMask(d.type); // a type whose default() is not documented is refused
    }
    if (d.default) {
      if (d.identity)
        throw new SqlError(
          1754,
          `Defaults cannot be created on columns with an IDENTITY attribute. Table '${tableName}', column '${d.name}'.`,
        );
      validateDefault(d.default.text, ctx.env);
      column.default = {
        source: d.default.text,
        name: claim(
          d.default.name ??
            `DF__${tableName.slice(0, 9)}__${d.name.slice(0, 5)}__${hexSuffix(objectId, 100 + i, 8)}`,
        ),
      };
    }
    if (d.primaryKey)
      keys.push({
        kind: 'primaryKey',
        key: {
          name: keyName('PK', d.primaryKey.name, 1),
          columns: [d.name],
          ...(d.primaryKey.nonclustered && { nonclustered: true }),
        },
      });
    d.checks?.forEach((c, j) => check(c, d.name, 400 + i * 8 + j));
    if (d.unique)
      keys.push({ kind: 'unique', key: { name: keyName('UQ', d.unique.name, 2 + i), columns: [d.name] } });
    if (d.references) foreignKeys.push(foreignKey([d.name], d.references, 200 + i));
    columns.push(column);
  });
  constraints.forEach((c, i) => {
    if (c.kind === 'check') return check(c.check, undefined, 500 + i);
    if (c.kind === 'default') throw new SqlError(102, `Incorrect syntax near 'DEFAULT'.`, { class: 15 });
    for (const col of c.columns) {
      if (!columns.some((x) => sameName(x.name, col))) {
        throw new SqlError(1911, `Column name '${col}' does not exist in the target table or view.`);
      }
    }
    const columnNames = c.columns.map((col) => columns.find((x) => sameName(x.name, col))!.name);
    if (c.kind === 'foreignKey')
      foreignKeys.push(foreignKey(columnNames, { name: c.name, ...c.references! }, 300 + i));
    else
      keys.push({
        kind: c.kind,
        key: {
          name: keyName(c.kind === 'primaryKey' ? 'PK' : 'UQ', c.name, 50 + i),
          columns: columnNames,
          ...(c.kind === 'primaryKey' && c.nonclustered && { nonclustered: true }),
        },
      });
  });

  const database = catalog.database(q.database)!.name;
  const schema = catalog.schema(q.database, q.schema)!.name;
  // The computed columns' types, bound over the table's other columns, before keys look at them.
  bindComputedColumns(
    { objectId, database, schema, name: tableName, columns, uniques: [], foreignKeys: [], createdMs: 0 },
    ctx.env,
  );
  const primaryKeys = keys.filter((k) => k.kind === 'primaryKey');
  if (primaryKeys.length > 1)
    throw new SqlError(8110, `Cannot add multiple PRIMARY KEY constraints to table '${tableName}'.`);
  const primaryKey = primaryKeys[0]?.key;
  for (const { key } of keys) {
    for (const col of key.columns) {
      const column = columns.find((c) => c.name === col)!;
      if (isLargeObjectType(column.type) || column.type.length === -1) {
        throw new SqlError(
          1919,
          `Column '${col}' in table '${tableName}' is of a type that is invalid for use as a key column in an index.`,
        );
      }
    }
  }
  if (primaryKey) {
    for (const col of primaryKey.columns) {
      const column = columns.find((c) => c.name === col)!;
      const definition = definitions.find((d) => d.name === col)!;
      if ('computed' in definition ? column.nullable : definition.nullable === true) {
        throw new SqlError(
          8111,
          `Cannot define PRIMARY KEY constraint on nullable column in table '${tableName}'.`,
        );
      }
      column.nullable = false;
    }
  }

  const history = systemVersioning(columns, options, q.database, ctx);
  const table: TableInfo = {
    ...(options.memoryOptimized ? { memoryOptimized: true } : {}),
    ...(history ? { historyTableId: history.objectId } : {}),
    objectId,
    database,
    schema,
    name: tableName,
    columns,
    primaryKey,
    uniques: keys.filter((k) => k.kind === 'unique').map((k) => k.key),
    foreignKeys,
    ...(checks.length > 0 && { checks }),
    createdMs: Date.now(),
  };
  for (const c of checks) validateCheck(table, c, ctx.env);
  await ctx.connection.run(createTableSql(table));
  catalog.addTable(table);
  await ctx.db.saveCatalog(ctx.connection);
  return () => catalog.removeTable(table);
}

/**
 * PERIOD FOR SYSTEM_TIME and SYSTEM_VERSIONING = ON (HISTORY_TABLE = ...): the period names one
 * GENERATED ALWAYS AS ROW START and one AS ROW END column; the history table exists, with as many
 * columns, and keeps no other table's history
 * (https://learn.microsoft.com/sql/relational-databases/tables/creating-a-system-versioned-temporal-table).
 * Returns the history table. What SQL Server checks beyond that (the history's column types, no
 * constraints on it) is not modelled: such a history table is taken as it is.
 */
function systemVersioning(
  columns: ColumnInfo[],
  options: TableOptions,
  database: string,
  ctx: DdlContext,
): TableInfo | undefined {
  const generated = columns.filter((c) => c.generatedAlways);
  if (options.period) {
    const start = columns.find((c) => sameName(c.name, options.period!.start));
    const end = columns.find((c) => sameName(c.name, options.period!.end));
    if (
      start?.generatedAlways !== 'AS_ROW_START' ||
      end?.generatedAlways !== 'AS_ROW_END' ||
      generated.length !== 2
    )
      throw notSupported(
        'a SYSTEM_TIME period other than one GENERATED ALWAYS AS ROW START and one AS ROW END column',
      );
  } else if (generated.length) throw notSupported('GENERATED ALWAYS columns without PERIOD FOR SYSTEM_TIME');
  if (!options.historyTable) return undefined;
  if (!options.period) throw notSupported('SYSTEM_VERSIONING = ON without PERIOD FOR SYSTEM_TIME');
  const { catalog } = ctx.db;
  const h = ctx.db.qualify(options.historyTable, database);
  const history = catalog.table(h.database, h.schema, h.name);
  if (!history) throw notSupported('SYSTEM_VERSIONING = ON with a HISTORY_TABLE that does not exist yet');
  if (history.columns.length !== columns.length)
    throw notSupported('a HISTORY_TABLE with another number of columns than the table');
  if (history.historyTableId !== undefined || catalog.currentTableOf(history))
    throw notSupported("a HISTORY_TABLE that is itself system-versioned or keeps another table's history");
  return history;
}

export function validateDefault(source: string, env: BindEnv): void {
  try {
    new Binder({ ...env, scope: [] }, false).value(parseDefaultExpression(source));
  } catch (e) {
    if (e instanceof SqlError && e.number === 207) {
      throw new SqlError(
        128,
        `The name "${source}" is not permitted in this context. Valid expressions are constants, constant expressions, and (in some contexts) variables. Column names are not permitted.`,
        { class: 15 },
      );
    }
    throw e;
  }
}

/** The DuckDB table: value, offset and key columns; keys enforced on the key columns. */
export function createTableSql(table: TableInfo): string {
  const columnSql = table.columns.flatMap((c, i) =>
    physicalColumns(c.type, i).map(
      (p) => `${p.name} ${p.duckType.toString()}${!c.nullable && !p.name.startsWith('k') ? ' NOT NULL' : ''}`,
    ),
  );
  const keyColumns = (key: KeyConstraint): string =>
    key.columns
      .map((name) => {
        const ordinal = table.columns.findIndex((c) => c.name === name);
        return keySql(table.columns[ordinal]!.type, '', ordinal).replace(/^\./, '');
      })
      .join(', ');
  if (table.primaryKey) columnSql.push(`PRIMARY KEY (${keyColumns(table.primaryKey)})`);
  for (const unique of table.uniques) columnSql.push(`UNIQUE (${keyColumns(unique)})`);
  return `CREATE TABLE ${physicalTableName(table.objectId)} (${columnSql.join(', ')})`;
}

export async function dropTables(names: ObjectName[], ifExists: boolean, ctx: DdlContext): Promise<Undo> {
  const { catalog } = ctx.db;
  const undos: Undo[] = [];
  for (const name of names) {
    const q = ctx.db.qualify(name, ctx.database);
    const table = catalog.table(q.database, q.schema, q.name);
    if (!table) {
      if (ifExists) continue;
      throw new SqlError(
        3701,
        `Cannot drop the table '${name.text}', because it does not exist or you do not have permission.`,
        { class: 11 },
      );
    }
    const referencing = catalog
      .tablesOf(table.database)
      .find(
        (t) =>
          t !== table &&
          t.foreignKeys.some(
            (fk) => sameName(fk.refSchema, table.schema) && sameName(fk.refTable, table.name),
          ),
      );
    if (referencing) {
      throw new SqlError(
        3726,
        `Could not drop object '${table.schema}.${table.name}' because it is referenced by a FOREIGN KEY constraint.`,
      );
    }
    // SQL Server drops neither side of system versioning until SYSTEM_VERSIONING = OFF, which the
    // stand-in does not model: https://learn.microsoft.com/sql/relational-databases/tables/stopping-system-versioning-on-a-system-versioned-temporal-table
    if (table.historyTableId !== undefined || catalog.currentTableOf(table))
      throw notSupported(
        `DROP TABLE of ${table.schema}.${table.name}, a system-versioned table or its history (SET (SYSTEM_VERSIONING = OFF) is not modelled)`,
      );
    await ctx.connection.run(`DROP TABLE ${physicalTableName(table.objectId)}`);
    if (table.changeTracking) await ctx.db.changeTracking.dropLog(table, ctx.connection);
    catalog.removeTable(table);
    undos.push(() => catalog.addTable(table));
  }
  await ctx.db.saveCatalog(ctx.connection);
  return () => undos.reverse().forEach((u) => u());
}

export async function createSchema(name: string, ctx: DdlContext): Promise<Undo> {
  ctx.db.catalog.addSchema(ctx.database, name);
  await ctx.db.saveCatalog(ctx.connection);
  return () => ctx.db.catalog.removeSchema(ctx.database, name);
}

export async function dropSchema(name: string, ifExists: boolean, ctx: DdlContext): Promise<Undo> {
  const { catalog } = ctx.db;
  const schema = catalog.schema(ctx.database, name);
  if (!schema) {
    if (ifExists) return () => undefined;
    throw new SqlError(
      3701,
      `Cannot drop the schema '${name}', because it does not exist or you do not have permission.`,
      { class: 11 },
    );
  }
  if (schema.id <= 4) throw new SqlError(15_150, `Cannot drop the schema '${name}'.`);
  if (catalog.tablesOf(ctx.database).some((t) => sameName(t.schema, name))) {
    throw new SqlError(3729, `Cannot drop schema '${name}' because it is being referenced by object.`);
  }
  catalog.removeSchema(ctx.database, name);
  await ctx.db.saveCatalog(ctx.connection);
  return () => catalog.database(ctx.database)?.schemas.push(schema);
}

export async function createDatabase(name: string, ctx: DdlContext): Promise<Undo> {
  ctx.db.catalog.addDatabase(name);
  await ctx.db.saveCatalog(ctx.connection);
  return () => ctx.db.catalog.dropDatabase(name);
}

/**
 * CREATE TYPE name FROM base [NULL | NOT NULL] and sp_addtype: an alias type of the current database
 * (https://learn.microsoft.com/sql/t-sql/statements/create-type-transact-sql: NULL unless NOT NULL is
 * given; 2714 for a name taken; https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-addtype-transact-sql).
 */
export async function createAliasType(
  s: Extract<StatementBody, { kind: 'createType' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const { catalog } = ctx.db;
  const q = ctx.db.qualify(s.name, ctx.database);
  const database = catalog.requireDatabase(q.database);
  if (!catalog.schema(database.name, q.schema)) {
    throw new SqlError(
      2760,
      `The specified schema name "${q.schema}" either does not exist or you do not have permission to use it.`,
    );
  }
  const types = (database.aliasTypes ??= []);
  if (types.some((t) => sameName(t.schema, q.schema) && sameName(t.name, q.name))) {
    throw new SqlError(
      219,
      `The type '${q.name}' already exists, or you do not have permission to create it.`,
    );
  }
  const type: AliasType = {
    schema: catalog.schema(database.name, q.schema)!.name,
    name: q.name,
    base: s.base,
    nullable: s.nullable ?? true,
  };
  types.push(type);
  catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    database.aliasTypes = database.aliasTypes?.filter((t) => t !== type);
  };
}

/** ALTER DATABASE ... SET RECOVERY: the model sys.databases shows (not inside a transaction: 226). */
export async function setRecoveryModel(
  s: Extract<StatementBody, { kind: 'alterDatabaseRecovery' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const database = ctx.db.catalog.requireDatabase(s.database ?? ctx.database);
  const before = database.recoveryModel;
  database.recoveryModel = s.model;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    database.recoveryModel = before;
  };
}

/** ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION ON | OFF (SQL Server refuses it in a transaction: 226). */
export async function setSnapshotIsolation(name: string, on: boolean, ctx: DdlContext): Promise<Undo> {
  const database = ctx.db.catalog.requireDatabase(name);
  const before = database.allowSnapshotIsolation;
  database.allowSnapshotIsolation = on;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    database.allowSnapshotIsolation = before;
  };
}

/**
 * ALTER DATABASE ... SET CHANGE_TRACKING = ON [(options)] | = OFF | (options), with SQL Server's errors:
 * 5088 already on, 5089 off (to turn off or change), 22115 tables still tracked, 5090 master
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server,
 * https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-5000-to-5999,
 * https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-22000-to-22999).
 */
export async function setDatabaseChangeTracking(
  s: Extract<StatementBody, { kind: 'alterDatabaseChangeTracking' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const database = ctx.db.catalog.requireDatabase(s.database ?? ctx.database);
  if (sameName(database.name, 'master')) {
    throw new SqlError(
      5090,
      `Database '${database.name}' is a system database. Change tracking settings cannot be modified for system databases.`,
    );
  }
  const before = database.changeTracking;
  if (s.on === true && before) {
    throw new SqlError(5088, `Change tracking is already enabled for database '${database.name}'.`);
  }
  if (s.on !== true && !before) {
    throw new SqlError(
      5089,
      `Change tracking is disabled for database '${database.name}'. Change tracking must be enabled on a database to modify change tracking settings.`,
    );
  }
  // 5092 bounds the retention, in bounds the error list does not give: only what is surely valid is taken.
  if (s.retention && s.retention.value < 1) throw notSupported('a CHANGE_RETENTION below 1');
  if (s.on === false) {
    if (ctx.db.catalog.tablesOf(database.name).some((t) => t.changeTracking)) {
      throw new SqlError(
        22115,
        `Change tracking is enabled for one or more tables in database '${database.name}'. Disable change tracking on each table before disabling it for the database. Use the sys.change_tracking_tables catalog view to obtain a list of tables for which change tracking is enabled.`,
      );
    }
    database.changeTracking = undefined;
  } else {
    database.changeTracking = {
      ...(before ?? DEFAULT_DATABASE_CHANGE_TRACKING),
      ...(s.retention && { retention: s.retention.value, units: s.retention.units }),
      ...(s.autoCleanup !== undefined && { autoCleanup: s.autoCleanup }),
    };
  }
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    database.changeTracking = before;
  };
}

/**
 * ALTER TABLE t ENABLE | DISABLE CHANGE_TRACKING, with SQL Server's errors: 1718 database not tracked,
 * 4996 already tracked, 4997 no primary key, 4998 not tracked
 * (https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-1000-to-1999,
 * https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-4000-to-4999).
 * Column tracking (TRACK_COLUMNS_UPDATED = ON) is refused: SYS_CHANGE_COLUMNS is not modelled.
 */
export async function setTableChangeTracking(
  s: Extract<StatementBody, { kind: 'alterTableChangeTracking' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const table = ctx.db.table(s.table, ctx.database);
  if (table.name.startsWith('#')) throw notSupported('change tracking of temporary tables');
  const before = table.changeTracking;
  if (s.enable) {
    if (!ctx.db.catalog.database(table.database)?.changeTracking) {
      throw new SqlError(
        1718,
        `Change tracking must be enabled on database '${table.database}' before it can be enabled on table '${table.name}'.`,
      );
    }
    if (before) throw new SqlError(4996, `Change tracking is already enabled for table '${table.name}'.`);
    if (!table.primaryKey) {
      throw new SqlError(
        4997,
        `Cannot enable change tracking on table '${table.name}'. Change tracking requires a primary key on the table. Create a primary key on the table before enabling change tracking.`,
      );
    }
    if (s.trackColumnsUpdated) throw notSupported('TRACK_COLUMNS_UPDATED = ON (column tracking)');
    await ctx.db.changeTracking.createLog(table, ctx.connection);
    const version = ctx.db.changeTracking.currentVersion(table.database);
    table.changeTracking = { beginVersion: version, cleanupVersion: 0 };
  } else {
    if (!before) throw new SqlError(4998, `Change tracking is not enabled on table '${table.name}'.`);
    await ctx.db.changeTracking.dropLog(table, ctx.connection);
    table.changeTracking = undefined;
  }
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    table.changeTracking = before;
  };
}

export async function dropDatabase(name: string, ifExists: boolean, ctx: DdlContext): Promise<Undo> {
  const { catalog } = ctx.db;
  if (!catalog.database(name)) {
    if (ifExists) return () => undefined;
    throw new SqlError(
      3701,
      `Cannot drop the database '${name}', because it does not exist or you do not have permission.`,
      { class: 11 },
    );
  }
  if (sameName(name, 'master'))
    throw new SqlError(3708, `Cannot drop the database 'master' because it is a system database.`);
  if (sameName(name, ctx.database)) {
    throw new SqlError(3702, `Cannot drop database "${name}" because it is currently in use.`);
  }
  const tables = catalog.tablesOf(name);
  for (const t of tables) {
    await ctx.connection.run(`DROP TABLE ${physicalTableName(t.objectId)}`);
    if (t.changeTracking) await ctx.db.changeTracking.dropLog(t, ctx.connection);
  }
  catalog.dropDatabase(name);
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    catalog.addDatabase(name);
    tables.forEach((t) => catalog.addTable(t));
  };
}

const duckIndexName = (id: number): string => `ix${id}`;

export async function createIndex(
  s: { name: string; table: ObjectName; columns: string[]; unique: boolean; clustered: boolean },
  ctx: DdlContext,
): Promise<Undo> {
  const q = ctx.db.qualify(s.table, ctx.database);
  const table = ctx.db.catalog.table(q.database, q.schema, q.name);
  if (!table) {
    throw new SqlError(
      1088,
      `Cannot find the object "${s.table.text}" because it does not exist or you do not have permissions.`,
    );
  }
  const indexes = (table.indexes ??= []);
  if (indexes.some((ix) => sameName(ix.name, s.name))) {
    throw new SqlError(
      1913,
      `The operation failed because an index or statistics with name '${s.name}' already exists on table '${table.schema}.${table.name}'.`,
    );
  }
  const ordinals = s.columns.map((name) => {
    const ordinal = table.columns.findIndex((c) => sameName(c.name, name));
    if (ordinal < 0)
      throw new SqlError(1911, `Column name '${name}' does not exist in the target table or view.`);
    const column = table.columns[ordinal]!;
    if (isLargeObjectType(column.type) || column.type.length === -1) {
      throw new SqlError(
        1919,
        `Column '${column.name}' in table '${table.name}' is of a type that is invalid for use as a key column in an index.`,
      );
    }
    return ordinal;
  });
  if (s.clustered && table.primaryKey && !table.primaryKey.nonclustered) {
    throw new SqlError(
      1902,
      `Cannot create more than one clustered index on table '${table.schema}.${table.name}'. Drop the existing clustered index '${table.primaryKey.name}' before creating another.`,
    );
  }
  const index = {
    id: ctx.db.catalog.newObjectId(),
    name: s.name,
    columns: ordinals.map((o) => table.columns[o]!.name),
    unique: s.unique,
    clustered: s.clustered,
  };
  if (s.unique) {
    const keys = ordinals.map((o) => keySql(table.columns[o]!.type, '', o).replace(/^\./, '')).join(', ');
    try {
      await ctx.connection.run(
        `CREATE UNIQUE INDEX ${duckIndexName(index.id)} ON ${physicalTableName(table.objectId)} (${keys})`,
      );
    } catch (e) {
      if (!/constraint|duplicate/i.test((e as Error).message)) throw e;
      throw new SqlError(
        1505,
        `The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name '${table.schema}.${table.name}' and the index name '${s.name}'.`,
      );
    }
  }
  indexes.push(index);
  ctx.db.catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    table.indexes = table.indexes?.filter((ix) => ix !== index);
  };
}

export async function dropIndex(
  s: { name: string; table: ObjectName; ifExists: boolean },
  ctx: DdlContext,
): Promise<Undo> {
  const q = ctx.db.qualify(s.table, ctx.database);
  const table = ctx.db.catalog.table(q.database, q.schema, q.name);
  const index = table?.indexes?.find((ix) => sameName(ix.name, s.name));
  if (!table || !index) {
    if (s.ifExists) return () => undefined;
    throw new SqlError(
      3701,
      `Cannot drop the index '${s.table.text}.${s.name}', because it does not exist or you do not have permission.`,
      { class: 11 },
    );
  }
  if (index.unique) await ctx.connection.run(`DROP INDEX ${duckIndexName(index.id)}`);
  table.indexes = table.indexes!.filter((ix) => ix !== index);
  ctx.db.catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => table.indexes!.push(index);
}
