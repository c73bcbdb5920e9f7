import { MigrationError } from '../../../src/contracts/errors';
import { columnVerdict, mapColumn, SUPPORTED_SOURCE_TYPES } from '../../../src/mapping/type-map';
import { VARIANT_READ } from '../../../src/mapping/variant';
import { column } from '../../support/columns';

const SPATIAL_READ = "CAST({c}.STSrid AS nvarchar(11)) + N';' + CONVERT(nvarchar(max), {c}.AsBinaryZM(), 2)";

// [SQL Server type, catalog facts, Snowflake type, value kind, read expression, size limit]
const CASES: [string, Parameters<typeof column>[2], string, string, string, number?][] = [
  ['bigint', {}, 'NUMBER(19,0)', 'text-number', '{c}'],
  ['sql_variant', {}, 'VARIANT', 'variant', VARIANT_READ],
  ['int', {}, 'NUMBER(10,0)', 'number', '{c}'],
  ['smallint', {}, 'NUMBER(5,0)', 'number', '{c}'],
  ['tinyint', {}, 'NUMBER(3,0)', 'number', '{c}'],
  ['bit', {}, 'BOOLEAN', 'boolean', '{c}'],
  [
    'decimal',
    { numericPrecision: 38, numericScale: 10 },
    'NUMBER(38,10)',
    'text-number',
    'CAST({c} AS nvarchar(48))',
  ],
  [
    'numeric',
    { numericPrecision: 9, numericScale: 2 },
    'NUMBER(9,2)',
    'text-number',
    'CAST({c} AS nvarchar(48))',
  ],
  ['money', {}, 'NUMBER(19,4)', 'text-number', 'CONVERT(nvarchar(32), {c}, 2)'],
  ['smallmoney', {}, 'NUMBER(10,4)', 'text-number', 'CONVERT(nvarchar(32), {c}, 2)'],
  ['float', {}, 'FLOAT', 'float', '{c}'],
  ['real', {}, 'FLOAT', 'float', '{c}'],
  ['date', {}, 'DATE', 'date', 'CONVERT(nvarchar(10), {c}, 23)'],
  ['time', { datetimePrecision: 7 }, 'TIME(7)', 'time', 'CAST({c} AS nvarchar(16))'],
  ['time', { datetimePrecision: 0 }, 'TIME(0)', 'time', 'CAST({c} AS nvarchar(16))'],
  [
    'datetime',
    { datetimePrecision: 3 },
    'TIMESTAMP_NTZ(3)',
    'timestamp-ntz',
    'CONVERT(nvarchar(23), {c}, 121)',
  ],
  ['smalldatetime', {}, 'TIMESTAMP_NTZ(0)', 'timestamp-ntz', 'CONVERT(nvarchar(19), {c}, 120)'],
  [
    'datetime2',
    { datetimePrecision: 7 },
    'TIMESTAMP_NTZ(7)',
    'timestamp-ntz',
    'CONVERT(nvarchar(27), {c}, 121)',
  ],
  [
    'datetime2',
    { datetimePrecision: 3 },
    'TIMESTAMP_NTZ(3)',
    'timestamp-ntz',
    'CONVERT(nvarchar(27), {c}, 121)',
  ],
  [
    'datetimeoffset',
    { datetimePrecision: 7 },
    'TIMESTAMP_TZ(7)',
    'timestamp-tz',
    'CONVERT(nvarchar(34), {c}, 121)',
  ],
  ['char', { charMaxLength: 10 }, 'VARCHAR(10)', 'text', '{c}'],
  ['varchar', { charMaxLength: 200 }, 'VARCHAR(200)', 'text', '{c}'],
  ['varchar', { charMaxLength: -1 }, 'VARCHAR', 'text', '{c}', 16_777_216],
  ['nchar', { charMaxLength: 5 }, 'VARCHAR(5)', 'text', '{c}'],
  ['nvarchar', { charMaxLength: 4000 }, 'VARCHAR(4000)', 'text', '{c}'],
  ['nvarchar', { charMaxLength: -1 }, 'VARCHAR', 'text', '{c}', 16_777_216],
  ['text', { charMaxLength: 2147483647 }, 'VARCHAR', 'text', '{c}', 16_777_216],
  ['ntext', { charMaxLength: 1073741823 }, 'VARCHAR', 'text', '{c}', 16_777_216],
  ['xml', { charMaxLength: -1 }, 'VARCHAR', 'text', '{c}', 16_777_216],
  ['uniqueidentifier', {}, 'VARCHAR(36)', 'text', 'CONVERT(nchar(36), {c})'],
  ['binary', { charMaxLength: 16 }, 'BINARY(16)', 'binary', '{c}'],
  ['varbinary', { charMaxLength: 8000 }, 'BINARY(8000)', 'binary', '{c}'],
  ['varbinary', { charMaxLength: -1 }, 'BINARY', 'binary', '{c}', 8_388_608],
  ['image', { charMaxLength: 2147483647 }, 'BINARY', 'binary', '{c}', 8_388_608],
  ['timestamp', {}, 'BINARY(8)', 'binary', '{c}'],
  ['rowversion', {}, 'BINARY(8)', 'binary', '{c}'],
  ['hierarchyid', { charMaxLength: 892 }, 'VARCHAR(4000)', 'text', 'CAST({c} AS nvarchar(4000))'],
  ['geography', { charMaxLength: -1 }, 'GEOGRAPHY', 'spatial', SPATIAL_READ],
  ['geometry', { charMaxLength: -1 }, 'GEOMETRY', 'spatial', SPATIAL_READ],
];

