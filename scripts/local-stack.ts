/**
 * The embedded default environment, for the demo and the benchmark: a Temporal dev server (the
 * official CLI, with its Web UI), the SQL Server and Snowflake stand-ins, a config pointing at them,
 * and the secrets in this process's environment. Everything started here is stopped by `stop()`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSnowflakeEmulator, type SnowflakeEmulator } from '../emulators/snowflake';
import { startSqlServerEmulator, type SqlServerEmulator } from '../emulators/sqlserver';
import { MIGRATION_SEARCH_ATTRIBUTES } from '../src/workflows/search-attributes';
import { claimPort } from './port-claim';
import { isListening } from './port-probe';
import { ensureTemporalCli } from './temporal-cli';

export const LOCAL_SOURCE_PASSWORD_ENV = 'LOCAL_MSSQL_PASSWORD';
export const LOCAL_TARGET_PASSWORD_ENV = 'LOCAL_SNOWFLAKE_PASSWORD';

/** The stack's secrets, as a worker process started for it needs them in its environment. */
export const localStackSecrets = (): NodeJS.ProcessEnv => ({
  [LOCAL_SOURCE_PASSWORD_ENV]: process.env[LOCAL_SOURCE_PASSWORD_ENV],
  [LOCAL_TARGET_PASSWORD_ENV]: process.env[LOCAL_TARGET_PASSWORD_ENV],
});

export interface LocalStack {
  temporalAddress: string;
  webUiUrl: string;
  sqlserver: SqlServerEmulator;
  snowflake: SnowflakeEmulator;
  /** Writes a config for this stack (migration section given) and returns its path. */
  writeConfig(name: string, migration: Record<string, unknown>, worker?: Record<string, unknown>): string;
  stop(): Promise<void>;
}

/** Whether what listens at `address` answers as Temporal (only asked once something listens: see port-probe). */
async function isTemporal(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_VALUE_TYPES: Record<
  (typeof MIGRATION_SEARCH_ATTRIBUTES)[number]['type'],
  temporal.api.enums.v1.IndexedValueType
> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/** Registers the migrator's search attributes on a server we did not start (ignored if present). */
async function registerSearchAttributes(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.operatorService
      .addSearchAttributes({
        namespace: 'default',
        searchAttributes: Object.fromEntries(
          MIGRATION_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]]),
        ),
      })
      .catch(() => undefined);
  } finally {
    await connection.close();
  }
}

export async function startLocalStack(options: {
  dataDir: string;
  log: (line: string) => void;
  /**
   * Without a port: a private dev server on a free port, never one already running. keepHistory (the
   * default) keeps its workflow histories in dataDir for the next start; false keeps them in memory.
   */
  temporal: { port?: number; uiPort?: number; ui: boolean; keepHistory?: boolean };
  /** Once aborted, what was started is stopped after the step under way, and this throws. */
  stop?: AbortSignal;
}): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  const { port, uiPort = 8233 } = options.temporal;
  let address = `127.0.0.1:${port}`;
  const webUiUrl = `http://localhost:${uiPort}`;
  // Its own task queue, so that a worker of another run on a shared server never takes this stack's tasks.
  const taskQueue = `local-${Math.random().toString(36).slice(2, 10)}`;
  const stopIfAsked = () => {
    if (options.stop?.aborted) throw new Error('Stopped while starting the local stack.');
  };
  try {
    if (port) {
      const release = claimPort(port);
      stoppers.push(async () => release());
    }
    if (port && (await isListening('127.0.0.1', port))) {
      if (!(await isTemporal(address)))
        throw new Error(
          `Port ${port} is in use by something that is not a Temporal server: choose another port (--temporal-port).`,
        );
      options.log(
        `Using the Temporal server already listening on ${address} (not started here), with this run's own task queue ${taskQueue}.`,
      );
      await registerSearchAttributes(address);
    } else {
      if (options.temporal.ui && (await isListening('127.0.0.1', uiPort)))
        throw new Error(
          `Port ${uiPort} for the Temporal Web UI is in use (another demo?): choose another port (--ui-port).`,
        );
      const cli = await ensureTemporalCli(options.log);
      options.log(`Starting the Temporal dev server (${cli.source}${cli.path ? `: ${cli.path}` : ''})...`);
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: cli.executable,
          ip: '127.0.0.1',
          port: options.temporal.port,
          ui: options.temporal.ui,
          uiPort: options.temporal.uiPort,
          searchAttributes: [...MIGRATION_SEARCH_ATTRIBUTES],
          ...(options.temporal.keepHistory === false
            ? {}
            : { dbFilename: join(options.dataDir, 'temporal.sqlite') }),
          // No "CLI 0.0.0-DEV" banner with the addresses: the demo prints the run's own Web UI link.
          extraArgs: ['--output', 'none'],
        },
      }).catch((err: Error) => {
        throw new Error(
          `The Temporal dev server did not start on 127.0.0.1:${port ?? '(free port)'}: ${err.message}\n` +
            'Is another demo starting at the same time? Choose other ports (--temporal-port, --ui-port).',
        );
      });
      stoppers.push(() => env.teardown());
      address = env.address;
      stopIfAsked();
    }

    const sourcePassword = `Local!${Math.random().toString(36).slice(2, 10)}A1`;
    const targetPassword = `Local!${Math.random().toString(36).slice(2, 10)}B2`;
    process.env[LOCAL_SOURCE_PASSWORD_ENV] = sourcePassword;
    process.env[LOCAL_TARGET_PASSWORD_ENV] = targetPassword;
    const sqlserver = await startSqlServerEmulator({ password: sourcePassword, databases: ['shop'] });
    stoppers.push(() => sqlserver.close());
    stopIfAsked();
    const snowflake = await startSnowflakeEmulator({
      users: [{ name: 'MIGRATOR', password: targetPassword }],
    });
    stoppers.push(() => snowflake.close());
    stopIfAsked();

    return {
      temporalAddress: address,
      webUiUrl,
      sqlserver,
      snowflake,
      writeConfig(name, migration, worker = {}) {
        const path = join(options.dataDir, `${name}.yaml`);
        const config = {
          source: {
            server: sqlserver.host,
            port: sqlserver.port,
            database: 'shop',
            user: sqlserver.user,
            password: { env: LOCAL_SOURCE_PASSWORD_ENV },
            encrypt: false,
            trustServerCertificate: true,
          },
          target: {
            account: snowflake.account,
            accessUrl: snowflake.url,
            user: 'MIGRATOR',
            auth: { method: 'password', password: { env: LOCAL_TARGET_PASSWORD_ENV } },
            warehouse: 'COMPUTE_WH',
          },
          temporal: { address, webUiUrl, taskQueue },
          migration,
          worker: {
            reportsDir: join(options.dataDir, 'reports'),
            workDir: join(options.dataDir, 'batches'),
            ...worker,
          },
        };
        writeFileSync(
          path,
          `# Written by scripts/local-stack.ts for the local stand-ins.\n${stringify(config)}`,
        );
        return path;
      },
      async stop() {
        for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}
