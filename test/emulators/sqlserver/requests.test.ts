/** Requests as mssql makes them beyond plain queries: transactions, cancel, timeouts, concurrency, packet size. */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: ['CREATE TABLE dbo.n (id int NOT NULL PRIMARY KEY, pad nvarchar(200) NOT NULL);'],
  });
  await emulator.bulkInsert(
    'dbo.n',
    ['id', 'pad'],
    Array.from({ length: 50_000 }, (_, i) => [i + 1, 'x'.repeat(200)]),
  );
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('transactions (transaction manager requests)', () => {
  it('commit makes changes visible to other connections; rollback discards them', async () => {
    const committed = new sql.Transaction(pool);
    await committed.begin(sql.ISOLATION_LEVEL.READ_COMMITTED);
    await new sql.Request(committed).query("INSERT INTO dbo.n (id, pad) VALUES (-1, N'committed')");
    expect((await new sql.Request(committed).query('SELECT @@TRANCOUNT AS depth')).recordset).toEqual([
      { depth: 1 },
    ]);
    await committed.commit();

    const rolledBack = new sql.Transaction(pool);
    await rolledBack.begin();
    await new sql.Request(rolledBack).query("INSERT INTO dbo.n (id, pad) VALUES (-2, N'rolled back')");
    await rolledBack.rollback();

    expect(await query(pool, 'SELECT id FROM dbo.n WHERE id < 0 ORDER BY id')).toEqual([{ id: -1 }]);
  });
});

describe('cancel and timeouts (ATTENTION)', () => {
  it('cancel stops a stream; the connection answers the next request', async () => {
    const single = await connect(emulator, { pool: { max: 1 } });
    const outcome = await new Promise<{ rows: number; code?: string }>((resolve) => {
      const request = single.request();
      request.stream = true;
      let rows = 0;
      let code: string | undefined;
      request.on('row', () => {
        if (++rows === 100) request.cancel();
      });
      request.on('error', (e: { code?: string }) => (code = e.code));
      request.on('done', () => resolve({ rows, code }));
      void request.query('SELECT id, pad FROM dbo.n ORDER BY id');
    });
    expect(outcome).toEqual({ rows: 100, code: 'ECANCEL' });
    expect(await query(single, 'SELECT COUNT(*) AS n FROM dbo.n WHERE id > 0')).toEqual([{ n: 50_000 }]);
    await single.close();
  });

  it('a request timeout cancels the request, and the pool goes on', async () => {
    // Without validation: mssql's "SELECT 1" on each acquire would time out first.
    const impatient = await connect(emulator, {
      requestTimeout: 300,
      pool: { max: 1 },
      validateConnection: false,
    } as Partial<sql.config>);
    emulator.faults.setLatency(1_500);
    const error = await failure(query(impatient, 'SELECT 1 AS one'));
    emulator.faults.setLatency(0);
    expect(error.code).toBe('ETIMEOUT');
    expect(await query(impatient, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await impatient.close();
  });
});

describe('connections', () => {
  it('serves the pool’s connections at the same time, each with its own session', async () => {
    const counts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        query<{ n: number }>(pool, `SELECT COUNT(*) AS n FROM dbo.n WHERE id % 8 = ${i} AND id > 0`),
      ),
    );
    expect(counts.reduce((sum, [row]) => sum + row!.n, 0)).toBe(50_000);
  });

  it('sends packets of the negotiated size and reads every byte of large rows', async () => {
    for (const packetSize of [512, 4096, 32767]) {
      const p = await connect(emulator, {
        options: { encrypt: false, trustServerCertificate: true, packetSize },
      });
      const rows = await query<{ pad: string }>(
        p,
        'SELECT TOP (300) pad FROM dbo.n WHERE id > 0 ORDER BY id',
      );
      expect(rows.map((r) => r.pad.length)).toEqual(Array(300).fill(200));
      await p.close();
    }
  });
});
