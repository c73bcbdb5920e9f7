/**
 * The queries the migrator sends, in its exact text, as parameterised requests (sp_executesql) through
 * `mssql`, and the values they must return.
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { mapColumn } from '../../../src/mapping/type-map';
import { planKeyRanges } from '../../../src/sqlserver/boundaries';
import { queryRows } from '../../../src/sqlserver/query';
import { keyRoundTripQuery, selectBatchQuery } from '../../../src/sql/sqlserver/queries';
import { OBJECT_IDENTITY_QUERY } from '../../../src/sql/sqlserver/catalog-queries';
import { column } from '../../support/columns';
import { connect, query, startEmulator } from './support';

const SEED = `
CREATE TABLE dbo.orders (
  id int NOT NULL PRIMARY KEY, name nvarchar(100) NOT NULL, price decimal(18,4) NULL, fee money NULL, d date NULL,
  t time(7) NULL, dt datetime NULL, sdt smalldatetime NULL, dt2 datetime2(7) NULL, dto datetimeoffset(7) NULL,
  guid uniqueidentifier NOT NULL, bin varbinary(16) NULL, xmlcol xml NULL, flag bit NULL, f float NULL, r real NULL,
  amount decimal(12,2) NULL, status varchar(20) NULL);
GO
INSERT INTO dbo.orders VALUES
 (1, N'Ärger', 12.3456, 1234.5678, '2024-01-31', '13:14:15.1234567', '2024-01-31 23:59:59.997', '2024-01-31 23:59',
  '2024-01-31 23:59:59.9999999', '2024-01-31 23:59:59.9999999 +05:45', '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x00FF,
  N'<o id="1"/>', 1, 1.5, 2.25, 10.10, 'shipped'),
 (2, N'apple', -0.0001, -0.5, '0001-01-01', '00:00:00', '1753-01-01 00:00:00', '1900-01-01 00:00', '0001-01-01 00:00:00',
  '2024-06-01 00:00:00 -08:00', '00000000-0000-0000-0000-000000000001', 0x, NULL, 0, 1e-300, -1.5, 0.01, 'shipped'),
 (3, N'Zoë', 99999999999999.9999, 922337203685477.5807, '9999-12-31', '23:59:59.9999999', '9999-12-31 23:59:59.997',
  '2079-06-06 23:59', '9999-12-31 23:59:59.9999999', '9999-12-31 23:59:59.9999999 +00:00',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 0x0102030405060708090A0B0C0D0E0F10, N'<a>Ω</a>', 1, 1e308, 3e38,
  12345678.99, 'cancelled'),
 (4, N'APPLE ', 0, 0, '2024-02-29', '12:00:00', '2024-02-29 12:00:00.003', '2024-02-29 12:00', '2024-02-29 12:00:00.0000001',
  '2024-02-29 12:00:00 +00:00', '00000000-0000-0000-0000-000000000002', 0x01, NULL, 0, 0, 0, 0.50, 'shipped'),
 (5, N'beta', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '10000000-0000-0000-0000-000000000000', NULL, NULL, NULL,
  NULL, NULL, NULL, NULL);`;

/** The migrator's lossless read expression per column (src/mapping/type-map.ts). */
const SELECT_LIST =
  'SELECT [id], [name], CAST([price] AS varchar(48)) AS [price], CONVERT(varchar(32), [fee], 2) AS [fee], ' +
  'CONVERT(varchar(10), [d], 23) AS [d], CAST([t] AS varchar(16)) AS [t], CONVERT(varchar(23), [dt], 121) AS [dt], ' +
  'CONVERT(varchar(19), [sdt], 120) AS [sdt], CONVERT(varchar(27), [dt2], 121) AS [dt2], ' +
  'CONVERT(varchar(34), [dto], 121) AS [dto], CONVERT(char(36), [guid]) AS [guid], [bin], [xmlcol], [flag], [f], [r] ' +
  'FROM [dbo].[orders]';

