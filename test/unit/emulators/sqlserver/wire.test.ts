/**
 * The wire encoders against the real driver's decoders, without sockets: result tokens written by the
 * stand-in are read by tedious's token parser, and RPC parameters written by tedious are read by the
 * stand-in.
 */
import { Collation } from 'tedious/lib/collation';
import { TYPES, type DataType } from 'tedious/lib/data-type';
import Debug from 'tedious/lib/debug';
import RpcRequestPayload from 'tedious/lib/rpcrequest-payload';
import Parser from 'tedious/lib/token/stream-parser';
import { COLLATION_BYTES } from '../../../../emulators/sqlserver/collation';
import { BufferWriter } from '../../../../emulators/sqlserver/tds/buffer-writer';
import { parseRpc } from '../../../../emulators/sqlserver/tds/requests';
import { colMetadata, done, TOKEN, type ResultColumn } from '../../../../emulators/sqlserver/tds/tokens';
import { convert } from '../../../../emulators/sqlserver/types/convert';
import type { SqlType } from '../../../../emulators/sqlserver/types/sql-type';
import type { SqlValue } from '../../../../emulators/sqlserver/types/values';
import { valueEncoder } from '../../../../emulators/sqlserver/types/wire';

const OPTIONS = {
  useUTC: true,
  lowerCaseGuids: false,
  tdsVersion: '7_4',
  useColumnNames: false,
  camelCaseColumns: false,
  columnNameReplacer: undefined,
} as const;

/** Writes a result set as the stand-in does and reads it back with tedious's parser. */
async function roundTrip(columns: ResultColumn[], rows: SqlValue[][]): Promise<unknown[][]> {
  const w = new BufferWriter();
  colMetadata(w, columns);
  const encoders = columns.map((c) => valueEncoder(c.type, c.nullable));
  for (const row of rows) {
    w.u8(TOKEN.ROW);
    row.forEach((v, i) => encoders[i]!(w, v));
  }
  done(w, TOKEN.DONE, 0x10, 0xc1, rows.length);
  const decoded: unknown[][] = [];
  for await (const token of Parser.parseTokens([w.take()], new Debug(), OPTIONS as never)) {
    if (token?.name === 'ROW')
      decoded.push((token as unknown as { columns: { value: unknown }[] }).columns.map((c) => c.value));
  }
  return decoded;
}

/** A value given as text, converted as CAST would: the easiest way to write the expected stored value. */
const v = (text: string, type: SqlType): SqlValue => convert(text, { name: 'varchar', length: -1 }, type);

