/**
 * A worker as a platform team runs it (its own process, `src/worker.ts`), with its Prometheus endpoint and
 * its health endpoint on: the endpoint is scraped while a real run copies two tables through a short
 * SQL Server outage, and the migrator's numbers must move and end equal to the report's, next to the SDK's
 * own metrics. Then Temporal goes away (the worker reaches it through a relay the test cuts): /healthz
 * turns 503 and the worker exits with code 3 and one clear line instead of hanging.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { seedSampleData } from '../../scripts/sample-data';
import { spawnWorkerProcess, type WorkerProcess } from '../../scripts/worker-process';
import type { RunSummary } from '../../src/contracts/outcomes';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { scrape, total, type Sample } from '../support/prometheus';
import { freePort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { TEST_ENV, temporalAddress } from '../support/temporal';

const CUSTOMERS = 1_200;
const ORDERS = 3_000;
const LOSS_EXIT_SECONDS = 3;

describe('worker metrics and health (worker process, stand-ins, dev server)', () => {
  let env: MigrationEnvironment;
  let relay: TcpProxy;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
    relay = await startTcpProxy(temporalAddress());
  });
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await relay?.cut();
    await env?.close();
  });

  it('exports the run on /metrics, answers /healthz, and exits with code 3 once Temporal is gone', async () => {
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    const healthAddress = `127.0.0.1:${await freePort()}`;
    const config = env.config({
      temporal: { address: relay.address },
      worker: {
        workflowBundle: process.env[TEST_ENV.bundle],
        metrics: { bindAddress: metricsAddress },
        health: { bindAddress: healthAddress },
        temporalLossExitSeconds: LOSS_EXIT_SECONDS,
      },
    });
    worker = spawnWorkerProcess(env.configFile(config), SECRETS_ENV);
    const exited = new Promise<number | null>((resolve) => worker!.child.once('exit', resolve));
    await worker.ready;
    const metricsUrl = `http://${metricsAddress}/metrics`;
    const healthUrl = `http://${healthAddress}/healthz`;

    const healthy = await fetch(healthUrl);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({
      status: 'ok',
      worker: 'RUNNING',
      pollers: { workflow: 'POLLING', activity: 'POLLING' },
      temporal: { address: relay.address, reachable: true },
    });
    expect(total(await scrape(metricsUrl), 'migrator_rows_copied_total')).toBe(0);

    const workflowId = await env.startRun(config);
    // SQL Server down while the run starts: steps wait it out, and migrator_outage_waits_total counts.
    env.sqlserver.faults.outage({ forMs: 3_000 });
    let ended = false;
    const outcome = env.outcome(workflowId).finally(() => (ended = true));
    const rowsSeen: number[] = [];
    while (!ended) {
      rowsSeen.push(total(await scrape(metricsUrl), 'migrator_rows_copied_total'));
      await sleep(100);
    }
    const summary = (await outcome) as RunSummary;
    expect(summary.status).toBe('succeeded');

    // The numbers moved during the run, never backwards...
    expect(rowsSeen.some((rows) => rows > 0 && rows < CUSTOMERS + ORDERS)).toBe(true);
    expect(rowsSeen).toEqual([...rowsSeen].sort((a, b) => a - b));
    // ... and end equal to the report's.
    const metrics = await scrape(metricsUrl);
    const byTable = (name: string) =>
      Object.fromEntries(summary.tables.map((t) => [t.source, total(metrics, name, { table: t.source })]));
    expect(byTable('migrator_rows_copied_total')).toEqual({
      'dbo.customers': CUSTOMERS,
      'dbo.orders': ORDERS,
    });
    expect(byTable('migrator_bytes_copied_total')).toEqual(
      Object.fromEntries(summary.tables.map((t) => [t.source, t.bytesCopied])),
    );
    const batches = summary.tables.reduce((sum, t) => sum + t.batchesDone, 0);
    expect(total(metrics, 'migrator_batches_total', { outcome: 'loaded' })).toBe(batches);
    expect(total(metrics, 'migrator_batches_total', { outcome: 'failed' })).toBe(0);
    expect(total(metrics, 'migrator_batch_rows_count')).toBe(batches);
    expect(total(metrics, 'migrator_batch_rows_sum')).toBe(CUSTOMERS + ORDERS);
    expect(total(metrics, 'migrator_batch_duration_seconds_count')).toBe(batches);
    expect(total(metrics, 'migrator_batch_duration_seconds_bucket', { le: '+Inf' })).toBe(batches);
    expect(total(metrics, 'migrator_content_differences_total', { check: 'batch' })).toBe(0);
    expect(total(metrics, 'migrator_content_differences_total', { check: 'validation' })).toBe(0);
    expect(summary.outageRetries?.source).toBeGreaterThan(0);
    expect(total(metrics, 'migrator_outage_waits_total', { side: 'source' })).toBe(
      summary.outageRetries!.source,
    );
    expect(total(metrics, 'migrator_outage_waits_total', { side: 'target' })).toBe(0);
    for (const state of ['preparing', 'copying', 'validating', 'publishing', 'published']) {
      expect([state, total(metrics, 'migrator_tables_total', { state })]).toEqual([state, 2]);
    }
    expect(total(metrics, 'migrator_tables_total', { state: 'failed' })).toBe(0);
    // The SDK's own metrics on the same endpoint, in seconds and with units in their names.
    expect(sdkMetric(metrics, 'temporal_worker_task_slots_available')).toBeDefined();
    expect(
      sdkMetric(metrics, 'temporal_workflow_task_schedule_to_start_latency_seconds_count'),
    ).toBeDefined();
    expect(sdkMetric(metrics, 'temporal_activity_execution_latency_seconds_count')?.value).toBeGreaterThan(0);
    expect(
      metrics.find((s) => s.name.startsWith('temporal_') && s.name.endsWith('_milliseconds_bucket')),
    ).toBe(undefined);

    // Temporal gone: unhealthy within a few probes, then the exit with one clear line.
    await relay.cut();
    const lostAt = Date.now();
    let unhealthy: Response | undefined;
    for (let i = 0; i < 40 && !unhealthy; i += 1) {
      const response = await fetch(healthUrl).catch(() => undefined);
      if (response?.status === 503) unhealthy = response;
      else await sleep(100);
    }
    expect(await unhealthy?.json()).toMatchObject({
      status: 'unhealthy',
      temporal: { address: relay.address, reachable: false },
    });
    expect(await exited).toBe(3);
    const waited = (Date.now() - lostAt) / 1000;
    expect(waited).toBeGreaterThanOrEqual(LOSS_EXIT_SECONDS - 1);
    expect(waited).toBeLessThan(LOSS_EXIT_SECONDS + 10);
    const line = worker
      .output()
      .split('\n')
      .find((l) => l.includes('Lost Temporal'));
    expect(JSON.parse(line!).msg).toMatch(
      new RegExp(
        `^Lost Temporal at ${relay.address}: no answer for [34] s \\(worker.temporalLossExitSeconds: 3; last error: .+\\)\\. ` +
          'Exiting with code 3 for the supervisor to restart the worker; its running batches are retried elsewhere\\.$',
      ),
    );
  });
});

function sdkMetric(samples: Sample[], name: string): Sample | undefined {
  return samples.find((s) => s.name === name);
}
