/** How a run ended, with its summary, whether it succeeded, failed or was cancelled. */
import {
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { RunSummary } from '../contracts/run';
import { summaryQuery } from '../workflows/messages';

export async function runOutcome(handle: WorkflowHandle): Promise<RunSummary> {
  try {
    return (await handle.result()) as RunSummary;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    // A failed run carries its summary as the failure's details (see migrateTables).
    if (cause instanceof ApplicationFailure && cause.details?.[0]) return cause.details[0] as RunSummary;
    if (cause instanceof CancelledFailure) {
      const summary = await handle.query(summaryQuery).catch(() => undefined);
      if (summary) return summary;
    }
    throw err;
  }
}

export function exitCodeFor(summary: RunSummary): number {
  return summary.status === 'succeeded' ? 0 : 1;
}
