/**
 * A whole schema in one config (`tables: ['dbo.*']`, `exclude: ['dbo.tmp_*']`): `discover`, `plan` and
 * a real run started by the CLI select the same tables, the run's workflow input lists them explicitly,
 * and a table created after the run started is not picked up.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { runCheck } from '../../src/cli/check';
import { runDiscover } from '../../src/cli/discover';
import { runPlan } from '../../src/cli/plan';
import { startRun } from '../../src/cli/run-commands';
import type { RunSummary } from '../../src/contracts/outcomes';
import { MIGRATION_TABLES } from '../../src/workflows/search-attributes';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { capture } from '../support/capture';

const SEED = `
CREATE SCHEMA sales;
GO
CREATE TABLE dbo.customers (id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL, balance money NOT NULL);
CREATE TABLE dbo.Orders (id bigint NOT NULL PRIMARY KEY, customer_id int NOT NULL, placed datetimeoffset(3) NOT NULL,
  CONSTRAINT FK_orders_customers FOREIGN KEY (customer_id) REFERENCES dbo.customers (id));
CREATE TABLE dbo.tmp_load (id int NOT NULL, v decimal(38,38) NULL);
CREATE TABLE dbo.TMP_old (id int NOT NULL);
CREATE TABLE sales.customers (id int NOT NULL PRIMARY KEY);
INSERT INTO dbo.customers VALUES (1, N'Ann', 1.5), (2, N'Bob', 0);
INSERT INTO dbo.Orders VALUES (10, 1, '2026-01-02 03:04:05.678 +05:30');
`;

describe('selecting tables by pattern (stand-ins + dev server)', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([SEED]);
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });

  const wholeSchema = () =>
    env.config({ migration: { tables: ['dbo.*'], exclude: ['dbo.tmp_*'], batchSize: 1 } });

  it('discover: one block per selected table, with the verdict of each column', async () => {
    const { out, text } = capture();
    expect(await runDiscover(env.configFile(wholeSchema()), {}, out)).toBe(0);
    const where = `127.0.0.1:${env.sqlserver.port}/shop`;
    const collation =
      'case-insensitive collation SQL_Latin1_General_CP1_CI_AS -> case-sensitive comparisons in Snowflake';
    const size =
      'unknown: sys.dm_db_partition_stats: The SQL Server stand-in does not support the catalog view sys.dm_db_partition_stats.';
    expect(text()).toBe(
      [
        `2 table(s) selected in ${where}; nothing is written.`,
        '',
        'dbo.customers -> STEVE_MCP.DATA_MIGRATION.CUSTOMERS',
        '  rows  about 2 (catalog estimate)',
        `  size  ${size}`,
        '  key   (id), from the primary key',
        '',
        '  column   SQL Server    Snowflake     verdict',
        '  id       int           NUMBER(10,0)  exact',
        `  name     nvarchar(40)  VARCHAR(40)   converted: ${collation}`,
        '  balance  money         NUMBER(19,4)  converted: money -> NUMBER(19,4): the same values, exact to 4 decimals',
        '  not carried to Snowflake:',
        '    primary key (id)  declared in Snowflake, which does not enforce it',
        '',
        'dbo.Orders -> STEVE_MCP.DATA_MIGRATION.ORDERS',
        '  rows  about 1 (catalog estimate)',
        `  size  ${size}`,
        '  key   (id), from the primary key',
        '',
        '  column       SQL Server         Snowflake        verdict',
        '  id           bigint             NUMBER(19,0)     exact',
        '  customer_id  int                NUMBER(10,0)     exact',
        '  placed       datetimeoffset(3)  TIMESTAMP_TZ(3)  converted: datetimeoffset -> TIMESTAMP_TZ: each value keeps its instant and its UTC offset',
        '  not carried to Snowflake:',
        '    primary key (id)                 declared in Snowflake, which does not enforce it',
        "    foreign key FK_orders_customers  declared in Snowflake, which does not enforce it, at the run's end if the run publishes the table it references",
        '',
        '2 table(s), columns: 3 exact, 3 converted, 0 refused, 0 excluded.',
        'Every selected table can be migrated as configured.',
        '',
      ].join('\n'),
    );
  });

  it('discover --json: a refused column, and exit 1 because a run would stop', async () => {
    const { out, text } = capture();
    const config = env.config({ migration: { tables: ['dbo.tmp*'] } });
    expect(await runDiscover(env.configFile(config), { json: true }, out)).toBe(1);
    const report = JSON.parse(text()) as {
      tables: { source: string; columns: unknown[] }[];
      columns: unknown;
    };
    expect(report.tables.map((t) => t.source)).toEqual(['dbo.tmp_load', 'dbo.TMP_old']);
    expect(report.tables[0]!.columns[1]).toEqual({
      name: 'v',
      sourceType: 'decimal(38,38)',
      verdict: 'refused',
      why: "Snowflake's NUMBER holds at most 37 digits after the decimal point, this column 38",
      todo: 'Exclude the column (excludeColumns in the table entry), or convert it in a view or computed column.',
    });
    expect(report.columns).toEqual({ exact: 2, converted: 0, refused: 1, excluded: 0 });
  });

  it('discover --exact-counts counts with COUNT_BIG(*) and says so; the estimate follows the rows', async () => {
    await env.sqlserver.exec("INSERT INTO dbo.Orders (id, customer_id, placed) VALUES (99, 1, '2024-01-01')");
    try {
      const counts = async (options: { exactCounts?: boolean }) => {
        const { out, text } = capture();
        expect(await runDiscover(env.configFile(wholeSchema()), { json: true, ...options }, out)).toBe(0);
        const report = JSON.parse(text()) as { tables: { rows: number; rowCount: string }[] };
        return report.tables.map((t) => [t.rows, t.rowCount]);
      };
      // The stand-in's sys.partitions holds each table's current count (SQL Server's is approximate).
      expect(await counts({})).toEqual([
        [2, 'estimate'],
        [2, 'estimate'],
      ]);
      expect(await counts({ exactCounts: true })).toEqual([
        [2, 'exact'],
        [2, 'exact'],
      ]);
    } finally {
      await env.sqlserver.exec('DELETE FROM dbo.Orders WHERE id = 99');
    }
  });

  it('discover names a pattern that matches nothing (exit 2)', async () => {
    const { out, text } = capture();
    const config = env.config({ migration: { tables: ['dbo.*', 'hr.*'], exclude: ['nothing.*'] } });
    expect(await runDiscover(env.configFile(config), {}, out)).toBe(2);
    expect(text()).toBe(
      'Invalid table selection:\n  - migration.tables[1]: the pattern hr.* matches no table in the source database\n',
    );
  });

  it('check lists the selection and checks each selected table', async () => {
    const { out, text } = capture();
    await runCheck(env.configFile(wholeSchema()), {}, out);
    const lines = text().split('\n');
    expect(lines).toContain('ok   migration.tables selects 2 table(s): dbo.customers, dbo.Orders');
    expect(lines).toContain('ok   dbo.Orders: 3 columns, all types supported, key (id)');
    expect(lines).toContain('ok   STEVE_MCP.DATA_MIGRATION.ORDERS does not exist yet: it will be created');
  });

  it('plan selects the same tables', async () => {
    const { out, text } = capture();
    expect(await runPlan(env.configFile(wholeSchema()), { batches: 1, json: true }, out)).toBe(0);
    const plan = JSON.parse(text()) as { tables: { source: string; columns: { verdict: string }[] }[] };
    expect(plan.tables.map((t) => t.source)).toEqual(['dbo.customers', 'dbo.Orders']);
    expect(plan.tables[1]!.columns.map((c) => c.verdict)).toEqual(['exact', 'exact', 'converted']);
  });

  it('a run records the selection explicitly and never picks up a table created after it started', async () => {
    const config = wholeSchema();
    const started = capture();
    const notices = capture();
    expect(await startRun({ config: env.configFile(config) }, { out: started.out, err: notices.out })).toBe(
      0,
    );
    const workflowId = /Started (migrate-\S+)/.exec(started.text())![1]!;
    // Created after the start and before any worker ran the workflow: `dbo.*` would match it now.
    await env.sqlserver.exec(
      'CREATE TABLE dbo.late (id int NOT NULL PRIMARY KEY); INSERT INTO dbo.late VALUES (1);',
    );
    await env.startWorker(config);

    const summary = (await env.outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state])).toEqual([
      ['dbo.customers', 'published'],
      ['dbo.Orders', 'published'],
    ]);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const input = defaultPayloadConverter.fromPayload<{ tables: unknown }>(payload);
    expect(input.tables).toEqual([{ source: 'dbo.customers' }, { source: 'dbo.Orders' }]);
    expect(await env.tablesIn('DATA_MIGRATION')).toEqual(['CUSTOMERS', 'ORDERS']);
  });
});

describe('a schema of many tables', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  const names = Array.from(
    { length: 150 },
    (_, i) => `a_fairly_long_table_name_${String(i).padStart(3, '0')}`,
  );
  beforeAll(async () => {
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([
      names.map((n) => `CREATE TABLE dbo.${n} (id int NOT NULL);`).join('\n'),
    ]);
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });

  it('starts within Temporal’s search attribute and memo limits, with every table in the input', async () => {
    const started = capture();
    const config = env.config({ migration: { tables: ['dbo.*'] } });
    expect(await startRun({ config: env.configFile(config) }, { out: started.out, err: capture().out })).toBe(
      0,
    );
    const workflowId = /Started (migrate-\S+)/.exec(started.text())![1]!;
    const handle = env.client.workflow.getHandle(workflowId);
    try {
      const description = await handle.describe();
      expect(description.memo).toMatchObject({ tableCount: 150 });
      const searchable = description.typedSearchAttributes.get(MIGRATION_TABLES)!;
      expect(searchable).toEqual(names.slice(0, searchable.length).map((n) => `dbo.${n}`));
      expect(searchable.length).toBeGreaterThan(40);
      const history = await handle.fetchHistory();
      const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const input = defaultPayloadConverter.fromPayload<{ tables: { source: string }[] }>(payload);
      expect(input.tables.map((t) => t.source)).toEqual(names.map((n) => `dbo.${n}`));
    } finally {
      await handle.terminate('test done');
    }
  });
});
