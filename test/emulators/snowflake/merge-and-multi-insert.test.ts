/**
 * MERGE, CREATE TABLE ... CLONE, INSERT ALL and the semi-structured conversions snowflake-connector-nodejs'
 * own suite uses, through the driver: the answers' count columns, the driver's getNumUpdatedRows and what
 * the tables hold afterwards.
 */
import { failureOf, useEmulator, type Row } from './driver';

const target = useEmulator(async (client) => {
  await client.exec('CREATE TABLE MASTER (K NUMBER, V NUMBER)');
  await client.exec('INSERT INTO MASTER VALUES (0, 10), (1, 11), (5, 15), (6, 16)');
  await client.exec('CREATE TABLE SOURCE (K NUMBER, V NUMBER)');
  await client.exec('INSERT INTO SOURCE VALUES (0, 20), (1, 21), (2, 22)');
});

/** Runs a statement; resolves with its rows and the driver's count of updated rows. */
function run(sqlText: string, binds?: unknown[]): Promise<{ rows: Row[]; updated: number }> {
  return new Promise((resolve, reject) => {
    target.client.connection.execute({
      sqlText,
      ...(binds ? { binds: binds as never } : {}),
      complete: (err, statement, rows) =>
        err
          ? reject(err)
          : resolve({ rows: (rows ?? []) as Row[], updated: statement.getNumUpdatedRows() ?? -1 }),
    });
  });
}

const rows = async (sqlText: string): Promise<Row[]> => (await run(sqlText)).rows;

describe('MERGE, CLONE and INSERT ALL', () => {
  it('clones a table with its rows; the clone changes alone', async () => {
    expect(await run('CREATE OR REPLACE TABLE TARGET CLONE MASTER')).toMatchObject({ updated: -1 });
    await run('DELETE FROM TARGET WHERE K = 6');
    expect(await rows('SELECT COUNT(*) AS N FROM MASTER')).toEqual([{ N: 4 }]);
    expect(await rows('SELECT COUNT(*) AS N FROM TARGET')).toEqual([{ N: 3 }]);
    expect((await failureOf(run('CREATE TABLE TARGET CLONE MASTER'))).code).toBe('002002');
    expect((await failureOf(run('CREATE TABLE OTHER CLONE NOPE'))).code).toBe('002003');
  });

  it('merges: a count column per kind of clause, values converted, defaults for columns left out', async () => {
    await run('CREATE OR REPLACE TABLE TARGET CLONE MASTER');
    const merged = await run(
      'MERGE INTO TARGET USING SOURCE ON TARGET.K = SOURCE.K ' +
        'WHEN MATCHED AND TARGET.K = 0 THEN UPDATE SET V = SOURCE.V * 100 ' +
        'WHEN MATCHED AND TARGET.K = 1 THEN DELETE ' +
        'WHEN NOT MATCHED THEN INSERT VALUES (K, V)',
    );
    expect(merged).toEqual({
      rows: [{ 'number of rows inserted': 1, 'number of rows updated': 1, 'number of rows deleted': 1 }],
      updated: 3,
    });
    expect(await rows('SELECT K, V FROM TARGET ORDER BY K')).toEqual([
      { K: 0, V: 2000 },
      { K: 2, V: 22 },
      { K: 5, V: 15 },
      { K: 6, V: 16 },
    ]);
    await run("CREATE OR REPLACE TABLE NOTES (K NUMBER, NOTE VARCHAR DEFAULT 'none', AT DATE)");
    const inserted = await run(
      "MERGE INTO NOTES N USING (SELECT K, '2024-01-31' AS D FROM SOURCE) S ON N.K = S.K " +
        'WHEN NOT MATCHED THEN INSERT (K, AT) VALUES (S.K, S.D)',
    );
    expect(inserted.rows).toEqual([{ 'number of rows inserted': 3 }]);
    expect(await rows('SELECT K, NOTE, TO_VARCHAR(AT) AS AT FROM NOTES WHERE K = 2')).toEqual([
      { K: 2, NOTE: 'none', AT: '2024-01-31' },
    ]);
  });

  it('refuses a MERGE in which a target row joins several source rows, changing nothing', async () => {
    await run('CREATE OR REPLACE TABLE TARGET CLONE MASTER');
    await run('CREATE OR REPLACE TABLE TWICE CLONE SOURCE');
    await run('INSERT INTO TWICE VALUES (0, 99)');
    const failure = await failureOf(
      run('MERGE INTO TARGET T USING TWICE S ON T.K = S.K WHEN MATCHED THEN UPDATE SET V = S.V'),
    );
    expect(failure.code).toBe('000002');
    expect(await rows('SELECT V FROM TARGET WHERE K = 0')).toEqual([{ V: 10 }]);
  });

  it('INSERT ALL puts every row of its query into each table, counted per table', async () => {
    await run('CREATE OR REPLACE TABLE A (K NUMBER, V NUMBER)');
    await run("CREATE OR REPLACE TABLE B (K NUMBER, V VARCHAR, W VARCHAR DEFAULT 'w')");
    const result = await run('INSERT ALL INTO A INTO B (K, V) SELECT K, V FROM SOURCE');
    expect(result).toEqual({
      rows: [{ 'number of rows inserted into A': 3, 'number of rows inserted into B': 3 }],
      updated: 6,
    });
    expect(await rows('SELECT K, V, W FROM B WHERE K = 1')).toEqual([{ K: 1, V: '21', W: 'w' }]);
    expect((await run('INSERT OVERWRITE ALL INTO A SELECT * FROM SOURCE WHERE K = 0')).updated).toBe(1);
    expect(await rows('SELECT COUNT(*) AS N FROM A')).toEqual([{ N: 1 }]);
    expect((await failureOf(run('INSERT ALL WHEN K > 0 THEN INTO A SELECT * FROM SOURCE'))).code).toBe(
      '000002',
    );
  });

  it('TRY_PARSE_JSON gives NULL for text that is not JSON; VARIANT arrays and objects cast to ARRAY and OBJECT', async () => {
    await run('CREATE OR REPLACE TABLE DOCS (ID INT, DATA VARIANT, NOTE VARCHAR, LIST ARRAY)');
    await run(
      'INSERT INTO DOCS (ID, DATA, NOTE) SELECT COLUMN1, TRY_PARSE_JSON(COLUMN2), COLUMN3 FROM VALUES (?, ?, ?), (?, ?, ?)',
      ['1', '{"a": 1', null, '2', '{"a": 1}', null],
    );
    expect(await rows('SELECT ID, DATA, NOTE FROM DOCS ORDER BY ID')).toEqual([
      { ID: 1, DATA: null, NOTE: null },
      { ID: 2, DATA: { a: 1 }, NOTE: null },
    ]);
    await run('INSERT INTO DOCS (ID, LIST) SELECT 3, PARSE_JSON(\'["a", 1]\')');
    expect(await rows('SELECT LIST, PARSE_JSON(\'{"b": 2}\')::OBJECT AS O FROM DOCS WHERE ID = 3')).toEqual([
      { LIST: ['a', 1], O: { b: 2 } },
    ]);
    expect((await failureOf(run('SELECT PARSE_JSON(\'{"b": 2}\')::ARRAY'))).code).toBe('000002');
    expect(await rows('SELECT PI() AS P')).toEqual([{ P: Math.PI }]);
  });
});

