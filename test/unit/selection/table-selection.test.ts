import { ConfigError, parseConfig } from '../../../src/config/load';
import { compilePattern, resolveTableSelection } from '../../../src/selection/table-selection';

const ref = (schema: string, table: string) => ({ schema, table });

/** The catalog's base tables, as SQL Server spells them. */
const CATALOG = [
  ref('dbo', 'customers'),
  ref('dbo', 'Orders'),
  ref('dbo', 'tmp_load'),
  ref('dbo', 'TMP_old'),
  ref('dbo', 'tmp*'),
  ref('sales', 'OrderLines'),
  ref('sales', 'orderNotes'),
  ref('sales', 'Returns'),
  ref('my schema', 'order lines'),
];

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('compilePattern', () => {
  it.each([
    ['dbo.*', ['dbo.customers', 'dbo.Orders', 'dbo.tmp_load', 'dbo.TMP_old', 'dbo.tmp*']],
    ['sales.Order*', ['sales.OrderLines', 'sales.orderNotes']],
    ['SALES.*LINES', ['sales.OrderLines']],
    ['*', ['dbo.customers', 'dbo.Orders', 'dbo.tmp_load', 'dbo.TMP_old', 'dbo.tmp*']],
    ['*.order*', ['dbo.Orders', 'sales.OrderLines', 'sales.orderNotes', 'my schema.order lines']],
    ['[dbo].[tmp*]', ['dbo.tmp*']],
    ['[my schema].*', ['my schema.order lines']],
    ['dbo.tmp_*', ['dbo.tmp_load', 'dbo.TMP_old']],
    ['dbo.orders', ['dbo.Orders']],
    ['dbo.cust', []],
  ])('%s matches %j, case-insensitively', (pattern, expected) => {
    const matches = CATALOG.filter(compilePattern(pattern));
    expect(matches.map((r) => `${r.schema}.${r.table}`)).toEqual(expected);
  });
});

describe('resolveTableSelection', () => {
  it('expands patterns in name order, once, less the excluded tables', () => {
    expect(
      resolveTableSelection(
        { tables: [{ pattern: 'dbo.*' }, { pattern: '*.*order*' }], exclude: ['dbo.tmp_*', '[dbo].[tmp*]'] },
        CATALOG,
      ),
    ).toEqual({
      tables: [
        { source: 'dbo.customers' },
        { source: 'dbo.Orders' },
        { source: '[my schema].[order lines]' },
        { source: 'sales.OrderLines' },
        { source: 'sales.orderNotes' },
      ],
      problems: [],
    });
  });

  it('lets an explicit entry win over a pattern matching the same table, wherever it is listed', () => {
    const orders = { source: 'DBO.ORDERS', keyColumns: ['id'], filter: 'id > 5' };
    const tmp = { source: 'dbo.tmp_load', target: 'TMP' };
    expect(
      resolveTableSelection(
        { tables: [{ pattern: 'dbo.*' }, orders, tmp], exclude: ['dbo.tmp_*', 'dbo.tmp[*]', 'dbo.none*'] },
        CATALOG,
      ),
    ).toEqual({ tables: [{ source: 'dbo.customers' }, { source: 'dbo.[tmp*]' }, orders, tmp], problems: [] });
  });

  it('keeps explicit entries as written without looking them up (the run checks them)', () => {
    const tables = [{ source: 'dbo.missing' }, { source: 'dbo.customers', excludeColumns: ['x'] }];
    expect(resolveTableSelection({ tables, exclude: [] }, [])).toEqual({ tables, problems: [] });
  });

  it('names every pattern that matches no table', () => {
    const selection = {
      tables: [{ pattern: 'dbo.*' }, { pattern: 'hr.*' }, { pattern: 'sales.X*' }],
      exclude: [],
    };
    expect(resolveTableSelection(selection, CATALOG).problems).toEqual([
      'migration.tables[1]: the pattern hr.* matches no table in the source database',
      'migration.tables[2]: the pattern sales.X* matches no table in the source database',
    ]);
  });

  it('refuses a selection that exclude empties', () => {
    expect(
      resolveTableSelection({ tables: [{ pattern: 'sales.*' }], exclude: ['*.*'] }, CATALOG).problems,
    ).toEqual(['migration.tables: no table is left to migrate once migration.exclude is applied']);
  });

  it('refuses two selected tables that would get the same Snowflake name', () => {
    const catalog = [ref('dbo', 'orders'), ref('sales', 'ORDERS')];
    expect(resolveTableSelection({ tables: [{ pattern: '*.*' }], exclude: [] }, catalog).problems).toEqual([
      'migration.tables: dbo.orders and sales.ORDERS would both be migrated to ORDERS: ' +
        'give one of them another name with target in its migration.tables entry.',
    ]);
  });

  it('target.schemas perSource: the same name in two schemas is two Snowflake tables', () => {
    const catalog = [ref('dbo', 'orders'), ref('sales', 'ORDERS')];
    expect(
      resolveTableSelection({ tables: [{ pattern: '*.*' }], exclude: [] }, catalog, 'perSource'),
    ).toEqual({
      tables: [{ source: 'dbo.orders' }, { source: 'sales.ORDERS' }],
      problems: [],
    });
  });
});

describe('migration.tables and migration.exclude in the config', () => {
  const config = (migration: Record<string, unknown>) =>
    parseConfig(
      {
        source: { server: 'sql', database: 'Sales', user: 'migrator' },
        target: { account: 'xy12345', user: 'MIGRATOR' },
        migration,
      },
      'test',
      {},
    );

  it('reads strings with * as patterns, bracketed names as exact, and exclude', () => {
    const { migration } = config({
      tables: ['dbo.*', '[dbo].[tmp*]', { source: 'sales.orders', filter: 'id > 1' }],
      exclude: ['dbo.tmp_*'],
    });
    expect(migration.tables).toEqual([
      { pattern: 'dbo.*' },
      { source: '[dbo].[tmp*]' },
      { source: 'sales.orders', filter: 'id > 1' },
    ]);
    expect(migration.exclude).toEqual(['dbo.tmp_*']);
  });

  it('loads a parsed config written back out (a pattern as { pattern })', () => {
    const { migration } = config({ tables: ['*.*'], exclude: ['x.*'] });
    expect(config({ tables: migration.tables, exclude: migration.exclude }).migration.tables).toEqual([
      { pattern: '*.*' },
    ]);
  });

  it('refuses per-table options on a pattern and a malformed exclude, with their paths', () => {
    expect(
      messageOf(() =>
        config({ tables: ['dbo.a', { source: 'dbo.*', keyColumns: ['id'] }], exclude: ['dbo.', 'x'] }),
      ),
    ).toBe(
      'Invalid configuration in test:\n' +
        '  - migration.tables[1].source: dbo.* is a pattern, and a pattern takes no per-table options: write it as a plain string, ' +
        'and list each table that needs options as its own entry (it wins over the pattern)\n' +
        '  - migration.exclude[0]: "dbo." is not a table name: write table, schema.table or [schema].[table name].',
    );
  });
});
