/**
 * Turns what an activity throws into what Temporal should do with it: the migrator's own errors and
 * driver errors a retry cannot fix become non-retryable ApplicationFailures with a type and a hint;
 * an unreachable SQL Server or Snowflake becomes SourceUnavailable or TargetUnavailable (see
 * src/contracts/outage.ts); everything else is rethrown as it is and retried with backoff.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { hintFor, MigrationError } from '../contracts/errors';
import { isOutageFailureType } from '../contracts/outage';
import type { BatchOutcome } from '../metrics/definitions';
import { classifySnowflakeError } from '../snowflake/errors';
import { isTargetOutage } from '../snowflake/outage';
import { classifySqlServerError } from '../sqlserver/errors';
import { isSourceOutage } from '../sqlserver/outage';

export function toFailure(err: unknown): unknown {
  if (err instanceof CancelledFailure || err instanceof ApplicationFailure) return err;
  // Not retried here: the workflow waits out an outage itself, so it can say what it is waiting for.
  const outage = isSourceOutage(err)
    ? 'SourceUnavailable'
    : isTargetOutage(err)
      ? 'TargetUnavailable'
      : undefined;
  if (outage) {
    return ApplicationFailure.create({ message: (err as Error).message, type: outage, nonRetryable: true });
  }
  const known =
    err instanceof MigrationError ? err : (classifySqlServerError(err) ?? classifySnowflakeError(err));
  if (!known) return err;
  const hint = hintFor(known.type);
  return ApplicationFailure.create({
    message: known.message,
    type: known.type,
    nonRetryable: true,
    details: hint ? [{ hint }] : [],
  });
}

/**
 * How a failed attempt ends, for migrator_batches_total: an outage is waited out and called again by the
 * workflow (src/workflows/workflow-steps.ts), other retryable errors are retried by Temporal until the
 * retry policy's last attempt; what a retry cannot fix fails for good.
 */
export function failedAttemptOutcome(
  err: unknown,
  attempt: number,
  maximumAttempts: number | undefined,
): BatchOutcome {
  if (err instanceof CancelledFailure) return 'cancelled';
  const failure = toFailure(err);
  if (failure instanceof ApplicationFailure && failure.nonRetryable) {
    return isOutageFailureType(failure.type) ? 'retried' : 'failed';
  }
  return maximumAttempts && attempt >= maximumAttempts ? 'failed' : 'retried';
}

/** Wraps every activity so its errors are classified the same way. */
export function classifyingErrors<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toFailure(err);
      }
    };
  }
  return wrapped as T;
}
