/**
 * What one small table costs each side: the requests (round trips) and statements the SQL Server and
 * Snowflake stand-ins receive while a run migrates a 3-row table, from the run's start to its report.
 * The counts are pinned, so a change that adds a round trip per table shows here (issue 26, item 5:
 * per-table overhead dominates small tables; under a cloud latency each round trip costs its latency).
 */
import type { RunSummary } from '../../src/contracts/outcomes';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const SEED = `
CREATE TABLE dbo.tiny (id int NOT NULL PRIMARY KEY, label nvarchar(20) NULL);
GO
INSERT INTO dbo.tiny (id, label) VALUES (1, N'one'), (2, NULL), (3, N'three');
`;

describe('one small table: the statements each side receives', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SEED]);
  });
  afterAll(() => env?.close());

  it('migrates a 3-row table with a pinned number of round trips on each side', async () => {
    const config = env.config({ migration: { tables: ['dbo.tiny'] } });
    await env.startWorker(config);
    // From here on, only what the run sends.
    env.sqlserver.traffic(true);
    env.snowflake.traffic(true);
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    const source = env.sqlserver.traffic();
    const target = env.snowflake.traffic();
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]!.rowsCopied).toBe(3);
    // Each new pooled connection sends tedious' SET options once: how many depends on what overlaps.
    const setUp = (text: string) => text.startsWith('set ansi_nulls on');
    const statements = source.statements.filter((text) => !setUp(text));
    expect(source.statements.filter(setUp)).toHaveLength(source.requests['sql batch'] ?? 0);
    // No `SELECT 1` before each query (validateConnection 'socket', src/sqlserver/pool.ts): it was 35
    // of this table's 118 requests. 29 statements (55 while the table's child analysed it again and each
    // check of its columns took 5 requests): the preflight analyses the table (14) and its child plans
    // from that analysis, preparing reads its shape (7), planning, the batch and validation each check its
    // columns and identity in one round trip (readShapeCheck), with their reads of keys, rows and sums,
    // and the run's end reads the source's foreign keys once (declareForeignKeys; none here, so no
    // Snowflake statement follows).
    expect(statements.filter((text) => text === 'SELECT 1;')).toEqual([]);
    // The analysis' row estimate, once: the child did not analyse the table again.
    expect(statements.filter((text) => text.includes('AS row_count'))).toEqual([
      'SELECT COUNT_BIG(*) AS row_count FROM [dbo].[tiny]',
    ]);
    expect({ rpc: source.requests.rpc, transactions: source.requests['transaction manager'] }).toEqual({
      rpc: 29,
      transactions: 4,
    });
    expect(statements).toHaveLength(29);
    // Planning, the batch and validation: each check is one batch of three statements (own result sets).
    const checks = statements.filter(
      (t) => t.includes('INFORMATION_SCHEMA.COLUMNS') && t.includes('sys.objects'),
    );
    expect(checks).toHaveLength(3);
    // Heartbeats and telemetry go by the clock; the statements and the one login do not. 25 (27 while
    // the child analysed the table again: whether its target and the run's containers exist).
    expect(target.requests['POST /queries/v1/query-request']).toBe(25);
    expect(target.requests['POST /session/v1/login-request']).toBe(1);
    expect(target.statements).toHaveLength(25);
  });
});
