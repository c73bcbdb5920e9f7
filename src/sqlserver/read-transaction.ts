/**
 * Source reads that belong together (a batch's read and its re-reads for pinpointing; validation's
 * aggregates and its re-read of every row) run in one transaction that only reads, begun at the run's
 * `sourceReadIsolation`.
 *
 * The level is set explicitly every time, READ COMMITTED included: mssql pools connections and resets
 * nothing when it lends one again, and a level set on a session stays until it is set again
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/set-transaction-isolation-level-transact-sql:
 * "Only one of the isolation level options can be set at a time, and it remains set for that connection
 * until it is explicitly changed"). Without this, a batch run after a snapshot batch on the same
 * connection would read at SNAPSHOT. tedious sends the level with the transaction manager's begin request
 * (MS-TDS 2.2.6.9), which sets it for the session.
 *
 * Under `snapshot` every statement in the transaction sees the database as it was when the transaction
 * first read data, whatever is written meanwhile, and takes no shared locks; SQL Server refuses it (3952)
 * unless the database has ALLOW_SNAPSHOT_ISOLATION ON. Under `readCommitted` each statement sees what was
 * committed when it ran, and shared locks are released as rows are read, so the transaction holds none.
 */
import sql from 'mssql';
import type { SourceReadIsolation } from '../config/schema';
import type { SourcePool } from './pool';

/** What runs a request: the pool (each request on any connection) or one transaction's connection. */
export interface SourceReader {
  request(): sql.Request;
}

const LEVELS: Record<SourceReadIsolation, number> = {
  readCommitted: sql.ISOLATION_LEVEL.READ_COMMITTED,
  snapshot: sql.ISOLATION_LEVEL.SNAPSHOT,
};

export async function withSourceReads<T>(
  pool: SourcePool,
  isolation: SourceReadIsolation,
  read: (reader: SourceReader) => Promise<T>,
): Promise<T> {
  const transaction = new sql.Transaction(pool);
  await transaction.begin(LEVELS[isolation]);
  let result: T;
  try {
    result = await read(transaction);
  } catch (err) {
    // Nothing was written: the rollback only ends the transaction (and may fail if SQL Server ended it).
    await transaction.rollback().catch(() => undefined);
    throw err;
  }
  await transaction.commit();
  return result;
}
