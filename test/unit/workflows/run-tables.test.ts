import { MigrationRunInputSchema } from '../../../src/contracts/run-input';
import { type TableProgress, type TableRecord } from '../../../src/contracts/progress';
import { type CarriedRunState, type RunState } from '../../../src/contracts/carried-state';
import { RunResultSchema, type RunSummary } from '../../../src/contracts/outcomes';
import { withLiveTables } from '../../../src/cli/live-progress';
import type { RunProgress } from '../../../src/workflows/messages';
import {
  compactTableRecord,
  endStatus,
  pendingTable,
  publishedTableSteps,
  runLine,
} from '../../../src/workflows/run-tables';
import {
  labelled,
  runResult,
  runSummary,
  tableColumns,
  tableLabels,
  tableRecords,
  tableWorkflowId,
  withChildOutcome,
} from '../../../src/run-summary/records';
import { describeStep } from '../../../src/workflows/run-state';

const t0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const table = (over: Partial<TableProgress> = {}): TableProgress => ({
  source: 'dbo.customers',
  target: 'DB.S.CUSTOMERS',
  ...pendingTable({ rowCountEstimate: 1_000, keyed: true, warnings: [] }, 300, { start: t0, end: t0 + 100 }),
  ...over,
});

describe('the run over its tables', () => {
  it('names each table child after the run and the table index', () => {
    expect(tableWorkflowId('migrate-20261127-090000-k3x9qa', 17)).toBe('migrate-20261127-090000-k3x9qa.t17');
  });

  it('estimates batches from the analysis: one pass without a key', () => {
    expect(table().batchesEstimated).toBe(4);
    expect(
      pendingTable({ rowCountEstimate: 1_000, keyed: false, warnings: [] }, 300, {
        start: t0,
      }).batchesEstimated,
    ).toBe(1);
  });

  it('says which tables are in flight, how many are published and how many failed', () => {
    const tables = [
      table({ state: 'published' }),
      table({ source: 'dbo.orders', state: 'preparing' }),
      table({ source: 'dbo.items', state: 'rolled back' }),
      table({ source: 'dbo.lines', state: 'preparing' }),
    ];
    expect(runLine(tables, tables, [1, 3], false, t0)).toBe(
      '2 table(s) in flight: dbo.orders, dbo.lines; 1 of 4 tables published, 1 failed.',
    );
    expect(runLine(tables.slice(0, 1), tables, [], true, t0)).toBe('Paused. 1 of 1 tables published.');
    expect(runLine([], [], [], false, t0)).toBe(
      'Analysing the tables (nothing is created before all of them pass).',
    );
  });

  it('ends succeeded, completed with failures, or failed when nothing was published', () => {
    expect(endStatus([table({ state: 'published' })])).toBe('succeeded');
    expect(endStatus([table({ state: 'published' }), table({ state: 'rolled back' })])).toBe(
      'completed with failures',
    );
    expect(endStatus([table({ state: 'rolled back' }), table({ state: 'failed' })])).toBe('failed');
  });

  const checks = Array.from({ length: 40 }, (_, i) => ({
    name: `non-NULL count of column_${i}`,
    source: '1000',
    target: '1000',
    passed: true,
  }));
  const ended = table({
    state: 'published',
    published: 'appended',
    appendedKeyColumns: ['ID'],
    finishedAt: t0 + 9_000,
    rowsCopied: 1_000,
    batchesDone: 4,
    batchesPlanned: 4,
    bytesCopied: 52_000,
    phases: { analyse: { start: t0, end: t0 + 100 }, copy: { start: t0 + 100, end: t0 + 8_000 } },
    validation: { passed: true, sourceRows: 1_000, targetRows: 1_000, checks },
    warnings: ['dbo.customers: no primary key'],
  });
  const outcome = {
    progress: ended,
    rolledBack: [],
    outageRetries: { source: 0, target: 0 },
    workerHosts: [],
    continuedAsNew: 0,
  };

  it('keeps of an ended table its counts, how it ended, what undoing it needs and its child run only', () => {
    expect(compactTableRecord(ended, 'run-1')).toEqual({
      state: 'published',
      batchesDone: 4,
      batchesPlanned: 4,
      batchesEstimated: 4,
      rowsCopied: 1_000,
      rowsEstimated: 1_000,
      bytesCopied: 52_000,
      retriedBatches: 0,
      warnings: [],
      finishedAt: t0 + 9_000,
      published: 'appended',
      appendedKeyColumns: ['ID'],
      error: undefined,
      childRunId: 'run-1',
    });
  });

  it("shows an ended table in the report as its child tells it, with the run's later undo on top", () => {
    const labels = { source: 'dbo.customers', target: 'DB.S.CUSTOMERS' };
    const record = labelled(compactTableRecord(ended, 'run-1'), { ...labels, names: undefined as never });
    expect(withChildOutcome(record, outcome)).toEqual({ ...ended, childRunId: 'run-1' });
    const undone = { ...record, state: 'rolled back' as const };
    expect(withChildOutcome(undone, outcome)).toMatchObject({
      state: 'rolled back',
      validation: ended.validation,
    });
    // A table that failed before its analysis ended has no progress of its own: the run's record stays.
    const error = { type: 'SourceTableMissing', message: 'dbo.customers does not exist' };
    expect(withChildOutcome(undone, { ...outcome, progress: undefined, error })).toEqual({
      ...undone,
      error,
    });
  });
});

