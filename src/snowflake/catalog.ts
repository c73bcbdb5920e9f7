/** What the target account already has: tables and their columns, the run's database, schema and stage. */
import type { TargetLocation } from '../contracts/run';
import type { SnowflakeName, TargetContainer } from '../contracts/table';
import { execute, type Session } from './connection';
import { isMissingObject } from './errors';
import {
  SCHEMA_EXISTS_QUERY,
  showDatabasesLike,
  showStagesLike,
  TABLE_COLUMNS_QUERY,
  TABLE_EXISTS_QUERY,
} from './sql';

export function tableExists(session: Session, table: SnowflakeName): Promise<boolean> {
  return anyRow(session, TABLE_EXISTS_QUERY(table.database), [table.schema, table.name]);
}

export function schemaExists(session: Session, database: string, schema: string): Promise<boolean> {
  return anyRow(session, SCHEMA_EXISTS_QUERY(database), [schema]);
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
