import { exitCodeFor } from '../../../src/cli/exit-codes';
import { tablesToRetry } from '../../../src/cli/retry-failed';
import type { RunSummary } from '../../../src/contracts/outcomes';
import { overviewLine } from '../../../src/run-summary/overview';
import { renderMarkdown } from '../../../src/report/render';
import { failed, succeeded } from '../../support/report-samples';

const withFailures: RunSummary = {
  ...succeeded,
  status: 'completed with failures',
  tables: [
    succeeded.tables[0]!,
    {
      ...succeeded.tables[1]!,
      state: 'rolled back',
      published: undefined,
      error: {
        type: 'ValidationFailed',
        message: 'Validation of dbo.orders failed: row count: source 3, target 2.',
      },
    },
  ],
  rolledBack: [
    { description: 'drop staging table STEVE_MCP.DATA_MIGRATION.ORDERS__MIGRATING_ABCD', ok: true },
  ],
};

describe('start --retry-failed', () => {
  it('retries the tables that were not published, with the options they ran with', () => {
    expect(tablesToRetry(withFailures)).toEqual([{ source: 'dbo.orders' }]);
    expect(tablesToRetry(failed)).toEqual([{ source: 'dbo.customers' }, { source: 'dbo.orders' }]);
  });

  it('refuses a run that published every table', () => {
    expect(() => tablesToRetry(succeeded)).toThrow(
      'migrate-20261124-abcd succeeded: every table was published, nothing to retry.',
    );
  });
});

describe('a run completed with failures', () => {
  it('exits 6, distinct from success (0) and failure (1)', () => {
    expect(exitCodeFor(withFailures)).toBe(6);
    expect(exitCodeFor(succeeded)).toBe(0);
    expect(exitCodeFor(failed)).toBe(1);
  });

  it('says what was published and names each failed table with its error', () => {
    expect(overviewLine(withFailures)).toMatch(
      /^Completed with failures: 1 of 2 tables published, .* 1 table\(s\) failed and were rolled back: dbo\.orders \(Validation of dbo\.orders failed: row count: source 3, target 2\)\.$/,
    );
    const markdown = renderMarkdown(withFailures);
    expect(markdown).toContain('## Failed tables (each rolled back alone)');
    expect(markdown).toContain(
      '**ValidationFailed**: Validation of dbo.orders failed: row count: source 3, target 2.',
    );
  });
});