describe('the names and undo steps the run derives from its input', () => {
  const input = {
    runTag: 'k3x9qa',
    target: { database: 'DB', schema: 'S', stage: 'ST' },
    tables: [
      { source: 'dbo.customers' },
      { source: '[sales].[order lines]', target: 'LINES' },
      { source: 'items' },
    ],
  };

  it('shows source and target as the analysis names them', () => {
    expect(tableLabels(input).map((l) => [l.source, l.target, l.names.staging.name])).toEqual([
      ['dbo.customers', 'DB.S.CUSTOMERS', 'CUSTOMERS__MIGRATING_K3X9QA'],
      ['sales.[order lines]', 'DB.S.LINES', 'LINES__MIGRATING_K3X9QA'],
      ['dbo.items', 'DB.S.ITEMS', 'ITEMS__MIGRATING_K3X9QA'],
    ]);
  });

  it('undoes the published tables, the last published first, and cleans up the replaced ones', () => {
    const record = (over: Partial<TableRecord>) => compactTableRecord(table(over), undefined);
    const records = [
      record({ state: 'published', published: 'replaced', finishedAt: t0 + 5 }),
      record({ state: 'rolled back' }),
      record({ state: 'published', published: 'appended', appendedKeyColumns: ['ID'], finishedAt: t0 + 1 }),
    ];
    const steps = publishedTableSteps(records, tableLabels(input));
    expect(steps.undo.map(describeStep)).toEqual([
      'restore DB.S.CUSTOMERS from DB.S.CUSTOMERS__REPLACED_K3X9QA',
      'delete the rows appended to DB.S.ITEMS',
    ]);
    expect(steps.undo[1]).toMatchObject({ kind: 'deleteAppended', keyColumns: ['ID'] });
    // The run's identity sequences go with its table, if they exist (the record does not say).
    expect(steps.undo[0]).toMatchObject({
      kind: 'restoreReplaced',
      sequences: [
        { database: 'DB', schema: 'S', name: 'CUSTOMERS__IDENTITY_K3X9QA' },
        { database: 'DB', schema: 'S', name: 'CUSTOMERS__IDENTITY_PLACEHOLDER_K3X9QA' },
      ],
    });
    expect(steps.cleanups.map(describeStep)).toEqual([
      'drop replaced table DB.S.CUSTOMERS__REPLACED_K3X9QA',
      'drop staging table DB.S.ITEMS__MIGRATING_K3X9QA',
    ]);
  });
});

