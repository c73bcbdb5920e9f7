/**
 * The DuckDB side: one instance (in memory or a file), the stand-in's own schemas, and the mapping of
 * DuckDB's error messages to Snowflake errors.
 *
 * Layout inside DuckDB: `sf_meta` holds the Snowflake catalog (databases, schemas, tables with their
 * declared column types, stages, load history); `sf_data` holds one table per Snowflake table, named
 * by id (`t_12`), so RENAME and SWAP only touch the catalog.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import {
  canceled,
  conversion,
  internal,
  invalidIdentifier,
  nullInNotNull,
  SnowflakeError,
  syntaxError,
  unsupported,
} from '../errors';
import { decodeUdfError, registerFunctions } from './udf';

const CATALOG_DDL = [
  'CREATE SCHEMA IF NOT EXISTS sf_meta',
  'CREATE SCHEMA IF NOT EXISTS sf_data',
  'CREATE SEQUENCE IF NOT EXISTS sf_meta.ids START 1',
  'CREATE TABLE IF NOT EXISTS sf_meta.databases (name VARCHAR, created_on BIGINT, comment VARCHAR)',
  'CREATE TABLE IF NOT EXISTS sf_meta.schemas (database VARCHAR, name VARCHAR, created_on BIGINT, comment VARCHAR)',
  `CREATE TABLE IF NOT EXISTS sf_meta.tables (id BIGINT, database VARCHAR, schema VARCHAR, name VARCHAR,
     kind VARCHAR, session_id BIGINT, created_on BIGINT, primary_key VARCHAR, comment VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS sf_meta.columns (table_id BIGINT, ordinal INTEGER, name VARCHAR, type VARCHAR,
     nullable BOOLEAN, default_sql VARCHAR, comment VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS sf_meta.stages (id BIGINT, database VARCHAR, schema VARCHAR, name VARCHAR,
     session_id BIGINT, created_on BIGINT, comment VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS sf_meta.load_history (table_id BIGINT, file VARCHAR, checksum VARCHAR,
     rows_loaded BIGINT, loaded_on BIGINT)`,
  // A stage's FILE_FORMAT (its options as JSON); added after the first catalogs were written.
  'ALTER TABLE sf_meta.stages ADD COLUMN IF NOT EXISTS file_format VARCHAR',
  // A table's UNIQUE constraints (JSON: column lists), declared only, as Snowflake keeps them.
  'ALTER TABLE sf_meta.tables ADD COLUMN IF NOT EXISTS unique_keys VARCHAR',
  // FOREIGN KEY constraints, declared only (JSON column lists); tables by id, so renames keep them.
  `CREATE TABLE IF NOT EXISTS sf_meta.foreign_keys (table_id BIGINT, name VARCHAR, columns VARCHAR,
     ref_table_id BIGINT, ref_columns VARCHAR, created_on BIGINT)`,
  `CREATE TABLE IF NOT EXISTS sf_meta.file_formats (database VARCHAR, schema VARCHAR, name VARCHAR,
     options VARCHAR, created_on BIGINT)`,
  // Sequences: 64-bit values kept as decimal text (engine/sequences.ts).
  `CREATE TABLE IF NOT EXISTS sf_meta.sequences (database VARCHAR, schema VARCHAR, name VARCHAR,
     start_value VARCHAR, next_value VARCHAR, increment VARCHAR, created_on BIGINT, comment VARCHAR)`,
];

export class Database {
  private constructor(readonly instance: DuckDBInstance) {}

  static async open(path: string | undefined): Promise<Database> {
    const instance = await DuckDBInstance.create(path ?? ':memory:');
    const db = new Database(instance);
    const connection = await instance.connect();
    try {
      for (const statement of CATALOG_DDL) await connection.run(statement);
      // Temporary objects belong to sessions that no longer exist after a restart.
      await connection.run('DELETE FROM sf_meta.stages WHERE session_id IS NOT NULL');
      for (const row of await rows(
        connection,
        'SELECT id FROM sf_meta.tables WHERE session_id IS NOT NULL',
      )) {
        await connection.run(`DROP TABLE IF EXISTS sf_data.t_${Number(row.id)}`);
      }
      await connection.run('DELETE FROM sf_meta.tables WHERE session_id IS NOT NULL');
      registerFunctions(connection);
    } finally {
      connection.closeSync();
    }
    return db;
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.instance.closeSync();
  }
}

/** Rows as plain objects (bigints stay bigints). */
export async function rows(
  connection: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A DuckDB error as the Snowflake error a client should see. */
export function snowflakeErrorOf(err: unknown): SnowflakeError {
  if (err instanceof SnowflakeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const udf = decodeUdfError(message);
  if (udf) return udf;
  let m: RegExpExecArray | null;
  if (
    (m =
      /Referenced column "([^"]+)" not found|Column "([^"]+)" referenced that exists in the SELECT clause/.exec(
        message,
      ))
  ) {
    return invalidIdentifier(m[1] ?? m[2]!);
  }
  if (/NOT NULL constraint failed/.test(message)) return nullInNotNull();
  if ((m = /CHECK constraint failed.*(?:length|strlen|octet_length)\("((?:[^"]|"")+)"\)/.exec(message))) {
    return conversion.tooLong(`value of column ${m[1]!.replace(/""/g, '"')}`);
  }
  if ((m = /Casting value "([^"]*)" to type DECIMAL.*out of range/.exec(message)))
    return conversion.numberRange(m[1]!);
  if ((m = /Could not convert string '([^']*)' to (INT|DECIMAL|DOUBLE)/.exec(message)))
    return conversion.number(m[1]!);
  if (/Overflow in (HUGEINT|BIGINT|INT|DECIMAL)|out of range for the destination type/i.test(message)) {
    return conversion.overflow(message.split('\n')[0]!);
  }
  if (/sf_(ntz|ltz|tz|time)_[0-9]|sf_variant|sf_object|sf_array/.test(message)) {
    return unsupported(
      'this expression on a TIME, TIMESTAMP or VARIANT column (only comparisons with columns of the same type, MIN, MAX, COUNT, ORDER BY, casts and TO_VARCHAR are implemented)',
    );
  }
  if (/Parser Error/.test(message))
    return syntaxError(1, 0, message.split('\n')[0]!.replace(/^.*Parser Error: /, ''));
  if (/INTERRUPT Error/.test(message)) return canceled();
  if (/TransactionContext Error: .*[Cc]onflict/.test(message)) {
    return new SnowflakeError(
      '000625',
      '57014',
      `Statement aborted by a conflicting concurrent transaction (${message.split('\n')[0]})`,
    );
  }
  return internal(message.split('\n')[0]!);
}
