/**
 * A run keeps only a compact record of each ended table (src/workflows/run-tables.ts): the table's child
 * workflow's outcome has the rest (validation checks, content differences, phases, warnings). This reads
 * those outcomes back from Temporal for the report and the CLI. It needs no worker: a closed workflow's
 * result, its failure's details, or a cancelled one's memo, is kept by Temporal.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowClient,
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
 * outcome in the memo, which describe() returns decoded,
 * https://typescript.temporal.io/api/interfaces/client.WorkflowExecutionDescription). A child cancelled
 * before it could undo anything, or of a run recorded before, has none.
 */
async function tableOutcome(
  client: WorkflowClient,
  workflowId: string,
  firstRunId: string,
): Promise<TableOutcome | undefined> {
  const handle = client.getHandle(workflowId, undefined, { firstExecutionRunId: firstRunId });
  try {
    return TableOutcomeSchema.parse(await handle.result());
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const details =
      err.cause instanceof ApplicationFailure
        ? err.cause.details?.[0]
        : err.cause instanceof CancelledFailure
          ? (await handle.describe()).memo?.[TABLE_OUTCOME_MEMO]
          : undefined;
    const parsed = TableOutcomeSchema.safeParse(details);
    return parsed.success ? parsed.data : undefined;
  }
}
