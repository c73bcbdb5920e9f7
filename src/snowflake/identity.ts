/**
 * The identity column's sequence, once the copied values are known: created to continue after the
 * highest of them, made the column's default, and the placeholder the staging table began with dropped
 * (why two sequences: src/sql/snowflake/identity.ts).
 */
import type { SnowflakeName, TableTask } from '../contracts/table';
import { displayTableName } from '../names/sqlserver-names';
import {
  createSequence,
  dropSequence,
  identityEdgeQuery,
  sequenceStart,
  setDefaultSequence,
} from '../sql/snowflake/identity';
import { execute, type Session } from './connection';

/**
 * On `table` (the staging table before it is published, or the followed target at cutover), read after
 * the last row the run writes into it, so no copied value is above the sequence's start.
 */
export async function continueIdentity(
  session: Session,
  table: SnowflakeName,
  task: TableTask,
): Promise<void> {
  const { identity, identitySequence, identityPlaceholder } = task;
  if (!identity || !identitySequence || !identityPlaceholder) return;
  const source = displayTableName(task.source);
  const [row] = await execute<{ V: string | null }>(
    session,
    identityEdgeQuery(table, identity.column, identity.increment),
  );
  const start = sequenceStart(
    row?.V ?? null,
    identity.seed,
    identity.increment,
    `${source}.${identity.column}`,
  );
  await execute(session, createSequence(identitySequence, start, identity.increment, 'identity', source));
  await execute(session, setDefaultSequence(table, identity.column, identitySequence));
  await execute(session, dropSequence(identityPlaceholder));
}
