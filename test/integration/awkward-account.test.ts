/**
 * A Snowflake account set up the way real ones are, end to end with the real drivers, the stand-ins and
 * the dev server: quoted names case-insensitive (QUOTED_IDENTIFIERS_IGNORE_CASE, which Snowflake's own
 * SQL Server migration guidance suggests), a user whose default is AUTOCOMMIT = FALSE with a short
 * statement timeout, and the account's own input formats. The migrator pins its sessions at login
 * (src/snowflake/session-parameters.ts), so runs with validation pass, by COPY and by INSERT.
 * https://docs.snowflake.com/en/sql-reference/parameters#parameter-hierarchy-and-types
 */
import type { ApplicationFailure } from '@temporalio/client';
import snowflake from 'snowflake-sdk';
import { customerRows, orderRows, seedSampleData } from '../../scripts/sample-data';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import { targetConnectionOptions } from '../../src/snowflake/connection';
import {
  createMigrationEnvironment,
  TARGET_PASSWORD,
  TARGET_USER,
  type MigrationEnvironment,
} from '../support/migration-env';
import { canonicalRows, canonicalTargetRows, SAMPLE_TABLES, selectAllQuery } from '../support/target-values';

const CUSTOMERS = 300;
const ORDERS = 1_200;

/** What an administrator may well have set; each alone breaks a session that does not pin it. */
const AWKWARD_ACCOUNT = [
  'ALTER ACCOUNT SET QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE',
  "ALTER ACCOUNT SET DATE_INPUT_FORMAT = 'DD.MM.YYYY', TIME_INPUT_FORMAT = 'HH12:MI:SS AM', " +
    "TIMESTAMP_INPUT_FORMAT = 'DD.MM.YYYY HH24:MI:SS', BINARY_INPUT_FORMAT = 'BASE64'",
  `ALTER USER ${TARGET_USER} SET AUTOCOMMIT = FALSE, STATEMENT_TIMEOUT_IN_SECONDS = 1`,
];

describe('an awkward Snowflake account, end to end (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([], { snowflakeAdminSql: AWKWARD_ACCOUNT });
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
    await env.startWorker(env.config());
  });
  afterAll(() => env?.close());

  it('is awkward: a session that does not pin its parameters gets ROWS for "rows" and ISO timestamps refused', async () => {
    const options = targetConnectionOptions(env.config().target, { password: TARGET_PASSWORD });
    const session = snowflake.createConnection(options);
    await new Promise<void>((resolve, reject) => session.connect((err) => (err ? reject(err) : resolve())));
    const run = (sqlText: string) =>
      new Promise<unknown[]>((resolve, reject) =>
        session.execute({ sqlText, complete: (err, _s, rows) => (err ? reject(err) : resolve(rows ?? [])) }),
      );
    try {
      expect(await run('SELECT 1 AS "rows"')).toEqual([{ ROWS: 1 }]);
      await expect(run("SELECT '2024-01-31 10:00:00'::TIMESTAMP_NTZ AS T")).rejects.toMatchObject({
        code: '100035',
      });
    } finally {
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
    }
  });

  it.each([
    ['copy', 'fail'],
    ['insert', 'replace'],
  ] as const)('migrates and validates by %s with every value exact', async (loadMethod, ifTargetExists) => {
    const config = env.config({ migration: { loadMethod, ifTargetExists } });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.rowsCopied, t.validation?.passed])).toEqual([
      ['dbo.customers', CUSTOMERS, true],
      ['dbo.orders', ORDERS, true],
    ]);
    const customers = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.customers));
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, customers)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
    const orders = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.orders));
    expect(canonicalTargetRows(SAMPLE_TABLES.orders, orders)).toEqual(
      canonicalRows(SAMPLE_TABLES.orders, orderRows(ORDERS, CUSTOMERS)),
    );
    expect(await env.tablesIn('DATA_MIGRATION')).toEqual(['CUSTOMERS', 'ORDERS']);
  });

  it('fails at once, saying what to do, when the user has no default warehouse and the config names none', async () => {
    // https://docs.snowflake.com/en/user-guide/warehouses-overview: 000606 is not retried as if transient.
    // The warehouse is the worker's: a worker of its own, on a task queue of its own.
    const config = env.config({
      target: { warehouse: undefined, schema: 'NO_WAREHOUSE' },
      temporal: { taskQueue: `${env.config().temporal.taskQueue}-no-warehouse` },
    });
    await env.startWorker(config);
    const started = Date.now();
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('TargetWarehouseUnavailable');
    expect(failure.message).toContain(
      'Snowflake error 000606: No active warehouse selected in the current session.',
    );
    expect(failure.message).toContain(`What to do: ${hintFor('TargetWarehouseUnavailable')}`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
