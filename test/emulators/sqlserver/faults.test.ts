/** Each fault, as a reliability test of the migrator will meet it through `mssql`. */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: ['CREATE TABLE dbo.items (id int NOT NULL PRIMARY KEY, label nvarchar(40) NOT NULL);'],
  });
  await emulator.bulkInsert(
    'dbo.items',
    ['id', 'label'],
    Array.from({ length: 5000 }, (_, i) => [i + 1, `item ${i + 1}`]),
  );
  pool = await connect(emulator);
});

afterEach(() => emulator.faults.clear());

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

/** Streams a query, counting rows; resolves with the count or the error that ended it. */
function stream(text: string): Promise<{ rows: number; error?: { code?: string; message: string } }> {
  return new Promise((resolve) => {
    const request = pool.request();
    request.stream = true;
    let rows = 0;
    let error: { code?: string; message: string } | undefined;
    request.on('row', () => rows++);
    request.on('error', (e: { code?: string; message: string }) => (error ??= e));
    request.on('done', () => resolve({ rows, error }));
    void request.query(text);
  });
}

describe('faults', () => {
  it('drops the connection after N rows of a matching query, once; the pool recovers', async () => {
    emulator.faults.dropConnectionAfterRows({ match: /FROM \[dbo\]\.\[items\]/, rows: 1200 });
    const cut = await stream('SELECT [id], [label] FROM [dbo].[items] ORDER BY [id]');
    expect(cut.error?.code).toMatch(/^(ECONNRESET|ESOCKET|ECONNCLOSED)$/);
    expect(cut.rows).toBeLessThanOrEqual(1200);
    expect(cut.rows).toBeGreaterThan(0);
    expect(await stream('SELECT [id], [label] FROM [dbo].[items] ORDER BY [id]')).toEqual({
      rows: 5000,
      error: undefined,
    });
  });

  it('fails the next matching statements with a deadlock (1205), then lets them through', async () => {
    emulator.faults.failNext({ match: 'dbo.items', count: 2 });
    expect(await query(pool, 'SELECT 1 AS other')).toEqual([{ other: 1 }]);
    for (let i = 0; i < 2; i++) {
      const error = (await failure(query(pool, 'SELECT COUNT(*) AS n FROM dbo.items'))) as {
        number: number;
        class: number;
        state: number;
        message: string;
      };
      expect({ number: error.number, class: error.class, state: error.state }).toEqual({
        number: 1205,
        class: 13,
        state: 51,
      });
      expect(error.message).toMatch(
        /was deadlocked on lock resources with another process and has been chosen as the deadlock victim/,
      );
    }
    expect(await query(pool, 'SELECT COUNT(*) AS n FROM dbo.items')).toEqual([{ n: 5000 }]);
  });

  it('fails with any given error', async () => {
    emulator.faults.failNext({
      match: /items/i,
      error: { number: 40613, message: 'Database is not currently available.', class: 17 },
    });
    const error = (await failure(query(pool, 'SELECT COUNT(*) AS n FROM dbo.items'))) as {
      number: number;
      class: number;
      message: string;
    };
    expect({ number: error.number, class: error.class, message: error.message }).toEqual({
      number: 40613,
      class: 17,
      message: 'Database is not currently available.',
    });
  });

  it('a deadlock inside a transaction rolls the transaction back, as SQL Server does', async () => {
    const tx = new sql.Transaction(pool);
    await tx.begin();
    await new sql.Request(tx).query("INSERT INTO dbo.items (id, label) VALUES (-1, N'in the transaction')");
    emulator.faults.failNext({ match: 'deadlock me' });
    const error = await failure(new sql.Request(tx).query("SELECT 'deadlock me' AS x"));
    expect(error.number).toBe(1205);
    await tx.rollback().catch(() => undefined);
    expect(await query(pool, 'SELECT COUNT(*) AS n FROM dbo.items WHERE id = -1')).toEqual([{ n: 0 }]);
  });

  it('slows every answer down', async () => {
    emulator.faults.setLatency(300);
    const started = Date.now();
    await query(pool, 'SELECT 1 AS one');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    emulator.faults.setLatency(0);
    const again = Date.now();
    await query(pool, 'SELECT 1 AS one');
    expect(Date.now() - again).toBeLessThan(250);
  });

  it('refuses the next logins by count', async () => {
    emulator.faults.refuseLogins({ count: 2 });
    for (let i = 0; i < 2; i++)
      expect((await failure(connect(emulator))).code).toMatch(/^(ESOCKET|ECONNRESET)$/);
    const third = await connect(emulator);
    expect(await query(third, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await third.close();
  });

  it('refuses logins for a while', async () => {
    emulator.faults.refuseLogins({ forMs: 400 });
    expect((await failure(connect(emulator))).code).toMatch(/^(ESOCKET|ECONNRESET)$/);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await connect(emulator);
    await later.close();
  });

  it('cuts every open connection in an outage and refuses new ones until it is over', async () => {
    const open = await connect(emulator);
    emulator.faults.outage({ forMs: 400 });
    expect((await failure(query(open, 'SELECT 1 AS one'))).code).toMatch(
      /^(ESOCKET|ECONNCLOSED|ECONNRESET)$/,
    );
    expect((await failure(connect(emulator))).code).toMatch(/^(ESOCKET|ECONNRESET)$/);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await connect(emulator);
    expect(await query(later, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await Promise.allSettled([open.close(), later.close()]);
  });
});
