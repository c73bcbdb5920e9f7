/**
 * Rows written on the source during a run, and the consistent-read option: an update, insert or delete
 * after a row's batch was copied is found at validation by reading the source again (fail by default,
 * a warning under `warn`, not looked for under `off`, where only aggregates would have noticed), in a
 * whole run too, where a table re-created alike mid-run stops it at the next batch; and a
 * run with sourceReadIsolation `snapshot` reads in SNAPSHOT transactions where the database allows
 * them, and fails at once, with SQL Server's 3952 and how to allow it, where it does not.
 */
import type { ApplicationFailure } from '@temporalio/client';
import { queryRunProgress } from '../../src/cli/live-progress';
import type { MigratorConfig } from '../../src/config/schema';
import type { ContentResult } from '../../src/contracts/progress';
import type { RunSummary, TableOutcome } from '../../src/contracts/outcomes';
import { addContent, copiedContent } from '../../src/validation/content';
import { activityHarness, runActivity, type ActivityHarness } from '../support/activity-harness';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const NOTES = `
CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY, note nvarchar(20) NOT NULL);
GO
INSERT INTO dbo.notes VALUES (1, N'one'), (2, N'two'), (3, N'three'), (4, N'four');`;

const UPDATE = "UPDATE dbo.notes SET note = N'changed' WHERE id = 1";

describe('rows written on the source after their batch was copied (stand-ins + real drivers)', () => {
  let env: MigrationEnvironment;
  let harness: ActivityHarness | undefined;

  beforeEach(async () => {
    env = await createMigrationEnvironment([NOTES]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await env?.close();
  });

  /** Analyses, prepares and copies dbo.notes in two batches, then lets `change` write to the source. */
  async function copiedThenChanged(
    sourceChanges: 'fail' | 'warn' | 'off',
    change: string,
    { passCopied = true } = {},
  ) {
    const config = env.config({ migration: { tables: ['dbo.notes'], validation: { sourceChanges } } });
    harness = await activityHarness(config, 'consist');
    const { activities, step } = harness;
    const task = await harness.analyzeFirstTable('fail');
    await runActivity(activities.prepareTable, step(task));
    let copied: ContentResult | undefined;
    for (const [index, lower, upper] of [
      [0, null, ['2']],
      [1, ['2'], null],
    ] as const) {
      const result = await runActivity(activities.copyBatch, {
        ...step(task),
        loadMethod: 'copy' as const,
        batch: { index, lower: lower && [...lower], upper: upper && [...upper] },
      });
      copied = addContent(copied, result.content!, 20);
    }
    await env.sqlserver.exec(change);
    // As the workflow calls it (the staging table's checksum known from the batches), or as an older one.
    return runActivity(activities.validateTable, {
      ...step(task),
      ...(passCopied ? { copied: copiedContent(copied) } : {}),
    });
  }

  it('fails validation, naming the rows, when a row was updated after its batch was copied', async () => {
    const result = await copiedThenChanged('fail', UPDATE);
    expect(result.passed).toBe(false);
    // Counts and sums cannot see a changed text: the re-read does.
    expect(result.checks.filter((c) => !c.passed)).toEqual([
      {
        name: 'source unchanged since copied (every row read again)',
        source: '4 rows',
        target:
          '1 row(s) changed on the source after their batch was copied (source -> copied: id=1: note "changed" -> "one")',
        passed: false,
      },
    ]);
    expect(result.sourceChanges).toMatchObject({ rows: 4, differingRows: 1, exact: true });
  });

  it('names inserted and deleted rows too (Snowflake asked for the staging checksum, as before batches had one)', async () => {
    const result = await copiedThenChanged(
      'fail',
      "INSERT INTO dbo.notes VALUES (5, N'five'); DELETE FROM dbo.notes WHERE id = 2",
      { passCopied: false },
    );
    expect(result.passed).toBe(false);
    expect(result.checks.find((c) => c.name === 'row count')).toMatchObject({ passed: true });
    expect(result.sourceChanges?.reported.map((d) => [d.key, d.kind]).sort()).toEqual([
      ['id=2', 'not in source'],
      ['id=5', 'missing in target'],
    ]);
  });

  it('publishes what was copied with a warning under warn, aggregates moved by the changes included', async () => {
    const result = await copiedThenChanged('warn', `${UPDATE}; INSERT INTO dbo.notes VALUES (5, N'five')`);
    expect(result.passed).toBe(true);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^dbo\.notes: 2 row\(s\) changed on the source after their batch was copied \(source -> copied: .*\); published as copied \(validation\.sourceChanges: warn\)\.$/,
      ),
    ]);
    expect(result.checks.find((c) => c.name === 'row count')).toEqual({
      name: 'row count',
      source: '5',
      target: '4 (moved by the source changes)',
      passed: true,
    });
  });

  it('does not look under off: an updated text passes the aggregates', async () => {
    const result = await copiedThenChanged('off', UPDATE);
    expect(result.passed).toBe(true);
    expect(result.sourceChanges).toBeUndefined();
  });
});

