import snowflake from 'snowflake-sdk';
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { generateKeyPairSync } from 'node:crypto';
import {
  connect,
  connectionOptions,
  execute,
  failureOf,
  KEY_USER,
  privateKeyPem,
  startEmulator,
} from './driver';

let emulator: SnowflakeEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const IDENTITY =
  'SELECT CURRENT_VERSION() AS VERSION, CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS USER_NAME, ' +
  'CURRENT_ROLE() AS ROLE_NAME, CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH';

describe('login through snowflake-sdk', () => {
  it('logs in with a password and answers as the session it opened', async () => {
    const client = await connect(emulator);
    // The database named at login does not exist yet, so the session has none (as in Snowflake).
    expect(await client.exec(IDENTITY)).toEqual([
      {
        VERSION: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        ACCOUNT: 'EMULATOR',
        USER_NAME: 'MIGRATOR',
        ROLE_NAME: 'MIGRATOR',
        DB: null,
        SCH: null,
      },
    ]);
    await client.exec('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"');
    await client.exec('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"');
    await client.close();
    const again = await connect(emulator);
    expect(
      await again.exec('SELECT CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH, CURRENT_WAREHOUSE() AS WH'),
    ).toEqual([{ DB: 'STEVE_MCP', SCH: 'DATA_MIGRATION', WH: 'COMPUTE_WH' }]);
    await again.close();
  });

  it('refuses a wrong password with 390100', async () => {
    const err = await failureOf(connect(emulator, { password: 'wrong' }));
    expect(err).toMatchObject({
      code: '390100',
      sqlState: '08004',
      message: 'Incorrect username or password was specified.',
    });
  });

  it('logs in with a key pair (SNOWFLAKE_JWT) and refuses another key with 390144', async () => {
    const client = await connect(emulator, {
      username: KEY_USER,
      password: undefined,
      authenticator: 'SNOWFLAKE_JWT',
      privateKey: privateKeyPem,
    });
    expect(await client.exec('SELECT CURRENT_USER() AS U')).toEqual([{ U: KEY_USER }]);
    await client.close();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const err = await failureOf(
      connect(emulator, {
        username: KEY_USER,
        password: undefined,
        authenticator: 'SNOWFLAKE_JWT',
        privateKey: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      }),
    );
    expect(err.code).toBe('390144');
  });

  it('serves a connection pool of four sessions running at once', async () => {
    const pool = snowflake.createPool(connectionOptions(emulator), { max: 4, min: 0 });
    const sessions = await Promise.all(
      Array.from({ length: 8 }, () =>
        pool.use(
          async (connection) => (await execute(connection, 'SELECT CURRENT_SESSION() AS S'))[0]!.S as string,
        ),
      ),
    );
    expect(new Set(sessions).size).toBeGreaterThanOrEqual(2);
    expect(new Set(sessions).size).toBeLessThanOrEqual(4);
    await pool.drain();
    await pool.clear();
  });
});
