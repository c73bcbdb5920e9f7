/**
 * Which SQL Server errors a retry cannot fix. Everything not listed (dropped connections, timeouts,
 * deadlocks 1205, throttling 40501...) is left retryable.
 */
import { MigrationError } from '../contracts/errors';
import { loginErrorsOf } from './login-errors';
import { configSocketCode } from './outage';

interface DriverError {
  code?: string;
  number?: number;
  message?: string;
}

/** Error numbers that mean the request itself is wrong: the same request fails the same way again. */
const REQUEST_ERRORS: Record<number, MigrationError['type']> = {
  208: 'SourceTableNotFound', // Invalid object name
  207: 'SourceSchemaChanged', // Invalid column name
  229: 'SourcePermissionDenied', // The SELECT permission was denied on the object
  230: 'SourcePermissionDenied', // The SELECT permission was denied on the column
  102: 'InvalidConfig', // Incorrect syntax (a row filter)
  156: 'InvalidConfig', // Incorrect syntax near a keyword
  4145: 'InvalidConfig', // non-boolean expression where a condition is expected
  3952: 'SourceSnapshotNotAllowed', // Snapshot isolation is not allowed in this database
  // A memory-optimized table (read through a view, which the analysis cannot see into) in a SNAPSHOT
  // transaction: https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-41332-database-engine-error
  41332: 'MemoryOptimizedSnapshot',
};

export function classifySqlServerError(err: unknown): MigrationError | undefined {
  if (err instanceof MigrationError) return err;
  const e = err as DriverError;
  const message = e?.message ?? String(err);
  if (e?.code === 'ELOGIN') {
    // SQL Server sends 4060 "Cannot open database" before the 18456 "Login failed" that tedious keeps.
    const cannotOpen = loginErrorsOf(err)?.errors.find((x) => x.number === 4060)?.message;
    if (cannotOpen !== undefined || /Cannot open database/i.test(message)) {
      return new MigrationError(
        'SourceDatabaseNotFound',
        `SQL Server refused the database: ${cannotOpen ?? message}`,
      );
    }
    if (/Login failed/i.test(message))
      return new MigrationError('SourceLoginFailed', `SQL Server login failed: ${message}`);
  }
  // tedious' answer to a server that requires encryption (PRELOGIN ENCRYPT_ON/REQ) when encrypt is false.
  if (e?.code === 'EENCRYPT' || (e as { originalError?: DriverError })?.originalError?.code === 'EENCRYPT')
    return new MigrationError('SourceEncryptionRequired', `SQL Server requires encryption: ${message}`);
  const socket = configSocketCode(err);
  if (socket === 'ENOTFOUND')
    return new MigrationError('SourceHostNotFound', `SQL Server's host name does not resolve: ${message}`);
  if (socket !== undefined)
    return new MigrationError(
      'SourceCertificateRejected',
      `SQL Server's TLS certificate was refused (${socket}): ${message}`,
    );
  if (e?.code === 'EREQUEST' && e.number !== undefined && REQUEST_ERRORS[e.number]) {
    return new MigrationError(REQUEST_ERRORS[e.number]!, `SQL Server error ${e.number}: ${message}`);
  }
  return undefined;
}

/** Errors SQL Server raises while compiling a WHERE clause whose text is at fault, not the table. */
const FILTER_ERRORS = new Set([
  102, // Incorrect syntax near ...
  156, // Incorrect syntax near the keyword ...
  195, // ... is not a recognized built-in function name
  207, // Invalid column name
  209, // Ambiguous column name
  4104, // The multi-part identifier ... could not be bound
  4145, // An expression of non-boolean type specified in a context where a condition is expected
]);

/**
 * For a query whose only user-written part is the filter (the table and its catalog were read already):
 * SQL Server's compile errors are the filter's, and say so, instead of "the source changed".
 */
export function classifyFilterError(err: unknown, table: string, filter: string): MigrationError | undefined {
  const e = err as DriverError;
  if (e?.code !== 'EREQUEST' || e.number === undefined || !FILTER_ERRORS.has(e.number)) return undefined;
  return new MigrationError(
    'InvalidFilter',
    `SQL Server refused the filter of ${table} (${filter}): error ${e.number}: ${e.message ?? String(err)}`,
  );
}
