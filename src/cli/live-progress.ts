/**
 * A run's live progress as the CLI shows it: the run's own answer (one record per table, updated when a
 * table ends) with the live progress of the tables in flight, which their child workflows answer. The
 * run is not told of every batch (that would grow its history by a signal per batch). Pure.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  progressQuery,
  tableProgressQuery,
  type RunProgress,
  type TableLiveProgress,
} from '../workflows/messages';
import { worstOutage } from '../workflows/run-state';

/**
 * The run's progress with its tables in flight live: one query to the run, one to each running child
 * (at most tablesInFlight). `ask` wraps each query (the CLI bounds them in time); a query that fails
 * (a child still starting, a worker gone) counts as no answer.
 */
export async function queryRunProgress(
  client: Client,
  handle: WorkflowHandle,
  ask: <T>(query: () => Promise<T>) => Promise<T> = (query) => query(),
): Promise<RunProgress | undefined> {
  const quietly = <T>(query: () => Promise<T>) => ask(query).catch(() => undefined);
  const run = await quietly(() => handle.query(progressQuery));
  if (!run?.running?.length) return run;
  const live = await Promise.all(
    run.running.map((table) =>
      quietly(() => client.workflow.getHandle(table.workflowId).query(tableProgressQuery)),
    ),
  );
  return withLiveTables(run, live);
}

export function withLiveTables(run: RunProgress, live: (TableLiveProgress | undefined)[]): RunProgress {
  const answered = live.filter((l): l is TableLiveProgress => l !== undefined);
  if (!answered.length) return run;
  const tables = [...run.tables];
  for (const table of answered) {
    // A table that ended since the run answered keeps the run's record of how it ended.
    if (tables[table.index] && run.running?.some((r) => r.index === table.index))
      tables[table.index] = table.table;
  }
  const outages = [run.outage, ...answered.map((l) => l.outage)].filter((o) => o !== undefined);
  const outage = worstOutage(outages);
  const waiting = answered.find((l) => l.outage === outage && outage !== run.outage);
  return { ...run, tables, outage, line: waiting ? waiting.line : run.line };
}
