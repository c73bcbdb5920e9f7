/**
 * mode follow: every followIntervalSeconds a round applies the source's changes to the published table
 * (applyChanges, which returns counts only), until cutover: then a last round, which also compares the
 * whole table with the source, and the table ends published.
 */
import { ApplicationFailure, condition, patched } from '@temporalio/workflow';
import type { ContentResult, TableProgress } from '../../contracts/progress';
import type { TableOutcome } from '../../contracts/outcomes';
import type { TablePlan } from '../../contracts/table';
import { describeDifference } from '../../validation/content';
import { activitySummaries as summaries } from '../activity-summaries';
import { enterState } from '../workflow-metrics';
import { applicationFailure } from '../workflow-steps';
import type { TableRun } from './context';
import { followStatus, tellRun } from './follow-status';

/** The table's changes were lost (ChangesLost): it is to be copied again, for this reason. */
export interface ChangesLost {
  changesLost: string;
}

/** Follows the published table round by round; ends at cutover, or when its changes were lost. */
export async function followRounds(
  run: TableRun,
  plan: TablePlan,
  progress: TableProgress,
): Promise<TableOutcome | ChangesLost> {
  const { settings, state } = run;
  const followed = progress.follow!;
  // Resumed after a continue-as-new: already following, the run already knows.
  const resumedFollowing = progress.state === 'following';
  enterState(progress, 'following');
  followStatus('following');
  run.refreshDetails();
  if (!resumedFollowing) await tellRun(run.index, true);
  for (;;) {
    await condition(() => !state.paused || state.cutoverAt !== undefined);
    const cutover = state.cutoverAt !== undefined;
    const round = followed.rounds + 1;
    const began = Date.now();
    let result;
    try {
      result = await run.rider.ride(() =>
        run.acts.long.applyChanges.executeWithOptions(
          { summary: summaries.applyChanges(plan, round, followed.appliedVersion, cutover) },
          [
            {
              task: plan.task,
              target: settings.target,
              metadataColumns: settings.metadataColumns,
              loadMethod: settings.loadMethod,
              lastVersion: followed.appliedVersion,
              round,
              verify: cutover,
              maxReportedDifferences: settings.validation.maxReportedDifferences,
            },
          ],
        ),
      );
    } catch (err) {
      const lost = applicationFailure(err);
      // Histories recorded before re-copies existed failed the table here, and replay the same way.
      if (lost?.type !== 'ChangesLost' || !patched('recopy-when-changes-lost')) throw err;
      return { changesLost: lost.message };
    }
    // Only now: a round that failed or was cut short is read again from the same version.
    followed.appliedVersion = result.version;
    followed.rounds = round;
    followed.changesApplied += result.changes;
    followed.lastRoundAt = Date.now();
    followed.lastRoundFrom = began;
    followed.lastRoundChanges = result.changes;
    run.refreshDetails();
    if (cutover) return cutOver(run, progress, result.content);
    if (run.shouldContinueAsNew()) await run.continueAsNewNow();
    await condition(() => state.cutoverAt !== undefined, `${settings.followIntervalSeconds ?? 30} seconds`);
  }
}

/** The last round compared the whole table: it ends published, or fails when a row differs. */
function cutOver(run: TableRun, progress: TableProgress, content: ContentResult | undefined): TableOutcome {
  const followed = progress.follow!;
  if (content) followed.finalCheck = content;
  if (content && content.differingRows > 0) {
    const first = content.reported.slice(0, 3).map(describeDifference);
    throw ApplicationFailure.nonRetryable(
      `At cutover ${progress.source} differs from ${progress.target} in ${content.differingRows} row(s) as of version ${followed.appliedVersion}${first.length ? `: ${first.join('; ')}` : ''}.`,
      'ValidationFailed',
    );
  }
  enterState(progress, 'published');
  followStatus('cut over');
  progress.finishedAt = Date.now();
  run.refreshDetails();
  return run.outcome(progress, []);
}
