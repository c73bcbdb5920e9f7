import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { failedAttemptOutcome } from '../../../src/activities/failures';
import { parseConfig } from '../../../src/config/load';
import { MigrationError } from '../../../src/contracts/errors';
import { TABLE_STATES } from '../../../src/contracts/progress';
import { METRICS, prometheusExporter, stateLabel, TableLabels } from '../../../src/metrics/definitions';

describe('the migrator metrics', () => {
  it('are named as Prometheus names things: prefix, unit in the name, _total added to counters by the exporter', () => {
    expect(Object.values(METRICS).map((m) => [m.kind, m.name, m.labels])).toEqual([
      ['counter', 'migrator_rows_copied', ['table']],
      ['counter', 'migrator_bytes_copied', ['table']],
      ['counter', 'migrator_batches', ['outcome']],
      ['histogram', 'migrator_batch_duration_seconds', []],
      ['histogram', 'migrator_batch_rows', []],
      ['counter', 'migrator_content_differences', ['check']],
      ['counter', 'migrator_outage_waits', ['side']],
      ['counter', 'migrator_tables', ['state']],
    ]);
    for (const metric of Object.values(METRICS)) expect(metric.name).not.toMatch(/_total$/);
  });

  it('export seconds, units and _total from the SDK exporter, with buckets for the two histograms', () => {
    expect(prometheusExporter('0.0.0.0:9464')).toEqual({
      bindAddress: '0.0.0.0:9464',
      countersTotalSuffix: true,
      unitSuffix: true,
      useSecondsForDurations: true,
      histogramBucketOverrides: {
        migrator_batch_duration_seconds: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
        migrator_batch_rows: [0, 100, 1_000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000],
      },
    });
  });

  it('label table states without spaces', () => {
    expect(TABLE_STATES.map(stateLabel)).toEqual([
      'pending',
      'preparing',
      'copying',
      'validating',
      'publishing',
      'published',
      'following',
      'failed',
      'rolled_back',
    ]);
  });

  it('give the first tables of a worker process a table label each, and count later ones as "other"', () => {
    const labels = new TableLabels(2);
    expect(['dbo.a', 'dbo.b', 'dbo.c', 'dbo.a', 'dbo.d', 'dbo.b'].map((t) => labels.label(t))).toEqual([
      'dbo.a',
      'dbo.b',
      'other',
      'dbo.a',
      'other',
      'dbo.b',
    ]);
    expect(new TableLabels(0).label('dbo.a')).toBe('other');
  });
});

describe('failedAttemptOutcome (migrator_batches_total{outcome})', () => {
  it('is cancelled, failed for good, or retried by Temporal or by the outage wait', () => {
    expect(failedAttemptOutcome(new CancelledFailure('cancelled'), 1, 8)).toBe('cancelled');
    expect(failedAttemptOutcome(new MigrationError('SourceTableNotFound', 'gone'), 1, 8)).toBe('failed');
    const outage = ApplicationFailure.create({
      type: 'TargetUnavailable',
      message: 'down',
      nonRetryable: true,
    });
    expect(failedAttemptOutcome(outage, 8, 8)).toBe('retried');
    expect(failedAttemptOutcome(new Error('deadlock'), 3, 8)).toBe('retried');
    expect(failedAttemptOutcome(new Error('deadlock'), 8, 8)).toBe('failed');
    expect(failedAttemptOutcome(new Error('deadlock'), 20, undefined)).toBe('retried');
  });
});

describe('worker metrics and health config', () => {
  const minimal = {
    source: { server: 'sql.example.com', database: 'Sales', user: 'migrator' },
    target: { account: 'xy12345.eu-central-1', user: 'MIGRATOR' },
  };

  it('is off by default, but for the exit after 5 minutes without Temporal', () => {
    const { worker } = parseConfig(minimal, 'test', {});
    expect([worker.metrics, worker.health, worker.temporalLossExitSeconds]).toEqual([
      { maxTableLabels: 100 },
      {},
      300,
    ]);
  });

  it('is turned on by one setting each, also from the environment', () => {
    const { worker } = parseConfig(minimal, 'test', {
      MIGRATOR_WORKER__METRICS__BIND_ADDRESS: '0.0.0.0:9464',
      MIGRATOR_WORKER__HEALTH__BIND_ADDRESS: '127.0.0.1:8080',
    });
    expect(worker.metrics.bindAddress).toBe('0.0.0.0:9464');
    expect(worker.health.bindAddress).toBe('127.0.0.1:8080');
  });

  it('refuses an address without a port', () => {
    expect(() =>
      parseConfig({ ...minimal, worker: { metrics: { bindAddress: '9464' } } }, 'c.yaml', {}),
    ).toThrow('- worker.metrics.bindAddress: expected host:port, e.g. 0.0.0.0:9464');
  });
});
