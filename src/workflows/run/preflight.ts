/**
 * The preflight: every table analysed, a page per call, before anything is created. A table that cannot
 * be migrated as configured is refused alone under per-table outcomes (it never starts); under
 * allOrNothing, and for bad input that concerns the whole run, the run stops before any DDL.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import { activitySummaries as summaries } from '../activity-summaries';
import { duplicateTarget } from '../run-state';
import { pendingTable } from '../run-tables';
import type { MigrationRun } from './context';

/** Tables analysed per analyzeTables call: a 2,000-table run's preflight is 80 activities. */
const ANALYSIS_PAGE = 25;

export async function preflight(run: MigrationRun): Promise<void> {
  const { input, state } = run;
  /**
   * The catalog facts of each table, for its child to plan from instead of analysing the table again
   * (src/workflows/table/analyse.ts says why that is still correct). Not under mode follow, where each
   * child reads the change-tracking version its copy starts from. Runs recorded before asked for none.
   */
  const withFacts = input.mode !== 'follow' && patched('reuse-preflight-analysis');
  for (let first = 0; first < input.tables.length; first += ANALYSIS_PAGE) {
    const page = input.tables.slice(first, first + ANALYSIS_PAGE);
    const start = Date.now();
    const analyses = await run.rider.ride(() =>
      run.acts.quick.analyzeTables.executeWithOptions(
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
            ...(withFacts ? { withFacts } : {}),
          },
        ],
      ),
    );
    const end = Date.now();
    state.tables.push(...analyses.map((a) => pendingTable(a, input.batchSize, { start, end })));
    for (const [offset, { facts, rowCountEstimate, warnings }] of analyses.entries()) {
      if (facts)
        run.preflightAnalyses.set(first + offset, {
          ...facts,
          rowCountEstimate,
          warnings,
          analysed: { start, end },
        });
    }
    // Every table has the same target location; a refused table's analysis did not look at it.
    const creates = analyses.find((a) => !a.refused)?.creates;
    if (first === 0 && creates) state.creates = creates;
    // target.schemas perSource: each table's own schema the analysis found missing (absent otherwise).
    for (const { createsSchema } of analyses) {
      if (createsSchema && !state.createdSchemas?.includes(createsSchema))
        (state.createdSchemas ??= []).push(createsSchema);
    }
  }
  const clash = duplicateTarget(run.labels);
  if (clash) throw ApplicationFailure.nonRetryable(clash, 'InvalidConfig');
  state.analysed = true;
  run.refreshDetails();
}
