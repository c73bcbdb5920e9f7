/**
 * Which Snowflake errors a retry cannot fix. Network failures, 5xx/429 (after the driver's own retries)
 * and anything unknown stay retryable.
 */
import { MigrationError } from '../contracts/errors';

interface DriverError {
  code?: string | number;
  message?: string;
}

const CODES: Record<string, MigrationError['type']> = {
  '390100': 'TargetLoginFailed', // incorrect username or password
  '390144': 'TargetLoginFailed', // JWT token is invalid
  '390102': 'TargetLoginFailed', // user temporarily locked
  '390201': 'TargetPermissionDenied', // the requested database/warehouse does not exist or not authorized
  '003001': 'TargetPermissionDenied', // insufficient privileges
  // "does not exist or not authorized": Snowflake does not say which, and mid-run it is usually a drop.
  '002003': 'TargetObjectMissing',
};

export function classifySnowflakeError(err: unknown): MigrationError | undefined {
  if (err instanceof MigrationError) return err;
  const e = err as DriverError;
  const code = e?.code === undefined ? '' : String(e.code).padStart(6, '0');
  const type = CODES[code];
  return type ? new MigrationError(type, `Snowflake error ${code}: ${e.message ?? String(err)}`) : undefined;
}

/** Whether an error says the object is not there (treated as done by idempotent drops and removals). */
export function isMissingObject(err: unknown): boolean {
  return String((err as DriverError)?.code ?? '').padStart(6, '0') === '002003';
}

/** Socket errors that mean Snowflake was not reached at all, in words. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** "connection refused" when the driver never reached Snowflake (its NetworkError's cause), else undefined. */
export function unreachableReason(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code ? UNREACHABLE[cause.code] : undefined;
}
