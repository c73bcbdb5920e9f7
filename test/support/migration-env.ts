/**
 * A complete migration environment for integration tests: the SQL Server and Snowflake stand-ins
 * (real drivers over sockets), the shared Temporal dev server, and a worker built exactly as
 * production builds it. Nothing here mocks a driver or Temporal.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WorkflowFailedError, type ApplicationFailure, type Client } from '@temporalio/client';
import { startSnowflakeEmulator, type SnowflakeEmulator } from '../../emulators/snowflake';
import {
  startSqlServerEmulator,
  type SqlServerEmulator,
  type SqlServerEmulatorOptions,
} from '../../emulators/sqlserver';
import { buildRunInput, newRunTag } from '../../src/cli/run-input';
import { selectRunTables } from '../../src/cli/selected-tables';
import { parseConfig } from '../../src/config/load';
import type { MigratorConfig } from '../../src/config/schema';
import { runOutcome } from '../../src/cli/outcome';
import { type MigrationRunInput } from '../../src/contracts/run-input';
import { RunResultSchema, type RunSummary } from '../../src/contracts/outcomes';
import { withTableOutcomes } from '../../src/outcomes/table-outcomes';
import { runSummary } from '../../src/run-summary/records';
import { createLogger } from '../../src/logging';
import { createTargetConnection, execute, type TargetConnection } from '../../src/snowflake/connection';
import { startWorker, type RunningWorker } from '../../src/worker-runtime';
import type { migrateTables } from '../../src/workflows';
import { tableProgressQuery, type TableLiveProgress } from '../../src/workflows/messages';
import { tableWorkflowId } from '../../src/run-summary/records';
import { connectClient, temporalAddress, uniqueTaskQueue, workflowBundle } from './temporal';

export const SOURCE_PASSWORD = 'S0urce!Passw0rd';
export const TARGET_PASSWORD = 'T4rget!Passw0rd';
export const SOURCE_DATABASE = 'shop';
export const TARGET_USER = 'MIGRATOR';

export const KEY_PASSPHRASE = 'K3y!Passphr4se';

/** The target user's key pair (also registered with the stand-in): an encrypted PKCS#8 private key. */
const targetKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: KEY_PASSPHRASE },
});

/** Secrets as the worker reads them: from environment variables named by the config. */
export const SECRETS_ENV = {
  TEST_MSSQL_PASSWORD: SOURCE_PASSWORD,
  TEST_SNOWFLAKE_PASSWORD: TARGET_PASSWORD,
  TEST_SNOWFLAKE_KEY_PASSPHRASE: KEY_PASSPHRASE,
  TEST_WRONG_PASSWORD: 'not-the-password',
};

type RawConfig = Record<string, Record<string, unknown>>;

export interface MigrationEnvironment {
  sqlserver: SqlServerEmulator;
  snowflake: SnowflakeEmulator;
  client: Client;
  /** A target session through the real snowflake-sdk, for assertions. */
  target: TargetConnection;
  workDir: string;
  /** The target user's private key (encrypted with KEY_PASSPHRASE), as a file a config can name. */
  privateKeyFile: string;
  /** A config for this environment; `overrides` are merged per section. */
  config(overrides?: RawConfig): MigratorConfig;
  /** The same config written to a YAML file (for child-process workers and the CLI). */
  configFile(config: MigratorConfig): string;
  startWorker(config: MigratorConfig): Promise<RunningWorker>;
  /** Starts a run of the config's tables; `input` overrides fields of the workflow input no config has. */
  startRun(config: MigratorConfig, input?: Partial<MigrationRunInput>): Promise<string>;
  snowflakeRows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** A table's live progress as `status` reads it from its child; undefined while the child is not there. */
  tableProgress(workflowId: string, index: number): Promise<TableLiveProgress | undefined>;
  /** How a run ended: its summary as the CLI reads it, or the failure it failed with. */
  outcome(workflowId: string): Promise<RunSummary | ApplicationFailure>;
  /** An ended run's summary as the CLI reads it, however it ended (tables' details from their children). */
  summary(workflowId: string): Promise<RunSummary>;
  /** The summary a failed run carries in its failure's details, read as the CLI reads it. */
  failureSummary(failure: ApplicationFailure): Promise<RunSummary>;
  /** The tables in a schema of the target database, sorted. */
  tablesIn(schema: string, database?: string): Promise<string[]>;
  close(): Promise<void>;
}

/** How the SQL Server stand-in is set up beyond its seed: a certificate, Force Encryption, an Entra tenant. */
export type SqlServerSetup = Pick<SqlServerEmulatorOptions, 'tls' | 'forceEncryption' | 'entraId'>;

