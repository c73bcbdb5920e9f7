/**
 * What the report says first, shared by its Markdown, HTML and JSON forms and by the run's closing
 * details in the Web UI: the result in one line and the run's totals. Pure.
 */
import { type TableProgress } from '../contracts/progress';
import { TABLE_CANCELLED, type RunSummary } from '../contracts/outcomes';
import { batchRangeText, pausedMs } from './figures';

/** The migrator and runtime that wrote a report (the worker's). */
export interface ReportOrigin {
  migratorVersion: string;
  nodeVersion: string;
  host: string;
}

export interface RunTotals {
  tables: number;
  published: number;
  failed: number;
  rolledBack: number;
  rowsCopied: number;
  bytesCopied: number;
  durationMs: number;
  pausedMs: number;
  /** Rows per second over the run's unpaused time. */
  rowsPerSecond: number;
}

export const formatNumber = (n: number) => n.toLocaleString('en-US');

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h ${m}m ${s}s` : m ? `${m}m ${s}s` : `${s}s`;
}

export function runTotals(summary: RunSummary): RunTotals {
  const count = (state: TableProgress['state']) => summary.tables.filter((t) => t.state === state).length;
  const rowsCopied = summary.tables.reduce((sum, t) => sum + t.rowsCopied, 0);
  const durationMs = summary.finishedAt - summary.startedAt;
  const paused = pausedMs(summary.pauses, summary.startedAt, summary.finishedAt);
  const active = (durationMs - paused) / 1000;
  return {
    tables: summary.tables.length,
    published: count('published'),
    failed: count('failed'),
    rolledBack: count('rolled back'),
    rowsCopied,
    bytesCopied: summary.tables.reduce((sum, t) => sum + t.bytesCopied, 0),
    durationMs,
    pausedMs: paused,
    rowsPerSecond: active > 0 ? Math.round(rowsCopied / active) : 0,
  };
}

/** The batch that stopped the run, with its range and attempts: `dbo.orders batch #17 (1, 2], 8 attempts`. */
export function failedBatchText(table: TableProgress): string | undefined {
  const batch = table.failedBatch;
  if (!batch) return undefined;
  const attempts = batch.attempts === undefined ? '' : `, ${batch.attempts} attempt(s)`;
  const worker = batch.worker ? `, last on worker ${batch.worker}` : '';
  return `${table.source} batch ${batchRangeText(batch)}${attempts}${worker}`;
}

/**
 * The tables that failed of themselves, the one that stopped the run first: not those cancelled because
 * of it (under allOrNothing, a table in flight when another failed is cancelled, and may come first).
 */
export function failedTables(summary: RunSummary): TableProgress[] {
  return summary.tables.filter((t) => t.error && t.error.type !== TABLE_CANCELLED);
}

/** The result in one line, e.g. `Succeeded: 2 of 2 tables published, 110,000 rows in 1m 5s (1,692 rows/s).` */
export function overviewLine(summary: RunSummary): string {
  const totals = runTotals(summary);
  const rows = `${formatNumber(totals.rowsCopied)} rows in ${formatDuration(totals.durationMs)} (${formatNumber(totals.rowsPerSecond)} rows/s)`;
  const published = `${totals.published} of ${totals.tables} tables published`;
  switch (summary.status) {
    case 'succeeded':
      return `Succeeded: ${published}, ${rows}.`;
    case 'cut over': {
      const followed = summary.tables.filter((t) => t.follow);
      const changes = followed.reduce((sum, t) => sum + (t.follow?.changesApplied ?? 0), 0);
      return `Cut over: ${published}, ${rows}; then ${formatNumber(changes)} change(s) applied while following, every table verified at cutover.`;
    }
    case 'completed with failures': {
      const failed = summary.tables.filter((t) => t.error);
      const named = failed
        .slice(0, 3)
        .map((t) => `${t.source} (${(t.error?.message ?? '').replace(/\.$/, '')})`)
        .join('; ');
      const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
      return `Completed with failures: ${published}, ${rows}; ${failed.length} table(s) failed and were rolled back: ${named}${more}.`;
    }
    case 'cancelled':
      return `Cancelled: ${totals.rolledBack} table(s) rolled back, ${rows} copied before the cancel.`;
    case 'failed': {
      const [failed] = failedTables(summary);
      const where = failed ? ` at ${failedBatchText(failed) ?? failed.source}` : '';
      const message = (summary.error?.message ?? 'unknown error').replace(/\.$/, '');
      return `FAILED${where}: ${message}; ${totals.rolledBack} table(s) rolled back.`;
    }
    default:
      return `${summary.status}: ${published}, ${rows} so far.`;
  }
}
