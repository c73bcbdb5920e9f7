/**
 * The Snowflake SQL that creates, loads, publishes and drops: every identifier is quoted by
 * `quoteIdentifier`; the queries that compare content are in content-queries.ts. Pure: no driver, no I/O.
 */
import { quoteIdentifier } from '../../names/snowflake-names';
import type { SnowflakeName } from '../../contracts/table';

export function qualifiedName(name: SnowflakeName): string {
  return [name.database, name.schema, name.name].map(quoteIdentifier).join('.');
}

export function qualifiedSchema(database: string, schema: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
}

export function stageLocation(database: string, schema: string, stage: string, path: string): string {
  return `@${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}/${path}/`;
}

export function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface TargetColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** A DEFAULT expression carried from the source (src/mapping/column-defaults.ts). */
  default?: string;
  /** The source column's description (src/mapping/descriptions.ts). */
  comment?: string;
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
  /**
   * Column lists of the UNIQUE constraints declared out of line, unnamed (Snowflake names them): like the
   * primary key, declared but not enforced (https://docs.snowflake.com/en/sql-reference/constraints;
   * syntax: https://docs.snowflake.com/en/sql-reference/sql/create-table-constraint).
   */
  uniqueKeys?: string[][];
  /** The source table's description, as the table's COMMENT. */
  comment?: string;
}

/** MIGRATED_AT: TIMESTAMP_TZ keeps the load instant with an explicit +00:00, whatever the session zone. */
export const MIGRATED_AT_TYPE = 'TIMESTAMP_TZ(3)';

/**
 * The staging table carries the batch and attempt columns and is created idempotently; the published
 * shape (for dry runs and reports) is the same table without them.
 */
export function createTable(def: TableDefinition, kind: 'staging' | 'published'): string {
  const lines = [
    // COMMENT, DEFAULT, NOT NULL: the order https://docs.snowflake.com/en/sql-reference/sql/create-table shows.
    ...def.columns.map((c) =>
      [
        `${quoteIdentifier(c.name)} ${c.type}`,
        ...(c.comment === undefined ? [] : [`COMMENT ${literal(c.comment)}`]),
        ...(c.default === undefined ? [] : [`DEFAULT ${c.default}`]),
        ...(c.nullable ? [] : ['NOT NULL']),
      ].join(' '),
    ),
    `${quoteIdentifier(def.isMigratedColumn)} BOOLEAN NOT NULL DEFAULT TRUE`,
    `${quoteIdentifier(def.migratedAtColumn)} ${MIGRATED_AT_TYPE} NOT NULL`,
  ];
  if (kind === 'staging') {
    lines.push(`${quoteIdentifier(BATCH_COLUMN)} NUMBER(18,0) NOT NULL`);
    lines.push(`${quoteIdentifier(ATTEMPT_COLUMN)} NUMBER(9,0) NOT NULL`);
  }
  if (def.primaryKey.length) lines.push(`PRIMARY KEY (${def.primaryKey.map(quoteIdentifier).join(', ')})`);
  for (const key of def.uniqueKeys ?? []) lines.push(`UNIQUE (${key.map(quoteIdentifier).join(', ')})`);
  const create = kind === 'staging' ? 'CREATE TABLE IF NOT EXISTS' : 'CREATE TABLE';
  const comment = def.comment === undefined ? '' : ` COMMENT = ${literal(def.comment)}`;
  return `${create} ${qualifiedName(def.table)} (\n  ${lines.join(',\n  ')}\n)${comment}`;
}

/**
 * The COMMENT a run writes on the database, schema and stage it creates. Undo drops a container only when
 * it still carries this run's comment (so nothing that a person or another run created), checked when it
 * is undone: CREATE ... IF NOT EXISTS leaves an existing object's comment as it was, and SHOW DATABASES,
 * SHOW SCHEMAS and SHOW STAGES return it in their `comment` column.
 * https://docs.snowflake.com/en/sql-reference/sql/create-database (COMMENT = '<string_literal>')
 * https://docs.snowflake.com/en/sql-reference/sql/show-databases (output column `comment`)
 */
export const createdByRunComment = (runTag: string) =>
  `created by sqlserver-snowflake-migrator run ${runTag}`;

const commentClause = (runTag: string | undefined) =>
  runTag === undefined ? '' : ` COMMENT = ${literal(createdByRunComment(runTag))}`;

export const createDatabase = (database: string, runTag?: string) =>
  `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}${commentClause(runTag)}`;
export const createSchema = (database: string, schema: string, runTag?: string) =>
  `CREATE SCHEMA IF NOT EXISTS ${qualifiedSchema(database, schema)}${commentClause(runTag)}`;
export const createStage = (database: string, schema: string, stage: string, runTag?: string) =>
  `CREATE STAGE IF NOT EXISTS ${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}${commentClause(runTag)}`;

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

/**
 * The columns a load fills, in the order of the file's fields (or the binds), and those whose text is
 * JSON to parse into a VARIANT (sql_variant, src/mapping/variant.ts). Without JSON columns a load
 * fills the table's columns by position.
 */
export interface LoadColumns {
  names: string[];
  json: ReadonlySet<string>;
}

const parsed = (load: LoadColumns, field: (position: number) => string) =>
  load.names.map((name, i) => (load.json.has(name) ? `PARSE_JSON(${field(i + 1)})` : field(i + 1)));

/**
 * A text loaded as it is into a VARIANT column would be a VARIANT string, so JSON columns go through
 * PARSE_JSON (https://docs.snowflake.com/en/sql-reference/functions/parse_json) in COPY's transformation,
 * `FROM (SELECT $1, PARSE_JSON($2) ... FROM @stage)`, whose `$n` is the file's n-th field
 * (https://docs.snowflake.com/en/user-guide/data-load-transform).
 */
