import { defaultParameters } from '../../../../emulators/snowflake/engine/parameters';
import { likePattern } from '../../../../emulators/snowflake/sql/identifiers';
import { tokenize } from '../../../../emulators/snowflake/sql/lexer';
import { parseStageReference } from '../../../../emulators/snowflake/stages';
import { readType, storageType, typeDisplay } from '../../../../emulators/snowflake/types';
import { toVarchar } from '../../../../emulators/snowflake/values/format';
import { parseTimestampText, timestampAs } from '../../../../emulators/snowflake/values/parse';

const type = (text: string) => {
  const parsed = readType(tokenize(text), 0, 'TIMESTAMP_LTZ');
  if (!parsed) throw new Error(`no type in ${text}`);
  return parsed.type;
};

describe('types', () => {
  it('reads the aliases Snowflake accepts, with their defaults', () => {
    expect(['NUMBER', 'DECIMAL(10)', 'INT', 'BIGINT'].map((t) => typeDisplay(type(t)))).toEqual([
      'NUMBER(38,0)',
      'NUMBER(10,0)',
      'NUMBER(38,0)',
      'NUMBER(38,0)',
    ]);
    expect(['STRING', 'CHAR', 'VARCHAR(36)', 'NCHAR VARYING(5)'].map((t) => typeDisplay(type(t)))).toEqual([
      'VARCHAR(16777216)',
      'VARCHAR(1)',
      'VARCHAR(36)',
      'VARCHAR(5)',
    ]);
    expect(
      ['DOUBLE PRECISION', 'BINARY', 'TIME', 'DATETIME', 'TIMESTAMP(3)', 'TIMESTAMP WITH TIME ZONE'].map(
        (t) => typeDisplay(type(t)),
      ),
    ).toEqual([
      'FLOAT',
      'BINARY(8388608)',
      'TIME(9)',
      'TIMESTAMP_NTZ(9)',
      'TIMESTAMP_LTZ(3)',
      'TIMESTAMP_TZ(9)',
    ]);
  });

  it('stores each type in a DuckDB type that keeps its values exactly', () => {
    expect(storageType(type('NUMBER(38,10)'))).toBe('DECIMAL(38,10)');
    expect(storageType(type('TIMESTAMP_TZ(7)'))).toBe('STRUCT(sf_tz_7 HUGEINT)');
    expect(storageType(type('TIME(3)'))).toBe('STRUCT(sf_time_3 BIGINT)');
    expect(storageType(type('VARIANT'))).toBe('STRUCT(sf_variant VARCHAR)');
    expect(storageType(type('GEOGRAPHY'))).toBe('STRUCT(sf_geography VARCHAR)');
    expect(storageType(type('GEOMETRY'))).toBe('STRUCT(sf_geometry VARCHAR)');
  });

  it('refuses types beyond Snowflake limits and types it does not have', () => {
    expect(() => type('NUMBER(39,0)')).toThrow(expect.objectContaining({ code: '000002' }));
    expect(() => type('VARCHAR(16777217)')).toThrow(expect.objectContaining({ code: '000002' }));
    expect(() => type('GEOMETRY(3857)')).toThrow(expect.objectContaining({ code: '000002' }));
    expect(() => type('VECTOR(FLOAT, 3)')).toThrow(expect.objectContaining({ code: '000002' }));
  });
});

describe('stage references and LIKE', () => {
  it('reads named, table and user stages with quoted parts and paths', () => {
    expect(parseStageReference('@"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/CUSTOMERS/')).toEqual(
      {
        kind: 'named',
        name: ['STEVE_MCP', 'DATA_MIGRATION', 'MIGRATOR_STAGE'],
        path: 'run-3f2a/CUSTOMERS/',
      },
    );
    expect(parseStageReference('@"my/stage"/a/./b')).toEqual({
      kind: 'named',
      name: ['my/stage'],
      path: 'a/b',
    });
    expect(parseStageReference('@%orders')).toEqual({ kind: 'table', name: ['ORDERS'], path: '' });
    expect(parseStageReference('@~/x/')).toEqual({ kind: 'user', path: 'x/' });
    expect(() => parseStageReference('@s/../etc')).toThrow(expect.objectContaining({ code: '000002' }));
  });

  it('matches SHOW ... LIKE patterns case-insensitively', () => {
    expect(likePattern('CUSTOMERS%', true).test('customers__migrating_3f2a')).toBe(true);
    expect(likePattern('A\\_B', true).test('AXB')).toBe(false);
    expect(likePattern('A_B', true).test('AXB')).toBe(true);
  });
});

describe('format models', () => {
  const params = { ...defaultParameters(), TIMEZONE: 'UTC' };
  const tz = timestampAs(
    'TIMESTAMP_TZ',
    parseTimestampText('2024-03-05 07:08:09.123456789 -03:30'),
    9,
    'UTC',
  );

  it('writes each element as Snowflake does', () => {
    const out = (model: string) => toVarchar({ kind: 'TIMESTAMP_TZ', scale: 9 }, tz, model, params);
    expect(out('YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')).toBe('2024-03-05 07:08:09.123456789 -03:30');
    expect(out('DY, DD MON YY HH12 AM "at" FF3 TZHTZM')).toBe('Tue, 05 Mar 24 07 AM at 123 -0330');
    expect(out('MMMM FF')).toBe('March 123456789');
  });

  it('uses the session output formats when no model is given', () => {
    expect(toVarchar({ kind: 'TIMESTAMP_TZ', scale: 9 }, tz, undefined, params)).toBe(
      '2024-03-05 07:08:09.123 -0330',
    );
    const custom = { ...params, TIMESTAMP_TZ_OUTPUT_FORMAT: 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM' };
    expect(toVarchar({ kind: 'TIMESTAMP_TZ', scale: 9 }, tz, 'AUTO', custom)).toBe(
      '2024-03-05T07:08:09.123456789-03:30',
    );
  });
});
