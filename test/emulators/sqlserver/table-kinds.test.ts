/**
 * Table kinds in the SQL Server stand-in, through the real mssql driver: memory-optimized tables (41332
 * under SNAPSHOT), system-versioned temporal tables with HIDDEN period columns and their history
 * tables, Always Encrypted columns (catalog only), and lone UTF-16 surrogates kept in nvarchar. Each as
 * SQL Server documents it (links in emulators/sqlserver and src/source/table-kinds.ts).
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

const SEED = `
ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
CREATE TABLE dbo.hot (id int NOT NULL PRIMARY KEY NONCLUSTERED, v nvarchar(10) NULL)
  WITH (MEMORY_OPTIMIZED = ON, DURABILITY = SCHEMA_AND_DATA);
INSERT INTO dbo.hot VALUES (1, N'a');
CREATE TABLE dbo.prices_history (id int NOT NULL, price int NOT NULL,
  valid_from datetime2(7) NOT NULL, valid_to datetime2(7) NOT NULL);
INSERT INTO dbo.prices_history VALUES (1, 5, '2020-01-01', '2021-01-01');
CREATE TABLE dbo.prices (
  id int NOT NULL PRIMARY KEY,
  price int NOT NULL,
  valid_from datetime2(7) GENERATED ALWAYS AS ROW START HIDDEN NOT NULL,
  valid_to datetime2(7) GENERATED ALWAYS AS ROW END HIDDEN NOT NULL,
  PERIOD FOR SYSTEM_TIME (valid_from, valid_to)
) WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = dbo.prices_history));
INSERT INTO dbo.prices VALUES (1, 7);
INSERT INTO dbo.prices (id, price) VALUES (2, 8);
CREATE TABLE dbo.patients (
  id int NOT NULL PRIMARY KEY,
  ssn int
    ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK1, ENCRYPTION_TYPE = DETERMINISTIC,
      ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256') NULL,
  name nvarchar(20) NULL
);
INSERT INTO dbo.patients (id, name) VALUES (1, N'Ada');
CREATE TABLE dbo.texts (id int NOT NULL PRIMARY KEY, t nvarchar(20) NULL);
`;

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

beforeAll(async () => {
  emulator = await startEmulator({ seed: [SEED] });
  pool = await connect(emulator);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('memory-optimized tables', () => {
  it('sys.tables says so; autocommit READ COMMITTED reads them', async () => {
    expect(
      await query(pool, "SELECT is_memory_optimized, durability_desc FROM sys.tables WHERE name = 'hot'"),
    ).toEqual([{ is_memory_optimized: true, durability_desc: 'SCHEMA_AND_DATA' }]);
    expect(await query(pool, 'SELECT id, v FROM dbo.hot')).toEqual([{ id: 1, v: 'a' }]);
  });

  it('a SNAPSHOT transaction gets 41332 and an ordinary table in it reads', async () => {
    const transaction = new sql.Transaction(pool);
    await transaction.begin(sql.ISOLATION_LEVEL.SNAPSHOT);
    try {
      const error = await failure(transaction.request().query('SELECT id FROM dbo.hot'));
      expect(error.number).toBe(41332);
      expect(error.message).toBe(
        'Memory optimized tables and natively compiled stored procedures cannot be accessed or created when the session TRANSACTION ISOLATION LEVEL is set to SNAPSHOT.',
      );
      expect((await transaction.request().query('SELECT id FROM dbo.texts')).recordset).toEqual([]);
    } finally {
      await transaction.rollback().catch(() => undefined);
    }
  });
});

describe('system-versioned temporal tables', () => {
  it('sys.tables links the table and its history table', async () => {
    const rows = await query(
      pool,
      'SELECT t.name, t.temporal_type, t.temporal_type_desc, h.name AS history FROM sys.tables AS t ' +
        "LEFT JOIN sys.tables AS h ON h.object_id = t.history_table_id WHERE t.name LIKE 'prices%' ORDER BY t.name",
    );
    expect(rows).toEqual([
      {
        name: 'prices',
        temporal_type: 2,
        temporal_type_desc: 'SYSTEM_VERSIONED_TEMPORAL_TABLE',
        history: 'prices_history',
      },
      { name: 'prices_history', temporal_type: 1, temporal_type_desc: 'HISTORY_TABLE', history: null },
    ]);
  });

  it('sys.columns shows the period columns as GENERATED ALWAYS and HIDDEN', async () => {
    const rows = await query(
      pool,
      'SELECT c.name, c.generated_always_type, c.generated_always_type_desc, c.is_hidden FROM sys.columns AS c ' +
        "JOIN sys.tables AS t ON t.object_id = c.object_id WHERE t.name = 'prices' ORDER BY c.column_id",
    );
    expect(rows).toEqual([
      {
        name: 'id',
        generated_always_type: 0,
        generated_always_type_desc: 'NOT_APPLICABLE',
        is_hidden: false,
      },
      {
        name: 'price',
        generated_always_type: 0,
        generated_always_type_desc: 'NOT_APPLICABLE',
        is_hidden: false,
      },
      {
        name: 'valid_from',
        generated_always_type: 1,
        generated_always_type_desc: 'AS_ROW_START',
        is_hidden: true,
      },
      {
        name: 'valid_to',
        generated_always_type: 2,
        generated_always_type_desc: 'AS_ROW_END',
        is_hidden: true,
      },
    ]);
  });

  it('SELECT * leaves the HIDDEN columns out; naming them reads them, set by the INSERT', async () => {
    expect(await query(pool, 'SELECT * FROM dbo.prices ORDER BY id')).toEqual([
      { id: 1, price: 7 },
      { id: 2, price: 8 },
    ]);
    const [row] = await query<{ valid_from: string; valid_to: string }>(
      pool,
      'SELECT CONVERT(nvarchar(40), valid_from, 121) AS valid_from, CONVERT(nvarchar(40), valid_to, 121) AS valid_to FROM dbo.prices WHERE id = 1',
    );
    expect(row!.valid_to).toBe('9999-12-31 23:59:59.9999999');
    expect(Date.now() - Date.parse(`${row!.valid_from.slice(0, 23).replace(' ', 'T')}Z`)).toBeLessThan(
      600_000,
    );
  });

  it('refuses an explicit period value (13536) and the writes it does not model', async () => {
    const explicit = await failure(
      query(pool, "INSERT INTO dbo.prices (id, price, valid_from) VALUES (3, 1, '2020-01-01')"),
    );
    expect(explicit.number).toBe(13536);
    expect((await failure(query(pool, 'UPDATE dbo.prices SET price = 1'))).message).toMatch(
      /UPDATE on the system-versioned table dbo\.prices/,
    );
    expect((await failure(query(pool, 'DELETE FROM dbo.prices_history'))).message).toMatch(
      /DELETE on dbo\.prices_history, the history table of the system-versioned dbo\.prices/,
    );
    expect((await failure(query(pool, 'DROP TABLE dbo.prices_history'))).message).toMatch(
      /DROP TABLE of dbo\.prices_history, a system-versioned table or its history/,
    );
  });

  it('refuses SYSTEM_VERSIONING without an existing HISTORY_TABLE clearly', async () => {
    const error = await failure(
      query(
        pool,
        'CREATE TABLE dbo.x (id int NOT NULL PRIMARY KEY, f datetime2 GENERATED ALWAYS AS ROW START NOT NULL, ' +
          't datetime2 GENERATED ALWAYS AS ROW END NOT NULL, PERIOD FOR SYSTEM_TIME (f, t)) WITH (SYSTEM_VERSIONING = ON)',
      ),
    );
    expect(error.message).toMatch(/SYSTEM_VERSIONING = ON without HISTORY_TABLE/);
  });
});

describe('Always Encrypted columns', () => {
  it('sys.columns shows the encryption; the column cannot be read from the stand-in', async () => {
    expect(
      await query(
        pool,
        'SELECT c.name, c.encryption_type, c.encryption_type_desc, c.encryption_algorithm_name FROM sys.columns AS c ' +
          "JOIN sys.tables AS t ON t.object_id = c.object_id WHERE t.name = 'patients' AND c.encryption_type IS NOT NULL",
      ),
    ).toEqual([
      {
        name: 'ssn',
        encryption_type: 1,
        encryption_type_desc: 'DETERMINISTIC',
        encryption_algorithm_name: 'AEAD_AES_256_CBC_HMAC_SHA_256',
      },
    ]);
    expect(await query(pool, 'SELECT id, name FROM dbo.patients')).toEqual([{ id: 1, name: 'Ada' }]);
    expect((await failure(query(pool, 'SELECT ssn FROM dbo.patients'))).message).toMatch(
      /Always Encrypted column ssn \(the stand-in keeps no ciphertext\)/,
    );
    expect((await failure(query(pool, 'SELECT * FROM dbo.patients'))).message).toMatch(/Always Encrypted/);
  });
});

describe('lone UTF-16 surrogates in nvarchar', () => {
  it('are stored and returned as the code units they are', async () => {
    const values = ['a\uD800b', '\uDC00', 'x\uD83D\uDE00y', '\uDBFF\uDBFF\uDFFF'];
    for (const [i, v] of values.entries())
      await query(pool, 'INSERT INTO dbo.texts (id, t) VALUES (@id, @t)', { id: i + 1, t: v });
    const rows = await query<{ t: string }>(pool, 'SELECT t FROM dbo.texts ORDER BY id');
    expect(rows.map((r) => r.t)).toEqual(values);
    expect(await query(pool, 'SELECT id FROM dbo.texts WHERE t = @t', { t: '\uDC00' })).toEqual([{ id: 2 }]);
  });
});
