/**
 * Finds batch boundaries by keyset: the key `batchSize` rows after the previous boundary, found and
 * compared by SQL Server (its collation, its uniqueidentifier order), so ranges never skip or repeat.
 */
import { MigrationError } from '../contracts/errors';
import type { BatchRange, SourceColumn, SourceTableRef } from '../contracts/table';
import type { SourcePool } from './pool';
import { queryRows } from './query';
import { batchBoundaryQuery, codePageKeys, keyRoundTripQuery } from '../sql/sqlserver/queries';
import { displayTableName } from '../names/sqlserver-names';

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
    await refuseInexactBoundary(pool, request, lower, upper);
    batches.push({ index, lower, upper });
    lower = upper;
    onBoundary();
  }
  return { batches, done: false };
}

const keyTuple = (keys: SourceColumn[], values: string[]) =>
  `(${keys.map((k, i) => `${k.name}=${JSON.stringify(values[i])}`).join(', ')})`;

/**
 * A boundary the next range cannot start from exactly would make planning loop on empty batches or
 * bound the wrong rows: the table fails at once, naming the key and the column.
 */
async function refuseInexactBoundary(
  pool: SourcePool,
  request: { table: SourceTableRef; keys: SourceColumn[] },
  lower: string[] | null,
  upper: string[],
): Promise<void> {
  const table = displayTableName(request.table);
  if (lower && upper.every((v, i) => v === lower[i]))
    throw new MigrationError(
      'KeyBoundaryNotExact',
      `The key ranges of ${table} do not advance past ${keyTuple(request.keys, upper)}: SQL Server found the same boundary again.`,
    );
  if (!codePageKeys(request.keys).length) return;
  const [checks] = await queryRows<Record<string, number>>(pool, keyRoundTripQuery(request.keys, upper));
  const lost = codePageKeys(request.keys).find((i) => Number(checks?.[`ok${i}`]) !== 1);
  if (lost !== undefined) {
    const column = request.keys[lost]!;
    throw new MigrationError(
      'KeyBoundaryNotExact',
      `The key ${keyTuple(request.keys, upper)} of ${table} does not travel back to SQL Server exactly: ` +
        `column ${column.name} (${column.dataType}${column.collation ? `, ${column.collation}` : ''}) loses characters when its text is converted back to ${column.dataType}, so batches would start at the wrong rows.`,
    );
  }
}
