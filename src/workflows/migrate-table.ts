/**
 * migrateTable: one table of a run, as a child workflow of migrateTables (its own history, summary and
 * details in the Web UI). It analyses the table, loads key-range batches into a staging table with
 * bounded parallelism, validates, and publishes under the target name only after validation, so a
 * half-loaded table never looks complete. When it fails or is cancelled it undoes its own steps, in
 * reverse and non-cancellably, and fails with its outcome as details; when it succeeds it hands the
 * undo of its publication (and the clean-up of a replaced table) to the run. Long tables continue as
 * new so the history stays bounded.
 *
 * Deterministic: no I/O here, only activities (which get descriptors and return counts, never rows).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  TABLE_CANCELLED,
  TableRunInputSchema,
  type CurrentTable,
  type StepOutcome,
  type TableOutcome,
  type TableFollowing,
  type TableProgress,
  type TableRunInput,
  type TableRunState,
  type TableStepInput,
  type ContentResult,
} from '../contracts/run';
import type { BatchRange, TablePlan } from '../contracts/table';
import { recopyNames } from '../names/target-names';
import { addContent, contentCheck, copiedContent, describeDifference } from '../validation/content';
import { activitySummaries as summaries } from './activity-summaries';
import {
  cutoverSignal,
  pauseSignal,
  resumeSignal,
  tableFollowingSignal,
  tableProgressQuery,
  type TableLiveProgress,
} from './messages';
import { currentLine, endPhase, initialTableProgress, startPhase, worstOutage } from './run-state';
import { rowsPerSecond } from '../run-summary/figures';
import {
  activityProxies,
  applicationFailure,
  errorInfo,
  LONG_MAX_ATTEMPTS,
  outageRider,
  parseWorkflowInput,
  runSteps,
} from './workflow-steps';
import { enterState } from './workflow-metrics';
import { MIGRATION_STATUS } from './search-attributes';

/** Key ranges planned per planBatches call: enough to keep the batches in flight busy. */
const PLAN_PAGE = 25;

