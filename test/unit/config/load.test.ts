import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunInput } from '../../../src/cli/run-input';
import { ConfigError, loadConfigFile, parseConfig } from '../../../src/config/load';
import { readSourceSecrets, readTargetSecrets } from '../../../src/config/secrets';

const minimal = {
  source: { server: 'sql.example.com', database: 'Sales', user: 'migrator' },
  target: { account: 'xy12345.eu-central-1', user: 'MIGRATOR' },
};

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseConfig(minimal, 'test', {});
    expect(config.target).toMatchObject({
      database: 'STEVE_MCP',
      schema: 'DATA_MIGRATION',
      stage: 'MIGRATOR_STAGE',
    });
    expect(config.migration).toMatchObject({
      tables: [{ source: 'dbo.customers' }, { source: 'dbo.orders' }],
      loadMethod: 'copy',
      ifTargetExists: 'fail',
      metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
      validation: { toleratedDifferences: 0, maxReportedDifferences: 20 },
    });
    expect(config.source).toMatchObject({
      authentication: { type: 'sql' },
      readOnlyIntent: false,
      multiSubnetFailover: false,
      encrypt: true,
      trustServerCertificate: false,
      password: { env: 'MSSQL_PASSWORD' },
    });
    expect(config.target.auth).toEqual({ method: 'password', password: { env: 'SNOWFLAKE_PASSWORD' } });
    expect(config.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'sqlserver-snowflake-migrator',
    });
  });

  it('names the exact path of every wrong field and what is expected', () => {
    const message = errorOf(() =>
      parseConfig(
        {
          source: { ...minimal.source, port: 'fourteen' },
          target: { ...minimal.target, auth: { method: 'magic' } },
          migration: {
            tables: ['dbo.a', { source: 'dbo.b', keyColumns: [] }],
            loadMethod: 'bulk',
            bathSize: 5,
          },
        },
        'migrator.yaml',
        {},
      ),
    );
    expect(message).toMatch(/^Invalid configuration in migrator.yaml:/);
    expect(message).toContain('- source.port: Invalid input: expected number, received string');
    expect(message).toContain(
      "- target.auth.method: Invalid discriminator value. Expected 'password' | 'keyPair'",
    );
    expect(message).toMatch(/- migration\.tables\[1\]\.keyColumns: Too small/);
    expect(message).toMatch(/- migration\.loadMethod: .*"copy".*"insert"/);
    expect(message).toContain('- migration: unknown field(s) "bathSize"');
  });

  it('runs in mode snapshot unless follow is asked for, which carries its interval into the run input', () => {
    const snapshot = parseConfig(minimal, 'test', {});
    expect(snapshot.migration.mode).toBe('snapshot');
    expect(buildRunInput(snapshot, 'abcd', [{ source: 'dbo.a' }])).not.toHaveProperty('mode');
    const follow = parseConfig(
      { ...minimal, migration: { mode: 'follow', follow: { intervalSeconds: 5 } } },
      'test',
      {},
    );
    expect(buildRunInput(follow, 'abcd', [{ source: 'dbo.a' }])).toMatchObject({
      mode: 'follow',
      followIntervalSeconds: 5,
    });
  });

  it('refuses mode follow with ifTargetExists append', () => {
    expect(
      errorOf(() =>
        parseConfig({ ...minimal, migration: { mode: 'follow', ifTargetExists: 'append' } }, 'c.yaml', {}),
      ),
    ).toContain(
      '- migration.ifTargetExists: mode: follow needs ifTargetExists fail or replace (append is not supported while following)',
    );
  });

  it('refuses a secret written into the config text, and says where it belongs', () => {
    const message = errorOf(() =>
      parseConfig({ ...minimal, source: { ...minimal.source, password: 'hunter2' } }, 'c.yaml', {}),
    );
    expect(message).toContain('- source.password: secrets never go in the config file');
    expect(message).toContain('{ env: MSSQL_PASSWORD }');
    expect(message).not.toContain('hunter2');
  });

  it('applies MIGRATOR_* environment overrides with typed values', () => {
    const config = parseConfig(minimal, 'test', {
      MIGRATOR_SOURCE__PORT: '14330',
      MIGRATOR_SOURCE__ENCRYPT: 'false',
      MIGRATOR_MIGRATION__BATCH_SIZE: '1000',
      MIGRATOR_MIGRATION__TABLES: '[dbo.one, dbo.two]',
      MIGRATOR_TARGET__ACCESS_URL: 'http://127.0.0.1:18080',
    });
    expect(config.source.port).toBe(14330);
    expect(config.source.encrypt).toBe(false);
    expect(config.migration.batchSize).toBe(1000);
    expect(config.migration.tables).toEqual([{ source: 'dbo.one' }, { source: 'dbo.two' }]);
    expect(config.target.accessUrl).toBe('http://127.0.0.1:18080');
  });
});

