/**
 * Simple stored procedures and WAITFOR DELAY, through tedious as its own suite calls them: CREATE/DROP
 * PROCEDURE, EXEC in a batch, RPC by procedure name (callProcedure) with OUTPUT parameters and RETURN.
 */
import { Connection, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { PASSWORD, startEmulator } from './support';

let emulator: SqlServerEmulator;
let connection: Connection;

function config(): ConnectionConfiguration {
  return {
    server: '127.0.0.1',
    authentication: { type: 'default', options: { userName: emulator.user, password: PASSWORD } },
    options: { port: emulator.port, database: 'shop', encrypt: false, trustServerCertificate: true },
  };
}

function open(): Promise<Connection> {
  const c = new Connection(config());
  return new Promise((resolve, reject) => c.connect((err) => (err ? reject(err) : resolve(c))));
}

interface Outcome {
  rows: unknown[][];
  returnValues: Record<string, unknown>;
  returnStatus?: number;
  doneInProc: number;
  doneProc: number;
}

function run(
  build: (done: (err?: Error | null) => void) => Request,
  how: 'batch' | 'procedure' = 'batch',
  on: Connection = connection,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const outcome: Outcome = { rows: [], returnValues: {}, doneInProc: 0, doneProc: 0 };
    const request = build((err) => (err ? reject(err) : resolve(outcome)));
    request.on('row', (columns: { value: unknown }[]) => outcome.rows.push(columns.map((c) => c.value)));
    request.on('returnValue', (name: string, value: unknown) => (outcome.returnValues[name] = value));
    request.on('doneInProc', () => outcome.doneInProc++);
    request.on('doneProc', (_rows: unknown, _more: boolean, status: number) => {
      outcome.doneProc++;
      outcome.returnStatus = status;
    });
    if (how === 'batch') on.execSqlBatch(request);
    else on.callProcedure(request);
  });
}

const batch = (text: string, on?: Connection): Promise<Outcome> =>
  run((done) => new Request(text, done), 'batch', on);

async function error(promise: Promise<unknown>): Promise<{ number?: number; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { number?: number; message: string };
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  emulator = await startEmulator({ seed: ['CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY);'] });
  connection = await open();
});

afterAll(async () => {
  connection?.close();
  await emulator?.close();
});

