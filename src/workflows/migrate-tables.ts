/**
 * migrateTables: copies the configured tables from SQL Server to Snowflake, one table after the other,
 * each in key-range batches with bounded parallelism. Every batch is loaded into a staging table and
 * the table is published under its target name only after validation, so a half-loaded table never
 * looks complete. On failure or cancellation the compensation steps undo what this run created, in
 * reverse order and non-cancellably. Long tables continue as new so the history stays bounded.
 *
 * Deterministic: no I/O here, only activities (which get descriptors and return counts, never rows).
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { hintFor } from '../contracts/errors';
import {
  isOutageFailureType,
  OUTAGE_FAILURES,
  outageDelayMs,
  withinTolerance,
  type Outage,
} from '../contracts/outage';
import {
  MigrationRunInputSchema,
  type CurrentTable,
  type ErrorInfo,
  type MigrationRunInput,
  type ParsedRunInput,
  type RunState,
  type RunStatus,
  type RunStep,
  type RunSummary,
  type StepOutcome,
  type TableProgress,
} from '../contracts/run';
import type { BatchRange, TablePlan } from '../contracts/table';
import { addContent, contentCheck, copiedContent, describeDifference } from '../validation/content';
import { activitySummaries as summaries } from './activity-summaries';
import { closingDetails, failureMessage } from './closing-details';
import { pauseSignal, progressQuery, resumeSignal, summaryQuery, type RunProgress } from './messages';
import {
  currentLine,
  describeStep,
  endPhase,
  duplicateTarget,
  initialTableProgress,
  rowsPerSecond,
  startPhase,
  totalRowsCopied,
  worstOutage,
} from './run-state';
import { MIGRATION_ROWS_COPIED, MIGRATION_STATUS } from './search-attributes';

/** Key ranges planned per planBatches call: enough to keep the batches in flight busy. */
const PLAN_PAGE = 25;
/** Temporal's attempts per call of a long activity (copyBatch numbers its attempts across calls). */
const LONG_MAX_ATTEMPTS = 8;

