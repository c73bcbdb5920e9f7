import { SqlError } from '../../../../emulators/sqlserver/errors';
import { convert } from '../../../../emulators/sqlserver/types/convert';
import { resolveType, type SqlType } from '../../../../emulators/sqlserver/types/sql-type';
import type { SqlValue } from '../../../../emulators/sqlserver/types/values';

const TEXT: SqlType = { name: 'varchar', length: -1 };
const t = (name: string, ...args: (number | 'max')[]): SqlType => resolveType(name, args, true);
/** CAST(text AS from), then CONVERT(varchar(60), that, style). */
const show = (text: string, from: SqlType, style?: number): SqlValue =>
  convert(convert(text, TEXT, from), from, { name: 'varchar', length: 60 }, style);
const fails = (f: () => unknown): { number: number; message: string } => {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return { number: e.number, message: e.message };
    throw e;
  }
  throw new Error('expected a SqlError');
};

describe('CONVERT styles of date and time types', () => {
  const dt = t('datetime');
  it.each([
    [0, 'Jan  2 2024  3:04AM'],
    [100, 'Jan  2 2024  3:04AM'],
    [1, '01/02/24'],
    [101, '01/02/2024'],
    [103, '02/01/2024'],
    [104, '02.01.2024'],
    [108, '03:04:05'],
    [109, 'Jan  2 2024  3:04:05:007AM'],
    [110, '01-02-2024'],
    [111, '2024/01/02'],
    [112, '20240102'],
    [113, '02 Jan 2024 03:04:05:007'],
    [114, '03:04:05:007'],
    [120, '2024-01-02 03:04:05'],
    [121, '2024-01-02 03:04:05.007'],
    [126, '2024-01-02T03:04:05.007'],
    [23, '2024-01-02'],
  ])('datetime in style %i', (style, expected) => {
    expect(show('2024-01-02 03:04:05.007', dt, style)).toBe(expected);
  });

  it('style 121 prints exactly the scale of datetime2, time and datetimeoffset', () => {
    expect(show('2024-01-02 03:04:05.1234567', t('datetime2', 7), 121)).toBe('2024-01-02 03:04:05.1234567');
    expect(show('2024-01-02 03:04:05.1234567', t('datetime2', 3), 121)).toBe('2024-01-02 03:04:05.123');
    expect(show('2024-01-02 03:04:05.1234567', t('datetime2', 0), 121)).toBe('2024-01-02 03:04:05');
    expect(show('03:04:05.5', t('time', 1), 121)).toBe('03:04:05.5');
    expect(show('2024-01-02 03:04:05.12 +05:45', t('datetimeoffset', 2), 121)).toBe(
      '2024-01-02 03:04:05.12 +05:45',
    );
    expect(show('2024-01-02 03:04:05 -08:00', t('datetimeoffset', 0), 121)).toBe(
      '2024-01-02 03:04:05 -08:00',
    );
  });

  it('CAST uses ODBC canonical text for the new types and style 0 for datetime', () => {
    expect(show('2024-01-02 03:04:05.1234567', t('datetime2', 7))).toBe('2024-01-02 03:04:05.1234567');
    expect(show('03:04:05.1234567', t('time', 7))).toBe('03:04:05.1234567');
    expect(show('2024-01-02', t('date'))).toBe('2024-01-02');
    expect(show('2024-01-02 15:04:05', t('datetime'))).toBe('Jan  2 2024  3:04PM');
    expect(show('2024-01-02 03:04:05.1234567 +05:45', t('datetimeoffset', 7))).toBe(
      '2024-01-02 03:04:05.1234567 +05:45',
    );
  });

  it('style 127 writes datetimeoffset in UTC with Z', () => {
    expect(show('2024-01-02 03:04:05.5 +05:45', t('datetimeoffset', 1), 127)).toBe('2024-01-01T21:19:05.5Z');
  });

  it('rounds datetime to 1/300 s and smalldatetime to the minute', () => {
    const dt121 = (text: string) => show(text, t('datetime'), 121);
    expect(['.001', '.002', '.005', '.009'].map((f) => dt121(`2024-01-01 10:00:00${f}`))).toEqual([
      '2024-01-01 10:00:00.000',
      '2024-01-01 10:00:00.003',
      '2024-01-01 10:00:00.007',
      '2024-01-01 10:00:00.010',
    ]);
    expect(dt121('2024-01-01 23:59:59.999')).toBe('2024-01-02 00:00:00.000');
    expect(show('2024-01-02 03:04:29.998', t('smalldatetime'), 120)).toBe('2024-01-02 03:04:00');
    expect(show('2024-01-02 03:04:29.999', t('smalldatetime'), 120)).toBe('2024-01-02 03:05:00');
  });

  it('refuses what SQL Server refuses', () => {
    expect(fails(() => convert('2024-01-01 10:00:00.1234', TEXT, t('datetime'))).number).toBe(241);
    expect(fails(() => convert('1752-12-31', TEXT, t('datetime'))).number).toBe(242);
    expect(fails(() => convert(0, t('date'), t('time'))).number).toBe(529);
  });
});

