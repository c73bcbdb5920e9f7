/**
 * Every type's edge values, written as T-SQL literals and as driver parameters, read back through `mssql`:
 * both what the driver decodes and SQL Server's exact text for the types the driver cannot hold exactly.
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, query, startEmulator } from './support';

const TABLE = `
CREATE TABLE dbo.edge (
  id int NOT NULL PRIMARY KEY,
  i int NULL, bi bigint NULL, si smallint NULL, ti tinyint NULL, b bit NULL,
  d38 decimal(38,10) NULL, n5 numeric(5,2) NULL, m money NULL, sm smallmoney NULL, f float NULL, r real NULL,
  dt date NULL, tm time(7) NULL, t0 time(0) NULL, dtm datetime NULL, sdt smalldatetime NULL,
  dt2 datetime2(7) NULL, dt20 datetime2(0) NULL, dto datetimeoffset(7) NULL,
  c char(5) NULL, vc varchar(20) NULL, vcm varchar(max) NULL, nc nchar(5) NULL, nvc nvarchar(20) NULL, nvcm nvarchar(max) NULL,
  tx text NULL, ntx ntext NULL, bn binary(4) NULL, vb varbinary(8) NULL, vbm varbinary(max) NULL,
  g uniqueidentifier NULL, x xml NULL)`;

const ROWS = `
INSERT INTO dbo.edge VALUES
(1, -2147483648, -9223372036854775808, -32768, 0, 0,
 -9999999999999999999999999999.9999999999, -999.99, -922337203685477.5808, -214748.3648, -1.7976931348623157E+308, -3.4028235E+38,
 '0001-01-01', '00:00:00', '00:00:00', '1753-01-01 00:00:00', '1900-01-01 00:00',
 '0001-01-01 00:00:00.0000000', '0001-01-01', '0001-01-01 00:00:00.0000000 +00:00',
 'a', '', '', N'', N'', N'', '', N'', 0x01, 0x, 0x, '00000000-0000-0000-0000-000000000000', '<a/>'),
(2, 2147483647, 9223372036854775807, 32767, 255, 1,
 9999999999999999999999999999.9999999999, 999.99, 922337203685477.5807, 214748.3647, 1.7976931348623157E+308, 3.4028235E+38,
 '9999-12-31', '23:59:59.9999999', '23:59:59', '9999-12-31 23:59:59.997', '2079-06-06 23:59',
 '9999-12-31 23:59:59.9999999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.9999999 +00:00',
 'abcde', 'café', REPLICATE('x', 9000), N'ΩΩΩΩΩ', N'😀𝄞 BMP+', NULL, 'text value', N'ntext Ω', 0xFFFFFFFF,
 0x0001020304050607, NULL, 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', N'<root attr="1"><child>Ω</child></root>'),
(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO dbo.edge (id, dt2, dto, dtm, g) VALUES
(4, '2024-02-29 12:34:56.1234567', '2024-06-30 23:59:59.1234567 +05:45', '2024-01-01 10:00:00.005', '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
(5, '2024-03-01 00:00:00.0000001', '2024-01-01 00:00:00.5 -08:00', '2024-01-01 10:00:00.001', NULL);`;

/** 1 MB of UTF-16 with characters beyond the Basic Multilingual Plane. */
const MEGABYTE = 'ab😀'.repeat(131_072);

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ seed: [TABLE, ROWS] });
  pool = await connect(emulator);
  await pool
    .request()
    .input('text', sql.NVarChar(sql.MAX), MEGABYTE)
    .input('bytes', sql.VarBinary(sql.MAX), Buffer.alloc(100_000, 0xab))
    .query('UPDATE dbo.edge SET nvcm = @text, vbm = @bytes WHERE id = 2');
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

const rows = (text: string) => query(pool, text);

