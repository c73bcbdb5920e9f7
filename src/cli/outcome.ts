/**
 * How a closed run ended, with its summary and every table's details, read from Temporal alone: no worker
 * needs to be running (a query would need one to replay the workflow, and hangs without).
 */
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { RunResultSchema, type RunResult, type RunSummary } from '../contracts/outcomes';
import { withTableOutcomes } from '../outcomes/table-outcomes';
import { runSummary } from '../run-summary/records';

const { EventType } = temporal.api.enums.v1;

export async function runOutcome(client: Client, handle: WorkflowHandle): Promise<RunSummary> {
  const result = await runResult(handle, client.options.loadedDataConverter);
  return withTableOutcomes(client.workflow, runSummary(result));
}

/** The run's own result: what it returned, its failure's details, or its last report's input when cancelled. */
async function runResult(handle: WorkflowHandle, converter: LoadedDataConverter): Promise<RunResult> {
  try {
    return RunResultSchema.parse(await handle.result());
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    // A failed run carries its result as the failure's details (see migrateTables).
    if (cause instanceof ApplicationFailure && cause.details?.[0])
      return RunResultSchema.parse(cause.details[0]);
    if (cause instanceof CancelledFailure) {
      const reported = await reportedResult(handle, converter);
      if (reported) return reported;
    }
    throw err;
  }
}

/**
 * A cancelled run ends with a bare cancellation; its result is the input of its last writeReport
 * activity (and the report files that activity's result), both kept in the run's history.
 */
async function reportedResult(
  handle: WorkflowHandle,
  converter: LoadedDataConverter,
): Promise<RunResult | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events
    .filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
        e.activityTaskScheduledEventAttributes?.activityType?.name === 'writeReport',
    )
    .at(-1);
  if (!scheduled) return undefined;
  const result = RunResultSchema.parse(
    await decodeFromPayloadsAtIndex(
      converter,
      0,
      scheduled.activityTaskScheduledEventAttributes?.input?.payloads,
    ),
  );
  const completed = events.find(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED &&
      String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled.eventId),
  );
  const files = completed
    ? await decodeFromPayloadsAtIndex<string[]>(
        converter,
        0,
        completed.activityTaskCompletedEventAttributes?.result?.payloads,
      )
    : undefined;
  return files ? { ...result, reportFiles: files } : result;
}
