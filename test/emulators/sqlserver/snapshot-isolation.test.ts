/**
 * SNAPSHOT isolation as SQL Server documents it, through `mssql` transactions: refused (3952) until the
 * database allows it, then a transaction that keeps reading what was committed when it began while
 * another session writes; a table created since it began is refused (3961), not read half-way.
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

const SEED = `
CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(20) NOT NULL);
GO
INSERT INTO dbo.notes VALUES (1, N'one'), (2, N'two');`;

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

const snapshotState = () =>
  query(
    pool,
    'SELECT name, snapshot_isolation_state, snapshot_isolation_state_desc FROM sys.databases ORDER BY database_id',
  );

async function snapshotTransaction(): Promise<sql.Transaction> {
  const transaction = new sql.Transaction(pool);
  await transaction.begin(sql.ISOLATION_LEVEL.SNAPSHOT);
  return transaction;
}

const notes = async (reader: { request(): sql.Request }) =>
  (await reader.request().query('SELECT id, note FROM dbo.notes ORDER BY id')).recordset as unknown[];

describe('SNAPSHOT isolation', () => {
  it('is off in a new database (on in master), and refused there with 3952 until ALTER DATABASE allows it', async () => {
    expect(await snapshotState()).toEqual([
      { name: 'master', snapshot_isolation_state: 1, snapshot_isolation_state_desc: 'ON' },
      { name: 'shop', snapshot_isolation_state: 0, snapshot_isolation_state_desc: 'OFF' },
    ]);
    const transaction = await snapshotTransaction();
    expect(await failure(notes(transaction))).toMatchObject({
      number: 3952,
      message:
        "Snapshot isolation transaction failed accessing database 'shop' because snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow snapshot isolation.",
    });
    await transaction.rollback();

    await pool.request().batch('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
    expect((await snapshotState())[1]).toMatchObject({ snapshot_isolation_state: 1 });
    const allowed = await snapshotTransaction();
    expect(await notes(allowed)).toHaveLength(2);
    await allowed.commit();
  });

  it('keeps reading what was committed when the transaction began while another session writes', async () => {
    await pool.request().batch('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
    const transaction = await snapshotTransaction();
    const before = await notes(transaction);
    await pool
      .request()
      .batch(
        "UPDATE dbo.notes SET note = N'changed' WHERE id = 1; INSERT INTO dbo.notes VALUES (3, N'three')",
      );
    expect(await notes(transaction)).toEqual(before);
    await transaction.commit();
    expect(await notes(pool)).toEqual([
      { id: 1, note: 'changed' },
      { id: 2, note: 'two' },
      { id: 3, note: 'three' },
    ]);
  });

  it('takes SET TRANSACTION ISOLATION LEVEL SNAPSHOT in a batch, and refuses a table created since BEGIN (3961)', async () => {
    await pool.request().batch('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
    const transaction = new sql.Transaction(pool);
    await transaction.begin();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.request().batch('CREATE TABLE dbo.later (id int NOT NULL)');
    // Begun at READ COMMITTED: switching to SNAPSHOT inside it is refused (3951).
    await transaction.request().batch('SET TRANSACTION ISOLATION LEVEL SNAPSHOT');
    expect(await failure(notes(transaction))).toMatchObject({ number: 3951 });
    await transaction.rollback().catch(() => undefined);

    const [row] = await query<{ n: number }>(
      pool,
      'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN; SELECT COUNT(*) AS n FROM dbo.notes; COMMIT',
    );
    expect(row).toEqual({ n: 2 });
    const snapshot = await snapshotTransaction();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.request().batch('DROP TABLE dbo.later; CREATE TABLE dbo.later (id int NOT NULL)');
    expect(await failure(snapshot.request().query('SELECT id FROM dbo.later'))).toMatchObject({
      number: 3961,
      message: expect.stringMatching(
        /^Snapshot isolation transaction failed in database 'shop' because the object accessed by the statement has been modified by a DDL statement/,
      ),
    });
    await snapshot.rollback().catch(() => undefined);
  });

  it('refuses ALTER DATABASE inside a transaction (226) and any other ALTER clearly', async () => {
    const transaction = new sql.Transaction(pool);
    await transaction.begin();
    expect(
      await failure(transaction.request().batch('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON')),
    ).toMatchObject({ number: 226 });
    await transaction.rollback();
    expect(
      await failure(pool.request().batch('ALTER DATABASE shop SET READ_COMMITTED_SNAPSHOT ON')),
    ).toMatchObject({
      message: expect.stringMatching(
        /does not support ALTER DATABASE other than SET ALLOW_SNAPSHOT_ISOLATION/,
      ),
    });
  });
});
