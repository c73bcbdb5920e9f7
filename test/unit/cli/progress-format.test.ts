import { MAX_TABLE_LINES, overall, progressLines, useColour } from '../../../src/cli/progress-format';
import type { TableProgressView, RunProgress } from '../../../src/workflows/messages';

const table = (over: Partial<TableProgressView>): TableProgressView => ({
  source: 'dbo.customers',
  target: 'STEVE_MCP.DATA_MIGRATION.CUSTOMERS',
  state: 'published',
  batchesDone: 1,
  batchesPlanned: 1,
  batchesEstimated: 1,
  rowsCopied: 10_000,
  rowsEstimated: 10_000,
  bytesCopied: 0,
  retriedBatches: 0,
  warnings: [],
  rowsPerSecond: 0,
  startedAt: 0,
  copyFinishedAt: 5_000,
  ...over,
});

// 30 s into the run, 10 s of it paused: 40,000 rows in 20 unpaused seconds.
const progress: RunProgress = {
  status: 'running',
  paused: false,
  startedAt: 0,
  now: 30_000,
  line: 'copying dbo.orders',
  pauses: [{ from: 10_000, to: 20_000 }],
  tables: [
    table({}),
    table({
      source: 'dbo.orders',
      state: 'copying',
      rowsCopied: 30_000,
      rowsEstimated: 100_000,
      batchesDone: 3,
      batchesPlanned: 5,
      batchesEstimated: 10,
      startedAt: 5_000,
      copyFinishedAt: undefined,
    }),
    table({
      source: 'dbo.lines',
      state: 'pending',
      rowsCopied: 0,
      startedAt: undefined,
      copyFinishedAt: undefined,
    }),
  ],
};
const plain = { width: 120, colour: false, frame: 0 };

describe('the live progress display', () => {
  it('shows an overall bar with elapsed time, ETA and rates that leave paused time out', () => {
    expect(overall(progress)).toMatchObject({
      rowsCopied: 40_000,
      rowsTotal: 120_000,
      rate: 2_000,
      etaMs: 40_000,
    });
    expect(progressLines(progress, plain)).toEqual([
      'Overall       ███████████░░░░░░░░░░░░░░░░░░░░░  33%  40,000/120,000 rows  1/3 tables  2,000 rows/s  elapsed 30s  ETA 40s',
      'dbo.customers ████████████████████████████████ 100%  10,000/10,000 rows  1/1 batches  2,000 rows/s  published',
      'dbo.orders    ██████████░░░░░░░░░░░░░░░░░░░░░░  30%  30,000/100,000 rows  3/10 batches  2,000 rows/s  copying',
      'dbo.lines     ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░   0%  0/10,000 rows  1/1 batches  pending',
    ]);
  });

  it('stops counting a table at its estimate once it is copied', () => {
    const validating = { ...progress, tables: [table({ state: 'validating', rowsCopied: 9_990 })] };
    expect(overall(validating)).toMatchObject({ rowsTotal: 9_990, fraction: 1, etaMs: undefined });
  });

  it('shows a following table (mode follow) by its version, changes, rounds and last round', () => {
    const follow = {
      startVersion: '3',
      appliedVersion: '41',
      rounds: 12,
      changesApplied: 1_500,
      lastRoundAt: 22_000,
      lastRoundFrom: 20_000,
      lastRoundChanges: 150,
    };
    const following = { ...progress, tables: [table({ state: 'following', follow })] };
    expect(progressLines(following, { ...plain, width: 200 })[1]).toBe(
      'dbo.customers ↻ following  applied up to version 41 (from 3), at most 10s behind; 1,500 change(s) in 12 round(s), the last 150 in 2s, ended 8s ago',
    );
    expect(overall(following)).toMatchObject({ rowsTotal: 10_000, fraction: 1 });
  });

  it('fits the terminal width', () => {
    const lines = progressLines(progress, { ...plain, width: 60 });
    expect(lines[0]).toBe('Overall       ███░░░░░░░  33%  40,000/120,000 rows  1/3 tab…');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('shows failed and rolled-back tables as such, in red on a colour terminal', () => {
    const failed: RunProgress = {
      ...progress,
      status: 'failed',
      tables: [
        table({ state: 'rolled back' }),
        table({ source: 'dbo.orders', state: 'failed', error: { message: 'boom' } }),
      ],
    };
    const lines = progressLines(failed, plain);
    expect(lines[0]).toMatch(/ 0\/2 tables .* failed$/);
    expect(lines.slice(1)).toEqual([
      'dbo.customers ✗ rolled back  10,000 rows copied',
      'dbo.orders    ✗ failed  10,000 rows copied: boom',
    ]);
    expect(progressLines(failed, { ...plain, colour: true })[2]).toBe(
      'dbo.orders    \x1b[31m✗ failed\x1b[0m  10,000 rows copied: boom',
    );
  });

  it('shows a whole schema as the tables in flight and failed first, and counts the rest', () => {
    const many: RunProgress = {
      ...progress,
      tables: [
        ...Array.from({ length: 30 }, (_, i) => table({ source: `dbo.done_${i}` })),
        table({ source: 'dbo.bad', state: 'rolled back', error: { message: 'boom' } }),
        table({ source: 'dbo.busy', state: 'copying', copyFinishedAt: undefined }),
        ...Array.from({ length: 20 }, (_, i) => table({ source: `dbo.later_${i}`, state: 'pending' })),
      ],
    };
    const lines = progressLines(many, { ...plain, width: 200 });
    expect(lines).toHaveLength(1 + MAX_TABLE_LINES + 1);
    expect(lines[1]).toMatch(/^dbo\.bad +✗ rolled back/);
    expect(lines[2]).toMatch(/^dbo\.busy /);
    expect(lines.at(-1)).toBe('… and 37 more tables: 17 published, 20 pending');
  });

  it('spins while the tables are analysed', () => {
    const analysing = { ...progress, tables: [] };
    expect(progressLines(analysing, { ...plain, frame: 0 })).toEqual([
      '⠋ Analysing the tables (nothing is created before all of them pass)  elapsed 30s',
    ]);
    expect(progressLines(analysing, { ...plain, frame: 1 })[0]).toMatch(/^⠙ /);
  });

  it('uses colour only on a terminal and never with NO_COLOR', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
  });
});