/** How the migrator turns a key into text (keyText) and back (keyParam). */
const KEYS: { column: string; text: string; param: (p: string) => string }[] = [
  { column: 'id', text: 'CAST([id] AS nvarchar(4000))', param: (p) => `CAST(@${p} AS int)` },
  { column: 'name', text: '[name]', param: (p) => `CAST(@${p} AS nvarchar(100))` },
  { column: 'price', text: 'CAST([price] AS nvarchar(4000))', param: (p) => `CAST(@${p} AS decimal(18,4))` },
  { column: 'fee', text: 'CONVERT(nvarchar(40), [fee], 2)', param: (p) => `CAST(@${p} AS money)` },
  { column: 'guid', text: 'CONVERT(nchar(36), [guid])', param: (p) => `CAST(@${p} AS uniqueidentifier)` },
  { column: 'd', text: 'CONVERT(nvarchar(40), [d], 121)', param: (p) => `CAST(@${p} AS date)` },
  { column: 't', text: 'CONVERT(nvarchar(40), [t], 121)', param: (p) => `CAST(@${p} AS time(7))` },
  { column: 'dt', text: 'CONVERT(nvarchar(40), [dt], 121)', param: (p) => `CAST(@${p} AS datetime)` },
  { column: 'sdt', text: 'CONVERT(nvarchar(40), [sdt], 121)', param: (p) => `CAST(@${p} AS smalldatetime)` },
  { column: 'dt2', text: 'CONVERT(nvarchar(40), [dt2], 121)', param: (p) => `CAST(@${p} AS datetime2(7))` },
  {
    column: 'dto',
    text: 'CONVERT(nvarchar(40), [dto], 121)',
    param: (p) => `CAST(@${p} AS datetimeoffset(7))`,
  },
  {
    column: 'bin',
    text: 'CONVERT(nvarchar(4000), [bin], 1)',
    param: (p) => `CONVERT(varbinary(16), @${p}, 1)`,
  },
];

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ seed: [SEED] });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('the migrator’s queries', () => {
  it('server information', async () => {
    const [row] = await query(
      pool,
      "SELECT @@VERSION AS version, DB_NAME() AS database_name, SERVERPROPERTY('ProductVersion') AS product_version",
    );
    expect(row).toEqual({
      version: expect.stringMatching(/^Microsoft SQL Server 2022 .*16\.0\.1000\.6/s),
      database_name: 'shop',
      product_version: '16.0.1000.6',
    });
  });

  it('row counts and exact aggregates, with a row filter', async () => {
    expect(
      await query(pool, "SELECT COUNT_BIG(*) AS row_count FROM [dbo].[orders] WHERE ([status] = 'shipped')"),
    ).toEqual([{ row_count: '3' }]);
    expect(
      await query(
        pool,
        'SELECT COUNT_BIG(*) AS [rows], COUNT_BIG([price]) AS [c_price], ' +
          'CAST(SUM(CAST([amount] AS decimal(38, 2))) AS varchar(60)) AS [s_amount], ' +
          'CAST(SUM(CAST([price] AS decimal(38, 4))) AS varchar(60)) AS [s_price], MIN([name]) AS [min_name], ' +
          'MAX([name]) AS [max_name], MIN([guid]) AS [min_guid], MAX([dto]) AS [max_dto] FROM [dbo].[orders]',
      ),
    ).toEqual([
      {
        rows: '5',
        c_price: '4',
        s_amount: '12345689.60',
        s_price: '100000000000012.3454',
        min_name: expect.stringMatching(/^apple ?$/i),
        max_name: 'Zoë',
        // SQL Server compares the last group first: 10000000-... is the smallest.
        min_guid: '10000000-0000-0000-0000-000000000000',
        max_dto: new Date('9999-12-31T23:59:59.999Z'),
      },
    ]);
    expect(
      await query(
        pool,
        "SELECT CAST(SUM(CAST([amount] AS decimal(38, 2))) AS varchar(60)) AS s FROM [dbo].[orders] WHERE ([status] = 'nope')",
      ),
    ).toEqual([{ s: null }]);
  });

  it('batch boundaries: OFFSET over keys greater than the last one', async () => {
    const boundary = (after: string, skip: number) =>
      pool
        .request()
        .input('l0', sql.NVarChar, after)
        .input('skip', sql.Int, skip)
        .query(
          'SELECT CAST([id] AS nvarchar(4000)) AS k0 FROM [dbo].[orders] WHERE ([id] > CAST(@l0 AS int)) ' +
            'ORDER BY [id] OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY',
        );
    expect((await boundary('1', 1)).recordset).toEqual([{ k0: '3' }]);
    expect((await boundary('4', 5)).recordset).toEqual([]);
  });

  it('batch boundaries over a composite key (nvarchar, uniqueidentifier)', async () => {
    const rows = await query(
      pool,
      'SELECT [name] AS k0, CONVERT(nchar(36), [guid]) AS k1 FROM [dbo].[orders] ' +
        'WHERE (([name] > CAST(@l0 AS nvarchar(100))) OR ([name] = CAST(@l0 AS nvarchar(100)) AND [guid] > CAST(@l1 AS uniqueidentifier))) ' +
        'ORDER BY [name], [guid] OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY',
      { l0: 'apple', l1: '00000000-0000-0000-0000-000000000001', skip: 0 },
    );
    expect(rows).toEqual([{ k0: 'APPLE ', k1: '00000000-0000-0000-0000-000000000002' }]);
  });

  it('key text converts back to the same key for every key type', async () => {
    for (const key of KEYS) {
      const texts = await query<{ id: number; k: string | null }>(
        pool,
        `SELECT [id], ${key.text} AS k FROM [dbo].[orders] ORDER BY [id]`,
      );
      for (const { id, k } of texts) {
        if (k === null) continue;
        const matches = await query<{ id: number }>(
          pool,
          `SELECT [id] FROM [dbo].[orders] WHERE [${key.column}] = ${key.param('k0')} AND [${key.column}] <= ${key.param('k0')}`,
          { k0: k },
        );
        expect({ column: key.column, id, found: matches.some((m) => m.id === id) }).toEqual({
          column: key.column,
          id,
          found: true,
        });
      }
    }
  });

  it('plans composite-key ranges (varchar, int) with the seekable predicate: every row once, in order', async () => {
    const keys = [
      column('status', 'varchar', { charMaxLength: 20, nullable: false }),
      column('id', 'int', { nullable: false }),
    ];
    const table = { schema: 'dbo', table: 'orders' };
    await query(pool, "UPDATE dbo.orders SET status = 'open' WHERE status IS NULL");
    const plan = await planKeyRanges(pool, {
      table,
      keys,
      batchSize: 2,
      after: null,
      firstIndex: 0,
      maxBatches: 10,
    });
    expect(plan.batches.map((b) => [b.lower, b.upper])).toEqual([
      [null, ['open', '5']],
      [
        ['open', '5'],
        ['shipped', '2'],
      ],
      [['shipped', '2'], null],
    ]);
    const perBatch = await Promise.all(
      plan.batches.map((b) =>
        queryRows<{ id: number }>(
          pool,
          selectBatchQuery(table, [mapColumn('t', column('id', 'int'))], keys, b),
        ),
      ),
    );
    await query(pool, 'UPDATE dbo.orders SET status = NULL WHERE id = 5');
    expect(perBatch.map((rows) => rows.map((r) => r.id).sort())).toEqual([[3, 5], [1, 2], [4]]);
  });

  it('finds a varchar key value that does not survive the conversion back (characters outside the code page)', async () => {
    const keys = [column('status', 'varchar', { charMaxLength: 20, nullable: false })];
    expect(await queryRows(pool, keyRoundTripQuery(keys, ['shipped']))).toEqual([{ ok0: 1 }]);
    expect(await queryRows(pool, keyRoundTripQuery(keys, ['Щука']))).toEqual([{ ok0: 0 }]);
  });

  it('batch extraction, streamed with pauses, exact to the character', async () => {
    const rows: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      const request = pool.request();
      request.stream = true;
      request.input('l0', sql.NVarChar, '0').input('u0', sql.NVarChar, '4');
      request.on('row', (row: Record<string, unknown>) => {
        rows.push(row);
        request.pause();
        setTimeout(() => request.resume(), 5);
      });
      request.on('error', reject);
      request.on('done', () => resolve());
      void request.query(
        `${SELECT_LIST} WHERE ([id] > CAST(@l0 AS int)) AND ([id] <= CAST(@u0 AS int)) AND ([status] <> 'cancelled') ORDER BY [id]`,
      );
    });
    expect(rows).toEqual([
      {
        id: 1,
        name: 'Ärger',
        price: '12.3456',
        fee: '1234.5678',
        d: '2024-01-31',
        t: '13:14:15.1234567',
        dt: '2024-01-31 23:59:59.997',
        sdt: '2024-01-31 23:59:00',
        dt2: '2024-01-31 23:59:59.9999999',
        dto: '2024-01-31 23:59:59.9999999 +05:45',
        guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        bin: Buffer.from([0x00, 0xff]),
        xmlcol: '<o id="1"/>',
        flag: true,
        f: 1.5,
        r: 2.25,
      },
      {
        id: 2,
        name: 'apple',
        price: '-0.0001',
        fee: '-0.5000',
        d: '0001-01-01',
        t: '00:00:00.0000000',
        dt: '1753-01-01 00:00:00.000',
        sdt: '1900-01-01 00:00:00',
        dt2: '0001-01-01 00:00:00.0000000',
        dto: '2024-06-01 00:00:00.0000000 -08:00',
        guid: '00000000-0000-0000-0000-000000000001',
        bin: Buffer.alloc(0),
        xmlcol: null,
        flag: false,
        f: 1e-300,
        r: -1.5,
      },
      {
        id: 4,
        name: 'APPLE ',
        price: '0.0000',
        fee: '0.0000',
        d: '2024-02-29',
        t: '12:00:00.0000000',
        dt: '2024-02-29 12:00:00.003',
        sdt: '2024-02-29 12:00:00',
        dt2: '2024-02-29 12:00:00.0000001',
        dto: '2024-02-29 12:00:00.0000000 +00:00',
        guid: '00000000-0000-0000-0000-000000000002',
        bin: Buffer.from([1]),
        xmlcol: null,
        flag: false,
        f: 0,
        r: 0,
      },
    ]);
  });

  it('the extremes of row 3 as the extraction reads them', async () => {
    expect(await query(pool, `${SELECT_LIST} WHERE ([id] = 3)`)).toEqual([
      {
        id: 3,
        name: 'Zoë',
        price: '99999999999999.9999',
        fee: '922337203685477.5807',
        d: '9999-12-31',
        t: '23:59:59.9999999',
        dt: '9999-12-31 23:59:59.997',
        sdt: '2079-06-06 23:59:00',
        dt2: '9999-12-31 23:59:59.9999999',
        dto: '9999-12-31 23:59:59.9999999 +00:00',
        guid: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        bin: Buffer.from('0102030405060708090A0B0C0D0E0F10', 'hex'),
        xmlcol: '<a>Ω</a>',
        flag: true,
        f: 1e308,
        r: Math.fround(3e38),
      },
    ]);
  });

  it('a table dropped and created again gets another object_id and create_date, as in SQL Server', async () => {
    await pool.request().batch('CREATE TABLE dbo.again (id int NOT NULL PRIMARY KEY)');
    const names = { schema: 'dbo', table: 'again' };
    const [before] = await query<{ object_id: number; create_date: string }>(
      pool,
      OBJECT_IDENTITY_QUERY,
      names,
    );
    expect(before).toEqual({
      object_id: expect.any(Number),
      create_date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/),
    });
    await new Promise((resolve) => setTimeout(resolve, 10)); // datetime counts 1/300 s
    await pool.request().batch('DROP TABLE dbo.again; CREATE TABLE dbo.again (id int NOT NULL PRIMARY KEY)');
    const [after] = await query<{ object_id: number; create_date: string }>(
      pool,
      OBJECT_IDENTITY_QUERY,
      names,
    );
    expect(after!.object_id).not.toBe(before!.object_id);
    expect(after!.create_date > before!.create_date).toBe(true);
  });
});
