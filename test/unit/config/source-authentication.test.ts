/**
 * source.authentication, named instances and routing: what the config accepts, which secret each
 * authentication type reads (from the environment or a file only), and what reaches tedious.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/config/load';
import { readSourceSecrets } from '../../../src/config/secrets';
import { sourceAddress, sourceLogin } from '../../../src/config/source-address';
import { sourcePoolConfig } from '../../../src/sqlserver/pool';

const target = { account: 'xy12345.eu-central-1', user: 'MIGRATOR' };
const config = (source: Record<string, unknown>) =>
  parseConfig({ source: { server: 'sql1', database: 'Sales', ...source }, target }, 'test', {});

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('source.authentication', () => {
  it('defaults to SQL Server authentication with source.user and the password from MSSQL_PASSWORD', () => {
    const c = config({ user: 'migrator' });
    const secrets = readSourceSecrets(c, { MSSQL_PASSWORD: 'pw' });
    expect(secrets).toEqual({ password: 'pw' });
    expect(sourcePoolConfig(c.source, secrets)).toMatchObject({
      server: 'sql1',
      port: 1433,
      authentication: { type: 'default', options: { userName: 'migrator', password: 'pw' } },
      options: { readOnlyIntent: false, multiSubnetFailover: false },
    });
    expect(sourceLogin(c.source)).toBe('the source login migrator');
  });

  it('hands an access token from the environment or a file to tedious, and needs no user', () => {
    const c = config({ authentication: { type: 'azure-active-directory-access-token' } });
    expect(readSourceSecrets(c, { MSSQL_ACCESS_TOKEN: 'eyJ.token' })).toEqual({ token: 'eyJ.token' });
    const dir = mkdtempSync(join(tmpdir(), 'token-test-'));
    writeFileSync(join(dir, 'token'), 'eyJ.from-file\n');
    const fromFile = config({
      authentication: { type: 'azure-active-directory-access-token', token: { file: join(dir, 'token') } },
    });
    const secrets = readSourceSecrets(fromFile, {});
    expect(sourcePoolConfig(fromFile.source, secrets).authentication).toEqual({
      type: 'azure-active-directory-access-token',
      options: { token: 'eyJ.from-file' },
    });
    expect(errorOf(() => readSourceSecrets(c, {}))).toBe(
      'The Entra ID access token is missing: set the environment variable MSSQL_ACCESS_TOKEN (or name a file holding it with { file: <path> } in the config).',
    );
    expect(sourceLogin(c.source)).toBe('the source login (azure-active-directory-access-token)');
  });

  it('passes a service principal with its secret, and a managed identity with nothing secret', () => {
    const principal = config({
      authentication: {
        type: 'azure-active-directory-service-principal-secret',
        clientId: 'app-id',
        tenantId: 'tenant-id',
      },
    });
    const secrets = readSourceSecrets(principal, { MSSQL_CLIENT_SECRET: 's3cret' });
    expect(sourcePoolConfig(principal.source, secrets).authentication).toEqual({
      type: 'azure-active-directory-service-principal-secret',
      options: { clientId: 'app-id', tenantId: 'tenant-id', clientSecret: 's3cret' },
    });
    const identity = config({ authentication: { type: 'azure-active-directory-msi-vm' } });
    expect(readSourceSecrets(identity, {})).toEqual({});
    expect(sourcePoolConfig(identity.source, {}).authentication).toEqual({
      type: 'azure-active-directory-msi-vm',
      options: { clientId: undefined },
    });
    const password = config({
      user: 'ada@contoso.com',
      authentication: { type: 'azure-active-directory-password', clientId: 'app-id' },
    });
    expect(
      sourcePoolConfig(password.source, readSourceSecrets(password, { MSSQL_PASSWORD: 'pw' })).authentication,
    ).toEqual({
      type: 'azure-active-directory-password',
      options: { userName: 'ada@contoso.com', password: 'pw', clientId: 'app-id', tenantId: undefined },
    });
  });

  it('refuses a secret written in the config, a missing user, and a user a token type would ignore', () => {
    const message = errorOf(() =>
      config({
        user: 'migrator',
        authentication: { type: 'azure-active-directory-access-token', token: 'eyJ.in-the-file' },
      }),
    );
    expect(message).toContain(
      '- source.authentication.token: secrets never go in the config file: put it in an environment variable and write { env: MSSQL_ACCESS_TOKEN }, or name a file with { file: <path> }',
    );
    expect(message).not.toContain('eyJ.in-the-file');
    expect(
      errorOf(() => config({ authentication: { type: 'azure-active-directory-msi-vm' }, user: 'x' })),
    ).toContain(
      "- source.user: not used with source.authentication.type azure-active-directory-msi-vm, where the identity is the token's: remove it",
    );
    expect(errorOf(() => config({}))).toContain(
      '- source.user: required with source.authentication.type sql',
    );
    expect(errorOf(() => config({ user: 'u', authentication: { type: 'kerberos' } }))).toContain(
      '- source.authentication.type',
    );
  });
});

describe('named instances and routing', () => {
  it('asks SQL Server Browser for a named instance: no port reaches mssql', () => {
    const c = config({ user: 'u', instanceName: 'SALES', readOnlyIntent: true, multiSubnetFailover: true });
    const pool = sourcePoolConfig(c.source, { password: 'pw' });
    expect(pool.port).toBeUndefined();
    expect(pool.options).toMatchObject({
      instanceName: 'SALES',
      readOnlyIntent: true,
      multiSubnetFailover: true,
    });
    expect(sourceAddress(c.source)).toBe('sql1\\SALES');
    expect(sourceAddress(config({ user: 'u', port: 14330 }).source)).toBe('sql1:14330');
  });

  it('refuses a port together with an instance name', () => {
    expect(errorOf(() => config({ user: 'u', instanceName: 'SALES', port: 1433 }))).toContain(
      '- source.port: give either source.port or source.instanceName: a named instance is reached on the port SQL Server Browser tells',
    );
  });
});
