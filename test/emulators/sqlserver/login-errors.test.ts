/**
 * How the migrator classifies what SQL Server says when it refuses a login or a request, through the real
 * `mssql` driver and the pool the worker uses: tedious raises a refused login as ELOGIN with the last
 * message only, so the pool attaches every error token of the login (src/sqlserver/login-errors.ts).
 * Azure SQL's transient errors are waited out as outages; a missing database and a wrong password fail at once.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { toFailure } from '../../../src/activities/failures';
import { SourceConfigSchema } from '../../../src/config/schema';
import { createSourceConnection, type SourceConnection } from '../../../src/sqlserver/pool';
import { failure, PASSWORD, startEmulator } from './support';

let emulator: SqlServerEmulator;
const connections: SourceConnection[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ seed: ['CREATE TABLE dbo.items (id int NOT NULL PRIMARY KEY);'] });
});
afterEach(async () => {
  emulator.faults.clear();
  await Promise.all(connections.splice(0).map((c) => c.close()));
});
afterAll(() => emulator?.close());

function sourceConnection(overrides: { database?: string; password?: string } = {}): SourceConnection {
  const config = SourceConfigSchema.parse({
    server: '127.0.0.1',
    port: emulator.port,
    database: overrides.database ?? 'shop',
    user: emulator.user,
    encrypt: false,
    connectTimeoutMs: 5_000,
  });
  const connection = createSourceConnection(config, { password: overrides.password ?? PASSWORD });
  connections.push(connection);
  return connection;
}

/** What Temporal is handed for an error: its type and whether it is retried. */
function failed(err: unknown): { type: string | undefined; message: string } {
  const f = toFailure(err);
  expect(f).toBeInstanceOf(ApplicationFailure);
  return { type: (f as ApplicationFailure).type ?? undefined, message: (f as ApplicationFailure).message };
}

// Azure SQL's own texts (https://learn.microsoft.com/en-us/azure/azure-sql/database/troubleshoot-common-errors-issues).
const NOT_AVAILABLE = {
  number: 40613,
  message: "Database 'shop' on server 'sql-1' is not currently available. Please retry the connection later.",
};
const BUSY = {
  number: 40501,
  message: 'The service is currently busy. Retry the request after 10 seconds. Incident ID: 1. Code: 2.',
};
const CANNOT_OPEN = {
  number: 4060,
  message: 'Cannot open database "shop" requested by the login. The login failed.',
};
const LOGIN_FAILED = { number: 18456, message: "Login failed for user 'sa'." };

describe('a refused login, classified by the numbers SQL Server sent', () => {
  it('waits out an Azure database that is not available (40613), beyond the driver’s own retries', async () => {
    // tedious retries 40613 itself (maxRetriesOnTransientErrors, 3) before it gives up.
    emulator.faults.failLogins({ errors: [NOT_AVAILABLE], count: 10 });
    const err = await failure(sourceConnection().pool());
    expect(err.code).toBe('ELOGIN');
    expect(failed(err)).toEqual({ type: 'SourceUnavailable', message: NOT_AVAILABLE.message });
  });

  it('fails at once on a database that cannot be opened at the first login (4060, then 18456)', async () => {
    emulator.faults.failLogins({ errors: [CANNOT_OPEN, LOGIN_FAILED] });
    const err = await failure(sourceConnection().pool());
    // tedious keeps only the last message.
    expect(err.message).toBe(LOGIN_FAILED.message);
    expect(failed(err)).toEqual({
      type: 'SourceDatabaseNotFound',
      message: `SQL Server refused the database: ${CANNOT_OPEN.message}`,
    });
  });

  it('waits out a 4060 once the pool had the database open: Azure failing over, not a wrong name', async () => {
    const connection = sourceConnection();
    const pool = await connection.pool();
    emulator.faults.outage({ forMs: 0 }); // every open connection cut: the next request logs in again
    emulator.faults.failLogins({ errors: [CANNOT_OPEN, LOGIN_FAILED], count: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pool sees its connections closed
    const err = await failure(pool.request().query('SELECT 1 AS one'));
    expect(err.code).toBe('ELOGIN');
    expect(failed(err).type).toBe('SourceUnavailable');
  });

  it('fails at once on a wrong password', async () => {
    const err = await failure(sourceConnection({ password: 'wrong' }).pool());
    expect(failed(err).type).toBe('SourceLoginFailed');
  });
});

describe('a refused request', () => {
  it('waits out Azure throttling in the middle of a batch (40501)', async () => {
    const pool = await sourceConnection().pool();
    emulator.faults.failNext({ match: 'dbo.items', error: BUSY });
    const err = await failure(pool.request().query('SELECT id FROM dbo.items'));
    expect(err.number).toBe(40501);
    expect(failed(err).type).toBe('SourceUnavailable');
  });
});
