/**
 * The command line as a data engineer uses it, against the stand-ins and the dev server: what `check`,
 * `plan`, `start`, `status`, `report` and `cancel` print (text and --json), and their exit codes.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultPayloadConverter } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { seedSampleData } from '../../scripts/sample-data';
import { runCheck } from '../../src/cli/check';
import { RunConflictError } from '../../src/cli/exit-codes';
import { runPlan } from '../../src/cli/plan';
import { cancel, report, startRun, status, type Io } from '../../src/cli/run-commands';
import type { RunSummary } from '../../src/contracts/outcomes';
import type { RunningWorker } from '../../src/worker-runtime';
import { progressQuery } from '../../src/workflows/messages';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { capture } from '../support/capture';

/** Collects what a command writes. */
/** Collects a command's results and its notices apart, as stdout and stderr are. */
function captureIo(interrupt?: AbortSignal): { io: Io; out: () => string; err: () => string } {
  const out = capture();
  const err = capture();
  return { io: { out: out.out, err: err.out, interrupt }, out: out.text, err: err.text };
}

/** Runs the installed command (bin/) as a user's shell would. */
function runBin(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, '../../bin/sqlserver-snowflake-migrator.js'), ...args],
      { env },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/** Whether Temporal's visibility lists the run as open yet (it lags the start a little). */
