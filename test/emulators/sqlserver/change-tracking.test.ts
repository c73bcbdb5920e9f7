/**
 * Change Tracking as SQL Server documents it, through the real `mssql` driver:
 * https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server,
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server,
 * https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { mapColumn } from '../../../src/mapping/type-map';
import {
  CURRENT_VERSION_QUERY,
  DATABASE_CHANGE_TRACKING_QUERY,
  changesQuery,
  enableDatabaseChangeTrackingStatement,
  enableTableChangeTrackingStatement,
  minValidVersionQuery,
  tableChangeTrackingQuery,
} from '../../../src/sql/sqlserver/change-tracking';
import { column } from '../../support/columns';
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
    expect(await failure(emulator.bulkInsert('dbo.notes', ['id', 'note'], [[9, 'nine']]))).toMatchObject({
      number: 50000,
    });
    for (const text of [
      'ALTER TABLE dbo.notes DISABLE CHANGE_TRACKING; ALTER TABLE dbo.notes ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON)',
      'SELECT * FROM CHANGETABLE(VERSION dbo.notes, (id), (1)) AS c',
      'SELECT CHANGE_TRACKING_IS_COLUMN_IN_MASK(2, NULL)',
      'EXEC sys.sp_flush_CT_internal_table_on_demand',
      "WITH CHANGE_TRACKING_CONTEXT (0x01) INSERT INTO dbo.notes VALUES (9, N'nine')",
      'CREATE TABLE #t (id int PRIMARY KEY); ALTER TABLE #t ENABLE CHANGE_TRACKING',
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

  it('hands concurrent sessions distinct versions in commit order', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => run(`INSERT INTO dbo.notes VALUES (${10 + i}, N'n${i}')`)),
    );
    expect(await currentVersion()).toBe('8');
    const versions = (await changes(0)).map((c) => Number(c.version));
    expect(versions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('tracks rows loaded through INSERT BULK like inserted ones', async () => {
    const rows = new sql.Table('dbo.notes');
    rows.columns.add('id', sql.Int, { nullable: false });
    rows.columns.add('note', sql.NVarChar(20), { nullable: false });
    rows.rows.add(5, 'five');
    rows.rows.add(6, 'six');
    await pool.request().bulk(rows);
    expect(await ops(0)).toEqual([
      [5, 'I', '1'],
      [6, 'I', '1'],
    ]);
  });

  it('tracks a primary-key update as a delete of the old key and an insert of the new one', async () => {
    const before = Number(await currentVersion());
    await run('UPDATE dbo.notes SET id = id + 10 WHERE id = 2');
    expect(await ops(before)).toEqual([
      [2, 'D', '1'],
      [12, 'I', '1'],
    ]);
  });

  it('tracks an update of a text or uniqueidentifier key the same way, keys compared as SQL Server compares them', async () => {
    await run(
      'CREATE TABLE dbo.tags (tag nvarchar(20) NOT NULL, id uniqueidentifier NOT NULL, PRIMARY KEY (tag, id)); ' +
        "INSERT INTO dbo.tags VALUES (N'red', '6F9619FF-8B86-D011-B42D-00C04FC964FF'); " +
        'ALTER TABLE dbo.tags ENABLE CHANGE_TRACKING',
    );
    const before = Number(await currentVersion());
    await run(
      "UPDATE dbo.tags SET tag = N'Blue', id = '0E984725-C51C-4BF4-9960-E1C80E27ABA0' WHERE tag = N'RED'",
    );
    const { recordset } = await pool
      .request()
      .input('last', sql.BigInt, before)
      .query(
        'SELECT c.tag, c.id, c.SYS_CHANGE_OPERATION AS op, t.tag AS current_tag FROM CHANGETABLE(CHANGES dbo.tags, @last) AS c ' +
          'LEFT JOIN dbo.tags AS t ON t.tag = c.tag AND t.id = c.id ORDER BY c.tag',
      );
    expect(recordset).toEqual([
      { tag: 'Blue', id: '0E984725-C51C-4BF4-9960-E1C80E27ABA0', op: 'I', current_tag: 'Blue' },
      { tag: 'red', id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', op: 'D', current_tag: null },
    ]);
    // 'blue' is the key 'Blue' under the collation: deleting one and inserting the other updates the key.
    const after = Number(await currentVersion());
    await run(
      "DELETE FROM dbo.tags WHERE tag = N'Blue'; INSERT INTO dbo.tags VALUES (N'blue', '0E984725-C51C-4BF4-9960-E1C80E27ABA0')",
    );
    const again = await pool
      .request()
      .input('last', sql.BigInt, after)
      .query('SELECT tag, SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.tags, @last) AS c');
    expect(again.recordset).toEqual([{ tag: 'blue', op: 'U' }]);
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
    // TRUNCATE commits with a version of its own (5), which becomes the minimum: a client that read up
    // to 4 just before it is below the minimum, so it knows the removed rows were never reported.
    await run('TRUNCATE TABLE dbo.notes'); // 5
    expect(await currentVersion()).toBe('5');
    expect(await minValidVersion()).toBe('5');
    expect(await ops(3)).toEqual([]);
    await run("INSERT INTO dbo.notes VALUES (7, N'seven')"); // 6
    expect(await ops(5)).toEqual([[7, 'I', '6']]);
  });

  it('rises with a TRUNCATE only when its transaction commits', async () => {
    await run("INSERT INTO dbo.notes VALUES (3, N'three')"); // 1
    await run('BEGIN TRANSACTION; TRUNCATE TABLE dbo.notes; ROLLBACK');
    expect(await currentVersion()).toBe('1');
    expect(await minValidVersion()).toBe('0');
    expect(await ops(0)).toEqual([[3, 'I', '1']]);
    // Truncated, then written, in one transaction: one version, and only the rows written after count.
    await run(
      "BEGIN TRANSACTION; TRUNCATE TABLE dbo.notes; INSERT INTO dbo.notes VALUES (8, N'eight'); COMMIT",
    ); // 2
    expect(await currentVersion()).toBe('2');
    expect(await minValidVersion()).toBe('2');
    expect(await ops(0)).toEqual([[8, 'I', '2']]);
    expect(await query(pool, 'SELECT id FROM dbo.notes')).toEqual([{ id: 8 }]);
  });
});

describe('with --data', () => {
  it('keeps settings, versions and changes across a restart, and a dropped table takes its changes along', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-ct-'));
    const dataFile = join(dir, 'data.duckdb');
    try {
      const first = await startEmulator({ dataFile, seed: [SEED, TRACK] });
      await first.exec("UPDATE dbo.notes SET note = N'uno' WHERE id = 1"); // 1
      await first.exec("INSERT INTO dbo.notes VALUES (3, N'three')"); // 2
      await first.exec(
        'CREATE TABLE dbo.gone (id int PRIMARY KEY); ALTER TABLE dbo.gone ENABLE CHANGE_TRACKING',
      );
      await first.exec('INSERT INTO dbo.gone VALUES (1); DROP TABLE dbo.gone'); // 3
      await first.close();
      const second = await startEmulator({ dataFile });
      const p = await connect(second);
      try {
        expect(await currentVersion(p)).toBe('3');
        await query(p, 'DELETE FROM dbo.notes WHERE id = 2'); // 4
        expect((await changes(0, p)).map((c) => [c.id, c.op, c.version])).toEqual([
          [1, 'U', '1'],
          [2, 'D', '4'],
          [3, 'I', '2'],
        ]);
        expect(await query(p, 'SELECT COUNT(*) AS n FROM sys.change_tracking_tables')).toEqual([{ n: 1 }]);
      } finally {
        await p.close();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe("the migrator's Change Tracking queries", () => {
  const table = { schema: 'dbo', table: 'events' };
  const region = column('region', 'nvarchar', { charMaxLength: 50, nullable: false });
  const id = column('id', 'uniqueidentifier', { nullable: false });
  const placed = column('placed', 'datetimeoffset', { datetimePrecision: 7 });
  const columns = [region, id, placed].map((c) => mapColumn('t', c));
  const A = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
  const B = '0E984725-C51C-4BF4-9960-E1C80E27ABA0';

  it('find tracking off, then read versions and the changed rows losslessly in a SNAPSHOT transaction', async () => {
    await run(
      'CREATE TABLE dbo.events (region nvarchar(50) NOT NULL, id uniqueidentifier NOT NULL, ' +
        'placed datetimeoffset(7) NULL, PRIMARY KEY (region, id))',
    );
    expect(await query(pool, DATABASE_CHANGE_TRACKING_QUERY)).toEqual([]);
    expect(await query(pool, minValidVersionQuery(table))).toEqual([{ min_valid_version: null }]);
    await run(
      `ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON; ${enableDatabaseChangeTrackingStatement('shop')}; ` +
        enableTableChangeTrackingStatement(table),
    );
    expect(await query(pool, DATABASE_CHANGE_TRACKING_QUERY)).toEqual([
      { is_auto_cleanup_on: true, retention_period: 2, retention_period_units_desc: 'DAYS' },
    ]);
    expect(await query(pool, tableChangeTrackingQuery(table))).toEqual([
      { begin_version: '0', min_valid_version: '0' },
    ]);
    await run(
      `INSERT INTO dbo.events VALUES (N'EU', '${A}', '2024-05-01 10:00:00.1234567 +02:00'), (N'US', '${B}', NULL)`,
    );
    await run(`DELETE FROM dbo.events WHERE id = '${B}'`);
    await run(`INSERT INTO dbo.events VALUES (N'US', '${B}', '2024-06-01 00:00:00 -05:00')`);

    const transaction = new sql.Transaction(pool);
    await transaction.begin(sql.ISOLATION_LEVEL.SNAPSHOT);
    try {
      const read = async (text: string, params: Record<string, string> = {}) => {
        const request = transaction.request();
        for (const [name, value] of Object.entries(params)) request.input(name, sql.NVarChar(4000), value);
        return (await request.query(text)).recordset as Record<string, unknown>[];
      };
      expect(await read(minValidVersionQuery(table))).toEqual([{ min_valid_version: '0' }]);
      expect(await read(CURRENT_VERSION_QUERY)).toEqual([{ current_version: '3' }]);
      const since = async (last: string) => {
        const q = changesQuery(table, columns, [region, id], last);
        const rows = await read(q.text, q.params);
        return rows.sort((a, b) => String(a.region).localeCompare(String(b.region)));
      };
      expect(await since('0')).toEqual([
        {
          sys_change_version: '1',
          sys_change_operation: 'I',
          region: 'EU',
          id: A,
          placed: '2024-05-01 10:00:00.1234567 +02:00',
        },
        // Inserted (1), deleted (2) and inserted again (3) after the baseline: still an insert.
        {
          sys_change_version: '3',
          sys_change_operation: 'I',
          region: 'US',
          id: B,
          placed: '2024-06-01 00:00:00.0000000 -05:00',
        },
      ]);
      expect(await since('1')).toEqual([
        {
          sys_change_version: '3',
          sys_change_operation: 'U',
          region: 'US',
          id: B,
          placed: '2024-06-01 00:00:00.0000000 -05:00',
        },
      ]);
      await run(`DELETE FROM dbo.events WHERE region = N'EU'`);
      expect(await since('3')).toEqual([]);
    } finally {
      await transaction.commit();
    }
    const q = changesQuery(table, columns, [region, id], '3');
    expect(await query(pool, q.text, q.params)).toEqual([
      { sys_change_version: '4', sys_change_operation: 'D', region: 'EU', id: A, placed: null },
    ]);
  });
});
