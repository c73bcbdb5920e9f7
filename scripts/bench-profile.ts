/**
 * npm run bench -- --profile-small-tables 1 [--latency-ms 50]: where the wall time of a run of small
 * tables goes. Migrates that many 3-row tables (tablesInFlight 8) through a compiled worker, then reads
 * back the run's and every table child's Temporal history and prints, per step, the time it waited for a
 * worker (scheduled → started) and the time it ran (started → closed): the run's and the first child's
 * steps one by one, then the totals by step over all children; then each stand-in's requests and the time
 * it spent answering them. A measurement, not a test (scripts/history-profile.ts reads the histories).
 */
import type { Client } from '@temporalio/client';
import type { Traffic } from '../emulators/shared/traffic';
import { runSummary } from '../src/run-summary/records';
import { seedSmallTables, smallTablesConfig, startSmallRun } from './bench-small-tables';
import {
  childWorkflowIds,
  historyStart,
  profileHistory,
  totalsByStep,
  type ProfileStep,
} from './history-profile';
import { localStackSecrets, type LocalStack } from './local-stack';
import { spawnWorkerProcess } from './worker-process';

function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `${row(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(row).join('\n')}\n`,
  );
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')}`;

function printSteps(title: string, steps: ProfileStep[]): void {
  console.log(title);
  printTable(
    ['step', 'at ms', 'queued ms', 'ran ms'],
    steps.map((s) => [s.step, ms(s.at), ms(s.queuedMs), ms(s.runMs)]),
  );
}

/** A statement's first words: statements of one kind group under them. */
const statementKind = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 90);

function printTraffic(side: string, traffic: Traffic, tables: number): void {
  console.log(`${side}: requests and the time the stand-in spent answering them (summed; they may overlap)`);
  printTable(
    ['request', 'count', 'busy ms'],
    Object.entries(traffic.requests).map(([kind, count]) => [
      kind,
      String(count),
      ms(traffic.busyMs[kind] ?? 0),
    ]),
  );
  const kinds = new Map<string, number>();
  for (const text of traffic.statements)
    kinds.set(statementKind(text), (kinds.get(statementKind(text)) ?? 0) + 1);
  printTable(
    ['statement', 'per table'],
    [...kinds].sort((a, b) => b[1] - a[1]).map(([text, count]) => [text, (count / tables).toFixed(2)]),
  );
}

export async function profileSmallTables(
  stack: LocalStack,
  client: Client,
  options: { tables: number; latencyMs: number; workflowBundle: string; log: (line: string) => void },
): Promise<void> {
  const { log, tables } = options;
  await seedSmallTables(stack, tables);
  const configPath = smallTablesConfig(stack, tables, options.workflowBundle);
  const worker = spawnWorkerProcess(configPath, localStackSecrets(), { compiled: true });
  try {
    await worker.ready;
    stack.snowflake.faults.setLatency(options.latencyMs);
    log(`Migrating ${tables} small table(s), Snowflake latency ${options.latencyMs} ms...`);
    const began = Date.now();
    const handle = await startSmallRun(stack, client, configPath);
    const summary = runSummary(await Promise.race([handle.result(), worker.crashed]));
    const wallMs = Date.now() - began;
    if (summary.status !== 'succeeded') throw new Error(`the run of ${tables} tables ${summary.status}`);
    const source = stack.sqlserver.traffic();
    const target = stack.snowflake.traffic();

    const runEvents = (await handle.fetchHistory()).events ?? [];
    const origin = historyStart(runEvents);
    const children = await Promise.all(
      childWorkflowIds(runEvents).map(async (id) => {
        const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
        return profileHistory(id, events, origin);
      }),
    );
    const runSteps = profileHistory(handle.workflowId, runEvents, origin);
    const last = (steps: ProfileStep[]) => Math.max(...steps.map((s) => s.at + s.queuedMs + s.runMs));
    console.log(
      `\n${tables} table(s): ${ms(wallMs)} ms from start() to the result; the run's history spans ${ms(last(runSteps))} ms.\n`,
    );
    printSteps(`The run (${handle.workflowId}):`, runSteps);
    if (children[0]) printSteps(`Its first table's child (${children[0][0]?.workflow}):`, children[0]);
    const allChildSteps = children.flat();
    console.log(`Totals by step over the ${children.length} table child(ren):`);
    printTable(
      ['step', 'count', 'queued ms', 'ran ms', 'ran ms each'],
      totalsByStep(allChildSteps).map((t) => [
        t.step,
        String(t.count),
        ms(t.queuedMs),
        ms(t.runMs),
        ms(t.runMs / t.count),
      ]),
    );
    printTraffic('SQL Server stand-in', source, tables);
    printTraffic('Snowflake stand-in', target, tables);
  } finally {
    stack.snowflake.faults.setLatency(0);
    await worker.kill('SIGTERM');
  }
}
