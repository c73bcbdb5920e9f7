/**
 * A table's child plans from the run's preflight analysis of it (src/workflows/table/analyse.ts): a
 * table that waits for its turn behind tablesInFlight and changes meanwhile is analysed again by its
 * child, and migrated as it is when its turn comes, as when every child analysed its table.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunSummary } from '../../src/contracts/outcomes';
import { pauseSignal, progressQuery, resumeSignal } from '../../src/workflows/messages';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const SEED = `
CREATE TABLE dbo.first (id int NOT NULL PRIMARY KEY, label nvarchar(20) NULL);
GO
INSERT INTO dbo.first (id, label) VALUES (1, N'one'), (2, N'two');
GO
CREATE TABLE dbo.second (id int NOT NULL PRIMARY KEY, label nvarchar(20) NULL);
GO
INSERT INTO dbo.second (id, label) VALUES (1, N'a');
`;

describe("a table's child and the run's preflight analysis (stand-ins, real drivers, dev server)", () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SEED]);
  });
  afterAll(() => env?.close());

  it('analyses a table again when it was created again with other columns after the preflight', async () => {
    const config = env.config({ migration: { tables: ['dbo.first', 'dbo.second'], tablesInFlight: 1 } });
    await env.startWorker(config);
    env.sqlserver.traffic(true);
    const workflowId = await env.startRun(config);
    const run = env.client.workflow.getHandle(workflowId);
    // Paused, the run analyses its tables but starts none.
    await run.signal(pauseSignal);
    while ((await run.query(progressQuery)).tables.length < 2) await sleep(100);
    await env.sqlserver.exec(
      'DROP TABLE dbo.second;\nCREATE TABLE dbo.second (id int NOT NULL PRIMARY KEY, label nvarchar(20) NULL, note nvarchar(20) NULL);\nGO\n' +
        "INSERT INTO dbo.second (id, label, note) VALUES (1, N'a', N'x'), (2, N'b', NULL);",
    );
    await run.signal(resumeSignal);
    const summary = (await env.outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied])).toEqual([
      ['dbo.first', 'published', 2],
      ['dbo.second', 'published', 2],
    ]);
    // The preflight's estimate of each table, and the child's own of dbo.second as it is now.
    expect(env.sqlserver.traffic().statements.filter((text) => text.includes('AS row_count'))).toEqual([
      'SELECT COUNT_BIG(*) AS row_count FROM [dbo].[first]',
      'SELECT COUNT_BIG(*) AS row_count FROM [dbo].[second]',
      'SELECT COUNT_BIG(*) AS row_count FROM [dbo].[second]',
    ]);
    const target = `"${config.target.database}"."${config.target.schema}"."SECOND"`;
    expect(await env.snowflakeRows(`SELECT "ID", "LABEL", "NOTE" FROM ${target} ORDER BY "ID"`)).toEqual([
      { ID: '1', LABEL: 'a', NOTE: 'x' },
      { ID: '2', LABEL: 'b', NOTE: null },
    ]);
  });
});
