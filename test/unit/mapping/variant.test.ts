import { MigrationError } from '../../../src/contracts/errors';
import { mapColumn } from '../../../src/mapping/type-map';
import { bindRowFormatter, csvRowFormatter } from '../../../src/mapping/values';
import { canonicalVariant, parseVariantRead, VARIANT_READ, variantJson } from '../../../src/mapping/variant';
import { copyInto, insertRows } from '../../../src/sql/snowflake/statements';
import { canonicalValue, sameValue } from '../../../src/validation/canonical';
import { column } from '../../support/columns';

describe('sql_variant: the read SQL Server answers, as the value the migrator loads', () => {
  it.each([
    ['int;10;0;4;42', 'int', '42'],
    ['bigint;19;0;8;-9223372036854775808', 'bigint', '-9223372036854775808'],
    ['bit;1;0;1;1', 'bit', '1'],
    ['decimal;18;4;9;12.3400', 'decimal(18,4)', '12.3400'],
    // SQL Server prints a decimal of precision = scale without its leading zero.
    ['numeric;5;5;5;-.50000', 'numeric(5,5)', '-0.50000'],
    ['money;19;4;8;-922337203685477.5808', 'money', '-922337203685477.5808'],
    // CONVERT style 3: 17 digits, kept as the shortest text of the same double; -0 keeps its sign.
    ['float;53;0;8;1.0000000000000001E-001', 'float', '0.1'],
    ['float;53;0;8;-0.0000000000000000E+000', 'float', '-0'],
    ['real;24;0;4;1.0000000149011612E-001', 'real', '0.10000000149011612'],
    ['date;10;0;3;0001-01-01', 'date', '0001-01-01'],
    ['time;16;7;5;23:59:59.9999999', 'time(7)', '23:59:59.9999999'],
    ['datetime;23;3;8;2024-02-29 12:34:56.997', 'datetime', '2024-02-29 12:34:56.997'],
    ['smalldatetime;16;0;4;2079-06-06 23:59:00', 'smalldatetime', '2079-06-06 23:59:00'],
    ['datetime2;22;2;6;2024-01-01 10:00:00.12', 'datetime2(2)', '2024-01-01 10:00:00.12'],
    [
      'datetimeoffset;34;7;10;2024-06-30 23:59:59.1234567 +05:45',
      'datetimeoffset(7)',
      '2024-06-30 23:59:59.1234567 +05:45',
    ],
    [
      'uniqueidentifier;0;0;16;6F9619FF-8B86-D011-B42D-00C04FC964FF',
      'uniqueidentifier',
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    ],
    ['char;0;0;5;ab   ', 'char(5)', 'ab   '],
    ['varchar;0;0;8000;', 'varchar(8000)', ''],
    // MaxLength counts bytes: nvarchar(50) is 100.
    ['nvarchar;0;0;100;a;b;😀', 'nvarchar(50)', 'a;b;😀'],
    ['nchar;0;0;2;Ω', 'nchar(1)', 'Ω'],
    ['varbinary;0;0;16;00FF', 'varbinary(16)', '00FF'],
    ['binary;0;0;4;0000FF7E', 'binary(4)', '0000FF7E'],
  ])('%s -> {"type":"%s","value":"%s"}', (read, type, value) => {
    expect(parseVariantRead(read)).toEqual({ type, value });
    expect(variantJson({ type, value })).toBe(JSON.stringify({ type, value }));
  });

  it.each([
    ['hierarchyid;0;0;892;/1/', 'holds a value of base type hierarchyid, which the migrator does not know'],
    ['42', 'reads as "42", not as a sql_variant\'s base type and value'],
    ['float;53;0;8;x', 'holds a float that does not read as a number'],
  ])('%s: refused, as the run must not guess', (read, problem) => {
    expect(parseVariantRead(read)).toEqual({ problem });
  });

  it('reads every property and the value through SQL_VARIANT_PROPERTY, NULL staying NULL', () => {
    const read = VARIANT_READ.replaceAll('{c}', '[v]');
    expect(read).toMatch(/^CASE WHEN \[v\] IS NULL THEN NULL ELSE /);
    for (const name of ['BaseType', 'Precision', 'Scale', 'MaxLength'])
      expect(read).toContain(`CAST(SQL_VARIANT_PROPERTY([v], '${name}') AS nvarchar(128))`);
    expect(read).toContain("WHEN N'float' THEN CONVERT(nvarchar(max), CAST([v] AS float), 3)");
    expect(read).toContain("WHEN N'varbinary' THEN CONVERT(nvarchar(max), CAST([v] AS varbinary(8000)), 2)");
  });
});

