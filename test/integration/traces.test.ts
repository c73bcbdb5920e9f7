/**
 * Traces as an operator turns them on: a worker process (`src/worker.ts`) with worker.tracing.otlpEndpoint
 * and a workflow bundle built by `npm run build:workflows -- --tracing` runs a real migration; a collector
 * stand-in on loopback (test/support/otlp-collector.ts) records what arrives over OTLP/HTTP. Every activity
 * execution the run's histories hold has its span, the batches' spans name their table and batch, and the
 * whole run is one trace. With the setting off nothing is sent; a bundle that does not match the setting
 * is refused. Runs begun without tracing replay under the tracing interceptors, so tracing can be turned
 * on while runs are open.
 */
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { seedSampleData } from '../../scripts/sample-data';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { spawnWorkerProcess, type WorkerProcess } from '../../scripts/worker-process';
import type { RunSummary } from '../../src/contracts/outcomes';
import type { CopyBatchInput } from '../../src/contracts/activities';
import { startTracing } from '../../src/tracing';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { startOtlpCollector, type OtlpCollector, type RecordedSpan } from '../support/otlp-collector';
import { loadRecordedHistories } from '../support/replay';

const CUSTOMERS = 300;
const ORDERS = 1_100;

interface ActivityExecution {
  type: string;
  /** Executions of the activity: its last attempt's number. */
  attempts: number;
  input: unknown;
}

/** Every activity a run's workflow and its children scheduled, read from their histories. */
async function activityExecutions(
  env: MigrationEnvironment,
  workflowId: string,
): Promise<ActivityExecution[]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<number, Omit<ActivityExecution, 'attempts'>>();
  const executions: ActivityExecution[] = [];
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes)
      scheduled.set(Number(event.eventId), {
        type: attributes.activityType!.name!,
        input: defaultPayloadConverter.fromPayload(attributes.input!.payloads![0]!),
      });
    const started = event.activityTaskStartedEventAttributes;
    if (started)
      executions.push({ ...scheduled.get(Number(started.scheduledEventId))!, attempts: started.attempt! });
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) executions.push(...(await activityExecutions(env, child.workflowId!)));
  }
  return executions;
}

function countBy<T>(items: T[], key: (item: T) => string, weight: (item: T) => number = () => 1) {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + weight(item);
  return counts;
}

