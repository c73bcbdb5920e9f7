/**
 * End to end, with the real drivers: SQL Server stand-in (mssql over TDS) -> worker -> Snowflake
 * stand-in (snowflake-sdk over HTTP), orchestrated by the real Temporal dev server.
 */
import type { ApplicationFailure } from '@temporalio/client';
import { customerRows, orderRows, seedSampleData } from '../../scripts/sample-data';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  createMigrationEnvironment,
  KEY_PASSPHRASE,
  SOURCE_PASSWORD,
  TARGET_PASSWORD,
  type MigrationEnvironment,
} from '../support/migration-env';
import { canonicalRows, canonicalTargetRows, SAMPLE_TABLES, selectAllQuery } from '../support/target-values';

const CUSTOMERS = 1_200;
const ORDERS = 6_000;

describe('migrateTables end to end (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
  });
  afterAll(() => env?.close());

  async function resultOf(workflowId: string): Promise<RunSummary> {
    return env.summary(workflowId);
  }

  const failureOf = async (workflowId: string) => (await env.outcome(workflowId)) as ApplicationFailure;

  it('copies customers and orders exactly: every value of every column, per type', async () => {
    const config = env.config();
    await env.startWorker(config);
    const started = Date.now();
    const workflowId = await env.startRun(config);
    const summary = await resultOf(workflowId);

    expect(summary.status).toBe('succeeded');
    // Secrets stay with the worker: not in the workflow's history, not in the report files.
    const history = historyToJSON((await env.client.workflow.getHandle(workflowId).fetchHistory()) as never);
    const reports = summary.reportFiles!.map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const secret of [SOURCE_PASSWORD, TARGET_PASSWORD]) {
      expect(history).not.toContain(secret);
      expect(reports).not.toContain(secret);
    }
    expect(reports).toContain('| dbo.orders | STEVE_MCP.DATA_MIGRATION.ORDERS | published (created) |');
    expect(summary.tables.map((t) => [t.source, t.target, t.state, t.published, t.rowsCopied])).toEqual([
      ['dbo.customers', 'STEVE_MCP.DATA_MIGRATION.CUSTOMERS', 'published', 'created', CUSTOMERS],
      ['dbo.orders', 'STEVE_MCP.DATA_MIGRATION.ORDERS', 'published', 'created', ORDERS],
    ]);
    expect(summary.tables[1]!.batchesDone).toBe(Math.ceil(ORDERS / 500) + 1);
    expect(summary.tables.every((t) => t.validation?.passed)).toBe(true);

    const customers = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.customers));
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, customers)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
    const orders = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.orders));
    expect(canonicalTargetRows(SAMPLE_TABLES.orders, orders)).toEqual(
      canonicalRows(SAMPLE_TABLES.orders, orderRows(ORDERS, CUSTOMERS)),
    );

    const [metadata] = await env.snowflakeRows<Record<string, string>>(
      `SELECT COUNT(*) AS N, COUNT_IF("IS_MIGRATED") AS MIGRATED, MIN("MIGRATED_AT") AS FIRST, MAX("MIGRATED_AT") AS LAST FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS"`,
    );
    expect(metadata!.N).toBe(String(ORDERS));
    expect(metadata!.MIGRATED).toBe(String(ORDERS));
    expect(new Date(metadata!.FIRST!).getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(new Date(metadata!.LAST!).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const leftovers = await env.snowflakeRows(`SHOW TABLES IN SCHEMA "STEVE_MCP"."DATA_MIGRATION"`);
    expect(leftovers.map((t) => t.name).sort()).toEqual(['CUSTOMERS', 'ORDERS']);
  });

  it('refuses to run again under ifTargetExists: fail, before touching anything', async () => {
    const config = env.config();
    const failure = await failureOf(await env.startRun(config));
    expect(failure.type).toBe('TargetTableExists');
    expect(failure.message).toBe(
      'The target table STEVE_MCP.DATA_MIGRATION.CUSTOMERS already exists (ifTargetExists: fail).\n' +
        `What to do: ${hintFor('TargetTableExists')}`,
    );
    const summary = await env.failureSummary(failure);
    expect(summary.rolledBack).toEqual([]);
    const [count] = await env.snowflakeRows<{ N: string }>(
      'SELECT COUNT(*) AS N FROM "STEVE_MCP"."DATA_MIGRATION"."ORDERS"',
    );
    expect(count!.N).toBe(String(ORDERS));
  });

  it('replaces the tables with an exact copy under ifTargetExists: replace', async () => {
    const config = env.config({
      migration: { ifTargetExists: 'replace', loadMethod: 'insert', batchSize: 1000 },
    });
    const summary = await resultOf(await env.startRun(config));
    expect(summary.tables.map((t) => [t.published, t.rowsCopied])).toEqual([
      ['replaced', CUSTOMERS],
      ['replaced', ORDERS],
    ]);
    const orders = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.orders));
    expect(canonicalTargetRows(SAMPLE_TABLES.orders, orders)).toEqual(
      canonicalRows(SAMPLE_TABLES.orders, orderRows(ORDERS, CUSTOMERS)),
    );
    const tables = await env.snowflakeRows(`SHOW TABLES IN SCHEMA "STEVE_MCP"."DATA_MIGRATION"`);
    expect(tables.map((t) => t.name).sort()).toEqual(['CUSTOMERS', 'ORDERS']);
  });

  describe('with key-pair authentication, as production Snowflake users sign in', () => {
    const keyPairConfig = (schema: string, privateKeyFile: string) =>
      env.config({
        target: {
          schema,
          auth: {
            method: 'keyPair',
            privateKey: { file: privateKeyFile },
            passphrase: { env: 'TEST_SNOWFLAKE_KEY_PASSPHRASE' },
          },
        },
        temporal: { taskQueue: `key-pair-${schema}-${Date.now()}` },
        migration: { tables: ['dbo.customers'] },
      });

    it('migrates with an encrypted private key from a file and its passphrase from the environment', async () => {
      const config = keyPairConfig('KEY_PAIR', env.privateKeyFile);
      await env.startWorker(config);
      const summary = await resultOf(await env.startRun(config));
      expect(summary.tables.map((t) => [t.state, t.rowsCopied])).toEqual([['published', CUSTOMERS]]);
      const [count] = await env.snowflakeRows<{ N: string }>(
        'SELECT COUNT(*) AS N FROM "STEVE_MCP"."KEY_PAIR"."CUSTOMERS"',
      );
      expect(count!.N).toBe(String(CUSTOMERS));
    });

    it('stops at once with a key Snowflake does not know, saying what to check', async () => {
      const stranger = join(env.workDir, 'unregistered-key.p8');
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: {
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: KEY_PASSPHRASE,
        },
      });
      writeFileSync(stranger, privateKey);
      const config = keyPairConfig('WRONG_KEY', stranger);
      await env.startWorker(config);
      const failure = await failureOf(await env.startRun(config));
      expect(failure.type).toBe('TargetLoginFailed');
      expect(failure.message).toMatch(/JWT token is invalid/);
      expect((await env.failureSummary(failure)).error?.hint).toBe(
        'Check target.user and the password or key named by target.auth (default SNOWFLAKE_PASSWORD), and target.account.',
      );
    });
  });
});
