/**
 * Figures of a run shown alike by the workflows (Web UI details), the report and the CLI: paused time,
 * copy rates, a batch's key range as text. Pure.
 */
import type { TableProgress } from '../contracts/progress';
import type { Pause } from '../contracts/carried-state';
import type { BatchRange } from '../contracts/table';

/** Time within [from, to] the run spent paused; a pause still open lasts until `to`. */
export function pausedMs(pauses: Pause[] | undefined, from: number, to: number): number {
  return (pauses ?? []).reduce((sum, p) => {
    const start = Math.max(p.from, from);
    const end = Math.min(p.to ?? to, to);
    return sum + Math.max(0, end - start);
  }, 0);
}

/**
 * Rows per second of the copy phase so far (or of the whole copy once it has finished), leaving out
 * the run's pauses when given.
 */
export function rowsPerSecond(
  table: Pick<TableProgress, 'startedAt' | 'copyFinishedAt' | 'rowsCopied'>,
  now: number,
  pauses?: Pause[],
): number {
  if (table.startedAt === undefined) return 0;
  const end = table.copyFinishedAt ?? now;
  const seconds = (end - table.startedAt - pausedMs(pauses, table.startedAt, end)) / 1000;
  return seconds > 0 ? Math.round(table.rowsCopied / seconds) : 0;
}

/** Key values as text: one value bare, several in parentheses, `open` for an open end (null). */
export function keyText(values: string[] | null, open: string): string {
  if (!values) return open;
  return values.length === 1 ? values[0]! : `(${values.join(', ')})`;
}

/** A batch as `#17 (120000, 130000]`: its key range (lower, upper], `start` and `end` for the open ends. */
export function batchRangeText(batch: BatchRange): string {
  return `#${batch.index} (${keyText(batch.lower, 'start')}, ${keyText(batch.upper, 'end')}]`;
}
