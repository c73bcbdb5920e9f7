/**
 * The stand-in's DATE_INPUT_FORMAT / TIME_INPUT_FORMAT / TIMESTAMP_INPUT_FORMAT reader, with the format
 * elements of https://docs.snowflake.com/en/sql-reference/date-time-input-output.
 */
import { formatReader } from '../../../../emulators/snowflake/values/input-format';
import { textConverter } from '../../../../emulators/snowflake/values/parse';

describe('format models for input', () => {
  it('reads the fields a format names, and nothing that does not match it', () => {
    expect(formatReader('DD/MM/YYYY')('31/01/2024')).toEqual({
      y: 2024,
      mo: 1,
      d: 31,
      h: 0,
      mi: 0,
      s: 0,
      fraction: '',
    });
    expect(formatReader('DD/MM/YYYY')('2024-01-31')).toBeUndefined();
    expect(formatReader('DD-MON-YYYY HH12:MI:SS.FF3 AM')('05-feb-2024 12:30:15.25 AM')).toMatchObject({
      mo: 2,
      h: 0,
      fraction: '25',
    });
    expect(formatReader('YYYY-MM-DD"T"HH24:MI:SS TZH:TZM')('2024-01-31T13:45:00 -05:30')).toMatchObject({
      h: 13,
      offsetMinutes: -330,
    });
    expect(formatReader('HH12:MI AM')('13:00 PM')).toBeUndefined();
  });

  it('refuses elements it does not read when the format is given', () => {
    expect(() => formatReader('YY-MM-DD')).toThrow("Unsupported feature 'the format element at 'YY-MM-DD'");
  });

  it('turns text into stored values through the session formats, with Snowflake conversion errors', () => {
    const ctx = {
      timezone: 'UTC',
      inputFormats: { date: 'DD.MM.YYYY', time: 'HH12:MI AM', timestamp: 'AUTO' },
    };
    expect(textConverter({ kind: 'DATE' }, ctx)('01.02.1970')).toBe(31);
    expect(() => textConverter({ kind: 'DATE' }, ctx)('31.02.2024')).toThrow(
      "Date '31.02.2024' is not recognized",
    );
    expect(textConverter({ kind: 'TIME', scale: 0 }, ctx)('01:02 PM')).toBe(
      BigInt(13 * 3600 + 120) * 1_000_000_000n,
    );
    expect(textConverter({ kind: 'TIMESTAMP_NTZ', scale: 9 }, ctx)('1970-01-01 00:00:01')).toBe(
      1_000_000_000n,
    );
  });
});