describe('sql_variant values in a batch', () => {
  const description = {
    tableName: 'dbo.events',
    columns: [
      mapColumn('dbo.events', column('id', 'int')),
      mapColumn('dbo.events', column('payload', 'sql_variant')),
    ],
    keyPositions: [0],
  };

  it('binds and writes the JSON object, NULL as NULL (never a VARIANT null)', () => {
    const bind = bindRowFormatter(description, []);
    expect(bind([1, 'nvarchar;0;0;20;say "hi", ok'])).toEqual([
      '1',
      '{"type":"nvarchar(10)","value":"say \\"hi\\", ok"}',
    ]);
    expect(bind([2, null])).toEqual(['2', null]);
    const csv = csvRowFormatter(description, []);
    expect(csv([1, 'int;10;0;4;7'])).toBe('1,"{""type"":""int"",""value"":""7""}"\n');
    expect(csv([2, null])).toBe('2,\n');
  });

  it('stops the run naming the row when SQL Server answers something it cannot read', () => {
    const bind = bindRowFormatter(description, []);
    let error: unknown;
    try {
      bind([7, 'xml;0;0;4000;<a/>']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).type).toBe('ValueNotRepresentable');
    expect((error as MigrationError).message).toBe(
      'dbo.events.payload in the row with key (id=7) holds a value of base type xml, which the migrator does not know. ' +
        'Nothing of it was dropped: convert or exclude the column (excludeColumns), then run again.',
    );
  });
});

describe('sql_variant in validation', () => {
  it('canonical text: <type>;<value> of the loaded object', () => {
    expect(canonicalValue('variant', '{"type":"decimal(18,4)","value":"12.3400"}')).toBe(
      'decimal(18,4);12.3400',
    );
    expect(canonicalVariant('{"type":"int","value":7}')).toBe('#unreadable {"type":"int","value":7}');
    expect(canonicalVariant('not json')).toBe('#unreadable not json');
  });

  it("compares SQL Server's read with Snowflake's <type>;<value>", () => {
    const rule = 'variant';
    expect(sameValue(rule, 'decimal;18;4;9;12.3400', 'decimal(18,4);12.3400')).toBe(true);
    expect(sameValue(rule, 'decimal;18;4;9;12.3400', 'decimal(18,4);12.34')).toBe(false);
    expect(sameValue(rule, 'decimal;18;4;9;12.3400', 'numeric(18,4);12.3400')).toBe(false);
    expect(sameValue(rule, 'nvarchar;0;0;10;a;b', 'nvarchar(5);a;b')).toBe(true);
    expect(sameValue(rule, null, null)).toBe(true);
    expect(sameValue(rule, 'int;10;0;4;1', null)).toBe(false);
  });
});

describe('loading JSON into VARIANT columns', () => {
  const table = { database: 'DB', schema: 'S', name: 'T' };

  it('INSERT selects the bound rows through PARSE_JSON, and stays a plain VALUES without JSON columns', () => {
    expect(insertRows(table, ['ID', 'PAYLOAD'], new Set(['PAYLOAD']))).toBe(
      'INSERT INTO "DB"."S"."T" ("ID", "PAYLOAD") SELECT COLUMN1, PARSE_JSON(COLUMN2) FROM VALUES (?, ?)',
    );
    expect(insertRows(table, ['ID', 'PAYLOAD'])).toBe(
      'INSERT INTO "DB"."S"."T" ("ID", "PAYLOAD") VALUES (?, ?)',
    );
  });

  it('COPY transforms the file through PARSE_JSON, naming the columns it fills', () => {
    expect(
      copyInto(table, '@"DB"."S"."ST"/p/', 'b1.csv.gz', {
        names: ['ID', 'PAYLOAD'],
        json: new Set(['PAYLOAD']),
      }),
    ).toMatch(
      /^COPY INTO "DB"\."S"\."T" \("ID", "PAYLOAD"\) FROM \(SELECT \$1, PARSE_JSON\(\$2\) FROM @"DB"\."S"\."ST"\/p\/\) FILES = \('b1\.csv\.gz'\) FILE_FORMAT = \(TYPE = CSV /,
    );
    expect(copyInto(table, '@"DB"."S"."ST"/p/', 'b1.csv.gz', { names: ['ID'], json: new Set() })).toMatch(
      /^COPY INTO "DB"\."S"\."T" FROM @"DB"\."S"\."ST"\/p\/ FILES/,
    );
  });
});
