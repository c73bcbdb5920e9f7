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
  // 000606 (57P03): "No active warehouse selected in the current session", also seen for a warehouse
  // that cannot be resumed. Retrying waits for an administrator; the run says what to do instead.
  // https://docs.snowflake.com/en/user-guide/warehouses-overview
  '000606': 'TargetWarehouseUnavailable',
  // "does not exist or not authorized": Snowflake does not say which, and mid-run it is usually a drop.
  '002003': 'TargetObjectMissing',
  // Data errors: the same value is refused again by every retry.
  '100078': 'ValueTooLong', // String '...' is too long and would be truncated
  '100082': 'ValueTooLong', // a binary value longer than the column
  '100035': 'TargetValueRejected', // Timestamp '...' is not recognized
  '100037': 'TargetValueRejected', // Boolean value '...' is not recognized
  '100038': 'TargetValueRejected', // Numeric value '...' is not recognized
  '100039': 'TargetValueRejected', // Numeric value '...' is out of range
  '100040': 'TargetValueRejected', // Date '...' is not recognized
  '100046': 'TargetValueRejected', // Number out of representable range
  '100065': 'TargetValueRejected', // Found character ... instead of field delimiter
  '100069': 'TargetValueRejected', // Error parsing JSON
  '100071': 'TargetValueRejected', // Failed to cast variant value
};

/** Whether a classified error is a value Snowflake refused (see rejectedValue for where it was). */
export function isRejectedValue(err: MigrationError | undefined): boolean {
  return err?.type === 'ValueTooLong' || err?.type === 'TargetValueRejected';
}

export interface RejectedValue {
  reason: string;
  /** The record in the loaded file (1-based), when COPY names it. */
  row?: number;
  column?: string;
}

/**
 * Where COPY's abort message points: its first line is the reason, then
 * `Row 3, column "ORDERS__MIGRATING_X"["NOTE":4]`. An INSERT's message has the reason only.
 */
export function rejectedValue(message: string): RejectedValue {
  const reason = message.split('\n')[0]!.trim();
  const at = /^\s*Row (\d+), column "(?:[^"]|"")*"(?:\["(.*)":\d+\])?\s*$/m.exec(message);
  return {
    reason,
    ...(at ? { row: Number(at[1]) } : {}),
    ...(at?.[2] !== undefined ? { column: at[2] } : {}),
  };
}

/**
 * A warehouse that is suspended and may not resume: AUTO_RESUME off, or a resource monitor at its quota
 * ("Warehouse 'WH' cannot be resumed because resource monitor 'RM' has exceeded its quota", reported
 * with 000606 or 090073): https://docs.snowflake.com/en/user-guide/resource-monitors. Told by the
 * message, since the code varies.
 */
const WAREHOUSE_SUSPENDED = /\bwarehouse\b.*\b(cannot be resumed|is suspended)\b/i;

export function classifySnowflakeError(err: unknown): MigrationError | undefined {
  if (err instanceof MigrationError) return err;
  const e = err as DriverError;
  const code = e?.code === undefined ? '' : String(e.code).padStart(6, '0');
  const type =
    CODES[code] ?? (WAREHOUSE_SUSPENDED.test(e?.message ?? '') ? 'TargetWarehouseUnavailable' : undefined);
  // Some messages end with a line break (000606's does); the hint follows on a line of its own.
  const message = (e.message ?? String(err)).trimEnd();
  return type ? new MigrationError(type, `Snowflake error ${code}: ${message}`) : undefined;
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
