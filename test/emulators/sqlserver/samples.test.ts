/**
 * Microsoft's Northwind and pubs install scripts run on the stand-in as written, batch by batch over the
 * real driver, as sqlcmd runs them. What the stand-in refuses is counted exactly: only views, triggers and
 * procedures beyond its subset, each with its "not supported" error 50000.
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { describeWithSamples, refusalCounts, runScript, sampleScript } from '../../support/sample-databases';
import { connect, failure, query, startEmulator } from './support';

const notSupported = (what: string) => `50000 The SQL Server stand-in does not support ${what}.`;

async function rowCounts(pool: sql.ConnectionPool, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await query<{ n: number }>(pool, `SELECT COUNT(*) AS n FROM [${t}]`);
    counts[t] = row!.n;
  }
  return counts;
}

describeWithSamples("Microsoft's sample databases on the SQL Server stand-in", () => {
  let emulator: SqlServerEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ databases: ['Northwind'] });
  });
  afterAll(() => emulator?.close());

  it('Northwind (instnwnd.sql): every table, key, constraint and row; only views and three procedures refused', async () => {
    const pool = await connect(emulator, {
      database: 'Northwind',
      pool: { max: 1 },
      requestTimeout: 120_000,
    });
    try {
      const { batches, refused } = await runScript(pool, sampleScript('instnwnd.sql.gz'));
      expect(batches).toBe(402);
      expect(refusalCounts(refused)).toEqual({
        [notSupported('CREATE VIEW')]: 16,
        [notSupported('comma joins (use JOIN ... ON)')]: 3,
        [notSupported('derived tables (subqueries in FROM)')]: 1,
      });
      expect(refused.filter((r) => !/^create view/i.test(r.start)).map((r) => r.start)).toEqual([
        'create procedure "Employee',
        'CREATE PROCEDURE CustOrdersDetail',
        'CREATE PROCEDURE CustOrderHist',
        'CREATE PROCEDURE SalesByCategory',
      ]);
      expect(
        await rowCounts(pool, [
          'Categories',
          'CustomerCustomerDemo',
          'CustomerDemographics',
          'Customers',
          'Employees',
          'EmployeeTerritories',
          'Order Details',
          'Orders',
          'Products',
          'Region',
          'Shippers',
          'Suppliers',
          'Territories',
        ]),
      ).toEqual({
        Categories: 8,
        CustomerCustomerDemo: 0,
        CustomerDemographics: 0,
        Customers: 91,
        Employees: 9,
        EmployeeTerritories: 49,
        'Order Details': 2155,
        Orders: 830,
        Products: 77,
        Region: 4,
        Shippers: 3,
        Suppliers: 29,
        Territories: 53,
      });
      // The keys ALTER TABLE added at the end, and every table's primary key.
      const keys = await query<{ name: string; type: string }>(
        pool,
        "SELECT name, type FROM sys.key_constraints WHERE name IN ('PK_Region', 'PK_EmployeeTerritories', 'PK_Order_Details') ORDER BY name",
      );
      expect(keys).toEqual([
        { name: 'PK_EmployeeTerritories', type: 'PK' },
        { name: 'PK_Order_Details', type: 'PK' },
        { name: 'PK_Region', type: 'PK' },
      ]);
      const foreignKeys = await query<{ n: number }>(
        pool,
        "SELECT COUNT(*) AS n FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_NAME LIKE 'FK%'",
      );
      expect(foreignKeys[0]!.n).toBe(13);
      // Re-enabled by CHECK CONSTRAINT ALL without WITH CHECK: enforced again, but not trusted.
      const checks = await query<{
        name: string;
        is_disabled: boolean;
        is_not_trusted: boolean;
        definition: string;
      }>(
        pool,
        'SELECT name, is_disabled, is_not_trusted, definition FROM sys.check_constraints ORDER BY name',
      );
      expect(checks.map((c) => [c.name, c.is_disabled, c.is_not_trusted])).toEqual([
        ['CK_Birthdate', false, true],
        ['CK_Discount', false, true],
        ['CK_Products_UnitPrice', false, true],
        ['CK_Quantity', false, true],
        ['CK_ReorderLevel', false, true],
        ['CK_UnitPrice', false, true],
        ['CK_UnitsInStock', false, true],
        ['CK_UnitsOnOrder', false, true],
      ]);
      expect(checks.find((c) => c.name === 'CK_Discount')!.definition).toBe(
        '(Discount >= 0 and (Discount <= 1))',
      );
      // A table-level constraint (parent_column_id 0): the message names no column.
      const refusedRow = await failure(
        query(pool, "INSERT INTO Products (ProductName, UnitPrice) VALUES (N'Free lunch', -1)"),
      );
      expect([refusedRow.number, refusedRow.message]).toEqual([
        547,
        'The INSERT statement conflicted with the CHECK constraint "CK_Products_UnitPrice". The conflict occurred in database "Northwind", table "dbo.Products".',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('pubs (instpubs.sql): the database, alias types and every row; only a view, a trigger and WITH ROLLUP refused', async () => {
    const pool = await connect(emulator, { database: 'master', pool: { max: 1 }, requestTimeout: 120_000 });
    try {
      const { batches, refused } = await runScript(pool, sampleScript('instpubs.sql.gz'));
      expect(batches).toBe(76);
      expect(refusalCounts(refused)).toEqual({
        [notSupported('CREATE TRIGGER')]: 1,
        [notSupported('CREATE VIEW')]: 1,
        [notSupported('GROUP BY ... WITH ROLLUP')]: 3,
      });
      await pool.request().batch('USE pubs');
      expect(
        await rowCounts(pool, [
          'authors',
          'discounts',
          'employee',
          'jobs',
          'pub_info',
          'publishers',
          'roysched',
          'sales',
          'stores',
          'titleauthor',
          'titles',
        ]),
      ).toEqual({
        authors: 23,
        discounts: 3,
        employee: 43,
        jobs: 14,
        pub_info: 8,
        publishers: 8,
        roysched: 86,
        sales: 21,
        stores: 6,
        titleauthor: 25,
        titles: 18,
      });
      // sp_addtype's alias types: the base type and its NOT NULL.
      const auId = await query(
        pool,
        "SELECT DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'authors' AND COLUMN_NAME = 'au_id'",
      );
      expect(auId).toEqual([{ DATA_TYPE: 'varchar', CHARACTER_MAXIMUM_LENGTH: 11, IS_NULLABLE: 'NO' }]);
      const recovery = await query(pool, "SELECT recovery_model_desc FROM sys.databases WHERE name = 'pubs'");
      expect(recovery).toEqual([{ recovery_model_desc: 'SIMPLE' }]);
      // A CHECK with LIKE's [0-9] sets, named by SQL Server's generated name.
      const badId = await failure(
        query(
          pool,
          "INSERT INTO authors (au_id, au_lname, au_fname, contract) VALUES ('12-345-6789', 'X', 'Y', 1)",
        ),
      );
      expect(badId.number).toBe(547);
      expect(badId.message).toMatch(
        /^The INSERT statement conflicted with the CHECK constraint "CK__authors__au_id__[0-9A-F]{8}"\. The conflict occurred in database "pubs", table "dbo\.authors", column 'au_id'\.$/,
      );
    } finally {
      await pool.close();
    }
  });
});