describe('stored procedures', () => {
  it('callProcedure sends the parameters, returns OUTPUT values as RETURNVALUEs and status 0', async () => {
    await batch('CREATE PROCEDURE #echo @paramIn int, @paramOut int OUTPUT AS set @paramOut = @paramIn * 2');
    const outcome = await run((done) => {
      const r = new Request('#echo', done);
      r.addParameter('paramIn', TYPES.Int, 21);
      r.addOutputParameter('paramOut', TYPES.Int);
      return r;
    }, 'procedure');
    expect(outcome.returnValues).toEqual({ paramOut: 42 });
    expect(outcome.returnStatus).toBe(0);
  });

  it('a procedure body with BEGIN ... END, a default, a result set and RETURN n', async () => {
    await batch(`CREATE PROCEDURE dbo.pick (@id int, @extra nvarchar(10) = N'x')
AS
BEGIN
  SET NOCOUNT ON;
  INSERT INTO dbo.t (id) VALUES (@id);
  SELECT id, @extra AS extra FROM dbo.t WHERE id = @id;
  RETURN 7;
  SELECT 'never';
END`);
    const outcome = await run((done) => {
      const r = new Request('dbo.pick', done);
      r.addParameter('id', TYPES.Int, 5);
      return r;
    }, 'procedure');
    expect(outcome.rows).toEqual([[5, 'x']]);
    expect(outcome.returnStatus).toBe(7);
  });

  it('EXEC in a batch binds by name and position and copies OUTPUT back to the caller variable', async () => {
    await batch('CREATE PROC dbo.add2 @a int, @b int, @sum int OUT AS SET @sum = @a + @b');
    const outcome = await batch(
      'DECLARE @s int; EXEC dbo.add2 1, @b = 2, @sum = @s OUTPUT; EXECUTE add2 @a = 10, @b = 20, @sum = @s; SELECT @s',
    );
    expect(outcome.rows).toEqual([[3]]);
    expect(outcome.doneProc).toBeGreaterThanOrEqual(2);
  });

  it('answers SQL Server errors for a missing, an unknown and a surplus argument, and for duplicates', async () => {
    expect(await error(batch('EXEC dbo.add2 1'))).toMatchObject({
      number: 201,
      message: "Procedure or function 'add2' expects parameter '@b', which was not supplied.",
    });
    expect(await error(batch('EXEC dbo.add2 @zz = 1'))).toMatchObject({ number: 8145 });
    expect(await error(batch('DECLARE @s int; EXEC dbo.add2 1, 2, @s OUTPUT, 4'))).toMatchObject({
      number: 8144,
    });
    expect(await error(batch('EXEC dbo.nope'))).toMatchObject({
      number: 2812,
      message: "Could not find stored procedure 'dbo.nope'.",
    });
    expect(await error(batch('CREATE PROC dbo.add2 AS SELECT 1'))).toMatchObject({ number: 2714 });
    expect(await error(batch('SELECT 1; CREATE PROC dbo.x AS SELECT 1'))).toMatchObject({ number: 111 });
  });

  it('DROP PROCEDURE removes it; a missing one is 3701 unless IF EXISTS', async () => {
    await batch('CREATE PROCEDURE dbo.gone AS SELECT 1');
    await batch('DROP PROCEDURE dbo.gone');
    expect(await error(batch('EXEC dbo.gone'))).toMatchObject({ number: 2812 });
    expect(await error(batch('DROP PROC dbo.gone'))).toMatchObject({ number: 3701 });
    await batch('DROP PROCEDURE IF EXISTS dbo.gone');
  });

  it('a temporary procedure belongs to its session; a permanent one is seen by all', async () => {
    const other = await open();
    try {
      expect(await error(batch('EXEC #echo 1, 2', other))).toMatchObject({ number: 2812 });
      expect((await batch('DECLARE @s int; EXEC dbo.add2 2, 3, @s OUTPUT; SELECT @s', other)).rows).toEqual([
        [5],
      ]);
    } finally {
      other.close();
    }
  });

  it('BEGIN/COMMIT inside a procedure nests in the caller transaction', async () => {
    await batch('CREATE TABLE #tx (id int)');
    await batch(
      'CREATE PROCEDURE #tp AS SET NOCOUNT ON; begin transaction insert into #tx (id) values(1) commit transaction',
    );
    await batch('BEGIN TRAN; EXEC #tp; SELECT @@TRANCOUNT; ROLLBACK');
    expect((await batch('SELECT COUNT(*) FROM #tx')).rows).toEqual([[0]]);
    await batch('BEGIN TRAN; EXEC #tp; COMMIT');
    expect((await batch('SELECT COUNT(*) FROM #tx')).rows).toEqual([[1]]);
  });
});

describe('scoping', () => {
  it('SET NOCOUNT ON inside a procedure ends with it', async () => {
    await batch('CREATE PROCEDURE #quiet AS SET NOCOUNT ON; SELECT 1');
    await batch('EXEC #quiet');
    const counted = await new Promise<number | undefined>((resolve, reject) =>
      connection.execSqlBatch(
        new Request('SELECT id FROM dbo.t', (err, rowCount) => (err ? reject(err) : resolve(rowCount))),
      ),
    );
    expect(counted).toBe(1);
  });

  it("EXEC ('...') runs a string as a batch of its own scope, CREATE PROCEDURE included", async () => {
    await batch(
      `exec('create procedure #dyn @in int, @out int = NULL OUTPUT as begin set @out = @in + 1 return 0 end')`,
    );
    expect((await batch('DECLARE @o int; EXEC #dyn 41, @o OUTPUT; SELECT @o')).rows).toEqual([[42]]);
    expect(await error(batch("DECLARE @x int = 1; EXEC ('SELECT @x')"))).toMatchObject({ number: 137 });
  });
});

describe('SET XACT_ABORT ON', () => {
  it('rolls the open transaction back when a statement fails', async () => {
    const other = await open();
    try {
      await batch('CREATE TABLE #xa (v varchar(5)); SET XACT_ABORT ON', other);
      const failure = await error(
        batch("BEGIN TRAN; INSERT INTO #xa VALUES ('ok'); INSERT INTO #xa VALUES ('too long')", other),
      );
      expect(failure.message).toMatch(/^String or binary data would be truncated/);
      expect((await batch('SELECT @@TRANCOUNT', other)).rows).toEqual([[0]]);
      expect((await batch('SELECT COUNT(*) FROM #xa', other)).rows).toEqual([[0]]);
    } finally {
      other.close();
    }
  });
});

