/**
 * The session's isolation level as SQL Server reports it (DBCC USEROPTIONS,
 * https://learn.microsoft.com/en-us/sql/t-sql/database-console-commands/dbcc-useroptions-transact-sql), and
 * the migrator's reads setting theirs explicitly: mssql lends a pooled connection again as it was, and a
 * level stays set on a session until it is set again, so a batch after a snapshot batch on the same
 * connection would otherwise read at SNAPSHOT.
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { withSourceReads, type SourceReader } from '../../../src/sqlserver/read-transaction';
import { connect, failure, startEmulator } from './support';

let emulator: SqlServerEmulator;
const pools: sql.ConnectionPool[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    seed: [
      'CREATE TABLE dbo.items (id int NOT NULL PRIMARY KEY);\nGO\nALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON',
    ],
  });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(() => emulator?.close());

async function pool(max = 8): Promise<sql.ConnectionPool> {
  const p = await connect(emulator, { pool: { max } });
  pools.push(p);
  return p;
}

async function userOptions(reader: SourceReader, text = 'DBCC USEROPTIONS'): Promise<Record<string, string>> {
  const { recordset } = await reader.request().query<{ 'Set Option': string; Value: string }>(text);
  return Object.fromEntries(recordset.map((r) => [r['Set Option'], r.Value]));
}

const isolationOf = async (reader: SourceReader) => (await userOptions(reader))['isolation level'];

describe('DBCC USEROPTIONS', () => {
  it("lists the documented entries with the session's values after tedious' login", async () => {
    const p = await pool(1);
    const infos: { number: number; message: string }[] = [];
    const request = p.request();
    request.on('info', (info: { number: number; message: string }) => infos.push(info));
    const { recordset } = await request.batch('DBCC USEROPTIONS');
    expect(recordset.map((r: Record<string, string>) => [r['Set Option'], r.Value])).toEqual([
      ['textsize', '2147483647'],
      ['language', 'us_english'],
      ['dateformat', 'mdy'],
      ['datefirst', '7'],
      ['lock_timeout', '-1'],
      ['quoted_identifier', 'SET'],
      ['arithabort', 'SET'],
      ['ansi_null_dflt_on', 'SET'],
      ['ansi_warnings', 'SET'],
      ['ansi_padding', 'SET'],
      ['ansi_nulls', 'SET'],
      ['concat_null_yields_null', 'SET'],
      ['isolation level', 'read committed'],
    ]);
    expect(infos).toMatchObject([
      {
        number: 2528,
        message:
          'DBCC execution completed. If DBCC printed error messages, contact your system administrator.',
      },
    ]);
    const quiet = p.request();
    const none: unknown[] = [];
    quiet.on('info', (info) => none.push(info));
    await quiet.batch('DBCC USEROPTIONS WITH NO_INFOMSGS');
    expect(none).toEqual([]);
  });

  it('reports the level a SET or a transaction left on the session', async () => {
    const p = await pool(1);
    await p.request().batch('SET TRANSACTION ISOLATION LEVEL SNAPSHOT; SET DATEFIRST 1; SET TEXTSIZE 0');
    expect(await userOptions(p)).toMatchObject({
      'isolation level': 'snapshot',
      datefirst: '1',
      textsize: '4096',
    });
  });

  it('refuses a session whose options it cannot list as documented, and other DBCC commands', async () => {
    const p = await pool(1);
    expect(await failure(p.request().batch('SET NOCOUNT ON; DBCC USEROPTIONS'))).toMatchObject({
      number: 50000,
      message: 'The SQL Server stand-in does not support DBCC USEROPTIONS while NOCOUNT is ON.',
    });
    expect(await failure(p.request().batch('DBCC CHECKDB'))).toMatchObject({
      number: 50000,
      message: 'The SQL Server stand-in does not support DBCC CHECKDB.',
    });
  });
});

describe("the migrator's source reads", () => {
  it('run at the configured level on a pooled connection that a snapshot batch left at SNAPSHOT', async () => {
    const p = await pool(1); // one connection: every read below runs on it
    expect(await withSourceReads(p, 'snapshot', isolationOf)).toBe('snapshot');
    // What mssql lends next is the same session, still at SNAPSHOT outside any transaction.
    expect(await isolationOf(p)).toBe('snapshot');
    expect(await withSourceReads(p, 'readCommitted', isolationOf)).toBe('read committed');
    expect(await isolationOf(p)).toBe('read committed');
  });
});