describe('traces (worker process, OTLP/HTTP to a collector stand-in, stand-ins, dev server)', () => {
  let env: MigrationEnvironment;
  let collector: OtlpCollector;
  let tracedBundle: string;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
    collector = await startOtlpCollector();
    tracedBundle = await writeWorkflowBundle(join(env.workDir, 'traced-workflow-bundle.js'), {
      tracing: true,
    });
  });
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await collector?.close();
    await env?.close();
  });

  it('sends one span per activity execution, the batches naming table and batch, all in the run’s trace', async () => {
    const config = env.config({
      migration: { batchSize: 250 },
      worker: { workflowBundle: tracedBundle, tracing: { otlpEndpoint: collector.url } },
    });
    worker = spawnWorkerProcess(env.configFile(config), SECRETS_ENV);
    await worker.ready;
    const workflowId = await env.startRun(config);
    const summary = (await env.outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    // A worker sends what its batch processor still holds as it stops (SIGTERM: a graceful stop).
    await worker.kill('SIGTERM');
    expect(worker.child.exitCode).toBe(0);

    const spans = collector.spans();
    const executions = await activityExecutions(env, workflowId);
    const activitySpans = spans.filter((s) => s.name.startsWith('RunActivity:'));
    expect(countBy(activitySpans, (s) => s.name.slice('RunActivity:'.length))).toEqual(
      countBy(
        executions,
        (e) => e.type,
        (e) => e.attempts,
      ),
    );

    // The batches' spans: exactly the batches the workflows scheduled, by table and number.
    const batchesOf = (items: { table: unknown; batch: unknown }[]) =>
      items.map(({ table, batch }) => `${String(table)} #${String(batch)}`).sort();
    const copyBatches = executions.filter((e) => e.type === 'copyBatch');
    const batches = summary.tables.reduce((sum, t) => sum + t.batchesDone, 0);
    expect(copyBatches).toHaveLength(batches);
    expect(batches).toBeGreaterThanOrEqual(2 + 5);
    expect(
      batchesOf(
        activitySpans
          .filter((s) => s.name === 'RunActivity:copyBatch')
          .map((s) => ({ table: s.attributes['migrator.table'], batch: s.attributes['migrator.batch'] })),
      ),
    ).toEqual(
      batchesOf(
        copyBatches.map((e) => {
          const input = e.input as CopyBatchInput;
          return {
            table: `${input.task.source.schema}.${input.task.source.table}`,
            batch: input.batch.index,
          };
        }),
      ),
    );
    for (const span of activitySpans.filter((s) => s.name === 'RunActivity:validateTable'))
      expect(['dbo.customers', 'dbo.orders']).toContain(span.attributes['migrator.table']);

    // Workflows have spans too, and the run is one trace: the run's span is its root, every other span
    // has its parent among the spans sent (activities under the workflow that scheduled them).
    const runSpan = spans.find((s) => s.name === 'RunWorkflow:migrateTables');
    expect(runSpan).toBeDefined();
    expect(runSpan!.parentSpanId).toBeUndefined();
    expect(spans.filter((s) => s.name === 'RunWorkflow:migrateTable')).toHaveLength(2);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([runSpan!.traceId]));
    const ids = new Set(spans.map((s) => s.spanId));
    const orphans = spans.filter((s: RecordedSpan) => s !== runSpan && !ids.has(s.parentSpanId ?? ''));
    expect(orphans).toEqual([]);
    expect(new Set(spans.map((s) => s.resource['service.name']))).toEqual(
      new Set(['sqlserver-snowflake-migrator']),
    );
  });

  it('sends nothing with the setting off, even with the OpenTelemetry environment variables set', async () => {
    const before = collector.requests();
    const config = env.config({ target: { schema: 'TRACES_OFF' } });
    const previous = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
    try {
      const running = await env.startWorker(config);
      const workflowId = await env.startRun(config);
      expect(((await env.outcome(workflowId)) as RunSummary).status).toBe('succeeded');
      running.worker.shutdown();
      await running.finished;
    } finally {
      if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = previous;
    }
    expect(collector.requests()).toBe(before);
  });

  it('refuses a prebuilt bundle that does not match the setting, saying how to build it', async () => {
    // env.startWorker hands the worker the shared bundle, built without the interceptors.
    await expect(
      env.startWorker(env.config({ worker: { tracing: { otlpEndpoint: collector.url } } })),
    ).rejects.toThrow(
      'worker.tracing.otlpEndpoint is set, but the workflow bundle was built without the tracing interceptors: ' +
        'build it with `npm run build:workflows -- --tracing`, or leave worker.workflowBundle unset.',
    );
    worker = spawnWorkerProcess(
      env.configFile(env.config({ worker: { workflowBundle: tracedBundle } })),
      SECRETS_ENV,
    );
    await expect(worker.ready).rejects.toThrow(
      `${tracedBundle} was built with the tracing interceptors (--tracing), but worker.tracing.otlpEndpoint is not set`,
    );
  });

  it('replays every recorded history, begun without tracing, under the tracing interceptors', async () => {
    const recorded = loadRecordedHistories();
    const tracing = startTracing(collector.url);
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: tracedBundle }, ...tracing.workerOptions(false) },
      recorded,
    )) {
      expect([result.workflowId, result.error?.message]).toEqual([result.workflowId, undefined]);
      replayed += 1;
    }
    await tracing.shutdown();
    expect(replayed).toBe(recorded.length);
  });
});
