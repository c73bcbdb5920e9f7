/**
 * Change Tracking as SQL Server documents it, through the real `mssql` driver:
 * https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server,
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server,
 * https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql.
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

const SEED = `
CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(20) NOT NULL);
CREATE TABLE dbo.heap (id int NOT NULL, note nvarchar(20) NULL);
GO
INSERT INTO dbo.notes VALUES (1, N'one'), (2, N'two');`;

const TRACK = `
ALTER DATABASE shop SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);
ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING;`;

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeEach(async () => {
  emulator = await startEmulator({ seed: [SEED] });
  pool = await connect(emulator);
});

afterEach(async () => {
  await pool?.close();
  await emulator?.close();
});

const run = (text: string) => pool.request().batch(text);

/** mssql returns bigint as text. */
const currentVersion = async (reader: { request(): sql.Request } = pool) =>
  (await reader.request().query('SELECT CHANGE_TRACKING_CURRENT_VERSION() AS v')).recordset[0].v as
    string | null;

const minValidVersion = async () =>
  (await query(pool, "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID('dbo.notes')) AS v"))[0]!.v;

/** Net changes since `last`, ordered by key, as the CHANGETABLE page's example B lists them. */
const changes = async (last: number | null, reader: { request(): sql.Request } = pool) => {
  const request = reader.request().input('last', sql.BigInt, last);
  const result = await request.query(
    'SELECT id, SYS_CHANGE_VERSION AS version, SYS_CHANGE_CREATION_VERSION AS created, ' +
      'SYS_CHANGE_OPERATION AS op, SYS_CHANGE_COLUMNS AS cols, SYS_CHANGE_CONTEXT AS context ' +
      'FROM CHANGETABLE(CHANGES dbo.notes, @last) AS c ORDER BY id',
  );
  return result.recordset as { id: number; version: string; created: string | null; op: string }[];
};

const ops = async (last: number | null) => (await changes(last)).map((c) => [c.id, c.op, c.version]);

describe('enabling and disabling change tracking', () => {
  it('is off until ALTER DATABASE turns it on, with SQL Server errors for each wrong order', async () => {
    expect(await currentVersion()).toBeNull();
    expect(await query(pool, 'SELECT * FROM sys.change_tracking_databases')).toEqual([]);
    expect(await failure(run('ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING'))).toMatchObject({
      number: 1718,
      message:
        "Change tracking must be enabled on database 'shop' before it can be enabled on table 'notes'.",
    });
    expect(await failure(changes(0))).toMatchObject({
      number: 22105,
      message: "Change tracking is not enabled on table 'dbo.notes'.",
    });
    expect(await failure(run('ALTER DATABASE shop SET CHANGE_TRACKING (AUTO_CLEANUP = OFF)'))).toMatchObject({
      number: 5089,
      message:
        "Change tracking is disabled for database 'shop'. Change tracking must be enabled on a database to modify change tracking settings.",
    });
    expect(await failure(run('ALTER DATABASE master SET CHANGE_TRACKING = ON'))).toMatchObject({
      number: 5090,
    });

    await run('ALTER DATABASE CURRENT SET CHANGE_TRACKING = ON');
    expect(await query(pool, 'SELECT * FROM sys.change_tracking_databases')).toEqual([
      {
        database_id: 5,
        is_auto_cleanup_on: true,
        retention_period: 2,
        retention_period_units_desc: 'DAYS',
        retention_period_units: 3,
      },
    ]);
    expect(await currentVersion()).toBe('0');
    expect(await failure(run('ALTER DATABASE shop SET CHANGE_TRACKING = ON'))).toMatchObject({
      number: 5088,
      message: "Change tracking is already enabled for database 'shop'.",
    });
    await run('ALTER DATABASE shop SET CHANGE_TRACKING (CHANGE_RETENTION = 90 MINUTES, AUTO_CLEANUP = OFF)');
    expect(await query(pool, 'SELECT * FROM sys.change_tracking_databases')).toEqual([
      expect.objectContaining({
        is_auto_cleanup_on: false,
        retention_period: 90,
        retention_period_units_desc: 'MINUTES',
        retention_period_units: 1,
      }),
    ]);

    expect(await failure(run('ALTER TABLE dbo.heap ENABLE CHANGE_TRACKING'))).toMatchObject({
      number: 4997,
      message:
        "Cannot enable change tracking on table 'heap'. Change tracking requires a primary key on the table. Create a primary key on the table before enabling change tracking.",
    });
    await run('ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = OFF)');
    expect(await failure(run('ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING'))).toMatchObject({
      number: 4996,
      message: "Change tracking is already enabled for table 'notes'.",
    });
    expect(
      await query(pool, "SELECT *, OBJECT_ID('dbo.notes') AS notes FROM sys.change_tracking_tables"),
    ).toEqual([
      expect.objectContaining({
        is_track_columns_updated_on: false,
        begin_version: '0',
        cleanup_version: '0',
        min_valid_version: '0',
      }),
    ]);
    const [row] = await query<{ object_id: number; notes: number }>(
      pool,
      "SELECT object_id, OBJECT_ID('dbo.notes') AS notes FROM sys.change_tracking_tables",
    );
    expect(row!.object_id).toBe(row!.notes);

    expect(await failure(run('ALTER DATABASE shop SET CHANGE_TRACKING = OFF'))).toMatchObject({
      number: 22115,
    });
    await run('ALTER TABLE dbo.notes DISABLE CHANGE_TRACKING');
    expect(await failure(run('ALTER TABLE dbo.notes DISABLE CHANGE_TRACKING'))).toMatchObject({
      number: 4998,
      message: "Change tracking is not enabled on table 'notes'.",
    });
    expect(await failure(changes(0))).toMatchObject({ number: 22105 });
    await run('ALTER DATABASE shop SET CHANGE_TRACKING = OFF');
    expect(await currentVersion()).toBeNull();
    expect(await minValidVersion()).toBeNull();
  });

  it('refuses what it does not model with the stand-in error, not a guess', async () => {
    await run(TRACK);
    for (const text of [
      'ALTER TABLE dbo.notes DISABLE CHANGE_TRACKING; ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON)',
      'SELECT * FROM CHANGETABLE(VERSION dbo.notes, (id), (1)) AS c',
      'SELECT CHANGE_TRACKING_IS_COLUMN_IN_MASK(2, NULL)',
      'EXEC sys.sp_flush_CT_internal_table_on_demand',
    ]) {
      expect(await failure(run(text))).toMatchObject({ number: 50000 });
    }
    expect(await failure(run('SELECT * FROM CHANGETABLE(CHANGES dbo.notes, 0)'))).toMatchObject({
      number: 22104,
      message: 'A table returned by the CHANGETABLE function must be aliased.',
    });
  });
});

