/**
 * Every piece of Snowflake SQL the migrator sends is built here, and every identifier is quoted by
 * `quoteIdentifier`. Pure: no driver, no I/O.
 */
import type { SnowflakeName } from '../contracts/table';
import type { AggregateSpec } from '../validation/aggregates';

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedName(name: SnowflakeName): string {
  return [name.database, name.schema, name.name].map(quoteIdentifier).join('.');
}

/** A name as a person would type it: quotes only where Snowflake needs them. */
export function displaySnowflakeName(name: SnowflakeName): string {
  const part = (p: string) => (/^[A-Z_][A-Z0-9_$]*$/.test(p) ? p : quoteIdentifier(p));
  return [name.database, name.schema, name.name].map(part).join('.');
}

export function qualifiedSchema(database: string, schema: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
}

/**
 * The Snowflake name for a SQL Server name: a name Snowflake accepts unquoted is upper-cased (so
 * `SELECT * FROM customers` finds CUSTOMERS); any other (spaces, unicode, symbols) is kept exactly and
 * is always quoted.
 */
export function snowflakeNameFor(sourceName: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(sourceName) ? sourceName.toUpperCase() : sourceName;
}

export function stageLocation(database: string, schema: string, stage: string, path: string): string {
  return `@${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}/${path}/`;
}

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface TargetColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** The hidden column that lets a retried batch delete what an earlier attempt of it loaded. */
export const BATCH_COLUMN = '_MIGRATION_BATCH';
/**
 * The attempt that loaded a staging row. An attempt that timed out may still finish its load after
 * the next attempt cleared the batch; its rows are the ones with a lower attempt than the last.
 */
export const ATTEMPT_COLUMN = '_MIGRATION_ATTEMPT';

export interface TableDefinition {
  table: SnowflakeName;
  columns: TargetColumn[];
  isMigratedColumn: string;
  migratedAtColumn: string;
  primaryKey: string[];
}

/** MIGRATED_AT: TIMESTAMP_TZ keeps the load instant with an explicit +00:00, whatever the session zone. */
export const MIGRATED_AT_TYPE = 'TIMESTAMP_TZ(3)';

/**
 * The staging table carries the batch and attempt columns and is created idempotently; the published
 * shape (for dry runs and reports) is the same table without them.
 */
