import { tokenize } from '../../../../emulators/snowflake/sql/lexer';
import { Translator, type Relation, type TranslateEnv } from '../../../../emulators/snowflake/sql/translate';

const tables: Record<string, Relation> = {
  'STEVE_MCP.DATA_MIGRATION.T': {
    sql: 'sf_data.t_1',
    columns: [{ name: 'ID' }, { name: 'A' }, { name: 'B' }, { name: 'Straße' }],
  },
  'STEVE_MCP.DATA_MIGRATION.S': {
    sql: 'sf_data.t_2',
    columns: [{ name: 'ID' }, { name: 'A' }, { name: 'B' }],
  },
  'STEVE_MCP.DATA_MIGRATION.lower': { sql: 'sf_data.t_3', columns: [{ name: 'id' }] },
  'STEVE_MCP.DATA_MIGRATION.TYPED': {
    sql: 'sf_data.t_4',
    columns: [
      { name: 'N', type: { kind: 'NUMBER', precision: 10, scale: 4 } },
      { name: 'B', type: { kind: 'BOOLEAN' } },
      { name: 'F', type: { kind: 'FLOAT' } },
      { name: 'TS', type: { kind: 'TIMESTAMP_NTZ', scale: 7 } },
      { name: 'TZ', type: { kind: 'TIMESTAMP_TZ', scale: 7 } },
    ],
  },
};

const env: TranslateEnv = {
  relation: (parts) => {
    const key = (parts.length === 3 ? parts : ['STEVE_MCP', 'DATA_MIGRATION', ...parts]).join('.');
    const relation = tables[key];
    if (!relation) throw new Error(`missing ${key}`);
    return relation;
  },
  checkIdentifiers: true,
  bind: (index) => `$bind${index}`,
  context: "'ctx'",
  timestampMapping: 'TIMESTAMP_NTZ',
  constant: (name) => `'${name.toLowerCase()}'`,
  typedLiteral: (type, text) => `lit(${type.kind}, ${text})`,
};

const query = (sql: string) => {
  const tokens = tokenize(sql);
  return new Translator(tokens, sql, env).query(0, tokens.length, true);
};

describe('lexer', () => {
  it('decodes literals, quoted names, binds and stage references', () => {
    const tokens = tokenize(
      `SELECT 'it''s \\\\ a\\'b', "Straße ""x""", ?, :2 FROM @"DB"."S"."STG"/run 1/ -- note\n`,
    );
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'SELECT'],
      ['string', "it's \\ a'b"],
      ['op', ','],
      ['quoted', 'Straße "x"'],
      ['op', ','],
      ['bind', ''],
      ['op', ','],
      ['bind', '2'],
      ['word', 'FROM'],
      ['stage', '@"DB"."S"."STG"/run'],
      ['number', '1'],
      ['op', '/'],
    ]);
  });

  it('reports where a syntax error is (line from 1, position from 0)', () => {
    expect(() => tokenize('SELECT\n  "unterminated')).toThrow(
      expect.objectContaining({ code: '001003', message: expect.stringContaining('line 2 at position 2') }),
    );
  });
});