describe('versions and net changes', () => {
  beforeEach(() => run(TRACK));

  it('gives each committed transaction the next version, and every change of one statement or transaction that version', async () => {
    await run("INSERT INTO dbo.notes VALUES (3, N'three'), (4, N'four')");
    expect(await currentVersion()).toBe('1');
    await run(
      "BEGIN TRAN; UPDATE dbo.notes SET note = N'uno' WHERE id = 1; DELETE FROM dbo.notes WHERE id = 2; COMMIT",
    );
    expect(await currentVersion()).toBe('2');
    await run("BEGIN TRAN; UPDATE dbo.notes SET note = N'x' WHERE id = 3; ROLLBACK");
    await run("UPDATE dbo.notes SET note = N'none' WHERE id = 99");
    expect(await currentVersion()).toBe('2'); // neither the rollback nor an UPDATE of no row changed anything
    expect(await ops(0)).toEqual([
      [1, 'U', '2'],
      [2, 'D', '2'],
      [3, 'I', '1'],
      [4, 'I', '1'],
    ]);
    expect(await ops(1)).toEqual([
      [1, 'U', '2'],
      [2, 'D', '2'],
    ]);
    expect(await ops(2)).toEqual([]);
    // Rows present before tracking began have no creation version; SYS_CHANGE_COLUMNS is NULL without
    // column tracking, and no context was given.
    expect((await changes(0))[0]).toMatchObject({ id: 1, created: null, cols: null, context: null });
    expect((await changes(0))[2]).toMatchObject({ id: 3, created: '1' });
  });

  it('reports operations relative to the baseline: insert+update is I, insert+delete nothing, update+delete D, delete+insert U', async () => {
    await run("INSERT INTO dbo.notes VALUES (3, N'three'), (4, N'four')"); // 1
    await run("UPDATE dbo.notes SET note = N'THREE' WHERE id = 3"); // 2
    await run('DELETE FROM dbo.notes WHERE id = 4'); // 3
    await run("UPDATE dbo.notes SET note = N'uno' WHERE id = 1"); // 4
    await run('DELETE FROM dbo.notes WHERE id = 1'); // 5
    await run("DELETE FROM dbo.notes WHERE id = 2; INSERT INTO dbo.notes VALUES (2, N'again')"); // 6, 7
    expect(await ops(0)).toEqual([
      [1, 'D', '5'],
      [2, 'U', '7'],
      [3, 'I', '2'],
    ]);
    // The page's example: an insert at one version and an update at a later one is an update to a
    // client that already has the insert.
    expect(await ops(1)).toEqual([
      [1, 'D', '5'],
      [2, 'U', '7'],
      [3, 'U', '2'],
      [4, 'D', '3'],
    ]);
    expect(await ops(null)).toEqual(await ops(0));
  });

  it('tracks a primary-key update as a delete of the old key and an insert of the new one', async () => {
    const before = Number(await currentVersion());
    await run('UPDATE dbo.notes SET id = id + 10 WHERE id = 2');
    expect(await ops(before)).toEqual([
      [2, 'D', '1'],
      [12, 'I', '1'],
    ]);
  });

  it('joins to the table for the current values, deleted rows with NULLs (the documented pattern)', async () => {
    const before = Number(await currentVersion());
    await run(
      "INSERT INTO dbo.notes VALUES (5, N'five'); UPDATE dbo.notes SET note = N'deux' WHERE id = 2; DELETE FROM dbo.notes WHERE id = 1",
    );
    const request = pool.request().input('last', sql.BigInt, before);
    const { recordset } = await request.query(
      'SELECT ct.id, n.note, ct.SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.notes, @last) AS ct ' +
        'LEFT OUTER JOIN dbo.notes AS n ON n.id = ct.id ORDER BY ct.id',
    );
    expect(recordset).toEqual([
      { id: 1, note: null, op: 'D' },
      { id: 2, note: 'deux', op: 'U' },
      { id: 5, note: 'five', op: 'I' },
    ]);
  });
});

