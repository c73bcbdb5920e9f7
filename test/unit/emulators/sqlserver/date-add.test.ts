/**
 * DATEADD as https://learn.microsoft.com/en-us/sql/t-sql/functions/dateadd-transact-sql documents it: the
 * page's own examples where it has them.
 */
import { convert } from '../../../../emulators/sqlserver/types/convert';
import { dateAdd, datePart } from '../../../../emulators/sqlserver/types/date-add';
import type { SqlType } from '../../../../emulators/sqlserver/types/sql-type';

const TEXT: SqlType = { name: 'nvarchar', length: 100 };
const VARCHAR: SqlType = { name: 'varchar', length: 30 };

/** DATEADD(part, n, CAST(text AS type)) as CONVERT(nvarchar, result, 121) shows it. */
function add(part: string, n: number, text: string, type: SqlType = VARCHAR): string {
  const value = type === VARCHAR ? text : convert(text, VARCHAR, type);
  const result = dateAdd(datePart(part, 'dateadd'), n, value, type);
  const resultType = type === VARCHAR ? ({ name: 'datetime' } as SqlType) : type;
  return convert(result, resultType, TEXT, 121) as string;
}

const failure = (f: () => unknown): [number, string] => {
  try {
    f();
  } catch (e) {
    const error = e as { number: number; message: string };
    return [error.number, error.message];
  }
  throw new Error('no error');
};

describe('DATEADD', () => {
  it('adds months keeping the day, or the last day of a shorter month (the page: 2006-08-31 + 1 month)', () => {
    expect(add('month', 1, '20060831')).toBe('2006-09-30 00:00:00.000');
    expect(add('mm', 1, '20060831')).toBe('2006-09-30 00:00:00.000');
    expect(add('year', -18, '2024-02-29', { name: 'date' })).toBe('2006-02-28');
    expect(add('quarter', 1, '2024-11-30 10:00:00', { name: 'datetime2', scale: 7 })).toBe(
      '2025-02-28 10:00:00.0000000',
    );
  });

  it('adds days, weeks and time parts; a string literal is a datetime', () => {
    expect(add('day', 1, '2024-12-31 23:59:59.997')).toBe('2025-01-01 23:59:59.997');
    expect(add('dy', 366, '2024-01-01', { name: 'date' })).toBe('2025-01-01');
    expect(add('wk', -2, '2024-01-01', { name: 'date' })).toBe('2023-12-18');
    expect(add('hour', 25, '2024-01-01 00:30:00', { name: 'smalldatetime' })).toBe('2024-01-02 01:30:00.000');
    expect(add('mi', -31, '2024-01-01 00:30:00')).toBe('2023-12-31 23:59:00.000');
    expect(add('ms', 2, '2024-01-01 00:00:00.000')).toBe('2024-01-01 00:00:00.003');
    expect(add('mcs', 5, '2024-01-01 00:00:00', { name: 'datetime2', scale: 7 })).toBe(
      '2024-01-01 00:00:00.0000050',
    );
  });

  it('counts nanoseconds in 100 ns steps: 49 rounds down, 50 up', () => {
    const type: SqlType = { name: 'datetime2', scale: 7 };
    expect(add('ns', 49, '2024-01-01 00:00:00.1234567', type)).toBe('2024-01-01 00:00:00.1234567');
    expect(add('ns', 50, '2024-01-01 00:00:00.1234567', type)).toBe('2024-01-01 00:00:00.1234568');
  });

  it('keeps a datetimeoffset offset', () => {
    expect(add('hour', 2, '2024-01-01 23:00:00 +05:30', { name: 'datetimeoffset', scale: 0 })).toBe(
      '2024-01-02 01:00:00 +05:30',
    );
  });

  it("refuses what the page refuses, with SQL Server's errors", () => {
    // The page's example: SELECT DATEADD(year, 2147483647, '20060731').
    expect(failure(() => add('year', 2_147_483_647, '20060731'))).toEqual([
      517,
      "Adding a value to a 'datetime' column caused an overflow.",
    ]);
    expect(failure(() => add('mcs', 1, '2024-01-01'))).toEqual([
      9810,
      'The datepart microsecond is not supported by date function dateadd for data type datetime.',
    ]);
    expect(failure(() => add('hour', 1, '2024-01-01', { name: 'date' }))).toEqual([
      9810,
      'The datepart hour is not supported by date function dateadd for data type date.',
    ]);
    expect(failure(() => datePart('fortnight', 'dateadd'))).toEqual([
      155,
      "'fortnight' is not a recognized dateadd option.",
    ]);
  });
});
