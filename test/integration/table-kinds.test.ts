/**
 * Table kinds a plain SELECT does not read as ordinary rows (src/source/table-kinds.ts): discover
 * (and plan and check) show each verdict, and a run refuses or handles each kind as discover said; a lone UTF-16 surrogate
 * found during the copy fails the table naming its key and column. (Stand-ins + dev server.)
 */
import type { ApplicationFailure } from '@temporalio/client';
import { runCheck } from '../../src/cli/check';
import { runDiscover } from '../../src/cli/discover';
import { runPlan } from '../../src/cli/plan';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import { capture } from '../support/capture';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';

const SEED = `
ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
CREATE TABLE dbo.hot (id int NOT NULL PRIMARY KEY NONCLUSTERED, v nvarchar(10) NULL)
  WITH (MEMORY_OPTIMIZED = ON, DURABILITY = SCHEMA_AND_DATA);
INSERT INTO dbo.hot VALUES (1, N'a'), (2, N'b');
CREATE TABLE dbo.prices_history (id int NOT NULL, price int NOT NULL,
  valid_from datetime2(7) NOT NULL, valid_to datetime2(7) NOT NULL);
INSERT INTO dbo.prices_history VALUES (1, 5, '2020-01-01 00:00:00', '2021-01-01 00:00:00');
CREATE TABLE dbo.prices (
  id int NOT NULL PRIMARY KEY,
  price int NOT NULL,
  valid_from datetime2(7) GENERATED ALWAYS AS ROW START HIDDEN NOT NULL,
  valid_to datetime2(7) GENERATED ALWAYS AS ROW END HIDDEN NOT NULL,
  PERIOD FOR SYSTEM_TIME (valid_from, valid_to)
) WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = dbo.prices_history));
INSERT INTO dbo.prices (id, price) VALUES (1, 7), (2, 8);
CREATE TABLE dbo.patients (
  id int NOT NULL PRIMARY KEY,
  ssn int ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK1, ENCRYPTION_TYPE = RANDOMIZED,
    ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256') NULL,
  name nvarchar(20) NOT NULL
);
INSERT INTO dbo.patients (id, name) VALUES (1, N'Ada'), (2, N'Grace');
CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, body nvarchar(20) NOT NULL);`;

const HOT =
  'dbo.hot is memory-optimized, and SQL Server cannot read a memory-optimized table in a SNAPSHOT transaction (error 41332). ' +
  'Migrate it with migration.sourceReadIsolation: readCommitted (autocommit reads, which SQL Server supports on memory-optimized tables), in a run of its own if the other tables need snapshot; mode follow cannot follow it.';
const PATIENTS =
  'dbo.patients has Always Encrypted columns: ssn (RANDOMIZED); the driver (tedious) cannot decrypt them, so their ciphertext would be copied. ' +
  "Either exclude the columns (excludeColumns in the table's entry), or migrate a copy of the table decrypted by a client that holds the column master key.";
const PRICES =
  'dbo.prices is a system-versioned temporal table: its current rows are copied and its period columns valid_from, valid_to are copied as ordinary timestamp columns ' +
  '(HIDDEN ones, valid_from, valid_to, are selected by name); Snowflake gets no versioning, and its history table dbo.prices_history is copied only when selected too.';
const HISTORY =
  'dbo.prices_history is the history table of the system-versioned dbo.prices: it is migrated as an ordinary table, with the rows it holds when read.';

