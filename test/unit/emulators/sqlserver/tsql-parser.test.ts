import { SqlError } from '../../../../emulators/sqlserver/errors';
import { splitBatches, tokenize } from '../../../../emulators/sqlserver/tsql/lexer';
import { numberLiteral, parseBatch, parseObjectName } from '../../../../emulators/sqlserver/tsql/parser';
import type { Select } from '../../../../emulators/sqlserver/tsql/ast';

const error = (source: string): { number: number; message: string } => {
  try {
    parseBatch(source);
  } catch (e) {
    if (e instanceof SqlError) return { number: e.number, message: e.message };
    throw e;
  }
  throw new Error('expected a syntax error');
};

describe('T-SQL lexer', () => {
  it('reads bracketed, quoted and unicode identifiers with their escapes', () => {
    const tokens = tokenize('[order lines] "say ""hi""" [a]]b] Straße [select]').filter(
      (t) => t.kind !== 'eof',
    );
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['quoted', 'order lines'],
      ['quoted', 'say "hi"'],
      ['quoted', 'a]b'],
      ['word', 'Straße'],
      ['quoted', 'select'],
    ]);
  });

  it('reads strings, N-strings, binaries, variables and skips comments', () => {
    const tokens = tokenize(
      "N'it''s' 'x' 0xDEAD @k0 @@VERSION -- gone\n/* a /* nested */ comment */ $1.5",
    ).filter((t) => t.kind !== 'eof');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['nstring', "it's"],
      ['string', 'x'],
      ['binary', 'DEAD'],
      ['variable', '@k0'],
      ['global', '@@VERSION'],
      ['money', '1.5'],
    ]);
  });

  it('splits scripts at GO lines, with repeat counts', () => {
    expect(splitBatches('SELECT 1\nGO\nSELECT 2\n  go  \n\nGO 2\nSELECT 3')).toEqual([
      'SELECT 1',
      'SELECT 2',
      'SELECT 3',
    ]);
    expect(splitBatches('SELECT 1\ngo 2\n')).toEqual(['SELECT 1', 'SELECT 1']);
  });
});

