/** The real snowflake-sdk against the stand-in, as the product connects. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import snowflake from 'snowflake-sdk';
import {
  startSnowflakeEmulator,
  type SnowflakeEmulator,
  type SnowflakeEmulatorOptions,
} from '../../../emulators/snowflake';

snowflake.configure({ logLevel: 'ERROR', additionalLogToConsole: false } as snowflake.ConfigureOptions);

export const USER = 'MIGRATOR';
export const PASSWORD = 'migrator-password';
export const KEY_USER = 'KEY_USER';
export const keyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const privateKeyPem = keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export function startEmulator(options: Partial<SnowflakeEmulatorOptions> = {}): Promise<SnowflakeEmulator> {
  return startSnowflakeEmulator({
    users: [
      { name: USER, password: PASSWORD, defaultRole: 'MIGRATOR' },
      { name: KEY_USER, publicKeyPem: keyPair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
    ...options,
  });
}

export function connectionOptions(
  emulator: SnowflakeEmulator,
  overrides: Record<string, unknown> = {},
): snowflake.ConnectionOptions {
  return {
    account: emulator.account,
    accessUrl: emulator.url,
    username: USER,
    password: PASSWORD,
    database: 'STEVE_MCP',
    schema: 'DATA_MIGRATION',
    warehouse: 'COMPUTE_WH',
    role: 'MIGRATOR',
    ...overrides,
  } as snowflake.ConnectionOptions;
}

type FetchAsString = ('String' | 'Boolean' | 'Number' | 'Date' | 'JSON' | 'Buffer')[];
export type Row = Record<string, unknown>;

export interface Client {
  connection: snowflake.Connection;
  exec(sqlText: string, binds?: unknown[], fetchAsString?: FetchAsString): Promise<Row[]>;
  close(): Promise<void>;
}

export function execute(
  connection: snowflake.Connection,
  sqlText: string,
  binds?: unknown[],
  fetchAsString?: FetchAsString,
): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      ...(binds ? { binds: binds as snowflake.Binds } : {}),
      ...(fetchAsString ? { fetchAsString } : {}),
      complete: (err, _statement, rows) => (err ? reject(err) : resolve((rows ?? []) as Row[])),
    });
  });
}

export async function connect(
  emulator: SnowflakeEmulator,
  overrides: Record<string, unknown> = {},
): Promise<Client> {
  const connection = snowflake.createConnection(connectionOptions(emulator, overrides));
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  return {
    connection,
    exec: (sql, binds, fetchAsString) => execute(connection, sql, binds, fetchAsString),
    close: () => new Promise<void>((resolve) => connection.destroy(() => resolve())),
  };
}

/** The failure of a promise, for asserting on error codes. */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; sqlState?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; sqlState?: string; message: string };
  }
  throw new Error('expected a failure');
}

export const TARGET = '"STEVE_MCP"."DATA_MIGRATION"';

/** The database, schema and stage the migrator creates first. */
export async function createTargetSchema(client: Client): Promise<void> {
  await client.exec('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"');
  await client.exec('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"');
  await client.exec('CREATE STAGE IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"');
}

export interface TestTarget {
  emulator: SnowflakeEmulator;
  client: Client;
}

/**
 * An emulator for the tests of a file, started before them and closed after, with one client
 * session on the migrator's schema; `setup` runs once on that session.
 */
export function useEmulator(setup: (client: Client) => Promise<unknown> = async () => undefined): TestTarget {
  const target = {} as TestTarget;
  beforeAll(async () => {
    target.emulator = await startEmulator();
    target.client = await connect(target.emulator);
    await createTargetSchema(target.client);
    await setup(target.client);
  });
  afterAll(async () => {
    await target.client?.close();
    await target.emulator?.close();
  });
  return target;
}

/** The protocol by hand, to see what the driver hides. */
export async function post(
  emulator: SnowflakeEmulator,
  pathAndQuery: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Snowflake Token="${token}"` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** A fresh local folder for the tests of a file, removed after them. */
export function localFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
