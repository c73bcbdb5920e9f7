/** The migrator's catalog queries, and the sys views around them, for a table with a composite key, an identity column and nullable columns. */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { ROW_ESTIMATE_QUERY } from '../../../src/sql/sqlserver/catalog-queries';
import { connect, query, startEmulator } from './support';

const SCHEMA = `
CREATE SCHEMA sales;
GO
CREATE TABLE sales.[order lines] (
  order_id int NOT NULL,
  line_no smallint NOT NULL,
  line_id bigint IDENTITY(100, 5) NOT NULL,
  sku nvarchar(40) NOT NULL,
  note varchar(max) NULL,
  qty decimal(9,3) NULL DEFAULT 0,
  created datetime2(3) NOT NULL DEFAULT SYSDATETIME(),
  status char(1) NOT NULL DEFAULT 'N',
  CONSTRAINT PK_order_lines PRIMARY KEY (order_id, line_no)
);`;

const names = { schema: 'sales', table: 'order lines' };

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ seed: [SCHEMA] });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('catalog queries', () => {
  it('INFORMATION_SCHEMA.TABLES tells a table exists', async () => {
    const text =
      'SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table';
    expect(await query(pool, text, names)).toEqual([{ TABLE_TYPE: 'BASE TABLE' }]);
    expect(await query(pool, text, { schema: 'SALES', table: 'ORDER LINES' })).toEqual([
      { TABLE_TYPE: 'BASE TABLE' },
    ]);
    expect(await query(pool, text, { schema: 'dbo', table: 'order lines' })).toEqual([]);
  });

  it('INFORMATION_SCHEMA.COLUMNS describes every column', async () => {
    const rows = await query(
      pool,
      'SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, ' +
        'DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS ' +
        'WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION',
      names,
    );
    const row = (
      n: string,
      p: number,
      t: string,
      len: number | null,
      prec: number | null,
      scale: number | null,
      dtp: number | null,
      nullable: string,
      def: string | null,
    ) => ({
      COLUMN_NAME: n,
      ORDINAL_POSITION: p,
      DATA_TYPE: t,
      CHARACTER_MAXIMUM_LENGTH: len,
      NUMERIC_PRECISION: prec,
      NUMERIC_SCALE: scale,
      DATETIME_PRECISION: dtp,
      IS_NULLABLE: nullable,
      COLUMN_DEFAULT: def,
    });
    expect(rows).toEqual([
      row('order_id', 1, 'int', null, 10, 0, null, 'NO', null),
      row('line_no', 2, 'smallint', null, 5, 0, null, 'NO', null),
      row('line_id', 3, 'bigint', null, 19, 0, null, 'NO', null),
      row('sku', 4, 'nvarchar', 40, null, null, null, 'NO', null),
      row('note', 5, 'varchar', -1, null, null, null, 'YES', null),
      row('qty', 6, 'decimal', null, 9, 3, null, 'YES', '((0))'),
      row('created', 7, 'datetime2', null, null, null, 3, 'NO', '(sysdatetime())'),
      row('status', 8, 'char', 1, null, null, null, 'NO', "('N')"),
    ]);
  });

  it('sys.columns with sys.tables and sys.schemas gives identity, computed and sizes', async () => {
    const rows = await query(
      pool,
      'SELECT c.name, c.is_identity, c.is_computed, c.max_length, c.precision, c.scale FROM sys.columns AS c ' +
        'JOIN sys.tables AS t ON t.object_id = c.object_id JOIN sys.schemas AS s ON s.schema_id = t.schema_id ' +
        'WHERE s.name = @schema AND t.name = @table ORDER BY c.column_id',
      names,
    );
    const row = (name: string, identity: boolean, max_length: number, precision: number, scale: number) => ({
      name,
      is_identity: identity,
      is_computed: false,
      max_length,
      precision,
      scale,
    });
    expect(rows).toEqual([
      row('order_id', false, 4, 10, 0),
      row('line_no', false, 2, 5, 0),
      row('line_id', true, 8, 19, 0),
      row('sku', false, 80, 0, 0),
      row('note', false, -1, 0, 0),
      row('qty', false, 5, 9, 3),
      row('created', false, 7, 23, 3),
      row('status', false, 1, 0, 0),
    ]);
  });

  it('TABLE_CONSTRAINTS with KEY_COLUMN_USAGE gives the primary key in order', async () => {
    const rows = await query(
      pool,
      'SELECT kcu.COLUMN_NAME, kcu.ORDINAL_POSITION FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS AS tc ' +
        'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE AS kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ' +
        'AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
        "WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = @schema AND tc.TABLE_NAME = @table " +
        'ORDER BY kcu.ORDINAL_POSITION',
      names,
    );
    expect(rows).toEqual([
      { COLUMN_NAME: 'order_id', ORDINAL_POSITION: 1 },
      { COLUMN_NAME: 'line_no', ORDINAL_POSITION: 2 },
    ]);
  });

  it('sys.partitions: one partition per index of each table, every row counted (discover estimates from it)', async () => {
    await query(
      pool,
      'CREATE TABLE dbo.parts (id int NOT NULL PRIMARY KEY, code int NULL UNIQUE); CREATE TABLE dbo.heap (x int NULL); ' +
        'INSERT INTO dbo.parts VALUES (1, 10), (2, 20), (3, NULL); INSERT INTO dbo.heap VALUES (1), (2);',
    );
    // https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-partitions-transact-sql
    const rows = await query(
      pool,
      'SELECT t.name, p.index_id, p.partition_number, p.rows, p.data_compression_desc FROM sys.partitions AS p ' +
        "JOIN sys.tables AS t ON t.object_id = p.object_id WHERE t.name IN ('parts', 'heap') ORDER BY t.name, p.index_id",
    );
    const partition = (name: string, indexId: number, count: number) => ({
      name,
      index_id: indexId,
      partition_number: 1,
      rows: String(count),
      data_compression_desc: 'NONE',
    });
    expect(rows).toEqual([partition('heap', 0, 2), partition('parts', 1, 3), partition('parts', 2, 3)]);
    const [estimate] = await query(pool, ROW_ESTIMATE_QUERY, { schema: 'dbo', table: 'parts' });
    expect(estimate).toEqual({ row_count: '3' });
    await query(pool, 'DROP TABLE dbo.parts; DROP TABLE dbo.heap;');
  });

  it('sys.indexes and sys.index_columns show the clustered primary key', async () => {
    const rows = await query(
      pool,
      'SELECT i.name, i.index_id, i.type_desc, i.is_primary_key, ic.key_ordinal, c.name AS column_name FROM sys.indexes AS i ' +
        'JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id ' +
        'JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id ' +
        "WHERE i.object_id = OBJECT_ID('sales.[order lines]') ORDER BY ic.key_ordinal",
    );
    expect(rows).toEqual([
      {
        name: 'PK_order_lines',
        index_id: 1,
        type_desc: 'CLUSTERED',
        is_primary_key: true,
        key_ordinal: 1,
        column_name: 'order_id',
      },
      {
        name: 'PK_order_lines',
        index_id: 1,
        type_desc: 'CLUSTERED',
        is_primary_key: true,
        key_ordinal: 2,
        column_name: 'line_no',
      },
    ]);
  });

  it('identity and defaults apply on insert; sys.identity_columns follows', async () => {
    await query(
      pool,
      "INSERT INTO sales.[order lines] (order_id, line_no, sku) VALUES (1, 1, N'A'), (1, 2, N'B')",
    );
    expect(
      await query(
        pool,
        'SELECT line_id, CAST(qty AS varchar(20)) AS qty, status, note FROM sales.[order lines] ORDER BY line_id',
      ),
    ).toEqual([
      { line_id: '100', qty: '0.000', status: 'N', note: null },
      { line_id: '105', qty: '0.000', status: 'N', note: null },
    ]);
    expect(
      await query(
        pool,
        "SELECT name, seed_value, increment_value, last_value FROM sys.identity_columns WHERE object_id = OBJECT_ID('sales.[order lines]')",
      ),
    ).toEqual([{ name: 'line_id', seed_value: '100', increment_value: '5', last_value: '105' }]);
    expect(
      await query(
        pool,
        "SELECT name, system_type_id, max_length FROM sys.types WHERE name IN ('int', 'nvarchar') ORDER BY name",
      ),
    ).toEqual([
      { name: 'int', system_type_id: 56, max_length: 4 },
      { name: 'nvarchar', system_type_id: 231, max_length: 8000 },
    ]);
  });
});
