/**
 * Nothing the migrator sends to SQL Server may do anything but read: a hostile filter is refused by
 * `plan`, `check` and `start` (and by the worker, were it handed one), and the source keeps its tables.
 * `check` also compiles each filter on SQL Server and warns when the source login could write.
 */
import { runCheck } from '../../src/cli/check';
import { runPlan } from '../../src/cli/plan';
import { startRun } from '../../src/cli/run-commands';
import type { MigratorConfig } from '../../src/config/schema';
import { createLogger } from '../../src/logging';
import { startWorker } from '../../src/worker-runtime';
import { createSourceConnection, type SourceConnection } from '../../src/sqlserver/pool';
import { queryRows } from '../../src/sqlserver/query';
import {
  createMigrationEnvironment,
  SECRETS_ENV,
  SOURCE_PASSWORD,
  type MigrationEnvironment,
} from '../support/migration-env';
import { capture } from '../support/capture';

const HOSTILE = '1=1) ; DROP TABLE dbo.victim; --';
const REFUSED =
  'migration.tables[1].filter: the filter of dbo.customers is not a single T-SQL condition: ' +
  'the ")" at character 4 closes a parenthesis the filter did not open';

const SEED = `
CREATE TABLE dbo.victim (id int NOT NULL PRIMARY KEY, note nvarchar(20) NOT NULL);
CREATE TABLE dbo.customers (customer_id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL);
GO
INSERT INTO dbo.victim VALUES (1, N'still'), (2, N'here');
INSERT INTO dbo.customers VALUES (1, N'Ada'), (2, N'Grace'), (3, N'Edsger');`;