describe('numbers to text and back', () => {
  it('decimal prints every scale digit; money styles 0, 1 and 2', () => {
    expect(show('1.5', t('decimal', 10, 4))).toBe('1.5000');
    expect(show('-0.5', t('decimal', 5, 2))).toBe('-0.50');
    expect(show('1234567.8901', t('money'))).toBe('1234567.89');
    expect(show('1234567.8901', t('money'), 1)).toBe('1,234,567.89');
    expect(show('1234567.8901', t('money'), 2)).toBe('1234567.8901');
  });

  it('float text: six significant digits by default, three-digit exponents', () => {
    const f = t('float');
    expect(['0.1', '123456', '1234567', '0.00001', '-2.5'].map((x) => show(x, f))).toEqual([
      '0.1',
      '123456',
      '1.23457e+006',
      '1e-005',
      '-2.5',
    ]);
    expect(show('1234567', f, 1)).toBe('1.2345670e+006');
    expect(show('1234567', f, 2)).toBe('1.234567000000000e+006');
  });

  it('numbers that do not fit the string: * for varchar, error 8115 for nvarchar', () => {
    expect(convert(12345, t('int'), t('varchar', 3))).toBe('*');
    expect(fails(() => convert(12345, t('int'), t('nvarchar', 3)))).toEqual({
      number: 8115,
      message: 'Arithmetic overflow error converting expression to data type nvarchar.',
    });
  });

  it('text to numbers: blanks allowed, rounding half away from zero, errors by number', () => {
    expect(convert(' 42 ', TEXT, t('int'))).toBe(42);
    expect(convert('1.255', TEXT, t('decimal', 5, 2))).toBe(126n);
    expect(convert('-1.255', TEXT, t('decimal', 5, 2))).toBe(-126n);
    expect(convert('$1,234.5', TEXT, t('money'))).toBe(12_345_000n);
    expect(fails(() => convert('4.2', TEXT, t('int')))).toEqual({
      number: 245,
      message: "Conversion failed when converting the varchar value '4.2' to data type int.",
    });
    expect(fails(() => convert('99999999999', TEXT, t('int'))).number).toBe(8115);
    expect(fails(() => convert('1e5', TEXT, t('decimal', 10, 2)))).toEqual({
      number: 8114,
      message: 'Error converting data type varchar to numeric.',
    });
    expect(fails(() => convert('1000', TEXT, t('decimal', 5, 2))).number).toBe(8115);
  });

  it('to integers: decimal and float truncate, money rounds', () => {
    expect(convert(19n, t('decimal', 5, 1), t('int'))).toBe(1);
    expect(convert(-19n, t('decimal', 5, 1), t('int'))).toBe(-1);
    expect(convert(15_000n, t('money'), t('int'))).toBe(2);
    expect(convert(-1.9, t('float'), t('int'))).toBe(-1);
  });

  it('to bit: true/false text and any non-zero number', () => {
    expect(['TRUE', 'false', '2', '0'].map((x) => convert(x, TEXT, t('bit')))).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(fails(() => convert('x', TEXT, t('bit'))).number).toBe(245);
  });
});

describe('binaries, uniqueidentifiers and strings', () => {
  it('binary to text as characters, or as hex with styles 1 and 2, and back', () => {
    const bytes = Buffer.from('414243', 'hex');
    const vb = t('varbinary', 10);
    expect(convert(bytes, vb, t('varchar', 10))).toBe('ABC');
    expect(convert(bytes, vb, t('nvarchar', 20), 1)).toBe('0x414243');
    expect(convert(bytes, vb, t('varchar', 10), 2)).toBe('414243');
    expect(convert('0x0A0b', TEXT, t('varbinary', 4), 1)).toEqual(Buffer.from([10, 11]));
    expect(convert('0A0B', TEXT, t('varbinary', 4), 2)).toEqual(Buffer.from([10, 11]));
    expect(convert(Buffer.from([1]), vb, t('binary', 4))).toEqual(Buffer.from([1, 0, 0, 0]));
  });

  it('uniqueidentifier text is upper case and needs 36 characters', () => {
    const g = convert('6f9619ff-8b86-d011-b42d-00c04fc964ff', TEXT, t('uniqueidentifier'));
    expect(convert(g, t('uniqueidentifier'), t('char', 36))).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(fails(() => convert(g, t('uniqueidentifier'), t('varchar', 10))).number).toBe(8170);
    expect(fails(() => convert('nope', TEXT, t('uniqueidentifier'))).number).toBe(8169);
  });

  it('CAST cuts strings and pads char; varchar keeps code page 1252 only', () => {
    expect(convert('abcdef', TEXT, t('varchar', 3))).toBe('abc');
    expect(convert('ab', TEXT, t('char', 4))).toBe('ab  ');
    expect(convert('Ω€', { name: 'nvarchar', length: -1 }, t('varchar', 10))).toBe('?€');
    expect(convert('x', TEXT, t('varchar'))).toBe('x');
  });
});
