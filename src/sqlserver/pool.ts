/**
 * The SQL Server connection pool, created once per worker (or CLI command) and connected on first use,
 * so a worker starts even while SQL Server is briefly unreachable (activities retry instead).
 */
import sql from 'mssql';
import type { SourceConfig } from '../config/schema';
import type { SourceSecrets } from '../config/secrets';

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

export function createSourceConnection(config: SourceConfig, secrets: SourceSecrets): SourceConnection {
  const pool = new sql.ConnectionPool(sourcePoolConfig(config, secrets));
  // An idle connection that dies is the pool's business; without a listener the error would crash the process.
  pool.on('error', () => undefined);
  let connecting: Promise<SourcePool> | undefined;
  return {
    pool() {
      connecting ??= pool.connect().catch((err: unknown) => {
        connecting = undefined;
        throw err;
      });
      return connecting;
    },
    async close() {
      await pool.close();
    },
  };
}
