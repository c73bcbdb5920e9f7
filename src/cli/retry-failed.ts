/**
 * `start --retry-failed <workflowId>`: which tables of an earlier run to migrate again. Pure: it reads
 * the earlier run's summary (as `report` does, without a worker) and the explicit table list its input
 * recorded, so each table keeps the options it ran with.
 */
import type { TableConfig } from '../config/schema';
import type { RunSummary } from '../contracts/outcomes';

/** The entries of an earlier run's tables that did not end published (failed, rolled back, never started). */
export function tablesToRetry(summary: RunSummary): TableConfig[] {
  if (summary.status === 'succeeded') {
    throw new Error(`${summary.workflowId} succeeded: every table was published, nothing to retry.`);
  }
  const entries = summary.config?.tables;
  if (!entries || entries.length !== summary.tables.length) {
    throw new Error(
      `${summary.workflowId} did not record its table list in its summary: start a run with the tables to retry instead.`,
    );
  }
  const retry = entries.filter((_, i) => summary.tables[i]!.state !== 'published');
  if (!retry.length) throw new Error(`${summary.workflowId}: every table was published, nothing to retry.`);
  return retry;
}
