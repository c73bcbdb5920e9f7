/** What the target account already has: tables and their columns, the run's database, schema and stage. */
import type { TargetLocation } from '../contracts/run-input';
import type { SnowflakeName, TargetContainer } from '../contracts/table';
import { execute, type Session } from './connection';
import { isMissingObject } from './errors';
import {
  SCHEMA_EXISTS_QUERY,
  showDatabasesLike,
  showStagesLike,
  TABLE_COLUMNS_QUERY,
  TABLE_EXISTS_QUERY,
  YOUNGER_TABLE_QUERY,
} from '../sql/snowflake/statements';

export function tableExists(session: Session, table: SnowflakeName): Promise<boolean> {
  return anyRow(session, TABLE_EXISTS_QUERY(table.database), [table.schema, table.name]);
}

/** Whether `a` was created after `b` (two tables of one schema that both exist). */
export async function createdAfter(session: Session, a: SnowflakeName, b: SnowflakeName): Promise<boolean> {
  const [row] = await execute<{ TABLE_NAME: string }>(session, YOUNGER_TABLE_QUERY(a.database), [
    a.schema,
    a.name,
    b.name,
  ]);
  return row?.TABLE_NAME === a.name;
}

export function schemaExists(session: Session, database: string, schema: string): Promise<boolean> {
  return anyRow(session, SCHEMA_EXISTS_QUERY(database), [schema]);
}

/**
 * A query that needs a running warehouse: it reads rows (of a table function) and computes values
 * that cannot be known ahead, where queries of constants and context functions such as
 * CURRENT_VERSION() need none (https://docs.snowflake.com/en/user-guide/warehouses-overview). It also
 * names the warehouse that ran it.
 */
export const WAREHOUSE_CHECK_QUERY =
  'SELECT CURRENT_WAREHOUSE() AS WAREHOUSE, MAX(RANDOM()) AS N FROM TABLE(GENERATOR(ROWCOUNT => 10))';

/** The warehouse that ran a statement needing one; null when the session has none. Throws 000606 and the like. */
export async function runningWarehouse(session: Session): Promise<string | null> {
  const [row] = await execute<{ WAREHOUSE: string | null }>(session, WAREHOUSE_CHECK_QUERY);
  return row?.WAREHOUSE ?? null;
}

async function anyRow(session: Session, query: string, binds: string[]): Promise<boolean> {
  try {
    return (await execute(session, query, binds)).length > 0;
  } catch (err) {
    if (isMissingObject(err)) return false; // the database itself does not exist yet
    throw err;
  }
}

export async function tableColumns(session: Session, table: SnowflakeName): Promise<string[]> {
  const rows = await execute<{ COLUMN_NAME: string }>(session, TABLE_COLUMNS_QUERY(table.database), [
    table.schema,
    table.name,
  ]);
  return rows.map((r) => r.COLUMN_NAME);
}

/** The outermost of the run's database, schema and stage that does not exist (what prepareTable creates). */
export async function missingContainer(
  session: Session,
  { database, schema, stage }: TargetLocation,
): Promise<TargetContainer | undefined> {
  const named = (rows: Record<string, unknown>[], name: string) => rows.some((r) => r.name === name);
  if (!named(await execute(session, showDatabasesLike(database)), database)) return 'database';
  if (!(await schemaExists(session, database, schema))) return 'schema';
  if (!named(await execute(session, showStagesLike(database, schema, stage)), stage)) return 'stage';
  return undefined;
}
