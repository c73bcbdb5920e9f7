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

/** What went wrong reaching Temporal, in words, from the SDKs' transport errors. */
export function unreachableReason(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (/connection ?refused/i.test(message)) return 'connection refused';
  if (/dns error|lookup address|name or service not known/i.test(message)) return 'host not found';
  if (/deadline|timed? ?out/i.test(message)) return 'no answer in time';
  return message.split('\n')[0]!;
}

/** One line for the worker and the CLI: where Temporal was expected, what happened, what to do. */
export function temporalUnreachable(address: string, err: unknown): Error {
  return new Error(
    `Cannot reach Temporal at ${address}: ${unreachableReason(err)}. Start a server ` +
      '(npm run demo starts a dev server, or `temporal server start-dev`) or fix temporal.address ' +
      '(MIGRATOR_TEMPORAL__ADDRESS=host:port).',
  );
}
