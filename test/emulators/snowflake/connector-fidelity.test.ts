/**
 * What snowflake-connector-nodejs' own integration suite found the stand-in doing differently from
 * Snowflake, and the statements its users commonly send that the suite exercises.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import snowflake from 'snowflake-sdk';
import { connectionOptions, execute, failureOf, useEmulator } from './driver';

const target = useEmulator((client) =>
  client.exec('CREATE TABLE EVENTS ("ID" NUMBER(10,0), "AT" TIMESTAMP_TZ(0), "DOC" VARIANT, "D" DATE)'),
);

describe('errors as Snowflake sends them', () => {
  it('answers a token it never issued with HTTP 401 and 390104, which the driver reports as an invalid token', async () => {
    const response = await fetch(`${target.emulator.url}/queries/v1/query-request?requestId=1`, {
      method: 'POST',
      headers: { Authorization: 'Snowflake Token="invalid token"', 'Content-Type': 'application/json' },
      body: JSON.stringify({ sqlText: 'SELECT 1' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: '390104', success: false });
  });

  it('marks compilation errors with data.type, line and position', async () => {
    const connection = snowflake.createConnection(connectionOptions(target.emulator));
    await new Promise<void>((resolve, reject) => connection.connect((e) => (e ? reject(e) : resolve())));
    const error = (await failureOf(execute(connection, 'SELECT 1)'))) as {
      data?: Record<string, unknown>;
    };
    expect(error.data).toMatchObject({ type: 'COMPILATION', line: 1, pos: 8 });
    await new Promise((resolve) => connection.destroy(resolve));
  });

  it('refuses columns whose names differ only in case, which DuckDB cannot keep apart', async () => {
    expect(
      await failureOf(target.client.exec('CREATE TABLE PEOPLE ("email" VARCHAR, "EMAIL" VARCHAR)')),
    ).toMatchObject({ code: '000002' });
    await target.client.exec('CREATE TABLE PEOPLE2 ("email" VARCHAR)');
    expect(
      await failureOf(target.client.exec('ALTER TABLE PEOPLE2 ADD COLUMN "EMAIL" VARCHAR')),
    ).toMatchObject({ code: '000002' });
  });

  it('keeps both names of a subquery column named twice under SELECT *, and refuses a reference to it', async () => {
    const names = await new Promise<string[]>((resolve, reject) =>
      target.client.connection.execute({
        sqlText: "SELECT * FROM (SELECT 'a' AS KEY, 1 AS FOO, 'b' AS KEY_1, 2 AS FOO) AS T",
        complete: (err, statement) =>
          err ? reject(err) : resolve((statement.getColumns() ?? []).map((c) => c.getName())),
      }),
    );
    expect(names).toEqual(['KEY', 'FOO', 'KEY_1', 'FOO']);
    expect((await failureOf(target.client.exec('SELECT FOO FROM (SELECT 1 AS FOO, 2 AS FOO)'))).code).toBe(
      '000002',
    );
  });

  it('refuses valid types it does not store with 000002, not a syntax error', async () => {
    expect(await failureOf(target.client.exec('SELECT 1::DECFLOAT'))).toMatchObject({ code: '000002' });
  });
});

describe('statements from the suite', () => {
  it('GENERATOR with SEQ4 and RANDSTR', async () => {
    const rows = await target.client.exec(
      'SELECT SEQ4() AS N, RANDSTR(5, 7) AS S FROM TABLE(GENERATOR(ROWCOUNT => 3)) ORDER BY N',
    );
    expect(rows.map((r) => r.N)).toEqual([0, 1, 2]);
    // RANDSTR depends only on its generator argument.
    expect(new Set(rows.map((r) => r.S)).size).toBe(1);
    expect(String(rows[0]!.S)).toMatch(/^[A-Za-z0-9]{5}$/);
  });

  it('FROM VALUES names its columns COLUMN1, COLUMN2, ...; INSERT VALUES takes expressions', async () => {
    expect(await target.client.exec("SELECT * FROM VALUES (1, 'a'), (2, 'b') ORDER BY COLUMN1")).toEqual([
      { COLUMN1: 1, COLUMN2: 'a' },
      { COLUMN1: 2, COLUMN2: 'b' },
    ]);
    await target.client.exec('INSERT INTO EVENTS ("ID", "D") VALUES (1, TO_DATE(\'2012-11-11\'))');
    expect(await target.client.exec('SELECT TO_VARCHAR("D") AS D FROM EVENTS WHERE "ID" = 1')).toEqual([
      { D: '2012-11-11' },
    ]);
  });

  it('reads RFC 2822 timestamps and the lenient JSON PARSE_JSON accepts', async () => {
    await target.client.exec(
      'INSERT INTO EVENTS ("ID", "AT", "DOC") SELECT 2, \'Thu, 21 Jan 2016 06:32:44 -0800\', PARSE_JSON(\'{a : 1, b : [1, -Infinity, undefined]}\')',
    );
    const [row] = await target.client.exec(
      'SELECT TO_VARCHAR("AT", \'YYYY-MM-DD HH24:MI:SS TZHTZM\') AS AT, TO_VARCHAR("DOC") AS DOC FROM EVENTS WHERE "ID" = 2',
    );
    expect(row).toEqual({ AT: '2016-01-21 06:32:44 -0800', DOC: '{"a":1,"b":[1,-Infinity,undefined]}' });
  });

  it('runs multi-statement requests when MULTI_STATEMENT_COUNT allows them', async () => {
    expect(await failureOf(target.client.exec('SELECT 1; SELECT 2'))).toMatchObject({ code: '000008' });
    const results: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      target.client.connection.execute({
        sqlText: 'SELECT ?; SELECT ?, 3',
        binds: [1, 2],
        parameters: { MULTI_STATEMENT_COUNT: 2 },
        complete: (err, statement) => {
          if (err) return reject(err);
          // hasNext/NextResult are the driver's multi-statement API, missing from its typings.
          type Multi = snowflake.RowStatement & { hasNext(): boolean; NextResult(): void };
          const next = (s: Multi): void => {
            s.streamRows()
              .on('data', (row: unknown) => results.push(row))
              .on('error', reject)
              .on('end', () => (s.hasNext() ? s.NextResult() : resolve()));
          };
          next(statement as Multi);
        },
      } as snowflake.StatementOption);
    });
    expect(results).toEqual([{ '?': 1 }, { '?': 2, 3: 3 }]);
  });

  it('PUT and COPY through a qualified table stage, and COPY without FROM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'put-'));
    try {
      const file = path.join(dir, 'rows.csv');
      writeFileSync(file, '10\n11\n');
      await target.client.exec('CREATE TABLE NUMS ("N" NUMBER(10,0))');
      await target.client.exec(`PUT file://${file} @"STEVE_MCP"."DATA_MIGRATION".%NUMS`);
      await target.client.exec('COPY INTO NUMS');
      expect(await target.client.exec('SELECT "N" FROM NUMS ORDER BY "N"')).toEqual([{ N: 10 }, { N: 11 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
