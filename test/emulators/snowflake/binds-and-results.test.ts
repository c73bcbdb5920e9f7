/** Array binds of 100,000 rows, results of 100,000+ rows in chunks, streaming and asynchronous statements. */
import { PASSWORD, post, useEmulator, USER } from './driver';

const ROWS = 100_000;

const target = useEmulator((client) =>
  client.exec(
    'CREATE TABLE BOUND ("ID" NUMBER(10,0) NOT NULL, "NAME" VARCHAR(50), "PRICE" NUMBER(38,10), "AT" TIMESTAMP_NTZ(7), "BIN" BINARY(16), "FLAG" BOOLEAN)',
  ),
);

describe('binds and results through the driver', () => {
  it('inserts 100,000 rows bound as arrays of text, exactly', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => [
      String(i),
      i % 10 === 0 ? null : `name ${i}, "quoted"`,
      `${i}.0000000001`,
      `2024-01-31 13:45:00.${String(i).padStart(7, '0')}`,
      i.toString(16).padStart(8, '0'),
      i % 2 === 0 ? 'TRUE' : 'FALSE',
    ]);
    const started = Date.now();
    expect(
      await target.client.exec(
        'INSERT INTO BOUND ("ID", "NAME", "PRICE", "AT", "BIN", "FLAG") VALUES (?, ?, ?, ?, ?, ?)',
        rows,
      ),
    ).toEqual([{ 'number of rows inserted': ROWS }]);
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `INSERT with array binds of ${ROWS} rows x 6 columns: ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s)`,
    );
    expect(
      await target.client.exec(
        'SELECT COUNT(*) AS N, COUNT("NAME") AS NAMES, SUM("PRICE") AS TOTAL, COUNT_IF("FLAG") AS FLAGS FROM BOUND',
        undefined,
        ['Number'],
      ),
    ).toEqual([{ N: '100000', NAMES: '90000', TOTAL: '4999950000.0000100000', FLAGS: '50000' }]);
  });

  it('returns a result of 100,000 rows complete and in order, through result chunks', async () => {
    const rows = await target.client.exec(
      'SELECT "ID", "NAME", TO_VARCHAR("AT", \'HH24:MI:SS.FF7\') AS "AT", "BIN" FROM BOUND ORDER BY "ID"',
      undefined,
      ['Buffer'],
    );
    expect(rows).toHaveLength(ROWS);
    expect(rows.every((r, i) => r.ID === i)).toBe(true);
    expect(rows[ROWS - 1]).toEqual({
      ID: ROWS - 1,
      NAME: `name ${ROWS - 1}, "quoted"`,
      AT: '13:45:00.0099999',
      BIN: (ROWS - 1).toString(16).padStart(8, '0').toUpperCase(),
    });

    // What came over the wire: a first part inline, the rest as chunks the driver downloaded.
    // A query of a table needs a warehouse: the login names one, as the driver's `warehouse` does.
    const login = await post(target.emulator, '/session/v1/login-request?warehouse=COMPUTE_WH', {
      data: { ACCOUNT_NAME: target.emulator.account, LOGIN_NAME: USER, PASSWORD },
    });
    const token = (login.data as { token: string }).token;
    const answer = await post(
      target.emulator,
      '/queries/v1/query-request',
      { sqlText: 'SELECT "ID", "NAME", "BIN" FROM "STEVE_MCP"."DATA_MIGRATION"."BOUND"' },
      token,
    );
    const data = answer.data as { returned: number; rowset: unknown[]; chunks: { rowCount: number }[] };
    expect(data.returned).toBe(ROWS);
    expect(data.chunks.length).toBeGreaterThan(0);
    expect(data.rowset.length + data.chunks.reduce((n, c) => n + c.rowCount, 0)).toBe(ROWS);
  });

  it('streams rows as they are read', async () => {
    const ids = await new Promise<number[]>((resolve, reject) => {
      const seen: number[] = [];
      target.client.connection.execute({
        sqlText: 'SELECT "ID" FROM BOUND WHERE "ID" < 5000 ORDER BY "ID" DESC',
        streamResult: true,
        complete: (err, statement) => {
          if (err) return reject(err);
          statement
            .streamRows()
            .on('data', (row: { ID: number }) => seen.push(row.ID))
            .on('error', reject)
            .on('end', () => resolve(seen));
        },
      });
    });
    expect(ids).toHaveLength(5000);
    expect(ids[0]).toBe(4999);
  });

  it('runs a statement asynchronously and hands its result over by query id', async () => {
    const queryId = await new Promise<string>((resolve, reject) =>
      target.client.connection.execute({
        sqlText: 'SELECT COUNT(*) AS N FROM BOUND WHERE "FLAG"',
        asyncExec: true,
        complete: (err, statement) => (err ? reject(err) : resolve(statement.getQueryId())),
      }),
    );
    expect(queryId).toMatch(/^[0-9a-f-]{36}$/);
    const statement = await target.client.connection.getResultsFromQueryId({ queryId });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const out: unknown[] = [];
      statement
        .streamRows()
        .on('data', (row) => out.push(row))
        .on('error', reject)
        .on('end', () => resolve(out));
    });
    expect(rows).toEqual([{ N: 50000 }]);
    expect(await target.client.connection.getQueryStatus(queryId)).toBe('SUCCESS');
  });

  it('cancels a running statement when the driver asks', async () => {
    const running = new Promise<unknown>((resolve, reject) => {
      const statement = target.client.connection.execute({
        sqlText: 'SELECT COUNT(*) AS N FROM BOUND AS a CROSS JOIN BOUND AS b WHERE a."ID" + b."ID" < 0',
        complete: (err) => (err ? reject(err) : resolve(undefined)),
      });
      setTimeout(() => statement.cancel(() => undefined), 300);
    });
    await expect(running).rejects.toMatchObject({ code: '000604', message: 'SQL execution canceled' });
    expect(await target.client.exec('SELECT 1 AS ONE')).toEqual([{ ONE: 1 }]);
  });

  it('describes a query without running anything else (describeOnly)', async () => {
    const describe = (sqlText: string) =>
      new Promise<{ columns: string[]; rows: number }>((resolve, reject) =>
        target.client.connection.execute({
          sqlText,
          describeOnly: true,
          complete: (err, statement, rows) =>
            err
              ? reject(err)
              : resolve({
                  columns: (statement.getColumns() ?? []).map((c) => c.getName()),
                  rows: rows?.length ?? 0,
                }),
        }),
      );
    expect(await describe('SELECT "ID", "NAME" AS N FROM BOUND')).toEqual({ columns: ['ID', 'N'], rows: 0 });
    await expect(describe('DELETE FROM BOUND')).rejects.toMatchObject({ code: '000002' });
    expect(await target.client.exec('SELECT COUNT(*) AS N FROM BOUND')).toEqual([{ N: ROWS }]);
  });

  it('answers the in-process API in plain JS values', async () => {
    expect(
      await target.emulator.query(
        'SELECT "ID", "PRICE", "AT", "FLAG" FROM "STEVE_MCP"."DATA_MIGRATION"."BOUND" WHERE "ID" = ?',
        [7],
      ),
    ).toEqual([{ ID: 7, PRICE: '7.0000000001', AT: '2024-01-31 13:45:00.0000007', FLAG: false }]);
  });
});