describe('translator', () => {
  it('resolves three-part names, quotes identifiers and names columns as Snowflake does', () => {
    expect(query('SELECT id, "Straße", COUNT(*), a AS x, b y FROM "STEVE_MCP"."DATA_MIGRATION"."T"')).toBe(
      'SELECT "ID" AS "ID", "Straße" AS "Straße", count(*) AS "COUNT(*)", "A" AS "X", "B" AS "Y" FROM sf_data.t_1 AS "T"',
    );
  });

  it('translates the validation aggregates and keeps binds in place', () => {
    expect(query('SELECT COUNT_IF(NOT "A") AS N, IFF(a = ?, 1, 2) AS I FROM T WHERE "ID" = ?')).toBe(
      'SELECT count(CASE WHEN NOT "A" THEN 1 END) AS "N", if("A" = $bind0, 1, 2) AS "I" FROM sf_data.t_1 AS "T" WHERE "ID" = $bind1',
    );
  });

  it('translates joins, composite IN subqueries and set operations', () => {
    expect(
      query(
        'SELECT COUNT(*) FROM T AS t JOIN S AS s ON t."ID" = s."ID" WHERE ("A", "B") IN (SELECT "A", "B" FROM S) MINUS SELECT 1',
      ),
    ).toBe(
      'SELECT count(*) AS "COUNT(*)" FROM sf_data.t_1 AS "T" JOIN sf_data.t_2 AS "S" ON "T"."ID" = "S"."ID" WHERE ("A" , "B") IN (SELECT "A", "B" FROM sf_data.t_2 AS "S") EXCEPT SELECT 1',
    );
  });

  it('turns casts and TO_VARCHAR into the stand-in functions', () => {
    expect(
      query(`SELECT a::TIMESTAMP_TZ(7), TO_VARCHAR(a, 'YYYY') AS v, CAST(b AS NUMBER(10,2)) AS n FROM T`),
    ).toBe(
      `SELECT sf_to_tz_7("A", 'ctx') AS "A::TIMESTAMP_TZ(7)", sf_to_text("A", 'YYYY', CAST(NULL AS INTEGER), 'ctx') AS "V", CAST("B" AS DECIMAL(10,2)) AS "N" FROM sf_data.t_1 AS "T"`,
    );
    expect(query(`SELECT DATE '2024-01-31', CURRENT_DATABASE() AS db`)).toBe(
      `SELECT lit(DATE, 2024-01-31) AS "DATE '2024-01-31'", 'current_database' AS "DB"`,
    );
  });

  it('translates the content checksum functions: hex TO_NUMBER, OCTET_LENGTH, HEX_ENCODE', () => {
    expect(query(`SELECT TO_NUMBER(SUBSTR(MD5(a), 1, 15), 'XXXXXXXXXXXXXXX') AS h FROM T`)).toBe(
      `SELECT (CASE WHEN substring(md5("A"), 1, 15) IS NULL THEN NULL WHEN regexp_full_match(substring(md5("A"), 1, 15), '[0-9A-Fa-f]{1,15}') ` +
        `THEN CAST(CAST('0x' || substring(md5("A"), 1, 15) AS UBIGINT) AS DECIMAL(38,0)) ` +
        `ELSE error('Numeric value ''' || substring(md5("A"), 1, 15) || ''' is not recognized') END) AS "H" FROM sf_data.t_1 AS "T"`,
    );
    expect(query(`SELECT OCTET_LENGTH(a), HEX_ENCODE(b), HEX_ENCODE(b, 0) FROM T`)).toBe(
      `SELECT strlen("A") AS "OCTET_LENGTH(A)", hex("B") AS "HEX_ENCODE(B)", lower(hex("B")) AS "HEX_ENCODE(B, 0)" FROM sf_data.t_1 AS "T"`,
    );
    expect(() => query(`SELECT TO_NUMBER(a, '${'X'.repeat(17)}') FROM T`)).toThrow(
      expect.objectContaining({ code: '000002', message: expect.stringContaining('more than 16 digits') }),
    );
    expect(() => query(`SELECT TO_NUMBER(a, '999.99') FROM T`)).toThrow(
      expect.objectContaining({ code: '000002' }),
    );
  });

  it('prints a timestamp column with an ISO-like model in DuckDB SQL, through sf_to_text outside years 1 to 9999', () => {
    const sql = query(
      `SELECT TO_VARCHAR(ts, 'YYYY-MM-DD HH24:MI:SS.FF7') AS t, TO_VARCHAR(ts, 'DY') AS d FROM TYPED`,
    );
    expect(sql).toMatch(
      /^SELECT list_transform\(\[struct_extract\("TS", 'sf_ntz_7'\)\], lambda sf_ns: \(CASE WHEN \(sf_ns\) BETWEEN .* THEN .*strftime\(make_timestamp\(.* ELSE sf_to_text\("TS", 'YYYY-MM-DD HH24:MI:SS\.FF7', .*\) END\)\)\[1\] AS "T", sf_to_text\("TS", 'DY', /,
    );
  });

  it('reads a stored timestamp once per value, also inside a CASE branch (where DuckDB shares nothing)', () => {
    // The checksum query's shape: NVL2 makes the text a CASE branch.
    for (const [column, model, tag] of [
      ['ts', 'YYYY-MM-DD HH24:MI:SS.FF7', 'sf_ntz_7'],
      ['tz', 'YYYY-MM-DD HH24:MI:SS.FF7 TZH:TZM', 'sf_tz_7'],
    ] as const) {
      const sql = query(`SELECT NVL2(${column}, TO_VARCHAR(${column}, '${model}'), '~') FROM TYPED`);
      expect(sql.split(`struct_extract("${column.toUpperCase()}", '${tag}')`)).toHaveLength(2);
    }
  });

  it('casts NUMBER and BOOLEAN to text in place for TO_VARCHAR, FLOAT and others through sf_to_text', () => {
    expect(query(`SELECT TO_VARCHAR(n), TO_VARCHAR(b), TO_VARCHAR(f), TO_VARCHAR(n + 1) FROM TYPED`)).toBe(
      `SELECT regexp_replace(CAST("N" AS VARCHAR), '^(-?)\\.', '\\10.') AS "TO_VARCHAR(N)", CAST("B" AS VARCHAR) AS "TO_VARCHAR(B)", ` +
        `sf_to_text("F", CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), 'ctx') AS "TO_VARCHAR(F)", ` +
        `sf_to_text("N" + 1, CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), 'ctx') AS "TO_VARCHAR(N + 1)" FROM sf_data.t_4 AS "TYPED"`,
    );
  });

  it("prints FLOAT in the content checksum's model with printf, ties and NaN/infinity through sf_to_text", () => {
    const sql = query(`SELECT TO_VARCHAR(f, 'S0.0000000000000000EEEEE') FROM TYPED`);
    const rowByRow = `sf_to_text("F", 'S0.0000000000000000EEEEE', CAST(NULL AS INTEGER), 'ctx')`;
    expect(sql).toContain(`printf('%+.16e', sf_float)`);
    expect(sql).toContain(`THEN ${rowByRow} ELSE`);
    expect(query(`SELECT TO_VARCHAR(f, 'S0.00EEEEE') FROM TYPED`)).toBe(
      `SELECT sf_to_text("F", 'S0.00EEEEE', CAST(NULL AS INTEGER), 'ctx') AS "TO_VARCHAR(F, 'S0.00EEEEE')" FROM sf_data.t_4 AS "TYPED"`,
    );
  });

  it('refuses an identifier that matches a column only when case is ignored (000904)', () => {
    expect(() => query('SELECT "id" FROM T')).toThrow(
      expect.objectContaining({
        code: '000904',
        message: expect.stringContaining(`invalid identifier '"id"'`),
      }),
    );
    expect(() => query('SELECT id FROM "lower"')).toThrow(expect.objectContaining({ code: '000904' }));
    expect(query('SELECT "id" FROM "lower"')).toBe('SELECT "id" AS "id" FROM sf_data.t_3 AS "lower"');
  });

  it('refuses what it does not implement instead of guessing', () => {
    expect(() => query('SELECT a / 2 FROM T')).toThrow(
      expect.objectContaining({ code: '000002', sqlState: '0A000' }),
    );
    expect(() => query('SELECT GREATEST(a, b) FROM T')).toThrow(
      expect.objectContaining({ code: '000002', message: expect.stringContaining('GREATEST') }),
    );
  });

  it('translates DELETE and UPDATE with the target columns typed', () => {
    const sql = `DELETE FROM "STEVE_MCP"."DATA_MIGRATION"."T" WHERE ("ID") IN (SELECT "ID" FROM "STEVE_MCP"."DATA_MIGRATION"."S")`;
    const tokens = tokenize(sql);
    expect(new Translator(tokens, sql, env).delete(tokens.length)).toBe(
      'DELETE FROM sf_data.t_1 AS "T" WHERE ("ID") IN (SELECT "ID" FROM sf_data.t_2 AS "S")',
    );
    const update = `UPDATE T SET a = 'x' WHERE "ID" = 1`;
    const updateTokens = tokenize(update);
    const typed: TranslateEnv = {
      ...env,
      relation: () => ({
        sql: 'sf_data.t_1',
        columns: [{ name: 'A', type: { kind: 'DATE' } }, { name: 'ID' }],
      }),
    };
    expect(new Translator(updateTokens, update, typed).update(updateTokens.length)).toBe(
      `UPDATE sf_data.t_1 AS "T" SET "A" = sf_to_date('x', 'ctx') WHERE "ID" = 1`,
    );
  });
});
