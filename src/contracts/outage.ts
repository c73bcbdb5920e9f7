/**
 * Outages: SQL Server or Snowflake unreachable for a while (refused or dropped connections, timeouts
 * while connecting, the service restarting). An activity that meets one fails with one of these types
 * without Temporal retrying it; the workflow waits and calls it again until the run's outage tolerance
 * is used up, and meanwhile says what it is waiting for. Everything else keeps its own retry policy.
 */
import { z } from 'zod';

export const OUTAGE_FAILURES = { SourceUnavailable: 'SQL Server', TargetUnavailable: 'Snowflake' } as const;
export type OutageFailureType = keyof typeof OUTAGE_FAILURES;

/** Socket errors of Node.js that mean the other side is not answering. */
export const NETWORK_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

export function isOutageFailureType(type: string | undefined | null): type is OutageFailureType {
  return !!type && type in OUTAGE_FAILURES;
}

export const OutageSchema = z.object({
  service: z.enum(['SQL Server', 'Snowflake']),
  /** The attempt that is waiting or running now (the first call was attempt 1). */
  attempt: z.number().int().min(2),
  /** When the first call of this step failed for the outage. */
  since: z.number(),
  lastError: z.string(),
});
export type Outage = z.infer<typeof OutageSchema>;

/** Wait before the next call of a step: 1 s doubling up to 30 s, so a service that is back is used soon. */
export function outageDelayMs(failures: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

/** Whether to call again: the next call would still start within the tolerance from the first failure. */
export function withinTolerance(
  since: number,
  now: number,
  delayMs: number,
  toleranceMinutes: number,
): boolean {
  return now + delayMs - since <= toleranceMinutes * 60_000;
}

export function describeOutage(outage: Outage, now: number): string {
  const seconds = Math.round((now - outage.since) / 1000);
  return `waiting for ${outage.service} (attempt ${outage.attempt}, unreachable for ${seconds} s, last error: ${outage.lastError})`;
}
