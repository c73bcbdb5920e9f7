/**
 * A run keeps only a compact record of each ended table (src/workflows/run-tables.ts): the table's child
 * workflow's outcome has the rest (validation checks, content differences, phases, warnings). This reads
 * those outcomes back from Temporal for the report and the CLI. It needs no worker: a closed workflow's
 * result, its failure's details, or a cancelled one's memo, is kept by Temporal.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowContinuedAsNewError,
  WorkflowFailedError,
  type WorkflowClient,
  type WorkflowHandle,
} from '@temporalio/client';
import { type TableProgress } from '../contracts/progress';
import {
  TABLE_OUTCOME_MEMO,
  TableOutcomeSchema,
  type RunSummary,
  type TableOutcome,
} from '../contracts/outcomes';
import { tableWorkflowId, withChildOutcome } from '../run-summary/records';

/** Outcomes read at once: a 2,000-table report takes seconds, not minutes, and Temporal is not flooded. */
const READS_IN_FLIGHT = 16;

/**
 * The summary with every table's child outcome merged in. A table whose outcome cannot be read says why
 * in a warning, or, with `unreadable: 'throw'` (the report activity, which Temporal then retries), the
 * error is thrown.
 */
export async function withTableOutcomes(
  client: WorkflowClient,
  summary: RunSummary,
  { unreadable = 'warn' }: { unreadable?: 'warn' | 'throw' } = {},
): Promise<RunSummary> {
  const tables = [...summary.tables];
  let next = 0;
  const readNext = async (): Promise<void> => {
    for (let index = next++; index < tables.length; index = next++) {
      tables[index] = await withOutcomeOf(client, summary.workflowId, index, tables[index]!, unreadable);
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, readNext));
  return { ...summary, tables };
}

async function withOutcomeOf(
  client: WorkflowClient,
  runWorkflowId: string,
  index: number,
  table: TableProgress,
  unreadable: 'warn' | 'throw',
): Promise<TableProgress> {
  if (!table.childRunId) return table;
  const workflowId = tableWorkflowId(runWorkflowId, index);
  try {
    const outcome = await tableOutcome(client, workflowId, table.childRunId);
    return outcome ? withChildOutcome(table, outcome) : table;
  } catch (err) {
    if (unreadable === 'throw') throw err;
    const why = err instanceof Error ? err.message : String(err);
    return {
      ...table,
      warnings: [
        ...table.warnings,
        `${table.source}: the details of this table (its checks and phases) could not be read from its workflow ${workflowId}: ${why}`,
      ],
    };
  }
}

/**
 * A child's outcome: its result when published, its failure's details when it failed, its memo when it
 * closed as cancelled (a cancelled close carries no details: src/workflows/table/undo.ts keeps the
 * outcome in the memo). A child cancelled before it could undo anything, or of a run recorded before,
 * has none. Read run by run from the first (a long table continues as new), so that the memo read is
 * that of the run that ended the chain, not of a later run of the same workflow id: describe() reads the
 * run its handle names (https://typescript.temporal.io/api/interfaces/client.WorkflowHandle#describe).
 */
async function tableOutcome(
  client: WorkflowClient,
  workflowId: string,
  firstRunId: string,
): Promise<TableOutcome | undefined> {
  for (let runId = firstRunId; ;) {
    const handle = client.getHandle(workflowId, runId, { followRuns: false });
    try {
      return TableOutcomeSchema.parse(await handle.result());
    } catch (err) {
      if (err instanceof WorkflowContinuedAsNewError) {
        runId = err.newExecutionRunId;
        continue;
      }
      if (!(err instanceof WorkflowFailedError)) throw err;
      const parsed = TableOutcomeSchema.safeParse(await outcomeCarriedBy(err, handle));
      return parsed.success ? parsed.data : undefined;
    }
  }
}

/** Where a child that closed unpublished keeps its outcome: its failure's details, or its memo when cancelled. */
async function outcomeCarriedBy(err: WorkflowFailedError, handle: WorkflowHandle): Promise<unknown> {
  if (err.cause instanceof ApplicationFailure) return err.cause.details?.[0];
  // describe() returns the memo decoded (https://typescript.temporal.io/api/interfaces/client.WorkflowExecutionDescription).
  if (err.cause instanceof CancelledFailure) return (await handle.describe()).memo?.[TABLE_OUTCOME_MEMO];
  return undefined;
}
