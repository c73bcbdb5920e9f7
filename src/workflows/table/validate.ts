/** The validation: the target's staged copy compared with the source before anything is published. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { TableProgress } from '../../contracts/progress';
import type { TablePlan } from '../../contracts/table';
import { contentCheck, copiedContent, describeDifference } from '../../validation/content';
import { activitySummaries as summaries } from '../activity-summaries';
import { endPhase, startPhase } from '../run-state';
import { enterState } from '../workflow-metrics';
import type { TableRun } from './context';

/** Validates the staged copy; a failed check fails the table with what differs. */
export async function validate(run: TableRun, plan: TablePlan, progress: TableProgress): Promise<void> {
  const { settings } = run;
  enterState(progress, 'validating');
  startPhase(progress, 'validate', Date.now());
  run.refreshDetails();
  const validation = await run.rider.ride(() =>
    run.acts.long.validateTable.executeWithOptions({ summary: summaries.validateTable(plan) }, [
      { ...run.stepInput(plan), copied: copiedContent(progress.content) },
    ]),
  );
  if (progress.content) {
    const check = contentCheck(progress.content, settings.validation.toleratedDifferences);
    validation.checks.push(check);
    validation.passed &&= check.passed;
    if (check.passed && progress.content.differingRows) {
      progress.warnings.push(
        `${progress.source}: ${progress.content.differingRows} row(s) differ in content (tolerated: ${settings.validation.toleratedDifferences}); the report lists them.`,
      );
    }
  }
  progress.validation = validation;
  progress.warnings.push(...(validation.warnings ?? []));
  endPhase(progress, 'validate', Date.now());
  if (validation.lateRowsRemoved) {
    progress.warnings.push(
      `${validation.lateRowsRemoved} rows loaded late by timed-out attempts of batches were removed before validation.`,
    );
  }
  if (!validation.passed) {
    const failed = validation.checks
      .filter((c) => !c.passed)
      .map((c) => `${c.name}: source ${c.source}, target ${c.target}`);
    const first = (progress.content?.reported ?? []).slice(0, 3).map(describeDifference);
    if (first.length) failed.push(`first differing rows: ${first.join('; ')}`);
    throw ApplicationFailure.nonRetryable(
      `Validation of ${progress.source} failed: ${failed.join('; ')}`,
      'ValidationFailed',
    );
  }
}
