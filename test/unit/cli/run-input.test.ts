import { runLabels, namesThatFit, workflowIdFor } from '../../../src/cli/run-input';
import { parseConfig } from '../../../src/config/load';

describe('what a run shows in Temporal', () => {
  const config = parseConfig(
    {
      source: { server: 'sql', database: 'shop', user: 'migrator' },
      target: { account: 'xy12345', user: 'MIGRATOR' },
    },
    'test',
    {},
  );
  const tables = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ source: `dbo.table_${String(i).padStart(4, '0')}` }));

  it('names a few tables in the summary, every one in the memo and the search attribute', () => {
    const labels = runLabels(config, tables(4));
    expect(labels.summary).toBe(
      'Migrate dbo.table_0000, dbo.table_0001, dbo.table_0002, dbo.table_0003 from shop to STEVE_MCP.DATA_MIGRATION (copy)',
    );
    expect(labels.details).toBe(
      'From SQL Server sql:1433, database shop, to Snowflake account xy12345, STEVE_MCP.DATA_MIGRATION\n\n' +
        'Tables (4): dbo.table_0000, dbo.table_0001, dbo.table_0002, dbo.table_0003\n\n' +
        'Load method copy, 50,000 rows per batch, 4 batch(es) in flight; an existing target table: fail',
    );
    expect(labels.searchTables).toHaveLength(4);
    expect(labels.memo).toMatchObject({ tableCount: 4, tables: tables(4).map((t) => t.source) });
  });

  it('keeps a whole schema within Temporal’s size limits, saying how many tables there are', () => {
    const labels = runLabels(config, tables(2_000));
    expect(labels.summary).toBe(
      'Migrate dbo.table_0000, dbo.table_0001, dbo.table_0002 and 1997 more tables from shop to STEVE_MCP.DATA_MIGRATION (copy)',
    );
    expect(Buffer.byteLength(JSON.stringify(labels.searchTables))).toBeLessThanOrEqual(1_800);
    expect(labels.searchTables).toEqual(
      tables(2_000)
        .slice(0, 105)
        .map((t) => t.source),
    );
    expect(labels.details).toContain(', dbo.table_0009, and 1990 more\n\n');
    expect(labels.memo.tableCount).toBe(2_000);
    expect(Buffer.byteLength(JSON.stringify(labels.memo))).toBeLessThan(32_000);
  });

  it('namesThatFit counts the JSON bytes of the list', () => {
    expect(namesThatFit(['ab', 'cd', 'é'], 2)).toEqual([]);
    expect(namesThatFit(['ab', 'cd', 'é'], 6)).toEqual(['ab']);
    expect(namesThatFit(['ab', 'cd', 'é'], 11)).toEqual(['ab', 'cd']);
    expect(namesThatFit(['ab', 'cd', 'é'], 16)).toEqual(['ab', 'cd', 'é']);
  });

  it('gives the runs of the same tables into the same schema one workflow id, of plain characters', () => {
    const id = workflowIdFor(config, [{ source: 'dbo.orders' }, { source: 'dbo.Customers' }]);
    expect(id).toMatch(/^migrate-steve_mcp-data_migration-[0-9a-f]{10}$/);
    // In any order and case, as SQL Server compares names.
    expect(workflowIdFor(config, [{ source: 'dbo.customers' }, { source: 'dbo.orders' }])).toBe(id);
    expect(workflowIdFor(config, [{ source: 'dbo.orders' }])).not.toBe(id);
    const elsewhere = { ...config, target: { ...config.target, schema: 'Stage 2 "x"' } };
    expect(workflowIdFor(elsewhere, [{ source: 'dbo.orders' }])).toMatch(
      /^migrate-steve_mcp-stage_2_x_-[0-9a-f]{10}$/,
    );
  });
});
