/**
 * Undo drops a database, schema or stage only when this run created it and it holds nothing else, as
 * Snowflake shows it at the moment of the undo (src/sql/snowflake/ownership.ts): two runs into two schemas of
 * one new database, and a person's table beside them, survive the cancel of the run that created the
 * database. End to end with the real drivers, the stand-ins and the dev server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { seedSampleData } from '../../scripts/sample-data';
import type { RunSummary } from '../../src/contracts/outcomes';
import { createdByRunComment } from '../../src/sql/snowflake/statements';
import { pauseSignal, summaryQuery } from '../../src/workflows/messages';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const CUSTOMERS = 120;
const ORDERS = 2_000;

describe('undo of what a run created (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
    await env.startWorker(env.config());
  });
  afterAll(() => env?.close());

  const into = (database: string, schema: string, tables: string[]) =>
    env.config({ target: { database, schema }, migration: { tables, batchSize: 100 } });
  const schemasOf = async (database: string) =>
    (await env.snowflakeRows(`SHOW SCHEMAS IN DATABASE "${database}"`)).map((s) => s.name);
  const databases = async () => (await env.snowflakeRows('SHOW DATABASES')).map((d) => d.name);

  /** Starts a run of dbo.orders and pauses it once its first batch is in: what it created is there. */
  async function pausedAfterFirstBatch(database: string, schema: string) {
    const workflowId = await env.startRun(into(database, schema, ['dbo.orders']));
    const handle = env.client.workflow.getHandle(workflowId);
    const batchesDone = async () => (await env.tableProgress(workflowId, 0))?.table.batchesDone ?? 0;
    while ((await batchesDone()) < 1) await sleep(100);
    await handle.signal(pauseSignal);
    return handle;
  }

  async function cancelled(handle: ReturnType<typeof env.client.workflow.getHandle>): Promise<RunSummary> {
    await handle.cancel();
    await handle.result().catch(() => undefined);
    const summary = (await handle.query(summaryQuery))!;
    expect(summary.status).toBe('cancelled');
    return summary;
  }

  it("keeps a new database that another run and a person put things in, and drops only the cancelled run's own schema", async () => {
    const first = await pausedAfterFirstBatch('SHARED_NEW', 'RUN_A');
    const runTag = first.workflowId.replace(/^migrate-test-/, ''); // see startRun in migration-env.ts
    const [created] = await env.snowflakeRows("SHOW DATABASES LIKE 'SHARED_NEW'");
    expect(created!.comment).toBe(createdByRunComment(runTag));

    // Another run into another schema of the same database, started while the first is in flight.
    const second = await env.outcome(await env.startRun(into('SHARED_NEW', 'RUN_B', ['dbo.customers'])));
    expect(second).toMatchObject({ status: 'succeeded' });
    // And a person's table in the database's PUBLIC schema.
    await env.snowflakeRows('CREATE TABLE "SHARED_NEW"."PUBLIC"."NOTES" ("X" NUMBER(9,0))');
    await env.snowflakeRows('INSERT INTO "SHARED_NEW"."PUBLIC"."NOTES" VALUES (1)');

    const summary = await cancelled(first);
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    expect(summary.rolledBack.at(-1)).toEqual({
      description: 'drop the database SHARED_NEW if this run created it and it holds nothing else',
      ok: true,
      note:
        'stage dropped; schema dropped; database kept: it still holds the schema SHARED_NEW.RUN_B, ' +
        'the table SHARED_NEW.PUBLIC.NOTES',
    });
    expect(await databases()).toContain('SHARED_NEW');
    expect(await schemasOf('SHARED_NEW')).toEqual(['PUBLIC', 'RUN_B']);
    expect(await env.snowflakeRows('SELECT COUNT(*) AS N FROM "SHARED_NEW"."RUN_B"."CUSTOMERS"')).toEqual([
      { N: String(CUSTOMERS) },
    ]);
    expect(await env.snowflakeRows('SELECT "X" FROM "SHARED_NEW"."PUBLIC"."NOTES"')).toEqual([{ X: '1' }]);
  });

  it('drops a new database that holds only what the run put there', async () => {
    const summary = await cancelled(await pausedAfterFirstBatch('ALONE_NEW', 'ONLY'));
    expect(summary.rolledBack.at(-1)).toEqual({
      description: 'drop the database ALONE_NEW if this run created it and it holds nothing else',
      ok: true,
      note: 'stage dropped; schema dropped; database dropped',
    });
    expect(await databases()).not.toContain('ALONE_NEW');
  });

  it("keeps a schema that holds someone else's sequence (dropping the schema would drop it)", async () => {
    const run = await pausedAfterFirstBatch('SEQ_NEW', 'ONLY');
    await env.snowflakeRows('CREATE SEQUENCE "SEQ_NEW"."ONLY"."TICKETS"');
    const summary = await cancelled(run);
    expect(summary.rolledBack.at(-1)).toEqual({
      description: 'drop the database SEQ_NEW if this run created it and it holds nothing else',
      ok: true,
      note:
        'stage dropped; schema kept: it still holds the sequence SEQ_NEW.ONLY.TICKETS; ' +
        'database kept: it still holds the schema SEQ_NEW.ONLY',
    });
    expect(await schemasOf('SEQ_NEW')).toEqual(['ONLY', 'PUBLIC']);
  });
});
