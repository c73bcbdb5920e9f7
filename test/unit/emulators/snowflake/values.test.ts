import fc from 'fast-check';
import {
  daysFromCivil,
  civilFromDays,
  zoneOffsetMinutes,
} from '../../../../emulators/snowflake/values/calendar';
import { convertValue } from '../../../../emulators/snowflake/values/convert';
import { formatDateTime, dateTimeFields, toVarchar } from '../../../../emulators/snowflake/values/format';
import { defaultParameters } from '../../../../emulators/snowflake/engine/parameters';
import {
  codePointLength,
  formatUnscaled,
  packTz,
  parseBinary,
  parseBoolean,
  parseDate,
  parseNumber,
  parseTime,
  parseTimestampText,
  textConverter,
  timestampAs,
  unpackTz,
} from '../../../../emulators/snowflake/values/parse';
import { encoder } from '../../../../emulators/snowflake/results/encode';
import type { SnowflakeType } from '../../../../emulators/snowflake/types';

const utc = { timezone: 'UTC' };
const params = { ...defaultParameters(), TIMEZONE: 'UTC' };

describe('numbers', () => {
  it('keeps 38 digits exactly and rounds half away from zero at the scale', () => {
    expect(formatUnscaled(parseNumber('9999999999999999999999999999.9999999999', 38, 10), 10)).toBe(
      '9999999999999999999999999999.9999999999',
    );
    expect(formatUnscaled(parseNumber('-0.00000000005', 38, 10), 10)).toBe('-0.0000000001');
    expect(formatUnscaled(parseNumber('2.5', 10, 0), 0)).toBe('3');
    expect(formatUnscaled(parseNumber('-2.5', 10, 0), 0)).toBe('-3');
    expect(formatUnscaled(parseNumber('1.5e3', 10, 2), 2)).toBe('1500.00');
    expect(formatUnscaled(parseNumber(' 42 ', 10, 0), 0)).toBe('42');
  });

  it('refuses values beyond the precision (100039) and text that is no number (100038)', () => {
    expect(() => parseNumber('12345678901', 10, 0)).toThrow(
      expect.objectContaining({ code: '100039', sqlState: '22003' }),
    );
    expect(() => parseNumber('99999999999999999999999999999', 38, 10)).toThrow(
      expect.objectContaining({ code: '100039' }),
    );
    expect(() => parseNumber('abc', 10, 0)).toThrow(
      expect.objectContaining({ code: '100038', sqlState: '22018' }),
    );
    expect(() => parseNumber('', 10, 0)).toThrow(expect.objectContaining({ code: '100038' }));
  });
});

describe('booleans, dates, times, binary', () => {
  it('reads the spellings Snowflake accepts', () => {
    expect(['TRUE', 't', 'yes', 'ON', '1'].map(parseBoolean)).toEqual([true, true, true, true, true]);
    expect(['false', 'F', 'no', 'off', '0'].map(parseBoolean)).toEqual([false, false, false, false, false]);
    expect(() => parseBoolean('maybe')).toThrow(expect.objectContaining({ code: '100037' }));
  });

  it('reads dates from year 1 to 9999 in the AUTO formats', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('0001-01-01')).toBe(-719162);
    expect(parseDate('9999-12-31')).toBe(2932896);
    expect(parseDate('01/31/2024')).toBe(parseDate('2024-01-31'));
    expect(parseDate('31-JAN-2024')).toBe(parseDate('2024-01-31'));
    expect(() => parseDate('2023-02-29')).toThrow(expect.objectContaining({ code: '100040' }));
    expect(civilFromDays(daysFromCivil(1600, 2, 29))).toEqual({ year: 1600, month: 2, day: 29 });
  });

  it('keeps times to the column scale', () => {
    expect(parseTime('13:45:00.1234567', 7)).toBe(49_500_123_456_700n);
    expect(parseTime('13:45:00.123456789', 3)).toBe(49_500_123_000_000n);
    expect(() => parseTime('24:00:00', 9)).toThrow(expect.objectContaining({ code: '100108' }));
  });

  it('reads binary in HEX, BASE64 and UTF8', () => {
    expect(Buffer.from(parseBinary('DEADbeef', 'HEX')).toString('hex')).toBe('deadbeef');
    expect(Buffer.from(parseBinary('3q2+7w==', 'BASE64')).toString('hex')).toBe('deadbeef');
    expect(Buffer.from(parseBinary('é', 'UTF8')).toString('hex')).toBe('c3a9');
    expect(() => parseBinary('ABC', 'HEX')).toThrow(expect.objectContaining({ code: '100115' }));
  });

  it('counts characters as code points', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(textConverter({ kind: 'TEXT', length: 3 }, utc)('a😀b')).toBe('a😀b');
    expect(() => textConverter({ kind: 'TEXT', length: 2 }, utc)('a😀b')).toThrow(
      expect.objectContaining({ code: '100078' }),
    );
  });
});

