/** The table's analysis: its plan (key columns, estimate, names) and the progress that starts from it. */
import type { TableProgress } from '../../contracts/progress';
import type { TablePlan } from '../../contracts/table';
import { activitySummaries as summaries } from '../activity-summaries';
import { initialTableProgress } from '../run-state';
import type { TableRun } from './context';

/** `again`: a followed table, published by this run, analysed to be copied again from the start. */
export async function analyse(
  run: TableRun,
  again = false,
): Promise<{ plan: TablePlan; progress: TableProgress }> {
  const { settings, table } = run;
  const start = Date.now();
  const plan = await run.rider.ride(() =>
    run.acts.quick.analyzeTable.executeWithOptions({ summary: summaries.analyzeTable(table.source) }, [
      {
        index: run.index,
        runTag: settings.runTag,
        table,
        target: settings.target,
        metadataColumns: settings.metadataColumns,
        // Copied again, the table replaces its own published target.
        ifTargetExists: again ? 'replace' : settings.ifTargetExists,
        expectedSourceDatabase: settings.source.database,
        ...(run.following ? { follow: true } : {}),
        ...(settings.sourceReadIsolation === 'snapshot' ? { snapshotReads: true } : {}),
      },
    ]),
  );
  const progress = {
    ...initialTableProgress(plan, settings.batchSize),
    phases: { analyse: { start, end: Date.now() } },
  };
  return { plan, progress };
}
