/**
 * Whether a SQL Server driver error means the server is unreachable for now (an outage the run waits
 * out) rather than that the request or the login is wrong. A wrong password (18456) is not an outage:
 * it fails the run at once.
 */
import { NETWORK_ERRNOS } from '../contracts/outage';

/** The error classes of mssql; anything else (a raw socket error, say) is not known to be SQL Server's. */
const DRIVER_ERRORS = new Set([
  'ConnectionError',
  'RequestError',
  'TransactionError',
  'PreparedStatementError',
]);

interface DriverError {
  name?: string;
  code?: string;
  number?: number;
  originalError?: unknown;
  cause?: unknown;
}

/** mssql/tedious codes of a connection that could not be made or was lost. */
const LOST_CONNECTION = new Set(['ESOCKET', 'ECONNCLOSED', 'ECLOSE', 'ENOCONN', 'ENOTOPEN', 'EINSTLOOKUP']);
/** Logins refused because the server or database is starting, not because of the credentials. */
const NOT_YET_LOGIN = new Set([
  18401, // Login failed: server is in script upgrade mode (starting after an update)
  40613, // Azure SQL: database not currently available
]);

export function isSourceOutage(err: unknown): boolean {
  const e = err as DriverError | undefined;
  if (!e || typeof e !== 'object' || !DRIVER_ERRORS.has(e.name ?? '')) return false;
  if (e.code === 'ELOGIN') return e.number !== undefined && NOT_YET_LOGIN.has(e.number);
  // A connection that could not be made in time; a request timeout (a slow query) is not an outage.
  if (e.name === 'ConnectionError' && e.code === 'ETIMEOUT') return true;
  if (e.code !== undefined && (LOST_CONNECTION.has(e.code) || NETWORK_ERRNOS.has(e.code))) return true;
  return [e.originalError, e.cause].some((inner) => {
    const code = (inner as DriverError | undefined)?.code;
    return (code !== undefined && NETWORK_ERRNOS.has(code)) || isSourceOutage(inner);
  });
}
