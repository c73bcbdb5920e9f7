/**
 * Dynamic data masking and row-level security in the SQL Server stand-in, through the real mssql driver:
 * a least-privilege login reads masked values and only the rows a policy lets it see, as SQL Server
 * documents (https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking,
 * https://learn.microsoft.com/sql/relational-databases/security/row-level-security).
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

const READER_PASSWORD = 'Reader_Pa55!';

const SEED = `
CREATE TABLE dbo.people (
  id int NOT NULL PRIMARY KEY,
  name nvarchar(50) MASKED WITH (FUNCTION = 'default()') NULL,
  code char(2) NOT NULL,
  salary decimal(9,2) NULL,
  born datetime2(3) NULL,
  region varchar(10) NOT NULL
);
INSERT INTO dbo.people VALUES
  (1, N'Ada', 'AB', 1234.50, '1815-12-10 01:02:03.456', 'east'),
  (2, NULL, 'CD', NULL, NULL, 'west'),
  (3, N'Grace', 'EF', 99.99, '1906-12-09 00:00:00', 'east');
ALTER TABLE dbo.people ALTER COLUMN salary ADD MASKED WITH (FUNCTION = 'default()');
ALTER TABLE dbo.people ALTER COLUMN born ADD MASKED WITH (FUNCTION = 'default()');
ALTER TABLE dbo.people ALTER COLUMN code ADD MASKED WITH (FUNCTION = 'default()');
CREATE LOGIN reader WITH PASSWORD = '${READER_PASSWORD}';
CREATE USER reader FOR LOGIN reader;
ALTER ROLE db_datareader ADD MEMBER reader;
GO
CREATE FUNCTION dbo.east_only(@region AS varchar(10))
  RETURNS TABLE WITH SCHEMABINDING
AS RETURN SELECT 1 AS ok WHERE @region = 'east' OR USER_NAME() = 'dbo';
GO
CREATE TABLE dbo.sales (id int NOT NULL PRIMARY KEY, region varchar(10) NOT NULL);
INSERT INTO dbo.sales VALUES (1, 'east'), (2, 'west'), (3, 'east');
CREATE SECURITY POLICY dbo.region_filter
  ADD FILTER PREDICATE dbo.east_only(region) ON dbo.sales
  WITH (STATE = ON);
`;

let emulator: SqlServerEmulator;
let admin: sql.ConnectionPool;
let reader: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ seed: [SEED] });
  admin = await connect(emulator);
  reader = await connect(emulator, { user: 'reader', password: READER_PASSWORD });
});

afterAll(async () => {
  await reader?.close();
  await admin?.close();
  await emulator?.close();
});

describe('dynamic data masking', () => {
  it('sa (a sysadmin, which holds UNMASK) reads the real values', async () => {
    expect(await query(admin, 'SELECT name, code FROM dbo.people WHERE id = 1')).toEqual([
      { name: 'Ada', code: 'AB' },
    ]);
  });

  it('a login without UNMASK reads default() masks; NULL stays NULL; WHERE sees the real values', async () => {
    const rows = await query(
      reader,
      'SELECT id, name, code, salary, born, region FROM dbo.people WHERE salary > 1000 OR id = 2 ORDER BY id',
    );
    expect(rows).toEqual([
      // xxxx (fewer for a shorter column), 0, 1900-01-01: the page's default() masks.
      { id: 1, name: 'xxxx', code: 'xx', salary: 0, born: new Date('1900-01-01T00:00:00Z'), region: 'east' },
      { id: 2, name: null, code: 'xx', salary: null, born: null, region: 'west' },
    ]);
  });

  it('an expression over a masked column is masked with default() of its own type', async () => {
    const rows = await query(
      reader,
      'SELECT CONVERT(nvarchar(30), born, 121) AS b, CAST(salary AS nvarchar(20)) AS s, LEN(name) AS n FROM dbo.people WHERE id = 1',
    );
    expect(rows).toEqual([{ b: 'xxxx', s: 'xxxx', n: 0 }]);
  });

  it('aggregates over a masked column are refused for a reader without UNMASK', async () => {
    const error = await failure(query(reader, 'SELECT SUM(salary) AS s FROM dbo.people'));
    expect(error.number).toBe(50000);
    expect(error.message).toContain('an aggregate over a masked column');
  });

  it('the reader holds no UNMASK until granted; then it reads the real values', async () => {
    const perms =
      "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'UNMASK') AS unmask, HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'SELECT') AS sel, HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'INSERT') AS ins, IS_SRVROLEMEMBER('sysadmin') AS sa, IS_ROLEMEMBER('db_datareader') AS dr, USER_NAME() AS u";
    expect(await query(reader, perms)).toEqual([{ unmask: 0, sel: 1, ins: 0, sa: 0, dr: 1, u: 'reader' }]);
    await emulator.exec('GRANT UNMASK TO reader');
    try {
      expect(await query(reader, 'SELECT name FROM dbo.people WHERE id = 1')).toEqual([{ name: 'Ada' }]);
      expect(await query(reader, perms)).toEqual([{ unmask: 1, sel: 1, ins: 0, sa: 0, dr: 1, u: 'reader' }]);
    } finally {
      await emulator.exec('REVOKE UNMASK FROM reader');
    }
  });

  it('sys.masked_columns lists the masked columns with their function', async () => {
    const rows = await query(
      reader,
      `SELECT c.name, c.is_masked, c.masking_function FROM sys.masked_columns AS c
       JOIN sys.tables AS t ON c.object_id = t.object_id WHERE t.name = 'people' ORDER BY c.column_id`,
    );
    expect(rows).toEqual([
      { name: 'name', is_masked: true, masking_function: 'default()' },
      { name: 'code', is_masked: true, masking_function: 'default()' },
      { name: 'salary', is_masked: true, masking_function: 'default()' },
      { name: 'born', is_masked: true, masking_function: 'default()' },
    ]);
  });

  it('masking functions other than default() are refused clearly', async () => {
    const error = await failure(
      query(admin, "ALTER TABLE dbo.people ALTER COLUMN region ADD MASKED WITH (FUNCTION = 'email()')"),
    );
    expect(error.message).toBe('The SQL Server stand-in does not support the masking function email().');
  });
});

describe('row-level security', () => {
  it('a filter predicate hides rows from the reader; the function lets dbo see all', async () => {
    expect(await query(reader, 'SELECT id FROM dbo.sales ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await query(reader, 'SELECT COUNT_BIG(*) AS n FROM dbo.sales')).toEqual([{ n: '2' }]);
    expect(await query(admin, 'SELECT id FROM dbo.sales ORDER BY id')).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
  });

  it('sys.security_policies and sys.security_predicates need VIEW DEFINITION', async () => {
    const text = `SELECT p.name, p.is_enabled, s.predicate_type, s.predicate_definition, OBJECT_ID('dbo.sales') - s.target_object_id AS d
      FROM sys.security_policies AS p JOIN sys.security_predicates AS s ON s.object_id = p.object_id`;
    const expected = [
      {
        name: 'region_filter',
        is_enabled: true,
        predicate_type: 0,
        predicate_definition: '[dbo].[east_only]([region])',
        d: 0,
      },
    ];
    expect(await query(admin, text)).toEqual(expected);
    expect(await query(reader, text)).toEqual([]);
    await emulator.exec('GRANT VIEW DEFINITION TO reader');
    try {
      expect(await query(reader, text)).toEqual(expected);
    } finally {
      await emulator.exec('REVOKE VIEW DEFINITION FROM reader');
    }
  });

  it('a disabled policy filters nothing, and a dropped one is gone', async () => {
    await emulator.exec(
      `CREATE SECURITY POLICY dbo.off_filter ADD FILTER PREDICATE dbo.east_only(region) ON dbo.people`,
    );
    expect(await query(reader, 'SELECT COUNT(*) AS n FROM dbo.people')).toEqual([{ n: 3 }]);
    await emulator.exec('DROP SECURITY POLICY dbo.off_filter');
    expect(await query(admin, 'SELECT COUNT(*) AS n FROM sys.security_policies')).toEqual([{ n: 1 }]);
  });

  it('a login without a user in the database cannot open it', async () => {
    await emulator.exec("CREATE LOGIN stranger WITH PASSWORD = 'Str4nger_pw!'");
    const error = await failure(connect(emulator, { user: 'stranger', password: 'Str4nger_pw!' }));
    expect(error.message).toContain("Login failed for user 'stranger'.");
  });
});

describe('what a least-privilege login sees of permissions and definitions', () => {
  it('answers HAS_PERMS_BY_NAME on a table from its grants: SELECT through db_datareader, VIEW CHANGE TRACKING only with CONTROL', async () => {
    const text =
      "SELECT HAS_PERMS_BY_NAME('dbo.people', 'OBJECT', 'SELECT') AS sel, " +
      "HAS_PERMS_BY_NAME('dbo.people', 'OBJECT', 'VIEW CHANGE TRACKING') AS vct, " +
      "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE STATE') AS vds, " +
      "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DATABASE PERFORMANCE STATE') AS vdps";
    expect(await query(reader, text)).toEqual([{ sel: 1, vct: 0, vds: 0, vdps: 0 }]);
    expect(await query(admin, text)).toEqual([{ sel: 1, vct: 1, vds: 1, vdps: 1 }]);
  });

  it("reads a default's definition as NULL without VIEW DEFINITION, while sys.columns still shows there is one", async () => {
    await admin
      .request()
      .batch(
        "CREATE TABLE dbo.tickets (id int NOT NULL PRIMARY KEY, state varchar(10) NOT NULL DEFAULT ('open'))",
      );
    const text =
      'SELECT c.COLUMN_NAME AS name, c.COLUMN_DEFAULT AS definition, s.default_object_id AS has_default ' +
      'FROM INFORMATION_SCHEMA.COLUMNS AS c JOIN sys.columns AS s ' +
      "ON s.object_id = OBJECT_ID('dbo.tickets') AND s.name = c.COLUMN_NAME " +
      "WHERE c.TABLE_NAME = 'tickets' ORDER BY c.ORDINAL_POSITION";
    const asReader = await query<{ name: string; definition: string | null; has_default: number }>(
      reader,
      text,
    );
    expect(asReader.map((r) => [r.name, r.definition, r.has_default !== 0])).toEqual([
      ['id', null, false],
      ['state', null, true],
    ]);
    expect((await query<{ definition: string | null }>(admin, text)).map((r) => r.definition)).toEqual([
      null,
      "('open')",
    ]);
    await admin.request().batch('GRANT VIEW DEFINITION TO reader');
    try {
      expect((await query<{ definition: string | null }>(reader, text)).map((r) => r.definition)).toEqual([
        null,
        "('open')",
      ]);
    } finally {
      await admin.request().batch('REVOKE VIEW DEFINITION FROM reader');
    }
  });
});
