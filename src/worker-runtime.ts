/**
 * Starts a worker from a loaded config: driver pools created once, activities wired to them, JSON logs,
 * a grace period on shutdown so running batches can finish. Used by src/worker.ts, the demo and tests.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { TableShapes } from './activities/table-shapes';
import type { MigratorConfig } from './config/schema';
import { readSourceSecrets, readTargetSecrets } from './config/secrets';
import { temporalConnectionOptions, temporalUnreachable } from './config/temporal-connection';
import { createLogger, temporalLogger, type Logger } from './logging';
import { removeDeadWorkerFolders, workerFolder } from './migration/work-dir';
import { createTargetConnection } from './snowflake/connection';
import { createSourceConnection } from './sqlserver/pool';

/** A prebuilt bundle when there is one (no webpack in the worker), else the workflow sources. */
function workflowSource(
  config: MigratorConfig,
  bundle: WorkerOptions['workflowBundle'],
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (bundle) return { workflowBundle: bundle };
  if (config.worker.workflowBundle) return { workflowBundle: { codePath: config.worker.workflowBundle } };
  return { workflowsPath: require.resolve('./workflows') };
}

function workDirRoot(config: MigratorConfig): string {
  return config.worker.workDir ?? join(tmpdir(), 'sqlserver-snowflake-migrator');
}

/** The driver pools and folders every activity shares; the caller closes the pools. */
export function createActivityDeps(config: MigratorConfig, env: NodeJS.ProcessEnv): ActivityDeps {
  const source = createSourceConnection(config.source, readSourceSecrets(config, env));
  return {
    source,
    target: createTargetConnection(config.target, readTargetSecrets(config, env)),
    shapes: new TableShapes(source),
    workDir: workerFolder(workDirRoot(config)),
    reportsDir: config.worker.reportsDir,
  };
}

export interface RunningWorker {
  worker: Worker;
  logger: Logger;
  /** Resolves when the worker has stopped and its pools are closed. */
  finished: Promise<void>;
}

export async function startWorker(
  config: MigratorConfig,
  options: {
    env?: NodeJS.ProcessEnv;
    workflowBundle?: WorkerOptions['workflowBundle'];
    logger?: Logger;
  } = {},
): Promise<RunningWorker> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(config.worker.logLevel);
  const removed = await removeDeadWorkerFolders(workDirRoot(config));
  if (removed.length) logger.info({ removed }, 'removed the batch files of workers that are gone');
  const deps = createActivityDeps(config, env);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal, env)).catch(
    (err: unknown) => {
      throw temporalUnreachable(config.temporal.address, err);
    },
  );
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowSource(config, options.workflowBundle),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds} seconds`,
  });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      namespace: config.temporal.namespace,
      address: config.temporal.address,
    },
    'worker started',
  );
  const finished = worker.run().finally(async () => {
    await Promise.allSettled([deps.source.close(), deps.target.close(), connection.close()]);
    logger.info('worker stopped');
  });
  return { worker, logger, finished };
}

/** Routes the Temporal SDK's own logs through our JSON logger; once per process, before any worker. */
export function installRuntimeLogging(logger: Logger): void {
  Runtime.install({ logger: temporalLogger(logger) });
}
