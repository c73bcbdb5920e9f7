/**
 * npm run demo: the whole migrator on one machine, with nothing to install by hand.
 * Starts (or reuses) a Temporal dev server with its Web UI, the SQL Server stand-in seeded with
 * dbo.customers and dbo.orders, the Snowflake stand-in, and a worker; runs migrateTables with live
 * progress; prints the report and the Web UI address; stops everything it started.
 */
import '../src/quiet-warnings';
import { Command } from 'commander';
import { join } from 'node:path';
import { startRun } from '../src/cli/run-commands';
import { loadConfigFile } from '../src/config/load';
import { createLogger } from '../src/logging';
import { installRuntimeLogging, startWorker } from '../src/worker-runtime';
import { startLocalStack } from './local-stack';
import { seedSampleData } from './sample-data';

const toInt = (v: string) => Number.parseInt(v, 10);

const program = new Command('demo')
  .description(
    'Runs a complete migration locally: Temporal dev server + Web UI, SQL Server and Snowflake stand-ins, worker.',
  )
  .option('--customers <n>', 'rows in dbo.customers', toInt, 10_000)
  .option('--orders <n>', 'rows in dbo.orders', toInt, 100_000)
  .option('--method <copy|insert>', 'load method', 'copy')
  .option('--batch-size <n>', 'rows per batch', toInt, 10_000)
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
      temporalPort: number;
      uiPort: number;
      dataDir: string;
    }) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // Before anything creates the SDK runtime (starting the dev server does): only warnings and errors.
      const logger = createLogger('warn');
      installRuntimeLogging(logger);
      const stack = await startLocalStack({
        dataDir: opts.dataDir,
        log,
        temporal: { port: opts.temporalPort, uiPort: opts.uiPort, ui: true },
      });
      let exitCode = 1;
      try {
        log(
          `Seeding the SQL Server stand-in: ${opts.customers.toLocaleString('en-US')} customers, ${opts.orders.toLocaleString('en-US')} orders...`,
        );
        await seedSampleData(stack.sqlserver, { customers: opts.customers, orders: opts.orders });
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
          exitCode = await startRun({ config: configPath, wait: true });
        } finally {
          log(`\nReports: ${join(config.worker.reportsDir)}`);
          if (opts.keep) {
            log(`Everything keeps running (Temporal Web UI: ${stack.webUiUrl}); press Ctrl-C to stop.`);
            await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
          }
          worker.worker.shutdown();
          await worker.finished;
        }
      } finally {
        await stack.stop();
      }
      process.exitCode = exitCode;
    },
  );

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