describe('mapColumn', () => {
  // Every row gets all six values: jest would pass its `done` callback in place of a missing one.
  const rows = CASES.map(
    ([type, facts, targetType, kind, read, maxBytes]) =>
      [type, facts, targetType, kind, read, maxBytes ?? null] as const,
  );
  it.each(rows)('%s %j -> %s', (type, facts, targetType, kind, read, maxBytes) => {
    const mapping = mapColumn('dbo.t', column('c', type, facts));
    expect({
      targetType: mapping.targetType,
      kind: mapping.kind,
      read: mapping.read,
      maxBytes: mapping.maxBytes ?? null,
    }).toEqual({
      targetType,
      kind,
      read,
      maxBytes,
    });
  });

  it('covers every supported type in the table above', () => {
    expect([...new Set(CASES.map(([type]) => type))].sort()).toEqual(SUPPORTED_SOURCE_TYPES);
  });

  it('carries hierarchyid as its path text, and says so in its verdict', () => {
    expect(columnVerdict(column('node', 'hierarchyid', { charMaxLength: 892 }))).toEqual({
      verdict: 'converted',
      targetType: 'VARCHAR(4000)',
      how: [
        'hierarchyid -> VARCHAR(4000), its path text (ToString(), e.g. /1/3/): sorts as text, not depth-first, and has no hierarchyid methods',
      ],
    });
  });

  it('carries sql_variant as a VARIANT object of its base type and value, and says so in its verdict', () => {
    expect(columnVerdict(column('payload', 'sql_variant'))).toEqual({
      verdict: 'converted',
      targetType: 'VARIANT',
      how: [
        'sql_variant -> VARIANT holding {"type": <base type>, "value": <exact text>}: read v:value with the type named in v:type',
      ],
    });
  });

  it.each(['my_clr_type'])(
    'refuses %s with a non-retryable error naming table.column and the type',
    (type) => {
      let error: unknown;
      try {
        mapColumn('dbo.shapes', column('outline', type));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).type).toBe('UnsupportedColumnType');
      expect((error as MigrationError).message).toMatch(
        new RegExp(
          `^Column dbo\\.shapes\\.outline has type ${type}, which cannot be migrated exactly .*excludeColumns`,
        ),
      );
    },
  );

  it("refuses decimal(38,38) before any DDL: Snowflake's NUMBER takes a scale of at most 37", () => {
    expect(
      mapColumn('dbo.t', column('c', 'decimal', { numericPrecision: 38, numericScale: 37 })).targetType,
    ).toBe('NUMBER(38,37)');
    expect(() =>
      mapColumn('dbo.rates', column('ratio', 'numeric', { numericPrecision: 38, numericScale: 38 })),
    ).toThrow(
      "Column dbo.rates.ratio has type numeric(38,38), which cannot be migrated exactly (Snowflake's NUMBER holds at most 37 digits after the decimal point, this column 38). Leave it out with excludeColumns",
    );
    expect(
      columnVerdict(column('ratio', 'decimal', { numericPrecision: 38, numericScale: 38 })),
    ).toMatchObject({
      verdict: 'refused',
      why: "Snowflake's NUMBER holds at most 37 digits after the decimal point, this column 38",
    });
  });
});
