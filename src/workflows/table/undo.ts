/**
 * How a table that failed or was cancelled ends: it undoes its own steps, in reverse and
 * non-cancellably. A failed table fails with its outcome as details; a cancelled one hands its outcome
 * over first and closes as cancelled.
 */
import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  upsertMemo,
} from '@temporalio/workflow';
import { TABLE_CANCELLED, TABLE_OUTCOME_MEMO, type TableOutcome } from '../../contracts/outcomes';
import { tableCancelledSignal } from '../messages';
import { enterState } from '../workflow-metrics';
import { errorInfo, runSteps } from '../workflow-steps';
import type { TableRun } from './context';
import { followStatus } from './follow-status';
import { signalRun } from './signal-run';

export async function undoTable(run: TableRun, err: unknown): Promise<never> {
  const { state } = run;
  const cancelled = isCancellation(err);
  // Called from the workflow's own scope: it is cancelled only when this workflow was asked to cancel.
  const workflowCancelled = CancellationScope.current().consideredCancelled;
  const info = cancelled ? { type: TABLE_CANCELLED, message: 'The run was cancelled.' } : errorInfo(err);
  const progress = state.progress ?? undefined;
  if (progress) progress.error = info;
  if (progress?.follow) followStatus('failed');
  const rolledBack = await CancellationScope.nonCancellable(async () => {
    if (progress) enterState(progress, 'failed');
    run.refreshDetails();
    // Undo in reverse order of the steps done.
    const outcomes = await runSteps(run.acts, run.rider, [...state.compensations].reverse(), 'undo');
    state.compensations = [];
    if (progress) enterState(progress, 'rolled back');
    run.refreshDetails();
    return outcomes;
  });
  const outcome: TableOutcome = { ...run.outcome(progress, rolledBack), error: info };
  // Histories recorded before the patch failed here instead, and replay so
  // (test/fixtures/histories/migrate-tables-cancelled-unpatched.*).
  if (cancelled && workflowCancelled && patched('table-closes-cancelled')) {
    await CancellationScope.nonCancellable(() => handOver(run.index, outcome));
    // Rethrown, the cancellation closes this workflow as Cancelled in the Web UI and `temporal workflow
    // describe`, as a cancelled table should show; any other error would close it as Failed
    // (https://docs.temporal.io/develop/typescript/workflows/cancellation-scopes).
    throw err;
  }
  // The outcome rides along as failure details: the run reads it from the child's failure.
  throw ApplicationFailure.nonRetryable(
    info.message,
    cancelled ? TABLE_CANCELLED : (info.type ?? 'MigrationFailed'),
    outcome,
  );
}

/**
 * A cancelled close carries no details, so a cancelled table's outcome travels two other ways, both
 * before it closes: in its memo, which a client reads with describe() once it has closed (the report,
 * the CLI: src/outcomes/table-outcomes.ts; https://typescript.temporal.io/api/namespaces/workflow#upsertmemo),
 * and by signal to the run, which records it when the child's result rejects with the cancellation.
 */
async function handOver(index: number, outcome: TableOutcome): Promise<void> {
  upsertMemo({ [TABLE_OUTCOME_MEMO]: outcome });
  await signalRun(tableCancelledSignal, { index, outcome });
}
