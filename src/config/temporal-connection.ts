/** Connection options for Temporal (self-hosted, dev server or Temporal Cloud), shared by worker and CLI. */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from './schema';
import { readSecret } from './secrets';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export function temporalConnectionOptions(
  config: TemporalConfig,
  env: NodeJS.ProcessEnv = process.env,
): TemporalConnectionOptions {
  const { tls } = config;
  const apiKey = config.apiKey && readSecret(config.apiKey, 'The Temporal API key', env);
  const tlsOptions: TLSConfig | undefined = tls && {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caFile ? { serverRootCACertificate: readFileSync(tls.caFile) } : {}),
    ...(tls.clientCertFile && tls.clientKeyFile
      ? { clientCertPair: { crt: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile) } }
      : {}),
  };
  return {
    address: config.address,
    // An API key (Temporal Cloud) implies TLS.
    ...(tlsOptions ? { tls: tlsOptions } : apiKey ? { tls: true } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}
