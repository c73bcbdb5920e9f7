/**
 * Heartbeats tell Temporal the activity is alive (a crashed worker's batch is retried after the
 * heartbeat timeout, not hours later) and are the only way an activity learns it was cancelled.
 */
import { Context } from '@temporalio/activity';

const INTERVAL_MS = 2_000;

/**
 * Keeps heartbeating while `work` runs, whatever it is waiting for (a slow first row from SQL Server,
 * a COPY, a big DELETE): a live worker must never look dead because one call took long.
 * `details` is read at each beat, so the heartbeat carries the latest progress.
 */
export async function heartbeatWhile<T>(
  work: Promise<T>,
  details: () => unknown = () => undefined,
): Promise<T> {
  const context = Context.current();
  const beat = () => context.heartbeat(details());
  beat();
  const timer = setInterval(beat, INTERVAL_MS);
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
