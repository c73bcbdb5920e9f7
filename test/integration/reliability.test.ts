/**
 * migrateTables when things go wrong, end to end with the real drivers, stand-ins and dev server:
 * bad input, a worker killed mid-table, transient faults on both sides, a failure after some tables
 * were published, keys only SQL Server can order.
 */
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type ApplicationFailure } from '@temporalio/client';
import { customerRows, seedSampleData, seededRandom } from '../../scripts/sample-data';
import { compileProject, spawnWorkerProcess } from '../../scripts/worker-process';
import type { MigratorConfig } from '../../src/config/schema';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import { workerFolderName } from '../../src/load/work-dir';
import { queryRunProgress } from '../../src/cli/live-progress';
import { runPlan } from '../../src/cli/plan';
import { report, startRun } from '../../src/cli/run-commands';
import { progressQuery, summaryQuery } from '../../src/workflows/messages';
import { capture } from '../support/capture';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { localBatchFiles, orderCounts, runThroughOutages, stagedFiles } from '../support/outage-scenario';
import { canonicalRows, canonicalTargetRows, SAMPLE_TABLES, selectAllQuery } from '../support/target-values';

const CUSTOMERS = 600;
const ORDERS = 3_000;

/** Region keys that only SQL Server's collation orders right: case, accents, trailing spaces. */
const REGIONS = [
  'North',
  'north ',
  'Nörth',
  'NORTH',
  'south',
  'Süd',
  'East  ',
  'east',
  'Ést',
  'west',
  'Wëst',
  'z',
];

function* accountRows(count: number): Generator<unknown[]> {
  const random = seededRandom(11);
  for (let i = 0; i < count; i += 1) {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16))
      .join('')
      .toUpperCase();
    const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    yield [REGIONS[i % REGIONS.length], guid, (random() * 1000).toFixed(4), `Account ${i}`];
  }
}
const ACCOUNTS = 400;

const EXTRA_TABLES = `
CREATE TABLE dbo.events (event_id int NOT NULL PRIMARY KEY, payload decimal(38,38) NULL);
GO
CREATE TABLE dbo.accounts (
  region nvarchar(20) NOT NULL,
  account_guid uniqueidentifier NOT NULL,
  balance money NOT NULL,
  name nvarchar(50) NULL,
  CONSTRAINT PK_accounts PRIMARY KEY (region, account_guid)
);`;

