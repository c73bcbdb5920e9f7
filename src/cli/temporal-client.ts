/** A Temporal client for the CLI, from the config file when given, else from flags and defaults. */
import { Client, Connection } from '@temporalio/client';
import { TemporalConfigSchema, type TemporalConfig } from '../config/schema';
import { loadConfigFile } from '../config/load';
import {
  temporalConnectFailure,
  temporalConnectionOptions,
  temporalTlsRefusal,
} from '../config/temporal-connection';
import { MIGRATION_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { CannotConnectError } from './exit-codes';

export interface ConnectedClient {
  client: Client;
  config: TemporalConfig;
  close(): Promise<void>;
}

export function temporalConfigFrom(options: {
  config?: string;
  address?: string;
  namespace?: string;
}): TemporalConfig {
  const base = options.config ? loadConfigFile(options.config).temporal : TemporalConfigSchema.parse({});
  return {
    ...base,
    ...(options.address ? { address: options.address } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
  };
}

export async function connectTemporal(config: TemporalConfig): Promise<ConnectedClient> {
  const options = temporalConnectionOptions(config);
  // The SDK's client retries a refused TLS handshake until its connect timeout, then says only "Failed
  // to connect before the deadline": a probe first says at once which side refuses what.
  const refused = await temporalTlsRefusal(config, options);
  if (refused) throw new CannotConnectError(refused);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: '10 seconds' });
  } catch (err) {
    throw new CannotConnectError(temporalConnectFailure(config, err).message);
  }
  return {
    client: new Client({ connection, namespace: config.namespace }),
    config,
    close: () => connection.close(),
  };
}

/** The page of one run (runs of the same tables share their workflow id). */
export function webUiLink(config: TemporalConfig, workflowId: string, runId: string): string {
  return `${config.webUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

/** How many workers poll the task queue for workflow tasks (0: a started run would wait for one). */
export async function workflowPollers(connected: ConnectedClient, taskQueue: string): Promise<number> {
  const { pollers } = await connected.client.workflowService.describeTaskQueue({
    namespace: connected.config.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return pollers?.length ?? 0;
}

/** The `temporal` CLI's names for the search attribute types. */
const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' } as const;

/** The migrator's search attributes the namespace lacks (a run cannot start without them). */
export async function missingSearchAttributes(connected: ConnectedClient): Promise<string[]> {
  const { customAttributes } = await connected.client.connection.operatorService.listSearchAttributes({
    namespace: connected.config.namespace,
  });
  return MIGRATION_SEARCH_ATTRIBUTES.map((key) => key.name).filter((name) => !customAttributes?.[name]);
}

/** The commands that register the missing search attributes. */
export function registerSearchAttributesHint(namespace: string, missing: string[]): string {
  return MIGRATION_SEARCH_ATTRIBUTES.filter((key) => missing.includes(key.name))
    .map(
      (key) =>
        `  temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${CLI_TYPE_NAMES[key.type]}`,
    )
    .join('\n');
}