describe('the size of a 2,000-table run', () => {
  const TABLES = 2_000;
  /** Names of 40 characters in a 12-character schema, and the longest SQL Server allows (128 each). */
  const typicalName = (i: number) => `[sales_report].[${`order_line_history_${i}_`.padEnd(40, 'y')}]`;
  const longestName = (i: number) => `[${'s'.repeat(128)}].[${`t${i}_`.padEnd(128, 'y')}]`;

  /** A run whose 2,000 tables have ended, one in ten failed, as the run keeps them. */
  function endedRun(name: (i: number) => string) {
    const input = MigrationRunInputSchema.parse({
      runTag: 'k3x9qa',
      source: { server: 'sql.example.com:1433', database: 'shop' },
      target: { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', stage: 'MIGRATOR_STAGE' },
      tables: Array.from({ length: TABLES }, (_, i) => ({ source: name(i) })),
      batchSize: 50_000,
      batchesInFlight: 4,
      loadMethod: 'copy',
      ifTargetExists: 'replace',
      metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
      heartbeatTimeoutSeconds: 60,
    });
    const failed = (i: number) => i % 10 === 7;
    const tables = input.tables.map((t, i) =>
      compactTableRecord(
        table({
          source: t.source,
          state: failed(i) ? 'rolled back' : 'published',
          published: failed(i) ? undefined : 'replaced',
          batchesDone: 20,
          batchesPlanned: 20,
          batchesEstimated: 20,
          rowsCopied: 987_654,
          rowsEstimated: 987_654,
          bytesCopied: 123_456_789,
          finishedAt: t0 + 70_000 + i,
          error: failed(i)
            ? {
                type: 'ValidationFailed',
                message: `Validation failed for ${t.source}: sum of column_7: source 123456789.123, target 123456789.124`,
                hint: 'Compare the column in both databases; the report lists the differing rows.',
              }
            : undefined,
        }),
        `019ac3a1-7c2e-7d4b-a3b2-${String(i).padStart(12, '0')}`,
      ),
    );
    const state: RunState = {
      startedAt: t0,
      analysed: true,
      tables,
      nextTable: TABLES,
      paused: false,
      continuedAsNew: 2,
    };
    const labels = tableLabels(input);
    const summary: RunSummary = {
      workflowId: 'migrate-shop-dbo-k3x9qa',
      runTag: 'k3x9qa',
      status: 'completed with failures',
      source: 'sql.example.com:1433/shop',
      target: 'STEVE_MCP.DATA_MIGRATION',
      loadMethod: 'copy',
      startedAt: t0,
      finishedAt: t0 + 3_600_000,
      tables: state.tables.map((record, i) => labelled(record, labels[i]!)),
      continuedAsNew: 2,
      rolledBack: [],
      cleanupFailures: [],
    };
    const carried: CarriedRunState = { ...state, tables: tableColumns(state.tables) };
    return {
      carried: Buffer.byteLength(JSON.stringify([input, carried])),
      /** The report activity's input, the run's result and its failure's details. */
      result: Buffer.byteLength(JSON.stringify(runResult(summary, input))),
      roundTrip: { state, carried, summary, input },
    };
  }

  const KB = 1024;
  it('packs its records column by column and reads them back unchanged', () => {
    const { state, carried, summary, input } = endedRun(typicalName).roundTrip;
    expect(tableRecords(carried.tables)).toEqual(JSON.parse(JSON.stringify(state.tables)));
    expect(runSummary(runResult(summary, input))).toEqual(
      JSON.parse(JSON.stringify({ ...summary, config: input })),
    );
    // What earlier versions carried and returned: records as a list, the summary as it is.
    expect(tableRecords(state.tables)).toBe(state.tables);
    expect(runSummary(summary)).toBe(summary);
    const stored = JSON.parse(JSON.stringify(summary));
    expect(runSummary(RunResultSchema.parse(stored))).toEqual(stored);
  });

  it.each([
    // Under the 512 KB at which Temporal warns of a large payload.
    ['52-character names', typicalName, 512],
    // Under half of Temporal's 2 MB payload limit.
    ['the longest names SQL Server allows (261 characters)', longestName, 1024],
  ])('carries its state and hands over its result, with %s, within %d KB', (names, name, boundKb) => {
    const { carried, result } = endedRun(name);
    // Printed for the note on scale.
    process.stdout.write(
      `2,000 tables with ${names}: carried input + state ${Math.round(carried / KB)} KB, result ${Math.round(result / KB)} KB\n`,
    );
    expect(carried).toBeLessThanOrEqual(boundKb * KB);
    expect(result).toBeLessThanOrEqual(boundKb * KB);
  });
});

describe('live progress of the tables in flight', () => {
  const run: RunProgress = {
    status: 'running',
    paused: false,
    startedAt: t0,
    now: t0 + 1_000,
    line: '1 table(s) in flight: dbo.orders; 0 of 2 tables published.',
    tables: [
      { ...table(), rowsPerSecond: 0 },
      { ...table({ source: 'dbo.orders', state: 'preparing' }), rowsPerSecond: 0 },
    ],
    running: [{ index: 1, workflowId: 'run.t1' }],
  };

  it("shows a running table's own progress and its outage", () => {
    const live = {
      ...table({ source: 'dbo.orders', state: 'copying' as const, rowsCopied: 600, batchesDone: 2 }),
      rowsPerSecond: 600,
    };
    const outage = { service: 'Snowflake' as const, attempt: 3, since: t0, lastError: 'ECONNREFUSED' };
    const merged = withLiveTables(run, [
      { index: 1, paused: false, line: 'Waiting for Snowflake', outage, table: live },
    ]);
    expect(merged.tables[1]).toBe(live);
    expect(merged.tables[0]).toBe(run.tables[0]);
    expect(merged.outage).toBe(outage);
    expect(merged.line).toBe('Waiting for Snowflake');
    expect(withLiveTables(run, [undefined])).toBe(run);
  });
});
