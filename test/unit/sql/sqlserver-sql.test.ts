import { mapColumn } from '../../../src/mapping/type-map';
import {
  aggregatesQuery,
  batchBoundaryQuery,
  keyRoundTripQuery,
  declaredType,
  keyColumnProblem,
  selectBatchQuery,
} from '../../../src/sql/sqlserver/queries';
import { displayTableName, parseTableName, quoteIdentifier } from '../../../src/names/sqlserver-names';
import { column } from '../../support/columns';

describe('T-SQL names', () => {
  it.each([
    ['customers', { schema: 'dbo', table: 'customers' }],
    ['sales.orders', { schema: 'sales', table: 'orders' }],
    ['[dbo].[order lines]', { schema: 'dbo', table: 'order lines' }],
    ['[dbo].[we]]ird.name]', { schema: 'dbo', table: 'we]ird.name' }],
    ['"dbo"."Straße"', { schema: 'dbo', table: 'Straße' }],
    ['  dbo.[select]  ', { schema: 'dbo', table: 'select' }],
  ])('parses %s', (text, ref) => {
    expect(parseTableName(text)).toEqual(ref);
  });

  it.each(['', 'a.b.c', 'dbo.', '[dbo', '[dbo]x'])(
    'rejects %j with a message that shows the accepted forms',
    (text) => {
      expect(() => parseTableName(text)).toThrow(/table name/);
    },
  );

  it('quotes with brackets and doubles closing brackets', () => {
    expect(quoteIdentifier('we]ird')).toBe('[we]]ird]');
    expect(displayTableName({ schema: 'dbo', table: 'order lines' })).toBe('dbo.[order lines]');
  });

  it('spells declared types as T-SQL does', () => {
    expect(declaredType(column('a', 'decimal', { numericPrecision: 18, numericScale: 2 }))).toBe(
      'decimal(18,2)',
    );
    expect(declaredType(column('a', 'nvarchar', { charMaxLength: -1 }))).toBe('nvarchar(max)');
    expect(declaredType(column('a', 'datetime2', { datetimePrecision: 7 }))).toBe('datetime2(7)');
    expect(declaredType(column('a', 'uniqueidentifier'))).toBe('uniqueidentifier');
  });
});

describe('keyset queries', () => {
  const id = column('id', 'int', { nullable: false });
  const region = column('region', 'nvarchar', { charMaxLength: 50, nullable: false });
  const guid = column('guid', 'uniqueidentifier', { nullable: false });
  const table = { schema: 'dbo', table: 'orders' };

  it('finds the next boundary after the previous one, compared by SQL Server', () => {
    expect(batchBoundaryQuery(table, [id], ['41'])).toEqual({
      text:
        'SELECT CAST([id] AS nvarchar(4000)) AS [k0] FROM [dbo].[orders] WHERE ([id] > CAST(@l0 AS int)) ' +
        'ORDER BY [id] OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY',
      params: { l0: '41' },
    });
    expect(batchBoundaryQuery(table, [id], null, 'status = 1').text).toBe(
      'SELECT CAST([id] AS nvarchar(4000)) AS [k0] FROM [dbo].[orders] WHERE (status = 1) ' +
        'ORDER BY [id] OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY',
    );
  });

  it('compares composite keys lexicographically, led by a seekable bound on the first column: (a, b) > (x, y) and (a, b) <= (x, y)', () => {
    const query = selectBatchQuery(table, [mapColumn('t', region), mapColumn('t', guid)], [region, guid], {
      lower: ['EU', 'A1'],
      upper: ['US', 'B2'],
    });
    expect(query.text).toBe(
      'SELECT [region], CONVERT(nchar(36), [guid]) AS [guid] FROM [dbo].[orders] WHERE ' +
        '([region] >= CAST(@l0 AS nvarchar(50)) AND ' +
        '([region] > CAST(@l0 AS nvarchar(50)) OR ([region] = CAST(@l0 AS nvarchar(50)) AND [guid] > CAST(@l1 AS uniqueidentifier)))) AND ' +
        '([region] <= CAST(@u0 AS nvarchar(50)) AND ' +
        '([region] < CAST(@u0 AS nvarchar(50)) OR ([region] = CAST(@u0 AS nvarchar(50)) AND [guid] <= CAST(@u1 AS uniqueidentifier))))',
    );
    expect(query.params).toEqual({ l0: 'EU', l1: 'A1', u0: 'US', u1: 'B2' });
  });

  it('reads a whole table when there are no bounds, with lossless conversions', () => {
    const dto = column('created at', 'datetimeoffset', { datetimePrecision: 7 });
    const query = selectBatchQuery(table, [mapColumn('t', dto)], [], { lower: null, upper: null });
    expect(query).toEqual({
      text: 'SELECT CONVERT(nvarchar(34), [created at], 121) AS [created at] FROM [dbo].[orders]',
      params: {},
    });
  });

  it('checks that char and varchar key values survive the conversion back, byte for byte', () => {
    const code = column('code', 'varchar', { charMaxLength: 20, nullable: false });
    expect(keyRoundTripQuery([guid, code], ['A1', 'Щука'])).toEqual({
      text:
        'SELECT CASE WHEN CONVERT(varbinary(8000), CAST(CAST(@r1 AS varchar(20)) AS nvarchar(4000))) = ' +
        'CONVERT(varbinary(8000), @r1) THEN 1 ELSE 0 END AS [ok1]',
      params: { r1: 'Щука' },
    });
  });

  it('converts binary keys back with style 1', () => {
    const bin = column('hash', 'binary', { charMaxLength: 16, nullable: false });
    expect(batchBoundaryQuery(table, [bin], ['0x00FF']).text).toContain(
      '[hash] > CONVERT(binary(16), @l0, 1)',
    );
  });

  it('bounds hierarchyid keys by their path text, parsed back by CAST (depth-first, as SQL Server orders them)', () => {
    const node = column('node', 'hierarchyid', { charMaxLength: 892, nullable: false });
    expect(keyColumnProblem(node)).toBeUndefined();
    const query = batchBoundaryQuery(table, [node], ['/1/3/']);
    expect(query.text).toContain('CAST([node] AS nvarchar(4000)) AS [k0]');
    expect(query.text).toContain('[node] > CAST(@l0 AS hierarchyid)');
  });

  it('refuses key columns that would lose rows or cannot be compared', () => {
    expect(keyColumnProblem(column('k', 'int', { nullable: true }))).toMatch(/allows NULL/);
    expect(keyColumnProblem(column('k', 'float', { nullable: false }))).toMatch(
      /type float cannot bound key ranges/,
    );
    expect(keyColumnProblem(column('k', 'nvarchar', { charMaxLength: -1, nullable: false }))).toMatch(
      /nvarchar\(max\)/,
    );
    expect(keyColumnProblem(id)).toBeUndefined();
  });

  it('builds the validation aggregates with exact decimal sums', () => {
    const amount = mapColumn('t', column('amount', 'decimal', { numericPrecision: 18, numericScale: 2 }));
    const text = aggregatesQuery(table, [
      { alias: 'a0', mapping: amount, targetColumn: 'AMOUNT', measure: 'count' },
      { alias: 'a1', mapping: amount, targetColumn: 'AMOUNT', measure: 'sum' },
    ]);
    expect(text).toBe(
      'SELECT COUNT_BIG(*) AS [rows], COUNT_BIG([amount]) AS [a0], CAST(SUM(CAST([amount] AS decimal(38, 2))) AS varchar(60)) AS [a1] FROM [dbo].[orders]',
    );
  });
});
