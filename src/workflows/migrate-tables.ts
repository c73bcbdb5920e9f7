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
 * grows long; each table's child continues as new on its own. Each step is a module of ./run/.
 */
import { ContinueAsNew } from '@temporalio/workflow';
import {
  MigrationRunInputSchema,
  TableRunSettingsSchema,
  type MigrationRunInput,
} from '../contracts/run-input';
import { CarriedRunStateSchema, type CarriedRunState, type RunState } from '../contracts/carried-state';
import { type PackedRunResult } from '../contracts/outcomes';
import { tableRecords } from '../run-summary/records';
import { migrateChildren } from './run/children';
import { cleanUpAndReport } from './run/clean-up';
import { MigrationRun } from './run/context';
import { setRunHandlers } from './run/handlers';
import { preflight } from './run/preflight';
import { undoRun } from './run/undo';
import { parseWorkflowInput } from './workflow-steps';

export async function migrateTables(
  rawInput: MigrationRunInput,
  resumed?: CarriedRunState,
): Promise<PackedRunResult> {
  const input = parseWorkflowInput(MigrationRunInputSchema, rawInput);
  // What each table's child needs of the run: everything but the (possibly long) table list.
  const tableSettings = TableRunSettingsSchema.parse(input);
  const carried = resumed && parseWorkflowInput(CarriedRunStateSchema, resumed);
  const state: RunState = (carried && { ...carried, tables: tableRecords(carried.tables) }) ?? {
    startedAt: Date.now(),
    analysed: false,
    tables: [],
    nextTable: 0,
    paused: false,
    continuedAsNew: 0,
  };
  const run = new MigrationRun(rawInput, input, tableSettings, state);
  setRunHandlers(run);

  try {
    if (!state.analysed) {
      run.setStatus('running');
      await preflight(run);
    }
    await migrateChildren(run);
    return await cleanUpAndReport(run);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    return undoRun(run, err);
  }
}
