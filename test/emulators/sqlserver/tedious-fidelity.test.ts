/**
 * What tedious' own integration suite found the stand-in doing differently from SQL Server: named
 * transactions, old TDS versions, SET options, the ORDER token, OUTPUT parameters and a client that drops
 * its socket in the middle of a transaction.
 */
import { once, type EventEmitter } from 'node:events';
import { type Connection, ISOLATION_LEVEL, Request, TYPES } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { startEmulator } from './support';
import { openTedious, run, sqlRequest, type TediousOptions } from './tedious-client';

let emulator: SqlServerEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: ['CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, name nvarchar(max));'],
  });
});

afterAll(async () => {
  await emulator?.close();
});

const open = (options?: TediousOptions): Promise<Connection> => openTedious(emulator, options);

describe('tedious against the stand-in', () => {
  it('runs the transaction() helper, whose transactions are always named', async () => {
    const connection = await open();
    await new Promise<void>((resolve, reject) =>
      connection.transaction((err, txDone) => {
        if (err) return reject(err);
        const request = new Request('INSERT INTO dbo.t (id) VALUES (1)', (e) =>
          txDone!(e, (e2?: Error | null) => (e2 ? reject(e2) : resolve())),
        );
        connection.execSql(request);
      }, ISOLATION_LEVEL.READ_COMMITTED),
    );
    expect((await sqlRequest(connection, 'SELECT COUNT(*) FROM dbo.t WHERE id = 1')).rows).toEqual([[1]]);
    connection.close();
  });

  it('refuses a TDS 7.1 login with a message instead of sending 7.4 tokens', async () => {
    await expect(open({ tdsVersion: '7_1' })).rejects.toThrow(/does not support TDS versions before 7.3/);
    const connection = await open({ tdsVersion: '7_3_B' });
    expect((await sqlRequest(connection, 'SELECT 1')).rows).toEqual([[1]]);
    connection.close();
  });

  it('keeps TEXTSIZE and DATEFIRST, cuts large values to TEXTSIZE, refuses other languages', async () => {
    const connection = await open({ textsize: 10, datefirst: 3 });
    await sqlRequest(connection, "INSERT INTO dbo.t (id, name) VALUES (2, N'abcdefghijkl')");
    const { rows } = await sqlRequest(
      connection,
      'SELECT @@TEXTSIZE, @@DATEFIRST, name FROM dbo.t WHERE id = 2',
    );
    expect(rows).toEqual([[10, 3, 'abcde']]);
    expect((await sqlRequest(connection, 'SET TEXTSIZE 0; SELECT @@TEXTSIZE')).rows).toEqual([[4096]]);
    // sp_executesql's SET ends with it.
    expect((await sqlRequest(connection, 'SELECT @@TEXTSIZE')).rows).toEqual([[10]]);
    await expect(sqlRequest(connection, 'SET LANGUAGE Deutsch')).rejects.toMatchObject({ number: 50000 });
    await expect(sqlRequest(connection, 'SET DATEFORMAT dmy')).rejects.toMatchObject({ number: 50000 });
    await expect(sqlRequest(connection, 'SET DATEFIRST 8')).rejects.toMatchObject({ number: 2742 });
    connection.close();
  });

  it("answers HOST_NAME() and APP_NAME() with the client's workstation and program names", async () => {
    const connection = await open({ workstationId: 'build-box-7', appName: 'nightly check' });
    expect((await sqlRequest(connection, 'SELECT HOST_NAME(), APP_NAME()')).rows).toEqual([
      ['build-box-7', 'nightly check'],
    ]);
    connection.close();
  });

  it('sends an ORDER token with the select-list positions of the ORDER BY columns', async () => {
    const connection = await open();
    const outcome = await sqlRequest(connection, 'SELECT id, name FROM dbo.t ORDER BY name, id');
    expect(outcome.order).toEqual([2, 1]);
    connection.close();
  });

  it('returns OUTPUT parameters of sp_executesql as RETURNVALUE tokens', async () => {
    const connection = await open();
    const outcome = await run(connection, (done) => {
      const request = new Request('SET @out = @in + 1', done);
      request.addParameter('in', TYPES.Int, 41);
      request.addOutputParameter('out', TYPES.Int);
      return request;
    });
    expect(outcome.returnValues).toEqual({ out: 42 });
    connection.close();
  });

  it('keeps #temporary tables per session and drops them when the session ends', async () => {
    const first = await open();
    const second = await open();
    await sqlRequest(first, 'CREATE TABLE #t (id int PRIMARY KEY, n bit); INSERT INTO #t VALUES (1, 1)');
    await sqlRequest(second, 'CREATE TABLE #t (id int PRIMARY KEY)');
    expect((await sqlRequest(first, 'SELECT #t.id, n & 1 FROM #t')).rows).toEqual([[1, 1]]);
    expect((await sqlRequest(second, 'SELECT COUNT(*) FROM #t')).rows).toEqual([[0]]);
    expect(
      (await sqlRequest(first, "SELECT CASE WHEN OBJECT_ID('tempdb..#t') IS NULL THEN 0 ELSE 1 END")).rows,
    ).toEqual([[1]]);
    const closed = once(first as unknown as EventEmitter, 'end');
    first.close();
    await closed;
    const third = await open();
    await expect(sqlRequest(third, 'SELECT * FROM #t')).rejects.toMatchObject({ number: 208 });
    second.close();
    third.close();
  });

  it('creates and describes geography and geometry columns, and refuses their values', async () => {
    const connection = await open();
    await sqlRequest(
      connection,
      'CREATE TABLE dbo.places (id int NOT NULL, g geography NULL, m geometry NULL)',
    );
    await sqlRequest(connection, 'INSERT INTO dbo.places (id) VALUES (1)');
    const described = await sqlRequest(
      connection,
      "SELECT c.name, c.system_type_id, c.user_type_id, c.max_length, i.DATA_TYPE FROM sys.columns c JOIN INFORMATION_SCHEMA.COLUMNS i ON i.COLUMN_NAME = c.name WHERE c.object_id = OBJECT_ID('dbo.places') AND i.TABLE_NAME = 'places' ORDER BY c.column_id",
    );
    expect(described.rows).toEqual([
      ['id', 56, 56, 4, 'int'],
      ['g', 240, 130, -1, 'geography'],
      ['m', 240, 129, -1, 'geometry'],
    ]);
    await expect(sqlRequest(connection, 'SELECT g FROM dbo.places')).rejects.toMatchObject({ number: 50000 });
    connection.close();
  });

  it('survives a client that drops its socket inside a transaction', async () => {
    const dropped = await open();
    await sqlRequest(dropped, 'BEGIN TRAN; INSERT INTO dbo.t (id) VALUES (3)');
    const closed = once(dropped as unknown as EventEmitter, 'end');
    (dropped as unknown as { socket: { destroy(): void } }).socket.destroy();
    await closed;
    const connection = await open();
    expect((await sqlRequest(connection, 'SELECT COUNT(*) FROM dbo.t WHERE id = 3')).rows).toEqual([[0]]);
    connection.close();
  });
});