/**
 * `snowflakeAdminSql`: statements the Snowflake stand-in runs at start-up as an account administrator,
 * to set the account up like a real one (ALTER ACCOUNT / ALTER USER ... SET). `sqlserver`: the SQL Server
 * stand-in's TLS set-up.
 */
export async function createMigrationEnvironment(
  seed: string[],
  options: { snowflakeAdminSql?: string[]; sqlserver?: SqlServerSetup } = {},
): Promise<MigrationEnvironment> {
  const workDir = mkdtempSync(join(tmpdir(), 'migration-it-'));
  const privateKeyFile = join(workDir, 'snowflake-key.p8');
  writeFileSync(privateKeyFile, targetKeys.privateKey, { mode: 0o600 });
  const sqlserver = await startSqlServerEmulator({
    password: SOURCE_PASSWORD,
    databases: [SOURCE_DATABASE],
    seed,
    ...options.sqlserver,
  });
  const snowflake = await startSnowflakeEmulator({
    users: [{ name: TARGET_USER, password: TARGET_PASSWORD, publicKeyPem: targetKeys.publicKey }],
    adminSql: options.snowflakeAdminSql,
  });
  const { client, close: closeClient } = await connectClient();
  const taskQueue = uniqueTaskQueue('migrate');
  const workers: RunningWorker[] = [];

  const config = (overrides: RawConfig = {}): MigratorConfig =>
    parseConfig(
      {
        source: {
          server: sqlserver.host,
          port: sqlserver.port,
          database: SOURCE_DATABASE,
          user: 'sa',
          password: { env: 'TEST_MSSQL_PASSWORD' },
          encrypt: false,
          trustServerCertificate: true,
          ...overrides.source,
        },
        target: {
          account: snowflake.account,
          accessUrl: snowflake.url,
          user: TARGET_USER,
          auth: { method: 'password', password: { env: 'TEST_SNOWFLAKE_PASSWORD' } },
          warehouse: 'COMPUTE_WH',
          ...overrides.target,
        },
        temporal: { address: temporalAddress(), taskQueue, ...overrides.temporal },
        migration: { batchSize: 500, batchesInFlight: 3, heartbeatTimeoutSeconds: 5, ...overrides.migration },
        worker: {
          workDir: join(workDir, 'batches'),
          reportsDir: join(workDir, 'reports'),
          logLevel: 'warn',
          ...overrides.worker,
        },
      },
      'test config',
      {},
    );
  const target = createTargetConnection(config().target, { password: TARGET_PASSWORD });
  const snowflakeRows = <T = Record<string, unknown>>(sql: string) =>
    target.use((session) => execute<T>(session, sql, undefined, { fetchAsString: ['Number'] }));

  return {
    sqlserver,
    snowflake,
    client,
    target,
    workDir,
    privateKeyFile,
    config,
    configFile(cfg) {
      const path = join(workDir, `config-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(path, stringify(cfg));
      return path;
    },
    async startWorker(cfg) {
      const running = await startWorker(cfg, {
        env: SECRETS_ENV,
        workflowBundle: workflowBundle(),
        logger: createLogger('warn'),
      });
      workers.push(running);
      return running;
    },
    tableProgress: (workflowId, index) =>
      client.workflow
        .getHandle(tableWorkflowId(workflowId, index))
        .query(tableProgressQuery)
        .catch(() => undefined),
    async startRun(cfg, input = {}) {
      const runTag = newRunTag();
      // Unique per run, unlike `start`'s id per selection: tests run the same tables side by side.
      const workflowId = `migrate-test-${runTag}`;
      const tables = await selectRunTables(cfg, SECRETS_ENV);
      await client.workflow.start<typeof migrateTables>('migrateTables', {
        taskQueue: cfg.temporal.taskQueue,
        workflowId,
        args: [{ ...buildRunInput(cfg, runTag, tables), ...input }],
      });
      return workflowId;
    },
    snowflakeRows,
    async outcome(workflowId) {
      const handle = client.workflow.getHandle(workflowId);
      try {
        await handle.result();
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        return err.cause as ApplicationFailure;
      }
      return runOutcome(client, handle);
    },
    summary: (workflowId) => runOutcome(client, client.workflow.getHandle(workflowId)),
    failureSummary: (failure) =>
      withTableOutcomes(client.workflow, runSummary(RunResultSchema.parse(failure.details?.[0]))),
    async tablesIn(schema, database = 'STEVE_MCP') {
      const rows = await snowflakeRows(`SHOW TABLES IN SCHEMA "${database}"."${schema}"`);
      return rows.map((t) => String(t.name)).sort();
    },
    async close() {
      for (const w of workers) {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
      }
      await Promise.allSettled(workers.map((w) => w.finished));
      await target.close();
      await closeClient();
      await Promise.allSettled([sqlserver.close(), snowflake.close()]);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
