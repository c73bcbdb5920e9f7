/**
 * Bulk load through tedious' BulkLoad: INSERT BULK, then the rows in a BULK_LOAD message, answered with
 * the row count; NULLs take defaults unless KEEP_NULLS; an ORDER hint on the clustered key is checked;
 * cancelling leaves nothing loaded.
 */
import type { BulkLoad, Connection } from 'tedious';
import { TYPES } from 'tedious';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { startEmulator } from './support';
import { openTedious, sqlRequest } from './tedious-client';

let emulator: SqlServerEmulator;
let connection: Connection;

beforeAll(async () => {
  emulator = await startEmulator();
  connection = await openTedious(emulator);
});

afterAll(async () => {
  connection?.close();
  await emulator?.close();
});

type Options = Parameters<Connection['newBulkLoad']>[1];

/** Runs a bulk load of `rows` into `table` with the columns `define` adds; resolves with the row count. */
function bulkLoad(
  table: string,
  options: Options,
  define: (bulk: BulkLoad) => void,
  rows: unknown[][],
  start: (bulk: BulkLoad) => void = (bulk) => connection.execBulkLoad(bulk, rows),
): Promise<number> {
  return new Promise((resolve, reject) => {
    const bulk = connection.newBulkLoad(table, options, (err, rowCount) =>
      err ? reject(err) : resolve(rowCount ?? -1),
    );
    define(bulk);
    start(bulk);
  });
}

const rowsOf = async (text: string): Promise<unknown[][]> => (await sqlRequest(connection, text)).rows;

describe('bulk load (INSERT BULK and BULK_LOAD)', () => {
  it('loads rows of several types, converted to the column types, and answers the row count', async () => {
    await sqlRequest(
      connection,
      'CREATE TABLE dbo.people (id int NOT NULL PRIMARY KEY, name nvarchar(50) NULL, born datetime2(3) NULL, note text NULL, photo image NULL, score decimal(9, 2) NULL)',
    );
    const count = await bulkLoad(
      'dbo.people',
      {},
      (bulk) => {
        bulk.addColumn('id', TYPES.Int, { nullable: false });
        bulk.addColumn('name', TYPES.NVarChar, { length: 50, nullable: true });
        bulk.addColumn('born', TYPES.DateTime2, { scale: 3, nullable: true });
        bulk.addColumn('note', TYPES.Text, { nullable: true });
        bulk.addColumn('photo', TYPES.Image, { nullable: true });
        bulk.addColumn('score', TYPES.Decimal, { precision: 9, scale: 2, nullable: true });
      },
      [
        [1, 'Ada 😀', new Date(Date.UTC(1815, 11, 10, 8, 30, 0, 123)), 'first', Buffer.from([1, 2]), 12.5],
        [2, null, null, null, null, null],
      ],
    );
    expect(count).toBe(2);
    expect(
      await rowsOf(
        'SELECT id, name, CONVERT(varchar(30), born, 121), note, photo, CONVERT(varchar(20), score) FROM dbo.people ORDER BY id',
      ),
    ).toEqual([
      [1, 'Ada 😀', '1815-12-10 08:30:00.123', 'first', Buffer.from([1, 2]), '12.50'],
      [2, null, null, null, null, null],
    ]);
  });

  it('gives NULLs the column default unless KEEP_NULLS, and numbers an identity column itself', async () => {
    await sqlRequest(connection, 'CREATE TABLE #d (n int IDENTITY(10, 1), v int NULL DEFAULT 253565)');
    const define = (bulk: BulkLoad): void => {
      bulk.addColumn('n', TYPES.Int, { nullable: false });
      bulk.addColumn('v', TYPES.Int, { nullable: true });
    };
    expect(await bulkLoad('#d', {}, define, [[99, null]])).toBe(1);
    expect(await bulkLoad('#d', { keepNulls: true }, define, [[99, null]])).toBe(1);
    expect(await rowsOf('SELECT n, v FROM #d ORDER BY n')).toEqual([
      [10, 253565],
      [11, null],
    ]);
  });

  it('refuses rows out of the order an ORDER hint on the clustered key promised (4819), loading none', async () => {
    await sqlRequest(connection, 'CREATE TABLE #o (id int NOT NULL PRIMARY KEY, name nvarchar(20) NOT NULL)');
    const define = (bulk: BulkLoad): void => {
      bulk.addColumn('id', TYPES.Int, { nullable: false });
      bulk.addColumn('name', TYPES.NVarChar, { length: 20, nullable: false });
    };
    const rows = [
      [1, 'a'],
      [3, 'c'],
      [2, 'b'],
    ];
    await expect(bulkLoad('#o', { order: { id: 'ASC' } }, define, rows)).rejects.toMatchObject({
      number: 4819,
      message:
        'Cannot bulk load. The bulk data stream was incorrectly specified as sorted or the data violates a uniqueness constraint imposed by the target table. Sort order incorrect for the following two rows: primary key of first row: (3), primary key of second row: (2).',
    });
    expect(await rowsOf('SELECT COUNT(*) FROM #o')).toEqual([[0]]);
    // A hint on a column that is not the clustered key is ignored, as SQL Server ignores it.
    expect(await bulkLoad('#o', { order: { name: 'DESC' } }, define, rows)).toBe(3);
  });

  it('names an unknown column (207) and a missing table (208) when INSERT BULK arrives', async () => {
    const define = (bulk: BulkLoad): void => bulk.addColumn('nope', TYPES.Int, { nullable: true });
    await expect(bulkLoad('dbo.people', {}, define, [[1]])).rejects.toMatchObject({ number: 207 });
    await expect(bulkLoad('dbo.missing', {}, define, [[1]])).rejects.toMatchObject({ number: 208 });
  });

  it('loads nothing when the client cancels a streaming load, and the connection goes on', async () => {
    await sqlRequest(connection, 'CREATE TABLE #s (i int NOT NULL PRIMARY KEY)');
    const cancelled = bulkLoad(
      '#s',
      {},
      (bulk) => bulk.addColumn('i', TYPES.Int, { nullable: false }),
      [],
      (bulk) => {
        const stream = connection.execBulkLoad(
          bulk,
          (async function* () {
            for (let i = 0; ; i++) {
              yield [i];
              if (i === 500) bulk.cancel();
              await new Promise((resolve) => setImmediate(resolve));
            }
          })(),
        );
        return stream;
      },
    );
    await expect(cancelled).rejects.toMatchObject({ code: 'ECANCEL' });
    expect(await rowsOf('SELECT COUNT(*) FROM #s')).toEqual([[0]]);
  });
});
