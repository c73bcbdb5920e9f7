/**
 * Which SQL Server errors a retry cannot fix. Everything not listed (dropped connections, timeouts,
 * deadlocks 1205, throttling 40501...) is left retryable.
 */
import { MigrationError } from '../contracts/errors';

interface DriverError {
  code?: string;
  number?: number;
  message?: string;
}

/** Error numbers that mean the request itself is wrong: the same request fails the same way again. */
const REQUEST_ERRORS: Record<number, MigrationError['type']> = {
  208: 'SourceTableNotFound', // Invalid object name
  207: 'SourceSchemaChanged', // Invalid column name
  229: 'SourceTableNotFound', // permission denied on object
  230: 'SourceTableNotFound', // permission denied on column
  102: 'InvalidConfig', // Incorrect syntax (a row filter)
  156: 'InvalidConfig', // Incorrect syntax near a keyword
  4145: 'InvalidConfig', // non-boolean expression where a condition is expected
};

export function classifySqlServerError(err: unknown): MigrationError | undefined {
  if (err instanceof MigrationError) return err;
  const e = err as DriverError;
  const message = e?.message ?? String(err);
  if (e?.code === 'ELOGIN') {
    if (/Cannot open database/i.test(message)) {
      return new MigrationError('SourceDatabaseNotFound', `SQL Server refused the database: ${message}`);
    }
    if (/Login failed/i.test(message))
      return new MigrationError('SourceLoginFailed', `SQL Server login failed: ${message}`);
  }
  if (e?.code === 'EREQUEST' && e.number !== undefined && REQUEST_ERRORS[e.number]) {
    return new MigrationError(REQUEST_ERRORS[e.number]!, `SQL Server error ${e.number}: ${message}`);
  }
  return undefined;
}
