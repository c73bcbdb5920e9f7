/**
 * Whether a SQL Server driver error means the server is unreachable for now (an outage the run waits
 * out) rather than that the request or the login is wrong. A wrong password (18456) is not an outage:
 * it fails the run at once.
 */
import { NETWORK_ERRNOS } from '../contracts/outage';
import { loginErrorsOf } from './login-errors';

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
/**
 * Errors of an Azure SQL Database that is busy, throttling or moving to another node: they pass within
 * seconds to minutes, so the run waits them out like an outage, at login or in the middle of a batch.
 * Microsoft's list of transient errors ("Transient fault error codes"):
 * https://learn.microsoft.com/en-us/azure/azure-sql/database/troubleshoot-common-errors-issues
 * and the baseline of Microsoft.Data.SqlClient's retry logic:
 * https://learn.microsoft.com/en-us/dotnet/api/microsoft.data.sqlclient.sqlconfigurableretryfactory.baselinetransienterrors
 */
export const AZURE_TRANSIENT_ERRORS = new Set([
  40197, // the service encountered an error processing your request
  40501, // the service is currently busy
  40613, // database not currently available (reconfiguration, failover)
  49918, // cannot process request: not enough resources
  49919, // cannot process create or update request: too many operations in progress
  49920, // cannot process request: too many operations in progress
  10928, // resource ID: the request limit for the database has been reached
  10929, // resource ID: the minimum guarantee is not available
]);

/** Logins refused because the server or database is starting, not because of the credentials. */
const NOT_YET_LOGIN = new Set([
  18401, // Login failed: server is in script upgrade mode (starting after an update)
  ...AZURE_TRANSIENT_ERRORS,
]);

/** "Cannot open database requested by the login": missing, unless the pool had it open before (failover). */
const CANNOT_OPEN_DATABASE = 4060;

/**
 * Socket errors that no wait fixes: a host name that does not resolve, a certificate the client does not
 * trust or that names another host. tedious reports them as ESOCKET like a refused connection.
 */
export const CONFIG_SOCKET_CODES = new Set([
  'ENOTFOUND',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/** The first code in an error's chain (mssql's originalError, tedious' cause) that is a configuration error. */
export function configSocketCode(err: unknown): string | undefined {
  for (let e = err as DriverError | undefined, depth = 0; e && depth < 5; depth += 1) {
    if (e.code !== undefined && CONFIG_SOCKET_CODES.has(e.code)) return e.code;
    e = (e.originalError ?? e.cause) as DriverError | undefined;
  }
  return undefined;
}

function loginNotYet(e: DriverError): boolean {
  const found = loginErrorsOf(e);
  const numbers = [
    ...(found?.errors.map((x) => x.number) ?? []),
    ...(e.number === undefined ? [] : [e.number]),
  ];
  return numbers.some(
    (n) => NOT_YET_LOGIN.has(n) || (n === CANNOT_OPEN_DATABASE && found?.databaseWasOpen === true),
  );
}

export function isSourceOutage(err: unknown): boolean {
  const e = err as DriverError | undefined;
  if (!e || typeof e !== 'object' || !DRIVER_ERRORS.has(e.name ?? '')) return false;
  if (e.code === 'ELOGIN') return loginNotYet(e);
  if (configSocketCode(e) !== undefined) return false;
  if (e.code === 'EREQUEST' && e.number !== undefined && AZURE_TRANSIENT_ERRORS.has(e.number)) return true;
  // A connection that could not be made in time; a request timeout (a slow query) is not an outage.
  if (e.name === 'ConnectionError' && e.code === 'ETIMEOUT') return true;
  if (e.code !== undefined && (LOST_CONNECTION.has(e.code) || NETWORK_ERRNOS.has(e.code))) return true;
  return [e.originalError, e.cause].some((inner) => {
    const code = (inner as DriverError | undefined)?.code;
    return (code !== undefined && NETWORK_ERRNOS.has(code)) || isSourceOutage(inner);
  });
}