async function openRunIds(env: MigrationEnvironment, workflowId: string): Promise<boolean> {
  for await (const run of env.client.workflow.list({ query: `ExecutionStatus = "Running"` })) {
    if (run.workflowId === workflowId) return true;
  }
  return false;
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
    expect(await runCheck(path, {}, out)).toBe(1);
    const lines = text().split('\n');
    expect(lines).toContain(`ok   config ${path} is valid`);
    expect(lines).toContain(`ok   SQL Server 16.0.1000.6 at 127.0.0.1:${env.sqlserver.port}, database shop`);
    expect(lines).toContain('ok   dbo.customers: 13 columns, all types supported, key (customer_id)');
    expect(lines).toContain('ok   dbo.orders: 15 columns, all types supported, key (order_id)');
    expect(lines.find((l) => l.startsWith('ok   Snowflake '))).toMatch(/account EMULATOR, user MIGRATOR/);
    expect(lines).toContain('ok   warehouse COMPUTE_WH runs statements');
    expect(lines).toContain('ok   STEVE_MCP.DATA_MIGRATION.CUSTOMERS does not exist yet: it will be created');
    expect(lines).toContain(
      'ok   the search attributes runs set are registered (MigrationStatus, MigrationTables, MigrationTarget, MigrationRowsCopied)',
    );
    expect(lines).toContain(
      `FAIL no worker polls the task queue ${env.config().temporal.taskQueue}: start one with npm run worker -- --config <file>`,
    );
    expect(lines).toContain('1 problem(s) found.');
  });

  it('check: runs the calibration probe over the Snowflake types the tables use, and names a mismatch', async () => {
    // Where the target schema exists, the probe loads its values by PUT and COPY INTO as well.
    await env.snowflake.query('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"');
    await env.snowflake.query('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."CHECKED"');
    const path = env.configFile(env.config({ target: { schema: 'CHECKED' } }));
    const passed = capture();
    await runCheck(path, {}, passed.out);
    expect(passed.text()).toMatch(
      /^ok {3}Snowflake prints the calibration values of NUMBER\(10,0\), .*FLOAT.* bound by INSERT and loaded by PUT and COPY INTO as the content check expects$/m,
    );
    expect(passed.text()).not.toContain('WARN the calibration probe');
    // Where it does not exist yet, only the INSERT path is probed, and the check says so.
    const early = capture();
    await runCheck(env.configFile(env.config({ target: { schema: 'NOT_YET' } })), {}, early.out);
    expect(early.text()).toMatch(
      /^ok {3}Snowflake prints the calibration values of .* bound by INSERT as the content check expects$/m,
    );
    expect(early.text()).toContain(
      'WARN the calibration probe did not load its values by PUT and COPY INTO: the schema STEVE_MCP.NOT_YET does not exist yet, and the probe creates none\n',
    );
    env.snowflake.faults.roundFloatTiesToEven();
    try {
      const failed = capture();
      expect(await runCheck(path, {}, failed.out)).toBe(1);
      expect(failed.text()).toContain(
        'FAIL Calibration: Snowflake prints the FLOAT value "123456789012345.62" as "+1.2345678901234562E+014", the worker as "+1.2345678901234563E+014".\n' +
          "    What to do: This Snowflake account prints a sentinel value otherwise than the worker's canonical text",
      );
    } finally {
      env.snowflake.faults.clear();
    }
  });

  it('check: names each failure and what to do about it', async () => {
    const config = env.config({
      target: { auth: { method: 'password', password: { env: 'TEST_WRONG_PASSWORD' } } },
      migration: { tables: ['dbo.customers', 'dbo.nope'] },
    });
    const { out, text } = capture();
    expect(await runCheck(env.configFile(config), {}, out)).toBe(1);
    expect(text()).toContain(
      'FAIL dbo.nope: The table dbo.nope does not exist in the source database (or the login cannot see it).\n' +
        '    What to do: Check the table name in migration.tables (schema.table) and that the login can read it.',
    );
    expect(text()).toMatch(
      /FAIL Snowflake account EMULATOR: Snowflake error 390100: .*\n {4}What to do: Check target\.user and the password or key named by target\.auth/,
    );
  });

  it('check: a user without a default warehouse and no target.warehouse fails with 000606 and what to do', async () => {
    // Snowflake's users have no DEFAULT_WAREHOUSE unless an administrator sets one; CURRENT_VERSION()
    // still answers, a statement that needs a warehouse does not.
    const { out, text } = capture();
    expect(await runCheck(env.configFile(env.config({ target: { warehouse: undefined } })), {}, out)).toBe(1);
    expect(text()).toMatch(/ok {3}Snowflake .* account EMULATOR, user MIGRATOR/);
    expect(text()).toContain(
      "FAIL no warehouse runs statements: Snowflake error 000606: No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n" +
        "    What to do: Snowflake has no running warehouse for the migrator's sessions: set target.warehouse (or the user's DEFAULT_WAREHOUSE)",
    );
  });

  it('check: sourceReadIsolation snapshot needs ALLOW_SNAPSHOT_ISOLATION ON, and says how to get it', async () => {
    const path = env.configFile(env.config({ migration: { sourceReadIsolation: 'snapshot' } }));
    const before = capture();
    await runCheck(path, {}, before.out);
    expect(before.text()).toContain(
      'FAIL migration.sourceReadIsolation is snapshot, but database shop has ALLOW_SNAPSHOT_ISOLATION OFF: ' +
        'have a DBA run ALTER DATABASE [shop] SET ALLOW_SNAPSHOT_ISOLATION ON (the migrator never changes the source), ' +
        'or set migration.sourceReadIsolation: readCommitted',
    );
    await env.sqlserver.exec('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
    try {
      const after = capture();
      await runCheck(path, {}, after.out);
      expect(after.text()).toContain(
        'ok   database shop allows SNAPSHOT isolation (sourceReadIsolation: snapshot)',
      );
    } finally {
      await env.sqlserver.exec('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION OFF');
    }
  });

  it('check: shows every wrong field of a malformed config with its path', async () => {
    const path = join(env.workDir, 'broken.yaml');
    writeFileSync(path, 'source:\n  server: x\n  port: high\ntarget: {}\n');
    const { out, text } = capture();
    expect(await runCheck(path, {}, out)).toBe(2);
    expect(text()).toContain(`FAIL Invalid configuration in ${path}:`);
    expect(text()).toContain('  - source.port: Invalid input: expected number, received string');
    expect(text()).toContain('  - source.database: Invalid input: expected string, received undefined');
    expect(text()).toContain('  - target.account: Invalid input: expected string, received undefined');
  });

  it('plan: prints the DDL and the first key ranges, and writes nothing', async () => {
    const config = env.config({ target: { database: 'PLAN_ONLY' }, migration: { batchSize: 500 } });
    const { out, text } = capture();
    expect(await runPlan(env.configFile(config), { batches: 3 }, out)).toBe(0);
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

  it('check --json and plan --json print findings and tables as JSON', async () => {
    const path = env.configFile(env.config({ migration: { batchSize: 500 } }));
    const checked = capture();
    expect(await runCheck(path, { json: true }, checked.out)).toBe(1);
    const findings = JSON.parse(checked.text()) as {
      ok: boolean;
      findings: { ok: boolean; text: string }[];
      permissions: Record<string, unknown>[];
    };
    expect(findings.permissions).toContainEqual({
      permission: 'VIEW CHANGE TRACKING',
      on: 'dbo.orders',
      held: true,
      withoutIt: 'mode: follow is not possible (CHANGETABLE is refused)',
      severity: 'optional',
    });
    expect(findings.permissions.map((p) => `${String(p.permission)} ${String(p.on)}`)).toEqual([
      'SELECT dbo.customers',
      'SELECT dbo.orders',
      'VIEW DEFINITION database',
      'UNMASK database',
      'VIEW DATABASE STATE database',
      'VIEW CHANGE TRACKING dbo.customers',
      'VIEW CHANGE TRACKING dbo.orders',
    ]);
    expect(findings.ok).toBe(false);
    expect(findings.findings).toContainEqual({ ok: true, text: `config ${path} is valid` });
    expect(findings.findings.filter((f) => !f.ok).map((f) => f.text)).toEqual([
      `no worker polls the task queue ${env.config().temporal.taskQueue}: start one with npm run worker -- --config <file>`,
    ]);

    const planned = capture();
    expect(await runPlan(path, { batches: 2, json: true }, planned.out)).toBe(0);
    const plan = JSON.parse(planned.text()) as { loadMethod: string; tables: Record<string, unknown>[] };
    expect(plan.loadMethod).toBe('copy');
    expect(plan.tables[1]).toMatchObject({
      source: 'dbo.orders',
      target: 'STEVE_MCP.DATA_MIGRATION.ORDERS',
      rows: 1_200,
      batches: 3,
      key: { columns: ['order_id'], from: 'primary key' },
      firstRanges: [
        { index: 0, lower: null, upper: ['1000000500'] },
        { index: 1, lower: ['1000000500'], upper: ['1000001000'] },
      ],
      moreRanges: true,
    });
  });

  /** Each run's workflow id and run id (runs of the same tables share their workflow id). */
  const runs: Record<'succeeded' | 'failed' | 'cancelled', { workflowId: string; runId: string }> = {
    succeeded: { workflowId: '', runId: '' },
    failed: { workflowId: '', runId: '' },
    cancelled: { workflowId: '', runId: '' },
  };
  const startedRun = (out: string) => {
    const [, workflowId, runId] = /Started (migrate-\S+) \(run (\S+)\)/.exec(out)!;
    return { workflowId: workflowId!, runId: runId! };
  };
  let worker: RunningWorker;
  let path: string;

  it('start --wait shows the run to its end and exits 0', async () => {
    const config = env.config({ migration: { tables: ['dbo.customers'], batchSize: 100 } });
    worker = await env.startWorker(config);
    path = env.configFile(config);
    const started = captureIo();
    expect(await startRun({ config: path, wait: true }, started.io)).toBe(0);
    runs.succeeded = startedRun(started.out());
    const { workflowId, runId } = runs.succeeded;
    expect(workflowId).toMatch(/^migrate-steve_mcp-data_migration-[0-9a-f]{10}$/);
    expect(started.out()).toContain(
      `Web UI: http://localhost:8233/namespaces/default/workflows/${workflowId}/${runId}/history\n`,
    );
    expect(started.out()).toContain('- Status: **succeeded**');
    expect(started.out()).toContain(
      '| dbo.customers | STEVE_MCP.DATA_MIGRATION.CUSTOMERS | published (created) | 300 → 300 |',
    );
  });

  it('start --wait of a failing run exits 1 and shows the error with its hint', async () => {
    const started = captureIo();
    expect(await startRun({ config: path, wait: true }, started.io)).toBe(1); // CUSTOMERS exists now: fail
    runs.failed = startedRun(started.out());
    // The same tables into the same schema: the same workflow id, another run.
    expect(runs.failed.workflowId).toBe(runs.succeeded.workflowId);
    expect(started.out()).toContain('- Status: **failed**');
  });

  it('cancel --wait shows the report of the cancelled run and exits 4', async () => {
    const config = env.config({
      migration: { tables: ['dbo.orders'], batchSize: 100, batchesInFlight: 1 },
      target: { database: 'CANCELLED' },
    });
    const started = captureIo();
    expect(await startRun({ config: env.configFile(config), json: true }, started.io)).toBe(0);
    runs.cancelled = JSON.parse(started.out()) as { workflowId: string; runId: string };
    const { workflowId } = runs.cancelled;
    // Cancelled while copying, so that there is something to roll back.
    const handle = env.client.workflow.getHandle(workflowId);
    const tableState = async () => (await env.tableProgress(workflowId, 0))?.table.state;
    while ((await tableState()) !== 'copying') await sleep(100);
    // The run's own progress names the table in flight and its child workflow.
    expect((await handle.query(progressQuery)).running).toEqual([
      { index: 0, workflowId: `${workflowId}.t0` },
    ]);
    const cancelled = captureIo();
    expect(await cancel(workflowId, { config: path, wait: true }, cancelled.io)).toBe(4);
    expect(cancelled.out()).toContain('- Status: **cancelled**');
  });

  it('status and report of closed runs need no worker and answer at once', async () => {
    worker.worker.shutdown();
    await worker.finished;
    const began = Date.now();
    // The succeeded run by its run id: the latest run of its workflow id is the failed one.
    const succeeded = { config: path, runId: runs.succeeded.runId };
    const shown = captureIo();
    expect(await status(runs.succeeded.workflowId, succeeded, shown.io)).toBe(0);
    expect(shown.out()).toContain(`${runs.succeeded.workflowId}: COMPLETED`);
    expect(shown.out()).toContain('status: succeeded');
    expect(shown.out()).toMatch(
      /\n {2}dbo\.customers -> STEVE_MCP\.DATA_MIGRATION\.CUSTOMERS: published, (\d+)\/\1 batches, 300\/300 rows\n/,
    );

    const asJson = captureIo();
    expect(await status(runs.succeeded.workflowId, { ...succeeded, json: true }, asJson.io)).toBe(0);
    expect(JSON.parse(asJson.out())).toMatchObject({
      ...runs.succeeded,
      status: 'COMPLETED',
      summary: { status: 'succeeded', tables: [{ source: 'dbo.customers', rowsCopied: 300 }] },
    });

    const reported = captureIo();
    expect(await report(runs.succeeded.workflowId, { ...succeeded, json: true }, reported.io)).toBe(0);
    const summary = JSON.parse(reported.out()) as RunSummary;
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 300, state: 'published' });
    // Named per run, so that a later run of the same tables keeps this one's report.
    const stem = join(env.workDir, 'reports', `${runs.succeeded.workflowId}-${summary.runTag}`);
    expect(summary.reportFiles).toEqual([`${stem}.json`, `${stem}.md`, `${stem}.html`]);

    // Without a run id: the latest run of the workflow id.
    const failed = captureIo();
    expect(await report(runs.failed.workflowId, { config: path }, failed.io)).toBe(1);
    expect(failed.out()).toContain('- Status: **failed**');
    expect(failed.out()).toContain(
      '**TargetTableExists**: The target table STEVE_MCP.DATA_MIGRATION.CUSTOMERS already exists (ifTargetExists: fail).',
    );
    expect(failed.out()).toContain(
      'What to do: The target table already exists: set migration.ifTargetExists to replace or append',
    );

    const cancelled = captureIo();
    expect(await report(runs.cancelled.workflowId, { config: path }, cancelled.io)).toBe(4);
    expect(cancelled.out()).toContain('- Status: **cancelled**');
    expect(cancelled.out()).toContain(`Report files (on the worker): ${join(env.workDir, 'reports')}`);
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it('in the Web UI, each activity names its table, batch or undo step', async () => {
    const summaries = async (run: { workflowId: string; runId?: string }) => {
      const { events } = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      return (events ?? [])
        .filter((e) => e.activityTaskScheduledEventAttributes)
        .map((e) => defaultPayloadConverter.fromPayload<string>(e.userMetadata!.summary!));
    };
    // The run analyses its tables a page at a time, declares the foreign keys between the published ones,
    // writes the report; each table's child does the rest, from the run's analysis of its table.
    expect(await summaries(runs.succeeded)).toEqual([
      'analyzeTables 1-1 of 1',
      'declareForeignKeys between 1 published table(s)',
      'writeReport (succeeded)',
    ]);
    const succeeded = await summaries({ workflowId: `${runs.succeeded.workflowId}.t0` });
    expect(succeeded[0]).toMatch(
      /^prepareTable dbo\.customers: staging table STEVE_MCP\.DATA_MIGRATION\.CUSTOMERS__MIGRATING_[A-Z0-9]+$/,
    );
    expect(succeeded[1]).toBe('planBatches dbo.customers from #0');
    expect(succeeded).toContainEqual(expect.stringMatching(/^copyBatch dbo\.customers #1 \(\d+, \d+\]$/));
    expect(succeeded.slice(-2)).toEqual([
      'validateTable dbo.customers',
      'publishTable dbo.customers -> STEVE_MCP.DATA_MIGRATION.CUSTOMERS (create)',
    ]);
    const cancelled = await summaries({ workflowId: `${runs.cancelled.workflowId}.t0` });
    expect(cancelled).toContainEqual(
      expect.stringMatching(
        /^undo: drop staging table CANCELLED\.DATA_MIGRATION\.ORDERS__MIGRATING_[A-Z0-9]+$/,
      ),
    );
    expect((await summaries(runs.cancelled)).at(-1)).toBe('writeReport (cancelled)');
  });

  it('two starts of the same tables at once: exactly one runs, the other is refused naming it', async () => {
    // No worker polls this queue, so the run that starts stays open.
    const configPath = env.configFile(env.config({ temporal: { taskQueue: `nobody-${Date.now()}` } }));
    const attempts = await Promise.all(
      [1, 2].map(() => runBin(['start', '--config', configPath, '--json'], process.env)),
    );
    const [started, refused] = [0, 7].map((code) => attempts.filter((a) => a.code === code));
    expect([started!.length, refused!.length]).toEqual([1, 1]);
    const { workflowId } = JSON.parse(started![0]!.stdout) as { workflowId: string };
    expect(refused![0]!.stdout).toBe('');
    expect(refused![0]!.stderr).toBe(
      `Not started: ${workflowId} is still migrating dbo.customers, dbo.orders into STEVE_MCP.DATA_MIGRATION, and two runs on the same tables would undo each other's work.\n` +
        `  Follow it: sqlserver-snowflake-migrator status ${workflowId} --config ${configPath}\n` +
        `  Wait for it to end, or cancel it: sqlserver-snowflake-migrator cancel ${workflowId} --config ${configPath}\n`,
    );
    await env.client.workflow.getHandle(workflowId).terminate();
  });

  it('start says when no worker polls its task queue; Ctrl-C while waiting leaves the run going', async () => {
    const raw = { temporal: { taskQueue: `nobody-${Date.now()}` } };
    const config = env.config(raw);
    const configPath = env.configFile(config);
    const notice =
      `No worker polls the task queue ${config.temporal.taskQueue}: the run waits until one does.\n` +
      '  Start one with: npm run worker -- --config <file> (same temporal section and task queue)\n';

    const started = captureIo();
    expect(await startRun({ config: configPath, json: true }, started.io)).toBe(0);
    const info = JSON.parse(started.out()) as {
      workflowId: string;
      runId: string;
      webUi: string;
      taskQueue: string;
    };
    expect(info.webUi).toBe(
      `http://localhost:8233/namespaces/default/workflows/${info.workflowId}/${info.runId}/history`,
    );
    expect(info.taskQueue).toBe(config.temporal.taskQueue);
    expect(started.err()).toBe(notice);

    const shown = captureIo();
    expect(await status(info.workflowId, { config: configPath }, shown.io)).toBe(0);
    expect(shown.out()).toBe(`${info.workflowId}: RUNNING\nWeb UI: ${info.webUi}\n${notice}`);

    // A run of some of the same tables (another selection, so another workflow id) is refused too, once
    // Temporal's list of open runs has the first.
    const some = env.configFile(env.config({ ...raw, migration: { tables: ['dbo.orders'] } }));
    while (!(await openRunIds(env, info.workflowId))) await sleep(100);
    const refused = await startRun({ config: some }, captureIo().io).catch((err: Error) => err);
    expect(refused).toBeInstanceOf(RunConflictError);
    expect((refused as Error).message).toBe(
      `Not started: ${info.workflowId} is still migrating dbo.orders into STEVE_MCP.DATA_MIGRATION, and two runs on the same tables would undo each other's work.\n` +
        `  Follow it: sqlserver-snowflake-migrator status ${info.workflowId} --config ${some}\n` +
        `  Wait for it to end, or cancel it: sqlserver-snowflake-migrator cancel ${info.workflowId} --config ${some}`,
    );

    // Into another schema, the same tables may go at once.
    const elsewhere = env.configFile(env.config({ ...raw, target: { schema: 'CTRL_C' } }));
    const ctrlC = new AbortController();
    const waiting = captureIo(ctrlC.signal);
    const code = startRun({ config: elsewhere, wait: true }, waiting.io);
    while (!waiting.err().includes(notice)) await sleep(100);
    ctrlC.abort();
    expect(await code).toBe(130);
    const { workflowId } = startedRun(waiting.out());
    expect(waiting.err()).toBe(
      `${notice}\nStopped watching. ${workflowId} goes on in Temporal.\n` +
        `  Follow it: sqlserver-snowflake-migrator status ${workflowId} --config ${elsewhere}\n` +
        `  Cancel it: sqlserver-snowflake-migrator cancel ${workflowId} --config ${elsewhere}\n`,
    );
    const { status: state } = await env.client.workflow.getHandle(workflowId).describe();
    expect(state.name).toBe('RUNNING');
    for (const id of [workflowId, info.workflowId]) await env.client.workflow.getHandle(id).terminate();
  });

  it('start on a namespace without the search attributes says how to register them', async () => {
    const namespace = `bare-${Date.now()}`;
    await env.client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const config = env.config({ temporal: { namespace } });
    const configPath = env.configFile(config);
    const expected =
      `The Temporal namespace ${namespace} lacks the search attributes runs set (MigrationStatus, MigrationTables, MigrationTarget, MigrationRowsCopied), so the run cannot start.\n` +
      'Register them once (or run check):\n' +
      `  temporal operator search-attribute create --namespace ${namespace} --name MigrationStatus --type Keyword\n` +
      `  temporal operator search-attribute create --namespace ${namespace} --name MigrationTables --type KeywordList\n` +
      `  temporal operator search-attribute create --namespace ${namespace} --name MigrationTarget --type Keyword\n` +
      `  temporal operator search-attribute create --namespace ${namespace} --name MigrationRowsCopied --type Int`;
    // A new namespace takes a moment to be known by every part of the server.
    for (let i = 0; ; i++) {
      const attempt = await startRun({ config: configPath }, captureIo().io).catch((err: Error) => err);
      if (attempt instanceof Error && attempt.message === expected) break;
      if (i === 30) throw attempt;
      await sleep(500);
    }
    const checked = capture();
    await runCheck(configPath, {}, checked.out);
    expect(checked.text()).toContain(
      `FAIL namespace ${namespace} lacks the search attributes MigrationStatus, MigrationTables, MigrationTarget, MigrationRowsCopied: a run cannot start. Register them:\n` +
        `  temporal operator search-attribute create --namespace ${namespace} --name MigrationStatus --type Keyword\n`,
    );
  });

  it('the installed command: --version, clean JSON on stdout, distinct exit codes', async () => {
    const version = await runBin(['--version'], process.env);
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });

    const { workflowId, runId } = runs.succeeded;
    const reported = await runBin(
      ['report', workflowId, '--run-id', runId, '--json', '--config', path],
      process.env,
    );
    expect(reported.stderr).toBe('');
    expect(reported.code).toBe(0);
    expect(JSON.parse(reported.stdout) as RunSummary).toMatchObject({ workflowId, status: 'succeeded' });

    const broken = join(env.workDir, 'broken-too.yaml');
    writeFileSync(broken, 'source: {}\n');
    const invalid = await runBin(['check', '--config', broken], process.env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe('');

    const unreachable = await runBin(['status', workflowId, '--address', '127.0.0.1:1'], process.env);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^Cannot reach Temporal at 127\.0\.0\.1:1: /);
  });
});