describe('migrateTables when things go wrong (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
    await env.sqlserver.exec(EXTRA_TABLES);
    await env.sqlserver.bulkInsert(
      'dbo.accounts',
      ['region', 'account_guid', 'balance', 'name'],
      accountRows(ACCOUNTS),
    );
    await env.startWorker(env.config());
  });
  afterEach(() => {
    env.sqlserver.faults.clear();
    env.snowflake.faults.clear();
  });
  afterAll(() => env?.close());

  /** Each test writes to a schema of its own. */
  const configFor = (
    schema: string,
    migration: Record<string, unknown>,
    extra: Record<string, Record<string, unknown>> = {},
  ): MigratorConfig => env.config({ ...extra, target: { schema, ...extra.target }, migration });

  const outcome = (workflowId: string) => env.outcome(workflowId);
  const tablesIn = (schema: string) => env.tablesIn(schema);
  const schemas = async () =>
    (await env.snowflakeRows('SHOW SCHEMAS IN DATABASE "STEVE_MCP"')).map((s) => s.name);

  it('with allOrNothing, stops before any DDL on an unsupported column type, with the message a user sees', async () => {
    const failure = (await outcome(
      await env.startRun(
        configFor('UNSUPPORTED', { tables: ['dbo.customers', 'dbo.events'], allOrNothing: true }),
      ),
    )) as ApplicationFailure;
    expect(failure.type).toBe('UnsupportedColumnType');
    expect(failure.message).toMatch(
      /^Column dbo\.events\.payload has type decimal\(38,38\), which cannot be migrated exactly \(Snowflake's NUMBER holds at most 37 digits after the decimal point, this column 38\)\. Leave it out with excludeColumns/,
    );
    const summary = await env.failureSummary(failure);
    expect(summary.error?.hint).toMatch(/^Exclude the column/);
    expect(summary.rolledBack).toEqual([]);
    const databases = await env.snowflakeRows('SHOW DATABASES');
    expect(databases.map((d) => d.name)).not.toContain('STEVE_MCP'); // the first run here: nothing was created
    // The report still lists every selected table.
    expect(summary.tables.map((t) => [t.source, t.state, t.warnings])).toEqual([
      ['dbo.customers', 'pending', ['not analysed: the run stopped before it']],
      ['dbo.events', 'pending', ['not analysed: the run stopped before it']],
    ]);
  });

  it('refuses a table with an unsupported column type alone and migrates the others: completed with failures', async () => {
    const summary = (await outcome(
      await env.startRun(configFor('REFUSED_ALONE', { tables: ['dbo.events', 'dbo.customers'] })),
    )) as RunSummary;
    expect(summary.status).toBe('completed with failures');
    expect(summary.tables.map((t) => [t.source, t.state])).toEqual([
      ['dbo.events', 'failed'],
      ['dbo.customers', 'published'],
    ]);
    expect(summary.tables[0]!.error).toMatchObject({
      type: 'UnsupportedColumnType',
      message: expect.stringMatching(/^Column dbo\.events\.payload has type decimal\(38,38\)/),
      hint: hintFor('UnsupportedColumnType'),
    });
    expect(summary.tables[0]!.warnings).toEqual([
      'refused at the analysis, before any DDL: nothing was created for it',
    ]);
    expect(await tablesIn('REFUSED_ALONE')).toEqual(['CUSTOMERS']);

    // plan --json prints JSON whatever the verdicts: the refused table with why, the other with its DDL.
    Object.assign(process.env, SECRETS_ENV);
    const planned = capture();
    const config = configFor('REFUSED_ALONE', { tables: ['dbo.events', 'dbo.customers'] });
    expect(await runPlan(env.configFile(config), { batches: 1, json: true }, planned.out)).toBe(1);
    const { tables } = JSON.parse(planned.text()) as { tables: { refused: string[]; ddl?: string }[] };
    expect(tables[0]!.refused).toEqual([
      expect.stringMatching(/^Column dbo\.events\.payload has type decimal\(38,38\)/),
    ]);
    expect(tables[0]!.ddl).toBeUndefined();
    expect(tables[1]).toMatchObject({ refused: [], ddl: expect.stringMatching(/^CREATE TABLE /) });
  });

  it('finishes exactly after the worker (compiled, as production runs it) is killed with SIGKILL in the middle of a table', async () => {
    const config = configFor(
      'CRASH',
      { tables: ['dbo.orders'], batchSize: 150, batchesInFlight: 2, heartbeatTimeoutSeconds: 3 },
      { temporal: { taskQueue: `crash-${Date.now()}` } },
    );
    await compileProject();
    env.sqlserver.faults.setLatency(20);
    const doomed = spawnWorkerProcess(env.configFile(config), SECRETS_ENV, { compiled: true });
    await doomed.ready;
    const workflowId = await env.startRun(config);
    const handle = env.client.workflow.getHandle(workflowId);
    for (;;) {
      const progress = await queryRunProgress(env.client, handle);
      if ((progress?.tables[0]?.batchesDone ?? 0) >= 4) break;
      await sleep(100);
    }
    await doomed.kill('SIGKILL');
    const deadFolder = join(env.workDir, 'batches', workerFolderName(hostname(), doomed.child.pid!));
    expect(existsSync(deadFolder)).toBe(true); // the killed worker's batch files, maybe half-written
    env.sqlserver.faults.setLatency(0);
    await env.startWorker(config);
    expect(existsSync(deadFolder)).toBe(false);

    const summary = (await outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]).toMatchObject({ rowsCopied: ORDERS, state: 'published' });
    expect(summary.tables[0]!.retriedBatches).toBeGreaterThanOrEqual(1);
    const orders = await orderCounts(env, 'CRASH', ORDERS);
    expect(orders.actual).toEqual(orders.expected);
    // Nothing of the run is left: not the killed attempts' staged files, not the dead worker's local ones.
    expect(await stagedFiles(env, 'CRASH', summary.runTag)).toEqual([]);
    expect(localBatchFiles(env)).toEqual([]);
    expect(summary.reportFiles!.map((file) => statSync(file).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);
    // Compiling the project (tsc) takes most of this test's time: up to 90 s on 2 busy cores.
  }, 300_000);

  it('waits out outages of SQL Server and Snowflake, saying so, and ends exact with nothing left behind', async () => {
    const config = configFor('OUTAGE', {
      tables: ['dbo.customers', 'dbo.orders'],
      batchSize: 150,
      batchesInFlight: 2,
      outageToleranceMinutes: 5,
    });
    const { summary, waitingFor } = await runThroughOutages(env, config, {
      analysisTargetMs: 20_000, // longer than the pool's 10 s session check
      sourceMs: 15_000,
      copyTargetMs: 10_000,
    });
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.rowsCopied, t.state])).toEqual([
      ['dbo.customers', CUSTOMERS, 'published'],
      ['dbo.orders', ORDERS, 'published'],
    ]);
    expect([...waitingFor].sort()).toEqual(['SQL Server', 'Snowflake']);
    expect(summary.outageRetries!.source).toBeGreaterThanOrEqual(1);
    const orders = await orderCounts(env, 'OUTAGE', ORDERS);
    expect(orders.actual).toEqual(orders.expected);
    const rows = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.customers, 'STEVE_MCP', 'OUTAGE'));
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, rows)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
    expect(await stagedFiles(env, 'OUTAGE', summary.runTag)).toEqual([]);
  });

  it('rides through deadlocks, dropped connections, HTTP 503 and a connection lost during COPY', async () => {
    env.sqlserver.faults.failNext({ match: 'FROM [dbo].[customers] WHERE', count: 2 });
    env.sqlserver.faults.dropConnectionAfterRows({ match: 'CONVERT(nchar(36), [customer_guid])', rows: 50 });
    env.snowflake.faults.httpErrors({ status: 503, count: 1, path: '/queries/v1/query-request' });
    env.snowflake.faults.dropConnection({ during: 'COPY', count: 1 });
    const summary = (await outcome(
      await env.startRun(configFor('FAULTS', { tables: ['dbo.customers'], batchSize: 200 })),
    )) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]!.retriedBatches).toBeGreaterThanOrEqual(1);
    const rows = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.customers, 'STEVE_MCP', 'FAULTS'));
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, rows)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
  });

  it('rolls back a failing table alone and publishes the others: completed with failures, exit code 6', async () => {
    env.sqlserver.faults.failNext({
      match: 'FROM [dbo].[orders] ORDER BY', // planning the first batch of dbo.orders
      count: 50,
      error: { number: 208, message: "Invalid object name 'dbo.orders'.", class: 16 },
    });
    const config = configFor('PER_TABLE', { tables: ['dbo.customers', 'dbo.orders'], tablesInFlight: 2 });
    const workflowId = await env.startRun(config);
    const summary = (await outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('completed with failures');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied, t.error?.type])).toEqual([
      ['dbo.customers', 'published', CUSTOMERS, undefined],
      ['dbo.orders', 'rolled back', 0, 'SourceTableNotFound'],
    ]);
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    expect(summary.rolledBack.map((step) => step.description)).toEqual([
      `drop staging table STEVE_MCP.PER_TABLE.ORDERS__MIGRATING_${summary.runTag.toUpperCase()}`,
      `remove staged files @STEVE_MCP.PER_TABLE.MIGRATOR_STAGE/${summary.runTag}/t1/`,
    ]);
    // Something was published: the schema and stage the run created stay.
    expect(await tablesIn('PER_TABLE')).toEqual(['CUSTOMERS']);
    const [count] = await env.snowflakeRows<{ N: string }>(
      'SELECT COUNT(*) AS N FROM "STEVE_MCP"."PER_TABLE"."CUSTOMERS"',
    );
    expect(count!.N).toBe(String(CUSTOMERS));
    // What the CLI says about it, and its exit code.
    const out = capture();
    const err = capture();
    const io = { out: out.out, err: err.out };
    expect(await report(workflowId, { config: env.configFile(config) }, io)).toBe(6);
    expect(out.text()).toContain('- Status: **completed with failures**');
    expect(out.text()).toContain(`Completed with failures: 1 of 2 tables published, ${CUSTOMERS} rows in`);
    expect(out.text()).toContain('1 table(s) failed and were rolled back: dbo.orders (');
    expect(out.text()).toContain('## Failed tables (each rolled back alone)');

    // Once the cause is gone, a new run with the same config migrates only the failed table.
    env.sqlserver.faults.clear();
    const retried = { out: capture(), err: capture() };
    const retryIo = { out: retried.out.out, err: retried.err.out };
    const path = env.configFile(config);
    expect(await startRun({ config: path, retryFailed: workflowId, wait: true }, retryIo)).toBe(0);
    expect(retried.err.text()).toContain(
      `Retrying 1 table(s) of ${workflowId} that were not published: dbo.orders`,
    );
    expect(retried.out.text()).toContain('Succeeded: 1 of 1 tables published');
    expect(await tablesIn('PER_TABLE')).toEqual(['CUSTOMERS', 'ORDERS']);
    const [orders] = await env.snowflakeRows<{ N: string }>(
      'SELECT COUNT(*) AS N FROM "STEVE_MCP"."PER_TABLE"."ORDERS"',
    );
    expect(orders!.N).toBe(String(ORDERS));
    const retryOfRetry = { out: capture(), err: capture() };
    const newest = /Started (migrate-\S+)/.exec(retried.out.text())![1]!;
    await expect(
      startRun(
        { config: path, retryFailed: newest },
        { out: retryOfRetry.out.out, err: retryOfRetry.err.out },
      ),
    ).rejects.toThrow(`${newest} succeeded: every table was published, nothing to retry.`);
  });

  it('with allOrNothing, undoes exactly what the run created when a later table fails: drops new tables, restores replaced ones', async () => {
    await env.snowflake.query('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."UNDO"');
    await env.snowflake.query('CREATE TABLE "STEVE_MCP"."UNDO"."KEEP_ME" ("X" NUMBER(10,0))');
    await env.snowflake.query('INSERT INTO "STEVE_MCP"."UNDO"."KEEP_ME" VALUES (1)');
    await env.snowflake.query('CREATE TABLE "STEVE_MCP"."UNDO"."CUSTOMERS" ("OLD" VARCHAR)');
    await env.snowflake.query(`INSERT INTO "STEVE_MCP"."UNDO"."CUSTOMERS" VALUES ('old row')`);
    env.sqlserver.faults.failNext({
      match: 'FROM [dbo].[orders] ORDER BY', // planning the first batch: after the other tables were published
      count: 50,
      error: { number: 208, message: "Invalid object name 'dbo.orders'.", class: 16 },
    });
    const failure = (await outcome(
      await env.startRun(
        configFor('UNDO', {
          tables: ['dbo.customers', 'dbo.accounts', 'dbo.orders'],
          ifTargetExists: 'replace',
          allOrNothing: true,
          tablesInFlight: 1,
        }),
      ),
    )) as ApplicationFailure;
    expect(failure.type).toBe('SourceTableNotFound');
    const summary = await env.failureSummary(failure);
    expect(summary.tables.map((t) => [t.source, t.published ?? null, t.state])).toEqual([
      ['dbo.customers', 'replaced', 'rolled back'],
      ['dbo.accounts', 'created', 'rolled back'],
      ['dbo.orders', null, 'rolled back'],
    ]);
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    expect(summary.rolledBack.map((step) => step.description)).toContain(
      'drop published table STEVE_MCP.UNDO.ACCOUNTS',
    );
    expect(summary.rolledBack.map((step) => step.description)).toContain(
      'restore STEVE_MCP.UNDO.CUSTOMERS from STEVE_MCP.UNDO.CUSTOMERS__REPLACED_' +
        summary.runTag.toUpperCase(),
    );
    expect(await tablesIn('UNDO')).toEqual(['CUSTOMERS', 'KEEP_ME']);
    expect(await env.snowflakeRows('SELECT "OLD" FROM "STEVE_MCP"."UNDO"."CUSTOMERS"')).toEqual([
      { OLD: 'old row' },
    ]);
    expect(await env.snowflakeRows('SELECT "X" FROM "STEVE_MCP"."UNDO"."KEEP_ME"')).toEqual([{ X: '1' }]);
    // The schema was there before the run, its stage was not: the stage and its files are gone.
    expect(summary.rolledBack.at(-1)).toMatchObject({
      description:
        'drop the stage STEVE_MCP.UNDO.MIGRATOR_STAGE if this run created it and it holds nothing else',
      note: 'stage dropped',
    });
    expect(await env.snowflakeRows('SHOW STAGES IN SCHEMA "STEVE_MCP"."UNDO"')).toEqual([]);
  });

  it('batches over keys only SQL Server can order (case, accents, trailing spaces, GUIDs, composite) without losing or repeating a row', async () => {
    const summary = (await outcome(
      await env.startRun(configFor('KEYS', { tables: ['dbo.accounts'], batchSize: 37 })),
    )) as RunSummary;
    expect(summary.tables[0]).toMatchObject({ rowsCopied: ACCOUNTS, state: 'published' });
    // 10 full ranges of 37 keys, then the rest up to the end of the table.
    expect(summary.tables[0]!.batchesDone).toBe(Math.floor(ACCOUNTS / 37) + 1);
    const rows = await env.snowflakeRows<Record<string, string>>(
      'SELECT "REGION", "ACCOUNT_GUID", "BALANCE" FROM "STEVE_MCP"."KEYS"."ACCOUNTS"',
    );
    const got = rows.map((r) => `${r.REGION}|${r.ACCOUNT_GUID}|${Number(r.BALANCE).toFixed(4)}`).sort();
    const expected = [...accountRows(ACCOUNTS)]
      .map(([region, guid, balance]) => `${region}|${guid}|${balance}`)
      .sort();
    expect(got).toEqual(expected);
  });

  it('stops the running batches of both tables in flight on cancellation and rolls back everything the run created', async () => {
    env.sqlserver.faults.setLatency(20);
    const workflowId = await env.startRun(
      configFor('CANCEL', { tables: ['dbo.customers', 'dbo.orders'], batchSize: 100, tablesInFlight: 2 }),
    );
    const handle = env.client.workflow.getHandle(workflowId);
    const batchesDone = async (index: number) =>
      (await env.tableProgress(workflowId, index))?.table.batchesDone ?? 0;
    // Both tables copying at once.
    while ((await batchesDone(0)) < 1 || (await batchesDone(1)) < 1) await sleep(100);
    expect((await handle.query(progressQuery)).running?.map((r) => r.index)).toEqual([0, 1]);
    await handle.cancel();
    const error = await handle.result().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const summary = (await handle.query(summaryQuery))!;
    expect(summary.status).toBe('cancelled');
    expect(summary.tables.map((t) => t.state)).toEqual(['rolled back', 'rolled back']);
    expect(summary.tables[1]!.batchesDone).toBeLessThan(summary.tables[1]!.batchesEstimated);
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    // The schema was created by this run: it goes with everything in it (stage, staged files).
    expect(summary.rolledBack.at(-1)).toMatchObject({
      description: 'drop the schema STEVE_MCP.CANCEL if this run created it and it holds nothing else',
      note: 'stage dropped; schema dropped',
    });
    expect(await schemas()).not.toContain('CANCEL');
  });

  it('stops at once on a wrong SQL Server password, saying what to do', async () => {
    const config = configFor(
      'WRONG_PASSWORD',
      { tables: ['dbo.customers'] },
      {
        source: { password: { env: 'TEST_WRONG_PASSWORD' } },
        temporal: { taskQueue: `wrong-password-${Date.now()}` },
      },
    );
    const worker = await env.startWorker(config);
    void worker;
    const failure = (await outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceLoginFailed');
    expect(failure.message).toBe(
      `SQL Server login failed: Login failed for user 'sa'.\nWhat to do: ${hintFor('SourceLoginFailed')}`,
    );
    expect((await env.failureSummary(failure)).error?.hint).toMatch(
      /^Check source\.user, and the password in the environment variable named by source\.password\.env/,
    );
  });
});
