/**
 * Starts a worker from a loaded config: driver pools created once, activities wired to them, JSON logs,
 * a grace period on shutdown so running batches can finish, the health endpoint and the watch on
 * Temporal (src/worker-health.ts). Used by src/worker.ts, the demo and tests.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { EXIT_CODES } from './cli/exit-codes';
import { TableShapes } from './activities/table-shapes';
import type { MigratorConfig } from './config/schema';
import { readSourceSecrets, readTargetSecrets } from './config/secrets';
import {
  temporalConnectFailure,
  temporalConnectionOptions,
  temporalTlsRefusal,
} from './config/temporal-connection';
import { createLogger, temporalLogger, type Logger } from './logging';
import { prometheusExporter, TableLabels } from './metrics/definitions';
import { removeDeadWorkerFolders, workerFolder } from './load/work-dir';
import { createTargetConnection } from './snowflake/connection';
import { createSourceConnection } from './sqlserver/pool';
import type { startTracing as StartTracing, Tracing } from './tracing';
import { bundleHasTracing, endpointOrigin } from './tracing/rules';
import { healthReport, startHealthServer, watchTemporal } from './worker-health';

/** A prebuilt bundle when there is one (no webpack in the worker), else the workflow sources. */
function workflowSource(
  config: MigratorConfig,
  bundle: WorkerOptions['workflowBundle'],
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (bundle) return { workflowBundle: bundle };
  if (config.worker.workflowBundle) return { workflowBundle: { codePath: config.worker.workflowBundle } };
  return { workflowsPath: require.resolve('./workflows') };
}

/**
 * The tracing of this worker, or none; refuses a prebuilt bundle that does not match the setting: without
 * the workflow interceptors workflows would send no spans, and with them but no tracing their spans would
 * go to a sink the worker does not have.
 */
function workerTracing(
  config: MigratorConfig,
  source: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>,
): Tracing | undefined {
  const { otlpEndpoint } = config.worker.tracing;
  const bundle = source.workflowBundle;
  if (bundle) {
    const traced = bundleHasTracing('code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8'));
    const name = 'codePath' in bundle ? bundle.codePath : 'the workflow bundle';
    if (otlpEndpoint && !traced)
      throw new Error(
        `worker.tracing.otlpEndpoint is set, but ${name} was built without the tracing interceptors: ` +
          'build it with `npm run build:workflows -- --tracing`, or leave worker.workflowBundle unset.',
      );
    if (!otlpEndpoint && traced)
      throw new Error(
        `${name} was built with the tracing interceptors (--tracing), but worker.tracing.otlpEndpoint is not set: ` +
          'set it, or build the bundle without --tracing.',
      );
  }
  if (!otlpEndpoint) return undefined;
  // Loaded only when on: OpenTelemetry's modules add about 7 MB to a worker that does not trace. require,
  // not import(): with tsx's CommonJS hook alone (the tests' worker processes) import() meets Node's ESM resolver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracing } = require('./tracing') as { startTracing: typeof StartTracing };
  return startTracing(otlpEndpoint);
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
    tableLabels: new TableLabels(config.worker.metrics.maxTableLabels),
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
    /**
     * Called once, after the line is logged, when Temporal has not answered for
     * worker.temporalLossExitSeconds; by default the process exits with code 3.
     */
    onTemporalLost?: () => void;
  } = {},
): Promise<RunningWorker> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(config.worker.logLevel);
  const removed = await removeDeadWorkerFolders(workDirRoot(config));
  if (removed.length) logger.info({ removed }, 'removed the batch files of workers that are gone');
  const source = workflowSource(config, options.workflowBundle);
  const tracing = workerTracing(config, source);
  const deps = createActivityDeps(config, env);
  const connectionOptions = temporalConnectionOptions(config.temporal, env);
  const connection = await NativeConnection.connect(connectionOptions).catch(async (err: unknown) => {
    // The SDK fails a refused TLS handshake at once, but in its TLS library's words
    // ("InvalidCertificate(UnknownIssuer)"): a probe says which side refused what.
    const refused = await temporalTlsRefusal(config.temporal, connectionOptions);
    throw refused ? new Error(refused) : temporalConnectFailure(config.temporal, err);
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...source,
    ...tracing?.workerOptions(source.workflowsPath !== undefined),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds} seconds`,
  });
  const { address } = config.temporal;
  const watch = watchTemporal(connection, address, config.worker.temporalLossExitSeconds, (line) => {
    logger.error({ address }, line);
    (options.onTemporalLost ?? (() => process.exit(EXIT_CODES.cannotConnect)))();
  });
  let health: Server | undefined;
  const finished = worker.run().finally(async () => {
    watch.stop();
    health?.close();
    await Promise.allSettled([
      deps.source.close(),
      deps.target.close(),
      connection.close(),
      tracing?.shutdown(),
    ]);
    logger.info('worker stopped');
  });
  const { bindAddress: healthAddress } = config.worker.health;
  if (healthAddress) {
    health = await startHealthServer(healthAddress, () =>
      healthReport(worker.getStatus(), watch.contact(), address, Date.now()),
    ).catch((err: Error) => {
      worker.shutdown();
      throw new Error(
        `Cannot serve the health endpoint on ${healthAddress} (worker.health.bindAddress): ${err.message}`,
      );
    });
  }
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      namespace: config.temporal.namespace,
      address,
      ...(config.worker.metrics.bindAddress
        ? { metrics: `http://${config.worker.metrics.bindAddress}/metrics` }
        : {}),
      ...(healthAddress ? { health: `http://${healthAddress}/healthz` } : {}),
      ...(config.worker.tracing.otlpEndpoint
        ? { traces: endpointOrigin(config.worker.tracing.otlpEndpoint) }
        : {}),
    },
    'worker started',
  );
  return { worker, logger, finished };
}

/**
 * Once per process, before any worker: routes the Temporal SDK's own logs through our JSON logger and,
 * with worker.metrics.bindAddress, serves the SDK's Prometheus endpoint, which carries the migrator's
 * metrics too (they are recorded through the SDK's metric meters; src/metrics/definitions.ts).
 * https://docs.temporal.io/develop/typescript/observability#metrics
 */
export function installRuntime(logger: Logger, metricsBindAddress?: string): void {
  try {
    Runtime.install({
      logger: temporalLogger(logger),
      ...(metricsBindAddress
        ? { telemetryOptions: { metrics: { prometheus: prometheusExporter(metricsBindAddress) } } }
        : {}),
    });
  } catch (err) {
    if (!metricsBindAddress) throw err;
    // "Failed to start prometheus metrics exporter: Address already in use (os error 98)"
    throw new Error(
      `Cannot serve metrics on ${metricsBindAddress} (worker.metrics.bindAddress): ${(err as Error).message}`,
    );
  }
}
