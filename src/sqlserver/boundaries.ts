/**
 * Finds batch boundaries by keyset: the key `batchSize` rows after the previous boundary, found and
 * compared by SQL Server (its collation, its uniqueidentifier order), so ranges never skip or repeat.
 */
import type { BatchRange, SourceColumn, SourceTableRef } from '../contracts/table';
import type { SourcePool } from './pool';
import { queryRows } from './query';
import { batchBoundaryQuery } from './sql';

export interface BoundaryPlan {
  batches: BatchRange[];
  /** True when the last range runs to the end of the table. */
  done: boolean;
}

export async function planKeyRanges(
  pool: SourcePool,
  request: {
    table: SourceTableRef;
    keys: SourceColumn[];
    filter?: string;
    batchSize: number;
    after: string[] | null;
    firstIndex: number;
    maxBatches: number;
  },
  onBoundary: () => void = () => undefined,
): Promise<BoundaryPlan> {
  if (!request.keys.length) {
    // No usable key: the whole table is one batch (copied in one streaming pass).
    return { batches: [{ index: request.firstIndex, lower: null, upper: null }], done: true };
  }
  const batches: BatchRange[] = [];
  let lower = request.after;
  while (batches.length < request.maxBatches) {
    const query = batchBoundaryQuery(request.table, request.keys, lower, request.filter);
    const [row] = await queryRows<Record<string, string>>(pool, query, { skip: request.batchSize - 1 });
    const index = request.firstIndex + batches.length;
    if (!row) {
      batches.push({ index, lower, upper: null });
      return { batches, done: true };
    }
    const upper = request.keys.map((_, i) => String(row[`k${i}`]));
    batches.push({ index, lower, upper });
    lower = upper;
    onBoundary();
  }
  return { batches, done: false };
}
