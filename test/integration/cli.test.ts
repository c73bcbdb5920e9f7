/**
 * The command line as a data engineer uses it, against the stand-ins and the dev server: what `check`,
 * `plan`, `start --wait`, `status` and `report` print, and their exit codes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { seedSampleData } from '../../scripts/sample-data';
import { runCheck } from '../../src/cli/check';
import { runPlan } from '../../src/cli/plan';
import { report, startRun, status } from '../../src/cli/run-commands';
import type { RunSummary } from '../../src/contracts/run';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';

/** Collects what a command writes. */
function capture(): { out: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe('the migrate command line (stand-ins + dev server)', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  beforeAll(async () => {
    // The CLI reads secrets from its own environment, as it would in a shell.
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: 300, orders: 1_200 });
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });

  it('check: says what is in place, and that no worker polls yet', async () => {
    const path = env.configFile(env.config());
    const { out, text } = capture();
    expect(await runCheck(path, out)).toBe(1);
    const lines = text().split('\n');
    expect(lines).toContain(`ok   config ${path} is valid`);
    expect(lines).toContain(`ok   SQL Server 16.0.1000.6 at 127.0.0.1:${env.sqlserver.port}, database shop`);
    expect(lines).toContain('ok   dbo.customers: 13 columns, all types supported, key (customer_id)');
    expect(lines).toContain('ok   dbo.orders: 15 columns, all types supported, key (order_id)');
    expect(lines.find((l) => l.startsWith('ok   Snowflake '))).toMatch(/account EMULATOR, user MIGRATOR/);
    expect(lines).toContain('ok   STEVE_MCP.DATA_MIGRATION.CUSTOMERS does not exist yet: it will be created');
    expect(lines).toContain(
      `FAIL no worker polls the task queue ${env.config().temporal.taskQueue}: start one with npm run worker -- --config <file>`,
    );
    expect(lines).toContain('1 problem(s) found.');
  });

  it('check: names each failure and what to do about it', async () => {
    const config = env.config({
      target: { auth: { method: 'password', password: { env: 'TEST_WRONG_PASSWORD' } } },
      migration: { tables: ['dbo.customers', 'dbo.nope'] },
    });
    const { out, text } = capture();
    expect(await runCheck(env.configFile(config), out)).toBe(1);
    expect(text()).toContain(
      'FAIL dbo.nope: The table dbo.nope does not exist in the source database (or the login cannot see it).\n' +
        '    What to do: Check the table name in migration.tables (schema.table) and that the login can read it.',
    );
    expect(text()).toMatch(
      /FAIL Snowflake account EMULATOR: Snowflake error 390100: .*\n {4}What to do: Check target\.user and the password or key named by target\.auth/,
    );
  });

  it('check: shows every wrong field of a malformed config with its path', async () => {
    const path = join(env.workDir, 'broken.yaml');
    writeFileSync(path, 'source:\n  server: x\n  port: high\ntarget: {}\n');
    const { out, text } = capture();
    expect(await runCheck(path, out)).toBe(1);
    expect(text()).toContain(`FAIL Invalid configuration in ${path}:`);
    expect(text()).toContain('  - source.port: Invalid input: expected number, received string');
    expect(text()).toContain('  - source.database: Invalid input: expected string, received undefined');
    expect(text()).toContain('  - target.account: Invalid input: expected string, received undefined');
  });

  it('plan: prints the DDL and the first key ranges, and writes nothing', async () => {
    const config = env.config({ target: { database: 'PLAN_ONLY' }, migration: { batchSize: 500 } });
    const { out, text } = capture();
    expect(await runPlan(env.configFile(config), 3, out)).toBe(0);
    expect(text()).toContain('dbo.orders -> PLAN_ONLY.DATA_MIGRATION.ORDERS');
    expect(text()).toContain('  rows: 1,200; about 3 batch(es); key (order_id) from the primary key');
    expect(text()).toContain(
      '  CREATE TABLE "PLAN_ONLY"."DATA_MIGRATION"."ORDERS" (\n    "ORDER_ID" NUMBER(19,0) NOT NULL,',
    );
    expect(text()).toContain('    "ORDERED_AT" TIMESTAMP_TZ(7) NOT NULL,');
    expect(text()).toContain(
      '    "MIGRATED_AT" TIMESTAMP_TZ(3) NOT NULL,\n    PRIMARY KEY ("ORDER_ID")\n  );',
    );
    expect(text()).toContain(
      '    #0: start < key <= (1000000500)\n    #1: (1000000500) < key <= (1000001000)\n    #2: (1000001000) < key <= end',
    );
    const databases = await env.snowflakeRows('SHOW DATABASES');
    expect(databases.map((d) => d.name)).not.toContain('PLAN_ONLY');
  });

  it('start --wait shows the run to its end and exits 0; status and report find it later', async () => {
    const config = env.config({ migration: { tables: ['dbo.customers'] } });
    await env.startWorker(config);
    const path = env.configFile(config);
    const started = capture();
    expect(await startRun({ config: path, wait: true }, started.out)).toBe(0);
    const workflowId = /Started (migrate-\S+)/.exec(started.text())![1]!;
    expect(started.text()).toContain(
      `Web UI: http://localhost:8233/namespaces/default/workflows/${workflowId}`,
    );
    expect(started.text()).toContain('- Status: **succeeded**');
    expect(started.text()).toContain(
      '| dbo.customers | STEVE_MCP.DATA_MIGRATION.CUSTOMERS | published (created) | 300 → 300 |',
    );

    const shown = capture();
    expect(await status(workflowId, { config: path }, shown.out)).toBe(0);
    expect(shown.text()).toContain(`${workflowId}: COMPLETED`);
    expect(shown.text()).toContain('status: succeeded');

    const reported = capture();
    expect(await report(workflowId, { config: path, json: true }, reported.out)).toBe(0);
    const summary = JSON.parse(reported.text()) as RunSummary;
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 300, state: 'published' });
    expect(summary.reportFiles).toEqual([
      join(env.workDir, 'reports', `${workflowId}.json`),
      join(env.workDir, 'reports', `${workflowId}.md`),
    ]);
  });

  it('report of a failed run exits 1 and shows the error with its hint', async () => {
    const config = env.config({ migration: { tables: ['dbo.customers'] } }); // CUSTOMERS exists now: fail
    const path = env.configFile(config);
    const started = capture();
    expect(await startRun({ config: path, wait: true }, started.out)).toBe(1);
    const workflowId = /Started (migrate-\S+)/.exec(started.text())![1]!;
    const reported = capture();
    expect(await report(workflowId, { config: path }, reported.out)).toBe(1);
    expect(reported.text()).toContain('- Status: **failed**');
    expect(reported.text()).toContain(
      '**TargetTableExists**: The target table STEVE_MCP.DATA_MIGRATION.CUSTOMERS already exists (ifTargetExists: fail).',
    );
    expect(reported.text()).toContain(
      'What to do: The target table already exists: set migration.ifTargetExists to replace or append',
    );
  });
});