describe('the minimum valid version', () => {
  beforeEach(() => run(TRACK));

  it('is the version tracking began at, then rises with the cleanup and with TRUNCATE TABLE', async () => {
    await run("INSERT INTO dbo.notes VALUES (3, N'three')"); // 1
    await run('ALTER TABLE dbo.notes DISABLE CHANGE_TRACKING; ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING');
    expect(await minValidVersion()).toBe('1');
    expect(await ops(0)).toEqual([]); // the old information went with DISABLE
    await run("UPDATE dbo.notes SET note = N'uno' WHERE id = 1"); // 2
    await run("UPDATE dbo.notes SET note = N'dos' WHERE id = 2"); // 3

    await emulator.cleanupChangeTracking();
    expect(await minValidVersion()).toBe('3');
    expect(
      await query(
        pool,
        'SELECT begin_version, cleanup_version, min_valid_version FROM sys.change_tracking_tables',
      ),
    ).toEqual([{ begin_version: '1', cleanup_version: '3', min_valid_version: '3' }]);
    // A client at version 1 is now below the minimum: CHANGETABLE does not refuse it, its answer just
    // lacks what was cleaned up, which is why the client must compare versions itself.
    expect(await ops(1)).toEqual([]);

    await run("UPDATE dbo.notes SET note = N'tres' WHERE id = 3"); // 4
    expect(await ops(3)).toEqual([[3, 'U', '4']]);
    await run('TRUNCATE TABLE dbo.notes');
    expect(await minValidVersion()).toBe('4');
    expect(await ops(3)).toEqual([]);
    await run("INSERT INTO dbo.notes VALUES (7, N'seven')"); // 5
    expect(await ops(4)).toEqual([[7, 'I', '5']]);
  });
});

describe('under SNAPSHOT isolation', () => {
  beforeEach(() => run(`ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON; ${TRACK}`));

  it('reads one consistent version: later commits and cleanups stay invisible until the transaction ends', async () => {
    await run("INSERT INTO dbo.notes VALUES (3, N'three')"); // 1
    const transaction = new sql.Transaction(pool);
    await transaction.begin(sql.ISOLATION_LEVEL.SNAPSHOT);
    expect(await currentVersion(transaction)).toBe('1');
    const seen = await changes(0, transaction);

    try {
      await run("INSERT INTO dbo.notes VALUES (4, N'four'); UPDATE dbo.notes SET note = N'uno' WHERE id = 1"); // 2, 3
      await emulator.cleanupChangeTracking();
      expect(await currentVersion()).toBe('3');
      expect(await ops(0)).toEqual([]);

      expect(await currentVersion(transaction)).toBe('1');
      expect(await changes(0, transaction)).toEqual(seen);
      expect(seen.map((c) => [c.id, c.op])).toEqual([[3, 'I']]);
    } finally {
      await transaction.commit();
    }
    expect(await ops(1)).toEqual([]);
  });
});
