/**
 * The migrator's own metrics: names, help texts, label values and histogram buckets, in one place for the
 * activities, the workflows, the README and the tests. Pure: workflows import it too.
 *
 * Names follow Prometheus' conventions (https://prometheus.io/docs/practices/naming/): a `migrator_`
 * prefix, the unit in the name (`_bytes`, `_seconds`, `_rows`), `_total` on counters (the exporter adds it:
 * PROMETHEUS_EXPORT.countersTotalSuffix). Every label has a bounded set of values: outcomes, sides and
 * table states are the enums below, and `table` is bounded per worker process by TableLabels.
 */

/** How a batch attempt ended: the `outcome` label of migrator_batches_total. */
export const BATCH_OUTCOMES = ['loaded', 'retried', 'failed', 'cancelled'] as const;
export type BatchOutcome = (typeof BATCH_OUTCOMES)[number];

/** Where a content difference was found: while a batch was copied, or when validation read the table again. */
export const CONTENT_CHECKS = ['batch', 'validation'] as const;
export type ContentCheck = (typeof CONTENT_CHECKS)[number];

export const OUTAGE_SIDES = ['source', 'target'] as const;
export type OutageSide = (typeof OUTAGE_SIDES)[number];

/** A counter (exported with `_total` appended) or a histogram, with the labels it may carry. */
export interface MetricDefinition {
  /** The name as created; a counter is scraped as `<name>_total`. */
  name: string;
  kind: 'counter' | 'histogram';
  help: string;
  labels: readonly string[];
  /** Histogram bucket boundaries (the exporter's default suits latencies in seconds only). */
  buckets?: readonly number[];
}

export const METRICS = {
  rowsCopied: {
    name: 'migrator_rows_copied',
    kind: 'counter',
    help: 'Rows loaded into Snowflake staging tables by batches that succeeded',
    labels: ['table'],
  },
  bytesCopied: {
    name: 'migrator_bytes_copied',
    kind: 'counter',
    help: 'Bytes of the loaded values as text (uncompressed CSV) by batches that succeeded',
    labels: ['table'],
  },
  batches: {
    name: 'migrator_batches',
    kind: 'counter',
    help: 'Batch attempts by outcome: loaded, retried (Temporal or the outage wait calls it again), failed (for good), cancelled',
    labels: ['outcome'],
  },
  batchDuration: {
    name: 'migrator_batch_duration_seconds',
    kind: 'histogram',
    help: 'Duration of batch attempts that loaded, from start to the end of their content check',
    labels: [],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  },
  batchRows: {
    name: 'migrator_batch_rows',
    kind: 'histogram',
    help: 'Rows per batch that loaded',
    labels: [],
    buckets: [0, 100, 1_000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000],
  },
  contentDifferences: {
    name: 'migrator_content_differences',
    kind: 'counter',
    help: 'Rows whose values differ between SQL Server and Snowflake, by check: batch (as copied), validation (read again)',
    labels: ['check'],
  },
  outageWaits: {
    name: 'migrator_outage_waits',
    kind: 'counter',
    help: 'Steps that found SQL Server (source) or Snowflake (target) unreachable and were called again after a wait',
    labels: ['side'],
  },
  tables: {
    name: 'migrator_tables',
    kind: 'counter',
    help: 'Tables that entered each state (preparing = started; published, failed, rolled_back = ended)',
    labels: ['state'],
  },
} as const satisfies Record<string, MetricDefinition>;

/** A table state as a label value: `rolled back` becomes `rolled_back`. */
export function stateLabel(state: string): string {
  return state.replace(/ /g, '_');
}

/** Label value for tables past the per-process budget. */
export const OTHER_TABLES = 'other';

/**
 * Bounds the `table` label: the first `max` tables a worker process copies get their own series, every
 * later one is counted under `table="other"`. A worker that copies 2,000 tables thus exports at most
 * max + 1 series per table metric, and the sum over `table` stays exact.
 */
export class TableLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  label(table: string): string {
    if (this.seen.has(table)) return table;
    if (this.seen.size >= this.max) return OTHER_TABLES;
    this.seen.add(table);
    return table;
  }
}

/**
 * The Prometheus exporter's options (the SDK's runtime exporter, one endpoint for the SDK's metrics and
 * ours): seconds, units in names and `_total` on counters, as Prometheus names things; our histograms'
 * buckets. https://docs.temporal.io/develop/typescript/observability#metrics
 */
export function prometheusExporter(bindAddress: string) {
  return {
    bindAddress,
    countersTotalSuffix: true,
    unitSuffix: true,
    useSecondsForDurations: true,
    histogramBucketOverrides: Object.fromEntries(
      Object.values(METRICS)
        .filter((m): m is Extract<typeof m, { buckets: readonly number[] }> => 'buckets' in m)
        .map((m) => [m.name, [...m.buckets]]),
    ),
  };
}
