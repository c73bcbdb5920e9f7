/**
 * Workflow-side building blocks shared by the run (migrateTables) and its tables (migrateTable): the
 * activity proxies, input checks, error descriptions, riding out outages and running undo steps.
 * Workflow code: it imports only @temporalio/workflow, types and pure helpers.
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  log,
  proxyActivities,
  sleep,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import { hintFor } from '../contracts/errors';
import {
  isOutageFailureType,
  OUTAGE_FAILURES,
  outageDelayMs,
  withinTolerance,
  type Outage,
} from '../contracts/outage';
import type { TableRunSettings } from '../contracts/run-input';
import type { ErrorInfo } from '../contracts/progress';
import type { RunStep, StepOutcome } from '../contracts/steps';
import { activitySummaries as summaries } from './activity-summaries';
import { describeStep } from './run-state';
import { countOutageWait } from './workflow-metrics';

/** Temporal's attempts per call of a long activity (copyBatch numbers its attempts across calls). */
export const LONG_MAX_ATTEMPTS = 8;

export type ActivityProxies = ReturnType<typeof activityProxies>;

export function activityProxies(settings: Pick<TableRunSettings, 'heartbeatTimeoutSeconds'>) {
  const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
  return {
    quick: proxyActivities<Activities>({
      startToCloseTimeout: '10 minutes',
      retry: { ...retry, maximumAttempts: 5 },
    }),
    long: proxyActivities<Activities>({
      startToCloseTimeout: '6 hours',
      heartbeatTimeout: `${settings.heartbeatTimeoutSeconds} seconds`,
      // On cancellation, wait until the activity has stopped writing before compensation runs.
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry: { ...retry, maximumInterval: '2 minutes', maximumAttempts: LONG_MAX_ATTEMPTS },
    }),
    undo: proxyActivities<Activities>({
      startToCloseTimeout: '30 minutes',
      retry: { ...retry, maximumAttempts: 10 },
    }),
  };
}

/** A workflow's input checked against its schema; a wrong one fails the workflow for good. */
export function parseWorkflowInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`Invalid workflow input: ${issues}`, 'InvalidConfig');
  }
  return parsed.data;
}

/** The service an activity found unreachable (src/contracts/outage.ts), if that is why it failed. */
function outageService(err: unknown): Outage['service'] | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && isOutageFailureType(cause.type)
    ? OUTAGE_FAILURES[cause.type]
    : undefined;
}

/** The failure an activity or child workflow ended with: the innermost ApplicationFailure when there is one. */
export function applicationFailure(err: unknown): ApplicationFailure | undefined {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure) return e;
  }
  return undefined;
}

export function errorInfo(err: unknown): ErrorInfo {
  const failure = applicationFailure(err);
  if (failure) {
    return {
      type: failure.type ?? undefined,
      message: failure.message,
      hint: hintFor(failure.type ?? undefined),
    };
  }
  const cause = (err as { cause?: { message?: string } })?.cause;
  return { message: cause?.message ?? (err as Error)?.message ?? String(err) };
}

export interface OutageRider {
  /**
   * Calls `step` until it succeeds or fails for something other than an outage. After an outage it
   * waits (1 s doubling to 30 s) and calls again, as long as the next call starts within the run's
   * outage tolerance from the first failure; meanwhile `waiting()` says what it is waiting for. `step`
   * gets the number of calls that failed before it.
   */
  ride<T>(step: (failedCalls: number) => Promise<T>): Promise<T>;
  /** The steps waiting for an unreachable service now (several batches may wait at once). */
  waiting(): Outage[];
}

export function outageRider(
  toleranceMinutes: number,
  retries: { source: number; target: number },
  onChange: () => void,
): OutageRider {
  const outages = new Map<number, Outage>();
  let nextCall = 0;
  return {
    waiting: () => [...outages.values()],
    async ride<T>(step: (failedCalls: number) => Promise<T>): Promise<T> {
      const call = nextCall++;
      let since: number | undefined;
      try {
        for (let failed = 0; ; failed += 1) {
          try {
            return await step(failed);
          } catch (err) {
            const service = outageService(err);
            if (!service) throw err;
            since ??= Date.now();
            const delay = outageDelayMs(failed + 1);
            if (!withinTolerance(since, Date.now(), delay, toleranceMinutes)) throw err;
            const lastError = errorInfo(err).message;
            outages.set(call, { service, attempt: failed + 2, since, lastError });
            const side = service === 'SQL Server' ? 'source' : 'target';
            retries[side] += 1;
            countOutageWait(side);
            log.warn('waiting for an unreachable service', { service, attempt: failed + 2, lastError });
            onChange();
            await sleep(delay);
          }
        }
      } finally {
        if (outages.delete(call)) onChange();
      }
    },
  };
}

/** Runs undo or clean-up steps in the given order; one failing does not stop the others. */
export async function runSteps(
  acts: ActivityProxies,
  rider: OutageRider,
  steps: RunStep[],
  purpose: 'undo' | 'clean-up',
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    const description = describeStep(step);
    try {
      const note = await rider.ride(() =>
        acts.undo.undoStep.executeWithOptions({ summary: summaries.undoStep(step, purpose) }, [step]),
      );
      outcomes.push({ description, ok: true, ...(note ? { note } : {}) });
    } catch (err) {
      outcomes.push({ description, ok: false, error: errorInfo(err).message });
    }
  }
  return outcomes;
}
