/**
 * What old install scripts run: CHECK constraints, ALTER TABLE ... ADD / CHECK / NOCHECK CONSTRAINT, alias
 * types, sysobjects existence checks, CHECKPOINT, UPDATE STATISTICS and DROP of objects the stand-in
 * cannot create, with SQL Server's errors.
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 1 } });
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

const run = (text: string) => pool.request().batch(text);
const error = async (text: string) => {
  const e = await failure(run(text));
  return [e.number, e.message];
};

describe('CHECK constraints', () => {
  beforeAll(() =>
    run(`CREATE TABLE dbo.items (
      id int NOT NULL CONSTRAINT PK_items PRIMARY KEY,
      code char(4) NOT NULL CHECK (code LIKE '[A-Z][0-9][0-9][0-9]'),
      qty int NULL,
      price money NOT NULL,
      CONSTRAINT CK_items_qty CHECK (qty > 0 AND price >= 0))`),
  );

  it('refuses a row that makes a condition FALSE (547), lets UNKNOWN (NULL) through', async () => {
    expect(await error("INSERT INTO dbo.items VALUES (1, 'A12', 1, 1)")).toEqual([
      547,
      expect.stringMatching(
        /^The INSERT statement conflicted with the CHECK constraint "CK__items__code__[0-9A-F]{8}"\. The conflict occurred in database "shop", table "dbo\.items", column 'code'\.$/,
      ),
    ]);
    expect(await error("INSERT INTO dbo.items VALUES (1, 'A123', 0, 1)")).toEqual([
      547,
      'The INSERT statement conflicted with the CHECK constraint "CK_items_qty". The conflict occurred in database "shop", table "dbo.items".',
    ]);
    await run("INSERT INTO dbo.items VALUES (1, 'a123', NULL, 1)");
    expect(await query(pool, 'SELECT COUNT(*) AS n FROM dbo.items')).toEqual([{ n: 1 }]);
  });

  it('NOCHECK CONSTRAINT lets rows in; CHECK CONSTRAINT enforces again, not trusted', async () => {
    await run('ALTER TABLE dbo.items NOCHECK CONSTRAINT CK_items_qty');
    await run("INSERT INTO dbo.items VALUES (2, 'B222', -5, 1)");
    await run('ALTER TABLE dbo.items CHECK CONSTRAINT ALL');
    expect(await error("INSERT INTO dbo.items VALUES (3, 'C333', -5, 1)")).toEqual([
      547,
      expect.stringContaining('CHECK constraint "CK_items_qty"'),
    ]);
    expect(
      await query(
        pool,
        "SELECT is_disabled, is_not_trusted, definition FROM sys.check_constraints WHERE name = 'CK_items_qty'",
      ),
    ).toEqual([{ is_disabled: false, is_not_trusted: true, definition: '(qty > 0 AND price >= 0)' }]);
    expect(await error('ALTER TABLE dbo.items NOCHECK CONSTRAINT CK_nothing')).toEqual([
      4917,
      "Constraint 'CK_nothing' does not exist.",
    ]);
  });

  it('ALTER TABLE ... ADD CHECK checks existing rows unless WITH NOCHECK', async () => {
    expect(await error('ALTER TABLE dbo.items ADD CONSTRAINT CK_positive CHECK (qty >= 0)')).toEqual([
      547,
      'The ALTER TABLE statement conflicted with the CHECK constraint "CK_positive". The conflict occurred in database "shop", table "dbo.items".',
    ]);
    await run('ALTER TABLE dbo.items WITH NOCHECK ADD CONSTRAINT CK_positive CHECK (qty >= 0)');
    expect(
      await query(pool, "SELECT is_not_trusted FROM sys.check_constraints WHERE name = 'CK_positive'"),
    ).toEqual([{ is_not_trusted: true }]);
  });

  it('an UPDATE of a column a CHECK reads is refused rather than left unchecked', async () => {
    expect(await error('UPDATE dbo.items SET qty = 10 WHERE id = 1')).toEqual([
      50000,
      'The SQL Server stand-in does not support UPDATE of a column that the CHECK constraint CK_items_qty reads.',
    ]);
  });

  // "Some run-time errors, such as constraint violations, stop only the current statement": Batches,
  // https://learn.microsoft.com/en-us/previous-versions/sql/sql-server-2008-r2/ms175502(v=sql.105)
  it('a constraint violation ends only its statement, the batch goes on; under XACT_ABORT ON it ends the batch', async () => {
    // A duplicate key (2627), then a CHECK conflict (547): each ends its statement only. The driver
    // reports the batch's last error.
    expect(
      await error(
        "INSERT INTO dbo.items VALUES (20, 'D200', 1, 1); INSERT INTO dbo.items VALUES (20, 'D201', 1, 1); INSERT INTO dbo.items VALUES (21, 'D210', -1, 1); INSERT INTO dbo.items VALUES (22, 'D220', 1, 1)",
      ),
    ).toEqual([547, expect.stringContaining('CHECK constraint "CK_items_qty"')]);
    expect(await query(pool, 'SELECT id, code FROM dbo.items WHERE id >= 20 ORDER BY id')).toEqual([
      { id: 20, code: 'D200' },
      { id: 22, code: 'D220' },
    ]);
    expect(
      await error(
        "SET XACT_ABORT ON; INSERT INTO dbo.items VALUES (23, 'D230', -1, 1); INSERT INTO dbo.items VALUES (24, 'D240', 1, 1)",
      ),
    ).toEqual([547, expect.stringContaining('CHECK constraint "CK_items_qty"')]);
    await run('SET XACT_ABORT OFF');
    expect(await query(pool, 'SELECT id FROM dbo.items WHERE id >= 23')).toEqual([]);
  });
});

describe('ALTER TABLE ... ADD CONSTRAINT', () => {
  beforeAll(() =>
    run(`CREATE TABLE dbo.parents (id int NOT NULL, code nvarchar(10) NOT NULL);
      CREATE TABLE dbo.children (id int NOT NULL, parent_id int NULL, made datetime NULL);
      INSERT INTO dbo.parents VALUES (1, N'a'), (2, N'A');`),
  );

  it('adds primary keys, foreign keys and defaults, listed as SQL Server lists them', async () => {
    await run('ALTER TABLE dbo.parents ADD CONSTRAINT PK_parents PRIMARY KEY NONCLUSTERED (id) ON [PRIMARY]');
    await run(`ALTER TABLE dbo.children ADD CONSTRAINT PK_children PRIMARY KEY (id),
      CONSTRAINT FK_children_parents FOREIGN KEY (parent_id) REFERENCES dbo.parents (id),
      CONSTRAINT DF_children_made DEFAULT (getdate()) FOR made`);
    await run('INSERT INTO dbo.children (id, parent_id) VALUES (1, 1)');
    expect(await query(pool, 'SELECT COUNT(*) AS n FROM dbo.children WHERE made IS NOT NULL')).toEqual([
      { n: 1 },
    ]);
    expect(
      await query(
        pool,
        "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'children' ORDER BY CONSTRAINT_NAME",
      ),
    ).toEqual([
      { CONSTRAINT_NAME: 'FK_children_parents', CONSTRAINT_TYPE: 'FOREIGN KEY' },
      { CONSTRAINT_NAME: 'PK_children', CONSTRAINT_TYPE: 'PRIMARY KEY' },
    ]);
    expect(await error('INSERT INTO dbo.children (id) VALUES (1)')).toEqual([
      2627,
      "Violation of PRIMARY KEY constraint 'PK_children'. Cannot insert duplicate key in object 'dbo.children'. The duplicate key value is (1).",
    ]);
    // A nonclustered primary key leaves room for a clustered index.
    await run('CREATE CLUSTERED INDEX ix_parents_code ON dbo.parents (code)');
  });

  it('refuses keys over duplicates (equal under the collation), a second primary key, a taken name', async () => {
    expect(await error('ALTER TABLE dbo.parents ADD CONSTRAINT UQ_code UNIQUE (code)')).toEqual([
      1505,
      "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name 'dbo.parents' and the index name 'UQ_code'.",
    ]);
    expect(await error('ALTER TABLE dbo.parents ADD PRIMARY KEY (code)')).toEqual([
      1779,
      "Table 'parents' already has a primary key defined on it.",
    ]);
    expect(await error('ALTER TABLE dbo.children ADD CONSTRAINT PK_parents UNIQUE (made)')).toEqual([
      2714,
      "There is already an object named 'PK_parents' in the database.",
    ]);
    expect(await error('ALTER TABLE dbo.children ADD CONSTRAINT DF_again DEFAULT 0 FOR made')).toEqual([
      1781,
      'Column already has a DEFAULT bound to it.',
    ]);
    // A statement whose later constraint fails adds nothing, its key's index included.
    expect(
      await error(
        'ALTER TABLE dbo.children ADD CONSTRAINT UQ_made UNIQUE (made), CONSTRAINT FK_bad FOREIGN KEY (id) REFERENCES dbo.nothing (id)',
      ),
    ).toEqual([1767, "Foreign key 'FK_bad' references invalid table 'dbo.nothing'."]);
    await run('INSERT INTO dbo.children (id, made) SELECT 2, made FROM dbo.children WHERE id = 1');
    expect(await query(pool, "SELECT COUNT(*) AS n FROM sys.key_constraints WHERE name = 'UQ_made'")).toEqual(
      [{ n: 0 }],
    );
    expect(await error('ALTER TABLE dbo.nothing ADD CONSTRAINT PK_x PRIMARY KEY (id)')).toEqual([
      4902,
      'Cannot find the object "dbo.nothing" because it does not exist or you do not have permissions.',
    ]);
  });
});

describe('alias types', () => {
  it('sp_addtype and CREATE TYPE ... FROM: the base type, with the nullability given', async () => {
    await run(`EXEC sp_addtype code6, 'varchar(6)', 'NOT NULL'
      EXECUTE sp_addtype note, 'nvarchar(20)'
      EXECUTE sp_addtype flag, bit
      CREATE TYPE dbo.amount FROM decimal(9, 2) NOT NULL`);
    await run('CREATE TABLE dbo.typed (c code6, n note, a amount NULL, f flag)');
    expect(
      await query(
        pool,
        "SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'typed' ORDER BY ORDINAL_POSITION",
      ),
    ).toEqual([
      { COLUMN_NAME: 'c', DATA_TYPE: 'varchar', IS_NULLABLE: 'NO' },
      { COLUMN_NAME: 'n', DATA_TYPE: 'nvarchar', IS_NULLABLE: 'YES' },
      { COLUMN_NAME: 'a', DATA_TYPE: 'decimal', IS_NULLABLE: 'YES' },
      // "If @phystype is bit, and @nulltype isn't specified, the default is NOT NULL."
      { COLUMN_NAME: 'f', DATA_TYPE: 'bit', IS_NULLABLE: 'NO' },
    ]);
    expect(await error('CREATE TABLE dbo.untyped (c no_such_type)')).toEqual([
      2715,
      'Column, parameter, or variable #1: Cannot find data type no_such_type.',
    ]);
    expect(await error("EXEC sp_addtype code6, 'char(6)'")).toEqual([
      219,
      "The type 'code6' already exists, or you do not have permission to create it.",
    ]);
  });
});

describe('what install scripts run around their tables', () => {
  it('sysobjects and sysdatabases answer existence checks, with sysstat & 0xf in the filter', async () => {
    await run('CREATE TABLE dbo.probe (id int NOT NULL)');
    expect(
      await query(
        pool,
        "SELECT name, xtype, type FROM sysobjects WHERE id = object_id('dbo.probe') AND (sysstat & 0xf = 3 OR sysstat IS NULL)",
      ),
    ).toEqual([{ name: 'probe', xtype: 'U ', type: 'U ' }]);
    expect(await query(pool, "SELECT name FROM master..sysdatabases WHERE name = 'shop'")).toEqual([
      { name: 'shop' },
    ]);
  });

  it("takes CREATE TABLE's trailing comma and hierarchyid; typed xml of a missing collection is not supported, not unknown", async () => {
    await run(
      'CREATE TABLE dbo.trailing ([id] [int] NOT NULL, CONSTRAINT [CK_trailing] CHECK ([id] > 0),) ON [PRIMARY]',
    );
    expect(
      await query(pool, "SELECT COUNT(*) AS n FROM sys.check_constraints WHERE name = 'CK_trailing'"),
    ).toEqual([{ n: 1 }]);
    expect(await error('CREATE TABLE dbo.x1 (doc [XML]([dbo].[Schemas]) NULL)')).toEqual([
      50000,
      'The SQL Server stand-in does not support typed xml naming an XML schema collection that does not exist ([dbo].[Schemas]).',
    ]);
    // hierarchyid is a system type the stand-in holds (types/hierarchyid.ts), not an alias type.
    await run('CREATE TABLE dbo.x2 (node hierarchyid NULL)');
  });

  it('CHECKPOINT, UPDATE STATISTICS and SET RECOVERY run; DROP VIEW of none is 3701', async () => {
    await run('CHECKPOINT');
    await run('UPDATE STATISTICS dbo.probe WITH FULLSCAN');
    expect(await error('UPDATE STATISTICS dbo.nothing')).toEqual([208, "Invalid object name 'dbo.nothing'."]);
    await run('ALTER DATABASE shop SET RECOVERY SIMPLE WITH NO_WAIT');
    expect(
      await query(pool, "SELECT recovery_model, recovery_model_desc FROM sys.databases WHERE name = 'shop'"),
    ).toEqual([{ recovery_model: 3, recovery_model_desc: 'SIMPLE' }]);
    expect(await error('DROP VIEW dbo.v')).toEqual([
      3701,
      "Cannot drop the view 'dbo.v', because it does not exist or you do not have permission.",
    ]);
    await run('DROP VIEW IF EXISTS dbo.v; DROP TRIGGER IF EXISTS dbo.t; DROP FUNCTION IF EXISTS dbo.f');
  });
});

describe('INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS', () => {
  beforeAll(() =>
    run(`CREATE TABLE dbo.owners (
      id int NOT NULL CONSTRAINT PK_owners PRIMARY KEY,
      email varchar(100) NOT NULL CONSTRAINT UQ_owners_email UNIQUE);
    CREATE TABLE dbo.pets (
      id int NOT NULL PRIMARY KEY,
      owner_id int NULL CONSTRAINT FK_pets_owner REFERENCES dbo.owners (id),
      owner_email varchar(100) NULL,
      CONSTRAINT FK_pets_owner_email FOREIGN KEY (owner_email) REFERENCES dbo.owners (email))`),
  );

  // UNIQUE_CONSTRAINT_NAME: the PRIMARY KEY or UNIQUE constraint the key references
  // (https://learn.microsoft.com/en-us/sql/relational-databases/system-information-schema-views/referential-constraints-transact-sql).
  it('names the primary key or unique constraint each foreign key references', async () => {
    expect(
      await query(
        pool,
        "SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_NAME FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_NAME LIKE 'FK_pets%' ORDER BY CONSTRAINT_NAME",
      ),
    ).toEqual([
      { CONSTRAINT_NAME: 'FK_pets_owner', UNIQUE_CONSTRAINT_NAME: 'PK_owners' },
      { CONSTRAINT_NAME: 'FK_pets_owner_email', UNIQUE_CONSTRAINT_NAME: 'UQ_owners_email' },
    ]);
  });
});
