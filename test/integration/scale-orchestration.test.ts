/**
 * How far a run's histories stay inside Temporal's limits with thousands of tables: the real workflows on
 * the real dev server with in-memory activities (the databases are not under test here), and the real
 * report activity, which reads every table's details back from its child workflow. `npm test` runs 60
 * tables; `npm run test:scale:histories` runs 2,000 and prints the figures for the note on scale.
 *
 * Temporal's limits (defaults of the server): 51,200 events and 50 MB per history (it warns at 10,240
 * events and 10 MB), 2 MB per payload (it warns at 512 KB).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createWriteReport } from '../../src/activities/write-report';
import type { ActivityDeps } from '../../src/activities/deps';
import { runOutcome } from '../../src/cli/outcome';
import type { migrateTables } from '../../src/workflows';
import { fakeActivities, runInput } from '../support/fake-activities';
import { connectClient, uniqueTaskQueue, withWorker } from '../support/temporal';

const { HistoryEvent } = temporal.api.history.v1;
const TABLES = Number(process.env.SCALE_TABLES ?? 60);
const KB = 1024;

/** Events, bytes (as Temporal stores them) and the largest event of one history. */
interface HistoryFigures {
  events: number;
  bytes: number;
  largestEvent: number;
}

async function historyOf(client: Client, workflowId: string, runId?: string) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const sizes = (history.events ?? []).map((event) => HistoryEvent.encode(event).finish().length);
  const figures: HistoryFigures = {
    events: sizes.length,
    bytes: sizes.reduce((a, b) => a + b, 0),
    largestEvent: Math.max(...sizes),
  };
  const previousRun =
    history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  return { figures, previousRun };
}

/** Every run of a workflow that continued as new, the first first. */
async function runChain(client: Client, workflowId: string): Promise<HistoryFigures[]> {
  const chain: HistoryFigures[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const { figures, previousRun } = await historyOf(client, workflowId, runId);
    chain.unshift(figures);
    runId = previousRun;
  }
  return chain;
}

describe(`the histories of a ${TABLES}-table run (real dev server, in-memory activities)`, () => {
  let client: Client;
  let close: () => Promise<void>;
  const reportsDir = mkdtempSync(join(tmpdir(), 'scale-reports-'));
  beforeAll(async () => {
    ({ client, close } = await connectClient());
  });
  afterAll(async () => {
    await close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it(
    'keeps every history and every payload far inside the limits, and reports every table in full',
    async () => {
      // Three batches a table, the names as long as a real schema's.
      const tables = Array.from({ length: TABLES }, (_, i) => ({
        name: `order_line_history_${String(i).padStart(4, '0')}`,
        rows: 25,
      }));
      const fake = fakeActivities(tables);
      const activities = {
        ...fake.activities,
        writeReport: createWriteReport({ reportsDir } as ActivityDeps),
      };
      const taskQueue = uniqueTaskQueue('scale');
      const workflowId = `scale-${taskQueue}`;
      const began = Date.now();
      await withWorker({ taskQueue, activities, maxConcurrentActivityTaskExecutions: 64 }, () =>
        client.workflow.execute<typeof migrateTables>('migrateTables', {
          taskQueue,
          workflowId,
          // The defaults a user gets, but for more tables at once.
          args: [runInput(tables, { tablesInFlight: 20 })],
        }),
      );
      const wallMs = Date.now() - began;

      const summary = await runOutcome(client, client.workflow.getHandle(workflowId));
      expect(summary.status).toBe('succeeded');
      expect(summary.tables.filter((t) => t.state !== 'published' || t.rowsCopied !== 25)).toEqual([]);
      // The checks the run did not keep came back from every table's child, in the report too.
      expect(summary.tables.filter((t) => t.validation?.checks.length !== 1)).toEqual([]);
      const markdown = readFileSync(
        summary.reportFiles!.find((file) => file.endsWith('.md'))!,
        'utf8',
      );
      expect(markdown.match(/^### dbo\.order_line_history_\d{4} → .*: passed$/gm)).toHaveLength(TABLES);

      const runs = await runChain(client, workflowId);
      let largestChild: HistoryFigures = { events: 0, bytes: 0, largestEvent: 0 };
      for (let i = 0; i < TABLES; i += 1) {
        const { figures } = await historyOf(client, `${workflowId}.t${i}`);
        if (figures.events > largestChild.events) largestChild = figures;
      }
      const largest = (key: keyof HistoryFigures) => Math.max(...runs.map((run) => run[key]));
      process.stdout.write(
        `${TABLES} tables, 20 in flight: wall time ${(wallMs / 1000).toFixed(1)} s; the run continued as new ` +
          `${summary.continuedAsNew} time(s): ${runs.length} histories, the longest ${largest('events')} events and ` +
          `${Math.round(largest('bytes') / KB)} KB, the largest event (payload) ${Math.round(largest('largestEvent') / KB)} KB; ` +
          `the longest table history ${largestChild.events} events, ${Math.round(largestChild.bytes / KB)} KB\n`,
      );
      // Far inside: under the levels at which Temporal starts to warn, a fifth of its limits for a
      // history's events and bytes and a quarter of its limit for a payload. (2,000 tables, measured:
      // 4,219 events, 2.3 MB, 278 KB; the run continues as new when Temporal suggests it.)
      expect(largest('events')).toBeLessThanOrEqual(10_240);
      expect(largest('bytes')).toBeLessThanOrEqual(10 * KB * KB);
      expect(largest('largestEvent')).toBeLessThanOrEqual(512 * KB);
      expect(largestChild.events).toBeLessThan(100);
    },
    Math.max(120_000, TABLES * 2_000),
  );
});
