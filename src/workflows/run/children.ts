/**
 * The tables' children: each table migrates in a child workflow of its own (migrateTable), at most
 * `tablesInFlight` at once (all at once under mode follow); the run keeps a compact record of how each
 * ended, and continues as new between tables when its history grows long.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { TABLE_CANCELLED, TableOutcomeSchema, type TableOutcome } from '../../contracts/outcomes';
import { tableColumns, tableWorkflowId } from '../../run-summary/records';
import { cutoverSignal, pauseSignal, resumeSignal } from '../messages';
import { migrateTable } from '../migrate-table';
import { compactTableRecord } from '../run-tables';
import { applicationFailure, errorInfo } from '../workflow-steps';
import type { MigrateTables, MigrationRun, TableInFlight } from './context';

/** Starts the tables' children, tablesInFlight at once, until all have ended or one stops the run. */
export async function migrateChildren(run: MigrationRun): Promise<void> {
  const { input, state, running } = run;
  while (state.nextTable < state.tables.length && !run.stoppedBy) {
    if (state.tables[state.nextTable]!.state !== 'pending') {
      state.nextTable += 1; // refused at the analysis
      continue;
    }
    // Under follow every table follows until cutover: all of them run at once.
    const inFlight = input.mode === 'follow' ? Infinity : input.tablesInFlight;
    await condition(() => (running.size < inFlight && !state.paused) || run.stoppedBy !== undefined);
    if (run.stoppedBy) break;
    if (run.shouldContinueAsNew()) {
      // Between tables: a child would be terminated if the run closed under it.
      await condition(() => running.size === 0);
      await condition(allHandlersFinished);
      state.continuedAsNew += 1;
      log.info('continuing as new', {
        historyLength: workflowInfo().historyLength,
        nextTable: state.nextTable,
      });
      await continueAsNew<MigrateTables>(run.rawInput, { ...state, tables: tableColumns(state.tables) });
    }
    startTable(run, state.nextTable);
    state.nextTable += 1;
  }
  if (run.stoppedBy) await cancelTables(run);
  // A condition, not a plain await: a cancellation of the run while its last tables run ends up here.
  await condition(() => running.size === 0);
  if (run.stoppedBy) throw run.stoppedBy;
}

/**
 * Cancels the tables in flight; each undoes itself and closes. Cancelling a child's scope asks the run
 * the child started as, pinned by its run id: a child that has continued as new has closed that run,
 * so its latest run would never hear of it, copy every batch and publish. A request by workflow id
 * alone reaches the latest run (https://typescript.temporal.io/api/interfaces/workflow.ExternalWorkflowHandle:
 * runId is optional; https://docs.temporal.io/cli/workflow#cancel: cancel by Workflow ID). It fails
 * once the child has closed, which is then no matter. Histories recorded before the patch replay
 * without the requests.
 */
export async function cancelTables(run: MigrationRun): Promise<void> {
  const tables = [...run.running.values()];
  for (const table of tables) table.scope.cancel();
  if (!patched('cancel-continued-children')) return;
  await Promise.all(
    tables.map((table) =>
      table.handle
        ? getExternalWorkflowHandle(table.handle.workflowId)
            .cancel()
            .catch((err: unknown) => log.info('table child no longer open to cancel', errorInfo(err)))
        : undefined,
    ),
  );
}

function startTable(run: MigrationRun, index: number): void {
  const { input, state } = run;
  const scope = new CancellationScope();
  const entry: TableInFlight = { scope, done: Promise.resolve() };
  const record = state.tables[index]!;
  const label = run.labels[index]!;
  record.state = 'preparing';
  entry.done = scope
    .run(async () => {
      const startedPaused = state.paused;
      const handle = await startChild(migrateTable, {
        workflowId: tableWorkflowId(workflowInfo().workflowId, index),
        args: [
          {
            settings: run.tableSettings,
            index,
            table: input.tables[index]!,
            paused: startedPaused,
            ...run.takeAnalysis(index),
          },
        ],
        staticSummary: `Migrate ${label.source} -> ${label.target} (table ${index + 1} of ${state.tables.length})`,
        staticDetails:
          `Table ${index + 1} of run ${workflowInfo().workflowId}: about ${record.rowsEstimated.toLocaleString('en-US')} rows, ` +
          `batches of ${input.batchSize.toLocaleString('en-US')}, ${input.batchesInFlight} at once, ${input.loadMethod}, ifTargetExists ${input.ifTargetExists}.`,
      });
      entry.handle = handle;
      // A pause or resume that came while the child was starting did not reach it.
      if (state.paused !== startedPaused) await handle.signal(state.paused ? pauseSignal : resumeSignal);
      if (run.cutoverAsked) await handle.signal(cutoverSignal);
      return handle.result();
    })
    .then(
      (outcome) => tableEnded(run, index, entry.handle?.firstExecutionRunId, outcome),
      (err: unknown) => {
        const failure = applicationFailure(err);
        const details = TableOutcomeSchema.safeParse(failure?.details?.[0]);
        // A table closed as cancelled handed its outcome over by signal just before (undoTable).
        const cancelledOutcome = run.cancelledOutcomes.get(index);
        run.cancelledOutcomes.delete(index);
        tableEnded(
          run,
          index,
          entry.handle?.firstExecutionRunId,
          details.success ? details.data : cancelledOutcome,
          err,
        );
        const cancelled = failure?.type === TABLE_CANCELLED || cancelledOutcome !== undefined;
        if (input.allOrNothing && !cancelled)
          run.stoppedBy ??=
            failure ?? ApplicationFailure.nonRetryable(errorInfo(err).message, 'MigrationFailed');
      },
    )
    .finally(() => {
      run.running.delete(index);
      run.followingTables.delete(index);
      run.showFollowing();
    });
  run.running.set(index, entry);
}

/**
 * Records how a table's child ended: its outcome, from its result, its failure's details, or the
 * signal a cancelled child sent before it closed.
 */
function tableEnded(
  run: MigrationRun,
  index: number,
  childRunId: string | undefined,
  outcome: TableOutcome | undefined,
  err?: unknown,
): void {
  const { state, outageRetries } = run;
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
  run.setStatus(run.status);
}