describe('types through mssql', () => {
  it('integers and bit at their limits', async () => {
    expect(await rows('SELECT i, bi, si, ti, b FROM dbo.edge WHERE id IN (1, 2) ORDER BY id')).toEqual([
      { i: -2147483648, bi: '-9223372036854775808', si: -32768, ti: 0, b: false },
      { i: 2147483647, bi: '9223372036854775807', si: 32767, ti: 255, b: true },
    ]);
  });

  it('decimal(38,10), numeric, money and smallmoney keep every digit', async () => {
    expect(
      await rows(
        'SELECT CAST(d38 AS varchar(48)) AS d38, CAST(n5 AS varchar(10)) AS n5, CONVERT(varchar(32), m, 2) AS m, ' +
          'CONVERT(varchar(32), sm, 2) AS sm, n5 AS raw FROM dbo.edge WHERE id IN (1, 2) ORDER BY id',
      ),
    ).toEqual([
      {
        d38: '-9999999999999999999999999999.9999999999',
        n5: '-999.99',
        m: '-922337203685477.5808',
        sm: '-214748.3648',
        raw: -999.99,
      },
      {
        d38: '9999999999999999999999999999.9999999999',
        n5: '999.99',
        m: '922337203685477.5807',
        sm: '214748.3647',
        raw: 999.99,
      },
    ]);
  });

  it('float and real at their limits', async () => {
    expect(await rows('SELECT f, r FROM dbo.edge WHERE id IN (1, 2) ORDER BY id')).toEqual([
      { f: -1.7976931348623157e308, r: -3.4028234663852886e38 },
      { f: 1.7976931348623157e308, r: 3.4028234663852886e38 },
    ]);
  });

  it('dates and times from 0001-01-01 to 9999-12-31, with 100 ns ticks and offsets', async () => {
    const text = await rows(
      'SELECT CONVERT(varchar(10), dt, 23) AS dt, CAST(tm AS varchar(16)) AS tm, CAST(t0 AS varchar(16)) AS t0, ' +
        'CONVERT(varchar(23), dtm, 121) AS dtm, CONVERT(varchar(19), sdt, 120) AS sdt, CONVERT(varchar(27), dt2, 121) AS dt2, ' +
        'CONVERT(varchar(27), dt20, 121) AS dt20, CONVERT(varchar(34), dto, 121) AS dto FROM dbo.edge WHERE id <> 3 ORDER BY id',
    );
    expect(text).toEqual([
      {
        dt: '0001-01-01',
        tm: '00:00:00.0000000',
        t0: '00:00:00',
        dtm: '1753-01-01 00:00:00.000',
        sdt: '1900-01-01 00:00:00',
        dt2: '0001-01-01 00:00:00.0000000',
        dt20: '0001-01-01 00:00:00',
        dto: '0001-01-01 00:00:00.0000000 +00:00',
      },
      {
        dt: '9999-12-31',
        tm: '23:59:59.9999999',
        t0: '23:59:59',
        dtm: '9999-12-31 23:59:59.997',
        sdt: '2079-06-06 23:59:00',
        dt2: '9999-12-31 23:59:59.9999999',
        dt20: '9999-12-31 23:59:59',
        dto: '9999-12-31 23:59:59.9999999 +00:00',
      },
      {
        dt: null,
        tm: null,
        t0: null,
        dtm: '2024-01-01 10:00:00.007',
        sdt: null,
        dt2: '2024-02-29 12:34:56.1234567',
        dt20: null,
        dto: '2024-06-30 23:59:59.1234567 +05:45',
      },
      {
        dt: null,
        tm: null,
        t0: null,
        dtm: '2024-01-01 10:00:00.000',
        sdt: null,
        dt2: '2024-03-01 00:00:00.0000001',
        dt20: null,
        dto: '2024-01-01 00:00:00.5000000 -08:00',
      },
    ]);
  });

  it('dates and times as the driver decodes them (UTC instants, milliseconds)', async () => {
    const [min, max, , offsets] = await rows(
      'SELECT dt, dtm, dt2, dto FROM dbo.edge WHERE id IN (1, 2, 4, 5) ORDER BY id',
    );
    const iso = (v: unknown): string => (v as Date).toISOString();
    expect([iso(min!.dt), iso(min!.dtm), iso(min!.dt2), iso(min!.dto)]).toEqual([
      '0001-01-01T00:00:00.000Z',
      '1753-01-01T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
    ]);
    expect([iso(max!.dt), iso(max!.dtm), iso(max!.dt2)]).toEqual([
      '9999-12-31T00:00:00.000Z',
      '9999-12-31T23:59:59.997Z',
      '9999-12-31T23:59:59.999Z',
    ]);
    expect(iso(offsets!.dto)).toBe('2024-01-01T08:00:00.500Z');
  });

  it('strings: padding, code page 1252, text beyond the BMP, 1 MB, empty is not NULL', async () => {
    const [min, max, nulls] = await rows(
      'SELECT c, vc, vcm, nc, nvc, nvcm, tx, ntx FROM dbo.edge WHERE id <= 3 ORDER BY id',
    );
    expect(min).toEqual({ c: 'a    ', vc: '', vcm: '', nc: '     ', nvc: '', nvcm: '', tx: '', ntx: '' });
    expect({ ...max, vcm: undefined, nvcm: undefined }).toEqual({
      c: 'abcde',
      vc: 'café',
      vcm: undefined,
      nc: 'ΩΩΩΩΩ',
      nvc: '😀𝄞 BMP+',
      nvcm: undefined,
      tx: 'text value',
      ntx: 'ntext Ω',
    });
    expect(max!.vcm).toBe('x'.repeat(9000));
    expect(max!.nvcm).toBe(MEGABYTE);
    expect(Object.values(nulls!).every((v) => v === null)).toBe(true);
    expect(await rows("SELECT id FROM dbo.edge WHERE vc = '' ORDER BY id")).toEqual([{ id: 1 }]);
    expect(await rows('SELECT id FROM dbo.edge WHERE vc IS NULL ORDER BY id')).toEqual([
      { id: 3 },
      { id: 4 },
      { id: 5 },
    ]);
    expect(
      await rows('SELECT DATALENGTH(nvcm) AS bytes, LEN(nvc) AS chars FROM dbo.edge WHERE id = 2'),
    ).toEqual([{ bytes: '1048576', chars: 9 }]);
  });

  it('binaries: fixed length padded, empty is not NULL, large values whole', async () => {
    const [min, max, nulls] = await rows('SELECT bn, vb, vbm FROM dbo.edge WHERE id <= 3 ORDER BY id');
    expect(min).toEqual({ bn: Buffer.from([1, 0, 0, 0]), vb: Buffer.alloc(0), vbm: Buffer.alloc(0) });
    expect(max).toEqual({
      bn: Buffer.from([0xff, 0xff, 0xff, 0xff]),
      vb: Buffer.from('0001020304050607', 'hex'),
      vbm: Buffer.alloc(100_000, 0xab),
    });
    expect(nulls).toEqual({ bn: null, vb: null, vbm: null });
  });

  it('uniqueidentifier: upper case text and SQL Server byte order', async () => {
    expect(
      await rows(
        'SELECT g, CONVERT(char(36), g) AS text, CAST(g AS binary(16)) AS bytes FROM dbo.edge WHERE id IN (1, 2, 4) ORDER BY id',
      ),
    ).toEqual([
      {
        g: '00000000-0000-0000-0000-000000000000',
        text: '00000000-0000-0000-0000-000000000000',
        bytes: Buffer.alloc(16),
      },
      {
        g: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        text: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        bytes: Buffer.alloc(16, 0xff),
      },
      {
        g: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        text: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        bytes: Buffer.from('FF19966F868B11D0B42D00C04FC964FF', 'hex'),
      },
    ]);
  });

  it('xml comes back as text', async () => {
    expect(await rows('SELECT x FROM dbo.edge WHERE id IN (1, 2) ORDER BY id')).toEqual([
      { x: '<a/>' },
      { x: '<root attr="1"><child>Ω</child></root>' },
    ]);
  });

  it('accepts typed driver parameters and stores them exactly', async () => {
    await pool
      .request()
      .input('id', sql.Int, 6)
      .input('bi', sql.BigInt, 9007199254740993n)
      .input('d38', sql.Decimal(38, 10), 1.5)
      .input('dt2', sql.DateTime2(7), new Date('2024-05-06T07:08:09.123Z'))
      .input('dto', sql.DateTimeOffset(7), new Date('2024-05-06T07:08:09.123Z'))
      .input('g', sql.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF')
      .input('vc', sql.VarChar(20), 'café')
      .input('b', sql.Bit, true)
      .input('m', sql.Money, 12.5)
      .query(
        'INSERT INTO dbo.edge (id, bi, d38, dt2, dto, g, vc, b, m) VALUES (@id, @bi, @d38, @dt2, @dto, @g, @vc, @b, @m)',
      );
    expect(
      await rows(
        'SELECT bi, CAST(d38 AS varchar(48)) AS d38, CONVERT(varchar(27), dt2, 121) AS dt2, CONVERT(varchar(34), dto, 121) AS dto, ' +
          'CONVERT(char(36), g) AS g, vc, b, CONVERT(varchar(32), m, 2) AS m FROM dbo.edge WHERE id = 6',
      ),
    ).toEqual([
      {
        bi: '9007199254740993',
        d38: '1.5000000000',
        dt2: '2024-05-06 07:08:09.1230000',
        dto: '2024-05-06 07:08:09.1230000 +00:00',
        g: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        vc: 'café',
        b: true,
        m: '12.5000',
      },
    ]);
  });
});
