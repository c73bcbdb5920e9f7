/**
 * Heartbeats tell Temporal the activity is alive (a crashed worker's batch is retried after the
 * heartbeat timeout, not hours later) and are the only way an activity learns it was cancelled.
 */
import { Context } from '@temporalio/activity';

const INTERVAL_MS = 2_000;

/** Keeps heartbeating while one long call (a COPY, a big query) is awaited. */
export async function heartbeatWhile<T>(work: Promise<T>, details?: unknown): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details), INTERVAL_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Throws the activity's cancellation if it was cancelled (after a driver call was aborted by it). */
export function throwIfCancelled(): void {
  const signal = Context.current().cancellationSignal;
  if (signal.aborted) throw signal.reason;
}
