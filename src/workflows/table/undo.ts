/**
 * How a table that failed or was cancelled ends: it undoes its own steps, in reverse and
 * non-cancellably, and fails with its outcome as details.
 */
import { ApplicationFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import { TABLE_CANCELLED } from '../../contracts/outcomes';
import { enterState } from '../workflow-metrics';
import { errorInfo, runSteps } from '../workflow-steps';
import type { TableRun } from './context';
import { followStatus } from './follow-status';

export async function undoTable(run: TableRun, err: unknown): Promise<never> {
  const { state } = run;
  const cancelled = isCancellation(err);
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
  // The outcome rides along as failure details: the run reads it from the child's failure.
  throw ApplicationFailure.nonRetryable(
    info.message,
    cancelled ? TABLE_CANCELLED : (info.type ?? 'MigrationFailed'),
    { ...run.outcome(progress, rolledBack), error: info },
  );
}
