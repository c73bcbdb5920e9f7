/**
 * npm run demo: the whole migrator on one machine, with nothing to install by hand.
 * Starts (or reuses) a Temporal dev server with its Web UI, the SQL Server stand-in seeded with
 * dbo.customers and dbo.orders, the Snowflake stand-in, and a worker; runs migrateTables with live
 * progress; prints the report and the Web UI address; stops everything it started, also on SIGINT and
 * SIGTERM (the dev server is a process of its own, which would outlive an abruptly ended demo).
 */
import '../src/quiet-warnings';
import { Command } from 'commander';
import { constants } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '../src/cli/exit-codes';
import { startRun } from '../src/cli/run-commands';
import { loadConfigFile } from '../src/config/load';
import { createLogger } from '../src/logging';
import { installRuntime, startWorker } from '../src/worker-runtime';
import { startLocalStack } from './local-stack';
import { seedSampleData } from './sample-data';

const toInt = (v: string) => Number.parseInt(v, 10);

/**
 * The first SIGINT or SIGTERM: the demo stops what it started, at its next step, instead of ending at once
 * (which leaves the dev server running). A second signal ends it at once, as by default.
 */
function stopOnSignal(): { signal: AbortSignal; exitCode: () => number | undefined } {
  const stop = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const names = ['SIGINT', 'SIGTERM'] as const;
  const handler = (name: 'SIGINT' | 'SIGTERM') => {
    for (const other of names) process.removeListener(other, handler);
    received = name;
    process.stderr.write(`\n${name}: stopping what the demo started...\n`);
    stop.abort();
  };
  for (const name of names) process.on(name, handler);
  return { signal: stop.signal, exitCode: () => (received ? 128 + constants.signals[received] : undefined) };
}

const stopping = stopOnSignal();

function stopIfAsked(): void {
  if (stopping.signal.aborted) throw new Error('Stopped before the migration ended.');
}

const program = new Command('demo')
  .description(
    'Runs a complete migration locally: Temporal dev server + Web UI, SQL Server and Snowflake stand-ins, worker.',
  )
  .option('--customers <n>', 'rows in dbo.customers', toInt, 10_000)
  .option('--orders <n>', 'rows in dbo.orders', toInt, 100_000)
  .option('--method <copy|insert>', 'load method', 'copy')
  .option('--batch-size <n>', 'rows per batch', toInt, 10_000)
  .option(
    '--metrics <host:port>',
    "serve the worker's Prometheus metrics there (GET /metrics), as worker.metrics.bindAddress does",
  )
  .option('--keep', 'keep everything running after the run (Ctrl-C to stop), to explore the Web UI')
  .option('--temporal-port <port>', 'Temporal frontend port (a server already there is used)', toInt, 7233)
  .option('--ui-port <port>', 'Temporal Web UI port of the dev server started here', toInt, 8233)
  .option('--data-dir <dir>', 'folder for the config, reports and Temporal data', '.migrator/demo')
  .action(
    async (opts: {
      customers: number;
      orders: number;
      method: string;
      batchSize: number;
      keep?: boolean;
      metrics?: string;
      temporalPort: number;
      uiPort: number;
      dataDir: string;
    }) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // Before anything creates the SDK runtime (starting the dev server does): only warnings and errors.
      const logger = createLogger('warn');
      installRuntime(logger, opts.metrics);
      const stack = await startLocalStack({
        dataDir: opts.dataDir,
        log,
        temporal: { port: opts.temporalPort, uiPort: opts.uiPort, ui: true },
        stop: stopping.signal,
      });
      let exitCode: number | undefined;
      try {
        stopIfAsked();
        log(
          `Seeding the SQL Server stand-in: ${opts.customers.toLocaleString('en-US')} customers, ${opts.orders.toLocaleString('en-US')} orders...`,
        );
        await seedSampleData(stack.sqlserver, { customers: opts.customers, orders: opts.orders });
        stopIfAsked();
        const configPath = stack.writeConfig('demo', {
          tables: ['dbo.customers', 'dbo.orders'],
          batchSize: opts.batchSize,
          loadMethod: opts.method,
          ifTargetExists: 'replace',
        });
        log(
          `SQL Server stand-in: ${stack.sqlserver.host}:${stack.sqlserver.port}; Snowflake stand-in: ${stack.snowflake.url}`,
        );
        log(`Config: ${configPath}\n`);

        const config = loadConfigFile(configPath);
        const worker = await startWorker(config, { logger });
        try {
          stopIfAsked();
          const io = { out: process.stdout, err: process.stderr, interrupt: stopping.signal };
          exitCode = await startRun({ config: configPath, wait: true }, io);
        } finally {
          log(`\nReports: ${join(config.worker.reportsDir)}`);
          if (opts.keep && !stopping.signal.aborted) {
            log(`Everything keeps running (Temporal Web UI: ${stack.webUiUrl}); press Ctrl-C to stop.`);
            await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve));
          }
          // The SDK's own handlers may have begun its shutdown on the same signal.
          if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
          await worker.finished;
        }
      } finally {
        await stack.stop();
      }
      // Stopped while the run went on: the signal's code; after it (--keep), the run's outcome.
      const interrupted = exitCode === undefined || exitCode === EXIT_CODES.interrupted;
      process.exitCode = (interrupted && stopping.exitCode()) || exitCode;
    },
  );

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = stopping.exitCode() ?? 1;
});
