/**
 * What the activities tell the worker's metrics (src/metrics/definitions.ts), through the activity's
 * metric meter: the SDK's runtime meter, exported by the same Prometheus endpoint as the SDK's own
 * metrics (https://docs.temporal.io/develop/typescript/observability#metrics). Without an exporter the
 * meter records nothing. Recording never changes what an activity does or returns.
 */
import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import type { CopyBatchResult } from '../contracts/activities';
import { METRICS, type BatchOutcome, type ContentCheck, type TableLabels } from '../metrics/definitions';

/** Records with the activity's meter; a metric that cannot be recorded never fails the step. */
function record(fn: (meter: MetricMeter) => void): void {
  try {
    fn(Context.current().metricMeter);
  } catch (err) {
    Context.current().log.warn('a metric could not be recorded', { error: (err as Error).message });
  }
}

export function recordBatchLoaded(labels: TableLabels, table: string, result: CopyBatchResult): void {
  record((m) => {
    const tags = { table: labels.label(table) };
    m.createCounter(METRICS.rowsCopied.name, '', METRICS.rowsCopied.help).add(result.rows, tags);
    m.createCounter(METRICS.bytesCopied.name, '', METRICS.bytesCopied.help).add(result.bytes, tags);
    m.createHistogram(METRICS.batchDuration.name, 'float', '', METRICS.batchDuration.help).record(
      result.durationMs / 1000,
    );
    m.createHistogram(METRICS.batchRows.name, 'int', '', METRICS.batchRows.help).record(result.rows);
  });
  recordBatchOutcome('loaded');
  recordContentDifferences('batch', result.content?.differingRows ?? 0);
}

export function recordBatchOutcome(outcome: BatchOutcome): void {
  record((m) => m.createCounter(METRICS.batches.name, '', METRICS.batches.help).add(1, { outcome }));
}

export function recordContentDifferences(check: ContentCheck, rows: number): void {
  // Added even when 0, so the series exists from the first batch on and `increase()` sees its first rise.
  record((m) =>
    m
      .createCounter(METRICS.contentDifferences.name, '', METRICS.contentDifferences.help)
      .add(rows, { check }),
  );
}
