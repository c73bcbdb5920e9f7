/**
 * Reads of SQL Server's Change Tracking state and versions (the T-SQL is in
 * src/sql/sqlserver/change-tracking.ts).
 */
import type { SourceTableRef } from '../contracts/table';
import {
  CURRENT_VERSION_QUERY,
  DATABASE_CHANGE_TRACKING_QUERY,
  minValidVersionQuery,
  tableChangeTrackingQuery,
} from '../sql/sqlserver/change-tracking';
import { queryRows } from './query';
import type { SourceReader } from './read-transaction';

const run = (reader: SourceReader, text: string) =>
  queryRows<Record<string, unknown>>(reader, { text, params: {} });

/** A bigint as decimal text (the driver returns bigint as a string); null stays null. */
const versionText = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export interface ChangeTrackingState {
  databaseTracked: boolean;
  tableTracked: boolean;
  /** The connected login's database user, for the GRANT a DBA runs. */
  user: string;
}

export async function readChangeTrackingState(
  reader: SourceReader,
  table: SourceTableRef,
): Promise<ChangeTrackingState> {
  // One after the other: a reader may be a transaction, which runs one request at a time.
  const database = await run(reader, DATABASE_CHANGE_TRACKING_QUERY);
  const tracked = await run(reader, tableChangeTrackingQuery(table));
  const [user] = await run(reader, 'SELECT USER_NAME() AS user_name');
  return {
    databaseTracked: database.length > 0,
    tableTracked: tracked.length > 0,
    user: String(user?.user_name ?? 'migrator'),
  };
}

/** CHANGE_TRACKING_CURRENT_VERSION(): null when change tracking is off for the database. */
export async function readCurrentVersion(reader: SourceReader): Promise<string | null> {
  const [row] = await run(reader, CURRENT_VERSION_QUERY);
  return versionText(row?.current_version);
}

/** CHANGE_TRACKING_MIN_VALID_VERSION of the table: null when it is not tracked. */
export async function readMinValidVersion(
  reader: SourceReader,
  table: SourceTableRef,
): Promise<string | null> {
  const [row] = await run(reader, minValidVersionQuery(table));
  return versionText(row?.min_valid_version);
}
