/**
 * Scalar user-defined functions as AdventureWorks' instawdb.sql writes them (ufnLeadingZeros in
 * Sales.Customer's computed AccountNumber, the status-text functions), following CREATE FUNCTION:
 * https://learn.microsoft.com/en-us/sql/t-sql/statements/create-function-transact-sql
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

const LEADING_ZEROS = `CREATE FUNCTION [dbo].[ufnLeadingZeros](
    @Value int
)
RETURNS varchar(8)
WITH SCHEMABINDING
AS
BEGIN
    DECLARE @ReturnValue varchar(8);

    SET @ReturnValue = CONVERT(varchar(8), @Value);
    SET @ReturnValue = REPLICATE('0', 8 - DATALENGTH(@ReturnValue)) + @ReturnValue;

    RETURN (@ReturnValue);
END;`;

const STATUS_TEXT = `CREATE FUNCTION [dbo].[ufnGetDocumentStatusText](@Status [tinyint])
RETURNS [nvarchar](16)
AS
-- Returns the sales order status text representation for the status value.
BEGIN
    DECLARE @ret [nvarchar](16);

    SET @ret =
        CASE @Status
            WHEN 1 THEN N'Pending approval'
            WHEN 2 THEN N'Approved'
            ELSE N'** Invalid **'
        END;

    IF (@ret IS NULL)
        SET @ret = N'never'

    RETURN @ret
END;`;

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 1 } });
  await pool.request().batch(LEADING_ZEROS);
  await pool.request().batch(STATUS_TEXT);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

const error = async (text: string) => {
  const e = await failure(pool.request().batch(text));
  return [e.number, e.message];
};

describe('scalar user-defined functions', () => {
  it('run their body: parameters, DECLARE, SET, CASE, IF and RETURN, the result in the RETURNS type', async () => {
    expect(
      await query(
        pool,
        "SELECT dbo.ufnLeadingZeros(42) AS z, [dbo].[ufnLeadingZeros]('7') AS s, dbo.ufnGetDocumentStatusText(2) AS a, dbo.ufnGetDocumentStatusText(9) AS i, dbo.ufnGetDocumentStatusText(NULL) AS n",
      ),
    ).toEqual([{ z: '00000042', s: '00000007', a: 'Approved', i: '** Invalid **', n: '** Invalid **' }]);
  });

  it("compute Sales.Customer's AccountNumber for each row written", async () => {
    await pool.request().batch(`CREATE TABLE dbo.Customer (
      CustomerID int IDENTITY (1, 1) NOT NULL,
      AccountNumber AS ISNULL('AW' + [dbo].[ufnLeadingZeros](CustomerID), ''),
      TerritoryID int NULL)`);
    await pool.request().batch('INSERT INTO dbo.Customer (TerritoryID) VALUES (1), (2)');
    expect(
      await query(pool, 'SELECT CustomerID, AccountNumber FROM dbo.Customer ORDER BY CustomerID'),
    ).toEqual([
      { CustomerID: 1, AccountNumber: 'AW00000001' },
      { CustomerID: 2, AccountNumber: 'AW00000002' },
    ]);
    expect(
      await query(
        pool,
        "SELECT DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'Customer' AND COLUMN_NAME = 'AccountNumber'",
      ),
    ).toEqual([{ DATA_TYPE: 'varchar', CHARACTER_MAXIMUM_LENGTH: 10, IS_NULLABLE: 'NO' }]);
  });

  it("answer calls with the wrong number of arguments with SQL Server's errors", async () => {
    expect(await error('SELECT dbo.ufnLeadingZeros(1, 2)')).toEqual([
      8144,
      'Procedure or function dbo.ufnLeadingZeros has too many arguments specified.',
    ]);
    expect(await error('SELECT dbo.ufnLeadingZeros()')).toEqual([
      313,
      'An insufficient number of arguments were supplied for the procedure or function dbo.ufnLeadingZeros.',
    ]);
  });

  it('are refused when their body does what the stand-in cannot run, or does not end with RETURN', async () => {
    expect(
      await error(
        'CREATE FUNCTION dbo.ufnGetStock(@ProductID int) RETURNS int AS BEGIN DECLARE @ret int; SELECT @ret = COUNT(*) FROM sys.tables; RETURN @ret END;',
      ),
    ).toEqual([
      50000,
      'The SQL Server stand-in does not support statements other than DECLARE, SET, IF, BEGIN ... END and RETURN in a scalar function.',
    ]);
    expect(
      await error('CREATE FUNCTION dbo.f() RETURNS int AS BEGIN DECLARE @x int; SET @x = 1 END'),
    ).toEqual([455, 'The last statement included within a function must be a return statement.']);
    expect(await error(LEADING_ZEROS)).toEqual([
      2714,
      "There is already an object named 'ufnLeadingZeros' in the database.",
    ]);
  });

  it('are dropped by DROP FUNCTION', async () => {
    await pool.request().batch('CREATE FUNCTION dbo.one() RETURNS int AS BEGIN RETURN 1 END');
    expect(await query(pool, 'SELECT dbo.one() AS v')).toEqual([{ v: 1 }]);
    await pool.request().batch('DROP FUNCTION dbo.one');
    expect(await error('DROP FUNCTION dbo.one')).toEqual([
      3701,
      "Cannot drop the function 'dbo.one', because it does not exist or you do not have permission.",
    ]);
  });
});
