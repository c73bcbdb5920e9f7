/**
 * Connection options for Temporal (self-hosted, dev server or Temporal Cloud), shared by worker and CLI,
 * and what to say when a connection fails.
 * https://docs.temporal.io/develop/typescript/temporal-client (Connect to Temporal Cloud: mTLS or API key)
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError } from './load';
import type { TemporalConfig } from './schema';
import { readSecret } from './secrets';
import { probeTls } from './temporal-tls-probe';
import { describeTlsRefusal } from './temporal-tls-refusal';

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
    ...(tls.caFile ? { serverRootCACertificate: readTlsFile('caFile', tls.caFile) } : {}),
    ...(tls.clientCertFile && tls.clientKeyFile
      ? {
          clientCertPair: {
            crt: readTlsFile('clientCertFile', tls.clientCertFile),
            key: readTlsFile('clientKeyFile', tls.clientKeyFile),
          },
        }
      : {}),
  };
  return {
    address: config.address,
    // An API key (Temporal Cloud) implies TLS.
    ...(tlsOptions ? { tls: tlsOptions } : apiKey ? { tls: true } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

function readTlsFile(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`temporal.tls.${field}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Long enough for a TLS handshake across continents, short beside the SDK client's 10 s connect timeout. */
const TLS_PROBE_TIMEOUT_MS = 5_000;

/**
 * With TLS on, why Temporal refuses this client (a CA that did not sign the server's certificate, a
 * client certificate missing or refused, a server without TLS), in words with what to do; undefined when
 * the probe connection was accepted or never reached a TLS server (then the SDK's error tells).
 */
export async function temporalTlsRefusal(
  config: TemporalConfig,
  options: TemporalConnectionOptions,
): Promise<string | undefined> {
  if (!options.tls) return undefined;
  const failure = await probeTls(
    config.address,
    options.tls === true ? {} : options.tls,
    TLS_PROBE_TIMEOUT_MS,
  );
  return failure && describeTlsRefusal(failure, config);
}

/** What went wrong reaching Temporal, in words, from the SDKs' transport errors. */
export function unreachableReason(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (/connection ?refused/i.test(message)) return 'connection refused';
  if (/dns error|lookup address|name or service not known/i.test(message)) return 'host not found';
  if (/deadline|timed? ?out/i.test(message)) return 'no answer in time';
  return message.split('\n')[0]!;
}

/**
 * The server's message when it refused the call as UNAUTHENTICATED (gRPC status 16,
 * https://grpc.io/docs/guides/status-codes/): a missing, wrong, expired or disabled API key. The CLI's
 * client (grpc-js) carries the status in the error's cause; the worker's (Rust) SDK only in its text.
 */
function unauthenticated(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; details?: unknown } } | undefined)?.cause;
  if (cause?.code === 16) return String(cause.details ?? '');
  const native = /code: 'The request does not have valid authentication credentials', message: "(.*)"/.exec(
    (err as Error | undefined)?.message ?? '',
  );
  return native?.[1];
}

/** What the worker and the CLI say when they cannot connect: refused credentials, or where Temporal was expected. */
export function temporalConnectFailure(config: TemporalConfig, err: unknown): Error {
  const refused = unauthenticated(err);
  if (refused === undefined) return temporalUnreachable(config.address, err);
  const { address, apiKey, namespace } = config;
  if (!apiKey)
    return new Error(
      `Temporal at ${address} requires credentials this client did not send (UNAUTHENTICATED: ${refused}). ` +
        'What to do: for a namespace with API key authentication, set temporal.apiKey (the key in TEMPORAL_API_KEY); ' +
        'for one with mutual TLS, temporal.tls.clientCertFile and temporal.tls.clientKeyFile.',
    );
  const where = apiKey.file ? `the file ${apiKey.file}` : `the environment variable ${apiKey.env}`;
  return new Error(
    `Temporal at ${address} refused the API key in ${where} (UNAUTHENTICATED: ${refused}). ` +
      `What to do: use a key of a user or service account with access to namespace ${namespace}, neither expired nor ` +
      'disabled, and the endpoint for API keys in temporal.address (Temporal Cloud: <region>.<cloud provider>.api.temporal.io:7233).',
  );
}

/** One line for the worker and the CLI: where Temporal was expected, what happened, what to do. */
export function temporalUnreachable(address: string, err: unknown): Error {
  return new Error(
    `Cannot reach Temporal at ${address}: ${unreachableReason(err)}. Start a server ` +
      '(npm run demo starts a dev server, or `temporal server start-dev`) or fix temporal.address ' +
      '(MIGRATOR_TEMPORAL__ADDRESS=host:port).',
  );
}
