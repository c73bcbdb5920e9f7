/**
 * How a run that failed or was cancelled ends: its tables in flight are cancelled (each undoes itself),
 * the published ones are undone by the run, then what the run created; the report says what was undone.
 */
import { ApplicationFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import { runResult } from '../../run-summary/records';
import { failureMessage } from '../closing-details';
import { notAnalysed, publishedTableSteps } from '../run-tables';
import { enterState } from '../workflow-metrics';
import { errorInfo, runSteps } from '../workflow-steps';
import { cancelTables } from './children';
import type { MigrationRun } from './context';
import { writeReport } from './report';

export async function undoRun(run: MigrationRun, err: unknown): Promise<never> {
  const { input, state, running } = run;
  const cancelled = isCancellation(err);
  const info = cancelled ? { message: 'The run was cancelled.' } : errorInfo(err);
  const final = await CancellationScope.nonCancellable(async () => {
    run.setStatus(cancelled ? 'cancelled' : 'failed');
    // Each table in flight undoes itself when cancelled; the published ones are the run's to undo.
    await cancelTables(run);
    await Promise.all([...running.values()].map((t) => t.done));
    const { undo } = publishedTableSteps(state.tables, run.labels);
    // The tables' own schemas before the database that may hold them (they are undone in this order).
    for (const schema of state.createdSchemas ?? [])
      undo.push({
        kind: 'dropCreated',
        object: 'schema',
        target: { ...input.target, schema },
        runTag: input.runTag,
      });
    if (state.creates)
      undo.push({
        kind: 'dropCreated',
        object: state.creates,
        target: input.target,
        runTag: input.runTag,
      });
    const rolledBack = await runSteps(run.acts, run.rider, undo, 'undo');
    for (const table of state.tables) {
      // Published by its child, undone by the run: only the run sees this table roll back.
      if (table.state === 'published') enterState(table, 'rolled back');
    }
    // The report lists every selected table, also those the analysis had not reached.
    for (let index = state.tables.length; index < input.tables.length; index += 1)
      state.tables.push(notAnalysed());
    run.refreshDetails();
    return writeReport(run, run.summary(cancelled ? 'cancelled' : 'failed', { rolledBack, error: info }));
  });
  run.finalSummary = final;
  if (cancelled) throw err;
  // The result rides along as failure details, so `migrate report <id>` can show it; the message
  // carries the hint, as the Web UI shows the message first.
  throw ApplicationFailure.nonRetryable(
    failureMessage(info),
    info.type ?? 'MigrationFailed',
    runResult(final, input),
  );
}
