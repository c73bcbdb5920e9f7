/**
 * The SQL Server connection pool, created once per worker (or CLI command) and connected on first use,
 * so a worker starts even while SQL Server is briefly unreachable (activities retry instead).
 */
import sql from 'mssql';
import type { SourceConfig } from '../config/schema';
import type { SourceSecrets } from '../config/secrets';
import { classifySqlServerError } from './errors';

export type SourcePool = sql.ConnectionPool;

export interface SourceConnection {
  /** The connected pool (connecting it the first time, and again after a failed attempt). */
  pool(): Promise<SourcePool>;
  close(): Promise<void>;
}

export function sourcePoolConfig(config: SourceConfig, secrets: SourceSecrets): sql.config {
  return {
    server: config.server,
    port: config.port,
    database: config.database,
    user: config.user,
    password: secrets.password,
    connectionTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    pool: { max: config.poolMax, min: 0, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: config.encrypt,
      trustServerCertificate: config.trustServerCertificate,
      packetSize: config.packetSize,
      appName: 'sqlserver-snowflake-migrator',
      useUTC: true,
    },
  };
}

/** SQL Server's "Cannot open database ... requested by the login" (sent before 18456 "Login failed"). */
const CANNOT_OPEN_DATABASE = 4060;

export function createSourceConnection(config: SourceConfig, secrets: SourceSecrets): SourceConnection {
  // tedious reports only the last error of a failed login, and SQL Server ends every failed login with
  // 18456 "Login failed": a missing database would read as a wrong password. The 4060 before it is kept.
  let cannotOpenDatabase: string | undefined;
  const pool = new sql.ConnectionPool({
    ...sourcePoolConfig(config, secrets),
    beforeConnect: (connection) => {
      connection.on('errorMessage', (token) => {
        if (token.number === CANNOT_OPEN_DATABASE) cannotOpenDatabase = token.message;
      });
    },
  });
  // An idle connection that dies is the pool's business; without a listener the error would crash the process.
  pool.on('error', () => undefined);
  let connecting: Promise<SourcePool> | undefined;
  return {
    pool() {
      if (!connecting) {
        cannotOpenDatabase = undefined;
        connecting = pool.connect().catch((err: unknown) => {
          connecting = undefined;
          if (cannotOpenDatabase && (err as { code?: string }).code === 'ELOGIN')
            throw classifySqlServerError({ code: 'ELOGIN', message: cannotOpenDatabase });
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
