import {
  civilFromDays,
  daysFromCivil,
  parseDateTimeText,
  roundTicks,
  ticksToDatetimeUnits,
} from '../../../../emulators/sqlserver/types/datetime';
import {
  formatScaled,
  numberToScaled,
  parseDecimalText,
  rescale,
} from '../../../../emulators/sqlserver/types/decimal';

describe('calendar', () => {
  it('counts days from 0001-01-01 to 9999-12-31 both ways', () => {
    expect(daysFromCivil(1, 1, 1)).toBe(0);
    expect(daysFromCivil(1900, 1, 1)).toBe(693_595);
    expect(daysFromCivil(9999, 12, 31)).toBe(3_652_058);
    for (const day of [0, 59, 60, 693_595, 738_945, 3_652_058]) {
      const [y, m, d] = civilFromDays(day);
      expect(daysFromCivil(y, m, d)).toBe(day);
    }
    expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual([2024, 2, 29]);
  });

  it('reads the date/time forms SQL Server reads', () => {
    expect(parseDateTimeText('2024-01-02 03:04:05.1234567')).toMatchObject({
      days: daysFromCivil(2024, 1, 2),
      ticks: 110_451_234_567,
    });
    expect(parseDateTimeText('2024-01-02T03:04:05Z')).toMatchObject({ offset: 0 });
    expect(parseDateTimeText('2024-01-02 03:04:05 +05:45')).toMatchObject({ offset: 345 });
    expect(parseDateTimeText('2024-01-02 03:04:05.12 -08:00')).toMatchObject({
      offset: -480,
      fractionDigits: 2,
    });
    expect(parseDateTimeText('20240102')).toMatchObject({ days: daysFromCivil(2024, 1, 2), ticks: 0 });
    expect(parseDateTimeText('01/02/2024 3:04 PM')).toMatchObject({
      days: daysFromCivil(2024, 1, 2),
      ticks: 15 * 36_000_000_000 + 4 * 600_000_000,
    });
    expect(parseDateTimeText('Jan  2 2024 12:00AM')).toMatchObject({
      days: daysFromCivil(2024, 1, 2),
      ticks: 0,
    });
    expect(parseDateTimeText('2023-02-29')).toBeUndefined();
    expect(parseDateTimeText('2024-01-02 25:00')).toBeUndefined();
  });

  it('rounds like SQL Server: datetime to 1/300 s, datetime2 half up', () => {
    const ms = (n: number): number => n * 10_000;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ticksToDatetimeUnits(ms(n)))).toEqual([
      0, 0, 1, 1, 1, 2, 2, 2, 2, 3,
    ]);
    expect(roundTicks(5, 6)).toBe(10);
    expect(roundTicks(4, 6)).toBe(0);
    expect(roundTicks(5_000_000, 0)).toBe(10_000_000);
  });
});

describe('decimals as scaled integers', () => {
  it('rescale rounding half away from zero', () => {
    expect(rescale(125n, 2, 1)).toBe(13n);
    expect(rescale(-125n, 2, 1)).toBe(-13n);
    expect(rescale(124n, 2, 1)).toBe(12n);
    expect(rescale(12n, 1, 4)).toBe(12000n);
  });

  it('print every digit of the scale', () => {
    expect(formatScaled(-50n, 2)).toBe('-0.50');
    expect(formatScaled(123400n, 4)).toBe('12.3400');
    expect(formatScaled(-99999999999999999999999999999999999999n, 10)).toBe(
      '-9999999999999999999999999999.9999999999',
    );
  });

  it('read decimal text exactly and doubles through 17 digits', () => {
    expect(parseDecimalText(' -12.3400 ')).toEqual({ value: -123400n, scale: 4 });
    expect(parseDecimalText('$1,234.5', true)).toEqual({ value: 12345n, scale: 1 });
    expect(parseDecimalText('1e5')).toBeUndefined();
    expect(numberToScaled(0.1, 4)).toBe(1000n);
    expect(numberToScaled(-2.5, 0)).toBe(-3n);
  });
});
