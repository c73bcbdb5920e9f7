/**
 * The copy: the staging table is prepared, then key-range batches are planned a page at a time and
 * copied with at most `batchesInFlight` at once.
 */
import { ActivityFailure, condition, isCancellation } from '@temporalio/workflow';
import type { TableProgress } from '../../contracts/progress';
import type { CurrentTable } from '../../contracts/carried-state';
import type { BatchRange, TablePlan } from '../../contracts/table';
import { identitySequences } from '../../publication/publication';
import { addContent } from '../../validation/content';
import { activitySummaries as summaries } from '../activity-summaries';
import { startPhase } from '../run-state';
import { enterState } from '../workflow-metrics';
import { LONG_MAX_ATTEMPTS } from '../workflow-steps';
import type { TableRun } from './context';

/** Key ranges planned per planBatches call: enough to keep the batches in flight busy. */
const PLAN_PAGE = 25;

/** Creates the staging table (and its stage path), with their undo recorded first. */
export async function prepare(run: TableRun, plan: TablePlan, progress: TableProgress): Promise<void> {
  const { settings, state } = run;
  enterState(progress, 'preparing');
  progress.startedAt ??= Date.now();
  startPhase(progress, 'copy', progress.startedAt);
  run.refreshDetails();
  // Pushed before the call: both undos are safe even if the activity never ran.
  state.compensations.push(
    { kind: 'removeStagedFiles', target: settings.target, path: plan.task.stagePath },
    {
      kind: 'dropTable',
      table: plan.task.staging,
      why: 'staging table',
      // Only a table with an identity column has sequences; its undo drops them (steps.ts).
      ...(plan.task.identity ? identitySequences(plan.task) : {}),
    },
  );
  await run.rider.ride(() =>
    run.acts.quick.prepareTable.executeWithOptions({ summary: summaries.prepareTable(plan) }, [
      run.stepInput(plan),
    ]),
  );
}

/** Plans and copies the batches of the table; returns false when it must continue as new. */
export async function copyBatches(
  run: TableRun,
  plan: TablePlan,
  progress: TableProgress,
  current: CurrentTable,
): Promise<boolean> {
  const { settings, state, rider, acts } = run;
  const running = new Map<number, Promise<void>>();
  let failure: unknown;
  let interrupted = false;
  const startBatch = (batch: BatchRange) => {
    let earlierCalls = 0;
    const copy = rider
      .ride((failedCalls) => {
        earlierCalls = failedCalls;
        return acts.long.copyBatch.executeWithOptions({ summary: summaries.copyBatch(plan, batch) }, [
          {
            task: plan.task,
            batch,
            loadMethod: settings.loadMethod,
            target: settings.target,
            metadataColumns: settings.metadataColumns,
            validation: settings.validation,
            sourceReadIsolation: settings.sourceReadIsolation,
            earlierAttempts: failedCalls * LONG_MAX_ATTEMPTS,
          },
        ]);
      })
      .then(
        (result) => {
          if (result.content) {
            progress.content = addContent(
              progress.content,
              result.content,
              settings.validation.maxReportedDifferences,
            );
          }
          progress.batchesDone += 1;
          progress.rowsCopied += result.rows;
          progress.bytesCopied += result.bytes;
          if (result.attempt > 1) progress.retriedBatches += 1;
          if (result.host && !state.workerHosts.includes(result.host)) state.workerHosts.push(result.host);
          run.refreshDetails();
        },
        (err: unknown) => {
          // A batch that used up its attempts was retried too, though it never finished.
          const exhausted = err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED';
          if (exhausted) progress.retriedBatches += 1;
          if (failure === undefined && !isCancellation(err)) {
            progress.failedBatch = {
              ...batch,
              // Known when Temporal gave up after all attempts; a non-retryable error stops at once.
              attempts: exhausted ? (earlierCalls + 1) * LONG_MAX_ATTEMPTS : undefined,
              worker: err instanceof ActivityFailure ? (err.identity ?? undefined) : undefined,
            };
          }
          failure ??= err;
        },
      )
      .finally(() => running.delete(batch.index));
    running.set(batch.index, copy);
  };

  try {
    await scheduleBatches();
  } catch (err) {
    failure ??= err;
  }
  // Let the batches in flight finish (or stop, when cancelled) before anything else touches the table.
  await Promise.all(running.values());
  if (failure !== undefined) throw failure;
  return !interrupted;

  async function scheduleBatches(): Promise<void> {
    while (failure === undefined) {
      await condition(() => !state.paused || failure !== undefined);
      if (failure !== undefined) break;
      if (current.pending.length < settings.batchesInFlight && !current.planningDone) {
        const page = await rider.ride(() =>
          acts.long.planBatches.executeWithOptions(
            { summary: summaries.planBatches(plan, current.nextBatchIndex, current.plannedAfter) },
            [
              {
                task: plan.task,
                metadataColumns: settings.metadataColumns,
                batchSize: settings.batchSize,
                after: current.plannedAfter,
                firstIndex: current.nextBatchIndex,
                maxBatches: PLAN_PAGE,
              },
            ],
          ),
        );
        current.pending.push(...page.batches);
        current.nextBatchIndex += page.batches.length;
        current.plannedAfter = page.batches.at(-1)?.upper ?? current.plannedAfter;
        current.planningDone = page.done;
        progress.batchesPlanned = current.nextBatchIndex;
        if (page.done) progress.batchesEstimated = current.nextBatchIndex;
        continue;
      }
      if (current.pending.length === 0) break;
      if (running.size >= settings.batchesInFlight) {
        await Promise.race(running.values());
        continue;
      }
      if (run.shouldContinueAsNew()) {
        interrupted = true;
        break;
      }
      startBatch(current.pending.shift()!);
    }
  }
}