describe('source TLS options', () => {
  const source = (fields: Record<string, unknown>) => ({
    ...minimal,
    source: { ...minimal.source, ...fields },
  });

  it("takes encrypt: true, false or 'strict' (also from the environment), with a CA file and a host name", () => {
    expect(
      parseConfig(source({ encrypt: 'strict', caFile: '/etc/ca.pem' }), 'test', {}).source,
    ).toMatchObject({
      encrypt: 'strict',
      caFile: '/etc/ca.pem',
    });
    expect(parseConfig(minimal, 'test', { MIGRATOR_SOURCE__ENCRYPT: 'strict' }).source.encrypt).toBe(
      'strict',
    );
    expect(parseConfig(source({ hostNameInCertificate: 'sql01.corp' }), 'test', {}).source).toMatchObject({
      encrypt: true,
      hostNameInCertificate: 'sql01.corp',
    });
    expect(errorOf(() => parseConfig(source({ encrypt: 'yes' }), 'test', {}))).toMatch(/source\.encrypt/);
  });

  it('refuses a packet size above 16,383 while encrypting, and takes it without encryption', () => {
    expect(errorOf(() => parseConfig(source({ packetSize: 32_767 }), 'test', {}))).toContain(
      'source.packetSize: at most 16383 while source.encrypt is on: the maximum network packet size for encrypted connections is 16,383 bytes',
    );
    expect(parseConfig(source({ encrypt: false, packetSize: 32_767 }), 'test', {}).source.packetSize).toBe(
      32_767,
    );
  });

  it("refuses trustServerCertificate with encrypt: 'strict', where the driver always checks the certificate", () => {
    expect(
      errorOf(() => parseConfig(source({ encrypt: 'strict', trustServerCertificate: true }), 'test', {})),
    ).toContain("source.trustServerCertificate: does not apply with encrypt: 'strict'");
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads YAML and JSON alike', () => {
    const yaml = write(
      'a.yaml',
      'source:\n  server: s\n  database: d\n  user: u\ntarget:\n  account: a\n  user: u\n',
    );
    const json = write('a.json', JSON.stringify(minimal));
    expect(loadConfigFile(yaml, {}).source.server).toBe('s');
    expect(loadConfigFile(json, {}).source.server).toBe('sql.example.com');
  });

  it('says which file is malformed and where', () => {
    const path = write('bad.yaml', 'source:\n  server: [unclosed\n');
    expect(errorOf(() => loadConfigFile(path, {}))).toMatch(
      /bad\.yaml is not valid YAML or JSON:\n.* at line \d+, column \d+/,
    );
  });

  it('says when the file cannot be read', () => {
    expect(errorOf(() => loadConfigFile(join(dir, 'missing.yaml'), {}))).toMatch(
      /Cannot read the config file .*missing\.yaml/,
    );
  });
});

