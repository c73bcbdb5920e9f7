/**
 * sql_variant through mssql: SQL_VARIANT_PROPERTY as Microsoft documents it
 * (https://learn.microsoft.com/en-us/sql/t-sql/functions/sql-variant-property-transact-sql), and the
 * migrator's read of a sql_variant column (src/mapping/variant.ts), value by value.
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { parseVariantRead, VARIANT_READ } from '../../../src/mapping/variant';
import { connect, query, startEmulator } from './support';

const VALUES: [string, string][] = [
  ['CAST(42 AS int)', 'int;10;0;4;42'],
  ['CAST(-9223372036854775808 AS bigint)', 'bigint;19;0;8;-9223372036854775808'],
  ['CAST(255 AS tinyint)', 'tinyint;3;0;1;255'],
  ['CAST(1 AS bit)', 'bit;1;0;1;1'],
  // The page's own example: 46279.1 as decimal(8,2).
  ['CAST(46279.1 AS decimal(8,2))', 'decimal;8;2;5;46279.10'],
  ['CAST(-999.99 AS numeric(5,2))', 'numeric;5;2;5;-999.99'],
  ['CAST(-922337203685477.5808 AS money)', 'money;19;4;8;-922337203685477.5808'],
  ['CAST(1.5 AS smallmoney)', 'smallmoney;10;4;4;1.5000'],
  ['CAST(0.1 AS float)', 'float;53;0;8;1.0000000000000001e-001'],
  ['CAST(0.1 AS real)', 'real;24;0;4;1.0000000149011612e-001'],
  ["CAST('0001-01-01' AS date)", 'date;10;0;3;0001-01-01'],
  ["CAST('23:59:59.9999999' AS time(7))", 'time;16;7;5;23:59:59.9999999'],
  ["CAST('12:30:00' AS time(0))", 'time;8;0;3;12:30:00'],
  ["CAST('2024-02-29 12:34:56.997' AS datetime)", 'datetime;23;3;8;2024-02-29 12:34:56.997'],
  ["CAST('2079-06-06 23:59' AS smalldatetime)", 'smalldatetime;16;0;4;2079-06-06 23:59:00'],
  ["CAST('2024-01-01 10:00:00.12' AS datetime2(2))", 'datetime2;22;2;6;2024-01-01 10:00:00.12'],
  [
    "CAST('2024-06-30 23:59:59.1234567 +05:45' AS datetimeoffset(7))",
    'datetimeoffset;34;7;10;2024-06-30 23:59:59.1234567 +05:45',
  ],
  [
    "CAST('6F9619FF-8B86-D011-B42D-00C04FC964FF' AS uniqueidentifier)",
    'uniqueidentifier;0;0;16;6F9619FF-8B86-D011-B42D-00C04FC964FF',
  ],
  ["CAST('ab' AS char(5))", 'char;0;0;5;ab   '],
  ["CAST('' AS varchar(20))", 'varchar;0;0;20;'],
  // "MaxLength of nvarchar(50) is 100".
  ["CAST(N'a;b 😀' AS nvarchar(50))", 'nvarchar;0;0;100;a;b 😀'],
  ['CAST(0x00FF AS varbinary(16))', 'varbinary;0;0;16;00FF'],
  ['CAST(0x0000FF7E AS binary(4))', 'binary;0;0;4;0000FF7E'],
];

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  const rows = VALUES.map(([value], i) => `(${i + 1}, ${value})`).join(', ');
  emulator = await startEmulator({
    seed: [
      'CREATE TABLE dbo.events (id int NOT NULL PRIMARY KEY, payload sql_variant NULL)',
      `INSERT INTO dbo.events VALUES ${rows}, (${VALUES.length + 1}, NULL)`,
    ],
  });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('sql_variant', () => {
  it('SQL_VARIANT_PROPERTY gives the documented BaseType, Precision, Scale and MaxLength, NULL for NULL', async () => {
    const rows = await query(
      pool,
      "SELECT SQL_VARIANT_PROPERTY(payload, 'BaseType') AS b, SQL_VARIANT_PROPERTY(payload, 'Precision') AS p, " +
        "SQL_VARIANT_PROPERTY(payload, 'Scale') AS s, SQL_VARIANT_PROPERTY(payload, 'MaxLength') AS m, " +
        "SQL_VARIANT_PROPERTY(payload, 'NoSuchProperty') AS x FROM dbo.events WHERE id IN (5, 13, 21, 24) ORDER BY id",
    );
    expect(rows).toEqual([
      { b: 'decimal', p: 8, s: 2, m: 5, x: null },
      { b: 'time', p: 8, s: 0, m: 3, x: null },
      { b: 'nvarchar', p: 0, s: 0, m: 100, x: null },
      { b: null, p: null, s: null, m: null, x: null },
    ]);
  });

  it("the migrator's read gives each value's base type, properties and exact text", async () => {
    const read = VARIANT_READ.replaceAll('{c}', '[payload]');
    const rows = await query<{ id: number; v: string | null }>(
      pool,
      `SELECT id, ${read} AS v FROM dbo.events ORDER BY id`,
    );
    expect(rows.map((r) => r.v)).toEqual([...VALUES.map(([, text]) => text), null]);
    // Every one of them reads as a value the migrator loads.
    for (const [, text] of VALUES) expect(parseVariantRead(text)).not.toHaveProperty('problem');
  });
});
