/** BULK INSERT's reading of a character data file: terminators as written, fields, NULLs, hex, code pages. */
import { dataFileRows, terminatorPattern } from '../../../../emulators/sqlserver/engine/data-file';
import type { DataFileOptions } from '../../../../emulators/sqlserver/tsql/ast';

const options = (o: Partial<DataFileOptions> = {}): DataFileOptions => ({
  keepNulls: false,
  keepIdentity: false,
  checkConstraints: false,
  wide: false,
  codepage: '65001',
  fieldTerminator: '\\t',
  rowTerminator: '\\n',
  firstRow: 1,
  ...o,
});

const columns = [
  { name: 'id', type: { name: 'int' as const } },
  { name: 'note', type: { name: 'nvarchar' as const, length: 100 } },
  { name: 'photo', type: { name: 'varbinary' as const, length: -1 } },
];

describe('terminatorPattern', () => {
  it.each([
    ['\\t', '\t', true],
    ['0x0a', '\n', true],
    ['0x0a', '\r\n', false],
    ['+|', '+|', true],
    ['&|\\n', '&|\n', true],
    ['&|\\n', '&|\r\n', true],
    ['\\n', '\r\n', true],
    ['\\r', '\n', false],
  ])('%s matches %j: %s', (written, text, matches) => {
    expect(new RegExp(`^${terminatorPattern(written)}$`).test(text)).toBe(matches);
  });
});

describe('dataFileRows', () => {
  it('reads fields up to the field terminator and the last one up to the row terminator', () => {
    const file = Buffer.from('1\tfirst\nline\t4749\n2\t\t\n', 'utf8');
    const { types, rows } = dataFileRows(file, columns, options({ rowTerminator: '0x0a' }));
    expect(types.map((t) => t.name)).toEqual(['nvarchar', 'nvarchar', 'varbinary']);
    // The LF inside the second field is data: only the last field ends at the row terminator.
    expect(rows).toEqual([
      ['1', 'first\nline', Buffer.from('GI')],
      ['2', null, null],
    ]);
  });

  it('decodes UTF-8 under CODEPAGE 65001 and UTF-16LE for widechar files, FIRSTROW skipping rows', () => {
    const text = 'id\tnote\tphoto\r\n7\tCafé ☕\t\r\n';
    expect(dataFileRows(Buffer.from(text, 'utf8'), columns, options({ firstRow: 2 })).rows).toEqual([
      ['7', 'Café ☕', null],
    ]);
    const wide = Buffer.from(`\uFEFF${text}`, 'utf16le');
    expect(
      dataFileRows(wide, columns, options({ wide: true, codepage: undefined, firstRow: 2 })).rows,
    ).toEqual([['7', 'Café ☕', null]]);
  });

  it('refuses a file beyond ASCII under a code page it does not read, and a row that ends early with 4832', () => {
    expect(() =>
      dataFileRows(Buffer.from('1\té\t\n', 'utf8'), columns, options({ codepage: 'ACP' })),
    ).toThrow(
      "The SQL Server stand-in does not support CODEPAGE = 'ACP' for a file with characters beyond ASCII.",
    );
    expect(() => dataFileRows(Buffer.from('1\tshort\n', 'utf8'), columns, options())).toThrow(
      'Bulk load: An unexpected end of file was encountered in the data file. (row 1, column 2 (note))',
    );
  });
});
