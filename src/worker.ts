/**
 * The worker process: polls the task queue and runs migrations. Stops gracefully on SIGINT/SIGTERM
 * (running batches get worker.shutdownGraceSeconds to finish; Temporal retries the others elsewhere).
 * Usage: npm run worker -- --config migrator.yaml
 */
import './quiet-warnings';
import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { loadConfigFile } from './config/load';
import { createLogger } from './logging';
import { installRuntime, startWorker } from './worker-runtime';

const program = new Command('worker')
  .description('Runs a Temporal worker for the SQL Server to Snowflake migrator.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON); see config/example.yaml')
  .addHelpText(
    'after',
    '\nSecrets come from the environment (MSSQL_PASSWORD, SNOWFLAKE_PASSWORD... as the config names them).\n' +
      'Config fields can be overridden with MIGRATOR_<PATH> variables, e.g. MIGRATOR_TEMPORAL__ADDRESS=host:7233.',
  )
  .action(async (opts: { config: string }) => {
    const config = loadConfigFile(opts.config);
    // V8 reads this flag whenever it sizes the heap after a collection, so it holds from here on, before the
    // first batch, for the main thread and the workflow thread alike. V8's own growth let a copying worker
    // peak at 370 to 550 MB; 50 % kept it near 300 MB for about the same CPU (README: Performance, Memory).
    const { heapGrowthPercent } = config.worker;
    if (heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowthPercent}`);
    const logger = createLogger(config.worker.logLevel);
    installRuntime(logger, config.worker.metrics.bindAddress);
    const { finished } = await startWorker(config, { logger });
    await finished;
  });

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
