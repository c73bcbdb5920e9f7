/**
 * The orchestration of migrateTables on the real Temporal dev server, with in-memory activities that
 * behave like a source table of numbered rows. These tests are about the workflow's own logic
 * (parallelism, continue-as-new, pause, compensation order, cancellation); the end-to-end tests with
 * the real drivers and stand-ins are in migrate-tables.test.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApplicationFailure } from '@temporalio/client';
import { CancelledFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import { runOutcome } from '../../src/cli/outcome';
import { hintFor } from '../../src/contracts/errors';
import { renderMarkdown } from '../../src/report/render';
import type { MigrationRunInput } from '../../src/contracts/run-input';
import {
  pauseSignal,
  progressQuery,
  resumeSignal,
  summaryQuery,
  tableProgressQuery,
} from '../../src/workflows/messages';
import type { migrateTables } from '../../src/workflows';
import { fakeActivities, runInput, type FakeTable } from '../support/fake-activities';
import { maybeRecordHistory, replayOrThrow } from '../support/replay';
import { connectClient, uniqueTaskQueue, withWorker } from '../support/temporal';

describe('migrateTables orchestration (real dev server, in-memory activities)', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await connectClient());
  });
  afterAll(() => close());

  /**
   * The histories of a run and of its tables' children replay against the current workflow code; they
   * may be saved as fixtures named by workflow id (`<fixture>.json`, `<fixture>.t<index>.json`), the id
   * the replay of test/fixtures runs them under.
   */
  async function expectReplayable(workflowId: string, tables: number) {
    const ids = [workflowId, ...Array.from({ length: tables }, (_, i) => `${workflowId}.t${i}`)];
    const histories = await Promise.all(
      ids.map(async (id) => ({
        workflowId: id,
        history: await client.workflow.getHandle(id).fetchHistory(),
      })),
    );
    await expect(replayOrThrow(histories)).resolves.toBe(ids.length);
    histories.forEach(({ workflowId: id, history }) => maybeRecordHistory(id, history));
  }

  /**
   * Runs the workflow to its end. A run whose history is kept as a fixture takes the fixture's name as
   * its workflow id: the replay runs under that id, and the run derives its tables' child ids from it.
   */
  async function run(
    tables: FakeTable[],
    fake: ReturnType<typeof fakeActivities>,
    overrides: Partial<MigrationRunInput> = {},
    fixture?: string,
  ) {
    const taskQueue = uniqueTaskQueue('orchestration');
    const workflowId = fixture ?? `orchestration-${taskQueue}`;
    const outcome = await withWorker({ taskQueue, activities: fake.activities }, async () => {
      try {
        return await client.workflow.execute<typeof migrateTables>('migrateTables', {
          taskQueue,
          workflowId,
          args: [runInput(tables, overrides)],
        });
      } catch (err) {
        return err as WorkflowFailedError;
      }
    });
    // The run's summary as the CLI reads it: each table's details come from its child workflow.
    const summary = await runOutcome(client, client.workflow.getHandle(workflowId));
    return { outcome, workflowId, summary };
  }

  it('copies every batch of every table once, publishes in order, and cleans up after success', async () => {
    const tables = [
      { name: 'customers', rows: 95 },
      { name: 'orders', rows: 230 },
    ];
    const fake = fakeActivities(tables);
    const { summary } = await run(
      tables,
      fake,
      { ifTargetExists: 'replace', tablesInFlight: 1 },
      'migrate-tables-succeeded',
    );
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied, t.batchesDone, t.published])).toEqual([
      ['dbo.customers', 'published', 95, 10, 'replaced'],
      ['dbo.orders', 'published', 230, 23, 'replaced'],
    ]);
    expect([...fake.loaded[1]!.keys()].sort((a, b) => a - b)).toEqual([...Array(23).keys()]);
    expect(fake.log).toEqual([
      'prepare customers',
      'publish customers (replace)',
      'prepare orders',
      'publish orders (replace)',
      'report succeeded',
    ]);
    expect(fake.undone.map((s) => s.kind === 'dropTable' && s.table.name)).toEqual([
      'CUSTOMERS__REPLACED_ABC123',
      'ORDERS__REPLACED_ABC123',
    ]);
    expect(summary.reportFiles).toEqual([`/reports/${summary.workflowId}.json`]);
    await expectReplayable(summary.workflowId, 2);
  });

  it("analyses each table once: the table's child plans from the preflight's analysis", async () => {
    const tables = [
      { name: 'customers', rows: 25 },
      { name: 'orders', rows: 12 },
    ];
    const fake = fakeActivities(tables);
    const { summary } = await run(tables, fake, { tablesInFlight: 1 }, 'migrate-tables-reused-analysis');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied, t.batchesEstimated])).toEqual([
      ['dbo.customers', 'published', 25, 3],
      ['dbo.orders', 'published', 12, 2],
    ]);
    // The preflight's two, and none by the children.
    expect(fake.analysisCalls()).toBe(2);
    await expectReplayable(summary.workflowId, 2);
  });

  it('analyses a table again when it changed after the preflight, before anything is created for it', async () => {
    const tables = [
      { name: 'customers', rows: 25 },
      { name: 'orders', rows: 12 },
    ];
    const fake = fakeActivities(tables, { changedAfterPreflight: 1 });
    const { summary } = await run(tables, fake, { tablesInFlight: 1 });
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied])).toEqual([
      ['dbo.customers', 'published', 25],
      ['dbo.orders', 'published', 12],
    ]);
    // The preflight's two, and the child's own of orders.
    expect(fake.analysisCalls()).toBe(3);
    expect(fake.log.slice(0, 5)).toEqual([
      'prepare customers',
      'publish customers (create)',
      'refused orders',
      'prepare orders',
      'publish orders (create)',
    ]);
    // In the table's own history: the refused preparation, its own analysis, then the table prepared.
    const child = await client.workflow.getHandle(`${summary.workflowId}.t1`).fetchHistory();
    const scheduled = (child.events ?? []).flatMap((e) => {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    expect(scheduled.slice(0, 4)).toEqual(['prepareTable', 'analyzeTable', 'prepareTable', 'planBatches']);
    await expectReplayable(summary.workflowId, 2);
  });

  it('waits out outages, calling the step again, numbering batch attempts across calls and counting retries', async () => {
    const tables = [{ name: 'orders', rows: 50 }];
    const fake = fakeActivities(tables, {
      analysisOutages: 1,
      batchOutage: { table: 0, batch: 2, calls: 2 },
    });
    const { summary } = await run(tables, fake, {}, 'migrate-tables-outage');
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 50, batchesDone: 5, retriedBatches: 1 });
    expect(summary.outageRetries).toEqual({ source: 1, target: 2 });
    // Temporal's 8 attempts per call: the third call's attempts are numbered from 17 on.
    expect(fake.outageBatchCalls).toEqual([0, 8, 16]);
    await expectReplayable(summary.workflowId, 1);
  });

  it('fails once an outage outlasts the tolerance, with a hint, and undoes what it did', async () => {
    const tables = [{ name: 'orders', rows: 50 }];
    const fake = fakeActivities(tables, { batchOutage: { table: 0, batch: 1, calls: Infinity } });
    // 6 s: calls again after 1 s and 2 s of waiting; the next, 4 s later, would start after the tolerance.
    const { outcome, summary } = await run(tables, fake, { outageToleranceMinutes: 0.1 });
    const failure = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('TargetUnavailable');
    expect(failure.message).toBe(
      `connect ECONNREFUSED 10.0.0.1:443\nWhat to do: ${hintFor('TargetUnavailable')}`,
    );
    expect(summary.error?.hint).toBe(
      'Snowflake stayed unreachable longer than migration.outageToleranceMinutes: make sure it is up and reachable from the workers, then start the run again.',
    );
    expect(summary.outageRetries).toEqual({ source: 0, target: 2 });
    expect(fake.outageBatchCalls).toEqual([0, 8, 16]);
    expect(fake.undone.map((s) => s.kind)).toEqual(['dropTable', 'removeStagedFiles']);
  });

  /** The statuses of every run of a workflow id, newest first. */
  async function runsOf(workflowId: string): Promise<string[]> {
    const runs = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push(execution.status.name);
    return runs;
  }

  it("continues a long table's child as new and carries its progress across runs", async () => {
    const tables = [{ name: 'big', rows: 600 }];
    const fake = fakeActivities(tables);
    const { workflowId, summary } = await run(tables, fake, { continueAsNewAfterEvents: 60 });
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 600, batchesDone: 60, state: 'published' });
    expect(fake.copyCalls()).toBe(60);
    const runs = await runsOf(`${workflowId}.t0`);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((s) => s === 'CONTINUED_AS_NEW')).toHaveLength(runs.length - 1);
  });

  it('continues the run as new between tables, carrying every table record', async () => {
    const tables = Array.from({ length: 8 }, (_, i) => ({ name: `t${i}`, rows: 15 - i }));
    const fake = fakeActivities(tables);
    const { workflowId, summary } = await run(tables, fake, {
      continueAsNewAfterEvents: 40,
      tablesInFlight: 3,
    });
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied])).toEqual(
      tables.map((t) => [`dbo.${t.name}`, 'published', t.rows]),
    );
    expect(summary.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(await runsOf(workflowId)).toHaveLength(summary.continuedAsNew + 1);
    expect(fake.log.filter((l) => l.startsWith('publish'))).toHaveLength(8);
    // The run does not carry the preflight's analyses across continue-as-new: the tables started before
    // it reuse theirs, those started after are analysed again by their child.
    expect(fake.analysisCalls()).toBeGreaterThan(8);
    expect(fake.analysisCalls()).toBeLessThan(16);
  });

  it('rolls back a failing table alone and publishes the others: completed with failures', async () => {
    const tables = [
      { name: 'customers', rows: 30 },
      { name: 'orders', rows: 50 },
      { name: 'items', rows: 20 },
    ];
    const fake = fakeActivities(tables, { failBatch: [1, 2] });
    const { summary } = await run(tables, fake, {}, 'migrate-tables-completed-with-failures');
    expect(summary.status).toBe('completed with failures');
    expect(summary.tables.map((t) => [t.source, t.state, t.error?.type])).toEqual([
      ['dbo.customers', 'published', undefined],
      ['dbo.orders', 'rolled back', 'UnsupportedColumnType'],
      ['dbo.items', 'published', undefined],
    ]);
    expect(summary.tables[1]!.error?.hint).toMatch(/^Exclude the column/);
    expect(summary.error).toBeUndefined();
    expect(summary.rolledBack.map((s) => s.description)).toEqual([
      'drop staging table DB.S.ORDERS__MIGRATING_ABC123',
      'remove staged files @DB.S.STAGE/abc123/t1/',
    ]);
    expect(fake.undone.map((s) => s.kind === 'dropTable' && s.table.name)).toEqual([
      'ORDERS__MIGRATING_ABC123',
      false,
    ]);
    expect(fake.log.at(-1)).toBe('report completed with failures');
    await expectReplayable(summary.workflowId, 3);
  });

  it('with allOrNothing, undoes every table in reverse order when a later table fails, and reports why', async () => {
    const tables = [
      { name: 'customers', rows: 30 },
      { name: 'orders', rows: 50 },
    ];
    const fake = fakeActivities(tables, { failBatch: [1, 2] });
    const { outcome, summary } = await run(
      tables,
      fake,
      { allOrNothing: true, tablesInFlight: 1 },
      'migrate-tables-rolled-back',
    );
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const failure = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('UnsupportedColumnType');
    expect(failure.message).toBe(
      `Column dbo.orders.shape has type geography\nWhat to do: ${hintFor('UnsupportedColumnType')}`,
    );
    expect(summary.status).toBe('failed');
    expect(summary.error?.hint).toMatch(/^Exclude the column/);
    expect(summary.rolledBack.map((s) => s.description)).toEqual([
      'drop staging table DB.S.ORDERS__MIGRATING_ABC123',
      'remove staged files @DB.S.STAGE/abc123/t1/',
      'drop published table DB.S.CUSTOMERS',
    ]);
    expect(summary.tables.map((t) => t.state)).toEqual(['rolled back', 'rolled back']);
    expect(fake.log.at(-1)).toBe('report failed');
    await expectReplayable(summary.workflowId, 2);
  });

  it('refuses two tables with the same target after analysing them, before preparing anything', async () => {
    const tables = [
      { name: 'orders', rows: 10 },
      { name: 'orders', rows: 20 },
    ];
    const fake = fakeActivities(tables);
    const { outcome } = await run(tables, fake);
    const failure = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('InvalidConfig');
    expect(failure.message).toMatch(/^dbo\.orders and dbo\.orders would both be migrated to DB\.S\.ORDERS/);
    expect(fake.log).toEqual(['report failed']);
  });

  it('fails a table whose validation disagrees, before publishing it', async () => {
    const tables = [{ name: 'customers', rows: 30 }];
    const fake = fakeActivities(tables, { failValidation: 0 });
    const { outcome } = await run(tables, fake);
    const failure = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('ValidationFailed');
    expect(failure.message).toBe(
      `Validation of dbo.customers failed: row count: source 30, target 29\nWhat to do: ${hintFor('ValidationFailed')}`,
    );
    expect(fake.log).not.toContain('publish customers (create)');
  });

  it('pauses between batches and resumes on signal', async () => {
    const tables = [{ name: 'slow', rows: 200 }];
    const fake = fakeActivities(tables, { batchDelayMs: 100 });
    const taskQueue = uniqueTaskQueue('pause');
    const workflowId = `pause-${taskQueue}`;
    await withWorker({ taskQueue, activities: fake.activities }, async () => {
      const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables, { batchesInFlight: 2 })],
      });
      const table = client.workflow.getHandle(`${workflowId}.t0`);
      const batchesDone = async () => {
        const live = await table.query(tableProgressQuery).catch(() => undefined);
        return live?.table.batchesDone ?? 0;
      };
      while ((await batchesDone()) < 3) await sleep(50);
      await handle.signal(pauseSignal);
      await sleep(400); // batches already running finish
      const paused = await handle.query(progressQuery);
      expect(paused.status).toBe('paused');
      expect(paused.line).toMatch(/^Paused\. /);
      expect(paused.running).toEqual([{ index: 0, workflowId: `${workflowId}.t0` }]);
      expect((await table.query(tableProgressQuery))?.paused).toBe(true);
      const callsWhilePaused = fake.copyCalls();
      await sleep(500);
      expect(fake.copyCalls()).toBe(callsWhilePaused);
      expect(await batchesDone()).toBeLessThan(20);
      await handle.signal(resumeSignal);
      await handle.result();
      const summary = await runOutcome(client, handle);
      expect(summary.tables[0]).toMatchObject({ batchesDone: 20, rowsCopied: 200 });
    });
  });

  it('rolls back every table in flight and every published one on cancellation, and keeps the summary queryable', async () => {
    const tables = [
      { name: 'quick', rows: 10 },
      { name: 'slow', rows: 500 },
      { name: 'slower', rows: 500 },
      { name: 'never', rows: 10 },
    ];
    const fake = fakeActivities(tables, { batchDelayMs: 50 });
    const taskQueue = uniqueTaskQueue('cancel');
    const workflowId = `cancel-${taskQueue}`;
    await withWorker({ taskQueue, activities: fake.activities }, async () => {
      const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables, { tablesInFlight: 2 })],
      });
      // quick is published; then slow and slower are in flight together.
      for (;;) {
        const progress = await handle.query(progressQuery);
        if (progress.running?.length === 2 && progress.tables[0]!.state === 'published') {
          const live = await Promise.all(
            progress.running.map((r) =>
              // A child still starting is not there yet.
              client.workflow
                .getHandle(r.workflowId)
                .query(tableProgressQuery)
                .catch(() => undefined),
            ),
          );
          if (live.every((l) => (l?.table.batchesDone ?? 0) >= 2)) break;
        }
        await sleep(50);
      }
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
      const summary = await handle.query(summaryQuery);
      expect(summary?.status).toBe('cancelled');
      expect(summary?.error?.message).toBe('The run was cancelled.');
      expect(summary?.tables.map((t) => t.state)).toEqual([
        'rolled back',
        'rolled back',
        'rolled back',
        'pending',
      ]);
      expect(summary?.rolledBack.every((s) => s.ok)).toBe(true);
      expect(summary?.rolledBack.map((s) => s.description).sort()).toEqual([
        'drop published table DB.S.QUICK',
        'drop staging table DB.S.SLOWER__MIGRATING_ABC123',
        'drop staging table DB.S.SLOW__MIGRATING_ABC123',
        'remove staged files @DB.S.STAGE/abc123/t1/',
        'remove staged files @DB.S.STAGE/abc123/t2/',
      ]);
      // The published table is undone last, after both tables in flight undid themselves.
      expect(summary?.rolledBack.at(-1)?.description).toBe('drop published table DB.S.QUICK');
      expect(fake.log.filter((l) => l.startsWith('prepare'))).not.toContain('prepare never');
      expect(await runsOf(`${workflowId}.t1`)).toEqual(['CANCELLED']);
    });
  });

  it("closes a cancelled table's child as Cancelled, its outcome still in the run's summary and report", async () => {
    const tables = [{ name: 'orders', rows: 300 }];
    const fake = fakeActivities(tables, { batchDelayMs: 50 });
    const taskQueue = uniqueTaskQueue('cancel-loading');
    // The fixture's name: the replay of test/fixtures runs the histories under it.
    const workflowId = 'migrate-tables-cancelled';
    await withWorker({ taskQueue, activities: fake.activities }, async () => {
      const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables)],
      });
      const table = client.workflow.getHandle(`${workflowId}.t0`);
      // Cancelled while the table loads, so that there is something to roll back.
      for (;;) {
        const live = await table.query(tableProgressQuery).catch(() => undefined);
        if ((live?.table.batchesDone ?? 0) >= 3) break;
        await sleep(50);
      }
      await handle.cancel();
      // The run ends as before: cancelled, with its summary.
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);

      // As the Web UI and `temporal workflow describe` show it.
      expect((await table.describe()).status.name).toBe('CANCELLED');

      // The CLI's and the report's summary: the run has only a compact record, the rest (phases, start)
      // comes from the cancelled child's outcome.
      const summary = await runOutcome(client, handle);
      expect(summary.status).toBe('cancelled');
      expect(summary.error?.message).toBe('The run was cancelled.');
      const [orders] = summary.tables;
      expect(orders).toMatchObject({
        source: 'dbo.orders',
        state: 'rolled back',
        error: { type: 'Cancelled', message: 'The run was cancelled.' },
      });
      expect(orders!.warnings).toEqual([]);
      expect(Object.keys(orders!.phases ?? {})).toEqual(['analyse', 'copy']);
      expect(orders!.phases?.analyse?.end).toEqual(expect.any(Number));
      expect(orders!.startedAt).toEqual(expect.any(Number));
      expect(orders!.batchesDone).toBeGreaterThanOrEqual(3);
      // The table's own undo steps, which reach the run by the signal the child sends before it closes.
      expect(summary.rolledBack.map((s) => [s.description, s.ok])).toEqual([
        ['drop staging table DB.S.ORDERS__MIGRATING_ABC123', true],
        ['remove staged files @DB.S.STAGE/abc123/t0/', true],
      ]);
      expect(renderMarkdown(summary)).toMatch(
        /^\| dbo\.orders \| DB\.S\.ORDERS \| rolled back \| [\d,]+ \| \d+ \| \d+s \|/m,
      );
      await expectReplayable(workflowId, 1);
    });
  });

  it("cancels a table's child that continued as new: its latest run closes as Cancelled, nothing published", async () => {
    const tables = [{ name: 'big', rows: 600 }];
    const fake = fakeActivities(tables, { batchDelayMs: 20 });
    const taskQueue = uniqueTaskQueue('cancel-continued');
    // The fixture's name: the replay of test/fixtures runs the histories under it.
    const workflowId = 'migrate-tables-cancelled-continued';
    const childId = `${workflowId}.t0`;
    await withWorker({ taskQueue, activities: fake.activities }, async () => {
      const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables, { continueAsNewAfterEvents: 60 })],
      });
      // Cancelled once the child's first run has closed by continue-as-new: the parent's handle on the
      // child was made for that first run. Before the fix the run's history showed why the child went on
      // to publish: RequestCancelExternalWorkflowExecutionInitiated named the first run's id, the server
      // recorded the request against that closed run, and ChildWorkflowExecutionCompleted followed.
      while (!(await runsOf(childId).catch(() => [] as string[])).includes('CONTINUED_AS_NEW'))
        await sleep(50);
      const copiesAtCancel = fake.copyCalls();
      await handle.cancel();
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);

      // describe() follows the child's latest run.
      expect((await client.workflow.getHandle(childId).describe()).status.name).toBe('CANCELLED');
      // Promptly: the batches in flight when it was asked to stop, not the rest of the 60.
      expect(fake.copyCalls() - copiesAtCancel).toBeLessThan(10);
      expect(fake.log.filter((l) => l.startsWith('publish'))).toEqual([]);

      const summary = await runOutcome(client, handle);
      expect(summary.status).toBe('cancelled');
      expect(summary.tables[0]).toMatchObject({ state: 'rolled back', error: { type: 'Cancelled' } });
      // The child undid its own steps; there was no published table for the run to drop.
      expect(summary.rolledBack.map((s) => [s.description, s.ok])).toEqual([
        ['drop staging table DB.S.BIG__MIGRATING_ABC123', true],
        ['remove staged files @DB.S.STAGE/abc123/t0/', true],
      ]);
      await expectReplayable(workflowId, 1);
    });
  });

  it("reads a cancelled table's outcome from its own child, also once the same tables ran again", async () => {
    const tables = [{ name: 'big', rows: 500 }];
    const fake = fakeActivities(tables, { batchDelayMs: 20 });
    const taskQueue = uniqueTaskQueue('cancel-again');
    const workflowId = `cancel-again-${taskQueue}`;
    await withWorker({ taskQueue, activities: fake.activities }, async () => {
      const first = await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables)],
      });
      for (;;) {
        const live = await client.workflow
          .getHandle(`${workflowId}.t0`)
          .query(tableProgressQuery)
          .catch(() => undefined);
        if ((live?.table.batchesDone ?? 0) >= 3) break;
        await sleep(50);
      }
      await first.cancel();
      await expect(first.result()).rejects.toThrow(WorkflowFailedError);
      // The same tables again: the table's workflow id now names the new run's published child too.
      const again = await client.workflow.execute<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        args: [runInput(tables)],
      });
      expect(again.status).toBe('succeeded');
      expect((await runsOf(`${workflowId}.t0`)).sort()).toEqual(['CANCELLED', 'COMPLETED']);

      // The first run's report still reads its own cancelled child's memo, not the latest child's.
      const summary = await runOutcome(
        client,
        client.workflow.getHandle(workflowId, first.firstExecutionRunId),
      );
      expect(summary.status).toBe('cancelled');
      const [big] = summary.tables;
      expect(big).toMatchObject({ state: 'rolled back', error: { type: 'Cancelled' }, warnings: [] });
      expect(Object.keys(big!.phases ?? {})).toEqual(['analyse', 'copy']);
      expect(big!.published).toBeUndefined();
    });
  });
});
