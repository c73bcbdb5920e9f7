/** Run summaries for the report's tests: a failed run over a table with a hostile name, and a success. */
import type { TableProgress } from '../../src/contracts/progress';
import type { RunSummary } from '../../src/contracts/outcomes';
import type { ReportOrigin } from '../../src/run-summary/overview';

export const t0 = Date.UTC(2026, 10, 24, 10, 0, 0);

export const origin: ReportOrigin = { migratorVersion: '0.1.0', nodeVersion: 'v22.12.0', host: 'worker-1' };

const table = (over: Partial<TableProgress>): TableProgress => ({
  source: 'dbo.customers',
  target: 'STEVE_MCP.DATA_MIGRATION.CUSTOMERS',
  state: 'published',
  published: 'created',
  batchesDone: 4,
  batchesPlanned: 4,
  batchesEstimated: 4,
  rowsCopied: 10_000,
  rowsEstimated: 10_000,
  bytesCopied: 2_500_000,
  retriedBatches: 0,
  startedAt: t0 + 2_000,
  copyFinishedAt: t0 + 42_000,
  finishedAt: t0 + 50_000,
  phases: {
    analyse: { start: t0, end: t0 + 1_000 },
    copy: { start: t0 + 2_000, end: t0 + 42_000 },
    validate: { start: t0 + 42_000, end: t0 + 47_000 },
    publish: { start: t0 + 47_000, end: t0 + 50_000 },
  },
  warnings: [],
  ...over,
});

export const succeeded: RunSummary = {
  workflowId: 'migrate-20261124-abcd',
  runTag: 'abcd',
  status: 'succeeded',
  source: 'sql1/Sales',
  target: 'STEVE_MCP.DATA_MIGRATION',
  loadMethod: 'copy',
  startedAt: t0,
  finishedAt: t0 + 100_000,
  continuedAsNew: 0,
  pauses: [{ from: t0 + 10_000, to: t0 + 30_000 }],
  workerHosts: ['worker-1', 'worker-2'],
  tables: [
    table({
      validation: {
        passed: true,
        sourceRows: 10_000,
        targetRows: 10_000,
        checks: [{ name: 'row count', source: '10000', target: '10000', passed: true }],
      },
    }),
    table({
      source: 'dbo.orders',
      target: 'STEVE_MCP.DATA_MIGRATION.ORDERS',
      rowsCopied: 70_000,
      startedAt: t0 + 50_000,
      copyFinishedAt: t0 + 90_000,
      finishedAt: t0 + 99_000,
      phases: {
        analyse: { start: t0 + 1_000, end: t0 + 2_000 },
        copy: { start: t0 + 50_000, end: t0 + 90_000 },
        validate: { start: t0 + 90_000, end: t0 + 95_000 },
        publish: { start: t0 + 95_000, end: t0 + 99_000 },
      },
    }),
  ],
  rolledBack: [],
  cleanupFailures: [],
  config: {
    runTag: 'abcd',
    source: { server: 'sql1', database: 'Sales' },
    target: { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', stage: 'MIGRATION_STAGE' },
    tables: [{ source: 'dbo.customers' }, { source: 'dbo.orders' }],
    batchSize: 10_000,
    batchesInFlight: 4,
    loadMethod: 'copy',
    sourceReadIsolation: 'readCommitted',
    ifTargetExists: 'fail',
    metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
    heartbeatTimeoutSeconds: 60,
    outageToleranceMinutes: 60,
    validation: { toleratedDifferences: 0, maxReportedDifferences: 20, sourceChanges: 'fail' },
    continueAsNewAfterEvents: 10_000,
    tablesInFlight: 2,
    allOrNothing: false,
  },
};

export const failed: RunSummary = {
  ...succeeded,
  status: 'failed',
  finishedAt: t0 + 60_000,
  pauses: [],
  tables: [
    table({ state: 'rolled back' }),
    table({
      source: 'dbo.<script>alert(1)</script>',
      target: 'STEVE_MCP.DATA_MIGRATION."<script>alert(1)</script>"',
      state: 'failed',
      published: undefined,
      rowsCopied: 3_000,
      startedAt: t0 + 50_000,
      copyFinishedAt: undefined,
      finishedAt: undefined,
      phases: { analyse: { start: t0 + 1_000, end: t0 + 2_000 }, copy: { start: t0 + 50_000 } },
      failedBatch: { index: 17, lower: ['120000'], upper: ['130000'], attempts: 8, worker: '4242@worker-2' },
      error: { type: 'ValueTooLong', message: 'Value too long for column <b>note</b>.' },
    }),
  ],
  rolledBack: [{ description: 'drop staging table X', ok: true }],
  error: {
    type: 'ValueTooLong',
    message: 'Value too long for column <b>note</b>.',
    hint: 'Widen it & retry.',
  },
};
