/**
 * Two runs migrating the same tables into the same Snowflake schema at once would drop each other's
 * staging tables and fail each other with a misleading error, so `start` refuses the second. The same
 * selection has the same workflow id, which Temporal refuses while a run with it is open (run-input.ts);
 * a selection that only overlaps is found in Temporal's visibility (MigrationTarget and the memo's table
 * list), which lags a start by about a second. This is the pure part.
 */
import { followUp } from './command';

export interface OpenRun {
  workflowId: string;
  /** The memo's tables: the first ones that fit Temporal's limits. */
  tables: string[];
  tableCount: number;
}

/** The visibility query for the open runs into a target (`database.schema`). */
export function openRunsQuery(target: string): string {
  return `ExecutionStatus = "Running" AND MigrationTarget = "${target.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The first open run that migrates one of `tables`, and the tables both have. A run whose memo lists
 * only some of its tables may hold any of the others, so it conflicts with every run into its target.
 * Names compare case-insensitively, as SQL Server's default collations do.
 */
export function conflictingRun(
  open: OpenRun[],
  tables: string[],
): { workflowId: string; shared: string[] } | undefined {
  const mine = new Set(tables.map((t) => t.toLowerCase()));
  for (const run of open) {
    const shared = run.tables.filter((t) => mine.has(t.toLowerCase()));
    if (shared.length || run.tables.length < run.tableCount) return { workflowId: run.workflowId, shared };
  }
  return undefined;
}

export function conflictMessage(
  conflict: { workflowId: string; shared: string[] },
  target: string,
  flags: { config?: string },
): string {
  const what = conflict.shared.length ? conflict.shared.join(', ') : 'tables of this run';
  return (
    `Not started: ${conflict.workflowId} is still migrating ${what} into ${target}, and two runs on the same tables would undo each other's work.\n` +
    `  Follow it: ${followUp('status', conflict.workflowId, flags)}\n` +
    `  Wait for it to end, or cancel it: ${followUp('cancel', conflict.workflowId, flags)}`
  );
}
