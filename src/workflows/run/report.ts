/** The run's report: written by an activity, then the Web UI shows how the run ended. */
import { log, setCurrentDetails } from '@temporalio/workflow';
import type { RunSummary } from '../../contracts/outcomes';
import { runResult } from '../../run-summary/records';
import { activitySummaries as summaries } from '../activity-summaries';
import { closingDetails } from '../closing-details';
import { errorInfo } from '../workflow-steps';
import type { MigrationRun } from './context';

/** Writes the report, then shows in the Web UI how the run ended instead of its last progress. */
export async function writeReport(run: MigrationRun, result: RunSummary): Promise<RunSummary> {
  let written = result;
  try {
    const files = await run.acts.quick.writeReport.executeWithOptions(
      { summary: summaries.writeReport(result.status) },
      [runResult(result, run.input)],
    );
    written = { ...result, reportFiles: files };
  } catch (err) {
    log.warn('the report could not be written', { error: errorInfo(err).message });
  }
  setCurrentDetails(closingDetails(written));
  return written;
}
