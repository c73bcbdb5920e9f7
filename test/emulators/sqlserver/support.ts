/** Shared set-up of the SQL Server stand-in tests: an emulator and `mssql` pools connected as the product connects. */
import sql from 'mssql';
import {
  startSqlServerEmulator,
  type SqlServerEmulator,
  type SqlServerEmulatorOptions,
} from '../../../emulators/sqlserver';

export const PASSWORD = 'Stand-in_Pa55!';

export function startEmulator(options: Partial<SqlServerEmulatorOptions> = {}): Promise<SqlServerEmulator> {
  return startSqlServerEmulator({ password: PASSWORD, databases: ['shop'], ...options });
}

export function poolConfig(emulator: SqlServerEmulator, overrides: Partial<sql.config> = {}): sql.config {
  return {
    server: '127.0.0.1',
    port: emulator.port,
    user: emulator.user,
    password: PASSWORD,
    database: 'shop',
    options: { encrypt: false, trustServerCertificate: true, packetSize: 32767 },
    pool: { max: 8 },
    ...overrides,
  };
}

export async function connect(
  emulator: SqlServerEmulator,
  overrides: Partial<sql.config> = {},
): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool(poolConfig(emulator, overrides));
  pool.on('error', () => undefined);
  return pool.connect();
}

/** Runs a parameterised query (sp_executesql) with nvarchar parameters, as the migrator does. */
export async function query<T = Record<string, unknown>>(
  pool: sql.ConnectionPool,
  text: string,
  params: Record<string, string | number> = {},
): Promise<T[]> {
  const request = pool.request();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number') request.input(name, sql.BigInt, value);
    else request.input(name, sql.NVarChar, value);
  }
  return (await request.query(text)).recordset as T[];
}

/** The error a query fails with (the test fails if it succeeds). */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ number?: number; message: string; code?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { number?: number; message: string; code?: string };
  }
  throw new Error('expected the query to fail');
}