describe('WAITFOR DELAY', () => {
  it('waits for the delay', async () => {
    const start = Date.now();
    await batch("WAITFOR DELAY '00:00:00.300'; SELECT 1");
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
  });

  it('is cut short by a cancel (ATTENTION)', async () => {
    const start = Date.now();
    const outcome = run((done) => {
      const r = new Request("WAITFOR DELAY '00:00:30'", done);
      setTimeout(() => connection.cancel(), 100);
      return r;
    });
    expect((await error(outcome)).message).toMatch(/Canceled/);
    expect(Date.now() - start).toBeLessThan(5000);
    expect((await batch('SELECT 2')).rows).toEqual([[2]]);
  });

  it('rejects a malformed time with 148', async () => {
    expect(await error(batch("WAITFOR DELAY '1 minute'"))).toMatchObject({ number: 148 });
  });

  it('refuses savepoints rather than pretending', async () => {
    expect(await error(batch('BEGIN TRAN; SAVE TRANSACTION sp1'))).toMatchObject({ number: 50000 });
    await batch('IF @@TRANCOUNT > 0 ROLLBACK');
  });
});

describe('RAISERROR', () => {
  /** Runs a batch; resolves with its error (if any), info messages and rows: RAISERROR may not end it. */
  function raised(
    build: (done: (err?: Error | null) => void) => Request,
    how: 'batch' | 'procedure' = 'batch',
  ): Promise<{
    error?: Record<string, unknown>;
    infos: { number: number; message: string; class: number; state: number }[];
    rows: unknown[][];
  }> {
    return new Promise((resolve) => {
      const infos: { number: number; message: string; class: number; state: number }[] = [];
      const rows: unknown[][] = [];
      const request = build((err) =>
        resolve({ error: err ? { ...err, message: err.message } : undefined, infos, rows }),
      );
      request.on('row', (columns: { value: unknown }[]) => rows.push(columns.map((c) => c.value)));
      const onInfo = (info: { number: number; message: string; class: number; state: number }): void => {
        infos.push({ number: info.number, message: info.message, class: info.class, state: info.state });
      };
      connection.on('infoMessage', onInfo);
      request.on('requestCompleted', () => connection.off('infoMessage', onInfo));
      if (how === 'batch') connection.execSqlBatch(request);
      else connection.callProcedure(request);
    });
  }

  it('raises error 50000 with its severity, state, line and procedure, and the batch goes on', async () => {
    await batch("CREATE PROCEDURE #boom AS\nRAISERROR('test error message', 14, 42)");
    const called = await raised((done) => new Request('#boom', done), 'procedure');
    expect(called.error).toMatchObject({
      number: 50000,
      message: 'test error message',
      class: 14,
      state: 42,
      procName: '#boom',
      lineNumber: 2,
    });
    const inBatch = await raised((done) => new Request("RAISERROR('first', 16, 1); SELECT 2", done));
    expect(inBatch.error).toMatchObject({ number: 50000, message: 'first', class: 16, state: 1 });
    expect(inBatch.rows).toEqual([[2]]);
  });

  it('formats its arguments as printf does; severity 10 and below is an informational message', async () => {
    const outcome = await raised(
      (done) =>
        new Request(
          "RAISERROR(N'%s has %d rows (%5.3d|%-4x|%X|%o|%%|%s)', 10, 3, N'orders', 42, 7, 255, 255, 8); SELECT 1",
          done,
        ),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.infos).toContainEqual({
      number: 50000,
      message: 'orders has 42 rows (  007|ff  |FF|10|%|(null))',
      class: 0,
      state: 3,
    });
    expect(outcome.rows).toEqual([[1]]);
    expect((await raised((done) => new Request("RAISERROR('%d', 16, 1, N'x')", done))).error).toMatchObject({
      number: 2786,
    });
  });

  it('refuses message numbers, severities above 18, THROW and TRY ... CATCH (50000)', async () => {
    expect(await error(batch("THROW 50001, 'x', 1"))).toMatchObject({ number: 50000 });
    expect(await error(batch('BEGIN TRY SELECT 1 END TRY BEGIN CATCH SELECT 2 END CATCH'))).toMatchObject({
      number: 50000,
    });
    expect(await error(batch('RAISERROR(50001, 16, 1)'))).toMatchObject({ number: 50000 });
    expect(await error(batch("RAISERROR('x', 20, 1) WITH LOG"))).toMatchObject({ number: 50000 });
  });
});