describe('result values as tedious decodes them', () => {
  it('integers, bit, floats in fixed (NOT NULL) and nullable forms', async () => {
    const types: SqlType[] = [
      { name: 'tinyint' },
      { name: 'smallint' },
      { name: 'int' },
      { name: 'bigint' },
      { name: 'bit' },
      { name: 'real' },
      { name: 'float' },
    ];
    const row: SqlValue[] = [
      255,
      -32768,
      -2147483648,
      -9223372036854775808n,
      true,
      1.5,
      -1.7976931348623157e308,
    ];
    for (const nullable of [false, true]) {
      const columns = types.map((type, i) => ({ name: `c${i}`, type, nullable }));
      expect(await roundTrip(columns, [row])).toEqual([
        [255, -32768, -2147483648, '-9223372036854775808', true, 1.5, -1.7976931348623157e308],
      ]);
    }
    const nullable = types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    expect(await roundTrip(nullable, [types.map(() => null)])).toEqual([types.map(() => null)]);
  });

  it('decimal, numeric and money at every storage width', async () => {
    const types: SqlType[] = [
      { name: 'decimal', precision: 5, scale: 2 },
      { name: 'numeric', precision: 18, scale: 4 },
      { name: 'decimal', precision: 28, scale: 0 },
      { name: 'decimal', precision: 38, scale: 10 },
      { name: 'money' },
      { name: 'smallmoney' },
    ];
    const columns = types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    const texts = [
      '-999.99',
      '12345678901234.5678',
      '1234567890123456789012345678',
      '1.5',
      '-922337203685477.5808',
      '214748.3647',
    ];
    expect(await roundTrip(columns, [texts.map((t, i) => v(t, types[i]!))])).toEqual([
      // tedious turns decimals into doubles: the nearest double is what it can give.
      texts.map(Number),
    ]);
  });

  it('dates and times as UTC Dates, offsets applied', async () => {
    const types: SqlType[] = [
      { name: 'date' },
      { name: 'time', scale: 3 },
      { name: 'datetime' },
      { name: 'smalldatetime' },
      { name: 'datetime2', scale: 7 },
      { name: 'datetimeoffset', scale: 0 },
    ];
    const texts = [
      '9999-12-31',
      '23:59:59.999',
      '1753-01-01 00:00:00.003',
      '2079-06-06 23:59',
      '2024-02-29 12:34:56.1234567',
      '2024-06-30 23:59:59 +05:45',
    ];
    const [row] = await roundTrip(
      types.map((type, i) => ({ name: `c${i}`, type, nullable: i % 2 === 0 })),
      [texts.map((t, i) => v(t, types[i]!))],
    );
    expect((row as Date[]).map((d) => d.toISOString())).toEqual([
      '9999-12-31T00:00:00.000Z',
      '1970-01-01T23:59:59.999Z',
      '1753-01-01T00:00:00.003Z',
      '2079-06-06T23:59:00.000Z',
      '2024-02-29T12:34:56.123Z',
      '2024-06-30T18:14:59.000Z',
    ]);
  });

  it('strings in code page 1252 and UTF-16, short and max, text and ntext', async () => {
    const types: SqlType[] = [
      { name: 'char', length: 4 },
      { name: 'varchar', length: 10 },
      { name: 'varchar', length: -1 },
      { name: 'nvarchar', length: 10 },
      { name: 'nvarchar', length: -1 },
      { name: 'text' },
      { name: 'ntext' },
      { name: 'xml' },
    ];
    const long = 'ab😀'.repeat(20_000);
    const row: SqlValue[] = ['€ab ', 'café', 'x'.repeat(9000), '😀𝄞', long, 'text', 'Ωntext', '<a>Ω</a>'];
    expect(
      await roundTrip(
        types.map((type, i) => ({ name: `c${i}`, type, nullable: true, tableName: ['dbo', 't'] })),
        [row, types.map(() => null)],
      ),
    ).toEqual([row, types.map(() => null)]);
  });

  it('binaries, image and uniqueidentifier', async () => {
    const types: SqlType[] = [
      { name: 'binary', length: 4 },
      { name: 'varbinary', length: 8 },
      { name: 'varbinary', length: -1 },
      { name: 'image' },
      { name: 'uniqueidentifier' },
    ];
    const row: SqlValue[] = [
      Buffer.from([1, 0, 0, 0]),
      Buffer.alloc(0),
      Buffer.alloc(70_000, 7),
      Buffer.from([9]),
      v('6F9619FF-8B86-D011-B42D-00C04FC964FF', { name: 'uniqueidentifier' }),
    ];
    expect(
      await roundTrip(
        types.map((type, i) => ({ name: `c${i}`, type, nullable: true })),
        [row],
      ),
    ).toEqual([
      [
        Buffer.from([1, 0, 0, 0]),
        Buffer.alloc(0),
        Buffer.alloc(70_000, 7),
        Buffer.from([9]),
        '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      ],
    ]);
  });

  it('sql_variant with values of many base types inside', async () => {
    const column = { name: 'v', type: { name: 'sql_variant' } as SqlType, nullable: true };
    const inside = (type: SqlType, text: string): SqlValue[] => [{ variant: type, value: v(text, type) }];
    const rows: SqlValue[][] = [
      inside({ name: 'nvarchar', length: 128 }, '16.0.1000.6'),
      // ASCII only: tedious reads a variant's string properties in the other order than MS-TDS (and FreeTDS).
      inside({ name: 'varchar', length: 10 }, 'plain'),
      inside({ name: 'int' }, '3'),
      inside({ name: 'bigint' }, '-9223372036854775808'),
      inside({ name: 'decimal', precision: 10, scale: 2 }, '-12.34'),
      inside({ name: 'date' }, '2024-02-29'),
      inside({ name: 'datetime2', scale: 3 }, '2024-02-29 12:34:56.789'),
      inside({ name: 'uniqueidentifier' }, '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
      inside({ name: 'varbinary', length: 4 }, 'ab'),
      inside({ name: 'nvarchar', length: -1 }, 'max text'),
      [null],
    ];
    const decoded = await roundTrip([column], rows);
    expect(decoded.map(([value]) => (value instanceof Date ? value.toISOString() : value))).toEqual([
      '16.0.1000.6',
      'plain',
      3,
      '-9223372036854775808',
      -12.34,
      '2024-02-29T00:00:00.000Z',
      '2024-02-29T12:34:56.789Z',
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      Buffer.from('ab'),
      'max text',
      null,
    ]);
  });
});

describe('RPC parameters as tedious writes them', () => {
  it('reads sp_executesql with typed parameters', () => {
    const collation = Collation.fromBuffer(COLLATION_BYTES);
    const parameter = (name: string, type: DataType, value: unknown, extra: object = {}) => ({
      name,
      type,
      value: type.validate(value, collation),
      output: false,
      length: undefined,
      precision: undefined,
      scale: undefined,
      ...extra,
    });
    const big = 'Ω'.repeat(5000);
    const parameters = [
      parameter('statement', TYPES.NVarChar, 'SELECT 1'),
      parameter('params', TYPES.NVarChar, '@a int, @b bigint'),
      parameter('a', TYPES.Int, -5),
      parameter('b', TYPES.BigInt, '9007199254740993'),
      parameter('c', TYPES.VarChar, 'café €'),
      parameter('d', TYPES.Decimal, 1.25, { precision: 38, scale: 10 }),
      parameter('e', TYPES.DateTime2, new Date('2024-02-29T12:34:56.789Z'), { scale: 7 }),
      parameter('f', TYPES.DateTimeOffset, new Date('2024-02-29T12:34:56.789Z'), { scale: 7 }),
      parameter('g', TYPES.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
      parameter('h', TYPES.VarBinary, Buffer.from([1, 2, 3])),
      parameter('i', TYPES.Bit, true),
      parameter('j', TYPES.Money, 12.5),
      parameter('k', TYPES.Float, 1.5),
      parameter('l', TYPES.NVarChar, big),
      parameter('m', TYPES.Date, new Date('0001-01-01T00:00:00Z')),
      parameter('n', TYPES.NVarChar, null),
    ];
    const payload = Buffer.concat([
      ...new RpcRequestPayload(
        10,
        parameters as never,
        Buffer.alloc(8),
        { tdsVersion: '7_4' } as never,
        collation,
      ),
    ]);
    const request = parseRpc(payload);
    expect(request.procId).toBe(10);
    const values = Object.fromEntries(request.params.map((p) => [p.name, p.value]));
    const types = Object.fromEntries(request.params.map((p) => [p.name, p.info.type]));
    expect(values).toMatchObject({
      '@statement': 'SELECT 1',
      '@a': -5,
      '@b': 9007199254740993n,
      '@c': 'café €',
      '@d': 12500000000n,
      '@g': Buffer.from('FF19966F868B11D0B42D00C04FC964FF', 'hex'),
      '@h': Buffer.from([1, 2, 3]),
      '@i': true,
      '@j': 125000n,
      '@k': 1.5,
      '@l': big,
      '@m': 0,
      '@n': null,
    });
    expect(convert(values['@e']!, types['@e']!, { name: 'varchar', length: 40 }, 121)).toBe(
      '2024-02-29 12:34:56.7890000',
    );
    expect(convert(values['@f']!, types['@f']!, { name: 'varchar', length: 40 }, 121)).toBe(
      '2024-02-29 12:34:56.7890000 +00:00',
    );
    expect(types).toMatchObject({
      '@a': { name: 'int' },
      '@b': { name: 'bigint' },
      '@c': { name: 'varchar' },
      '@d': { name: 'decimal', precision: 38, scale: 10 },
      '@l': { name: 'nvarchar', length: -1 },
    });
  });
});