describe('the source written to while the run copies the next batch, end to end (dev server)', () => {
  let env: MigrationEnvironment;
  beforeEach(async () => {
    env = await createMigrationEnvironment([NOTES]);
  });
  afterEach(() => env?.close());

  /** Runs dbo.notes in two batches; while the second is held back (two deadlocks), `change` runs. */
  async function runWithChange(sourceChanges: 'fail' | 'warn', change = UPDATE) {
    const config = env.config({
      migration: { tables: ['dbo.notes'], batchSize: 2, batchesInFlight: 1, validation: { sourceChanges } },
    });
    await env.startWorker(config);
    // The second batch's read (its key range starts above 2): retried after 1 s, then 2 s.
    const heldBack = env.sqlserver.faults.failNext({
      match: /SELECT \[id\], \[note\] FROM \[dbo\]\.\[notes\] WHERE \(\[id\] >/,
      count: 2,
    });
    const workflowId = await env.startRun(config);
    const handle = env.client.workflow.getHandle(workflowId);
    for (;;) {
      // The table's own workflow answers for its batches while it runs.
      const progress = await queryRunProgress(env.client, handle);
      // The change runs in the second batch's first back-off, away from its checks of the table: a
      // DROP and CREATE seen in between is a table not found, as SQL Server would answer too.
      if ((progress?.tables[0]?.batchesDone ?? 0) >= 1 && heldBack.failed >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await env.sqlserver.exec(change);
    return env.outcome(workflowId);
  }

  it('fails the run, naming the row, under the default (fail); nothing is published', async () => {
    const failure = (await runWithChange('fail')) as ApplicationFailure;
    expect(failure.type).toBe('ValidationFailed');
    expect(failure.message).toContain(
      'source unchanged since copied (every row read again): source 4 rows, target 1 row(s) changed on the source after their batch was copied (source -> copied: id=1: note "changed" -> "one")',
    );
    expect((await env.failureSummary(failure)).tables[0]).toMatchObject({ state: 'rolled back' });
    // The run created the target database, so its undo dropped it whole.
    await expect(env.tablesIn('DATA_MIGRATION')).rejects.toThrow(/does not exist/);
  });

  it('stops the run at the next batch when the table was dropped and created again, rows and all', async () => {
    const failure = (await runWithChange('fail', `DROP TABLE dbo.notes;\n${NOTES}`)) as ApplicationFailure;
    expect(failure.type).toBe('SourceTableRecreated');
    expect(failure.message).toMatch(/^dbo\.notes was dropped and created again since the run analysed it/);
    expect((await env.failureSummary(failure)).tables[0]).toMatchObject({
      state: 'rolled back',
      failedBatch: { index: 1 },
    });
  });

  it('publishes the rows as copied with the warning under warn', async () => {
    const summary = (await runWithChange('warn')) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]!.warnings).toContain(
      'dbo.notes: 1 row(s) changed on the source after their batch was copied (source -> copied: id=1: note "changed" -> "one"); published as copied (validation.sourceChanges: warn).',
    );
    const [row] = await env.snowflakeRows<{ NOTE: string }>(
      'SELECT "NOTE" FROM "STEVE_MCP"."DATA_MIGRATION"."NOTES" WHERE "ID" = 1',
    );
    expect(row).toEqual({ NOTE: 'one' });
  });
});

describe('sourceReadIsolation: snapshot, end to end (dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([NOTES]);
  });
  afterAll(() => env?.close());

  const snapshotConfig = (): MigratorConfig =>
    env.config({ migration: { tables: ['dbo.notes'], sourceReadIsolation: 'snapshot', batchSize: 2 } });

  it('fails before copying anything, with 3952 and how to allow it, while the database does not allow it', async () => {
    const config = snapshotConfig();
    await env.startWorker(config);
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceSnapshotNotAllowed');
    expect(failure.message).toMatch(
      /^SQL Server error 3952: Snapshot isolation transaction failed accessing database 'shop'/,
    );
    const summary = await env.failureSummary(failure);
    expect(summary.error?.hint).toMatch(/ALTER DATABASE \[<database>\] SET ALLOW_SNAPSHOT_ISOLATION ON/);
    expect(summary.tables[0]).toMatchObject({ state: 'rolled back', rowsCopied: 0 });
  });

  it('copies and validates every batch in SNAPSHOT transactions once the database allows them', async () => {
    await env.sqlserver.exec('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
    const config = snapshotConfig();
    await env.startWorker(config);
    const workflowId = await env.startRun(config);
    const summary = (await env.outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.config?.sourceReadIsolation).toBe('snapshot');
    expect(summary.tables[0]).toMatchObject({ state: 'published', rowsCopied: 4 });
    // The run keeps a published table's passed checks as a count; the table's own workflow has them all.
    const table = (await env.client.workflow.getHandle(`${workflowId}.t0`).result()) as TableOutcome;
    expect(
      table.progress?.validation?.checks.find((c) => c.name.startsWith('source unchanged')),
    ).toMatchObject({ target: 'every row as copied', passed: true });
  });
});
