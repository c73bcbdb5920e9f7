/**
 * Source reads that belong together (a batch's read and its re-reads for pinpointing; validation's
 * aggregates and its re-read of every row) under the run's `sourceReadIsolation`. Under `snapshot` they
 * share one transaction that only reads, begun at SNAPSHOT isolation: every statement in it sees the
 * database as it was when the transaction first read data, whatever is written meanwhile, and takes no
 * shared locks. SQL Server refuses it (3952) unless the database has ALLOW_SNAPSHOT_ISOLATION ON.
 */
import sql from 'mssql';
import type { SourceReadIsolation } from '../config/schema';
import type { SourcePool } from './pool';

/** What runs a request: the pool (each request on any connection) or one transaction's connection. */
export interface SourceReader {
  request(): sql.Request;
}

export async function withSourceReads<T>(
  pool: SourcePool,
  isolation: SourceReadIsolation,
  read: (reader: SourceReader) => Promise<T>,
): Promise<T> {
  if (isolation === 'readCommitted') return read(pool);
  const transaction = new sql.Transaction(pool);
  await transaction.begin(sql.ISOLATION_LEVEL.SNAPSHOT);
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
