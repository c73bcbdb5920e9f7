/**
 * Computed columns as AdventureWorks declares them: the value follows from the row's other columns on
 * INSERT and BULK INSERT (whose data file's field for the column is ignored), the column's type is the
 * expression's, and the catalog says so (sys.columns.is_computed, sys.computed_columns).
 * https://learn.microsoft.com/en-us/sql/relational-databases/tables/specify-computed-columns-in-a-table
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;
const folder = mkdtempSync(join(tmpdir(), 'computed-'));

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 1 } });
  // Purchasing.PurchaseOrderDetail and Sales.SalesOrderHeader's computed columns, from instawdb.sql.
  await pool.request().batch(`CREATE TABLE dbo.lines (
    id int IDENTITY (1, 1) NOT NULL PRIMARY KEY,
    OrderQty smallint NOT NULL,
    UnitPrice money NOT NULL,
    LineTotal AS ISNULL([OrderQty] * [UnitPrice], 0.00),
    ReceivedQty decimal(8, 2) NOT NULL,
    RejectedQty decimal(8, 2) NOT NULL,
    StockedQty AS ISNULL([ReceivedQty] - [RejectedQty], 0.00),
    Number AS ISNULL(N'SO' + CONVERT(nvarchar(23), [id]), N'*** ERROR ***'),
    Total AS [UnitPrice] * 2 PERSISTED)`);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
  rmSync(folder, { recursive: true, force: true });
});

const error = async (text: string) => {
  const e = await failure(pool.request().batch(text));
  return [e.number, e.message];
};

describe('computed columns', () => {
  it('INSERT computes each from the row; SELECT * returns them', async () => {
    await pool.request().batch('INSERT INTO dbo.lines VALUES (3, 50.26, 3.00, 0.50)');
    expect(await query(pool, 'SELECT * FROM dbo.lines')).toEqual([
      {
        id: 1,
        OrderQty: 3,
        UnitPrice: 50.26,
        LineTotal: 150.78,
        ReceivedQty: 3,
        RejectedQty: 0.5,
        StockedQty: 2.5,
        Number: 'SO1',
        Total: 100.52,
      },
    ]);
  });

  it('refuses a value for a computed column (271), in INSERT and UPDATE', async () => {
    const message =
      'The column "LineTotal" cannot be modified because it is either a computed column or is the result of a UNION operator.';
    expect(
      await error(
        'INSERT INTO dbo.lines (OrderQty, UnitPrice, LineTotal, ReceivedQty, RejectedQty) VALUES (1, 1, 1, 1, 1)',
      ),
    ).toEqual([271, message]);
    expect(await error('UPDATE dbo.lines SET LineTotal = 0')).toEqual([271, message]);
    // The stand-in stores the value when the row is written: an UPDATE that would change it is refused.
    expect(await error('UPDATE dbo.lines SET OrderQty = 4')).toEqual([
      50000,
      'The SQL Server stand-in does not support UPDATE of a column that the computed column LineTotal reads.',
    ]);
  });

  it("types each by its expression; ISNULL with a constant makes it NOT NULL; the catalog's views", async () => {
    expect(
      await query(
        pool,
        "SELECT c.name, t.name AS type, c.precision, c.scale, c.max_length, c.is_nullable, c.is_computed FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.user_type_id WHERE c.object_id = OBJECT_ID('dbo.lines') AND c.column_id IN (4, 7, 8, 9) ORDER BY c.column_id",
      ),
    ).toEqual([
      {
        name: 'LineTotal',
        type: 'money',
        precision: 19,
        scale: 4,
        max_length: 8,
        is_nullable: false,
        is_computed: true,
      },
      {
        name: 'StockedQty',
        type: 'decimal',
        precision: 9,
        scale: 2,
        max_length: 5,
        is_nullable: false,
        is_computed: true,
      },
      {
        name: 'Number',
        type: 'nvarchar',
        precision: 0,
        scale: 0,
        max_length: 50,
        is_nullable: false,
        is_computed: true,
      },
      {
        name: 'Total',
        type: 'money',
        precision: 19,
        scale: 4,
        max_length: 8,
        is_nullable: true,
        is_computed: true,
      },
    ]);
    expect(
      await query(
        pool,
        "SELECT name, definition, is_persisted FROM sys.computed_columns WHERE object_id = OBJECT_ID('dbo.lines') ORDER BY column_id",
      ),
    ).toEqual([
      { name: 'LineTotal', definition: '(ISNULL([OrderQty] * [UnitPrice], 0.00))', is_persisted: false },
      {
        name: 'StockedQty',
        definition: '(ISNULL([ReceivedQty] - [RejectedQty], 0.00))',
        is_persisted: false,
      },
      {
        name: 'Number',
        definition: "(ISNULL(N'SO' + CONVERT(nvarchar(23), [id]), N'*** ERROR ***'))",
        is_persisted: false,
      },
      { name: 'Total', definition: '([UnitPrice] * 2)', is_persisted: true },
    ]);
  });

  it('BULK INSERT ignores the data file’s field for a computed column and computes the value', async () => {
    const file = join(folder, 'lines.csv');
    // Fields for every column, as AdventureWorks' PurchaseOrderDetail.csv has them; the file's LineTotal
    // (999) and Number (x) are not what the row's values give.
    writeFileSync(file, '7\t2\t10.00\t999\t1.00\t0.00\t9\tx\t0\n');
    await pool
      .request()
      .batch(`BULK INSERT dbo.lines FROM '${file}' WITH (FIELDTERMINATOR = '\\t', ROWTERMINATOR = '\\n')`);
    expect(
      await query(pool, 'SELECT id, LineTotal, StockedQty, Number, Total FROM dbo.lines WHERE id = 2'),
    ).toEqual([{ id: 2, LineTotal: 20, StockedQty: 1, Number: 'SO2', Total: 20 }]);
  });

  it("hierarchyid's GetLevel(), as HumanResources.Employee's OrganizationLevel: the root is level 0", async () => {
    await pool
      .request()
      .batch(
        "CREATE TABLE dbo.org (node hierarchyid NULL, level AS node.GetLevel()); INSERT INTO dbo.org (node) VALUES ('/'), ('/1/'), ('/3/4/'), (NULL)",
      );
    expect(await query(pool, 'SELECT CAST(node AS nvarchar(20)) AS node, level FROM dbo.org')).toEqual([
      { node: '/', level: 0 },
      { node: '/1/', level: 1 },
      { node: '/3/4/', level: 2 },
      { node: null, level: null },
    ]);
  });

  it('refuses a computed column that reads another one (1759)', async () => {
    expect(await error('CREATE TABLE dbo.bad (a int, b AS a + 1, c AS b + 1)')).toEqual([
      1759,
      "Computed column 'c' in table 'bad' is not allowed to be used in another computed-column definition.",
    ]);
  });
});
