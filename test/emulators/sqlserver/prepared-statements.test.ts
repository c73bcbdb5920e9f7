/**
 * Prepared statements: tedious' prepare/execute/unprepare (sp_prepare, sp_execute, sp_unprepare by
 * procedure id) and mssql's PreparedStatement (the same procedures by name).
 */
import sql from 'mssql';
import { Request, TYPES, type Connection } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, startEmulator } from './support';
import { collect, openTedious } from './tedious-client';

let emulator: SqlServerEmulator;
let connection: Connection;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      "CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, name nvarchar(20)); INSERT INTO dbo.t VALUES (1, N'one'), (2, N'two');",
    ],
  });
  connection = await openTedious(emulator);
});

afterAll(async () => {
  connection?.close();
  await emulator?.close();
});

describe('prepared statements', () => {
  it('prepares once (the handle as the only RETURNVALUE), executes with new values, unprepares', async () => {
    const statement = new Request('SELECT name FROM dbo.t WHERE id = @id', () => undefined);
    statement.addParameter('id', TYPES.Int);
    // A tedious Request is sent again and again: each send gets a fresh callback.
    const send = (how: (r: Request) => void) =>
      collect((done) => {
        statement.callback = done;
        return statement;
      }, how);
    const prepared = await send((r) => connection.prepare(r));
    expect(Object.keys(prepared.returnValues)).toEqual(['handle']);
    expect(prepared.rows).toEqual([]);
    expect(statement.handle).toBe(prepared.returnValues.handle);
    expect((await send((r) => connection.execute(r, { id: 1 }))).rows).toEqual([['one']]);
    expect((await send((r) => connection.execute(r, { id: 2 }))).rows).toEqual([['two']]);
    await send((r) => connection.unprepare(r));
    await expect(send((r) => connection.execute(r, { id: 1 }))).rejects.toMatchObject({
      number: 8179,
      message: `Could not find prepared statement with handle ${statement.handle}.`,
    });
  });

  it("runs mssql's PreparedStatement, which names the procedures", async () => {
    const pool = await connect(emulator);
    try {
      const ps = new sql.PreparedStatement(pool);
      ps.input('id', sql.Int);
      await ps.prepare('SELECT id, name FROM dbo.t WHERE id >= @id ORDER BY id');
      expect((await ps.execute({ id: 2 })).recordset).toEqual([{ id: 2, name: 'two' }]);
      expect((await ps.execute({ id: 1 })).recordset).toHaveLength(2);
      await ps.unprepare();
      const missing = new sql.PreparedStatement(pool);
      missing.input('id', sql.Int);
      await missing.prepare('SELECT @id + 1 AS n');
      expect((await missing.execute({ id: 41 })).recordset).toEqual([{ n: 42 }]);
      await missing.unprepare();
      expect(
        (await failure(pool.request().input('handle', sql.Int, 999).execute('sp_unprepare'))).number,
      ).toBe(8179);
    } finally {
      await pool.close();
    }
  });
});
