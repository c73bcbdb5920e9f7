/**
 * The rules of following a table (mode follow) with SQL Server's Change Tracking. Pure: the activities
 * read the catalog and versions, these functions decide what they mean and what the user is told.
 */
import type { SourceTableRef } from '../contracts/table';
import {
  enableDatabaseChangeTrackingStatement,
  enableTableChangeTrackingStatement,
  grantViewChangeTrackingStatement,
} from '../sql/sqlserver/change-tracking';
import { displayTableName } from '../names/sqlserver-names';

export interface FollowFacts {
  database: string;
  /** The migrator's database user (for the GRANT statement). */
  user: string;
  table: SourceTableRef;
  /** sys.change_tracking_databases has a row for the database. */
  databaseTracked: boolean;
  /** sys.change_tracking_tables has a row for the table. */
  tableTracked: boolean;
  keySource: 'primaryKey' | 'config' | 'none';
  filter?: string;
}

export interface FollowRefusal {
  type: 'ChangeTrackingOff' | 'FollowNotSupported';
  message: string;
}

/** Why the table cannot be followed, with what to run or change; undefined when it can. */
export function followRefusal(facts: FollowFacts): FollowRefusal | undefined {
  const name = displayTableName(facts.table);
  if (facts.keySource !== 'primaryKey') {
    // CHANGETABLE reports changes by primary key: without one SQL Server does not track the table (4997).
    const why =
      facts.keySource === 'none'
        ? `${name} has no primary key, and Change Tracking tracks only tables with one`
        : `${name} is batched by the keyColumns of its entry in migration.tables, but its changes are reported by its primary key`;
    return {
      type: 'FollowNotSupported',
      message: `${why}: mode follow cannot follow it. Add a primary key to the table (or remove keyColumns from its entry), or migrate it in a run with mode: snapshot.`,
    };
  }
  if (facts.filter !== undefined) {
    return {
      type: 'FollowNotSupported',
      message: `${name} has a filter, which mode follow does not apply to the changes yet: migrate it without the filter, or in a run with mode: snapshot.`,
    };
  }
  if (!facts.databaseTracked || !facts.tableTracked) {
    const statements = [
      ...(facts.databaseTracked ? [] : [enableDatabaseChangeTrackingStatement(facts.database)]),
      enableTableChangeTrackingStatement(facts.table),
      grantViewChangeTrackingStatement(facts.table, facts.user),
    ];
    const off = facts.databaseTracked ? `the table ${name}` : `the database ${facts.database}`;
    return {
      type: 'ChangeTrackingOff',
      message: `Change Tracking is off for ${off}, so mode follow cannot read the changes of ${name}. Have a DBA run: ${statements.join('; ')}`,
    };
  }
  return undefined;
}

/**
 * What `check`, `discover` and `plan` say of a table mode follow can follow. The VIEW CHANGE TRACKING
 * grant that CHANGETABLE needs besides SELECT
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql,
 * "Permissions") is named, not checked: a login without it fails at the first round.
 */
function followReadyLine(facts: FollowFacts): string {
  return (
    `Change Tracking is on for the database ${facts.database} and the table ${displayTableName(facts.table)}: mode follow can follow it. ` +
    `CHANGETABLE also needs ${grantViewChangeTrackingStatement(facts.table, facts.user)} (not checked here).`
  );
}

/** A table's verdict for mode follow as `check`, `discover` and `plan` show it. */
export function followVerdict(facts: FollowFacts): { ready: boolean; message: string } {
  const refusal = followRefusal(facts);
  return refusal
    ? { ready: false, message: refusal.message }
    : { ready: true, message: followReadyLine(facts) };
}

/**
 * Whether the changes after `lastVersion` are no longer complete: the version is older than
 * CHANGE_TRACKING_MIN_VALID_VERSION, which rises when the cleanup removes changes older than the
 * retention period and when the table is truncated (which removes all its change tracking information);
 * NULL: tracking was turned off
 * (https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql;
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server,
 * "Validating the last synchronized version").
 */
export function changesLost(lastVersion: string, minValidVersion: string | null): boolean {
  return minValidVersion === null || BigInt(lastVersion) < BigInt(minValidVersion);
}

/** Why following stopped; the table is then copied again from the start (src/workflows/migrate-table.ts). */
export function changesLostMessage(
  table: SourceTableRef,
  lastVersion: string,
  minValid: string | null,
): string {
  const name = displayTableName(table);
  const why =
    minValid === null
      ? 'Change Tracking was turned off for it'
      : `its changes after version ${lastVersion} are no longer all kept (minimum valid version ${minValid}): the run fell behind longer than the database's CHANGE_RETENTION, or the table was truncated`;
  return `Following ${name} stopped: ${why}.`;
}

/** A change's operation as CHANGETABLE reports it: I, U or D. */
export const isDelete = (operation: unknown): boolean => String(operation).trim().toUpperCase() === 'D';
