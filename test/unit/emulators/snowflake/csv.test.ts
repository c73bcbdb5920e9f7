import {
  CsvReader,
  DEFAULT_CSV_OPTIONS,
  parseCsv,
  type CsvOptions,
} from '../../../../emulators/snowflake/load/csv';
import { fileFormat, parseCopy } from '../../../../emulators/snowflake/load/copy-statement';
import { tokenize } from '../../../../emulators/snowflake/sql/lexer';

/** The product's file format: strings always enclosed, no NULL_IF markers, no escapes outside quotes. */
const product: CsvOptions = {
  ...DEFAULT_CSV_OPTIONS,
  enclosure: '"',
  escapeUnenclosed: undefined,
  nullIf: [],
};
const fields = (text: string, options = product) => [...parseCsv(text, options)].map((r) => r.fields);

describe('CSV records', () => {
  it('tells an empty string ("") from NULL (an empty unenclosed field)', () => {
    expect(fields('1,"",\n')).toEqual([['1', '', null]]);
  });

  it('keeps delimiters, doubled quotes, line breaks and \\N inside enclosed fields', () => {
    expect(fields('"a,b","say ""hi""","two\nlines","\\N","😀"\r\n2,x,y,z,w')).toEqual([
      ['a,b', 'say "hi"', 'two\nlines', '\\N', '😀'],
      ['2', 'x', 'y', 'z', 'w'],
    ]);
  });

  it('applies NULL_IF, the default backslash escape, SKIP_HEADER and EMPTY_FIELD_AS_NULL = FALSE', () => {
    expect(fields('h1,h2\n\\N,a\\,b\n', { ...DEFAULT_CSV_OPTIONS, skipHeader: 1 })).toEqual([[null, 'a,b']]);
    expect(fields(',x\n', { ...product, emptyFieldAsNull: false })).toEqual([['', 'x']]);
  });

  it('locates records and fields for error messages', () => {
    const [, second] = [...parseCsv('1,"a\nb"\n2,zz\n', product)];
    expect(second).toEqual({ fields: ['2', 'zz'], line: 3, positions: [1, 3] });
  });

  it('reads the same records whatever the pieces the text arrives in', () => {
    const text = '1,"a ""b"", c",\r\n2,"two\nlines","😀"\n,"",x\n3,"end"';
    const whole = [...parseCsv(text, product)];
    for (let cut = 0; cut <= text.length; cut++) {
      for (const second of [cut, Math.min(text.length, cut + 3)]) {
        const reader = new CsvReader(product);
        const records = [
          ...reader.feed(text.slice(0, cut), false),
          ...reader.feed(text.slice(cut, second), false),
          ...reader.feed(text.slice(second), true),
        ];
        expect(records).toEqual(whole);
      }
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it('refuses text after a closing quote', () => {
    expect(() => fields('"a"b,c\n')).toThrow(
      expect.objectContaining({ code: '100065', line: 1, character: 4 }),
    );
  });
});

describe('COPY INTO statement', () => {
  it('reads the migrator statement', () => {
    const sql =
      `COPY INTO "STEVE_MCP"."DATA_MIGRATION"."CUSTOMERS__MIGRATING_3f2a" FROM @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/CUSTOMERS/ ` +
      `FILES = ('b000017-a2.csv.gz') FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '"' ` +
      `EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE BINARY_FORMAT = HEX ENCODING = 'UTF8') ON_ERROR = ABORT_STATEMENT PURGE = TRUE`;
    const stmt = parseCopy(tokenize(sql), sql.length);
    expect(stmt.table).toEqual(['STEVE_MCP', 'DATA_MIGRATION', 'CUSTOMERS__MIGRATING_3f2a']);
    expect(stmt.stage).toEqual({
      kind: 'named',
      name: ['STEVE_MCP', 'DATA_MIGRATION', 'MIGRATOR_STAGE'],
      path: 'run-3f2a/CUSTOMERS/',
    });
    expect(stmt.files).toEqual(['b000017-a2.csv.gz']);
    expect(fileFormat(stmt.formatOptions)).toEqual({
      type: 'CSV',
      compression: 'GZIP',
      binaryFormat: 'HEX',
      errorOnColumnCountMismatch: true,
      csv: { ...product, escape: undefined },
    });
    expect([stmt.onError, stmt.purge, stmt.force]).toEqual([{ kind: 'ABORT_STATEMENT' }, true, false]);
  });

  it('reads the other ON_ERROR forms and FORCE', () => {
    const read = (options: string) => parseCopy(tokenize(`COPY INTO t FROM @s ${options}`), 0);
    expect(read(`ON_ERROR = 'SKIP_FILE_10%' FORCE = TRUE`)).toMatchObject({
      onError: { kind: 'SKIP_FILE', limit: 10, percent: true },
      force: true,
    });
    expect(read('ON_ERROR = CONTINUE').onError).toEqual({ kind: 'CONTINUE' });
    expect(() => read('FILE_FORMAT = (TYPE = XML)')).toThrow(expect.objectContaining({ code: '000002' }));
  });
});
