/**
 * Outages of minutes on both sides (`npm run test:outage`; skipped in `npm test`): the run must wait
 * them out and end exact, with nothing left behind. OUTAGE_MINUTES (default 3) sets each outage's
 * length, e.g. OUTAGE_MINUTES=30 for the half-hour case (the run's tolerance is set above it).
 */
import { seedSampleData } from '../../scripts/sample-data';
import type { RunSummary } from '../../src/contracts/outcomes';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';
import { localBatchFiles, orderCounts, runThroughOutages, stagedFiles } from '../support/outage-scenario';

const ORDERS = 3_000;
const minutes = Number(process.env.OUTAGE_MINUTES ?? 3);
const outageMs = minutes * 60_000;

const describeLong = process.env.MIGRATOR_LONG_OUTAGE === '1' ? describe : describe.skip;

describeLong(`migrateTables through ${minutes}-minute outages of SQL Server and Snowflake`, () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: 0, orders: ORDERS });
  });
  afterAll(() => env?.close());

  it(
    'waits every outage out and ends exact, with nothing left in the stage or the local folders',
    async () => {
      const config = env.config({
        target: { schema: 'LONG_OUTAGE' },
        migration: {
          tables: ['dbo.orders'],
          batchSize: 150,
          batchesInFlight: 2,
          outageToleranceMinutes: minutes * 2,
        },
      });
      await env.startWorker(config);
      const { summary, waitingFor } = await runThroughOutages(env, config, {
        analysisTargetMs: outageMs,
        sourceMs: outageMs,
        copyTargetMs: outageMs,
      });
      expect((summary as RunSummary).status).toBe('succeeded');
      expect(summary.tables.map((t) => [t.source, t.rowsCopied, t.state])).toEqual([
        ['dbo.orders', ORDERS, 'published'],
      ]);
      expect([...waitingFor].sort()).toEqual(['SQL Server', 'Snowflake']);
      const orders = await orderCounts(env, 'LONG_OUTAGE', ORDERS);
      expect(orders.actual).toEqual(orders.expected);
      expect(await stagedFiles(env, 'LONG_OUTAGE', summary.runTag)).toEqual([]);
      expect(localBatchFiles(env)).toEqual([]);
    },
    4 * outageMs + 600_000,
  );
});
