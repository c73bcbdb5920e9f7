/** Each fault, and the driver riding through it with its own retries and token renewal. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { connect, failureOf, localFolder, PASSWORD, post, useEmulator, USER } from './driver';

const dir = localFolder('stand-in-drop-');
const target = useEmulator((client) => client.exec('CREATE TABLE LOADED ("ID" NUMBER(10,0))'));
afterEach(() => target.emulator.faults.clear());

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe('faults', () => {
  it.each([503, 429] as const)(
    'answers HTTP %s once, and the driver retries the statement',
    async (status) => {
      target.emulator.faults.httpErrors({ status, count: 1, path: '/queries/v1/query-request' });
      const { result, ms } = await timed(() => target.client.exec('SELECT 1 AS ONE'));
      expect(result).toEqual([{ ONE: 1 }]);
      // The driver backs off at least a second before retrying.
      expect(ms).toBeGreaterThanOrEqual(900);
      expect((await timed(() => target.client.exec('SELECT 1 AS ONE'))).ms).toBeLessThan(900);
    },
  );

  it('expires every session: the next request gets 390112 and the master token renews it', async () => {
    const login = await post(target.emulator, '/session/v1/login-request', {
      data: { ACCOUNT_NAME: target.emulator.account, LOGIN_NAME: USER, PASSWORD },
    });
    const { token, masterToken } = login.data as { token: string; masterToken: string };
    target.emulator.faults.expireSessions();
    const expired = await post(
      target.emulator,
      '/queries/v1/query-request?requestId=r1',
      { sqlText: 'SELECT 1' },
      token,
    );
    expect(expired).toMatchObject({ success: false, code: '390112' });
    const renewed = await post(
      target.emulator,
      '/session/token-request',
      { requestType: 'RENEW', oldSessionToken: token },
      masterToken,
    );
    const fresh = (renewed.data as { sessionToken: string }).sessionToken;
    expect(fresh).not.toBe(token);
    expect(
      await post(
        target.emulator,
        '/queries/v1/query-request?requestId=r2',
        { sqlText: 'SELECT 1 AS X' },
        fresh,
      ),
    ).toMatchObject({ success: true });
    expect(
      await post(target.emulator, '/queries/v1/query-request?requestId=r3', { sqlText: 'SELECT 1' }, token),
    ).toMatchObject({ code: '390111' });

    // The driver does the same by itself, in the same session.
    const [before] = await target.client.exec('SELECT CURRENT_SESSION() AS S');
    target.emulator.faults.expireSessions();
    expect(await target.client.exec('SELECT CURRENT_SESSION() AS S')).toEqual([before]);
  });

  it('drops the connection during COPY: the retried request gets the first answer, rows load once', async () => {
    const file = path.join(dir, 'b000001-a1.csv.gz');
    writeFileSync(file, gzipSync('1\n2\n3\n'));
    target.emulator.faults.dropConnection({ during: 'PUT' });
    const { result: put, ms } = await timed(() =>
      target.client.exec(
        `PUT 'file://${file}' @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/drop/ AUTO_COMPRESS = FALSE`,
      ),
    );
    expect(put).toEqual([expect.objectContaining({ status: 'UPLOADED' })]);
    expect(ms).toBeGreaterThanOrEqual(900);
    target.emulator.faults.dropConnection({ during: 'COPY' });
    const copy = await target.client.exec(
      'COPY INTO LOADED FROM @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/drop/ FILE_FORMAT = (TYPE = CSV)',
    );
    expect(copy).toEqual([expect.objectContaining({ status: 'LOADED', rows_loaded: 3 })]);
    expect(await target.client.exec('SELECT COUNT(*) AS N FROM LOADED')).toEqual([{ N: 3 }]);
  });

  it('slows every answer down until cleared', async () => {
    target.emulator.faults.setLatency(400);
    expect((await timed(() => target.client.exec('SELECT 1'))).ms).toBeGreaterThanOrEqual(400);
    target.emulator.faults.clear();
    expect((await timed(() => target.client.exec('SELECT 1'))).ms).toBeLessThan(400);
  });

  it('fails a login request once, and the driver logs in on its retry', async () => {
    target.emulator.faults.httpErrors({ status: 503, count: 1, path: '/session/v1/login-request' });
    const other = await connect(target.emulator);
    expect(await other.exec('SELECT CURRENT_USER() AS U')).toEqual([{ U: USER }]);
    await other.close();
  });

  it('is unreachable for a while (connections refused), then answers the same sessions again', async () => {
    target.emulator.faults.unreachable({ forMs: 1_500 });
    const refused = await failureOf(connect(target.emulator, { sfRetryMaxLoginRetries: 0 }));
    expect([refused.code, refused.message]).toEqual([
      401001,
      'connect ECONNREFUSED 127.0.0.1:' + target.emulator.port,
    ]);
    // The driver retries a statement on a refused connection until the port is back.
    const { result, ms } = await timed(() => target.client.exec('SELECT 1 AS ONE'));
    expect(result).toEqual([{ ONE: 1 }]);
    expect(ms).toBeGreaterThanOrEqual(500);
  });
});
