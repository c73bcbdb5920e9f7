/**
 * The errors a retry cannot fix. Activities raise them as non-retryable ApplicationFailures with these
 * types; an unreachable service is waited out (./outage.ts); everything else (deadlocks, throttling,
 * timeouts) is retried with backoff.
 * Each type carries the hint the report and the CLI show: what to do about it.
 */
import { isOutageFailureType, OUTAGE_FAILURES } from './outage';

export const NON_RETRYABLE_ERRORS = {
  InvalidConfig: 'Fix the configuration field named in the message, then start the run again.',
  InvalidFilter:
    "Fix the table's filter in migration.tables: one T-SQL condition on the table's columns, such as status = 'open' AND id > 100 (no ';', comments or statements).",
  SourceLoginFailed:
    'Check source.user, and the password in the environment variable named by source.password.env (default MSSQL_PASSWORD); with Microsoft Entra ID (source.authentication), that the token, secret or identity is valid and has a database user (CREATE USER [name] FROM EXTERNAL PROVIDER).',
  SourceHostNotFound:
    'Check source.server: the host name does not resolve here (a typo, or a name only another network knows).',
  SourceCertificateRejected:
    "The connection to SQL Server is encrypted (source.encrypt) and its certificate was not accepted: have the server use a certificate from a CA this machine trusts for the host name in source.server; or name your CA's certificate (or the self-signed certificate itself) in source.caFile; if the certificate names another host than source.server, give that name in source.hostNameInCertificate; for a self-signed certificate you trust, source.trustServerCertificate: true also works (not with encrypt: 'strict').",
  SourceEncryptionRequired:
    "SQL Server requires encrypted connections (Force Encryption) and source.encrypt is false: set source.encrypt: true (or 'strict'), with source.caFile or source.trustServerCertificate if its certificate is not from a CA this machine trusts.",
  SourceDatabaseNotFound:
    'Check source.database (the login and password were accepted) and that the login is a user in that database.',
  SourcePermissionDenied:
    'Grant the source login SELECT on the table (or the db_datareader role) and VIEW DEFINITION; it needs nothing else.',
  SourceTableNotFound:
    'Check the table name in migration.tables (schema.table) and that the login can read it.',
  SourceSnapshotNotAllowed:
    'migration.sourceReadIsolation is snapshot, but the source database does not allow SNAPSHOT isolation: have a DBA run ALTER DATABASE [<database>] SET ALLOW_SNAPSHOT_ISOLATION ON, or set migration.sourceReadIsolation: readCommitted.',
  SourceReadRestricted:
    "The source login would read masked values, or rows a security policy may filter, and validation would agree with the copy. Masked columns: grant the login UNMASK (or exclude them). A security policy: use a login its predicate lets read every row, or have the policy disabled for the run. Then, or to copy what the login reads on purpose, set allowMaskedOrFiltered: true on the table's entry in migration.tables (the report says so).",
  MemoryOptimizedSnapshot:
    'SQL Server cannot read a memory-optimized table in a SNAPSHOT transaction (error 41332): migrate it with migration.sourceReadIsolation: readCommitted, in a run of its own if the other tables need snapshot (mode follow cannot follow it).',
  SourceColumnEncrypted:
    "Always Encrypted columns reach the migrator as ciphertext (the driver cannot decrypt them): exclude them (excludeColumns in the table's entry), or migrate a copy decrypted by a client that holds the column master key.",
  SourceValueNotUnicode:
    'A text value holds a lone UTF-16 surrogate, which UTF-8 (and so Snowflake) cannot carry: correct the value named in the message in the source, or exclude the column; the migrator never replaces characters.',
  UnsupportedColumnType:
    'Exclude the column (excludeColumns in the table entry), or convert it in a view or computed column.',
  KeyBoundaryNotExact:
    'Choose keyColumns that SQL Server converts back exactly (nvarchar, numbers, dates, uniqueidentifier), such as an identity column or the primary key, in the table entry.',
  InvalidKey: 'Choose NOT NULL key columns of a comparable type with keyColumns in the table entry.',
  SourceSchemaChanged: 'The source table changed during the run: start a new run.',
  SourceTableRecreated:
    'The source table was dropped and created again during the run, so its rows may not be the ones the run began with: start a new run once whatever re-creates it has finished (or point source.database at a database snapshot).',
  ValueTooLong: 'Shorten the value in the source or exclude the column; the migrator never cuts values.',
  ValueNotRepresentable:
    "Snowflake's type for the column cannot hold this value as it is (the message says why): convert it in the source (a view or computed column) or exclude the column; the migrator never drops part of a value.",
  TargetValueRejected:
    "Snowflake refused a source value for the column's type: check the row named in the message in the source, and the column's mapping (README, Type mapping); exclude or convert the column if needed.",
  TargetLoginFailed:
    'Check target.user and the password or key named by target.auth (default SNOWFLAKE_PASSWORD), and target.account.',
  TargetPermissionDenied:
    'Grant the role the privileges the message names (CREATE TABLE, CREATE STAGE, USAGE...).',
  TargetWarehouseUnavailable:
    "Snowflake has no running warehouse for the migrator's sessions: set target.warehouse (or the user's DEFAULT_WAREHOUSE) to a warehouse target.role has USAGE on. If it is suspended, resume it (ALTER WAREHOUSE <name> RESUME) or set AUTO_RESUME = TRUE; if a resource monitor suspended it, raise its CREDIT_QUOTA or wait for its next interval. Then start the run again.",
  TargetObjectMissing:
    'The object may have been dropped or renamed (during the run, or by someone else), or the role may not see it: check that it exists and that target.role has USAGE on its database and schema.',
  TargetTableExists:
    'The target table already exists: set migration.ifTargetExists to replace or append, or drop or rename the table.',
  TargetShapeMismatch:
    'Appending needs the existing target table to have the same columns as the migrated one.',
  TargetKeyConflict:
    'Rows with the same key already exist in the target: use ifTargetExists: replace, or remove them.',
  CalibrationMismatch:
    "This Snowflake account prints a sentinel value otherwise than the worker's canonical text, so the content check could not prove that type's values: nothing was created. Report the message (type and both texts) to the migrator's maintainers; exclude the type's columns (excludeColumns) to migrate the rest meanwhile.",
  ChangeTrackingOff:
    'mode follow reads the changes with SQL Server Change Tracking: run the statements in the message (database, table, GRANT VIEW CHANGE TRACKING to the migrator user), or use mode: snapshot.',
  FollowNotSupported: 'Change the table as the message says, or migrate it with mode: snapshot.',
  ChangesLost:
    "The source's changes were cleaned up (or the table truncated) before the run read them, and the table could not be copied again: start a new run, and keep the run's follow.intervalSeconds well below the database's CHANGE_RETENTION.",
  ValidationFailed:
    'Source and target disagree (see the checks in the report): nothing was published for the table.',
} as const;

