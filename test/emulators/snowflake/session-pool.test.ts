/**
 * The migrator's Snowflake session pool against a stand-in that restarts on the same port: sessions
 * logged in before the restart are dead, and the pool must find that out itself (a heartbeat on
 * borrow) instead of failing one statement per pooled session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { TargetConfigSchema } from '../../../src/config/schema';
import { createTargetConnection, execute, type TargetConnection } from '../../../src/snowflake/connection';
import { PASSWORD, startEmulator, USER } from './driver';

const POOL_MAX = 4;

describe('session pool across a Snowflake restart', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'snowflake-restart-'));
  const persisted = { dataFile: path.join(folder, 'data.duckdb'), stageDir: path.join(folder, 'stages') };
  let emulator: SnowflakeEmulator;
  let pool: TargetConnection;

  beforeAll(async () => {
    emulator = await startEmulator(persisted);
    pool = createTargetConnection(
      TargetConfigSchema.parse({
        account: emulator.account,
        accessUrl: emulator.url,
        user: USER,
        auth: { method: 'password' },
        poolMax: POOL_MAX,
      }),
      { password: PASSWORD },
    );
  });
  afterAll(async () => {
    await pool?.close();
    await emulator?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** POOL_MAX statements at once, so every pooled session is used. */
  const useEverySession = () =>
    Promise.all(
      Array.from({ length: POOL_MAX }, (_, i) =>
        pool.use((session) => execute<{ N: number }>(session, `SELECT ${i} AS N`)),
      ),
    );

  it('replaces every session of the old server before use: no statement fails', async () => {
    expect((await useEverySession()).map(([row]) => row!.N)).toEqual([0, 1, 2, 3]);
    const port = emulator.port;
    await emulator.close();
    emulator = await startEmulator({ ...persisted, port });

    expect((await useEverySession()).map(([row]) => row!.N)).toEqual([0, 1, 2, 3]);
  });
});
