/**
 * A run through outages of both sides, for the short end-to-end test in `npm test` and the long one
 * behind `npm run test:outage`: Snowflake unreachable while the tables are analysed, SQL Server
 * restarting in the middle of the copy, then Snowflake unreachable during the copy. Also what a test
 * checks after a run: exact rows, and nothing of the run left in the stage or the local folders.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MigratorConfig } from '../../src/config/schema';
import type { RunSummary } from '../../src/contracts/outcomes';
import { queryRunProgress } from '../../src/cli/live-progress';
import type { RunProgress } from '../../src/workflows/messages';
import type { MigrationEnvironment } from './migration-env';

export interface OutageDurations {
  /** Snowflake unreachable from the start of the run (the tables are being analysed). */
  analysisTargetMs: number;
  /** SQL Server cuts every connection and refuses new ones, once batches of the orders are done. */
  sourceMs: number;
  /** Snowflake unreachable again after SQL Server is back, during the copy. */
  copyTargetMs: number;
}

/** Starts a run of `config` (which must copy dbo.orders), applies the outages and returns how it ended. */
export async function runThroughOutages(
  env: MigrationEnvironment,
  config: MigratorConfig,
  outages: OutageDurations,
): Promise<{ summary: RunSummary; waitingFor: Set<string> }> {
  const handle = env.client.workflow.getHandle(await env.startRun(config));
  const waitingFor = new Set<string>();
  const progressUntil = async (done: (p: RunProgress) => boolean) => {
    for (;;) {
      const progress = await queryRunProgress(env.client, handle);
      if (progress?.outage) waitingFor.add(progress.outage.service);
      if (progress && done(progress)) return;
      await sleep(100);
    }
  };
  const ordersDone = (p: RunProgress) => p.tables.find((t) => t.source === 'dbo.orders')?.batchesDone ?? 0;

  env.sqlserver.faults.setLatency(20); // the copy must last until the outages are over
  env.snowflake.faults.unreachable({ forMs: outages.analysisTargetMs });
  await progressUntil((p) => ordersDone(p) >= 2);
  env.sqlserver.faults.outage({ forMs: outages.sourceMs });
  await progressUntil((p) => p.outage?.service === 'SQL Server');
  await progressUntil((p) => !p.outage && ordersDone(p) >= 6);
  env.snowflake.faults.unreachable({ forMs: outages.copyTargetMs });
  env.sqlserver.faults.setLatency(0);
  return { summary: (await env.outcome(handle.workflowId)) as RunSummary, waitingFor };
}

/** Rows, distinct keys and the key sum of a migrated orders table, and what they must be. */
export async function orderCounts(env: MigrationEnvironment, schema: string, orders: number) {
  const [actual] = await env.snowflakeRows<Record<string, string>>(
    `SELECT COUNT(*) AS N, COUNT(DISTINCT "ORDER_ID") AS KEYS, SUM("ORDER_ID") AS KEY_SUM FROM "STEVE_MCP"."${schema}"."ORDERS"`,
  );
  // Sample order keys run from 2,000,000,001 up.
  const keySum = (BigInt(orders) * (2_000_000_000n + BigInt(orders) + 1n)) / 2n;
  return { actual, expected: { N: String(orders), KEYS: String(orders), KEY_SUM: String(keySum) } };
}

/** The run's files still in the stage of a schema of STEVE_MCP. */
export function stagedFiles(env: MigrationEnvironment, schema: string, runTag: string) {
  return env.snowflakeRows(`LIST @"STEVE_MCP"."${schema}"."MIGRATOR_STAGE"/${runTag}/`);
}

/** Files (not folders) left in the workers' batch folders. */
export function localBatchFiles(env: MigrationEnvironment): string[] {
  const root = join(env.workDir, 'batches');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) =>
    statSync(join(root, p)).isFile(),
  );
}
