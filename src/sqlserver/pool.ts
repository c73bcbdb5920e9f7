/**
 * The SQL Server connection pool, created once per worker (or CLI command) and connected on first use,
 * so a worker starts even while SQL Server is briefly unreachable (activities retry instead).
 */
import { readFileSync } from 'node:fs';
import sql from 'mssql';
import { MAX_ENCRYPTED_PACKET_SIZE, type SourceConfig } from '../config/schema';
import { MigrationError } from '../contracts/errors';
import type { SourceSecrets } from '../config/secrets';
import { DEFAULT_SQLSERVER_PORT } from '../config/source-address';
import { attachLoginErrors, type LoginServerError } from './login-errors';

export type SourcePool = sql.ConnectionPool;

export interface SourceConnection {
  /** The connected pool (connecting it the first time, and again after a failed attempt). */
  pool(): Promise<SourcePool>;
  close(): Promise<void>;
}

/** A secret readSourceSecrets read for this authentication type (a config error if it did not). */
function secret(secrets: SourceSecrets, name: 'password' | 'clientSecret' | 'token'): string {
  const value = (secrets as Record<string, unknown>)[name];
  if (typeof value !== 'string')
    throw new MigrationError('InvalidConfig', `source.authentication: no ${name} was read for this type`);
  return value;
}

/**
 * tedious' own authentication settings for the configured type (`default` is SQL Server authentication).
 * Tokens for the Entra types other than an access token are fetched and renewed by tedious itself.
 */
export function tediousAuthentication(
  config: SourceConfig,
  secrets: SourceSecrets,
): NonNullable<sql.config['authentication']> {
  const auth = config.authentication;
  switch (auth.type) {
    case 'sql':
      return { type: 'default', options: { userName: config.user, password: secret(secrets, 'password') } };
    case 'azure-active-directory-password':
      return {
        type: auth.type,
        options: {
          userName: config.user,
          password: secret(secrets, 'password'),
          clientId: auth.clientId,
          tenantId: auth.tenantId,
        },
      } as NonNullable<sql.config['authentication']>;
    case 'azure-active-directory-service-principal-secret':
      return {
        type: auth.type,
        options: {
          clientId: auth.clientId,
          tenantId: auth.tenantId,
          clientSecret: secret(secrets, 'clientSecret'),
        },
      };
    case 'azure-active-directory-access-token':
      return { type: auth.type, options: { token: secret(secrets, 'token') } };
    default:
      return { type: auth.type, options: { clientId: auth.clientId } } as NonNullable<
        sql.config['authentication']
      >;
  }
}

export function sourcePoolConfig(config: SourceConfig, secrets: SourceSecrets): sql.config {
  return {
    server: config.server,
    // mssql leaves the port out for a named instance: tedious then asks SQL Server Browser for it.
    port: config.instanceName === undefined ? (config.port ?? DEFAULT_SQLSERVER_PORT) : undefined,
    database: config.database,
    authentication: tediousAuthentication(config, secrets),
    connectionTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    pool: { max: config.poolMax, min: 0, idleTimeoutMillis: 30_000 },
    // A connection taken from the pool is checked by its socket and state, not by a `SELECT 1` round trip
    // before every query (mssql's default: a third of what a small table sent SQL Server). A connection
    // the server dropped is closed and replaced; one that fails on its query fails the activity, which
    // retries. https://github.com/tediousjs/node-mssql#connection-validation
    validateConnection: 'socket',
    options: {
      // tedious takes true, false or 'strict' (its types say boolean only).
      encrypt: config.encrypt as boolean,
      trustServerCertificate: config.trustServerCertificate,
      // tedious checks the certificate against this name, else against source.server.
      ...(config.hostNameInCertificate ? { serverName: config.hostNameInCertificate } : {}),
      ...(config.caFile ? { cryptoCredentialsDetails: { ca: readCaFile(config.caFile) } } : {}),
      packetSize: config.packetSize ?? (config.encrypt === false ? 32_767 : MAX_ENCRYPTED_PACKET_SIZE),
      ...(config.instanceName !== undefined ? { instanceName: config.instanceName } : {}),
      readOnlyIntent: config.readOnlyIntent,
      multiSubnetFailover: config.multiSubnetFailover,
      appName: 'sqlserver-snowflake-migrator',
      useUTC: true,
    },
  };
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new MigrationError('InvalidConfig', `source.caFile: cannot read ${path}: ${(e as Error).message}`);
  }
}

export function createSourceConnection(config: SourceConfig, secrets: SourceSecrets): SourceConnection {
  // tedious raises a refused login as ELOGIN with the last error's text only, no number, and SQL Server
  // ends most refused logins with 18456 "Login failed": a missing database (4060 before it) would read as
  // a wrong password, an Azure database in failover (40613) as a refused login. So every error token of
  // the login (tedious' documented `errorMessage` event) is attached to the error it ends with.
  let databaseWasOpen = false;
  const pool = new sql.ConnectionPool({
    ...sourcePoolConfig(config, secrets),
    beforeConnect: (connection) => {
      const errors: LoginServerError[] = [];
      const record = (token: { number: number; message: string }) =>
        errors.push({ number: token.number, message: token.message });
      connection.on('errorMessage', record);
      connection.once('connect', (err?: Error) => {
        connection.removeListener('errorMessage', record);
        if (err) attachLoginErrors(err, { errors, databaseWasOpen });
        else databaseWasOpen = true;
      });
    },
  });
  // An idle connection that dies is the pool's business; without a listener the error would crash the process.
  pool.on('error', () => undefined);
  let connecting: Promise<SourcePool> | undefined;
  return {
    pool() {
      if (!connecting) {
        connecting = pool.connect().catch((err: unknown) => {
          connecting = undefined;
          throw err;
        });
      }
      return connecting;
    },
    async close() {
      await pool.close();
    },
  };
}
