/**
 * mode follow end to end (stand-ins + real drivers + dev server): a table is copied and published, then
 * follows the source's changes through SQL Server Change Tracking, and ends at cutover equal to the
 * source, value by value. Tables that cannot be followed are refused at the analysis, with what to do.
 * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server
 */
import { spawnWorkerProcess } from '../../scripts/worker-process';
import type { RunSummary } from '../../src/contracts/outcomes';
import { runCheck } from '../../src/cli/check';
import { runDiscover } from '../../src/cli/discover';
import { runPlan } from '../../src/cli/plan';
import { signal, status } from '../../src/cli/run-commands';
import {
  cutoverSignal,
  pauseSignal,
  resumeSignal,
  tableProgressQuery,
  type TableLiveProgress,
} from '../../src/workflows/messages';
import type { TableTask } from '../../src/contracts/table';
import { recopyNames } from '../../src/names/target-names';
import { dropStagingColumns, swapTables } from '../../src/sql/snowflake/statements';
import { tableWorkflowId } from '../../src/run-summary/records';
import { MIGRATION_STATUS } from '../../src/workflows/search-attributes';
import { activityHarness, runActivity } from '../support/activity-harness';
import { capture } from '../support/capture';
import { TEST_ENV } from '../support/temporal';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import {
  canonicalRows,
  canonicalTargetRows,
  selectAllQuery,
  type SampleTable,
} from '../support/target-values';
import { eventually } from '../support/eventually';

const ACCOUNTS: SampleTable = {
  source: 'dbo.accounts',
  target: 'ACCOUNTS',
  columns: ['id', 'owner', 'balance', 'opened'],
  kinds: ['int', 'text', 'decimal', 'ts7'],
};

const SEED = `
CREATE TABLE dbo.accounts (id int NOT NULL PRIMARY KEY, owner nvarchar(40) NOT NULL,
  balance decimal(12,2) NULL, opened datetime2(7) NULL);
GO
INSERT INTO dbo.accounts VALUES
  (1, N'Ann', 10.50, '2020-01-01 08:00:00.1234567'), (2, N'Bob', 20.00, NULL),
  (3, N'Cé', NULL, '2021-06-30 23:59:59.9999999'), (4, N'Dan', 40.25, '2022-02-02 02:02:02'),
  (5, N'Eve', 50.00, '2023-03-03 03:03:03'), (6, N'Fay', 60.75, '2024-04-04 04:04:04');
GO
CREATE TABLE dbo.notes (note nvarchar(20) NOT NULL);
GO
ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
ALTER DATABASE shop SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);
GO
ALTER TABLE dbo.accounts ENABLE CHANGE_TRACKING;`;

/** The writes made while the table follows, one transaction each. */
const WRITES = [
  "INSERT INTO dbo.accounts VALUES (7, N'Gus', 70.00, '2025-05-05 05:05:05')",
  // One key updated several times: only its last values count.
  'UPDATE dbo.accounts SET balance = 21.00 WHERE id = 2',
  "UPDATE dbo.accounts SET balance = 22.00, owner = N'Bobby' WHERE id = 2",
  "UPDATE dbo.accounts SET balance = 23.00, opened = '2019-09-09 09:09:09.5' WHERE id = 2",
  'DELETE FROM dbo.accounts WHERE id = 3',
  // Deleted, then inserted again with other values.
  'DELETE FROM dbo.accounts WHERE id = 4',
  "INSERT INTO dbo.accounts VALUES (4, N'Dana', 44.44, NULL)",
  // A primary-key update: the old key is gone, the new one has the row.
  'UPDATE dbo.accounts SET id = 50 WHERE id = 5',
];

const EXPECTED = [
  [1, 'Ann', '10.50', '2020-01-01 08:00:00.1234567'],
  [2, 'Bobby', '23.00', '2019-09-09 09:09:09.5000000'],
  [4, 'Dana', '44.44', null],
  [6, 'Fay', '60.75', '2024-04-04 04:04:04.0000000'],
  [7, 'Gus', '70.00', '2025-05-05 05:05:05.0000000'],
  [50, 'Eve', '50.00', '2023-03-03 03:03:03.0000000'],
];

/** The steps a followed table's child takes before its first round: analyse, prepare, one batch, publish. */
async function copyAndPublishFollowed(
  harness: Awaited<ReturnType<typeof activityHarness>>,
  loadMethod: 'copy' | 'insert',
) {
  const { activities, run } = harness;
  const plan = await runActivity(activities.analyzeTable, {
    index: 0,
    runTag: run.runTag,
    table: run.tables[0]!,
    target: run.target,
    metadataColumns: run.metadataColumns,
    ifTargetExists: 'fail',
    expectedSourceDatabase: run.source.database,
    follow: true,
  });
  const { task } = plan;
  await runActivity(activities.prepareTable, harness.step(task));
  const batch = { index: 0, lower: null, upper: null };
  await runActivity(activities.copyBatch, { ...harness.step(task), loadMethod, batch });
  await runActivity(activities.publishTable, { ...harness.step(task), mode: 'create' });
  return { plan, task };
}

