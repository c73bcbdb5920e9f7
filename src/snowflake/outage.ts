/**
 * Whether a snowflake-sdk error means Snowflake is unreachable for now (an outage the run waits out):
 * the driver gave up its own retries on the network, on HTTP 5xx/429, or found its session cut off.
 */
import { NETWORK_ERRNOS } from '../contracts/outage';

interface DriverError {
  code?: string | number;
  cause?: unknown;
}

const UNREACHABLE = new Set([
  '401001', // network error: could not reach Snowflake
  '401002', // request to Snowflake failed (5xx, 429 after the driver's retries)
  '402001', // network error: could not reach the stage's storage
  '402002', // request to the stage's storage failed
  '407002', // the session was disconnected under the statement
]);

export function isTargetOutage(err: unknown): boolean {
  const e = err as DriverError | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = e.code === undefined ? '' : String(e.code);
  if (UNREACHABLE.has(code) || NETWORK_ERRNOS.has(code)) return true;
  return e.cause !== undefined && isTargetOutage(e.cause);
}