describe('timestamps', () => {
  it('reads the fixed ISO shape by character codes exactly as the general path does (generated texts)', () => {
    const n = (max: number, width: number) =>
      fc.integer({ min: 0, max }).map((v) => String(v).padStart(width, '0'));
    // Mostly well-formed, with out-of-range fields, 0 to 10 fraction digits and offsets past 18:00.
    const text = fc
      .tuple(
        n(9999, 4),
        n(13, 2),
        n(32, 2),
        n(24, 2),
        n(60, 2),
        n(60, 2),
        fc.option(fc.stringMatching(/^\.\d{0,10}$/), { nil: '' }),
        fc.option(
          fc.tuple(fc.constantFrom(' +', ' -', '+', ' '), n(19, 2), fc.constantFrom(':', ''), n(59, 2)),
          { nil: undefined },
        ),
      )
      .map(
        ([y, mo, d, h, mi, s, fraction, zone]) =>
          `${y}-${mo}-${d} ${h}:${mi}:${s}${fraction}${zone ? zone.join('') : ''}`,
      );
    const outcome = (t: string) => {
      try {
        return parseTimestampText(t);
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    fc.assert(
      // A leading space takes the general path (regular expressions) for the same text.
      fc.property(text, (t) => expect(outcome(t)).toEqual(outcome(` ${t}`))),
      { numRuns: 5000, seed: 20261127 },
    );
  });

  it('reads nine fractional digits, offsets and the Z form', () => {
    const p = parseTimestampText('2024-01-31 13:45:00.123456789 +05:45');
    expect(p.offsetMinutes).toBe(345);
    expect(p.wallNs % 1_000_000_000n).toBe(123_456_789n);
    expect(parseTimestampText('2024-01-31T13:45:00Z').offsetMinutes).toBe(0);
    expect(parseTimestampText('2024-01-31 13:45:00+0000').offsetMinutes).toBe(0);
    expect(parseTimestampText('2024-01-31 13:45:00 -08').offsetMinutes).toBe(-480);
    expect(parseTimestampText('2024-01-31').wallNs).toBe(
      BigInt(parseDate('2024-01-31')) * 86_400_000_000_000n,
    );
    expect(parseTimestampText('1706708700').wallNs).toBe(1_706_708_700_000_000_000n);
    expect(parseTimestampText('1706708700123').wallNs).toBe(1_706_708_700_123_000_000n);
    expect(() => parseTimestampText('2024-01-31 25:00:00')).toThrow(
      expect.objectContaining({ code: '100035' }),
    );
  });

  it('stores TZ values as instant and offset, and NTZ as the wall clock', () => {
    const p = parseTimestampText('0001-01-01 00:00:00.000000001 -05:45');
    const tz = timestampAs('TIMESTAMP_TZ', p, 9, 'UTC');
    expect(unpackTz(tz).offsetMinutes).toBe(-345);
    expect(
      formatDateTime(
        dateTimeFields({ kind: 'TIMESTAMP_TZ', scale: 9 }, tz, 'UTC'),
        'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
      ),
    ).toBe('0001-01-01 00:00:00.000000001 -05:45');
    const ntz = timestampAs(
      'TIMESTAMP_NTZ',
      parseTimestampText('9999-12-31 23:59:59.9999999 +05:45'),
      7,
      'UTC',
    );
    expect(
      formatDateTime(
        dateTimeFields({ kind: 'TIMESTAMP_NTZ', scale: 7 }, ntz, 'UTC'),
        'YYYY-MM-DD HH24:MI:SS.FF9',
      ),
    ).toBe('9999-12-31 23:59:59.999999900');
    expect(unpackTz(packTz(-5n, 0))).toEqual({ instantNs: -5n, offsetMinutes: 0 });
  });

  it('puts a timestamp without offset into the session time zone for TZ and LTZ', () => {
    const p = parseTimestampText('2024-07-01 12:00:00');
    expect(zoneOffsetMinutes('America/Los_Angeles', p.wallNs)).toBe(-420);
    expect(unpackTz(timestampAs('TIMESTAMP_TZ', p, 0, 'America/Los_Angeles')).offsetMinutes).toBe(-420);
    const ltz = timestampAs('TIMESTAMP_LTZ', p, 0, 'America/Los_Angeles');
    expect(toVarchar({ kind: 'TIMESTAMP_LTZ', scale: 0 }, ltz, 'YYYY-MM-DD HH24:MI:SS TZH:TZM', params)).toBe(
      '2024-07-01 19:00:00 +00:00',
    );
  });

  it('converts between the timestamp types the way casts do', () => {
    const tz = timestampAs('TIMESTAMP_TZ', parseTimestampText('2024-01-31 13:45:00.5 +05:45'), 9, 'UTC');
    const ctx = { ...utc, params };
    const ntz = convertValue(
      { kind: 'TIMESTAMP_TZ', scale: 9 },
      tz,
      { kind: 'TIMESTAMP_NTZ', scale: 3 },
      ctx,
    );
    expect(toVarchar({ kind: 'TIMESTAMP_NTZ', scale: 3 }, ntz, undefined, params)).toBe(
      '2024-01-31 13:45:00.500',
    );
    const date = convertValue({ kind: 'TIMESTAMP_TZ', scale: 9 }, tz, { kind: 'DATE' }, ctx);
    expect(toVarchar({ kind: 'DATE' }, date, undefined, params)).toBe('2024-01-31');
  });
});

describe('wire encoding for the driver', () => {
  const enc = (type: SnowflakeType, v: bigint | number | boolean | Uint8Array) => encoder(type)(v);

  it('writes fixed-point, boolean, date and binary values as Snowflake does', () => {
    expect(enc({ kind: 'NUMBER', precision: 38, scale: 10 }, -15n)).toBe('-0.0000000015');
    expect(enc({ kind: 'BOOLEAN' }, true)).toBe('1');
    expect(enc({ kind: 'DATE' }, -719162)).toBe('-719162');
    expect(enc({ kind: 'BINARY', length: 8 }, Buffer.from([0xde, 0xad]))).toBe('DEAD');
    expect(encoder({ kind: 'TEXT', length: 1 })(null)).toBeNull();
  });

  it('writes timestamps as seconds with the scale, TZ with offset + 1440', () => {
    expect(enc({ kind: 'TIMESTAMP_NTZ', scale: 1 }, -500_000_000n)).toBe('-0.5');
    expect(enc({ kind: 'TIME', scale: 7 }, 49_500_123_456_700n)).toBe('49500.1234567');
    const tz = timestampAs('TIMESTAMP_TZ', parseTimestampText('1970-01-01 05:45:00.25 +05:45'), 3, 'UTC');
    expect(enc({ kind: 'TIMESTAMP_TZ', scale: 3 }, tz)).toBe('0.250 1785');
  });
});