describe('mode follow (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SEED]);
  });
  afterAll(() => env?.close());

  it('copies, follows inserts, updates, deletes and key updates, and cuts over equal to the source', async () => {
    const config = env.config({
      migration: { tables: ['dbo.accounts'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    await env.startWorker(config);
    // Rounds continue as new, as the copy does, so the table's history stays short.
    const workflowId = await env.startRun(config, { continueAsNewAfterEvents: 12 });
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    const following = await eventually(
      'the first round',
      progress,
      (p) => p?.table.state === 'following' && (p.table.follow?.rounds ?? 0) >= 1,
    );
    expect(following!.table.follow).toMatchObject({ changesApplied: 0 });
    const followingRun = (await table.describe()).runId;
    // The table's own search attribute finds it while it follows (and the run's: its only table follows).
    const listed = async (query: string) => {
      const ids: string[] = [];
      for await (const w of env.client.workflow.list({ query })) ids.push(w.workflowId);
      return ids;
    };
    await eventually(
      'the table found by MigrationStatus = "following"',
      () =>
        listed(
          `WorkflowId = "${table.workflowId}" AND ExecutionStatus = "Running" AND MigrationStatus = "following"`,
        ),
      (ids) => ids.length === 1,
    );
    expect(following!.line).toMatch(
      /^following dbo\.accounts -> STEVE_MCP\.DATA_MIGRATION\.ACCOUNTS: applied up to version \d+ \(from \d+\), at most \d+s behind; 0 change\(s\) in \d+ round\(s\), the last 0 in \d+s, ended \d+s ago; 0 of 1 tables published\.$/,
    );

    for (const write of WRITES) await env.sqlserver.exec(write);
    // Applied by the rounds while following, before any cutover.
    const expectedRows = JSON.stringify(canonicalRows(ACCOUNTS, EXPECTED));
    await eventually(
      'the changes applied',
      async () =>
        JSON.stringify(canonicalTargetRows(ACCOUNTS, await env.snowflakeRows(selectAllQuery(ACCOUNTS)))),
      (rows) => rows === expectedRows,
    );
    // Keys 7, 2, 3, 4, 5 and 50 changed: six changed keys at least (more when rounds split the writes),
    // counted once the workflow has the round's result (Snowflake has its rows a moment before).
    await eventually('the changes counted', progress, (p) => (p?.table.follow?.changesApplied ?? 0) >= 6);

    // Written after the last round: the cutover round takes it.
    await env.sqlserver.exec("UPDATE dbo.accounts SET owner = N'Fay Last' WHERE id = 6");
    // As a user would: `migrate status`, then `migrate cutover <workflow-id>`.
    const flags = { config: env.configFile(config) };
    const shown = capture();
    expect(await status(workflowId, flags, { out: shown.out, err: shown.out })).toBe(0);
    expect(shown.text()).toMatch(
      /following dbo\.accounts -> STEVE_MCP\.DATA_MIGRATION\.ACCOUNTS: applied up to version \d+ \(from \d+\), at most \d+s behind; \d+ change\(s\) in \d+ round\(s\), the last \d+ in \d+s, ended \d+s ago/,
    );
    const sent = capture();
    expect(await signal(workflowId, 'cutover', flags, { out: sent.out, err: sent.out })).toBe(0);
    expect(sent.text()).toBe(
      `Cutover sent: each table of ${workflowId} applies the changes up to now, is compared whole with the source, and ends (mode follow; \`migrate status\` shows when the run is cut over).\n`,
    );
    const summary: RunSummary = await env.summary(workflowId);
    const ended = capture();
    expect(await status(workflowId, flags, { out: ended.out, err: ended.out })).toBe(0);
    expect(ended.text()).toMatch(
      /status: cut over\n {2}dbo\.accounts -> STEVE_MCP\.DATA_MIGRATION\.ACCOUNTS: published, 1\/1 batches, 6\/6 rows; followed up to version \d+, \d+ change\(s\) in \d+ round\(s\)\n$/,
    );

    expect(summary.status).toBe('cut over');
    const [accounts] = summary.tables;
    expect(accounts).toMatchObject({ state: 'published', published: 'created', rowsCopied: 6 });
    expect(accounts!.follow!.changesApplied).toBeGreaterThanOrEqual(7);
    expect(accounts!.follow!.finalCheck).toMatchObject({ rows: 6, differingRows: 0, exact: true });
    expect(BigInt(accounts!.follow!.appliedVersion)).toBeGreaterThan(BigInt(accounts!.follow!.startVersion));

    const rows = await env.snowflakeRows(selectAllQuery(ACCOUNTS));
    const expected = EXPECTED.map((r) => (r[0] === 6 ? [6, 'Fay Last', r[2], r[3]] : r));
    expect(canonicalTargetRows(ACCOUNTS, rows)).toEqual(canonicalRows(ACCOUNTS, expected));
    const [metadata] = await env.snowflakeRows<Record<string, string>>(
      'SELECT COUNT(*) AS N, COUNT_IF("IS_MIGRATED") AS MIGRATED FROM "STEVE_MCP"."DATA_MIGRATION"."ACCOUNTS"',
    );
    expect(metadata).toEqual({ N: '6', MIGRATED: '6' });
    expect((await table.describe()).runId).not.toBe(followingRun);
    expect((await table.describe()).typedSearchAttributes.get(MIGRATION_STATUS)).toBe('cut over');
    // Following continued as new: every run of the table's workflow after the copy's stays short.
    const runs: { historyLength: number }[] = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = "${table.workflowId}"` }))
      runs.push(w);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...runs.map((r) => r.historyLength))).toBeLessThanOrEqual(40);
    // The rounds' changes tables are gone.
    expect(await env.tablesIn('DATA_MIGRATION')).toEqual(['ACCOUNTS']);
  });

  it('refuses a table without a primary key, and one whose change tracking is off, with what to run', async () => {
    await env.sqlserver.exec('CREATE TABLE dbo.plain (id int NOT NULL PRIMARY KEY, v int NULL);');
    const config = env.config({ migration: { tables: ['dbo.notes', 'dbo.plain'], mode: 'follow' } });
    await env.startWorker(config);
    const workflowId = await env.startRun(config);
    const outcome = await env.outcome(workflowId);
    const summary = 'status' in outcome ? outcome : await env.failureSummary(outcome);
    expect(summary.status).toBe('failed');
    expect(summary.tables.map((t) => [t.source, t.state, t.error?.type, t.error?.message])).toEqual([
      [
        'dbo.notes',
        'failed',
        'FollowNotSupported',
        'dbo.notes has no primary key, and Change Tracking tracks only tables with one: mode follow cannot follow it. Add a primary key to the table (or remove keyColumns from its entry), or migrate it in a run with mode: snapshot.',
      ],
      [
        'dbo.plain',
        'failed',
        'ChangeTrackingOff',
        'Change Tracking is off for the table dbo.plain, so mode follow cannot read the changes of dbo.plain. Have a DBA run: ALTER TABLE [dbo].[plain] ENABLE CHANGE_TRACKING; GRANT VIEW CHANGE TRACKING ON OBJECT::[dbo].[plain] TO [dbo]',
      ],
    ]);
  });

  it('check, discover and plan say per table whether it can be followed, and what to run if not', async () => {
    await env.sqlserver.exec('CREATE TABLE dbo.untracked (id int NOT NULL PRIMARY KEY, v int NULL);');
    const path = env.configFile(
      env.config({ migration: { tables: ['dbo.accounts', 'dbo.notes', 'dbo.untracked'], mode: 'follow' } }),
    );
    const ready =
      'Change Tracking is on for the database shop and the table dbo.accounts: mode follow can follow it. ' +
      'CHANGETABLE also needs GRANT VIEW CHANGE TRACKING ON OBJECT::[dbo].[accounts] TO [dbo] (not checked here).';
    const noKey =
      'dbo.notes has no primary key, and Change Tracking tracks only tables with one: mode follow cannot follow it. Add a primary key to the table (or remove keyColumns from its entry), or migrate it in a run with mode: snapshot.';
    const off =
      'Change Tracking is off for the table dbo.untracked, so mode follow cannot read the changes of dbo.untracked. Have a DBA run: ALTER TABLE [dbo].[untracked] ENABLE CHANGE_TRACKING; GRANT VIEW CHANGE TRACKING ON OBJECT::[dbo].[untracked] TO [dbo]';

    // The CLI reads secrets from its own environment, as it would in a shell.
    const saved = { ...process.env };
    Object.assign(process.env, SECRETS_ENV);
    try {
      const checked = capture();
      expect(await runCheck(path, {}, checked.out)).toBe(1);
      const lines = checked.text().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          'ok   database shop allows SNAPSHOT isolation (mode follow)',
          `ok   ${ready}`,
          `FAIL ${noKey}`,
          `FAIL ${off}`,
        ]),
      );

      const planned = capture();
      expect(await runPlan(path, { batches: 1 }, planned.out)).toBe(1);
      expect(planned.text()).toContain(`\ndbo.accounts -> STEVE_MCP.DATA_MIGRATION.ACCOUNTS\n`);
      expect(planned.text()).toContain(`\n  follow: ${ready}\n`);
      expect(planned.text()).toContain(`\n  refused: ${noKey}\n`);
      expect(planned.text()).toContain(`\n  refused: ${off}\n`);

      const discovered = capture();
      expect(await runDiscover(path, {}, discovered.out)).toBe(1);
      expect(discovered.text()).toContain(`\n  follow ${ready}\n`);
      expect(discovered.text()).toContain(`\n  problem: ${noKey}\n`);
      expect(discovered.text()).toContain(`\n  problem: ${off}\n`);
    } finally {
      process.env = saved;
    }
  });

  it('copies the table again from the start when its changes were cleaned up or it was truncated, then follows on', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.ledger (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL);\nGO\n' +
        "INSERT INTO dbo.ledger VALUES (1, N'a'), (2, N'b');\nGO\nALTER TABLE dbo.ledger ENABLE CHANGE_TRACKING;",
    );
    const config = env.config({
      migration: { tables: ['dbo.ledger'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    await env.startWorker(config);
    const workflowId = await env.startRun(config);
    const run = env.client.workflow.getHandle(workflowId);
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    const target = async () =>
      JSON.stringify(
        await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."LEDGER" ORDER BY 1'),
      );
    await eventually('following', progress, (p) => (p?.table.follow?.rounds ?? 0) >= 1);
    /** Writes made while no round reads (a round in flight ends first), so the next round finds them. */
    async function whilePaused(sql: string): Promise<string> {
      await run.signal(pauseSignal);
      await eventually('paused', progress, (p) => p?.paused === true);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const version = (await progress())!.table.follow!.appliedVersion;
      await env.sqlserver.exec(sql);
      return version;
    }
    const recopied = (n: number, rows: unknown) =>
      eventually(
        `copy ${n} published and followed`,
        async () => ({ p: await progress(), rows: await target() }),
        ({ p, rows: now }) =>
          p?.table.state === 'following' &&
          p.table.follow?.recopies?.length === n &&
          now === JSON.stringify(rows),
      );

    // A change cleaned up (as after CHANGE_RETENTION) before any round read it.
    const cleanedAfter = await whilePaused("UPDATE dbo.ledger SET v = N'c' WHERE id = 2");
    await env.sqlserver.cleanupChangeTracking();
    await run.signal(resumeSignal);
    await recopied(1, [
      { ID: '1', V: 'a' },
      { ID: '2', V: 'c' },
    ]);

    // TRUNCATE TABLE right after a round (no change between) removes the table's change information: the
    // rows it removed are never reported, and its own version is the new minimum valid version.
    const truncatedAfter = await whilePaused(
      "TRUNCATE TABLE dbo.ledger;\nGO\nINSERT INTO dbo.ledger VALUES (9, N'z');",
    );
    await run.signal(resumeSignal);
    await recopied(2, [{ ID: '9', V: 'z' }]);
    // Following goes on from the new copy's version.
    await env.sqlserver.exec("UPDATE dbo.ledger SET v = N'zz' WHERE id = 9");
    await eventually('the change after the copy', target, (rows) => rows === '[{"ID":"9","V":"zz"}]');

    await run.signal(cutoverSignal);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    // The run's MigrationStatus, as it went: following while its table follows, running (not following)
    // while the table is copied again, paused while paused.
    const statuses: string[] = [];
    for (const event of (await run.fetchHistory()).events ?? []) {
      const field =
        event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.MigrationStatus;
      const value = field?.data ? (JSON.parse(Buffer.from(field.data).toString()) as string) : undefined;
      if (value !== undefined && value !== statuses.at(-1)) statuses.push(value);
    }
    const pausedAndCopiedAgain = ['paused', 'running', 'following', 'running', 'following'];
    expect(statuses).toEqual([
      'running',
      'following',
      ...pausedAndCopiedAgain,
      ...pausedAndCopiedAgain,
      'cut over',
    ]);
    const [ledger] = summary.tables;
    const lost = (version: string) =>
      new RegExp(
        `^Following dbo\\.ledger stopped: its changes after version ${version} are no longer all kept \\(minimum valid version \\d+\\): the run fell behind longer than the database's CHANGE_RETENTION, or the table was truncated\\.$`,
      );
    // Each with the counts of the copy it replaced: rows 1 and 2 both times.
    const replaced = { rowsCopied: 2, batchesDone: 1 };
    expect(ledger!.follow!.recopies).toEqual([
      { afterVersion: cleanedAfter, reason: expect.stringMatching(lost(cleanedAfter)), ...replaced },
      { afterVersion: truncatedAfter, reason: expect.stringMatching(lost(truncatedAfter)), ...replaced },
    ]);
    // `migrate status` says whose counts it shows.
    const shown = capture();
    expect(
      await status(workflowId, { config: env.configFile(config) }, { out: shown.out, err: shown.out }),
    ).toBe(0);
    expect(shown.text()).toMatch(
      /\n {2}dbo\.ledger -> STEVE_MCP\.DATA_MIGRATION\.LEDGER: published, 1\/1 batches, 1\/\d+ rows \(counts of copy 3: copied again from the start 2 time\(s\) after its changes were lost; 5 rows copied by the 3 copies\); followed up to version \d+/,
    );
    expect(ledger!.warnings.filter((w) => w.includes('copied again'))).toEqual([
      `dbo.ledger was copied again from the start: ${ledger!.follow!.recopies![0]!.reason}`,
      `dbo.ledger was copied again from the start: ${ledger!.follow!.recopies![1]!.reason}`,
    ]);
    expect(ledger).toMatchObject({ state: 'published', published: 'created', rowsCopied: 1 });
    expect(ledger!.follow!.finalCheck).toMatchObject({ rows: 1, differingRows: 0, exact: true });
    expect(await target()).toBe('[{"ID":"9","V":"zz"}]');
    // The copies' staging tables were swapped in and the old rows dropped: nothing else is left.
    expect((await env.tablesIn('DATA_MIGRATION')).filter((t) => t.startsWith('LEDGER'))).toEqual(['LEDGER']);
  });

  it('applies a round again from the same version (a retry after it committed) and ends in the same state', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.rounds (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL);\nGO\n' +
        "INSERT INTO dbo.rounds VALUES (1, N'a'), (2, N'b');\nGO\nALTER TABLE dbo.rounds ENABLE CHANGE_TRACKING;",
    );
    const harness = await activityHarness(
      env.config({ migration: { tables: ['dbo.rounds'], mode: 'follow' } }),
      'rndtest',
    );
    try {
      const { activities, run } = harness;
      const { plan, task } = await copyAndPublishFollowed(harness, 'copy');
      await env.sqlserver.exec(
        "UPDATE dbo.rounds SET v = N'bb' WHERE id = 2;\nDELETE FROM dbo.rounds WHERE id = 1;\n" +
          "INSERT INTO dbo.rounds VALUES (3, N'c');",
      );
      const target = () =>
        env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."ROUNDS" ORDER BY 1');
      const round = (lastVersion: string, loadMethod: 'copy' | 'insert', verify = false) =>
        runActivity(activities.applyChanges, {
          task,
          target: run.target,
          metadataColumns: run.metadataColumns,
          loadMethod,
          lastVersion,
          round: 1,
          verify,
          maxReportedDifferences: 5,
        });
      const after = [
        { ID: '2', V: 'bb' },
        { ID: '3', V: 'c' },
      ];

      const first = await round(plan.followFrom!, 'copy');
      expect(first).toEqual({ version: expect.any(String), changes: 3, deletes: 1 });
      expect(await target()).toEqual(after);
      // Its result lost: the same round again, through INSERTs this time, changes nothing more.
      expect(await round(plan.followFrom!, 'insert')).toEqual(first);
      expect(await target()).toEqual(after);
      // Again after another write: the round from the old version ends at the new state.
      await env.sqlserver.exec('UPDATE dbo.rounds SET v = NULL WHERE id = 3;');
      const again = await round(plan.followFrom!, 'copy', true);
      expect(BigInt(again.version)).toBeGreaterThan(BigInt(first.version));
      expect(again).toMatchObject({ changes: 3, deletes: 1, content: { rows: 2, differingRows: 0 } });
      expect(await target()).toEqual([after[0], { ID: '3', V: null }]);
      // Nothing new since: an empty round, the whole table still equal.
      expect(await round(again.version, 'copy', true)).toMatchObject({
        version: again.version,
        changes: 0,
        content: { rows: 2, differingRows: 0 },
      });
    } finally {
      await harness.close();
    }
  });

  it('swaps a copy made again into place once, also when retried after the swap (publish mode swap)', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.swapped (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL);\nGO\n' +
        "INSERT INTO dbo.swapped VALUES (1, N'a');\nGO\nALTER TABLE dbo.swapped ENABLE CHANGE_TRACKING;",
    );
    const harness = await activityHarness(
      env.config({ migration: { tables: ['dbo.swapped'], mode: 'follow' } }),
      'swptest',
    );
    try {
      const { activities } = harness;
      const task = await harness.analyzeFirstTable('fail');
      const copy = async (t: TableTask) => {
        await runActivity(activities.prepareTable, harness.step(t));
        const batch = { index: 0, lower: null, upper: null };
        await runActivity(activities.copyBatch, { ...harness.step(t), loadMethod: 'copy', batch });
      };
      await copy(task);
      await runActivity(activities.publishTable, { ...harness.step(task), mode: 'create' });
      await env.sqlserver.exec("UPDATE dbo.swapped SET v = N'b' WHERE id = 1");
      const again = { ...task, ...recopyNames(task, 1) };
      expect(again.staging.name).toBe(`${task.staging.name}_R1`);
      await copy(again);
      const rows = () =>
        env.snowflakeRows('SELECT "ID", "V", "IS_MIGRATED" FROM "STEVE_MCP"."DATA_MIGRATION"."SWAPPED"');
      // An attempt that swapped and was lost before it dropped the old rows: the retry must not swap back.
      await env.snowflakeRows(dropStagingColumns(again.staging));
      await env.snowflakeRows(swapTables(again.staging, again.target));
      const published = { published: 'created', undo: { kind: 'dropTable', table: again.target } };
      for (let attempt = 1; attempt <= 2; attempt++) {
        expect(
          await runActivity(activities.publishTable, { ...harness.step(again), mode: 'swap' }),
        ).toMatchObject(published);
        expect(await rows()).toEqual([{ ID: '1', V: 'b', IS_MIGRATED: true }]);
        expect((await env.tablesIn('DATA_MIGRATION')).filter((t) => t.startsWith('SWAPPED'))).toEqual([
          'SWAPPED',
        ]);
      }
    } finally {
      await harness.close();
    }
  });

  it('stops a followed table with SourceSchemaChanged when it is re-created with other columns, keeping its target', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.reshaped (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL);\nGO\n' +
        "INSERT INTO dbo.reshaped VALUES (1, N'a');\nGO\nALTER TABLE dbo.reshaped ENABLE CHANGE_TRACKING;",
    );
    const config = env.config({
      migration: { tables: ['dbo.reshaped'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    await env.startWorker(config);
    const workflowId = await env.startRun(config);
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    await eventually('following', progress, (p) => (p?.table.follow?.rounds ?? 0) >= 1);
    await env.sqlserver.exec(
      'DROP TABLE dbo.reshaped;\nCREATE TABLE dbo.reshaped (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL, note nvarchar(20) NULL);\nGO\n' +
        "INSERT INTO dbo.reshaped VALUES (1, N'a', NULL);\nGO\nALTER TABLE dbo.reshaped ENABLE CHANGE_TRACKING;",
    );

    const outcome = await env.outcome(workflowId);
    const summary = 'status' in outcome ? outcome : await env.failureSummary(outcome);
    expect(summary.status).toBe('failed');
    expect(summary.tables[0]!.error).toMatchObject({
      type: 'SourceSchemaChanged',
      message:
        'The columns of dbo.reshaped changed since the run analysed the table (it was dropped and created again).',
    });
    // Published before it was altered: the target stays as of the last round.
    expect(
      await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."RESHAPED" ORDER BY 1'),
    ).toEqual([{ ID: '1', V: 'a' }]);
  });

  it('nets out one round: a key updated many times, deleted then inserted, and a primary-key update', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.netted (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL);\nGO\n' +
        "INSERT INTO dbo.netted VALUES (1, N'a'), (2, N'b'), (3, N'c');\nGO\nALTER TABLE dbo.netted ENABLE CHANGE_TRACKING;",
    );
    const harness = await activityHarness(
      env.config({ migration: { tables: ['dbo.netted'], mode: 'follow' } }),
      'nettest',
    );
    try {
      const { activities, run } = harness;
      const { plan, task } = await copyAndPublishFollowed(harness, 'insert');
      // All before the round reads: CHANGETABLE gives one net change per key.
      await env.sqlserver.exec(
        [
          ...Array.from({ length: 20 }, (_, i) => `UPDATE dbo.netted SET v = N'a${i}' WHERE id = 1`),
          'DELETE FROM dbo.netted WHERE id = 2',
          "INSERT INTO dbo.netted VALUES (2, N'bb')",
          'UPDATE dbo.netted SET id = 30 WHERE id = 3',
        ].join(';\nGO\n'),
      );
      const result = await runActivity(activities.applyChanges, {
        task,
        target: run.target,
        metadataColumns: run.metadataColumns,
        loadMethod: 'insert',
        lastVersion: plan.followFrom!,
        round: 1,
        verify: true,
        maxReportedDifferences: 5,
      });
      // Keys 1 (updated), 2 (deleted and inserted: an update), 3 (deleted) and 30 (inserted).
      expect(result).toMatchObject({ changes: 4, deletes: 1, content: { rows: 3, differingRows: 0 } });
      expect(
        await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."NETTED" ORDER BY 1'),
      ).toEqual([
        { ID: '1', V: 'a19' },
        { ID: '2', V: 'bb' },
        { ID: '30', V: 'c' },
      ]);
    } finally {
      await harness.close();
    }
  });

  it('loses and repeats no change when the worker is killed with SIGKILL in the middle of a round', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.killed (id int NOT NULL PRIMARY KEY, v int NOT NULL);\nGO\n' +
        `INSERT INTO dbo.killed VALUES ${Array.from({ length: 50 }, (_, i) => `(${i + 1}, 0)`).join(', ')};\nGO\n` +
        'ALTER TABLE dbo.killed ENABLE CHANGE_TRACKING;',
    );
    const config = env.config({
      migration: {
        tables: ['dbo.killed'],
        mode: 'follow',
        follow: { intervalSeconds: 1 },
        heartbeatTimeoutSeconds: 3,
      },
      temporal: { taskQueue: `follow-kill-${Date.now()}` },
      // The bundle global setup made: the worker process starts without bundling the workflows.
      worker: { workflowBundle: process.env[TEST_ENV.bundle] },
    });
    const doomed = spawnWorkerProcess(env.configFile(config), SECRETS_ENV);
    await doomed.ready;
    const workflowId = await env.startRun(config);
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    await eventually('following', progress, (p) => (p?.table.follow?.rounds ?? 0) >= 1);

    // The next round's load answers late, so the worker dies with the round's changes read and staged.
    env.snowflake.faults.setCopyFileCost(6_000);
    await env.sqlserver.exec(
      'UPDATE dbo.killed SET v = v + 1 WHERE id <= 25;\nGO\nDELETE FROM dbo.killed WHERE id > 45;\nGO\n' +
        'INSERT INTO dbo.killed VALUES (100, 7), (101, 8);\nGO\nUPDATE dbo.killed SET id = 200 WHERE id = 40;',
    );
    /** What the applyChanges in flight said in its last heartbeat ({"phase":"loading"}...). */
    const phases = async () => {
      const pending = (await table.describe()).raw.pendingActivities ?? [];
      return pending
        .filter((a) => a.activityType?.name === 'applyChanges')
        .flatMap((a) => a.heartbeatDetails?.payloads ?? [])
        .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
    };
    await eventually('a round loading', phases, (said) => said.includes('{"phase":"loading"}'));
    await doomed.kill('SIGKILL');
    env.snowflake.faults.setCopyFileCost(0);
    await env.startWorker(config);

    const ids = [...Array.from({ length: 45 }, (_, i) => i + 1).filter((id) => id !== 40), 100, 101, 200];
    const value: Record<number, number> = { 100: 7, 101: 8 };
    const expected = JSON.stringify(
      ids.map((id) => ({ ID: String(id), V: String(value[id] ?? (id <= 25 ? 1 : 0)) })),
    );
    const target = async () =>
      JSON.stringify(
        await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."KILLED" ORDER BY 1'),
      );
    await eventually('the round applied by the next worker', target, (rows) => rows === expected);
    await env.client.workflow.getHandle(workflowId).signal(cutoverSignal);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    expect(summary.tables[0]!.follow!.finalCheck).toMatchObject({ rows: 47, differingRows: 0, exact: true });
    const [counts] = await env.snowflakeRows(
      'SELECT COUNT(*) AS N, COUNT(DISTINCT "ID") AS KEYS FROM "STEVE_MCP"."DATA_MIGRATION"."KILLED"',
    );
    expect(counts).toEqual({ N: '47', KEYS: '47' });
  });

  it('waits out a Snowflake outage during a round (its changes read), then applies the round once, exact at cutover', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.weathered (id int NOT NULL PRIMARY KEY, v int NOT NULL);\nGO\n' +
        `INSERT INTO dbo.weathered VALUES ${Array.from({ length: 30 }, (_, i) => `(${i + 1}, 0)`).join(', ')};\nGO\n` +
        'ALTER TABLE dbo.weathered ENABLE CHANGE_TRACKING;',
    );
    const config = env.config({
      migration: { tables: ['dbo.weathered'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    await env.startWorker(config);
    const workflowId = await env.startRun(config);
    const run = env.client.workflow.getHandle(workflowId);
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    await eventually('following', progress, (p) => (p?.table.follow?.rounds ?? 0) >= 1);

    // Written while no round reads, so that the next round alone reads all of it.
    await run.signal(pauseSignal);
    await eventually('paused', progress, (p) => p?.paused === true);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const before = (await progress())!.table.follow!;
    await env.sqlserver.exec(
      'UPDATE dbo.weathered SET v = v + 1 WHERE id <= 10;\nGO\nDELETE FROM dbo.weathered WHERE id = 30;\nGO\n' +
        'INSERT INTO dbo.weathered VALUES (100, 7);\nGO\nUPDATE dbo.weathered SET id = 200 WHERE id = 20;',
    );
    // Snowflake goes away before the round starts, which reads its version and changes from SQL Server,
    // then finds Snowflake unreachable (the session check of src/snowflake/connection.ts gives up after
    // 10 s): the round waits, is called again from the same version, and applies once Snowflake is back.
    env.snowflake.faults.unreachable({ forMs: 25_000 });
    await run.signal(resumeSignal);
    const waiting = await eventually('the round waiting for Snowflake', progress, (p) => !!p?.outage);
    expect(waiting!.outage).toMatchObject({ service: 'Snowflake' });
    expect(waiting!.line).toMatch(
      /^Waiting for Snowflake \(attempt \d+, unreachable for \d+ s, last error: /,
    );
    // Until it is back, the target still reflects the round before.
    expect(waiting!.table.follow).toMatchObject({
      rounds: before.rounds,
      appliedVersion: before.appliedVersion,
    });

    const ids = [...Array.from({ length: 29 }, (_, i) => i + 1).filter((id) => id !== 20), 100, 200];
    const expected = JSON.stringify(
      ids.map((id) => ({ ID: String(id), V: String(id === 100 ? 7 : id <= 10 ? 1 : 0) })),
    );
    const target = async () =>
      JSON.stringify(
        await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."WEATHERED" ORDER BY 1'),
      );
    await eventually('the round applied after the outage', target, (rows) => rows === expected);
    // One round took the 14 changed keys (ids 1-10, 30, 100, 20 and 200), counted once.
    const after = await eventually(
      'the round counted',
      progress,
      (p) => (p?.table.follow?.rounds ?? 0) > before.rounds && !p?.outage,
    );
    expect(after!.table.follow!.changesApplied - before.changesApplied).toBe(14);

    await run.signal(cutoverSignal);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    expect(summary.outageRetries?.target).toBeGreaterThanOrEqual(1);
    const [weathered] = summary.tables;
    expect(weathered!.follow!.changesApplied).toBe(after!.table.follow!.changesApplied);
    expect(weathered!.follow!.finalCheck).toMatchObject({ rows: 30, differingRows: 0, exact: true });
    const [counts] = await env.snowflakeRows(
      'SELECT COUNT(*) AS N, COUNT(DISTINCT "ID") AS KEYS FROM "STEVE_MCP"."DATA_MIGRATION"."WEATHERED"',
    );
    expect(counts).toEqual({ N: '30', KEYS: '30' });
    expect((await env.tablesIn('DATA_MIGRATION')).filter((t) => t.startsWith('WEATHERED'))).toEqual([
      'WEATHERED',
    ]);
  });

  it('keeps every history short over many rounds: the table continues as new while it follows', async () => {
    await env.sqlserver.exec(
      'CREATE TABLE dbo.longrun (id int NOT NULL PRIMARY KEY, v int NOT NULL);\nGO\n' +
        'INSERT INTO dbo.longrun VALUES (1, 0);\nGO\nALTER TABLE dbo.longrun ENABLE CHANGE_TRACKING;',
    );
    const config = env.config({
      migration: { tables: ['dbo.longrun'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    await env.startWorker(config);
    // A low threshold stands for Temporal's limits: days of rounds, compressed into a minute.
    const workflowId = await env.startRun(config, { continueAsNewAfterEvents: 40 });
    const table = env.client.workflow.getHandle(tableWorkflowId(workflowId, 0));
    const progress = () => table.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>;
    await eventually('following', progress, (p) => (p?.table.follow?.rounds ?? 0) >= 1);
    for (let value = 1; value <= 30; value++) {
      await env.sqlserver.exec(`UPDATE dbo.longrun SET v = ${value} WHERE id = 1`);
      await eventually(
        `round after write ${value}`,
        progress,
        (p) => (p?.table.follow?.changesApplied ?? 0) >= value,
      );
    }
    await env.client.workflow.getHandle(workflowId).signal(cutoverSignal);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    const follow = summary.tables[0]!.follow!;
    expect(follow.changesApplied).toBe(30);
    expect(follow.rounds).toBeGreaterThanOrEqual(30);
    expect(follow.finalCheck).toMatchObject({ rows: 1, differingRows: 0, exact: true });
    const runs: { historyLength: number }[] = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = "${table.workflowId}"` }))
      runs.push(w);
    // Each round adds about ten events: without continue-as-new one history would hold them all.
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...runs.map((r) => r.historyLength))).toBeLessThanOrEqual(60);
    expect(await env.snowflakeRows('SELECT "ID", "V" FROM "STEVE_MCP"."DATA_MIGRATION"."LONGRUN"')).toEqual([
      { ID: '1', V: '30' },
    ]);
  });
});