export async function migrateTable(rawInput: TableRunInput, resumed?: TableRunState): Promise<TableOutcome> {
  const { settings, index, table } = parseWorkflowInput(TableRunInputSchema, rawInput);
  const acts = activityProxies(settings);
  const following = settings.mode === 'follow';
  const state: TableRunState = resumed ?? {
    plan: null,
    progress: null,
    current: { stage: 'prepare', plannedAfter: null, nextBatchIndex: 0, planningDone: false, pending: [] },
    compensations: [],
    paused: rawInput.paused,
    continuedAsNew: 0,
    outageRetries: { source: 0, target: 0 },
    workerHosts: [],
  };
  const line = () =>
    state.progress
      ? currentLine([state.progress], state.paused, Date.now(), rider.waiting())
      : `Analysing ${table.source}.`;
  const refreshDetails = () => setCurrentDetails(line());
  const rider = outageRider(settings.outageToleranceMinutes, state.outageRetries, refreshDetails);

  setHandler(tableProgressQuery, (): TableLiveProgress | undefined => {
    if (!state.progress) return undefined;
    const now = Date.now();
    return {
      index,
      paused: state.paused,
      line: line(),
      outage: worstOutage(rider.waiting()),
      table: { ...state.progress, rowsPerSecond: rowsPerSecond(state.progress, now) },
    };
  });
  setHandler(pauseSignal, () => {
    state.paused = true;
    refreshDetails();
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    refreshDetails();
  });
  setHandler(cutoverSignal, () => {
    if (!following || state.cutoverAt !== undefined) return;
    state.cutoverAt = Date.now();
    refreshDetails();
  });

  /**
   * A followed table's own `MigrationStatus` (the run's stays `running` until cutover): `following`
   * while it follows, `running` while it is copied again, `cut over` at the end, so
   * `MigrationStatus = "following"` finds the tables that follow now; continue-as-new carries it over
   * (https://docs.temporal.io/search-attribute). Histories recorded before did not upsert it, and
   * replay without.
   */
  const followStatus = (status: 'following' | 'running' | 'cut over' | 'failed') => {
    if (patched('follow-search-attribute'))
      upsertSearchAttributes([{ key: MIGRATION_STATUS, value: status }]);
  };
  /**
   * Tells the run whether this table follows now, so the run's own `MigrationStatus` can say
   * `following` once all its tables do (the run cannot ask its children). Sent when that changes only,
   * not again after a continue-as-new, so the run's history grows by two events per copy at most.
   * Histories recorded before sent nothing, and replay without.
   */
  const tellRun = async (isFollowing: boolean) => {
    const parent = workflowInfo().parent;
    if (!parent || !patched('run-following-status')) return;
    const signal: TableFollowing = { index, following: isFollowing };
    // The run may have ended meanwhile (cancelled): nothing is left to tell.
    await getExternalWorkflowHandle(parent.workflowId)
      .signal(tableFollowingSignal, signal)
      .catch(() => undefined);
  };

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    workflowInfo().historyLength >= settings.continueAsNewAfterEvents;

  async function continueAsNewNow(): Promise<never> {
    await condition(allHandlersFinished);
    state.continuedAsNew += 1;
    log.info('continuing as new', { historyLength: workflowInfo().historyLength, table: index });
    return continueAsNew<typeof migrateTable>({ ...rawInput, paused: state.paused }, state);
  }

  /** Plans and copies the batches of the table; returns false when it must continue as new. */
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
        if (shouldContinueAsNew()) {
          interrupted = true;
          break;
        }
        startBatch(current.pending.shift()!);
      }
    }
  }

  /** `again`: a followed table, published by this run, analysed to be copied again from the start. */
  async function analyse(again = false): Promise<{ plan: TablePlan; progress: TableProgress }> {
    const start = Date.now();
    const plan = await rider.ride(() =>
      acts.quick.analyzeTable.executeWithOptions({ summary: summaries.analyzeTable(table.source) }, [
        {
          index,
          runTag: settings.runTag,
          table,
          target: settings.target,
          metadataColumns: settings.metadataColumns,
          // Copied again, the table replaces its own published target.
          ifTargetExists: again ? 'replace' : settings.ifTargetExists,
          expectedSourceDatabase: settings.source.database,
          ...(following ? { follow: true } : {}),
          ...(settings.sourceReadIsolation === 'snapshot' ? { snapshotReads: true } : {}),
        },
      ]),
    );
    const progress = {
      ...initialTableProgress(plan, settings.batchSize),
      phases: { analyse: { start, end: Date.now() } },
    };
    return { plan, progress };
  }

  async function migrate(
    plan: TablePlan,
    progress: TableProgress,
    current: CurrentTable,
  ): Promise<TableOutcome> {
    const step = {
      task: plan.task,
      runTag: settings.runTag,
      target: settings.target,
      metadataColumns: settings.metadataColumns,
      // Following applies what changed during the copy afterwards, and verifies every row at cutover.
      validation: following
        ? { ...settings.validation, sourceChanges: 'warn' as const }
        : settings.validation,
      sourceReadIsolation: settings.sourceReadIsolation,
    };
    if (current.stage === 'prepare') {
      enterState(progress, 'preparing');
      progress.startedAt ??= Date.now();
      startPhase(progress, 'copy', progress.startedAt);
      refreshDetails();
      // Pushed before the call: both undos are safe even if the activity never ran.
      state.compensations.push(
        { kind: 'removeStagedFiles', target: settings.target, path: plan.task.stagePath },
        { kind: 'dropTable', table: plan.task.staging, why: 'staging table' },
      );
      await rider.ride(() =>
        acts.quick.prepareTable.executeWithOptions({ summary: summaries.prepareTable(plan) }, [step]),
      );
      current.stage = 'copy';
    }
    if (current.stage === 'copy') {
      enterState(progress, 'copying');
      refreshDetails();
      const finished = await copyBatches(plan, progress, current);
      if (!finished) await continueAsNewNow();
      progress.copyFinishedAt = Date.now();
      endPhase(progress, 'copy', progress.copyFinishedAt);
      current.stage = 'validate';
    }
    if (current.stage === 'validate') {
      enterState(progress, 'validating');
      startPhase(progress, 'validate', Date.now());
      refreshDetails();
      const validation = await rider.ride(() =>
        acts.long.validateTable.executeWithOptions({ summary: summaries.validateTable(plan) }, [
          { ...step, copied: copiedContent(progress.content) },
        ]),
      );
      if (progress.content) {
        const check = contentCheck(progress.content, settings.validation.toleratedDifferences);
        validation.checks.push(check);
        validation.passed &&= check.passed;
        if (check.passed && progress.content.differingRows) {
          progress.warnings.push(
            `${progress.source}: ${progress.content.differingRows} row(s) differ in content (tolerated: ${settings.validation.toleratedDifferences}); the report lists them.`,
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
    if (current.stage === 'publish') {
      await publish(plan, progress, step);
      if (!following) {
        // The staging table became the target and the staged files are gone: only the publication is
        // left to undo, which the run derives from the record (src/migration/publication.ts).
        return outcome(progress, []);
      }
      const start = plan.followFrom ?? '0';
      // Copied again: the rounds go on from the new copy's version; the counts add up.
      progress.follow = progress.follow
        ? { ...progress.follow, appliedVersion: start }
        : { startVersion: start, appliedVersion: start, rounds: 0, changesApplied: 0 };
      current.stage = 'follow';
    }
    return follow(plan, progress);
  }

  async function publish(
    plan: TablePlan,
    progress: TableProgress,
    step: Omit<TableStepInput, 'copied'>,
  ): Promise<void> {
    enterState(progress, 'publishing');
    startPhase(progress, 'publish', Date.now());
    refreshDetails();
    // Only a table copied again while following has follow progress before it is published.
    const mode = progress.follow
      ? 'swap'
      : !plan.targetExists
        ? 'create'
        : settings.ifTargetExists === 'append'
          ? 'append'
          : 'replace';
    const published = await rider.ride(() =>
      acts.long.publishTable.executeWithOptions({ summary: summaries.publishTable(plan, mode) }, [
        { ...step, mode },
      ]),
    );
    // A swap keeps the first publication's record: the run undoes (and cleans up) that one.
    if (mode !== 'swap') progress.published = published.published;
    if (published.undo.kind === 'deleteAppended') progress.appendedKeyColumns = published.undo.keyColumns;
    enterState(progress, 'published');
    progress.finishedAt = Date.now();
    endPhase(progress, 'publish', progress.finishedAt);
    refreshDetails();
  }

  /**
   * mode follow: every followIntervalSeconds a round applies the source's changes to the published
   * table (applyChanges, which returns counts only), until cutover: then a last round, which also
   * compares the whole table with the source, and the table ends published.
   */
  async function follow(plan: TablePlan, progress: TableProgress): Promise<TableOutcome> {
    const followed = progress.follow!;
    // Resumed after a continue-as-new: already following, the run already knows.
    const resumedFollowing = progress.state === 'following';
    enterState(progress, 'following');
    followStatus('following');
    refreshDetails();
    if (!resumedFollowing) await tellRun(true);
    for (;;) {
      await condition(() => !state.paused || state.cutoverAt !== undefined);
      const cutover = state.cutoverAt !== undefined;
      const round = followed.rounds + 1;
      const began = Date.now();
      let result;
      try {
        result = await rider.ride(() =>
          acts.long.applyChanges.executeWithOptions(
            { summary: summaries.applyChanges(plan, round, followed.appliedVersion, cutover) },
            [
              {
                task: plan.task,
                target: settings.target,
                metadataColumns: settings.metadataColumns,
                loadMethod: settings.loadMethod,
                lastVersion: followed.appliedVersion,
                round,
                verify: cutover,
                maxReportedDifferences: settings.validation.maxReportedDifferences,
              },
            ],
          ),
        );
      } catch (err) {
        const lost = applicationFailure(err);
        // Histories recorded before re-copies existed failed the table here, and replay the same way.
        if (lost?.type !== 'ChangesLost' || !patched('recopy-when-changes-lost')) throw err;
        return copyAgain(plan, progress, lost.message);
      }
      // Only now: a round that failed or was cut short is read again from the same version.
      followed.appliedVersion = result.version;
      followed.rounds = round;
      followed.changesApplied += result.changes;
      followed.lastRoundAt = Date.now();
      followed.lastRoundFrom = began;
      followed.lastRoundChanges = result.changes;
      refreshDetails();
      if (cutover) return cutOver(progress, result.content);
      if (shouldContinueAsNew()) await continueAsNewNow();
      await condition(() => state.cutoverAt !== undefined, `${settings.followIntervalSeconds ?? 30} seconds`);
    }
  }

  /**
   * The changes after the applied version are no longer complete (retention cleanup, TRUNCATE): the
   * table is copied again from the start, as the first time, into a staging table of its own, then
   * takes the published target's place at once (publish mode swap), and following goes on from the
   * version read before the new copy. Refused if the table changed shape or identity meanwhile (or
   * cannot be followed any more: the analysis says why), and then the table fails with that reason.
   */
  async function copyAgain(plan: TablePlan, progress: TableProgress, reason: string): Promise<TableOutcome> {
    const { plan: again } = await analyse(true);
    if (again.task.schemaFingerprint !== plan.task.schemaFingerprint) {
      throw ApplicationFailure.nonRetryable(
        `The columns of ${progress.source} changed since the run analysed the table: it cannot be copied again into ${progress.target}.`,
        'SourceSchemaChanged',
      );
    }
    if (again.task.objectIdentity !== plan.task.objectIdentity) {
      throw ApplicationFailure.nonRetryable(
        `${progress.source} was dropped and created again since the run analysed it: it is not copied again into ${progress.target}.`,
        'SourceTableRecreated',
      );
    }
    const followed = progress.follow!;
    // The counts start again with the new copy; the replaced copy's stay in its record.
    const replaced = { rowsCopied: progress.rowsCopied, batchesDone: progress.batchesDone };
    const recopies = [
      ...(followed.recopies ?? []),
      { afterVersion: followed.appliedVersion, reason, ...replaced },
    ];
    followed.recopies = recopies;
    followStatus('running');
    await tellRun(false);
    progress.warnings.push(`${progress.source} was copied again from the start: ${reason}`);
    const fresh: TablePlan = {
      ...again,
      task: { ...again.task, ...recopyNames(again.task, recopies.length) },
    };
    const copy = initialTableProgress(fresh, settings.batchSize);
    Object.assign(progress, {
      batchesDone: 0,
      batchesPlanned: 0,
      batchesEstimated: copy.batchesEstimated,
      rowsCopied: 0,
      rowsEstimated: copy.rowsEstimated,
      bytesCopied: 0,
      retriedBatches: 0,
      content: undefined,
      validation: undefined,
    });
    state.plan = fresh;
    state.current = {
      stage: 'prepare',
      plannedAfter: null,
      nextBatchIndex: 0,
      planningDone: false,
      pending: [],
    };
    return migrate(fresh, progress, state.current);
  }

  function cutOver(progress: TableProgress, content: ContentResult | undefined): TableOutcome {
    const followed = progress.follow!;
    if (content) followed.finalCheck = content;
    if (content && content.differingRows > 0) {
      const first = content.reported.slice(0, 3).map(describeDifference);
      throw ApplicationFailure.nonRetryable(
        `At cutover ${progress.source} differs from ${progress.target} in ${content.differingRows} row(s) as of version ${followed.appliedVersion}${first.length ? `: ${first.join('; ')}` : ''}.`,
        'ValidationFailed',
      );
    }
    enterState(progress, 'published');
    followStatus('cut over');
    progress.finishedAt = Date.now();
    refreshDetails();
    return outcome(progress, []);
  }

  function outcome(progress: TableProgress | undefined, rolledBack: StepOutcome[]): TableOutcome {
    return {
      progress,
      rolledBack,
      outageRetries: state.outageRetries,
      workerHosts: state.workerHosts,
      continuedAsNew: state.continuedAsNew,
    };
  }

  try {
    if (!state.plan || !state.progress) {
      refreshDetails();
      const analysed = await analyse();
      state.plan = analysed.plan;
      state.progress = analysed.progress;
    }
    return await migrate(state.plan, state.progress, state.current);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const cancelled = isCancellation(err);
    const info = cancelled ? { type: TABLE_CANCELLED, message: 'The run was cancelled.' } : errorInfo(err);
    const progress = state.progress ?? undefined;
    if (progress) progress.error = info;
    if (progress?.follow) followStatus('failed');
    const rolledBack = await CancellationScope.nonCancellable(async () => {
      if (progress) enterState(progress, 'failed');
      refreshDetails();
      // Undo in reverse order of the steps done.
      const outcomes = await runSteps(acts, rider, [...state.compensations].reverse(), 'undo');
      state.compensations = [];
      if (progress) enterState(progress, 'rolled back');
      refreshDetails();
      return outcomes;
    });
    // The outcome rides along as failure details: the run reads it from the child's failure.
    throw ApplicationFailure.nonRetryable(
      info.message,
      cancelled ? TABLE_CANCELLED : (info.type ?? 'MigrationFailed'),
      { ...outcome(progress, rolledBack), error: info },
    );
  }
}
