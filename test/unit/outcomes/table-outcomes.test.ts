/**
 * How the report and the CLI merge each table's child outcome into the run's compact records. The
 * client here answers results from a map: what Temporal answers is covered end to end by
 * test/integration/many-tables.test.ts and scale-orchestration.test.ts.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowContinuedAsNewError,
  WorkflowFailedError,
  type WorkflowClient,
} from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import type { TableProgress } from '../../../src/contracts/progress';
import { TABLE_OUTCOME_MEMO, type RunSummary, type TableOutcome } from '../../../src/contracts/outcomes';
import { withTableOutcomes } from '../../../src/outcomes/table-outcomes';

const RUN = 'migrate-shop-dbo-k3x9qa';

const record = (source: string, over: Partial<TableProgress> = {}): TableProgress => ({
  source,
  target: `DB.S.${source.toUpperCase()}`,
  state: 'published',
  batchesDone: 1,
  batchesPlanned: 1,
  batchesEstimated: 1,
  rowsCopied: 3,
  rowsEstimated: 3,
  bytesCopied: 30,
  retriedBatches: 0,
  warnings: [],
  ...over,
});

const outcome = (progress: TableProgress): TableOutcome => ({
  progress,
  rolledBack: [],
  outageRetries: { source: 0, target: 0 },
  workerHosts: ['worker-1'],
  continuedAsNew: 0,
});

/**
 * A client whose workflows end as `results` says (by `<workflow id>@<run id>`, else by workflow id): a
 * value, or an error thrown by result(); describe() answers the memo `memos` holds for a run.
 */
function clientOf(
  results: Record<string, unknown>,
  memos: Record<string, Record<string, unknown>> = {},
): { client: WorkflowClient; asked: string[]; described: string[] } {
  const asked: string[] = [];
  const described: string[] = [];
  const client = {
    getHandle: (workflowId: string, runId?: string) => ({
      result: async () => {
        asked.push(`${workflowId}@${runId}`);
        const result = results[`${workflowId}@${runId}`] ?? results[workflowId];
        if (result instanceof Error) throw result;
        return result;
      },
      describe: async () => {
        described.push(`${workflowId}@${runId}`);
        return { memo: memos[`${workflowId}@${runId}`] };
      },
    }),
  } as unknown as WorkflowClient;
  return { client, asked, described };
}

const summary = (tables: TableProgress[]): RunSummary => ({
  workflowId: RUN,
  runTag: 'k3x9qa',
  status: 'completed with failures',
  source: 'sql/shop',
  target: 'DB.S',
  loadMethod: 'copy',
  startedAt: 0,
  finishedAt: 1,
  tables,
  continuedAsNew: 0,
  rolledBack: [],
  cleanupFailures: [],
});

const checks = [{ name: 'row count', source: '3', target: '3', passed: true }];

describe("each table's details, read back from its child workflow", () => {
  it('merges a published and a failed child, and leaves a table that never started as the run kept it', async () => {
    const published = record('customers', { childRunId: 'r0' });
    const failed = record('orders', { state: 'rolled back', childRunId: 'r1' });
    const pending = record('items', { state: 'pending', rowsCopied: 0 });
    const orders = record('orders', {
      state: 'failed',
      validation: { passed: false, sourceRows: 3, targetRows: 2, checks },
      error: { type: 'ValidationFailed', message: 'row count: source 3, target 2' },
    });
    const { client, asked } = clientOf({
      [`${RUN}.t0`]: outcome(
        record('customers', { validation: { passed: true, sourceRows: 3, targetRows: 3, checks } }),
      ),
      [`${RUN}.t1`]: new WorkflowFailedError(
        'failed',
        ApplicationFailure.create({ message: 'row count', details: [outcome(orders)] }),
        RetryState.NON_RETRYABLE_FAILURE,
      ),
    });
    const merged = await withTableOutcomes(client, summary([published, failed, pending]));
    expect(asked.sort()).toEqual([`${RUN}.t0@r0`, `${RUN}.t1@r1`]);
    expect(merged.tables[0]).toMatchObject({ state: 'published', validation: { checks }, childRunId: 'r0' });
    // The run's state stays (rolled back by the run); the child's checks and error come in.
    expect(merged.tables[1]).toMatchObject({
      state: 'rolled back',
      validation: { passed: false },
      error: { type: 'ValidationFailed' },
    });
    expect(merged.tables[2]).toBe(pending);
  });

  it("reads a cancelled child's outcome from the memo of the run that closed, after its continued runs", async () => {
    const cancelled = record('orders', {
      state: 'rolled back',
      phases: { analyse: { start: 1, end: 2 }, copy: { start: 2, end: 5 } },
      error: { type: 'Cancelled', message: 'The run was cancelled.' },
    });
    const { client, asked, described } = clientOf(
      {
        [`${RUN}.t0@r0`]: new WorkflowContinuedAsNewError('continued as new', 'r0b'),
        [`${RUN}.t0@r0b`]: new WorkflowFailedError(
          'Workflow execution cancelled',
          new CancelledFailure('Workflow canceled'),
          RetryState.NON_RETRYABLE_FAILURE,
        ),
      },
      // A later run of the same workflow id has no memo: only the cancelled run's counts.
      { [`${RUN}.t0@r0b`]: { [TABLE_OUTCOME_MEMO]: outcome(cancelled) }, [`${RUN}.t0@undefined`]: {} },
    );
    const table = record('orders', { state: 'rolled back', childRunId: 'r0' });
    const merged = await withTableOutcomes(client, summary([table]));
    expect(asked).toEqual([`${RUN}.t0@r0`, `${RUN}.t0@r0b`]);
    expect(described).toEqual([`${RUN}.t0@r0b`]);
    expect(merged.tables[0]).toEqual({ ...cancelled, target: table.target, childRunId: 'r0' });
  });

  it('says why when a table cannot be read, or throws for the report activity to be retried', async () => {
    const gone = new Error('workflow execution not found');
    const { client } = clientOf({ [`${RUN}.t0`]: gone });
    const table = record('customers', { childRunId: 'r0' });
    const merged = await withTableOutcomes(client, summary([table]));
    expect(merged.tables[0]).toEqual({
      ...table,
      warnings: [
        `customers: the details of this table (its checks and phases) could not be read from its workflow ${RUN}.t0: workflow execution not found`,
      ],
    });
    await expect(withTableOutcomes(client, summary([table]), { unreadable: 'throw' })).rejects.toBe(gone);
  });
});