describe('secrets', () => {
  const config = parseConfig(minimal, 'test', {});

  it('come from the environment variable the config names', () => {
    expect(readSourceSecrets(config, { MSSQL_PASSWORD: 'pw' })).toEqual({ password: 'pw' });
    expect(readTargetSecrets(config, { SNOWFLAKE_PASSWORD: 'sf' })).toEqual({ password: 'sf' });
  });

  it('name the missing variable and the alternative', () => {
    expect(errorOf(() => readSourceSecrets(config, {}))).toBe(
      'The SQL Server password is missing: set the environment variable MSSQL_PASSWORD (or name a file holding it with { file: <path> } in the config).',
    );
  });

  it('may come from a file, and a key pair needs no password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-test-'));
    writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const keyPair = parseConfig(
      {
        ...minimal,
        target: {
          ...minimal.target,
          auth: { method: 'keyPair', privateKey: { file: join(dir, 'key.pem') } },
        },
      },
      'test',
      {},
    );
    expect(readTargetSecrets(keyPair, {})).toEqual({
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      passphrase: undefined,
    });
  });
});

describe('config/example.yaml', () => {
  it('is a valid config', () => {
    const config = loadConfigFile(join(__dirname, '..', '..', '..', 'config', 'example.yaml'), {});
    expect(config.target.auth.method).toBe('keyPair');
    expect(config.migration.tables).toEqual([{ source: 'dbo.customers' }, { source: 'dbo.orders' }]);
  });
});

describe('target names of the table entries', () => {
  const withTables = (tables: unknown[]) => ({ ...minimal, migration: { tables } });

  it("resolves the target's names by Snowflake's identifier rule: unquoted upper-cased, quoted exact", () => {
    const config = parseConfig(
      {
        ...minimal,
        target: { ...minimal.target, database: 'steve_mcp', schema: '"Data Migration"', stage: 'my_stage$1' },
      },
      'test',
      {},
    );
    expect(config.target).toMatchObject({
      database: 'STEVE_MCP',
      schema: 'Data Migration',
      stage: 'MY_STAGE$1',
    });
    // The mission writes its target steve_mcp.data_migration: the same as the default.
    expect(
      parseConfig(
        { ...minimal, target: { ...minimal.target, database: 'steve_mcp', schema: 'data_migration' } },
        'test',
        {},
      ).target,
    ).toMatchObject({ database: 'STEVE_MCP', schema: 'DATA_MIGRATION' });
  });

  it('refuses a target that differs from another only in case', () => {
    expect(
      errorOf(() =>
        parseConfig(
          withTables(['dbo.customers', { source: 'dbo.customers_eu', target: '"customers"' }]),
          'test',
          {},
        ),
      ),
    ).toBe(
      'Invalid configuration in test:\n' +
        '  - migration.tables[1].target: the target customers of dbo.customers_eu differs only in case from CUSTOMERS ' +
        '(the target of dbo.customers): Snowflake would create two tables that unquoted SQL cannot tell apart; choose another name',
    );
  });

  it('refuses two entries migrated to the same table', () => {
    expect(errorOf(() => parseConfig(withTables(['dbo.customers', 'sales.Customers']), 'test', {}))).toBe(
      'Invalid configuration in test:\n' +
        '  - migration.tables[1].target: dbo.customers and sales.Customers would both be migrated to CUSTOMERS: ' +
        'give one of them another name with target in its migration.tables entry.',
    );
  });

  it('accepts distinct names, and an override that renames a clash away', () => {
    const tables = [
      'dbo.customers',
      { source: 'sales.customers', target: 'SALES_CUSTOMERS' },
      '[dbo].[order lines]',
    ];
    expect(parseConfig(withTables(tables), 'test', {}).migration.tables).toHaveLength(3);
  });

  it('target.schemas: single by default; perSource takes two tables of one name from two schemas', () => {
    expect(parseConfig(minimal, 'test', {}).target.schemas).toBe('single');
    const perSource = {
      ...withTables(['dbo.customers', 'sales.Customers']),
      target: { ...minimal.target, schemas: 'perSource' },
    };
    expect(parseConfig(perSource, 'test', {}).migration.tables).toEqual([
      { source: 'dbo.customers' },
      { source: 'sales.Customers' },
    ]);
    expect(
      errorOf(() => parseConfig({ ...minimal, target: { ...minimal.target, schemas: 'each' } }, 'test', {})),
    ).toBe(
      'Invalid configuration in test:\n  - target.schemas: Invalid option: expected one of "single"|"perSource"',
    );
  });
});
