/** Object names against the session: missing parts come from the current database and schema. */
import { noCurrentDatabase, noCurrentSchema, objectMissing, syntaxError } from '../errors';
import { displayQualified } from '../sql/identifiers';
import type { StageInfo, TableInfo } from './catalog';
import type { Session } from './session';

export interface ObjectName {
  database: string;
  schema: string;
  name: string;
}

/** `action` names the statement in the error Snowflake gives without a current database or schema. */
export function qualify(session: Session, parts: string[], action: string): ObjectName {
  if (parts.length > 3) throw syntaxError(1, 0, parts.join('.'));
  const name = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : session.identity.schema;
  const database = parts.length === 3 ? parts[0]! : session.identity.database;
  if (database === null) throw noCurrentDatabase(action);
  if (schema === null) throw noCurrentSchema(action);
  return { database, schema, name };
}

export function displayObject(o: ObjectName): string {
  return displayQualified([o.database, o.schema, o.name]);
}

export async function requireDatabase(session: Session, database: string): Promise<void> {
  if (!(await session.catalog.hasDatabase(database)))
    throw objectMissing('Database', displayQualified([database]));
}

export async function requireSchema(session: Session, database: string, schema: string): Promise<void> {
  await requireDatabase(session, database);
  if (!(await session.catalog.hasSchema(database, schema)))
    throw objectMissing('Schema', displayQualified([database, schema]));
}

/** An object of the catalog that must exist, in a schema that must exist. */
async function requireObject<T>(
  session: Session,
  parts: string[],
  action: string,
  kind: string,
  find: (o: ObjectName) => Promise<T | undefined>,
): Promise<T> {
  const o = qualify(session, parts, action);
  await requireSchema(session, o.database, o.schema);
  const found = await find(o);
  if (found === undefined) throw objectMissing(kind, displayObject(o));
  return found;
}

export function requireTable(session: Session, parts: string[], action: string): Promise<TableInfo> {
  return requireObject(session, parts, action, 'Table', (o) =>
    session.catalog.findTable(o.database, o.schema, o.name),
  );
}

export function requireStage(session: Session, parts: string[], action: string): Promise<StageInfo> {
  return requireObject(session, parts, action, 'Stage', (o) =>
    session.catalog.findStage(o.database, o.schema, o.name),
  );
}
