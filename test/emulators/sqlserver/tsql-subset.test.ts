/** The rest of the T-SQL subset, as a person or a seed script uses it, through `mssql`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

const SEED = `
CREATE TABLE dbo.products (
  id int IDENTITY(1, 1) NOT NULL PRIMARY KEY,
  name nvarchar(50) NOT NULL UNIQUE,
  category varchar(20) NULL,
  price decimal(9, 2) NOT NULL DEFAULT 0,
  stock int NULL
);
CREATE TABLE dbo.reviews (product_id int NOT NULL REFERENCES dbo.products (id), stars tinyint NOT NULL, body nvarchar(max) NULL);
GO
INSERT INTO dbo.products (name, category, price, stock) VALUES
  (N'Apple', 'fruit', 1.20, 10), (N'banana', 'fruit', 0.50, NULL), (N'Carrot', 'veg', 0.30, 100),
  (N'Dill', 'herb', 2.00, 0), (N'éclair', NULL, 3.75, 5);
INSERT INTO dbo.reviews VALUES (1, 5, N'crisp'), (1, 3, NULL), (3, 4, N'orange');`;

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ databases: ['shop', 'archive'], seed: [SEED] });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

const rows = (text: string) => query(pool, text);

describe('queries', () => {
  it('filters with LIKE, IN, BETWEEN, IS NULL, NOT and OR, case-insensitively', async () => {
    expect(
      await rows("SELECT name FROM dbo.products WHERE name LIKE 'a%' OR name LIKE '%RROT' ORDER BY name"),
    ).toEqual([{ name: 'Apple' }, { name: 'Carrot' }]);
    expect(
      await rows(
        "SELECT id FROM dbo.products WHERE category IN ('FRUIT', 'herb') AND NOT price BETWEEN 0.4 AND 1 ORDER BY id",
      ),
    ).toEqual([{ id: 1 }, { id: 4 }]);
    expect(
      await rows('SELECT id FROM dbo.products WHERE stock IS NULL OR category IS NULL ORDER BY id DESC'),
    ).toEqual([{ id: 5 }, { id: 2 }]);
    expect(
      await rows(
        "SELECT id FROM dbo.products WHERE ISNULL(category, 'none') = 'NONE' OR ISNULL(stock, -1) < 0 ORDER BY id",
      ),
    ).toEqual([{ id: 2 }, { id: 5 }]);
  });

  it('filters on date parts', async () => {
    await pool
      .request()
      .batch(
        "CREATE TABLE dbo.sales (id int PRIMARY KEY, sold date NOT NULL, at datetimeoffset(0) NULL); INSERT INTO dbo.sales VALUES (1, '2023-12-31', '2024-01-01 01:00 +05:00'), (2, '2024-02-29', NULL), (3, '2024-03-01', '2024-03-01 00:00 -08:00');",
      );
    expect(
      await rows('SELECT id FROM dbo.sales WHERE YEAR(sold) = 2024 AND MONTH(sold) <= 2 ORDER BY id'),
    ).toEqual([{ id: 2 }]);
    expect(await rows('SELECT id FROM dbo.sales WHERE DAY(at) = 1 ORDER BY id')).toEqual([
      { id: 1 },
      { id: 3 },
    ]);
  });

  it('groups, counts, sums and filters groups', async () => {
    expect(
      await rows(
        'SELECT category, COUNT(*) AS n, SUM(price) AS total, MIN(name) AS first FROM dbo.products ' +
          'GROUP BY category HAVING COUNT(*) >= 1 ORDER BY category',
      ),
    ).toEqual([
      { category: null, n: 1, total: 3.75, first: 'éclair' },
      { category: 'fruit', n: 2, total: 1.7, first: 'Apple' },
      { category: 'herb', n: 1, total: 2, first: 'Dill' },
      { category: 'veg', n: 1, total: 0.3, first: 'Carrot' },
    ]);
    expect(
      await rows('SELECT DISTINCT category FROM dbo.products WHERE category IS NOT NULL ORDER BY category'),
    ).toEqual([{ category: 'fruit' }, { category: 'herb' }, { category: 'veg' }]);
    expect(await rows('SELECT AVG(price) AS avg_price, AVG(stock) AS avg_stock FROM dbo.products')).toEqual([
      { avg_price: 1.55, avg_stock: 28 },
    ]);
  });

  it('joins, with LEFT JOIN keeping rows that have no match', async () => {
    expect(
      await rows(
        'SELECT p.name, COUNT(r.stars) AS reviews FROM dbo.products AS p LEFT JOIN dbo.reviews AS r ON r.product_id = p.id ' +
          'GROUP BY p.name ORDER BY p.name',
      ),
    ).toEqual([
      { name: 'Apple', reviews: 2 },
      { name: 'banana', reviews: 0 },
      { name: 'Carrot', reviews: 1 },
      { name: 'Dill', reviews: 0 },
      { name: 'éclair', reviews: 0 },
    ]);
  });

  it('computes the select list: CASE, ISNULL, COALESCE, string functions, arithmetic, TOP', async () => {
    expect(
      await rows(
        "SELECT TOP (2) UPPER(name) AS up, LEN(name + N'  ') AS len, ISNULL(stock, -1) AS stock, COALESCE(category, 'none') AS cat, " +
          "CASE WHEN price > 1 THEN 'dear' ELSE 'cheap' END AS band, price * 2 AS twice, id % 2 AS odd FROM dbo.products ORDER BY price DESC",
      ),
    ).toEqual([
      { up: 'ÉCLAIR', len: 6, stock: 5, cat: 'none', band: 'dear', twice: 7.5, odd: 1 },
      { up: 'DILL', len: 4, stock: 0, cat: 'herb', band: 'dear', twice: 4, odd: 0 },
    ]);
  });

  it('returns several result sets from one batch, with PRINT as an info message', async () => {
    const request = pool.request();
    const messages: string[] = [];
    request.on('info', (info: { message: string }) => messages.push(info.message));
    const result = await request.batch("SELECT 1 AS a; PRINT 'between'; SELECT 2 AS b, 3 AS c");
    expect(result.recordsets).toEqual([[{ a: 1 }], [{ b: 2, c: 3 }]]);
    expect(messages).toEqual(['between']);
  });

  it('runs batches with variables, IF EXISTS and mssql batch parameters', async () => {
    const result = await pool
      .request()
      .input('min', sql.Decimal(9, 2), 1)
      .batch(
        "DECLARE @n int = 0; SELECT @n = 41; SET @n = @n + 1; IF EXISTS (SELECT 1 FROM dbo.products WHERE name = N'dill') " +
          'SELECT @n AS answer, COUNT(*) AS dear FROM dbo.products WHERE price >= @min ELSE SELECT 0 AS answer',
      );
    expect(result.recordset).toEqual([{ answer: 42, dear: 3 }]);
  });
});

describe('changes', () => {
  it('updates, deletes and counts rows affected', async () => {
    const update = await pool
      .request()
      .query("UPDATE dbo.products SET stock = stock + 1, category = 'fruit!' WHERE category = 'fruit'");
    expect(update.rowsAffected).toEqual([2]);
    expect(await rows("SELECT name, stock FROM dbo.products WHERE category = 'fruit!' ORDER BY id")).toEqual([
      { name: 'Apple', stock: 11 },
      { name: 'banana', stock: null },
    ]);
    const deleted = await pool.request().query('DELETE FROM dbo.reviews WHERE stars < 4');
    expect(deleted.rowsAffected).toEqual([1]);
  });

  it('enforces UNIQUE under the collation and keeps IDENTITY going', async () => {
    expect((await failure(query(pool, "INSERT INTO dbo.products (name) VALUES (N'APPLE')"))).message).toMatch(
      /^Violation of UNIQUE KEY constraint 'UQ__products__[0-9A-F]{16}'\. Cannot insert duplicate key in object 'dbo\.products'\. The duplicate key value is \(APPLE\)\.$/,
    );
    const inserted = await pool
      .request()
      .query("INSERT INTO dbo.products (name) VALUES (N'Fig'); SELECT SCOPE_IDENTITY() AS id");
    // As in SQL Server, the failed insert used up identity value 6.
    expect(inserted.recordset).toEqual([{ id: 7 }]);
  });

  it('accepts explicit identity values only with IDENTITY_INSERT ON', async () => {
    expect(
      (await failure(query(pool, "INSERT INTO dbo.products (id, name) VALUES (100, N'Grape')"))).number,
    ).toBe(544);
    await pool
      .request()
      .batch(
        "SET IDENTITY_INSERT dbo.products ON; INSERT INTO dbo.products (id, name) VALUES (100, N'Grape'); SET IDENTITY_INSERT dbo.products OFF;",
      );
    await query(pool, "INSERT INTO dbo.products (name) VALUES (N'Hazelnut')");
    expect(await rows('SELECT id FROM dbo.products WHERE id >= 100 ORDER BY id')).toEqual([
      { id: 100 },
      { id: 101 },
    ]);
  });

  it('rolls back a batch transaction, catalog changes included', async () => {
    await pool
      .request()
      .batch(
        "BEGIN TRANSACTION; CREATE TABLE dbo.temp_t (x int); INSERT INTO dbo.products (name) VALUES (N'Kiwi'); ROLLBACK;",
      );
    expect(await rows("SELECT COUNT(*) AS n FROM dbo.products WHERE name = N'Kiwi'")).toEqual([{ n: 0 }]);
    expect((await failure(query(pool, 'SELECT * FROM dbo.temp_t'))).number).toBe(208);
  });

  it('uses other databases by USE and by three-part names; truncates and drops', async () => {
    await pool
      .request()
      .batch(
        'USE archive; CREATE TABLE dbo.old (id int PRIMARY KEY); INSERT INTO dbo.old VALUES (1), (2); USE shop;',
      );
    expect(await rows('SELECT COUNT(*) AS n FROM archive.dbo.old')).toEqual([{ n: 2 }]);
    expect(await rows('SELECT DB_NAME() AS db')).toEqual([{ db: 'shop' }]);
    await pool
      .request()
      .batch(
        'TRUNCATE TABLE archive.dbo.old; DROP TABLE IF EXISTS archive.dbo.old; DROP TABLE IF EXISTS archive.dbo.old;',
      );
    expect((await failure(query(pool, 'SELECT * FROM archive.dbo.old'))).number).toBe(208);
  });

  it('copies rows with INSERT ... SELECT, converting to the target types', async () => {
    await pool
      .request()
      .batch(
        'CREATE TABLE dbo.cheap (id bigint NOT NULL PRIMARY KEY, label varchar(10) NOT NULL, price_text varchar(20) NULL);' +
          'INSERT INTO dbo.cheap (id, label, price_text) SELECT id, UPPER(name), CAST(price AS varchar(20)) FROM dbo.products WHERE price BETWEEN 0.1 AND 0.99 ORDER BY id;',
      );
    expect(await rows('SELECT id, label, price_text FROM dbo.cheap ORDER BY id')).toEqual([
      { id: '2', label: 'BANANA', price_text: '0.50' },
      { id: '3', label: 'CARROT', price_text: '0.30' },
    ]);
    expect(
      (await failure(query(pool, 'INSERT INTO dbo.cheap (id, label) SELECT id FROM dbo.products'))).number,
    ).toBe(120);
  });

  it('creates indexes: unique ones are enforced under the collation, all are listed in sys.indexes', async () => {
    await pool
      .request()
      .batch(
        'CREATE UNIQUE NONCLUSTERED INDEX ux_cheap_label ON dbo.cheap (label) WITH (FILLFACTOR = 90); CREATE INDEX ix_cheap_price ON dbo.cheap (price_text DESC);',
      );
    expect(
      await failure(query(pool, "INSERT INTO dbo.cheap (id, label) VALUES (9, 'banana ')")),
    ).toMatchObject({
      number: 2601,
      message:
        "Cannot insert duplicate key row in object 'dbo.cheap' with unique index 'ux_cheap_label'. The duplicate key value is (banana ).",
    });
    expect(
      await rows(
        "SELECT name, index_id, type_desc, is_unique FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.cheap') ORDER BY index_id",
      ),
    ).toEqual([
      { name: expect.stringMatching(/^PK__cheap__/), index_id: 1, type_desc: 'CLUSTERED', is_unique: true },
      { name: 'ux_cheap_label', index_id: 2, type_desc: 'NONCLUSTERED', is_unique: true },
      { name: 'ix_cheap_price', index_id: 3, type_desc: 'NONCLUSTERED', is_unique: false },
    ]);
    await pool
      .request()
      .batch('DROP INDEX ux_cheap_label ON dbo.cheap; DROP INDEX dbo.cheap.ix_cheap_price;');
    await query(pool, "INSERT INTO dbo.cheap (id, label) VALUES (9, 'banana ')");
    expect(
      await rows("SELECT COUNT(*) AS n FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.cheap')"),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses to drop a table another references', async () => {
    expect(await failure(query(pool, 'DROP TABLE dbo.products'))).toMatchObject({
      number: 3726,
      message: "Could not drop object 'dbo.products' because it is referenced by a FOREIGN KEY constraint.",
    });
  });
});

describe('persistence', () => {
  it('keeps tables, types and identity in a DuckDB file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-'));
    const dataFile = join(dir, 'data.duckdb');
    try {
      const first = await startEmulator({
        dataFile,
        seed: ['CREATE TABLE dbo.kept (id int IDENTITY PRIMARY KEY, at datetime2(7) NOT NULL);'],
      });
      await first.exec("INSERT INTO dbo.kept (at) VALUES ('2024-01-02 03:04:05.1234567')");
      await first.close();
      const second = await startEmulator({ dataFile });
      const p = await connect(second);
      await query(p, "INSERT INTO dbo.kept (at) VALUES ('2024-01-02 03:04:05.7654321')");
      expect(
        await query(p, 'SELECT id, CONVERT(varchar(27), at, 121) AS at FROM dbo.kept ORDER BY id'),
      ).toEqual([
        { id: 1, at: '2024-01-02 03:04:05.1234567' },
        { id: 2, at: '2024-01-02 03:04:05.7654321' },
      ]);
      await p.close();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('permissions: the login is sa, a sysadmin', () => {
  it('answers role membership and database permissions as SQL Server does for sa', async () => {
    expect(
      await rows(
        "SELECT IS_SRVROLEMEMBER('sysadmin') AS sysadmin, IS_SRVROLEMEMBER('no_such_role') AS unknown_role, " +
          "IS_ROLEMEMBER('db_owner') AS db_owner, IS_ROLEMEMBER('public') AS [public], " +
          "HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'INSERT') AS can_insert, " +
          "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'create table') AS can_create, " +
          "HAS_PERMS_BY_NAME('no_such_db', 'DATABASE', 'ALTER') AS other_db, " +
          "HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'FLY') AS bad_permission",
      ),
    ).toEqual([
      {
        sysadmin: 1,
        unknown_role: null,
        db_owner: 1,
        public: 1,
        can_insert: 1,
        can_create: 1,
        other_db: null,
        bad_permission: null,
      },
    ]);
  });

  it('refuses what its model cannot answer truly', async () => {
    for (const [text, what] of [
      ["SELECT IS_ROLEMEMBER('db_datawriter')", "IS_ROLEMEMBER('db_datawriter')"],
      ["SELECT IS_SRVROLEMEMBER('sysadmin', 'bob')", 'IS_SRVROLEMEMBER with a principal argument'],
      [
        "SELECT HAS_PERMS_BY_NAME('dbo.products', 'OBJECT', 'INSERT')",
        'HAS_PERMS_BY_NAME on an OBJECT for INSERT (only SELECT and VIEW CHANGE TRACKING)',
      ],
      [
        "SELECT HAS_PERMS_BY_NAME('dbo.nothing', 'OBJECT', 'SELECT')",
        'HAS_PERMS_BY_NAME on an object that does not exist',
      ],
      [
        "SELECT HAS_PERMS_BY_NAME('dbo', 'SCHEMA', 'SELECT')",
        'HAS_PERMS_BY_NAME on the securable class SCHEMA',
      ],
    ]) {
      expect(await failure(query(pool, text!))).toMatchObject({
        number: 50000,
        message: `The SQL Server stand-in does not support ${what}.`,
      });
    }
  });
});
