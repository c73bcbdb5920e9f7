/**
 * npm run bench -- --small-tables 200,2000 [--latency-ms 50]: what a small table costs beyond its rows.
 * Migrates one 3-row table alone, then runs of 200 and 2,000 such tables (tablesInFlight 8), each
 * without and with the cloud-like latency of --latency-ms on every request to the Snowflake stand-in,
 * through one compiled worker, and prints the wall times side by side as ratios to the one-table run.
 *
 * "Per table" in a run of many is the time a table holds one of the tablesInFlight slots on average:
 * wall time x slots / tables (the preflight included), comparable with the one-table run's wall time
 * (a table's own overhead). A measurement, not a test.
 */
import type { Client } from '@temporalio/client';
import { buildRunInput, newRunTag, workflowIdFor } from '../src/cli/run-input';
import { selectRunTables } from '../src/cli/selected-tables';
import { loadConfigFile } from '../src/config/load';
import { runSummary } from '../src/run-summary/records';
import type { migrateTables } from '../src/workflows';
import { localStackSecrets, type LocalStack } from './local-stack';
import { spawnWorkerProcess } from './worker-process';

export const TABLES_IN_FLIGHT = 8;
const ROWS_PER_TABLE = 3;
const tableName = (i: number) => `small.t${String(i).padStart(5, '0')}`;

interface SmallRun {
  tables: number;
  latencyMs: number;
  wallSeconds: number;
  /** Requests each stand-in received during the run. */
  sourceRequests: number;
  targetRequests: number;
}

/** `count` tables of 3 rows in the schema `small`, seeded in-process. */
export async function seedSmallTables(stack: LocalStack, count: number): Promise<void> {
  await stack.sqlserver.exec('CREATE SCHEMA small');
  for (let i = 1; i <= count; i += 1) {
    const table = tableName(i);
    await stack.sqlserver.exec(
      `CREATE TABLE ${table} (id int NOT NULL PRIMARY KEY, label nvarchar(40) NULL)\nGO\n` +
        `INSERT INTO ${table} (id, label) VALUES ${Array.from({ length: ROWS_PER_TABLE }, (_, r) => `(${r + 1}, N'row ${r + 1}')`).join(', ')}`,
    );
  }
}

/** A config migrating the first `count` small tables, tablesInFlight 8, by COPY. */
export function smallTablesConfig(stack: LocalStack, count: number, workflowBundle: string): string {
  return stack.writeConfig(
    `bench-small-${count}`,
    {
      tables: Array.from({ length: count }, (_, i) => tableName(i + 1)),
      tablesInFlight: TABLES_IN_FLIGHT,
      loadMethod: 'copy',
    },
    { logLevel: 'warn', workflowBundle },
  );
}

/** Starts a run of the config's tables, as `start` does; the stand-ins' traffic counted from here. */
export async function startSmallRun(stack: LocalStack, client: Client, configPath: string) {
  const config = loadConfigFile(configPath);
  const tables = await selectRunTables(config);
  stack.sqlserver.traffic(true);
  stack.snowflake.traffic(true);
  return client.workflow.start<typeof migrateTables>('migrateTables', {
    taskQueue: config.temporal.taskQueue,
    workflowId: workflowIdFor(config, tables),
    args: [buildRunInput(config, newRunTag(), tables)],
  });
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export async function benchSmallTables(
  stack: LocalStack,
  client: Client,
  options: { counts: number[]; latencyMs: number; workflowBundle: string; log: (line: string) => void },
): Promise<void> {
  const { log } = options;
  const counts = [1, ...options.counts.filter((n) => n > 1)];
  const latencies = options.latencyMs > 0 ? [0, options.latencyMs] : [0];
  const seeded = Date.now();
  log(`Creating ${Math.max(...counts).toLocaleString('en-US')} tables of ${ROWS_PER_TABLE} rows...`);
  await seedSmallTables(stack, Math.max(...counts));
  log(`  done in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const configFor = (count: number) => smallTablesConfig(stack, count, options.workflowBundle);
  const worker = spawnWorkerProcess(configFor(1), localStackSecrets(), { compiled: true });
  const runs: SmallRun[] = [];
  try {
    await worker.ready;
    for (const latencyMs of latencies) {
      for (const count of counts) {
        // Every run starts from an empty target, as a first migration does.
        stack.snowflake.faults.setLatency(0);
        await stack.snowflake.query('DROP DATABASE IF EXISTS STEVE_MCP');
        stack.snowflake.faults.setLatency(latencyMs);
        log(`Migrating ${count} small table(s), Snowflake latency ${latencyMs} ms...`);
        const began = Date.now();
        const handle = await startSmallRun(stack, client, configFor(count));
        const summary = runSummary(await Promise.race([handle.result(), worker.crashed]));
        const wallSeconds = (Date.now() - began) / 1000;
        if (summary.status !== 'succeeded') throw new Error(`the run of ${count} tables ${summary.status}`);
        log(`  ${count} table(s) in ${wallSeconds.toFixed(1)} s`);
        runs.push({
          tables: count,
          latencyMs,
          wallSeconds,
          sourceRequests: sum(stack.sqlserver.traffic().requests),
          targetRequests: sum(stack.snowflake.traffic().requests),
        });
      }
    }
  } finally {
    stack.snowflake.faults.setLatency(0);
    await worker.kill('SIGTERM');
  }
  printSmallRuns(runs);
}

function printSmallRuns(runs: SmallRun[]): void {
  const header = [
    'tables',
    'latency',
    'wall time',
    'per table (slot time)',
    'x one table',
    'SQL Server requests/table',
    'Snowflake requests/table',
  ];
  const lines = runs.map((r) => {
    const alone = runs.find((o) => o.tables === 1 && o.latencyMs === r.latencyMs)!;
    const perTable = (r.wallSeconds * Math.min(TABLES_IN_FLIGHT, r.tables)) / r.tables;
    return [
      r.tables.toLocaleString('en-US'),
      `${r.latencyMs} ms`,
      `${r.wallSeconds.toFixed(1)} s`,
      `${perTable.toFixed(2)} s`,
      (perTable / alone.wallSeconds).toFixed(2),
      (r.sourceRequests / r.tables).toFixed(1),
      (r.targetRequests / r.tables).toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(
    `\n${row(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(row).join('\n')}\n`,
  );
  console.log(
    `per table = wall time x ${TABLES_IN_FLIGHT} slots (tablesInFlight) / tables; x one table = that over the wall time of one table migrated alone at the same latency. Goal: under 2 s per table.\n`,
  );
}