export function createTable(def: TableDefinition, kind: 'staging' | 'published'): string {
  const lines = [
    ...def.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`),
    `${quoteIdentifier(def.isMigratedColumn)} BOOLEAN NOT NULL DEFAULT TRUE`,
    `${quoteIdentifier(def.migratedAtColumn)} ${MIGRATED_AT_TYPE} NOT NULL`,
  ];
  if (kind === 'staging') {
    lines.push(`${quoteIdentifier(BATCH_COLUMN)} NUMBER(18,0) NOT NULL`);
    lines.push(`${quoteIdentifier(ATTEMPT_COLUMN)} NUMBER(9,0) NOT NULL`);
  }
  if (def.primaryKey.length) lines.push(`PRIMARY KEY (${def.primaryKey.map(quoteIdentifier).join(', ')})`);
  const create = kind === 'staging' ? 'CREATE TABLE IF NOT EXISTS' : 'CREATE TABLE';
  return `${create} ${qualifiedName(def.table)} (\n  ${lines.join(',\n  ')}\n)`;
}

export const createDatabase = (database: string) =>
  `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}`;
export const createSchema = (database: string, schema: string) =>
  `CREATE SCHEMA IF NOT EXISTS ${qualifiedSchema(database, schema)}`;
export const createStage = (database: string, schema: string, stage: string) =>
  `CREATE STAGE IF NOT EXISTS ${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}`;

export const TABLE_EXISTS_QUERY = (database: string) =>
  `SELECT TABLE_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`;

export const SCHEMA_EXISTS_QUERY = (database: string) =>
  `SELECT SCHEMA_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?`;

export const TABLE_COLUMNS_QUERY = (database: string) =>
  `SELECT COLUMN_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.COLUMNS ` +
  'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION';

export const SERVER_INFO_QUERY =
  'SELECT CURRENT_VERSION() AS VERSION, CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS USER_NAME, ' +
  'CURRENT_ROLE() AS ROLE_NAME, CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH';

export const deleteBatch = (table: SnowflakeName) =>
  `DELETE FROM ${qualifiedName(table)} WHERE ${quoteIdentifier(BATCH_COLUMN)} = ?`;

/** Deletes the rows of every batch that an attempt older than the batch's last one loaded late. */
export function deleteLateAttempts(table: SnowflakeName): string {
  const [batch, attempt] = [quoteIdentifier(BATCH_COLUMN), quoteIdentifier(ATTEMPT_COLUMN)];
  return (
    `DELETE FROM ${qualifiedName(table)} AS s USING (SELECT ${batch} AS B, MAX(${attempt}) AS LAST ` +
    `FROM ${qualifiedName(table)} GROUP BY ${batch}) AS w WHERE s.${batch} = w.B AND s.${attempt} < w.LAST`
  );
}

export function putFile(localPath: string, location: string): string {
  return `PUT ${literal(`file://${localPath}`)} ${location} AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`;
}

/**
 * CSV as the batch writer produces it: strings always quoted (so "" is an empty string and an empty
 * unquoted field is NULL), no NULL_IF markers (a value "\N" stays text), binary as hex.
 */
export const CSV_FILE_FORMAT =
  "TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '\"' " +
  "EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE BINARY_FORMAT = HEX ENCODING = 'UTF8'";

export function copyInto(table: SnowflakeName, location: string, fileName: string): string {
  return (
    `COPY INTO ${qualifiedName(table)} FROM ${location} FILES = (${literal(fileName)}) ` +
    `FILE_FORMAT = (${CSV_FILE_FORMAT}) ON_ERROR = ABORT_STATEMENT PURGE = TRUE`
  );
}

export function insertRows(table: SnowflakeName, columns: string[]): string {
  return (
    `INSERT INTO ${qualifiedName(table)} (${columns.map(quoteIdentifier).join(', ')}) ` +
    `VALUES (${columns.map(() => '?').join(', ')})`
  );
}

export const removeStagedFiles = (location: string) => `REMOVE ${location}`;
/** LIKE matches case-insensitively and treats _ as a wildcard: callers compare the names exactly. */
export const showDatabasesLike = (database: string) => `SHOW DATABASES LIKE ${literal(database)}`;
export const showStagesLike = (database: string, schema: string, stage: string) =>
  `SHOW STAGES LIKE ${literal(stage)} IN SCHEMA ${qualifiedSchema(database, schema)}`;
export const dropContainer = (
  object: 'database' | 'schema' | 'stage',
  { database, schema, stage }: { database: string; schema: string; stage: string },
) =>
  object === 'database'
    ? `DROP DATABASE IF EXISTS ${quoteIdentifier(database)}`
    : object === 'schema'
      ? `DROP SCHEMA IF EXISTS ${qualifiedSchema(database, schema)}`
      : `DROP STAGE IF EXISTS ${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}`;
export const dropTable = (table: SnowflakeName) => `DROP TABLE IF EXISTS ${qualifiedName(table)}`;
export const dropStagingColumns = (table: SnowflakeName) =>
  `ALTER TABLE ${qualifiedName(table)} DROP COLUMN IF EXISTS ` +
  `${quoteIdentifier(BATCH_COLUMN)}, ${quoteIdentifier(ATTEMPT_COLUMN)}`;

/** RENAME TO keeps the database and schema only when the new name is fully qualified. */
export const renameTable = (from: SnowflakeName, to: SnowflakeName) =>
  `ALTER TABLE ${qualifiedName(from)} RENAME TO ${qualifiedName(to)}`;

export function appendRows(target: SnowflakeName, source: SnowflakeName, columns: string[]): string {
  const list = columns.map(quoteIdentifier).join(', ');
  return `INSERT INTO ${qualifiedName(target)} (${list}) SELECT ${list} FROM ${qualifiedName(source)}`;
}

function keyMatch(keys: string[]): string {
  return keys.map((k) => `t.${quoteIdentifier(k)} = s.${quoteIdentifier(k)}`).join(' AND ');
}

export const countRows = (table: SnowflakeName) => `SELECT COUNT(*) AS N FROM ${qualifiedName(table)}`;

export function countKeyOverlap(target: SnowflakeName, source: SnowflakeName, keys: string[]): string {
  return (
    `SELECT COUNT(*) AS N FROM ${qualifiedName(target)} AS t ` +
    `JOIN ${qualifiedName(source)} AS s ON ${keyMatch(keys)}`
  );
}

export function deleteRowsWithKeysOf(target: SnowflakeName, source: SnowflakeName, keys: string[]): string {
  const list = keys.map(quoteIdentifier).join(', ');
  return `DELETE FROM ${qualifiedName(target)} WHERE (${list}) IN (SELECT ${list} FROM ${qualifiedName(source)})`;
}

/** The target side of validation, on the loaded rows; aliases match aggregatesQuery on SQL Server. */
export function aggregatesQuery(
  table: SnowflakeName,
  specs: AggregateSpec[],
  metadata: { isMigrated: string; migratedAt: string },
): string {
  const measures = specs.map(
    (spec) =>
      `${spec.measure === 'count' ? 'COUNT' : 'SUM'}(${quoteIdentifier(spec.targetColumn)}) AS ${quoteIdentifier(spec.alias)}`,
  );
  const select = [
    'COUNT(*) AS "rows"',
    ...measures,
    `COUNT_IF(NOT ${quoteIdentifier(metadata.isMigrated)}) AS "notMigrated"`,
    `COUNT(${quoteIdentifier(metadata.migratedAt)}) AS "withMigratedAt"`,
  ].join(', ');
  return `SELECT ${select} FROM ${qualifiedName(table)}`;
}
