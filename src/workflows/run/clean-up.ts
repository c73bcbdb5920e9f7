/**
 * How a run whose tables have all ended finishes: failed when no table was published; otherwise what was
 * kept for undo (old rows of replaced tables) is cleaned up, and the report written.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { PackedRunResult } from '../../contracts/outcomes';
import { runResult } from '../../run-summary/records';
import { endStatus, publishedTableSteps } from '../run-tables';
import { runSteps } from '../workflow-steps';
import type { MigrationRun } from './context';
import { declareForeignKeys, publishedTables } from './foreign-keys';
import { writeReport } from './report';

export async function cleanUpAndReport(run: MigrationRun): Promise<PackedRunResult> {
  const { input, state } = run;
  const ended = endStatus(state.tables);
  if (ended === 'failed') {
    const first = state.tables.find((t) => t.error)?.error;
    throw ApplicationFailure.nonRetryable(
      first?.message ?? 'No table was published.',
      first?.type ?? 'MigrationFailed',
    );
  }
  // Every table has ended: what was kept for undo (old rows of replaced tables) can go.
  const { cleanups } = publishedTableSteps(state.tables, run.labels);
  const cleanupFailures = (await runSteps(run.acts, run.rider, cleanups, 'clean-up')).filter((o) => !o.ok);
  const foreignKeys = await declareForeignKeys(
    run.acts,
    publishedTables(state.tables, input.tables, run.labels),
  );
  if (foreignKeys.failure) cleanupFailures.push(foreignKeys.failure);
  const final = ended === 'succeeded' && input.mode === 'follow' ? 'cut over' : ended;
  run.setStatus(final);
  run.finalSummary = await writeReport(
    run,
    run.summary(final, { cleanupFailures, foreignKeys: foreignKeys.keys }),
  );
  return runResult(run.finalSummary, input);
}
