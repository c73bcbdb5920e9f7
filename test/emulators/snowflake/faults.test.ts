/** Each fault, and the driver riding through it with its own retries and token renewal. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { connect, createTargetSchema, PASSWORD, post, startEmulator, USER, type Client } from './driver';

let emulator: SnowflakeEmulator;
let client: Client;
beforeAll(async () => {
  emulator = await startEmulator();
  client = await connect(emulator);
  await createTargetSchema(client);
  await client.exec('CREATE TABLE LOADED ("ID" NUMBER(10,0))');
});
afterEach(() => emulator.faults.clear());
afterAll(async () => {
  await client.close();
  await emulator.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe('faults', () => {
  it.each([503, 429] as const)(
    'answers HTTP %s once, and the driver retries the statement',
    async (status) => {
      emulator.faults.httpErrors({ status, count: 1, path: '/queries/v1/query-request' });
      const { result, ms } = await timed(() => client.exec('SELECT 1 AS ONE'));
      expect(result).toEqual([{ ONE: 1 }]);
      // The driver backs off at least a second before retrying.
      expect(ms).toBeGreaterThanOrEqual(900);
      expect((await timed(() => client.exec('SELECT 1 AS ONE'))).ms).toBeLessThan(900);
    },
  );

  it('expires every session: the next request gets 390112 and the master token renews it', async () => {
    const login = await post(emulator, '/session/v1/login-request', {
      data: { ACCOUNT_NAME: emulator.account, LOGIN_NAME: USER, PASSWORD },
    });
    const { token, masterToken } = login.data as { token: string; masterToken: string };
    emulator.faults.expireSessions();
    const expired = await post(
      emulator,
      '/queries/v1/query-request?requestId=r1',
      { sqlText: 'SELECT 1' },
      token,
    );
    expect(expired).toMatchObject({ success: false, code: '390112' });
    const renewed = await post(
      emulator,
      '/session/token-request',
      { requestType: 'RENEW', oldSessionToken: token },
      masterToken,
    );
    const fresh = (renewed.data as { sessionToken: string }).sessionToken;
    expect(fresh).not.toBe(token);
    expect(
      await post(emulator, '/queries/v1/query-request?requestId=r2', { sqlText: 'SELECT 1 AS X' }, fresh),
    ).toMatchObject({ success: true });
    expect(
      await post(emulator, '/queries/v1/query-request?requestId=r3', { sqlText: 'SELECT 1' }, token),
    ).toMatchObject({ code: '390111' });

    // The driver does the same by itself, in the same session.
    const [before] = await client.exec('SELECT CURRENT_SESSION() AS S');
    emulator.faults.expireSessions();
    expect(await client.exec('SELECT CURRENT_SESSION() AS S')).toEqual([before]);
  });

  it('drops the connection during COPY: the retried request gets the first answer, rows load once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stand-in-drop-'));
    const file = path.join(dir, 'b000001-a1.csv.gz');
    writeFileSync(file, gzipSync('1\n2\n3\n'));
    emulator.faults.dropConnection({ during: 'PUT' });
    const { result: put, ms } = await timed(() =>
      client.exec(
        `PUT 'file://${file}' @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/drop/ AUTO_COMPRESS = FALSE`,
      ),
    );
    expect(put).toEqual([expect.objectContaining({ status: 'UPLOADED' })]);
    expect(ms).toBeGreaterThanOrEqual(900);
    emulator.faults.dropConnection({ during: 'COPY' });
    const copy = await client.exec(
      'COPY INTO LOADED FROM @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/drop/ FILE_FORMAT = (TYPE = CSV)',
    );
    expect(copy).toEqual([expect.objectContaining({ status: 'LOADED', rows_loaded: 3 })]);
    expect(await client.exec('SELECT COUNT(*) AS N FROM LOADED')).toEqual([{ N: 3 }]);
  });

  it('slows every answer down until cleared', async () => {
    emulator.faults.setLatency(400);
    expect((await timed(() => client.exec('SELECT 1'))).ms).toBeGreaterThanOrEqual(400);
    emulator.faults.clear();
    expect((await timed(() => client.exec('SELECT 1'))).ms).toBeLessThan(400);
  });

  it('fails a login request once, and the driver logs in on its retry', async () => {
    emulator.faults.httpErrors({ status: 503, count: 1, path: '/session/v1/login-request' });
    const other = await connect(emulator);
    expect(await other.exec('SELECT CURRENT_USER() AS U')).toEqual([{ U: USER }]);
    await other.close();
  });
});
