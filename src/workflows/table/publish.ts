/** The publication: the validated staging table takes the target name (or is appended to it). */
import type { TableProgress } from '../../contracts/progress';
import type { TablePlan } from '../../contracts/table';
import { activitySummaries as summaries } from '../activity-summaries';
import { endPhase, startPhase } from '../run-state';
import { enterState } from '../workflow-metrics';
import type { TableRun } from './context';

export async function publish(run: TableRun, plan: TablePlan, progress: TableProgress): Promise<void> {
  enterState(progress, 'publishing');
  startPhase(progress, 'publish', Date.now());
  run.refreshDetails();
  // Only a table copied again while following has follow progress before it is published.
  const mode = progress.follow
    ? 'swap'
    : !plan.targetExists
      ? 'create'
      : run.settings.ifTargetExists === 'append'
        ? 'append'
        : 'replace';
  const published = await run.rider.ride(() =>
    run.acts.long.publishTable.executeWithOptions({ summary: summaries.publishTable(plan, mode) }, [
      { ...run.stepInput(plan), mode },
    ]),
  );
  // A swap keeps the first publication's record: the run undoes (and cleans up) that one.
  if (mode !== 'swap') progress.published = published.published;
  if (published.undo.kind === 'deleteAppended') progress.appendedKeyColumns = published.undo.keyColumns;
  enterState(progress, 'published');
  progress.finishedAt = Date.now();
  endPhase(progress, 'publish', progress.finishedAt);
  run.refreshDetails();
}
