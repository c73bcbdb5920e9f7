/**
 * The table's plan (key columns, estimate, names) and the progress that starts from it: from the run's
 * preflight analysis of the table, or from the child's own.
 */
import { patched } from '@temporalio/workflow';
import type { TableProgress } from '../../contracts/progress';
import type { PreflightAnalysis } from '../../contracts/run-input';
import type { TablePlan } from '../../contracts/table';
import { parseTableName } from '../../names/sqlserver-names';
import { tablePlan } from '../../selection/table-plan';
import { tableNames } from '../../names/target-names';
import { activitySummaries as summaries } from '../activity-summaries';
import { applicationFailure } from '../workflow-steps';
import { initialTableProgress } from '../run-state';
import type { TableRun } from './context';
import { prepare } from './copy';

/** `again`: a followed table, published by this run, analysed to be copied again from the start. */
export async function analyse(
  run: TableRun,
  again = false,
): Promise<{ plan: TablePlan; progress: TableProgress }> {
  const { settings, table } = run;
  const start = Date.now();
  const plan = await run.rider.ride(() =>
    run.acts.quick.analyzeTable.executeWithOptions({ summary: summaries.analyzeTable(table.source) }, [
      {
        index: run.index,
        runTag: settings.runTag,
        table,
        target: settings.target,
        metadataColumns: settings.metadataColumns,
        // Copied again, the table replaces its own published target.
        ifTargetExists: again ? 'replace' : settings.ifTargetExists,
        expectedSourceDatabase: settings.source.database,
        ...(run.following ? { follow: true } : {}),
        ...(settings.sourceReadIsolation === 'snapshot' ? { snapshotReads: true } : {}),
      },
    ]),
  );
  return { plan, progress: startingProgress(run, plan, { start, end: Date.now() }) };
}

/** How a step refuses a table that changed shape or was created again since its plan (table-shapes.ts). */
const PLAN_OUTDATED = new Set(['SourceSchemaChanged', 'SourceTableRecreated']);

/**
 * The table's plan and starting progress, into the child's state: from the run's preflight when the run
 * handed its analysis over, and then the table is prepared at once; else (or when the table no longer
 * matches the preflight's plan) from the child's own analysis, and preparing is the next stage.
 */
export async function planTable(run: TableRun, analysis: PreflightAnalysis | undefined): Promise<void> {
  const { state } = run;
  const planned = (found: { plan: TablePlan; progress: TableProgress }) => {
    state.plan = found.plan;
    state.progress = found.progress;
  };
  const reused = preflightPlan(run, analysis);
  if (!reused) return planned(await analyse(run));
  planned(reused);
  const undoSteps = state.compensations.length;
  try {
    await prepare(run, reused.plan, reused.progress);
    state.current.stage = 'copy';
  } catch (err) {
    if (!PLAN_OUTDATED.has(applicationFailure(err)?.type ?? '')) throw err;
    // The table changed while it waited for its turn: analysed again, as if nothing had been handed
    // over. prepareTable checks the shape before it creates anything, so there is nothing to undo yet.
    state.compensations.length = undoSteps;
    planned(await analyse(run));
  }
}

/**
 * The plan from what the run's preflight found of the table, without analysing it again (when the run
 * handed that over). The preflight may have looked at the table long before this child starts (a queue of
 * tables behind tablesInFlight), and that is still correct because nothing here decides what is read:
 * preparing, every batch and the validation check the live table against the analysed fingerprint and
 * identity (src/activities/table-shapes.ts: a table that changed shape or was created again since the
 * preflight is analysed again by planTable, and one that changes later fails, as ever), every batch
 * reads its rows in its own statement, and publishTable looks again whether the target exists before it
 * renames (src/activities/publish-table.ts). The same holds for the child's own analysis, which precedes
 * a copy of any length. The row estimate only sizes the progress. Under mode follow the run hands nothing
 * over: the child reads the change-tracking version right before its first batch, since a version read
 * long before may fall behind CHANGE_TRACKING_MIN_VALID_VERSION once the retention cleanup has run
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql).
 *
 * Histories recorded before had no such input and analysed here; `patched` keeps a child that an older
 * worker started with this input (and ignored) replaying as it ran: during replay it is true only where
 * the history has its marker (https://docs.temporal.io/develop/typescript/workflows/versioning).
 */
function preflightPlan(
  run: TableRun,
  analysis: PreflightAnalysis | undefined,
): { plan: TablePlan; progress: TableProgress } | undefined {
  if (!analysis || !patched('reuse-preflight-analysis')) return undefined;
  const { settings, table, index } = run;
  // The preflight parsed this name already: a table whose name does not parse has no analysis.
  const source = parseTableName(table.source);
  const names = tableNames({
    index,
    runTag: settings.runTag,
    source,
    targetOverride: table.target,
    target: settings.target,
  });
  const plan = tablePlan(table, { index, source, names }, analysis);
  return { plan, progress: startingProgress(run, plan, analysis.analysed) };
}

function startingProgress(run: TableRun, plan: TablePlan, analysed: PreflightAnalysis['analysed']) {
  return { ...initialTableProgress(plan, run.settings.batchSize), phases: { analyse: analysed } };
}
