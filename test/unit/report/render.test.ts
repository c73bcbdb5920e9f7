import type { TableProgress } from '../../../src/contracts/progress';
import type { RunSummary } from '../../../src/contracts/outcomes';
import { differenceLines, followLines, formatDuration, renderMarkdown } from '../../../src/report/render';
import { overviewLine } from '../../../src/run-summary/overview';
import { exitCodeFor } from '../../../src/cli/exit-codes';
import { currentLine, duplicateTarget } from '../../../src/workflows/run-state';
import { rowsPerSecond } from '../../../src/run-summary/figures';

const t0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const table = (over: Partial<TableProgress>): TableProgress => ({
  source: 'dbo.customers',
  target: 'STEVE_MCP.DATA_MIGRATION.CUSTOMERS',
  state: 'published',
  batchesDone: 4,
  batchesPlanned: 4,
  batchesEstimated: 4,
  rowsCopied: 10_000,
  rowsEstimated: 10_000,
  bytesCopied: 2_500_000,
  retriedBatches: 1,
  startedAt: t0,
  copyFinishedAt: t0 + 4_000,
  finishedAt: t0 + 5_000,
  warnings: [],
  ...over,
});

describe('progress helpers', () => {
  it('computes rows per second over the copy phase', () => {
    expect(rowsPerSecond(table({}), t0 + 60_000)).toBe(2_500);
    expect(rowsPerSecond(table({ copyFinishedAt: undefined }), t0 + 2_000)).toBe(5_000);
    expect(rowsPerSecond(table({ startedAt: undefined }), t0)).toBe(0);
  });

  it('describes the active table in one line', () => {
    const line = currentLine(
      [
        table({}),
        table({
          source: 'dbo.orders',
          target: 'ORDERS',
          state: 'copying',
          rowsCopied: 30_000,
          batchesDone: 3,
          batchesEstimated: 10,
          copyFinishedAt: undefined,
        }),
      ],
      false,
      t0 + 10_000,
    );
    expect(line).toBe(
      'copying dbo.orders -> ORDERS: 3 of 10 batches, 30,000 rows (3,000 rows/s); 1 of 2 tables published.',
    );
    expect(currentLine([table({})], true, t0)).toBe('Paused. 1 of 1 tables published.');
    const outage = (attempt: number, lastError: string) =>
      ({ service: 'SQL Server', attempt, since: t0 - 42_000, lastError }) as const;
    expect(
      currentLine([], false, t0, [outage(2, 'first'), outage(5, 'Connection lost - read ECONNRESET')]),
    ).toBe(
      'Waiting for SQL Server (attempt 5, unreachable for 42 s, last error: Connection lost - read ECONNRESET). ' +
        'Analysing the tables (nothing is created before all of them pass).',
    );
    expect(currentLine([], false, t0)).toBe(
      'Analysing the tables (nothing is created before all of them pass).',
    );
  });
});

describe('renderMarkdown', () => {
  const summary: RunSummary = {
    workflowId: 'migrate-20261124-abcd',
    runTag: 'abcd',
    status: 'failed',
    source: 'sql1/Sales',
    target: 'STEVE_MCP.DATA_MIGRATION',
    loadMethod: 'copy',
    startedAt: t0,
    finishedAt: t0 + 83_000,
    continuedAsNew: 2,
    outageRetries: { source: 7, target: 2 },
    tables: [
      table({
        validation: {
          passed: true,
          sourceRows: 10_000,
          targetRows: 10_000,
          checks: [{ name: 'row count', source: '10000', target: '10000', passed: true }],
        },
        state: 'rolled back',
        published: 'created',
        warnings: ['dbo.customers: identity column id is copied as plain values (no IDENTITY in Snowflake).'],
      }),
      table({ source: 'dbo.orders', state: 'rolled back', error: { message: 'boom' } }),
    ],
    rolledBack: [
      { description: 'drop published table STEVE_MCP.DATA_MIGRATION.CUSTOMERS', ok: true },
      { description: 'drop staging table X', ok: false, error: 'timeout' },
    ],
    cleanupFailures: [],
    error: {
      type: 'UnsupportedColumnType',
      message: 'Column dbo.orders.shape has type geography',
      hint: 'Exclude the column.',
    },
  };

  it('shows status, per-table figures, validation, warnings, the error with its hint, and the rollback', () => {
    const text = renderMarkdown(summary);
    expect(text).toContain('# Migration report: migrate-20261124-abcd');
    expect(text).toContain('- Status: **failed**');
    expect(text).toContain('(1m 23s)');
    expect(text).toContain('- Workflow history: continued as new 2 time(s)');
    expect(text).toContain(
      '- Steps called again after an outage: 7 (SQL Server unreachable), 2 (Snowflake unreachable)',
    );
    expect(text).toContain(
      '| dbo.customers | STEVE_MCP.DATA_MIGRATION.CUSTOMERS | rolled back (created) | 10,000 → 10,000 | 4 | 5s | 2,500 | 2.5 | 1 |',
    );
    expect(text).toContain('### dbo.customers → STEVE_MCP.DATA_MIGRATION.CUSTOMERS: passed');
    expect(text).toContain('| row count | 10000 | 10000 | ok |');
    expect(text).toContain('- dbo.customers: identity column id is copied as plain values');
    expect(text).toContain('**UnsupportedColumnType**: Column dbo.orders.shape has type geography');
    expect(text).toContain('What to do: Exclude the column.');
    expect(text).toContain('- done: drop published table STEVE_MCP.DATA_MIGRATION.CUSTOMERS');
    expect(text).toContain('- FAILED: drop staging table X: timeout (clean up by hand)');
  });

  it('lists the foreign keys: declared, or not carried and why', () => {
    const text = renderMarkdown({
      ...summary,
      foreignKeys: [
        { table: 'dbo.orders', name: 'FK_ORDERS_CUSTOMERS' },
        { table: 'sales.orders', name: 'SALES_FK_ORDERS_CUSTOMERS', renamedFrom: 'FK_ORDERS_CUSTOMERS' },
        {
          table: 'dbo.orders',
          name: 'FK_orders_regions',
          notCarried: 'it references dbo.regions, which this run did not publish',
        },
      ],
    });
    expect(text).toContain(
      [
        '## Foreign keys',
        '',
        '- dbo.orders FK_ORDERS_CUSTOMERS: declared in Snowflake, which does not enforce it',
        '- sales.orders SALES_FK_ORDERS_CUSTOMERS: declared in Snowflake, which does not enforce it ' +
          '(renamed from FK_ORDERS_CUSTOMERS: another key of this run has that name in the same Snowflake schema)',
        '- dbo.orders FK_orders_regions: not carried: it references dbo.regions, which this run did not publish',
      ].join('\n'),
    );
    expect(renderMarkdown(summary)).not.toContain('Foreign keys');
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(3_725_000)).toBe('1h 2m 5s');
  });
});

