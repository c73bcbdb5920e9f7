/**
 * Input a data engineer will meet sooner or later, end to end with the real drivers, the stand-ins and
 * the dev server: names with spaces, unicode, reserved words and brackets on a table without a primary
 * key; a table that does not exist; a value longer than Snowflake can hold.
 */
import type { ApplicationFailure } from '@temporalio/client';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

const AWKWARD_TABLE = `
CREATE SCHEMA [sales ü];
GO
CREATE TABLE [sales ü].[Order Lines «2026»] (
  [Line No] int NULL,
  [Artikel Größe] nvarchar(40) NULL,
  [Unit Price €] decimal(12,2) NULL,
  [select] nvarchar(10) NULL,
  [has]]bracket] int NULL
);
GO
CREATE TABLE dbo.documents (doc_id int NOT NULL PRIMARY KEY, body nvarchar(max) NULL);`;

/** A heap with a repeated row: a one-pass copy must keep both, neither merging nor doubling them. */
function* awkwardRows(count: number): Generator<unknown[]> {
  for (let i = 1; i <= count; i += 1) {
    yield [i, i % 7 === 0 ? null : `Größe ${i} 🧦 «${'ü'.repeat(i % 5)}»`, (i * 1.25).toFixed(2), 'from', -i];
  }
  yield [1, 'Größe 1 🧦 «ü»', '1.25', 'from', -1];
}
const AWKWARD_ROWS = 250;

/** One byte more than a Snowflake VARCHAR holds. */
const TOO_LONG = 16_777_217;

describe('awkward input, end to end (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([AWKWARD_TABLE]);
    await env.sqlserver.bulkInsert(
      '[sales ü].[Order Lines «2026»]',
      ['Line No', 'Artikel Größe', 'Unit Price €', 'select', 'has]bracket'],
      awkwardRows(AWKWARD_ROWS),
    );
    await env.sqlserver.bulkInsert(
      'dbo.documents',
      ['doc_id', 'body'],
      [
        [1, 'short'],
        [2, 'x'.repeat(TOO_LONG)],
        [3, null],
      ],
    );
    await env.startWorker(env.config());
  });
  afterAll(() => env?.close());

  it('copies a table with spaces, unicode, reserved words and brackets in its names, without a primary key, exactly', async () => {
    const config = env.config({
      target: { schema: 'AWKWARD NAMES' },
      migration: { tables: ['[sales ü].[Order Lines «2026»]'], batchSize: 100 },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]).toMatchObject({
      source: '[sales ü].[Order Lines «2026»]',
      rowsCopied: AWKWARD_ROWS + 1,
      batchesDone: 1, // no key: one pass
    });
    expect(await env.tablesIn('AWKWARD NAMES')).toEqual(['Order Lines «2026»']);

    const rows = await env.snowflakeRows<Record<string, string | null>>(
      'SELECT "Line No", "Artikel Größe", "Unit Price €", "SELECT", "has]bracket" ' +
        'FROM "STEVE_MCP"."AWKWARD NAMES"."Order Lines «2026»" ORDER BY "Line No", "Artikel Größe"',
    );
    const expected = [...awkwardRows(AWKWARD_ROWS)]
      .map(([no, text, price, word, bracket]) => ({
        'Line No': String(no),
        'Artikel Größe': text as string | null,
        'Unit Price €': price as string,
        SELECT: word as string,
        'has]bracket': String(bracket),
      }))
      .sort((a, b) => Number(a['Line No']) - Number(b['Line No']));
    expect(rows).toEqual(expected);
  });

  it('stops before anything is created when a table does not exist, saying which and what to do', async () => {
    const config = env.config({
      target: { database: 'UNTOUCHED' },
      migration: { tables: ['dbo.documents', 'dbo.no_such_table'] },
    });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceTableNotFound');
    expect(failure.message).toBe(
      'The table dbo.no_such_table does not exist in the source database (or the login cannot see it).\n' +
        `What to do: ${hintFor('SourceTableNotFound')}`,
    );
    const summary = await env.failureSummary(failure);
    expect(summary.error?.hint).toBe(
      'Check the table name in migration.tables (schema.table) and that the login can read it.',
    );
    const databases = await env.snowflakeRows<{ name: string }>('SHOW DATABASES');
    expect(databases.map((d) => d.name)).not.toContain('UNTOUCHED');
  });

  it('refuses a value longer than Snowflake holds, naming table, column and key, and leaves nothing behind', async () => {
    const config = env.config({
      target: { schema: 'TOO_LONG' },
      migration: { tables: ['dbo.documents'] },
    });
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('ValueTooLong');
    expect(failure.message).toBe(
      'dbo.documents.body in the row with key (doc_id=2) holds 16,777,217 bytes; Snowflake VARCHAR holds at ' +
        'most 16,777,216 bytes. The value was not cut: shorten or exclude the column (excludeColumns), then run again.\n' +
        `What to do: ${hintFor('ValueTooLong')}`,
    );
    const summary = await env.failureSummary(failure);
    expect(summary.tables[0]!.state).toBe('rolled back');
    expect(summary.rolledBack.every((step) => step.ok)).toBe(true);
    // The schema is the run's: it goes with all in it (the stage, the staged files).
    expect(summary.rolledBack.at(-1)).toMatchObject({
      description: 'drop the schema STEVE_MCP.TOO_LONG if this run created it and it holds nothing else',
      note: 'stage dropped; schema dropped',
    });
    const schemas = await env.snowflakeRows('SHOW SCHEMAS IN DATABASE "STEVE_MCP"');
    expect(schemas.map((s) => s.name)).not.toContain('TOO_LONG');
    // 16 MB values through both stand-ins: minutes on a loaded 2-core machine.
  }, 300_000);
});