export type NonRetryableErrorType = keyof typeof NON_RETRYABLE_ERRORS;

/**
 * Errors that concern one table as configured (its columns, key, filter, target, what the login reads of
 * it): under per-table outcomes such a table is refused alone at the analysis and the others go on.
 * Everything else concerns the whole run: logins, a missing database, an outage, the calibration probe,
 * and a table that does not exist (a misspelt name in the config, best fixed before anything is copied).
 */
export const TABLE_REFUSALS: ReadonlySet<NonRetryableErrorType> = new Set<NonRetryableErrorType>([
  'UnsupportedColumnType',
  'InvalidKey',
  'InvalidFilter',
  'SourcePermissionDenied',
  'SourceReadRestricted',
  'MemoryOptimizedSnapshot',
  'SourceColumnEncrypted',
  'TargetTableExists',
  'TargetShapeMismatch',
  'ChangeTrackingOff',
  'FollowNotSupported',
]);

/** Thrown by the migrator's own code for conditions a retry cannot fix. */
export class MigrationError extends Error {
  constructor(
    readonly type: NonRetryableErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export function hintFor(type: string | undefined): string | undefined {
  if (isOutageFailureType(type)) {
    return `${OUTAGE_FAILURES[type]} stayed unreachable longer than migration.outageToleranceMinutes: make sure it is up and reachable from the workers, then start the run again.`;
  }
  return type && type in NON_RETRYABLE_ERRORS
    ? NON_RETRYABLE_ERRORS[type as NonRetryableErrorType]
    : undefined;
}