function activities(input: ParsedRunInput) {
  const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
  return {
    quick: proxyActivities<Activities>({
      startToCloseTimeout: '10 minutes',
      retry: { ...retry, maximumAttempts: 5 },
    }),
    long: proxyActivities<Activities>({
      startToCloseTimeout: '6 hours',
      heartbeatTimeout: `${input.heartbeatTimeoutSeconds} seconds`,
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

function parseInput(raw: MigrationRunInput): ParsedRunInput {
  const parsed = MigrationRunInputSchema.safeParse(raw);
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

function errorInfo(err: unknown): ErrorInfo {
  if (
    err instanceof ApplicationFailure ||
    (err as { cause?: unknown })?.cause instanceof ApplicationFailure
  ) {
    const failure = err instanceof ApplicationFailure ? err : (err as { cause: ApplicationFailure }).cause;
    return {
      type: failure.type ?? undefined,
      message: failure.message,
      hint: hintFor(failure.type ?? undefined),
    };
  }
  const cause = (err as { cause?: { message?: string } })?.cause;
  return { message: cause?.message ?? (err as Error)?.message ?? String(err) };
}

export async function migrateTables(rawInput: MigrationRunInput, resumed?: RunState): Promise<RunSummary> {
  const input = parseInput(rawInput);
  const acts = activities(input);
  const state: RunState = resumed ?? {
    startedAt: Date.now(),
    plans: null,
    tables: [],
    current: null,
    compensations: [],
    cleanups: [],
    paused: false,
    continuedAsNew: 0,
  };
  let status: RunStatus = state.paused ? 'paused' : 'running';
  const outageRetries = (state.outageRetries ??= { source: 0, target: 0 });
  /** Calls waiting for an unreachable service, by call (several batches may wait at once). */
  const outages = new Map<number, Outage>();
  let nextCall = 0;

  const line = (now: number) => currentLine(state.tables, state.paused, now, [...outages.values()]);
  const refreshDetails = () => setCurrentDetails(line(Date.now()));
  const setStatus = (next: RunStatus) => {
    status = next;
    upsertSearchAttributes([
      { key: MIGRATION_STATUS, value: next },
      { key: MIGRATION_ROWS_COPIED, value: totalRowsCopied(state.tables) },
    ]);
    refreshDetails();
  };

  setHandler(progressQuery, (): RunProgress => {
    const now = Date.now();
    return {
      status,
      paused: state.paused,
      startedAt: state.startedAt,
      now,
      line: line(now),
      outage: worstOutage([...outages.values()]),
      pauses: state.pauses ?? [],
      tables: state.tables.map((t) => ({ ...t, rowsPerSecond: rowsPerSecond(t, now) })),
    };
  });
  let finalSummary: RunSummary | undefined;
  setHandler(summaryQuery, () => finalSummary);
  setHandler(pauseSignal, () => {
    if (state.paused || !['running', 'paused'].includes(status)) return;
    state.paused = true;
    (state.pauses ??= []).push({ from: Date.now() });
    setStatus('paused');
  });
  setHandler(resumeSignal, () => {
    if (!state.paused) return;
    state.paused = false;
    const pause = state.pauses?.at(-1);
    if (pause && pause.to === undefined) pause.to = Date.now();
    if (status === 'paused') setStatus('running');
  });

  const summary = (
    finalStatus: RunStatus,
    outcomes: { rolledBack?: StepOutcome[]; cleanupFailures?: StepOutcome[]; error?: ErrorInfo },
  ): RunSummary => ({
    workflowId: workflowInfo().workflowId,
    runTag: input.runTag,
    status: finalStatus,
    source: `${input.source.server}/${input.source.database}`,
    target: `${input.target.database}.${input.target.schema}`,
    loadMethod: input.loadMethod,
    startedAt: state.startedAt,
    finishedAt: Date.now(),
    tables: state.tables,
    continuedAsNew: state.continuedAsNew,
    outageRetries,
    pauses: state.pauses ?? [],
    workerHosts: state.workerHosts ?? [],
    config: input,
    rolledBack: outcomes.rolledBack ?? [],
    cleanupFailures: outcomes.cleanupFailures ?? [],
    error: outcomes.error,
  });

  /**
   * Calls `step` until it succeeds or fails for something other than an outage. After an outage it
   * waits (1 s doubling to 30 s) and calls again, as long as the next call starts within the run's
   * outage tolerance from the first failure; meanwhile the details and the progress query say what it
   * is waiting for. `step` gets the number of calls that failed before it.
   */
  async function ridingOutages<T>(step: (failedCalls: number) => Promise<T>): Promise<T> {
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
          if (!withinTolerance(since, Date.now(), delay, input.outageToleranceMinutes)) throw err;
          const lastError = errorInfo(err).message;
          outages.set(call, { service, attempt: failed + 2, since, lastError });
          outageRetries[service === 'SQL Server' ? 'source' : 'target'] += 1;
          log.warn('waiting for an unreachable service', { service, attempt: failed + 2, lastError });
          refreshDetails();
          await sleep(delay);
        }
      }
    } finally {
      if (outages.delete(call)) refreshDetails();
    }
  }

  /** When each table's analysis began and ended (its progress exists only once all are analysed). */
  const analysed: { start: number; end?: number }[] = [];

  /** Analyses every table before anything is created, so bad input stops the run before any DDL. */
  async function preflight(): Promise<TablePlan[]> {
    const plans: TablePlan[] = [];
    for (const [index, table] of input.tables.entries()) {
      analysed.push({ start: Date.now() });
      plans.push(
        await ridingOutages(() =>
          acts.quick.analyzeTable.executeWithOptions({ summary: summaries.analyzeTable(table.source) }, [
            {
              index,
              runTag: input.runTag,
              table,
              target: input.target,
              metadataColumns: input.metadataColumns,
              ifTargetExists: input.ifTargetExists,
              expectedSourceDatabase: input.source.database,
            },
          ]),
        ),
      );
      analysed[index]!.end = Date.now();
    }
    return plans;
  }

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= input.continueAsNewAfterEvents;

  async function continueAsNewNow(): Promise<never> {
    await condition(allHandlersFinished);
    state.continuedAsNew += 1;
    log.info('continuing as new', {
      historyLength: workflowInfo().historyLength,
      table: state.current?.tableIndex,
    });
    return continueAsNew<typeof migrateTables>(rawInput, state);
  }

  /** Plans and copies the batches of the current table; returns false when it must continue as new. */
  async function copyBatches(
    plan: TablePlan,
    progress: TableProgress,
    current: CurrentTable,
  ): Promise<boolean> {
    const running = new Map<number, Promise<void>>();
    let failure: unknown;
    let interrupted = false;
    const startBatch = (batch: BatchRange) => {
      let earlierCalls = 0;
      const copy = ridingOutages((failedCalls) => {
        earlierCalls = failedCalls;
        return acts.long.copyBatch.executeWithOptions({ summary: summaries.copyBatch(plan, batch) }, [
          {
            task: plan.task,
            batch,
            loadMethod: input.loadMethod,
            target: input.target,
            metadataColumns: input.metadataColumns,
            validation: input.validation,
            sourceReadIsolation: input.sourceReadIsolation,
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
                input.validation.maxReportedDifferences,
              );
            }
            progress.batchesDone += 1;
            progress.rowsCopied += result.rows;
            progress.bytesCopied += result.bytes;
            if (result.attempt > 1) progress.retriedBatches += 1;
            if (result.host && !state.workerHosts?.includes(result.host)) {
              (state.workerHosts ??= []).push(result.host);
            }
            refreshDetails();
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
        if (current.pending.length < input.batchesInFlight && !current.planningDone) {
          const page = await ridingOutages(() =>
            acts.long.planBatches.executeWithOptions(
              { summary: summaries.planBatches(plan, current.nextBatchIndex, current.plannedAfter) },
              [
                {
                  task: plan.task,
                  metadataColumns: input.metadataColumns,
                  batchSize: input.batchSize,
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
        if (running.size >= input.batchesInFlight) {
          await Promise.race(running.values());
          continue;
        }
        if (shouldContinueAsNew()) {
          interrupted = true;
          break;
        }
        startBatch(current.pending.shift()!);
      }
    }
  }

  async function migrateTable(plan: TablePlan, current: CurrentTable): Promise<void> {
    const progress = state.tables[current.tableIndex]!;
    const step = {
      task: plan.task,
      target: input.target,
      metadataColumns: input.metadataColumns,
      validation: input.validation,
      sourceReadIsolation: input.sourceReadIsolation,
    };
    if (current.stage === 'prepare') {
      progress.state = 'preparing';
      progress.startedAt ??= Date.now();
      startPhase(progress, 'copy', progress.startedAt);
      refreshDetails();
      // Pushed before the call: both undos are safe even if the activity never ran.
      state.compensations.push(
        { kind: 'removeStagedFiles', target: input.target, path: plan.task.stagePath },
        { kind: 'dropTable', table: plan.task.staging, why: 'staging table' },
      );
      await ridingOutages(() =>
        acts.quick.prepareTable.executeWithOptions({ summary: summaries.prepareTable(plan) }, [step]),
      );
      current.stage = 'copy';
    }
    if (current.stage === 'copy') {
      progress.state = 'copying';
      refreshDetails();
      const finished = await copyBatches(plan, progress, current);
      if (!finished) await continueAsNewNow();
      progress.copyFinishedAt = Date.now();
      endPhase(progress, 'copy', progress.copyFinishedAt);
      current.stage = 'validate';
    }
    if (current.stage === 'validate') {
      progress.state = 'validating';
      startPhase(progress, 'validate', Date.now());
      refreshDetails();
      const validation = await ridingOutages(() =>
        acts.long.validateTable.executeWithOptions({ summary: summaries.validateTable(plan) }, [
          { ...step, copied: copiedContent(progress.content) },
        ]),
      );
      if (progress.content) {
        const check = contentCheck(progress.content, input.validation.toleratedDifferences);
        validation.checks.push(check);
        validation.passed &&= check.passed;
        if (check.passed && progress.content.differingRows) {
          progress.warnings.push(
            `${progress.source}: ${progress.content.differingRows} row(s) differ in content (tolerated: ${input.validation.toleratedDifferences}); the report lists them.`,
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
      current.stage = 'publish';
    }
    progress.state = 'publishing';
    startPhase(progress, 'publish', Date.now());
    refreshDetails();
    const mode = !plan.targetExists ? 'create' : input.ifTargetExists === 'append' ? 'append' : 'replace';
    const published = await ridingOutages(() =>
      acts.long.publishTable.executeWithOptions({ summary: summaries.publishTable(plan, mode) }, [
        { ...step, mode },
      ]),
    );
    state.compensations.push(published.undo);
    state.cleanups.push(...published.cleanups);
    progress.published = published.published;
    progress.state = 'published';
    progress.finishedAt = Date.now();
    endPhase(progress, 'publish', progress.finishedAt);
  }

  /** Runs undo or clean-up steps in the given order; one failing does not stop the others. */
  async function runSteps(steps: RunStep[], purpose: 'undo' | 'clean-up'): Promise<StepOutcome[]> {
    const outcomes: StepOutcome[] = [];
    for (const step of steps) {
      const description = describeStep(step);
      try {
        await ridingOutages(() =>
          acts.undo.undoStep.executeWithOptions({ summary: summaries.undoStep(step, purpose) }, [step]),
        );
        outcomes.push({ description, ok: true });
      } catch (err) {
        outcomes.push({ description, ok: false, error: errorInfo(err).message });
      }
    }
    return outcomes;
  }

  /** Writes the report, then shows in the Web UI how the run ended instead of its last progress. */
  async function writeReport(result: RunSummary): Promise<RunSummary> {
    let written = result;
    try {
      const files = await acts.quick.writeReport.executeWithOptions(
        { summary: summaries.writeReport(result.status) },
        [result],
      );
      written = { ...result, reportFiles: files };
    } catch (err) {
      log.warn('the report could not be written', { error: errorInfo(err).message });
    }
    setCurrentDetails(closingDetails(written));
    return written;
  }

  try {
    if (!state.plans) {
      setStatus('running');
      const plans = await preflight();
      const clash = duplicateTarget(plans);
      if (clash) throw ApplicationFailure.nonRetryable(clash, 'InvalidConfig');
      state.plans = plans;
      // Analysed before any DDL, so what was missing then is what this run creates: undone last.
      const creates = plans[0]!.creates;
      if (creates) state.compensations.push({ kind: 'dropCreated', object: creates, target: input.target });
      state.tables = plans.map((plan, i) => ({
        ...initialTableProgress(plan, input.batchSize),
        phases: { analyse: analysed[i]! },
      }));
      refreshDetails();
    }
    const plans = state.plans;
    for (let index = state.current?.tableIndex ?? 0; index < plans.length; index += 1) {
      state.current ??= {
        tableIndex: index,
        stage: 'prepare',
        plannedAfter: null,
        nextBatchIndex: 0,
        planningDone: false,
        pending: [],
      };
      await migrateTable(plans[index]!, state.current);
      state.current = null;
      setStatus(status);
    }
    // Every table is published: what was kept for undo (old rows of replaced tables) can go.
    const cleanupFailures = (await runSteps(state.cleanups, 'clean-up')).filter((outcome) => !outcome.ok);
    setStatus('succeeded');
    finalSummary = await writeReport(summary('succeeded', { cleanupFailures }));
    return finalSummary;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const cancelled = isCancellation(err);
    const info = cancelled ? { message: 'The run was cancelled.' } : errorInfo(err);
    const failedTable = state.current ? state.tables[state.current.tableIndex] : undefined;
    if (failedTable) {
      failedTable.state = 'failed';
      failedTable.error = info;
    }
    const final = await CancellationScope.nonCancellable(async () => {
      setStatus(cancelled ? 'cancelled' : 'failed');
      // Undo in reverse order of the steps done.
      const rolledBack = await runSteps([...state.compensations].reverse(), 'undo');
      state.compensations = [];
      for (const table of state.tables) {
        if (table.state !== 'pending') table.state = 'rolled back';
      }
      refreshDetails();
      return writeReport(summary(cancelled ? 'cancelled' : 'failed', { rolledBack, error: info }));
    });
    finalSummary = final;
    if (cancelled) throw err;
    // The summary rides along as failure details, so `migrate report <id>` can show it; the message
    // carries the hint, as the Web UI shows the message first.
    throw ApplicationFailure.nonRetryable(failureMessage(info), info.type ?? 'MigrationFailed', final);
  }
}
