/**
 * migrateTable: one table of a run, as a child workflow of migrateTables (its own history, summary and
 * details in the Web UI). It analyses the table (or plans from the run's preflight analysis of it), loads
 * key-range batches into a staging table with bounded parallelism, validates, and publishes under the
 * target name only after validation, so a half-loaded table never looks complete. When it fails or is
 * cancelled it undoes its own steps, in reverse and non-cancellably, and fails with its outcome as
 * details, or, cancelled, hands its outcome over and closes as cancelled (./table/undo.ts); when it
 * succeeds it hands the undo of its publication (and the clean-up of a replaced table) to the run. Long
 * tables continue as new so the history stays bounded. Each step is a module of ./table/.
 *
 * Deterministic: no I/O here, only activities (which get descriptors and return counts, never rows).
 */
import { ContinueAsNew } from '@temporalio/workflow';
import { TableRunInputSchema, type TableRunInput } from '../contracts/run-input';
import { type TableProgress } from '../contracts/progress';
import { type CurrentTable, type TableRunState } from '../contracts/carried-state';
import { type TableOutcome } from '../contracts/outcomes';
import type { TablePlan } from '../contracts/table';
import { endPhase } from './run-state';
import { planTable } from './table/analyse';
import { TableRun } from './table/context';
import { copyBatches, prepare } from './table/copy';
import { planCopyAgain } from './table/copy-again';
import { followRounds, type ChangesLost } from './table/follow';
import { setTableHandlers } from './table/handlers';
import { publish } from './table/publish';
import { undoTable } from './table/undo';
import { validate } from './table/validate';
import { enterState } from './workflow-metrics';
import { parseWorkflowInput } from './workflow-steps';

export async function migrateTable(rawInput: TableRunInput, resumed?: TableRunState): Promise<TableOutcome> {
  const { settings, index, table, analysis } = parseWorkflowInput(TableRunInputSchema, rawInput);
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
  const run = new TableRun(rawInput, settings, index, table, state);
  setTableHandlers(run);

  try {
    if (!state.plan || !state.progress) {
      run.refreshDetails();
      await planTable(run, analysis);
    }
    const progress = state.progress!;
    let plan = state.plan!;
    for (;;) {
      const ended = await runStages(run, plan, progress, state.current);
      if (!('changesLost' in ended)) return ended;
      // Following lost the table's changes: it is copied again from the start, and followed again.
      plan = await planCopyAgain(run, plan, progress, ended.changesLost);
    }
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    return undoTable(run, err);
  }
}

/**
 * The table's stages from where it stands (a continued-as-new run resumes its stage): prepare, copy,
 * validate, publish, and under mode follow the rounds until cutover.
 */
async function runStages(
  run: TableRun,
  plan: TablePlan,
  progress: TableProgress,
  current: CurrentTable,
): Promise<TableOutcome | ChangesLost> {
  if (current.stage === 'prepare') {
    await prepare(run, plan, progress);
    current.stage = 'copy';
  }
  if (current.stage === 'copy') {
    enterState(progress, 'copying');
    run.refreshDetails();
    const finished = await copyBatches(run, plan, progress, current);
    if (!finished) await run.continueAsNewNow();
    progress.copyFinishedAt = Date.now();
    endPhase(progress, 'copy', progress.copyFinishedAt);
    current.stage = 'validate';
  }
  if (current.stage === 'validate') {
    await validate(run, plan, progress);
    current.stage = 'publish';
  }
  if (current.stage === 'publish') {
    await publish(run, plan, progress);
    if (!run.following) {
      // The staging table became the target and the staged files are gone: only the publication is
      // left to undo, which the run derives from the record (src/publication/publication.ts).
      return run.outcome(progress, []);
    }
    const start = plan.followFrom ?? '0';
    // Copied again: the rounds go on from the new copy's version; the counts add up.
    progress.follow = progress.follow
      ? { ...progress.follow, appliedVersion: start }
      : { startVersion: start, appliedVersion: start, rounds: 0, changesApplied: 0 };
    current.stage = 'follow';
  }
  return followRounds(run, plan, progress);
}
