/**
 * migrateTables: a run. It analyses every table before anything is created (a page of tables per
 * activity call), then migrates each table in a child workflow of its own (migrateTable), at most
 * `tablesInFlight` at once, and ends with a report.
 *
 * A failing table rolls back its own steps. By default the others go on and are published, and the
 * run ends "completed with failures" (or "failed" when no table was published); with `allOrNothing`
 * the first failure stops the other tables and undoes every published one. Cancelling the run cancels
 * its tables (each undoes itself) and then undoes the published ones. The database, schema or stage
 * the run created is dropped only when nothing of it stays published.
 *
 * The run keeps a compact record per table (each table's child workflow keeps the rest, which the report
 * reads back from Temporal) and continues as new, between tables, when its history
 * grows long; each table's child continues as new on its own.
 */
import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import {
  CarriedRunStateSchema,
  MigrationRunInputSchema,
  TableFollowingSchema,
  TableOutcomeSchema,
  TABLE_CANCELLED,
  TableRunSettingsSchema,
  type ErrorInfo,
  type CarriedRunState,
  type MigrationRunInput,
  type PackedRunResult,
  type RunState,
  type RunStatus,
  type RunSummary,
  type StepOutcome,
  type TableOutcome,
  type TableRunSettings,
} from '../contracts/run';
import type { ForeignKeyOutcome } from '../contracts/foreign-keys';
import { activitySummaries as summaries } from './activity-summaries';
import { declareForeignKeys, publishedTables } from './foreign-key-step';
import { closingDetails, failureMessage } from './closing-details';
import {
  cutoverSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  summaryQuery,
  tableFollowingSignal,
  type RunProgress,
} from './messages';
import { migrateTable } from './migrate-table';
import { duplicateTarget, totalRowsCopied, worstOutage } from './run-state';
import { rowsPerSecond } from '../run-summary/figures';
import {
  compactTableRecord,
  endStatus,
  notAnalysed,
  pendingTable,
  publishedTableSteps,
  runLine,
} from './run-tables';
import {
  labelled,
  runResult,
  tableColumns,
  tableLabels,
  tableRecords,
  tableWorkflowId,
} from '../run-summary/records';
import { MIGRATION_ROWS_COPIED, MIGRATION_STATUS } from './search-attributes';
import {
  activityProxies,
  applicationFailure,
  errorInfo,
  outageRider,
  parseWorkflowInput,
  runSteps,
} from './workflow-steps';
import { enterState } from './workflow-metrics';

/** A table whose child workflow runs: its scope (cancelled to stop it), its handle once started. */
interface TableInFlight {
  done: Promise<void>;
  scope: CancellationScope;
  handle?: ChildWorkflowHandle<typeof migrateTable>;
}

/** Tables analysed per analyzeTables call: a 2,000-table run's preflight is 80 activities. */
const ANALYSIS_PAGE = 25;