describe('T-SQL parser', () => {
  it('types numeric literals as SQL Server does', () => {
    expect(numberLiteral('42')).toEqual({ type: { name: 'int' }, value: 42 });
    expect(numberLiteral('3000000000')).toEqual({
      type: { name: 'numeric', precision: 10, scale: 0 },
      value: 3000000000n,
    });
    expect(numberLiteral('12.345')).toEqual({
      type: { name: 'numeric', precision: 5, scale: 3 },
      value: 12345n,
    });
    expect(numberLiteral('0.05')).toEqual({ type: { name: 'numeric', precision: 2, scale: 2 }, value: 5n });
    expect(numberLiteral('1e3')).toEqual({ type: { name: 'float' }, value: 1000 });
  });

  it('parses the migrator’s boundary query', () => {
    const [s] = parseBatch(
      'SELECT CAST([id] AS nvarchar(4000)) AS [k0] FROM [dbo].[orders] WHERE ([id] > CAST(@l0 AS int)) ' +
        'ORDER BY [id] OFFSET @skip ROWS FETCH NEXT 1 ROWS ONLY',
    ) as unknown as [Select & { text: string }];
    expect(s.kind).toBe('select');
    expect(s.from!.table.name.parts).toEqual(['dbo', 'orders']);
    expect(s.items).toMatchObject([
      { kind: 'expr', alias: 'k0', expr: { kind: 'cast', type: { name: 'nvarchar', length: 4000 } } },
    ]);
    expect(s.offset).toEqual({ kind: 'variable', name: '@skip' });
    expect(s.fetch).toMatchObject({ kind: 'literal', value: { value: 1 } });
  });

  it('keeps each statement’s text and line, and reads reserved words after a dot as names', () => {
    const statements = parseBatch('SET NOCOUNT ON;\nSELECT c.precision, c.[key] FROM sys.columns AS c');
    expect(statements.map((s) => [s.kind, s.line])).toEqual([
      ['setFlags', 1],
      ['select', 2],
    ]);
    expect(statements[1]!.text).toBe('SELECT c.precision, c.[key] FROM sys.columns AS c');
  });

  it('reads SET options: lists (STATISTICS continues one), values, and names SQL Server does not have (195)', () => {
    const statements = parseBatch(
      "SET STATISTICS IO, TIME OFF; SET ANSI_NULLS, ANSI_DEFAULTS ON; SET LOCK_TIMEOUT -1; SET LANGUAGE N'English'; SET DEADLOCK_PRIORITY LOW",
    );
    expect(statements).toMatchObject([
      { kind: 'setFlags', names: ['statistics io', 'statistics time'], on: false },
      { kind: 'setFlags', names: ['ansi_nulls', 'ansi_defaults'], on: true },
      { kind: 'setSessionOption', option: 'lock_timeout', value: { kind: 'negate' } },
      { kind: 'setSessionOption', option: 'language', value: 'English' },
      { kind: 'setSessionOption', option: 'deadlock_priority', value: 'LOW' },
    ]);
    expect(() => parseBatch('SET ANSI_NULLS, TIME ON')).toThrow("'TIME' is not a recognized SET option.");
    expect(() => parseBatch('SET CONTEXT_INFO 0x01')).toThrow(/does not support SET CONTEXT_INFO/);
  });

  it('reads table definitions with identity, defaults and named keys', () => {
    const [s] = parseBatch(
      "CREATE TABLE sales.[order lines] (id bigint IDENTITY(100, 5) NOT NULL, sku nvarchar(40) NOT NULL DEFAULT N'x', " +
        'CONSTRAINT pk PRIMARY KEY CLUSTERED (id, sku), CONSTRAINT fk FOREIGN KEY (id) REFERENCES dbo.orders (id))',
    );
    expect(s).toMatchObject({
      kind: 'createTable',
      name: { parts: ['sales', 'order lines'] },
      columns: [
        { name: 'id', type: { name: 'bigint' }, identity: { seed: 100n, increment: 5n }, nullable: false },
        { name: 'sku', type: { name: 'nvarchar', length: 40 }, default: { text: "N'x'" } },
      ],
      constraints: [
        { kind: 'primaryKey', name: 'pk', columns: ['id', 'sku'] },
        {
          kind: 'foreignKey',
          name: 'fk',
          columns: ['id'],
          references: { table: { parts: ['dbo', 'orders'] }, columns: ['id'] },
        },
      ],
    });
  });

  it('reads names as the product writes them', () => {
    expect(parseObjectName('[shop].[dbo].[order]]s]').parts).toEqual(['shop', 'dbo', 'order]s']);
    expect(parseObjectName('shop..orders').parts).toEqual(['shop', '', 'orders']);
  });

  it('reports SQL Server’s syntax errors', () => {
    expect(error('SELECT * FROM')).toEqual({ number: 102, message: "Incorrect syntax near 'FROM'." });
    expect(error('SELECT * FROM t WHERE ORDER BY x')).toEqual({
      number: 156,
      message: "Incorrect syntax near the keyword 'ORDER'.",
    });
    expect(error('SELECT (1')).toEqual({ number: 102, message: "Incorrect syntax near '1'." });
    expect(error('sp_nope')).toEqual({ number: 2812, message: "Could not find stored procedure 'sp_nope'." });
    expect(error('sp_who')).toEqual({
      number: 50000,
      message: 'The SQL Server stand-in does not support the system procedure sp_who.',
    });
    expect(error("SELECT 'open")).toEqual({
      number: 105,
      message: "Unclosed quotation mark after the character string 'open'.",
    });
  });

  it('says plainly what it does not support', () => {
    expect(error('WITH x AS (SELECT 1 AS a) SELECT a FROM x')).toEqual({
      number: 50000,
      message: 'The SQL Server stand-in does not support common table expressions (WITH).',
    });
    expect(error('SELECT a FROM t UNION SELECT a FROM u').message).toBe(
      'The SQL Server stand-in does not support UNION.',
    );
  });
});
