/**
 * Sessions doing DDL at the same time: SQL Server serialises them on its schema locks; the stand-in runs
 * autocommit DDL one statement at a time, so they no longer conflict on its catalog (1205).
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 8, min: 8 } });
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

it('eight sessions creating, indexing and dropping tables at once all succeed', async () => {
  await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      for (let round = 0; round < 5; round++) {
        await pool.request().batch(`CREATE TABLE dbo.c${i}_${round} (id int PRIMARY KEY, v nvarchar(10))`);
        await pool.request().batch(`CREATE TABLE #tmp${round} (id int)`);
        await pool.request().batch(`CREATE INDEX ix_v ON dbo.c${i}_${round} (v)`);
        await pool.request().batch(`DROP TABLE #tmp${round}; DROP TABLE dbo.c${i}_${round}`);
      }
    }),
  );
  const left = await pool.request().query("SELECT COUNT(*) AS n FROM sys.tables WHERE name LIKE 'c%'");
  expect(left.recordset[0].n).toBe(0);
});
