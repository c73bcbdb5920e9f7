import { ConfigError, parseConfig } from '../../../src/config/load';
import { MigrationError } from '../../../src/contracts/errors';
import { filterProblem } from '../../../src/sql/sqlserver/filter';
import { countRowsQuery, selectBatchQuery } from '../../../src/sql/sqlserver/queries';

describe('filterProblem: a filter is exactly one predicate', () => {
  it.each([
    "status = 'open'",
    "name = N'O''Brien; -- not a comment /* nor this */'",
    "amount > 10 AND (region IN (1, 2) OR [order date] >= '2024-01-01')",
    '[weird ]] name; DROP] = 1',
    '"quoted ""name"" -- x" IS NOT NULL',
    'customer_id IN (SELECT customer_id FROM dbo.active_customers)',
    'updated_at > DATEADD(day, -30, GETDATE())',
    'a - -1 > 0 AND b / 2 * 3 < 4',
    'deleted = 0 AND [update] = 1 AND [drop] = 2',
    'settled_date IS NULL',
  ])('accepts %s', (filter) => {
    expect(filterProblem(filter)).toBeUndefined();
  });

  it.each([
    [
      '1=1) ; DROP TABLE dbo.victim; --',
      'the ")" at character 4 closes a parenthesis the filter did not open',
    ],
    ['1=1; DROP TABLE dbo.victim', 'it contains a statement separator ";" at character 4'],
    ['1=1 -- and the rest', 'it contains a comment "--" at character 5'],
    ['1=1 /* x */', 'it contains a comment "/*" at character 5'],
    ['1=1 */', 'it contains a comment "*/" at character 5'],
    ['(1=1', 'the "(" at character 1 is not closed'],
    ['((a = 1) OR (b = 2)', 'the "(" at character 1 is not closed'],
    ["name = 'unterminated", 'the string literal at character 8 is not closed'],
    ["name = N'x", 'the string literal at character 8 is not closed'],
    ['[open = 1', 'the quoted name at character 1 is not closed'],
    ['"open = 1', 'the quoted name at character 1 is not closed'],
    ['a] = 1', 'the "]" at character 2 closes no quoted name'],
    [
      '1=1 DROP TABLE dbo.victim',
      "it contains the keyword DROP at character 5: a filter is a condition on the table's rows, not a statement",
    ],
    [
      '1=1\nGO\nDELETE FROM dbo.victim',
      "it contains the keyword GO at character 5: a filter is a condition on the table's rows, not a statement",
    ],
    [
      "1=1 exec('x')",
      "it contains the keyword EXEC at character 5: a filter is a condition on the table's rows, not a statement",
    ],
    [
      "EXISTS (SELECT 1 FROM OPENQUERY(srv, 'DELETE x'))",
      "it contains the keyword OPENQUERY at character 23: a filter is a condition on the table's rows, not a statement",
    ],
    [
      'id > NEXT VALUE FOR dbo.seq',
      "it contains the keyword NEXT at character 6: a filter is a condition on the table's rows, not a statement",
    ],
    [
      '1 = (SELECT 1 INTO dbo.copy)',
      "it contains the keyword INTO at character 15: a filter is a condition on the table's rows, not a statement",
    ],
    [
      "1=1 waitfor delay '0:0:5'",
      "it contains the keyword WAITFOR at character 5: a filter is a condition on the table's rows, not a statement",
    ],
    [
      '1=1 uPdAtE dbo.victim',
      "it contains the keyword UPDATE at character 5: a filter is a condition on the table's rows, not a statement",
    ],
    ['   ', 'it is empty'],
  ])('refuses %j: %s', (filter, problem) => {
    expect(filterProblem(filter)).toBe(problem);
  });
});

describe('the filter in the config and in the SQL builders', () => {
  const config = (filter: string) => ({
    source: { server: 's', database: 'd', user: 'u' },
    target: { account: 'a', user: 'u' },
    migration: { tables: ['dbo.customers', { source: 'dbo.orders', filter }] },
  });

  it('refuses a hostile filter with the exact field path and the table', () => {
    expect(() => parseConfig(config('1=1) ; DROP TABLE dbo.victim; --'), 'test', {})).toThrow(
      new ConfigError(
        'Invalid configuration in test:\n' +
          '  - migration.tables[1].filter: the filter of dbo.orders is not a single T-SQL condition: ' +
          'the ")" at character 4 closes a parenthesis the filter did not open',
      ),
    );
  });

  it('keeps a valid filter', () => {
    expect(parseConfig(config("status = 'open'"), 'test', {}).migration.tables[1]).toEqual({
      source: 'dbo.orders',
      filter: "status = 'open'",
    });
  });

  it('builders refuse to put a bad filter in a query, whoever built the input', () => {
    const table = { schema: 'dbo', table: 'orders' };
    const refused = new MigrationError(
      'InvalidFilter',
      'the filter of dbo.orders is not a single T-SQL condition: it contains a statement separator ";" at character 4',
    );
    expect(() => countRowsQuery(table, '1=1; DROP TABLE dbo.victim')).toThrow(refused);
    expect(() => selectBatchQuery(table, [], [], { lower: null, upper: null }, '1=1; DROP TABLE x')).toThrow(
      refused,
    );
    expect(countRowsQuery(table, 'a = 1')).toBe(
      'SELECT COUNT_BIG(*) AS row_count FROM [dbo].[orders] WHERE (a = 1)',
    );
  });
});