export async function migrateTables(
  rawInput: MigrationRunInput,
  resumed?: CarriedRunState,
): Promise<PackedRunResult> {
  const input = parseWorkflowInput(MigrationRunInputSchema, rawInput);
  const acts = activityProxies(input);
  // What each table's child needs of the run: everything but the (possibly long) table list.
  const tableSettings: TableRunSettings = TableRunSettingsSchema.parse(input);
  const carried = resumed && parseWorkflowInput(CarriedRunStateSchema, resumed);
  const state: RunState = (carried && { ...carried, tables: tableRecords(carried.tables) }) ?? {
    startedAt: Date.now(),
    analysed: false,
    tables: [],
    nextTable: 0,
    paused: false,
    continuedAsNew: 0,
  };
  const labels = tableLabels(input);
  const tablesShown = () => state.tables.map((record, i) => labelled(record, labels[i]!));
  let status: RunStatus = state.paused ? 'paused' : 'running';
  const outageRetries = (state.outageRetries ??= { source: 0, target: 0 });
  /** The tables whose child workflows run now, with their handles once started. */
  const running = new Map<number, TableInFlight>();
  /** The first table failure that stops an allOrNothing run. */
  let stoppedBy: ApplicationFailure | undefined;

  const line = (now: number) =>
    runLine(state.tables, labels, [...running.keys()], state.paused, now, rider.waiting());
  const refreshDetails = () => setCurrentDetails(line(Date.now()));
  const rider = outageRider(input.outageToleranceMinutes, outageRetries, refreshDetails);
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
    const runId = workflowInfo().workflowId;
    return {
      status,
      paused: state.paused,
      startedAt: state.startedAt,
      now,
      line: line(now),
      outage: worstOutage(rider.waiting()),
      pauses: state.pauses ?? [],
      tables: tablesShown().map((t) => ({ ...t, rowsPerSecond: rowsPerSecond(t, now) })),
      running: [...running.keys()].map((index) => ({ index, workflowId: tableWorkflowId(runId, index) })),
    };
  });
  let finalSummary: RunSummary | undefined;
  setHandler(summaryQuery, () => finalSummary);

  /** Passes a pause or resume on to the tables in flight; one that has just ended no longer needs it. */
  const signalTables = (signal: typeof pauseSignal | typeof resumeSignal | typeof cutoverSignal) =>
    Promise.all([...running.values()].map((table) => table.handle?.signal(signal).catch(() => undefined)));
  /**
   * mode follow: the tables whose children follow now (tableFollowingSignal). While every table still
   * running follows, the run's `MigrationStatus` is `following`, so `MigrationStatus = "following"`
   * finds the runs waiting for their cutover (https://docs.temporal.io/search-attribute); `running`
   * again while one is copied (again). Histories recorded before had no such signal and replay without.
   */
  const followingTables = new Set<number>();
  const allFollow = () =>
    state.nextTable >= state.tables.length &&
    [...running.keys()].every((index) => followingTables.has(index));
  const showFollowing = () => {
    // Once the last table has ended the run ends too, with its final status: no `running` in between.
    if (running.size === 0) return;
    const next =
      status === 'running' && allFollow()
        ? 'following'
        : status === 'following' && !allFollow()
          ? 'running'
          : undefined;
    if (next && patched('run-following-status')) setStatus(next);
  };
  setHandler(tableFollowingSignal, (raw) => {
    const { index, following } = TableFollowingSchema.parse(raw);
    if (following) followingTables.add(index);
    else followingTables.delete(index);
    showFollowing();
  });

  setHandler(pauseSignal, async () => {
    if (state.paused || !['running', 'paused', 'following'].includes(status)) return;
    state.paused = true;
    (state.pauses ??= []).push({ from: Date.now() });
    setStatus('paused');
    await signalTables(pauseSignal);
  });
  setHandler(resumeSignal, async () => {
    if (!state.paused) return;
    state.paused = false;
    const pause = state.pauses?.at(-1);
    if (pause && pause.to === undefined) pause.to = Date.now();
    if (status === 'paused') setStatus('running');
    showFollowing();
    await signalTables(resumeSignal);
  });

  /** Cutover was asked for (mode follow); tables started after it get it as they start. */
  let cutoverAsked = false;
  setHandler(cutoverSignal, async () => {
    if (input.mode !== 'follow' || cutoverAsked) return;
    cutoverAsked = true;
    await signalTables(cutoverSignal);
  });

  const summary = (
    finalStatus: RunStatus,
    outcomes: {
      rolledBack?: StepOutcome[];
      cleanupFailures?: StepOutcome[];
      foreignKeys?: ForeignKeyOutcome[];
      error?: ErrorInfo;
    },
  ): RunSummary => ({
    workflowId: workflowInfo().workflowId,
    runTag: input.runTag,
    status: finalStatus,
    source: `${input.source.server}/${input.source.database}`,
    target: `${input.target.database}.${input.target.schema}`,
    loadMethod: input.loadMethod,
    startedAt: state.startedAt,
    finishedAt: Date.now(),
    tables: tablesShown(),
    continuedAsNew: state.continuedAsNew,
    outageRetries,
    pauses: state.pauses ?? [],
    workerHosts: state.workerHosts ?? [],
    config: input,
    rolledBack: [...(state.rolledBack ?? []), ...(outcomes.rolledBack ?? [])],
    cleanupFailures: outcomes.cleanupFailures ?? [],
    ...(outcomes.foreignKeys && { foreignKeys: outcomes.foreignKeys }),
    error: outcomes.error,
  });

  /**
   * Analyses every table, a page per call, before anything is created. A table that cannot be migrated as
   * configured is refused alone under per-table outcomes (it never starts); under allOrNothing, and for
   * bad input that concerns the whole run, the run stops before any DDL.
   */
  async function preflight(): Promise<void> {
    for (let first = 0; first < input.tables.length; first += ANALYSIS_PAGE) {
      const page = input.tables.slice(first, first + ANALYSIS_PAGE);
      const start = Date.now();
      const analyses = await rider.ride(() =>
        acts.quick.analyzeTables.executeWithOptions(
          { summary: summaries.analyzeTables(first, page.length, input.tables.length) },
          [
            {
              firstIndex: first,
              tables: page,
              runTag: input.runTag,
              target: input.target,
              metadataColumns: input.metadataColumns,
              ifTargetExists: input.ifTargetExists,
              expectedSourceDatabase: input.source.database,
              refuseTablesAlone: !input.allOrNothing,
              ...(input.mode === 'follow' ? { follow: true } : {}),
              ...(input.sourceReadIsolation === 'snapshot' ? { snapshotReads: true } : {}),
            },
          ],
        ),
      );
      const end = Date.now();
      state.tables.push(...analyses.map((a) => pendingTable(a, input.batchSize, { start, end })));
      // Every table has the same target location; a refused table's analysis did not look at it.
      const creates = analyses.find((a) => !a.refused)?.creates;
      if (first === 0 && creates) state.creates = creates;
      // target.schemas perSource: each table's own schema the analysis found missing (absent otherwise).
      for (const { createsSchema } of analyses) {
        if (createsSchema && !state.createdSchemas?.includes(createsSchema))
          (state.createdSchemas ??= []).push(createsSchema);
      }
    }
    const clash = duplicateTarget(labels);
    if (clash) throw ApplicationFailure.nonRetryable(clash, 'InvalidConfig');
    state.analysed = true;
    refreshDetails();
  }

  /** Records how a table's child ended: its outcome, from its result or its failure's details. */
  function tableEnded(
    index: number,
    childRunId: string | undefined,
    outcome: TableOutcome | undefined,
    err?: unknown,
  ): void {
    const record = state.tables[index]!;
    if (outcome?.progress) state.tables[index] = compactTableRecord(outcome.progress, childRunId);
    else if (err !== undefined) {
      record.childRunId = childRunId;
      record.state = outcome ? 'rolled back' : 'failed';
      record.error = outcome?.error ?? errorInfo(err);
    }
    if (outcome) {
      if (outcome.rolledBack.length) (state.rolledBack ??= []).push(...outcome.rolledBack);
      outageRetries.source += outcome.outageRetries.source;
      outageRetries.target += outcome.outageRetries.target;
      for (const host of outcome.workerHosts) {
        if (!state.workerHosts?.includes(host)) (state.workerHosts ??= []).push(host);
      }
    }
    setStatus(status);
  }

  function startTable(index: number): void {
    const scope = new CancellationScope();
    const entry: TableInFlight = { scope, done: Promise.resolve() };
    const record = state.tables[index]!;
    const label = labels[index]!;
    record.state = 'preparing';
    entry.done = scope
      .run(async () => {
        const startedPaused = state.paused;
        const handle = await startChild(migrateTable, {
          workflowId: tableWorkflowId(workflowInfo().workflowId, index),
          args: [{ settings: tableSettings, index, table: input.tables[index]!, paused: startedPaused }],
          staticSummary: `Migrate ${label.source} -> ${label.target} (table ${index + 1} of ${state.tables.length})`,
          staticDetails:
            `Table ${index + 1} of run ${workflowInfo().workflowId}: about ${record.rowsEstimated.toLocaleString('en-US')} rows, ` +
            `batches of ${input.batchSize.toLocaleString('en-US')}, ${input.batchesInFlight} at once, ${input.loadMethod}, ifTargetExists ${input.ifTargetExists}.`,
        });
        entry.handle = handle;
        // A pause or resume that came while the child was starting did not reach it.
        if (state.paused !== startedPaused) await handle.signal(state.paused ? pauseSignal : resumeSignal);
        if (cutoverAsked) await handle.signal(cutoverSignal);
        return handle.result();
      })
      .then(
        (outcome) => tableEnded(index, entry.handle?.firstExecutionRunId, outcome),
        (err: unknown) => {
          const failure = applicationFailure(err);
          const details = TableOutcomeSchema.safeParse(failure?.details?.[0]);
          tableEnded(
            index,
            entry.handle?.firstExecutionRunId,
            details.success ? details.data : undefined,
            err,
          );
          if (input.allOrNothing && failure?.type !== TABLE_CANCELLED)
            stoppedBy ??=
              failure ?? ApplicationFailure.nonRetryable(errorInfo(err).message, 'MigrationFailed');
        },
      )
      .finally(() => {
        running.delete(index);
        followingTables.delete(index);
        showFollowing();
      });
    running.set(index, entry);
  }

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= input.continueAsNewAfterEvents;

  /** Starts the tables' children, tablesInFlight at once, until all have ended or one stops the run. */
  async function migrateAll(): Promise<void> {
    while (state.nextTable < state.tables.length && !stoppedBy) {
      if (state.tables[state.nextTable]!.state !== 'pending') {
        state.nextTable += 1; // refused at the analysis
        continue;
      }
      // Under follow every table follows until cutover: all of them run at once.
      const inFlight = input.mode === 'follow' ? Infinity : input.tablesInFlight;
      await condition(() => (running.size < inFlight && !state.paused) || stoppedBy !== undefined);
      if (stoppedBy) break;
      if (shouldContinueAsNew()) {
        // Between tables: a child would be terminated if the run closed under it.
        await condition(() => running.size === 0);
        await condition(allHandlersFinished);
        state.continuedAsNew += 1;
        log.info('continuing as new', {
          historyLength: workflowInfo().historyLength,
          nextTable: state.nextTable,
        });
        await continueAsNew<typeof migrateTables>(rawInput, { ...state, tables: tableColumns(state.tables) });
      }
      startTable(state.nextTable);
      state.nextTable += 1;
    }
    if (stoppedBy) for (const table of running.values()) table.scope.cancel();
    // A condition, not a plain await: a cancellation of the run while its last tables run ends up here.
    await condition(() => running.size === 0);
    if (stoppedBy) throw stoppedBy;
  }

  /** Writes the report, then shows in the Web UI how the run ended instead of its last progress. */
  async function writeReport(result: RunSummary): Promise<RunSummary> {
    let written = result;
    try {
      const files = await acts.quick.writeReport.executeWithOptions(
        { summary: summaries.writeReport(result.status) },
        [runResult(result, input)],
      );
      written = { ...result, reportFiles: files };
    } catch (err) {
      log.warn('the report could not be written', { error: errorInfo(err).message });
    }
    setCurrentDetails(closingDetails(written));
    return written;
  }

  try {
    if (!state.analysed) {
      setStatus('running');
      await preflight();
    }
    await migrateAll();
    const ended = endStatus(state.tables);
    if (ended === 'failed') {
      const first = state.tables.find((t) => t.error)?.error;
      throw ApplicationFailure.nonRetryable(
        first?.message ?? 'No table was published.',
        first?.type ?? 'MigrationFailed',
      );
    }
    // Every table has ended: what was kept for undo (old rows of replaced tables) can go.
    const { cleanups } = publishedTableSteps(state.tables, labels);
    const cleanupFailures = (await runSteps(acts, rider, cleanups, 'clean-up')).filter((o) => !o.ok);
    const foreignKeys = await declareForeignKeys(acts, publishedTables(state.tables, input.tables, labels));
    if (foreignKeys.failure) cleanupFailures.push(foreignKeys.failure);
    const final = ended === 'succeeded' && input.mode === 'follow' ? 'cut over' : ended;
    setStatus(final);
    finalSummary = await writeReport(summary(final, { cleanupFailures, foreignKeys: foreignKeys.keys }));
    return runResult(finalSummary, input);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const cancelled = isCancellation(err);
    const info = cancelled ? { message: 'The run was cancelled.' } : errorInfo(err);
    const final = await CancellationScope.nonCancellable(async () => {
      setStatus(cancelled ? 'cancelled' : 'failed');
      // Each table in flight undoes itself when cancelled; the published ones are the run's to undo.
      for (const table of running.values()) table.scope.cancel();
      await Promise.all([...running.values()].map((t) => t.done));
      const { undo } = publishedTableSteps(state.tables, labels);
      // The tables' own schemas before the database that may hold them (they are undone in this order).
      for (const schema of state.createdSchemas ?? [])
        undo.push({
          kind: 'dropCreated',
          object: 'schema',
          target: { ...input.target, schema },
          runTag: input.runTag,
        });
      if (state.creates)
        undo.push({
          kind: 'dropCreated',
          object: state.creates,
          target: input.target,
          runTag: input.runTag,
        });
      const rolledBack = await runSteps(acts, rider, undo, 'undo');
      for (const table of state.tables) {
        // Published by its child, undone by the run: only the run sees this table roll back.
        if (table.state === 'published') enterState(table, 'rolled back');
      }
      // The report lists every selected table, also those the analysis had not reached.
      for (let index = state.tables.length; index < input.tables.length; index += 1)
        state.tables.push(notAnalysed());
      refreshDetails();
      return writeReport(summary(cancelled ? 'cancelled' : 'failed', { rolledBack, error: info }));
    });
    finalSummary = final;
    if (cancelled) throw err;
    // The result rides along as failure details, so `migrate report <id>` can show it; the message
    // carries the hint, as the Web UI shows the message first.
    throw ApplicationFailure.nonRetryable(
      failureMessage(info),
      info.type ?? 'MigrationFailed',
      runResult(final, input),
    );
  }
}
