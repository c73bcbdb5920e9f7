/**
 * Activities one by one, as Temporal's own activity test environment runs them, against the
 * stand-ins through the real drivers: what a retried attempt leaves behind, what a heartbeat
 * carries, and publish/undo when the target changed under the run.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { seedSampleData } from '../../scripts/sample-data';
import type { Activities } from '../../src/activities';
import type { ParsedRunInput } from '../../src/contracts/run-input';
import type { TableTask } from '../../src/contracts/table';
import { activityHarness, runActivity, type ActivityHarness } from '../support/activity-harness';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const CUSTOMERS = 1_200;

describe('activities on their own (stand-ins + real drivers)', () => {
  let env: MigrationEnvironment;
  let harness: ActivityHarness;
  let activities: Activities;
  let run: ParsedRunInput;

  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: 0 });
    harness = await activityHarness(env.config({ target: { schema: 'ACTIVITIES' } }), 'acttest');
    ({ activities, run } = harness);
  });
  afterAll(async () => {
    await harness?.close();
    await env?.close();
  });

  const step = (task: TableTask) => harness.step(task);
  const analyzeCustomers = () => harness.analyzeFirstTable('replace');

  it('leaves exactly one copy of a batch after retries, heartbeating progress, even when a timed-out attempt loads late', async () => {
    const task = await analyzeCustomers();
    await runActivity(activities.prepareTable, step(task));
    const { batches } = await runActivity(activities.planBatches, {
      task,
      metadataColumns: run.metadataColumns,
      batchSize: 500,
      after: null,
      firstIndex: 0,
      maxBatches: 10,
    });
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2]);

    const beats: unknown[] = [];
    for (const [attempt, loadMethod] of [
      [1, 'copy'],
      [2, 'insert'],
      [3, 'copy'],
    ] as const) {
      const activityEnv = new MockActivityEnvironment({ attempt });
      activityEnv.on('heartbeat', (details: unknown) => beats.push(details));
      const result = await runActivity(
        activities.copyBatch,
        { task, batch: batches[1]!, loadMethod, target: run.target, metadataColumns: run.metadataColumns },
        activityEnv,
      );
      expect(result).toMatchObject({ rows: 500, attempt });
    }
    const [counts] = await env.snowflakeRows<{ N: string; KEYS: string }>(
      `SELECT COUNT(*) AS N, COUNT(DISTINCT CUSTOMER_ID) AS KEYS FROM "${task.staging.database}"."${task.staging.schema}"."${task.staging.name}"`,
    );
    expect(counts).toEqual({ N: '500', KEYS: '500' });
    expect(beats[0]).toEqual({ phase: 'clearing', rows: 0 });

    // Attempt 1 timed out but its load lands now, after attempt 3 cleared the batch: its rows are
    // the same rows again, marked with the older attempt.
    const staging = `"${task.staging.database}"."${task.staging.schema}"."${task.staging.name}"`;
    const columns = (
      await env.snowflakeRows<{ COLUMN_NAME: string }>(
        `SELECT COLUMN_NAME FROM "${task.staging.database}".INFORMATION_SCHEMA.COLUMNS ` +
          `WHERE TABLE_SCHEMA = '${task.staging.schema}' AND TABLE_NAME = '${task.staging.name}' ORDER BY ORDINAL_POSITION`,
      )
    ).map((c) => `"${c.COLUMN_NAME}"`);
    expect(columns.at(-1)).toBe('"_MIGRATION_ATTEMPT"');
    await env.snowflakeRows(
      `INSERT INTO ${staging} SELECT ${[...columns.slice(0, -1), '1'].join(', ')} FROM ${staging}`,
    );
    // The other two batches, so the whole table is there.
    for (const batch of [batches[0]!, batches[2]!]) {
      await runActivity(activities.copyBatch, {
        task,
        batch,
        loadMethod: 'copy',
        target: run.target,
        metadataColumns: run.metadataColumns,
      });
    }

    const validation = await runActivity(activities.validateTable, step(task));
    expect(validation).toMatchObject({
      passed: true,
      sourceRows: CUSTOMERS,
      targetRows: CUSTOMERS,
      lateRowsRemoved: 500,
    });
  });

  it('publishes as a new table, dropped by its undo, when the target to replace was dropped meanwhile', async () => {
    const task = await analyzeCustomers();
    await runActivity(activities.prepareTable, step(task));
    const published = await runActivity(activities.publishTable, {
      ...step(task),
      mode: 'replace' as const,
    });
    expect(published).toEqual({
      published: 'created',
      // dbo.customers' identity column draws from the first; the second is the staging table's placeholder.
      undo: {
        kind: 'dropTable',
        table: task.target,
        why: 'published table',
        sequences: [task.identitySequence, task.identityPlaceholder],
      },
      cleanups: [],
    });
    // A retry after a crash between the rename and the answer gives the same answer.
    expect(await runActivity(activities.publishTable, { ...step(task), mode: 'replace' as const })).toEqual(
      published,
    );

    await runActivity(activities.undoStep, published.undo);
    const left = await env.snowflakeRows(
      `SELECT TABLE_NAME FROM "${task.target.database}".INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '${task.target.schema}'`,
    );
    expect(left).toEqual([]);
    const sequences = await env.snowflakeRows(
      `SELECT SEQUENCE_NAME FROM "${task.target.database}".INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = '${task.target.schema}'`,
    );
    expect(sequences).toEqual([]);
  });
});
