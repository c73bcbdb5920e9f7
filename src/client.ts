/**
 * The command line for starting and watching migrations.
 * Usage: npm run migrate -- --help
 */
import { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { pingWorker } from './workflows';

const program = new Command('migrate').description(
  'Starts and watches SQL Server to Snowflake migrations on Temporal.',
);

program
  .command('ping')
  .description('Checks that a worker polls the task queue by running a tiny workflow through it.')
  .option(
    '--address <host:port>',
    'Temporal frontend address',
    process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
  )
  .option('--namespace <name>', 'Temporal namespace', process.env.TEMPORAL_NAMESPACE ?? 'default')
  .option(
    '--task-queue <name>',
    'task queue',
    process.env.TEMPORAL_TASK_QUEUE ?? 'sqlserver-snowflake-migrator',
  )
  .action(async (opts: { address: string; namespace: string; taskQueue: string }) => {
    const connection = await Connection.connect({ address: opts.address });
    const client = new Client({ connection, namespace: opts.namespace });
    const result = await client.workflow.execute(pingWorker, {
      taskQueue: opts.taskQueue,
      workflowId: `ping-${Date.now()}`,
      args: ['ping'],
      workflowExecutionTimeout: '30 seconds',
    });
    console.log(`worker ${result.worker.hostname} (pid ${result.worker.pid}) answered`);
    await connection.close();
  });

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
