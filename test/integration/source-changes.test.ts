/**
 * What a batch does when the source or the target no longer fits the plan: a source table re-created
 * wider, or re-created alike, since the analysis is refused at the next batch (one attempt, no retries), and a value Snowflake
 * refuses is a non-retryable error naming the table, the column and the row's key; a staging table
 * dropped by someone else is said to be missing, not a matter of grants.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../src/activities';
import type { ParsedRunInput } from '../../src/contracts/run-input';
import type { TableTask } from '../../src/contracts/table';
import { createTable, qualifiedName } from '../../src/sql/snowflake/statements';
import { activityHarness, runActivity, type ActivityHarness } from '../support/activity-harness';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const NOTES = `
CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(10) NOT NULL);
GO
INSERT INTO dbo.notes VALUES (1, N'one'), (2, N'two'), (3, N'three'), (4, N'four');`;

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('batches when the source or the target changed under the run (stand-ins + real drivers)', () => {
  let env: MigrationEnvironment;
  let harness: ActivityHarness;
  let activities: Activities;
  let run: ParsedRunInput;

  beforeEach(async () => {
    env = await createMigrationEnvironment([NOTES]);
    harness = await activityHarness(env.config({ migration: { tables: ['dbo.notes'] } }), 'chgtest');
    ({ activities, run } = harness);
  });
  afterEach(async () => {
    await harness?.close();
    await env?.close();
  });

  const step = (task: TableTask) => harness.step(task);
  const batch = (task: TableTask, index: number, lower: string[] | null, upper: string[] | null) => ({
    ...step(task),
    loadMethod: 'copy' as const,
    batch: { index, lower, upper },
  });

  async function prepared(): Promise<TableTask> {
    const task = await harness.analyzeFirstTable('fail');
    await runActivity(activities.prepareTable, step(task));
    return task;
  }

  it('refuses the next batch, for good, once the source table was re-created with a wider column', async () => {
    const task = await prepared();
    expect(await runActivity(activities.copyBatch, batch(task, 0, null, ['2']))).toMatchObject({ rows: 2 });
    await env.sqlserver.exec(
      'DROP TABLE dbo.notes;\nCREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(50) NOT NULL);\nGO\n' +
        "INSERT INTO dbo.notes VALUES (3, N'three, and much longer than before'), (4, N'four');",
    );
    const failure = await failureOf(runActivity(activities.copyBatch, batch(task, 1, ['2'], null)));
    expect(failure).toMatchObject({
      type: 'SourceSchemaChanged',
      nonRetryable: true,
      message:
        'The columns of dbo.notes changed since the run analysed the table (it was dropped and created again).',
    });
  });

  it('refuses the next batch, for good, once the source table was dropped and created again with the same columns', async () => {
    const task = await prepared();
    expect(await runActivity(activities.copyBatch, batch(task, 0, null, ['2']))).toMatchObject({ rows: 2 });
    await env.sqlserver.exec(
      'DROP TABLE dbo.notes;\nCREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(10) NOT NULL);',
    );
    const failure = await failureOf(runActivity(activities.copyBatch, batch(task, 1, ['2'], null)));
    expect(failure).toMatchObject({ type: 'SourceTableRecreated', nonRetryable: true });
    expect(failure.message).toMatch(
      /^dbo\.notes was dropped and created again since the run analysed it \(same columns; object \d+ \S+ \S+ then, \d+ \S+ \S+ now\)/,
    );
    expect(failure.details).toEqual([
      { hint: expect.stringMatching(/^The source table was dropped and created again/) },
    ]);
  });

  it('names the table, the column and the key of a value Snowflake refuses, and does not retry it', async () => {
    const task = await prepared();
    // The staging table as an older, narrower target would have it: NOTE VARCHAR(3).
    await env.snowflakeRows(`DROP TABLE ${qualifiedName(task.staging)}`);
    await env.snowflakeRows(
      createTable(
        {
          table: task.staging,
          columns: [
            { name: 'ID', type: 'NUMBER(10,0)', nullable: false },
            { name: 'NOTE', type: 'VARCHAR(3)', nullable: false },
          ],
          isMigratedColumn: run.metadataColumns.isMigrated,
          migratedAtColumn: run.metadataColumns.migratedAt,
          primaryKey: ['ID'],
        },
        'staging',
      ),
    );
    const failure = await failureOf(runActivity(activities.copyBatch, batch(task, 0, null, null)));
    expect(failure).toMatchObject({
      type: 'ValueTooLong',
      nonRetryable: true,
      message:
        "Snowflake refused a value of dbo.notes, column NOTE, the row with key (id) = (3) (batch 0): String 'three' is too long and would be truncated",
    });
  });

  it('says a staging table dropped mid-run may have been dropped, instead of asking for grants', async () => {
    const task = await prepared();
    await env.snowflakeRows(`DROP TABLE ${qualifiedName(task.staging)}`);
    const failure = await failureOf(runActivity(activities.copyBatch, batch(task, 0, null, null)));
    expect(failure).toMatchObject({ type: 'TargetObjectMissing', nonRetryable: true });
    expect(failure.message).toMatch(
      /^Snowflake error 002003: SQL compilation error:\n.*does not exist or not authorized/,
    );
    expect(failure.details).toEqual([
      {
        hint:
          'The object may have been dropped or renamed (during the run, or by someone else), or the role may not see it: ' +
          'check that it exists and that target.role has USAGE on its database and schema.',
      },
    ]);
  });
});