describe('duplicateTarget', () => {
  const plan = (source: string, target: string) => ({ source: `dbo.${source}`, target: `DB.S.${target}` });

  it('accepts distinct targets, case-sensitively as Snowflake compares quoted names', () => {
    expect(duplicateTarget([plan('a', 'A'), plan('b', 'B'), plan('c', 'a')])).toBeUndefined();
  });

  it('names both tables and the shared target', () => {
    expect(duplicateTarget([plan('orders', 'ORDERS'), plan('Orders', 'ORDERS')])).toBe(
      'dbo.orders and dbo.Orders would both be migrated to DB.S.ORDERS: give one of them another name with target in its migration.tables entry.',
    );
  });
});

describe('differenceLines', () => {
  it('names key, column and both values of each reported row, and how many more differ', () => {
    const content = {
      rows: 100,
      scopes: 2,
      differingRows: 3,
      exact: false,
      durationMs: 10,
      reported: [
        { key: 'id=7', kind: 'changed' as const, values: [{ column: 'name', source: 'Zoë', target: 'Zoe' }] },
        { key: 'id=9', kind: 'missing in target' as const, values: [] },
      ],
    };
    expect(differenceLines({ content })).toEqual([
      '',
      'Differing rows (canonical values, source -> target):',
      '',
      '- id=7: name "Zoë" -> "Zoe"',
      '- id=9: missing in target',
      '- ... and at least 1 more',
    ]);
    expect(differenceLines({})).toEqual([]);
  });
});

describe('a run in mode follow', () => {
  const follow = { startVersion: '3', appliedVersion: '41', rounds: 12, changesApplied: 1_500 };
  const finalCheck = { rows: 9_990, scopes: 1, differingRows: 0, exact: true, reported: [], durationMs: 5 };
  const tables = [
    table({ follow: { ...follow, finalCheck } }),
    table({ source: 'dbo.orders', state: 'rolled back', follow }),
    table({ source: 'dbo.lines' }),
  ];

  it('reports per followed table its versions, rounds, changes and the check at cutover', () => {
    expect(followLines(tables)).toEqual([
      '',
      '## Following (mode follow)',
      '',
      '| Source | Start version | Final version | Rounds | Changes applied | At cutover |',
      '| --- | --- | --- | --- | --- | --- |',
      '| dbo.customers | 3 | 41 | 12 | 1,500 | 9,990 rows equal |',
      '| dbo.orders | 3 | 41 | 12 | 1,500 | not cut over |',
    ]);
    expect(followLines([table({})])).toEqual([]);
  });

  it('says when and why a followed table was copied again from the start', () => {
    const reason = 'Following dbo.orders stopped: Change Tracking was turned off for it.';
    const recopies = [
      { afterVersion: '17', reason },
      { afterVersion: '29', reason, rowsCopied: 9_000, batchesDone: 3 },
    ];
    const recopied = table({ follow: { ...follow, recopies } });
    expect(followLines([recopied]).slice(-3)).toEqual([
      '| dbo.customers | 3 | 41 | 12 | 1,500 | not cut over |',
      // Recorded before re-copies kept the replaced copy's counts: only when and why.
      `- dbo.customers was copied again from the start after version 17: ${reason}`,
      `- dbo.customers was copied again from the start after version 29 (replacing a copy of 9,000 rows in 3 batch(es); the table's rows and batches are its latest copy's): ${reason}`,
    ]);
  });

  it('ends cut over: exit code 0 and an overview that counts the changes applied', () => {
    const summary: RunSummary = {
      workflowId: 'migrate-x',
      runTag: 'abcd',
      status: 'cut over',
      source: 'sql1/Sales',
      target: 'STEVE_MCP.DATA_MIGRATION',
      loadMethod: 'copy',
      startedAt: t0,
      finishedAt: t0 + 60_000,
      continuedAsNew: 0,
      tables: [table({ follow: { ...follow, finalCheck } })],
      rolledBack: [],
      cleanupFailures: [],
    };
    expect(exitCodeFor(summary)).toBe(0);
    expect(overviewLine(summary)).toMatch(
      /^Cut over: 1 of 1 tables published, 10,000 rows in .*; then 1,500 change\(s\) applied while following, every table verified at cutover\.$/,
    );
    expect(renderMarkdown(summary)).toContain('| dbo.customers | 3 | 41 | 12 | 1,500 | 9,990 rows equal |');
  });
});
