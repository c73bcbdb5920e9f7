/** A Temporal client for the CLI, from the config file when given, else from flags and defaults. */
import { Client, Connection } from '@temporalio/client';
import { TemporalConfigSchema, type TemporalConfig } from '../config/schema';
import { loadConfigFile } from '../config/load';
import { temporalConnectionOptions, temporalUnreachable } from '../config/temporal-connection';

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
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...temporalConnectionOptions(config),
      connectTimeout: '10 seconds',
    });
  } catch (err) {
    throw temporalUnreachable(config.address, err);
  }
  return {
    client: new Client({ connection, namespace: config.namespace }),
    config,
    close: () => connection.close(),
  };
}

export function webUiLink(config: TemporalConfig, workflowId: string): string {
  return `${config.webUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
