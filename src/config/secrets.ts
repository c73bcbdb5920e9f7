/**
 * Reads the secrets the config names (environment variables or files). Only the worker and the CLI
 * call this; secrets never enter workflow inputs, logs or reports.
 */
import { readFileSync } from 'node:fs';
import type { MigratorConfig, SecretSource } from './schema';
import { ConfigError } from './load';

export function readSecret(source: SecretSource, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (source.file) {
    try {
      return readFileSync(source.file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(`Cannot read ${what} from the file ${source.file}: ${(err as Error).message}`);
    }
  }
  const value = env[source.env];
  if (value === undefined || value === '') {
    throw new ConfigError(
      `${what} is missing: set the environment variable ${source.env} (or name a file holding it with { file: <path> } in the config).`,
    );
  }
  return value;
}

/** The one secret the source's authentication type needs, if any (managed identities have none). */
export type SourceSecrets = { password: string } | { clientSecret: string } | { token: string } | object;

export type TargetSecrets = { password: string } | { privateKey: string; passphrase?: string };

export function readSourceSecrets(
  config: MigratorConfig,
  env: NodeJS.ProcessEnv = process.env,
): SourceSecrets {
  const { authentication: auth, password } = config.source;
  switch (auth.type) {
    case 'sql':
    case 'azure-active-directory-password':
      return { password: readSecret(password, 'The SQL Server password', env) };
    case 'azure-active-directory-service-principal-secret':
      return { clientSecret: readSecret(auth.clientSecret, 'The Entra ID client secret', env) };
    case 'azure-active-directory-access-token':
      return { token: readSecret(auth.token, 'The Entra ID access token', env) };
    default:
      return {};
  }
}

export function readTargetSecrets(
  config: MigratorConfig,
  env: NodeJS.ProcessEnv = process.env,
): TargetSecrets {
  const { auth } = config.target;
  if (auth.method === 'password')
    return { password: readSecret(auth.password, 'The Snowflake password', env) };
  return {
    privateKey: readSecret(auth.privateKey, 'The Snowflake private key (PEM)', env),
    passphrase: auth.passphrase && readSecret(auth.passphrase, 'The Snowflake private key passphrase', env),
  };
}
