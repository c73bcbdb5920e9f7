/**
 * A Snowflake stand-in for tests and demos: an HTTP server that the real snowflake-sdk driver talks
 * to (password and key-pair login, statements with binds, PUT/GET through the driver's LOCAL_FS path,
 * COPY INTO, transactions, result chunks, Snowflake error codes), backed by DuckDB.
 *
 *   const emulator = await startSnowflakeEmulator({ users: [{ name: 'MIGRATOR', password: 'pw' }] });
 *   snowflake.createConnection({ account: emulator.account, accessUrl: emulator.url, username: 'MIGRATOR', password: 'pw' });
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindsFromValues } from './engine/binds';
import type { CopyStats } from './engine/copy-meter';
import { Engine } from './engine/engine';
import type { Session } from './engine/session';
import { TrafficMeter, type Traffic } from '../shared/traffic';
import { Faults, type FaultControls } from './faults';
import { startServer } from './http/server';
import type { EmulatorUser } from './http/routes/login';
import { jsValue } from './results/js-values';
import { SessionRegistry } from './sessions';

export interface SnowflakeEmulatorOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default EMULATOR. */
  account?: string;
  users: EmulatorUser[];
  /** DuckDB file for persistence; in memory by default. */
  dataFile?: string;
  /** Where stage files live; by default a fresh temporary folder, removed on close. */
  stageDir?: string;
  /**
   * Statements run at start-up as an account administrator (role ACCOUNTADMIN), the way an
   * administrator sets an account up: `ALTER ACCOUNT SET QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE`,
   * `ALTER USER MIGRATOR SET AUTOCOMMIT = FALSE`...
   */
  adminSql?: string[];
}

export interface SnowflakeEmulator {
  /** http://127.0.0.1:<port>: the driver's `accessUrl`. */
  url: string;
  port: number;
  account: string;
  /** Runs SQL in-process (same dialect), for test set-up and assertions. */
  query(sql: string, binds?: unknown[]): Promise<Record<string, unknown>[]>;
  faults: FaultControls;
  /** Rows COPY INTO loaded and the time it was busy doing so, since the start or the last reset. */
  copyStats(reset?: boolean): CopyStats;
  /** The HTTP requests (round trips, by route) and statements clients sent since the start or the last reset. */
  traffic(reset?: boolean): Traffic;
  close(): Promise<void>;
}

export type { EmulatorUser };

export async function startSnowflakeEmulator(options: SnowflakeEmulatorOptions): Promise<SnowflakeEmulator> {
  const host = options.host ?? '127.0.0.1';
  const account = (options.account ?? 'EMULATOR').toUpperCase();
  const temporaryStages = options.stageDir === undefined;
  // Absolute: the driver copies files into it from its own working directory.
  const stageRoot = path.resolve(
    options.stageDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'snowflake-stand-in-'))),
  );
  const registry = new SessionRegistry();
  const faults = new Faults(() => registry.expireAll());
  const traffic = new TrafficMeter();
  const engine = await Engine.open({
    account,
    dataFile: options.dataFile,
    stageRoot,
    faults,
    users: options.users.map((u) => u.name.toUpperCase()),
  });
  let baseUrl = '';
  const running = await startServer(
    { engine, registry, faults, traffic, account, users: options.users, baseUrl: () => baseUrl },
    host,
    options.port ?? 0,
  );
  baseUrl = `http://${host}:${running.port}`;

  let internal: Session | undefined;
  // Snowflake's defaults whatever the account says, and a warehouse, so tests read what they wrote.
  const internalSession = async () => {
    internal ??= await engine.openSession(
      { user: 'EMULATOR', role: 'ACCOUNTADMIN', warehouse: 'EMULATOR_WH', database: null, schema: null },
      false,
    );
    internal.params.TIMEZONE = 'UTC';
    return internal;
  };
  const close = async () => {
    await running.close();
    for (const client of registry.all()) {
      registry.remove(client);
      await engine.closeSession(client.session);
    }
    if (internal) await engine.closeSession(internal);
    engine.close();
    if (temporaryStages) await fs.rm(stageRoot, { recursive: true, force: true });
  };
  try {
    for (const sql of options.adminSql ?? [])
      await engine.execute(await internalSession(), sql, [], randomUUID());
  } catch (err) {
    await close();
    throw err;
  }

  return {
    url: baseUrl,
    port: running.port,
    account,
    faults,
    copyStats: (reset) => engine.copyMeter.read(reset),
    traffic: (reset) => traffic.read(reset),
    async query(sql, binds = []) {
      const result = await engine.execute(await internalSession(), sql, bindsFromValues(binds), randomUUID());
      if (result.kind !== 'rows') throw new Error('PUT and GET need a client: use snowflake-sdk');
      return result.rows.map((row) =>
        Object.fromEntries(result.columns.map((c, k) => [c.name, jsValue(c.type, row[k] ?? null)])),
      );
    },
    close,
  };
}
