/**
 * Identity columns carried as Snowflake sequences, end to end (stand-ins + real drivers + dev server):
 * after a run, a row inserted in Snowflake without the column gets the highest copied value plus the
 * increment (src/sql/snowflake/identity.ts); a failed run leaves no sequence behind. The seed and
 * increment come from sys.identity_columns
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-identity-columns-transact-sql);
 * sequences are listed by INFORMATION_SCHEMA.SEQUENCES
 * (https://docs.snowflake.com/en/sql-reference/info-schema/sequences).
 */
import type { ApplicationFailure } from '@temporalio/common';
import type { RunSummary } from '../../src/contracts/outcomes';
import { cutoverSignal } from '../../src/workflows/messages';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';
import { eventually } from '../support/eventually';

const SOURCE = `
CREATE TABLE dbo.tickets (
  ticket_id int IDENTITY(1000, 5) NOT NULL PRIMARY KEY,
  note nvarchar(20) NOT NULL
);
INSERT INTO dbo.tickets (note) VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f'), ('g'), ('h'), ('i'), ('j'), ('k'), ('l');
CREATE TABLE dbo.plain (plain_id int NOT NULL PRIMARY KEY, label varchar(10) NOT NULL);
INSERT INTO dbo.plain VALUES (1, 'x'), (2, 'y');`;

/** mode follow: rows keep arriving after publication, so the sequence is made at cutover. */
const FOLLOWED = `
CREATE TABLE dbo.events (event_id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY, kind varchar(10) NOT NULL);
GO
INSERT INTO dbo.events (kind) VALUES ('a'), ('b'), ('c');
GO
ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
ALTER DATABASE shop SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);
GO
ALTER TABLE dbo.events ENABLE CHANGE_TRACKING;`;

describe('identity columns as Snowflake sequences (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SOURCE, FOLLOWED]);
    await env.startWorker(env.config());
  });
  afterAll(() => env?.close());

  const sequencesIn = async (schema: string) =>
    (
      await env.snowflakeRows<{ SEQUENCE_NAME: string; NEXT_VALUE: string; INCREMENT: string }>(
        `SELECT SEQUENCE_NAME, NEXT_VALUE, INCREMENT FROM "STEVE_MCP".INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = '${schema}'`,
      )
    ).map((s) => [s.SEQUENCE_NAME, s.NEXT_VALUE, s.INCREMENT]);

  it('continues the identity after the highest copied value', async () => {
    const config = env.config({
      target: { schema: 'IDS' },
      migration: { tables: ['dbo.tickets'], batchSize: 5 },
    });
    const workflowId = await env.startRun(config);
    const summary = (await env.outcome(workflowId)) as RunSummary;
    expect(summary.status).toBe('succeeded');
    const tag = workflowId.replace('migrate-test-', '').toUpperCase();
    // The placeholder the staging table began with is gone; the published table draws from the sequence.
    expect(await sequencesIn('IDS')).toEqual([[`TICKETS__IDENTITY_${tag}`, '1060', '5']]);
    const described = await env.snowflakeRows<Record<string, string>>(
      'DESCRIBE TABLE "STEVE_MCP"."IDS"."TICKETS"',
    );
    expect(described.find((c) => c.name === 'TICKET_ID')?.default).toBe(
      `"STEVE_MCP"."IDS"."TICKETS__IDENTITY_${tag}".NEXTVAL`,
    );
    await env.snowflakeRows(
      'INSERT INTO "STEVE_MCP"."IDS"."TICKETS" ("NOTE", "MIGRATED_AT") VALUES (\'new\', CURRENT_TIMESTAMP()), (\'newer\', CURRENT_TIMESTAMP())',
    );
    expect(
      await env.snowflakeRows(
        'SELECT "TICKET_ID", "NOTE" FROM "STEVE_MCP"."IDS"."TICKETS" WHERE "TICKET_ID" >= 1050 ORDER BY "TICKET_ID"',
      ),
    ).toEqual([
      { TICKET_ID: '1050', NOTE: 'k' },
      { TICKET_ID: '1055', NOTE: 'l' },
      { TICKET_ID: '1060', NOTE: 'new' },
      { TICKET_ID: '1065', NOTE: 'newer' },
    ]);
  });

  it('leaves no sequence when the run fails: the published table and its sequence are undone', async () => {
    // allOrNothing, one table at a time: dbo.tickets is published (its sequence created) before the
    // altered value fails dbo.plain's validation, and the run then undoes both.
    // The schema is not the run's, so undo keeps it: the sequences must go by themselves.
    await env.snowflake.query('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."UNDONE"');
    env.snowflake.faults.alterLoadedValues({ column: 'LABEL', table: 'PLAIN' });
    const config = env.config({
      target: { schema: 'UNDONE' },
      migration: { tables: ['dbo.tickets', 'dbo.plain'], allOrNothing: true, tablesInFlight: 1 },
    });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    env.snowflake.faults.clear();
    expect(failure.type).toBe('ValidationFailed');
    const summary = await env.failureSummary(failure);
    expect(summary.tables.map((t) => [t.source, t.published ?? null, t.state])).toEqual([
      ['dbo.tickets', 'created', 'rolled back'],
      ['dbo.plain', null, 'rolled back'],
    ]);
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    expect(summary.rolledBack.map((step) => step.description)).toContain(
      'drop published table STEVE_MCP.UNDONE.TICKETS',
    );
    expect(await env.tablesIn('UNDONE')).toEqual([]);
    expect(await sequencesIn('UNDONE')).toEqual([]);
  });

  it('under mode follow, continues after the highest value the source had at cutover', async () => {
    const config = env.config({
      target: { schema: 'FOLLOWED' },
      migration: { tables: ['dbo.events'], mode: 'follow', follow: { intervalSeconds: 1 } },
    });
    const workflowId = await env.startRun(config);
    const tag = workflowId.replace('migrate-test-', '').toUpperCase();
    const events = 'SELECT "EVENT_ID" FROM "STEVE_MCP"."FOLLOWED"."EVENTS" ORDER BY "EVENT_ID"';
    await eventually(
      'the table published',
      () => env.snowflakeRows(events),
      (rows) => rows.length === 3,
    );
    // Rows the source writes while the table follows arrive with their identity values.
    await env.sqlserver.exec("INSERT INTO dbo.events (kind) VALUES ('d'), ('e')");
    await eventually(
      'the rows applied',
      () => env.snowflakeRows(events),
      (rows) => rows.length === 5,
    );
    // Until cutover the published table still draws from the placeholder.
    expect(await sequencesIn('FOLLOWED')).toEqual([[`EVENTS__IDENTITY_PLACEHOLDER_${tag}`, '1', '1']]);
    await env.sqlserver.exec("INSERT INTO dbo.events (kind) VALUES ('f')");
    await env.client.workflow.getHandle(workflowId).signal(cutoverSignal);
    const summary = await env.summary(workflowId);
    expect(summary.status).toBe('cut over');
    expect(await sequencesIn('FOLLOWED')).toEqual([[`EVENTS__IDENTITY_${tag}`, '7', '1']]);
    await env.snowflakeRows(
      'INSERT INTO "STEVE_MCP"."FOLLOWED"."EVENTS" ("KIND", "MIGRATED_AT") VALUES (\'new\', CURRENT_TIMESTAMP())',
    );
    expect(
      await env.snowflakeRows('SELECT "KIND" FROM "STEVE_MCP"."FOLLOWED"."EVENTS" WHERE "EVENT_ID" = 7'),
    ).toEqual([{ KIND: 'new' }]);
  });
});
