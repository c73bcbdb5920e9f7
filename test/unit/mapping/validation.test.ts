import { mapColumn } from '../../../src/mapping/type-map';
import { aggregateSpecs, compareAggregates } from '../../../src/validation/aggregates';
import { canonicalDecimal } from '../../../src/validation/canonical';
import { column } from '../../support/columns';

describe('aggregateSpecs', () => {
  it('counts nullable columns and sums exact numbers of up to 28 digits, never floats', () => {
    const mappings = [
      column('id', 'int', { nullable: false }),
      column('big', 'bigint'),
      column('price', 'decimal', { numericPrecision: 18, numericScale: 2, nullable: false }),
      column('huge', 'decimal', { numericPrecision: 38, numericScale: 10 }),
      column('ratio', 'float'),
      column('note', 'nvarchar', { charMaxLength: 10 }),
    ].map((c) => mapColumn('t', c));
    const specs = aggregateSpecs(mappings, ['ID', 'BIG', 'PRICE', 'HUGE', 'RATIO', 'NOTE']);
    expect(specs.map((s) => [s.alias, s.mapping.column.name, s.targetColumn, s.measure])).toEqual([
      ['a0', 'id', 'ID', 'sum'],
      ['a1', 'big', 'BIG', 'count'],
      ['a2', 'big', 'BIG', 'sum'],
      ['a3', 'price', 'PRICE', 'sum'],
      ['a4', 'huge', 'HUGE', 'count'],
      ['a5', 'ratio', 'RATIO', 'count'],
      ['a6', 'note', 'NOTE', 'count'],
    ]);
  });
});

describe('canonicalDecimal', () => {
  it.each([
    ['12.50', '12.5'],
    ['-0.000', '0'],
    ['+007', '7'],
    ['100', '100'],
    ['-12345678901234567890.1234567890', '-12345678901234567890.123456789'],
    [42, '42'],
    [null, 'NULL'],
  ])('%p -> %p', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });
});

describe('compareAggregates', () => {
  const price = mapColumn('t', column('price', 'decimal', { numericPrecision: 18, numericScale: 2 }));
  const specs = [
    { alias: 'a0', mapping: price, targetColumn: 'PRICE', measure: 'count' as const },
    { alias: 'a1', mapping: price, targetColumn: 'PRICE', measure: 'sum' as const },
  ];
  const metadata = { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' };

  it('passes when both sides agree, whatever their number formatting', () => {
    const result = compareAggregates(
      specs,
      { rows: '3', a0: 2, a1: '10.50' },
      { rows: 3, a0: '2', a1: '10.5' },
      {
        ...metadata,
        notMigrated: '0',
        withMigratedAt: '3',
      },
    );
    expect(result.sourceRows).toBe(3);
    expect(result.checks.every((c) => c.passed)).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual([
      'row count',
      'non-NULL values of price',
      'sum of price',
      'rows with IS_MIGRATED not TRUE',
      'rows with MIGRATED_AT set',
    ]);
  });

  it('fails on a rounded sum, a lost NULL, an unstamped row', () => {
    const result = compareAggregates(
      specs,
      { rows: '3', a0: '2', a1: '10.55' },
      { rows: '3', a0: '3', a1: '10.6' },
      {
        ...metadata,
        notMigrated: '1',
        withMigratedAt: '2',
      },
    );
    expect(result.checks.filter((c) => !c.passed).map((c) => [c.name, c.source, c.target])).toEqual([
      ['non-NULL values of price', '2', '3'],
      ['sum of price', '10.55', '10.6'],
      ['rows with IS_MIGRATED not TRUE', '0', '1'],
      ['rows with MIGRATED_AT set', '3', '2'],
    ]);
  });
});