describe('table kinds (stand-ins + dev server)', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([SEED]);
    // A lone high surrogate in nvarchar, as a client that sends UTF-16 code units can store it.
    await env.sqlserver.bulkInsert(
      'dbo.notes',
      ['id', 'body'],
      [
        [1, 'fine'],
        [2, 'bad \uD83D here'],
      ],
    );
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });

  const run = async (database: string, tables: unknown[], migration: Record<string, unknown> = {}) => {
    const config = env.config({ target: { database }, migration: { tables, ...migration } });
    await env.startWorker(config);
    return env.outcome(await env.startRun(config));
  };

  it('discover gives each kind its verdict', async () => {
    const config = env.config({
      migration: {
        tables: ['dbo.hot', 'dbo.prices', 'dbo.prices_history', 'dbo.patients'],
        sourceReadIsolation: 'snapshot',
      },
    });
    const discovered = capture();
    expect(await runDiscover(env.configFile(config), {}, discovered.out)).toBe(1);
    const text = discovered.text();
    expect(text).toContain(`  problem: ${HOT}`);
    expect(text).toContain(`  warning: ${PRICES}`);
    expect(text).toContain(`  warning: ${HISTORY}`);
    expect(text).toMatch(
      /valid_from +datetime2\(7\) +TIMESTAMP_NTZ\(7\) +converted: period column \(GENERATED ALWAYS AS ROW START, HIDDEN: selected by name\): copied as an ordinary column, no versioning in Snowflake/,
    );
    expect(text).toMatch(
      /ssn +int +- +refused: an Always Encrypted column: the driver \(tedious\) cannot decrypt it, so its ciphertext would arrive instead of the values \(RANDOMIZED\)/,
    );
    expect(text).toContain(
      'A run would stop before any DDL: dbo.hot, dbo.patients cannot be migrated as configured',
    );

    const planned = capture();
    expect(await runPlan(env.configFile(config), { batches: 2 }, planned.out)).toBe(1);
    expect(planned.text()).toContain(`  refused: ${HOT}`);
    expect(planned.text()).toContain(`  refused: ${PATIENTS}`);
    expect(planned.text()).toContain(`  warning: ${PRICES}`);

    const checked = capture();
    expect(await runCheck(env.configFile(config), {}, checked.out)).toBe(1);
    expect(checked.text()).toContain(`FAIL ${HOT}`);
    expect(checked.text()).toContain(`FAIL ${PATIENTS}`);
  });

  it('a memory-optimized table is refused under snapshot reads, and copied under readCommitted', async () => {
    const failure = (await run('HOT_SNAP', ['dbo.hot'], {
      sourceReadIsolation: 'snapshot',
    })) as ApplicationFailure;
    expect(failure.type).toBe('MemoryOptimizedSnapshot');
    expect(failure.message).toBe(`${HOT}\nWhat to do: ${hintFor('MemoryOptimizedSnapshot')}`);
    const summary = (await run('HOT_RC', ['dbo.hot'])) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(await env.snowflakeRows('SELECT ID, V FROM "HOT_RC"."DATA_MIGRATION"."HOT" ORDER BY ID')).toEqual([
      { ID: '1', V: 'a' },
      { ID: '2', V: 'b' },
    ]);
  });

  it('an Always Encrypted column is refused, and the table migrates without it when excluded', async () => {
    const failure = (await run('AE_NO', ['dbo.patients'])) as ApplicationFailure;
    expect(failure.type).toBe('SourceColumnEncrypted');
    expect(failure.message).toBe(`${PATIENTS}\nWhat to do: ${hintFor('SourceColumnEncrypted')}`);
    const summary = (await run('AE_EX', [{ source: 'dbo.patients', excludeColumns: ['ssn'] }])) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(await env.snowflakeRows('SELECT * FROM "AE_EX"."DATA_MIGRATION"."PATIENTS" ORDER BY ID')).toEqual([
      expect.objectContaining({ ID: '1', NAME: 'Ada' }),
      expect.objectContaining({ ID: '2', NAME: 'Grace' }),
    ]);
  });

  it('a temporal table migrates with its hidden period columns, its history table as an ordinary table', async () => {
    const summary = (await run('TEMPORAL', ['dbo.prices', 'dbo.prices_history'])) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]!.warnings).toContain(PRICES);
    expect(summary.tables[1]!.warnings).toContain(HISTORY);
    const current = await env.snowflakeRows<Record<string, string>>(
      `SELECT ID, PRICE, TO_VARCHAR(VALID_TO, 'YYYY-MM-DD HH24:MI:SS.FF7') AS VALID_TO FROM "TEMPORAL"."DATA_MIGRATION"."PRICES" ORDER BY ID`,
    );
    expect(current.map((r) => [r.ID, r.PRICE])).toEqual([
      ['1', '7'],
      ['2', '8'],
    ]);
    expect(current.map((r) => r.VALID_TO)).toEqual([
      '9999-12-31 23:59:59.9999999',
      '9999-12-31 23:59:59.9999999',
    ]);
    const history = await env.snowflakeRows<Record<string, string>>(
      'SELECT ID, PRICE FROM "TEMPORAL"."DATA_MIGRATION"."PRICES_HISTORY"',
    );
    expect(history).toEqual([{ ID: '1', PRICE: '5' }]);
  });

  it('a lone UTF-16 surrogate fails the table, naming its key and column; nothing is published', async () => {
    const failure = (await run('SURROGATE', ['dbo.notes'])) as ApplicationFailure;
    expect(failure.type).toBe('SourceValueNotUnicode');
    expect(failure.message).toContain(
      'dbo.notes.body in the row with key (id=2) holds a lone UTF-16 surrogate (\\uD83D at character 5), which UTF-8 cannot carry',
    );
    // The run created the database, and dropped it when the table failed.
    expect((await env.snowflakeRows('SHOW DATABASES')).map((d) => String(d.name))).not.toContain('SURROGATE');
  });
});
