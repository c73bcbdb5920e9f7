import { mapColumn } from '../../../src/mapping/type-map';
import {
  sameValue,
  sameValueRule,
  sameValueText,
  type SameValueRule,
} from '../../../src/validation/canonical';
import { targetTextExpression } from '../../../src/validation/target-text';
import { column } from '../../support/columns';

describe('sameValueRule: one rule per mapping', () => {
  it.each([
    ['bigint', {}, 'exact-decimal'],
    ['int', {}, 'exact-decimal'],
    ['tinyint', {}, 'exact-decimal'],
    ['decimal', { numericPrecision: 38, numericScale: 10 }, 'exact-decimal'],
    ['money', {}, 'exact-decimal'],
    ['float', {}, 'ieee-double'],
    ['real', {}, 'ieee-double'],
    ['bit', {}, 'boolean'],
    ['nvarchar', { charMaxLength: 10 }, 'text'],
    ['char', { charMaxLength: 3 }, 'text'],
    ['xml', { charMaxLength: -1 }, 'text'],
    ['uniqueidentifier', {}, 'guid-text'],
    ['varbinary', { charMaxLength: -1 }, 'bytes'],
    ['image', { charMaxLength: 2147483647 }, 'bytes'],
    ['date', {}, 'date'],
    ['time', { datetimePrecision: 7 }, 'time'],
    ['datetime', {}, 'timestamp'],
    ['smalldatetime', {}, 'timestamp'],
    ['datetime2', { datetimePrecision: 7 }, 'timestamp'],
    ['datetimeoffset', { datetimePrecision: 7 }, 'timestamp-offset'],
  ] as const)('%s -> %s', (type, extra, rule) => {
    expect(sameValueRule(mapColumn('t', column('c', type, extra)))).toBe(rule);
  });
});

describe('sameValueText', () => {
  const same: [SameValueRule, unknown, unknown][] = [
    ['exact-decimal', '12.50', '12.5'],
    ['exact-decimal', '-0.0000', '0'],
    ['exact-decimal', 42, '42.000'],
    ['exact-decimal', 9223372036854775807n, '9223372036854775807'],
    ['exact-decimal', '99999999999999999999999999999999999999', '99999999999999999999999999999999999999.0'],
    ['ieee-double', -0, '-0'],
    ['ieee-double', 5e-324, '4.9406564584124654E-324'],
    ['ieee-double', 0.1, '0.1'],
    ['ieee-double', 1.7976931348623157e308, '1.7976931348623157e+308'],
    ['boolean', true, 'TRUE'],
    ['boolean', false, 'false'],
    ['text', 'a  ', 'a  '],
    ['text', '', ''],
    ['guid-text', '6f9619ff-8b86-d011-b42d-00c04fc964ff', '6F9619FF-8B86-D011-B42D-00C04FC964FF'],
    ['bytes', Buffer.from([0xab, 0x01]), 'ab01'],
    ['bytes', Buffer.alloc(0), ''],
    ['time', '23:59:59.9999999', '23:59:59.999999900'],
    ['time', '12:00:00.1200000', '12:00:00.12'],
    ['time', '00:00:00', '00:00:00.000000000'],
    ['timestamp', '0001-01-01 00:00:00.0000000', '0001-01-01 00:00:00.000000000'],
    ['timestamp', '2024-02-29 13:14:15.997', '2024-02-29 13:14:15.997000000'],
    ['timestamp-offset', '9999-12-31 23:59:59.9999999 -14:00', '9999-12-31 23:59:59.999999900 -14:00'],
    ['timestamp-offset', '2020-01-01 00:00:00 +00:00', '2020-01-01 00:00:00.000000000 -00:00'],
    ['date', '0001-01-01', '0001-01-01'],
  ];
  it.each(same)('%s: %p is the same value as %p', (rule, a, b) => {
    expect(sameValueText(rule, a)).toBe(sameValueText(rule, b));
    expect(sameValue(rule, a, b)).toBe(true);
  });

  const different: [SameValueRule, unknown, unknown][] = [
    ['exact-decimal', '12.5', '12.50001'],
    ['exact-decimal', '1', '-1'],
    ['ieee-double', -0, 0],
    ['ieee-double', 0.1, Math.fround(0.1)],
    ['ieee-double', 5e-324, 0],
    ['boolean', true, false],
    ['text', 'a ', 'a'],
    ['text', 'A', 'a'],
    ['text', '', null],
    ['text', 'NULL', null],
    ['bytes', Buffer.alloc(0), null],
    ['bytes', Buffer.from([0]), Buffer.alloc(0)],
    ['guid-text', '6F9619FF-8B86-D011-B42D-00C04FC964FF', '6F9619FF-8B86-D011-B42D-00C04FC964FE'],
    ['time', '12:00:00.0000001', '12:00:00'],
    ['timestamp', '2024-01-01 00:00:00.0000001', '2024-01-01 00:00:00'],
    ['timestamp-offset', '2024-01-01 05:30:00 +05:30', '2024-01-01 00:00:00 +00:00'],
    ['date', '2024-01-01', '2024-01-02'],
  ];
  it.each(different)('%s: %p is not the same value as %p', (rule, a, b) => {
    expect(sameValue(rule, a, b)).toBe(false);
  });

  it('gives NULL its own text, and exact canonical texts', () => {
    expect(sameValueText('text', null)).toBe('NULL');
    expect(sameValueText('text', 'NULL')).toBe('"NULL"');
    expect(sameValueText('text', 'a,"b"\r\n')).toBe('"a,\\"b\\"\\r\\n"');
    expect(sameValueText('ieee-double', '-0')).toBe('-0');
    expect(sameValueText('exact-decimal', '-000123.4500')).toBe('-123.45');
    expect(sameValueText('bytes', Buffer.from([0xde, 0xad]))).toBe('DEAD');
    expect(sameValueText('timestamp-offset', '2020-01-01 10:00:00.5 +0530')).toBe(
      '2020-01-01 10:00:00.5 +05:30',
    );
  });

  it('never matches a value it cannot read, and says what arrived', () => {
    expect(sameValueText('ieee-double', 'abc')).toBe('unreadable ieee-double: "abc"');
    expect(sameValueText('ieee-double', '')).toBe('unreadable ieee-double: ""');
    expect(sameValueText('exact-decimal', 0.5)).toBe('unreadable exact-decimal: 0.5');
    expect(sameValueText('time', '25:00')).toBe('unreadable time: "25:00"');
    expect(sameValueText('guid-text', 'not-a-guid')).toBe('unreadable guid-text: "not-a-guid"');
    expect(sameValueText('timestamp-offset', '2020-01-01 10:00:00')).toBe(
      'unreadable timestamp-offset: "2020-01-01 10:00:00"',
    );
    expect(sameValueText('bytes', 'xyz')).toBe('unreadable bytes: "xyz"');
  });
});

describe('targetTextExpression', () => {
  it('reads date and time kinds with every nanosecond digit, others as they are', () => {
    expect(targetTextExpression('timestamp-offset', '"T"')).toBe(
      `TO_VARCHAR("T", 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')`,
    );
    expect(targetTextExpression('timestamp', '"T"')).toBe(`TO_VARCHAR("T", 'YYYY-MM-DD HH24:MI:SS.FF9')`);
    expect(targetTextExpression('time', '"T"')).toBe(`TO_VARCHAR("T", 'HH24:MI:SS.FF9')`);
    expect(targetTextExpression('date', '"T"')).toBe(`TO_VARCHAR("T", 'YYYY-MM-DD')`);
    expect(targetTextExpression('ieee-double', '"T"')).toBe('"T"');
  });
});
