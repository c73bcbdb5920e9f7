import {
  MigrationRunInputSchema,
  type RunState,
  type TableProgress,
  type TableRecord,
} from '../../../src/contracts/run';
import { withLiveTables } from '../../../src/cli/live-progress';
import type { RunProgress } from '../../../src/workflows/messages';
import {
  compactTableRecord,
  endStatus,
  labelled,
  pendingTable,
  publishedTableSteps,
  runLine,
  tableLabels,
  tableWorkflowId,
} from '../../../src/workflows/run-tables';
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

  it('keeps the checks of a table only when one failed or content differed', () => {
    const checks = Array.from({ length: 40 }, (_, i) => ({
      name: `non-NULL count of column_${i}`,
      source: '1000',
      target: '1000',
      passed: true,
    }));
    const validation = { passed: true, sourceRows: 1_000, targetRows: 1_000, checks };
    expect(compactTableRecord(table({ validation }))).not.toHaveProperty('source');
    expect(compactTableRecord(table({ validation })).validation).toEqual({
      passed: true,
      sourceRows: 1_000,
      targetRows: 1_000,
      checks: [],
      checksOmitted: 40,
    });
    const failed = { ...validation, passed: false };
    expect(compactTableRecord(table({ validation: failed })).validation).toBe(failed);
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
    const record = (over: Partial<TableRecord>) => compactTableRecord({ ...table(over) });
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
    expect(steps.cleanups.map(describeStep)).toEqual([
      'drop replaced table DB.S.CUSTOMERS__REPLACED_K3X9QA',
      'drop staging table DB.S.ITEMS__MIGRATING_K3X9QA',
    ]);
  });
});

describe('the size of a 2,000-table run', () => {
  /** Names of 40 characters in a 12-character schema (SQL Server allows 128 each). */
  const longName = (i: number) => `[sales_report].[${`order_line_history_${i}_`.padEnd(40, 'y')}]`;
  const TABLES = 2_000;
  /**
   * Under Temporal's 2 MB payload limit with some headroom, for the run's carried state (with its input)
   * and the report's input (also the run's result). Not yet within Temporal's 512 KB warning: that needs
   * a denser record of ended tables than the report's own form (about 600 bytes a table today).
   */
  const BOUND = 1_800 * 1024;

  function endedRun() {
    const input = MigrationRunInputSchema.parse({
      runTag: 'k3x9qa',
      source: { server: 'sql.example.com:1433', database: 'shop' },
      target: { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', stage: 'MIGRATOR_STAGE' },
      tables: Array.from({ length: TABLES }, (_, i) => ({ source: longName(i) })),
      batchSize: 50_000,
      batchesInFlight: 4,
      loadMethod: 'copy',
      ifTargetExists: 'replace',
      metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
      heartbeatTimeoutSeconds: 60,
    });
    const checks = Array.from({ length: 30 }, (_, c) => ({
      name: `sum of column_${c}`,
      source: '123456789.123',
      target: '123456789.123',
      passed: true,
    }));
    const tables = input.tables.map((t, i) =>
      compactTableRecord({
        ...table({
          source: t.source,
          target: `STEVE_MCP.DATA_MIGRATION."${longName(i)}"`,
          state: 'published',
          published: 'replaced',
          batchesDone: 20,
          batchesPlanned: 20,
          rowsCopied: 987_654,
          rowsEstimated: 987_654,
          bytesCopied: 123_456_789,
          startedAt: t0,
          copyFinishedAt: t0 + 60_000,
          finishedAt: t0 + 70_000,
          phases: {
            analyse: { start: t0, end: t0 + 100 },
            copy: { start: t0, end: t0 + 60_000 },
            validate: { start: t0 + 60_000, end: t0 + 65_000 },
            publish: { start: t0 + 65_000, end: t0 + 70_000 },
          },
        }),
        validation: { passed: true, sourceRows: 987_654, targetRows: 987_654, checks },
      }),
    );
    const state: RunState = {
      startedAt: t0,
      analysed: true,
      tables,
      nextTable: TABLES,
      paused: false,
      continuedAsNew: 2,
    };
    return { input, state };
  }

  it(`carries its state across continue-as-new and hands its report input within ${BOUND / 1024} KB`, () => {
    const { input, state } = endedRun();
    const carried = Buffer.byteLength(JSON.stringify([input, state]));
    const labels = tableLabels(input);
    const reportTables = state.tables.map((record, i) => labelled(record, labels[i]!));
    const reportInput = Buffer.byteLength(JSON.stringify({ tables: reportTables, config: input }));
    // Printed for the note on scale.
    process.stdout.write(
      `2,000 tables with 52-character names: carried input + state ${Math.round(carried / 1024)} KB, report input ${Math.round(reportInput / 1024)} KB\n`,
    );
    expect(carried).toBeLessThanOrEqual(BOUND);
    expect(reportInput).toBeLessThanOrEqual(BOUND);
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