describe('semi-structured paths and FLATTEN', () => {
  it('reads v:a.b[0] and v[n] with case-sensitive keys; a missing step is NULL', async () => {
    expect(
      await rows(
        'SELECT PARSE_JSON(\'{"a": {"B": [1, {"c": null}]}}\'):a.B[1] AS X, ' +
          "PARSE_JSON('{\"a\": 1}'):A AS Y, PARSE_JSON('[10, 20]')[1] AS Z, PARSE_JSON('{\"a b\": 2}')['a b'] AS W",
      ),
    ).toEqual([{ X: { c: null }, Y: null, Z: 20, W: 2 }]);
  });

  it('flattens an array or object bound as JSON into rows, one per member', async () => {
    const members = JSON.stringify([{ stuff1: 'x' }, ['y'], 3]);
    expect(
      await run(
        'SELECT SEQ, KEY, PATH, INDEX, VALUE, VALUE:stuff1 AS S FROM TABLE(FLATTEN(PARSE_JSON(?))) ORDER BY INDEX',
        [members],
      ),
    ).toMatchObject({
      rows: [
        { SEQ: 1, KEY: null, PATH: '[0]', INDEX: 0, VALUE: { stuff1: 'x' }, S: 'x' },
        { SEQ: 1, KEY: null, PATH: '[1]', INDEX: 1, VALUE: ['y'], S: null },
        { SEQ: 1, KEY: null, PATH: '[2]', INDEX: 2, VALUE: 3, S: null },
      ],
    });
    expect(
      await rows(
        'SELECT KEY, PATH, VALUE FROM TABLE(FLATTEN(INPUT => PARSE_JSON(\'{"a": 1, "b c": [2]}\')))',
      ),
    ).toEqual([
      { KEY: 'a', PATH: 'a', VALUE: 1 },
      { KEY: 'b c', PATH: "['b c']", VALUE: [2] },
    ]);
    await run('CREATE OR REPLACE TABLE DOCS (V VARIANT)');
    expect((await failureOf(run('SELECT * FROM DOCS, LATERAL FLATTEN(INPUT => DOCS.V)'))).code).toBe(
      '000002',
    );
  });
});
