/**
 * The worker process: polls the task queue and runs the workflows and activities.
 * Usage: npm run worker -- --help
 */
import { Command } from 'commander';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities';

const program = new Command('worker')
  .description('Runs a Temporal worker for the SQL Server to Snowflake migrator.')
  .option(
    '--address <host:port>',
    'Temporal frontend address',
    process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
  )
  .option('--namespace <name>', 'Temporal namespace', process.env.TEMPORAL_NAMESPACE ?? 'default')
  .option(
    '--task-queue <name>',
    'task queue to poll',
    process.env.TEMPORAL_TASK_QUEUE ?? 'sqlserver-snowflake-migrator',
  )
  .action(async (opts: { address: string; namespace: string; taskQueue: string }) => {
    const connection = await NativeConnection.connect({ address: opts.address });
    const worker = await Worker.create({
      connection,
      namespace: opts.namespace,
      taskQueue: opts.taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities: createActivities(),
      shutdownGraceTime: '30 seconds',
    });
    await worker.run();
    await connection.close();
  });

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
