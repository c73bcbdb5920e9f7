/** CALL SYSTEM$WAIT through the driver: synchronous, asynchronous (RUNNING while it waits) and cancelled. */
import { useEmulator } from './driver';

const target = useEmulator(async () => undefined);

describe('CALL SYSTEM$WAIT', () => {
  it('answers "waited n seconds" in a column named SYSTEM$WAIT after the wait', async () => {
    const started = Date.now();
    expect(await target.client.exec("CALL SYSTEM$WAIT(1, 'SECONDS')")).toEqual([
      { SYSTEM$WAIT: 'waited 1 seconds' },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('is RUNNING while it waits when run with asyncExec, then SUCCESS with its row', async () => {
    const connection = target.client.connection;
    const queryId = await new Promise<string>((resolve, reject) =>
      connection.execute({
        sqlText: 'CALL SYSTEM$WAIT(1)',
        asyncExec: true,
        complete: (err, statement) => (err ? reject(err) : resolve(statement.getQueryId())),
      }),
    );
    const status = (await connection.getQueryStatus(queryId)) as Parameters<
      typeof connection.isStillRunning
    >[0];
    expect(connection.isStillRunning(status)).toBe(true);
    const statement = await connection.getResultsFromQueryId({ queryId });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const out: unknown[] = [];
      statement
        .streamRows()
        .on('data', (row) => out.push(row))
        .on('error', reject)
        .on('end', () => resolve(out));
    });
    expect(rows).toEqual([{ SYSTEM$WAIT: 'waited 1 seconds' }]);
    expect(await connection.getQueryStatus(queryId)).toBe('SUCCESS');
  });

  it('ends with 000604 when the driver cancels it', async () => {
    const started = Date.now();
    const failure = await new Promise<{ code?: unknown }>((resolve) => {
      const statement = target.client.connection.execute({
        sqlText: "CALL SYSTEM$WAIT(30, 'SECONDS')",
        complete: (err) => resolve(err as { code?: unknown }),
      });
      setTimeout(() => statement.cancel(() => undefined), 300);
    });
    expect(String(failure?.code)).toBe('000604');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses units other than seconds rather than guess their answer', async () => {
    await expect(target.client.exec("CALL SYSTEM$WAIT(10, 'MILLISECONDS')")).rejects.toMatchObject({
      code: '000002',
    });
  });
});