describe('the source is only ever read, and failures say what happened (stand-ins + dev server)', () => {
  let env: MigrationEnvironment;
  let source: SourceConnection;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([SEED]);
    source = createSourceConnection(env.config().source, { password: SOURCE_PASSWORD });
  });
  afterAll(async () => {
    process.env = saved;
    await source?.close();
    await env?.close();
  });

  /** A config file with `filter` on dbo.customers, written as a user would (no schema in between). */
  function configWithFilter(filter: string, overrides: Partial<MigratorConfig['source']> = {}): string {
    const config = env.config();
    return env.configFile({
      ...config,
      source: { ...config.source, ...overrides },
      migration: {
        ...config.migration,
        tables: [{ source: 'dbo.victim' }, { source: 'dbo.customers', filter }],
      },
    });
  }

  const victimRows = async () =>
    queryRows(await source.pool(), { text: 'SELECT id, note FROM dbo.victim ORDER BY id', params: {} });

  it('plan, check and start refuse the hostile filter, and dbo.victim keeps its rows', async () => {
    const path = configWithFilter(HOSTILE);
    const planned = capture();
    expect(await runPlan(path, { batches: 3 }, planned.out)).toBe(1);
    expect(planned.text()).toBe(`Invalid configuration in ${path}:\n  - ${REFUSED}\n`);

    const checked = capture();
    expect(await runCheck(path, {}, checked.out)).toBe(2);
    expect(checked.text()).toContain(`FAIL Invalid configuration in ${path}:\n  - ${REFUSED}\n`);

    await expect(
      startRun({ config: path, wait: true }, { out: capture().out, err: capture().out }),
    ).rejects.toThrow(`Invalid configuration in ${path}:\n  - ${REFUSED}`);
    expect(await victimRows()).toEqual([
      { id: 1, note: 'still' },
      { id: 2, note: 'here' },
    ]);
  });

  it('a run started with the hostile filter by another client fails before any activity', async () => {
    const config = env.config();
    const hostile: MigratorConfig = {
      ...config,
      migration: { ...config.migration, tables: [{ source: 'dbo.customers', filter: HOSTILE }] },
    };
    await env.startWorker(config);
    const failure = await env.outcome(await env.startRun(hostile));
    expect(failure).toMatchObject({
      type: 'InvalidConfig',
      message:
        'Invalid workflow input: tables.0.filter: the filter of dbo.customers is not a single T-SQL condition: the ")" at character 4 closes a parenthesis the filter did not open',
    });
    expect(await victimRows()).toHaveLength(2);
  });

  it('check compiles each filter on SQL Server and names an unknown column as a filter error', async () => {
    const checked = capture();
    expect(await runCheck(configWithFilter('nope = 1'), {}, checked.out)).toBe(1);
    expect(checked.text()).toContain(
      "FAIL dbo.customers: SQL Server refused the filter of dbo.customers (nope = 1): error 207: Invalid column name 'nope'.\n" +
        "    What to do: Fix the table's filter in migration.tables: one T-SQL condition on the table's columns, " +
        "such as status = 'open' AND id > 100 (no ';', comments or statements).",
    );
    const good = capture();
    await runCheck(configWithFilter("name <> N'Ada'"), {}, good.out);
    expect(good.text()).toContain("ok   dbo.customers: the filter compiles (name <> N'Ada')");
  });

  it('check warns that sa could write, and says what the migrator needs instead', async () => {
    const checked = capture();
    await runCheck(configWithFilter('customer_id > 1'), {}, checked.out);
    expect(checked.text()).toContain(
      'WARN the source login sa could write (member of sysadmin; member of db_owner; CONTROL, ALTER, CREATE TABLE, INSERT, UPDATE, DELETE on the database): ' +
        'the migrator only reads, so a login with CONNECT, SELECT (or db_datareader) and VIEW DEFINITION is enough and safer',
    );
  });

  it('a missing source database is named as such, not as a wrong password', async () => {
    const checked = capture();
    expect(await runCheck(configWithFilter('customer_id > 1', { database: 'shopp' }), {}, checked.out)).toBe(
      1,
    );
    expect(checked.text()).toContain(
      `FAIL SQL Server at 127.0.0.1:${env.sqlserver.port}: SQL Server refused the database: ` +
        'Cannot open database "shopp" requested by the login. The login failed.\n' +
        '    What to do: Check source.database (the login and password were accepted) and that the login is a user in that database.',
    );
  });

  it('a filter naming an unknown column stops a run during analysis as a filter error', async () => {
    const config = env.config();
    const unknownColumn = env.config({
      migration: { tables: [{ source: 'dbo.customers', filter: 'nope = 1' }] },
    });
    await env.startWorker(config);
    expect(await env.outcome(await env.startRun(unknownColumn))).toMatchObject({
      type: 'InvalidFilter',
      // The message ends with what to do (the Web UI shows it first).
      message: expect.stringMatching(
        /^SQL Server refused the filter of dbo\.customers \(nope = 1\): error 207: Invalid column name 'nope'\.\nWhat to do: /,
      ),
    });
  });

  it('check fails fast on a refused Snowflake port, in words', async () => {
    const config = env.config({ target: { accessUrl: 'http://127.0.0.1:1' } });
    const checked = capture();
    const started = Date.now();
    expect(await runCheck(env.configFile(config), {}, checked.out)).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(checked.text()).toContain(
      'FAIL cannot reach Snowflake at http://127.0.0.1:1: connection refused\n' +
        '    What to do: check target.account (or target.accessUrl) and that this machine may connect to it (firewall, proxy).',
    );
  });

  it('a worker that cannot reach Temporal stops with one line: the address and what to do', async () => {
    const config = env.config({ temporal: { address: '127.0.0.1:1' } });
    await expect(startWorker(config, { env: SECRETS_ENV, logger: createLogger('error') })).rejects.toThrow(
      new Error(
        'Cannot reach Temporal at 127.0.0.1:1: connection refused. Start a server (npm run demo starts a dev server, ' +
          'or `temporal server start-dev`) or fix temporal.address (MIGRATOR_TEMPORAL__ADDRESS=host:port).',
      ),
    );
  });
});
