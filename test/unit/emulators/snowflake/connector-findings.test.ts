/** Pure pieces behind what snowflake-connector-nodejs' suite found: stage names, timestamps, JSON, statements. */
import { splitStatements } from '../../../../emulators/snowflake/engine/engine';
import { parseStageReference } from '../../../../emulators/snowflake/stages';
import { canonicalJson } from '../../../../emulators/snowflake/values/json-text';
import { parseTimestampText } from '../../../../emulators/snowflake/values/parse';

describe('qualified table stages', () => {
  it('reads @db.sch.%t as the stage of db.sch.t', () => {
    expect(parseStageReference('@TESTDB.PUBLIC.%TEMP_TABLE/a/b.csv')).toEqual({
      kind: 'table',
      name: ['TESTDB', 'PUBLIC', 'TEMP_TABLE'],
      path: 'a/b.csv',
    });
    expect(parseStageReference('@"db".%T')).toEqual({ kind: 'table', name: ['db', 'T'], path: '' });
    expect(parseStageReference('@DB.SCH.STAGE/%x')).toEqual({
      kind: 'named',
      name: ['DB', 'SCH', 'STAGE'],
      path: '%x',
    });
  });
});

describe('RFC 2822 timestamps', () => {
  it('reads the day name, month name, 12-hour clock and offset', () => {
    const at = parseTimestampText('Thu, 21 Jan 2016 06:32:44 -0800');
    expect(at).toEqual(parseTimestampText('2016-01-21 06:32:44 -08:00'));
    expect(parseTimestampText('Thu, 21 Jan 2016 06:32:44.5 PM +0200')).toEqual(
      parseTimestampText('2016-01-21 18:32:44.5 +02:00'),
    );
    expect(() => parseTimestampText('Thu, 21 Foo 2016 06:32:44 -0800')).toThrow(/not recognized/);
  });
});

describe('PARSE_JSON text', () => {
  it('accepts keys without quotes and the non-JSON numbers, and writes one canonical form', () => {
    expect(canonicalJson('{a : 1 , b :[1 , 2 , -Infinity, undefined, NaN], "c" : {a : "x"}}')).toBe(
      '{"a":1,"b":[1,2,-Infinity,undefined,NaN],"c":{"a":"x"}}',
    );
    expect(canonicalJson(' {"a": 1, "a": 2} ')).toBe('{"a":2}');
    expect(() => canonicalJson('{a 1}')).toThrow(/Expected ':'/);
    expect(() => canonicalJson('[1, foo]')).toThrow(/Unexpected token/);
  });
});

describe('multi-statement requests', () => {
  it('splits on top-level semicolons and counts each statement binds', () => {
    expect(splitStatements("select ?; select ?, ';' ; select 1;")).toEqual([
      { sql: 'select ?', binds: 1 },
      { sql: "select ?, ';'", binds: 1 },
      { sql: 'select 1', binds: 0 },
    ]);
    expect(splitStatements('PUT file:///tmp/a;b @~')).toHaveLength(1);
  });
});