export function copyInto(
  table: SnowflakeName,
  location: string,
  fileName: string,
  load?: LoadColumns,
): string {
  const from =
    load && load.json.size
      ? ` (${load.names.map(quoteIdentifier).join(', ')}) FROM (SELECT ${parsed(load, (n) => `$${n}`).join(', ')} FROM ${location})`
      : ` FROM ${location}`;
  return (
    `COPY INTO ${qualifiedName(table)}${from} FILES = (${literal(fileName)}) ` +
    `FILE_FORMAT = (${CSV_FILE_FORMAT}) ON_ERROR = ABORT_STATEMENT PURGE = TRUE`
  );
}

/**
 * Multi-row INSERT of bound values. PARSE_JSON cannot stand in an INSERT's VALUES ("cannot be used
 * directly in an INSERT statement. Instead, use INSERT INTO ... SELECT":
 * https://docs.snowflake.com/en/sql-reference/functions/to_variant), so with JSON columns the bound rows
 * are a VALUES table, whose columns are COLUMN1, COLUMN2, ...
 * (https://docs.snowflake.com/en/sql-reference/constructs/values), selected through PARSE_JSON.
 */
export function insertRows(
  table: SnowflakeName,
  columns: string[],
  json: ReadonlySet<string> = new Set(),
): string {
  const into = `INSERT INTO ${qualifiedName(table)} (${columns.map(quoteIdentifier).join(', ')}) `;
  const binds = `VALUES (${columns.map(() => '?').join(', ')})`;
  if (!json.size) return into + binds;
  return `${into}SELECT ${parsed({ names: columns, json }, (n) => `COLUMN${n}`).join(', ')} FROM ${binds}`;
}

export const removeStagedFiles = (location: string) => `REMOVE ${location}`;
/** LIKE matches case-insensitively and treats _ as a wildcard: callers compare the names exactly. */
export const showDatabasesLike = (database: string) => `SHOW DATABASES LIKE ${literal(database)}`;
export const showSchemasLike = (database: string, schema: string) =>
  `SHOW SCHEMAS LIKE ${literal(schema)} IN DATABASE ${quoteIdentifier(database)}`;
export const showSchemasIn = (database: string) => `SHOW SCHEMAS IN DATABASE ${quoteIdentifier(database)}`;
export const showStagesLike = (database: string, schema: string, stage: string) =>
  `SHOW STAGES LIKE ${literal(stage)} IN SCHEMA ${qualifiedSchema(database, schema)}`;
export const showStagesIn = (database: string, schema: string) =>
  `SHOW STAGES IN SCHEMA ${qualifiedSchema(database, schema)}`;
/** Tables and views of a schema (INFORMATION_SCHEMA.TABLES lists both). */
export const SCHEMA_TABLES_QUERY = (database: string) =>
  `SELECT TABLE_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?`;
/**
 * Sequences of a schema (https://docs.snowflake.com/en/sql-reference/info-schema/sequences): dropping a
 * schema drops them, so one the run did not create keeps the schema.
 */
export const SCHEMA_SEQUENCES_QUERY = (database: string) =>
  `SELECT SEQUENCE_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = ?`;
export const listStage = (database: string, schema: string, stage: string) =>
  `LIST @${qualifiedSchema(database, schema)}.${quoteIdentifier(stage)}`;
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

/**
 * The two tables exchange names in one statement: "Swaps all content and metadata between two specified
 * tables ... The two tables are essentially renamed in a single transaction"
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table, SWAP WITH).
 */
export const swapTables = (a: SnowflakeName, b: SnowflakeName) =>
  `ALTER TABLE ${qualifiedName(a)} SWAP WITH ${qualifiedName(b)}`;

/**
 * Of two tables of one schema, the one created last: INFORMATION_SCHEMA.TABLES.CREATED is the
 * table's creation time (https://docs.snowflake.com/en/sql-reference/info-schema/tables). Binds:
 * schema, then both names.
 */
export const YOUNGER_TABLE_QUERY = (database: string) =>
  `SELECT TABLE_NAME FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.TABLES ` +
  'WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?, ?) ORDER BY CREATED DESC LIMIT 1';

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

/** In a round's changes table (mode follow): whether the row's key was deleted on the source. */
export const DELETED_COLUMN = '_MIGRATION_DELETED';

/**
 * A following round's changes: the target's columns, all nullable (a deleted key has only its key
 * values), and whether the key was deleted. Replaced by every attempt, so a retry starts empty.
 */
export function createChangesTable(def: Omit<TableDefinition, 'primaryKey'>): string {
  const lines = [
    ...def.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`),
    `${quoteIdentifier(def.isMigratedColumn)} BOOLEAN`,
    `${quoteIdentifier(def.migratedAtColumn)} ${MIGRATED_AT_TYPE}`,
    `${quoteIdentifier(DELETED_COLUMN)} BOOLEAN NOT NULL`,
  ];
  return `CREATE OR REPLACE TABLE ${qualifiedName(def.table)} (\n  ${lines.join(',\n  ')}\n)`;
}

/** The current values of a round's changed rows that still exist on the source, into the target. */
export function insertChangedRows(target: SnowflakeName, changes: SnowflakeName, columns: string[]): string {
  const list = columns.map(quoteIdentifier).join(', ');
  return (
    `INSERT INTO ${qualifiedName(target)} (${list}) SELECT ${list} FROM ${qualifiedName(changes)} ` +
    `WHERE NOT ${quoteIdentifier(DELETED_COLUMN)}`
  );
}
