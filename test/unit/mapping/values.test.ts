import { MigrationError } from '../../../src/contracts/errors';
import { mapColumn } from '../../../src/mapping/type-map';
import { bindRowFormatter, csvRowFormatter, formatMigratedAt } from '../../../src/mapping/values';
import { column } from '../../support/columns';

const columns = [
  mapColumn('dbo.t', column('id', 'bigint', { nullable: false })),
  mapColumn('dbo.t', column('name', 'nvarchar', { charMaxLength: -1 })),
  mapColumn('dbo.t', column('price', 'decimal', { numericPrecision: 38, numericScale: 10 })),
  mapColumn('dbo.t', column('ok', 'bit')),
  mapColumn('dbo.t', column('f', 'float')),
  mapColumn('dbo.t', column('bin', 'varbinary', { charMaxLength: -1 })),
  mapColumn('dbo.t', column('at', 'datetimeoffset', { datetimePrecision: 7 })),
];
const description = { tableName: 'dbo.t', columns, keyPositions: [0] };
const extra = ['TRUE', '2026-11-24 10:00:00.123 +00:00', '7'];

describe('csvRowFormatter', () => {
  const format = csvRowFormatter(description, extra);

  it('quotes character data always, leaves NULL empty and everything else bare', () => {
    const line = format([
      '9223372036854775807',
      'say "hi",\nthen \\N 😀',
      '-12345678901234567890123456.1234567890',
      true,
      0.1,
      Buffer.from([0, 255, 16]),
      '2024-01-31 13:45:00.1234567 +05:45',
    ]);
    expect(line).toBe(
      '9223372036854775807,"say ""hi"",\nthen \\N 😀",-12345678901234567890123456.1234567890,TRUE,0.1,00FF10,' +
        '2024-01-31 13:45:00.1234567 +05:45,TRUE,2026-11-24 10:00:00.123 +00:00,7\n',
    );
  });

  it('tells an empty string ("") from NULL (empty field)', () => {
    expect(format(['1', '', null, false, null, null, null])).toBe(
      '1,"",,FALSE,,,,TRUE,2026-11-24 10:00:00.123 +00:00,7\n',
    );
  });

  it('writes an empty binary value as "" so that COPY does not load it as NULL', () => {
    expect(format(['1', null, null, null, null, Buffer.alloc(0), null])).toBe(
      '1,,,,,"",,TRUE,2026-11-24 10:00:00.123 +00:00,7\n',
    );
  });

  it('keeps the sign of a float -0 (String(-0) is "0")', () => {
    expect(format(['1', null, null, null, -0, null, null]).split(',')[4]).toBe('-0');
    expect(format(['1', null, null, null, 0, null, null]).split(',')[4]).toBe('0');
  });

  it('writes doubles in their shortest exact form', () => {
    const line = format(['1', null, null, null, 1.7976931348623157e308, null, null]);
    expect(line.split(',')[4]).toBe('1.7976931348623157e+308');
    expect(Number('1.7976931348623157e+308')).toBe(Number.MAX_VALUE);
  });

  it('refuses a value longer than Snowflake holds instead of cutting it, naming the row', () => {
    const huge = 'é'.repeat(8_388_609); // 16,777,218 UTF-8 bytes
    let error: unknown;
    try {
      format(['42', huge, null, null, null, null, null]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).type).toBe('ValueTooLong');
    expect((error as Error).message).toBe(
      'dbo.t.name in the row with key (id=42) holds 16,777,218 bytes; Snowflake VARCHAR holds at most 16,777,216 bytes. ' +
        'The value was not cut: shorten or exclude the column (excludeColumns), then run again.',
    );
    expect(() => format(['1', null, null, null, null, Buffer.alloc(8_388_609), null])).toThrow(
      /BINARY holds at most 8,388,608 bytes/,
    );
  });
});

describe('lone UTF-16 surrogates', () => {
  const surrogateError = (row: unknown[], format: (row: unknown[]) => unknown): MigrationError => {
    try {
      format(row);
    } catch (err) {
      return err as MigrationError;
    }
    throw new Error('expected the row to be refused');
  };

  it.each([
    ['a lone high surrogate', 'ab\uD800c', '\\uD800 at character 3'],
    ['a lone low surrogate', '\uDC00', '\\uDC00 at character 1'],
    ['a high surrogate at the end', 'x\uD83D', '\\uD83D at character 2'],
    ['two high surrogates before a low one', '\uD83D\uD83D\uDE00', '\\uD83D at character 1'],
  ])('%s fails the table, naming key, column and where, by COPY and by INSERT', (_, text, where) => {
    for (const format of [csvRowFormatter(description, extra), bindRowFormatter(description, extra)]) {
      const error = surrogateError(['7', text, null, null, null, null, null], format);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.type).toBe('SourceValueNotUnicode');
      expect(error.message).toBe(
        `dbo.t.name in the row with key (id=7) holds a lone UTF-16 surrogate (${where}), which UTF-8 cannot carry: ` +
          'Snowflake would get U+FFFD instead of it. Nothing was replaced: correct the value in the source or exclude the column (excludeColumns), then run again.',
      );
    }
  });

  it('keeps surrogate pairs (characters beyond the BMP) as they are', () => {
    expect(bindRowFormatter(description, [])(['1', 'a😀\u{10FFFF}', null, null, null, null, null])[1]).toBe(
      'a😀\u{10FFFF}',
    );
  });

  it('writes a lone surrogate in a text key as its escape', () => {
    const keyed = { tableName: 'dbo.k', columns: [columns[1]!, columns[1]!], keyPositions: [0] };
    expect(surrogateError(['k\uDFFF', 'v\uDFFF'], csvRowFormatter(keyed, [])).message).toMatch(
      /^dbo\.k\.name in the row with key \(name=k\\uDFFF\) holds/,
    );
  });
});

describe('bindRowFormatter', () => {
  it('gives text or null per column, then the extra columns', () => {
    const bind = bindRowFormatter(description, extra);
    expect(bind(['5', '', null, true, 2.5, Buffer.from('AB'), null])).toEqual([
      '5',
      '',
      null,
      'TRUE',
      '2.5',
      '4142',
      null,
      ...extra,
    ]);
  });

  it('binds an empty binary as "" (not NULL) and a float -0 as "-0"', () => {
    const bind = bindRowFormatter(description, []);
    expect(bind(['5', null, null, null, -0, Buffer.alloc(0), null])).toEqual([
      '5',
      null,
      null,
      null,
      '-0',
      '',
      null,
    ]);
  });
});

describe('formatMigratedAt', () => {
  it('is UTC with an explicit offset', () => {
    expect(formatMigratedAt(new Date(Date.UTC(2026, 10, 24, 9, 8, 7, 6)))).toBe(
      '2026-11-24 09:08:07.006 +00:00',
    );
  });
});
