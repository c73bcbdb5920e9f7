/**
 * Structure carried into Snowflake, end to end (stand-ins + real drivers + dev server): the primary key
 * and the UNIQUE constraints over copied columns are declared on the published table, as Snowflake
 * keeps them (declared, not enforced: https://docs.snowflake.com/en/sql-reference/constraints), and
 * DESCRIBE TABLE shows them (https://docs.snowflake.com/en/sql-reference/sql/desc-table); so are the
 * defaults Snowflake can express (src/mapping/column-defaults.ts), and MS_Description as COMMENTs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunSummary } from '../../src/contracts/outcomes';
import { runCheck } from '../../src/cli/check';
import { runDiscover } from '../../src/cli/discover';
import { runPlan } from '../../src/cli/plan';
import { createdByRunComment } from '../../src/sql/snowflake/statements';
import { summaryQuery } from '../../src/workflows/messages';
import { capture } from '../support/capture';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';

const SOURCE = `
CREATE TABLE dbo.people (
  person_id int NOT NULL CONSTRAINT PK_people PRIMARY KEY,
  email varchar(200) NULL CONSTRAINT UQ_people_email UNIQUE,
  region char(2) NOT NULL,
  badge int NOT NULL,
  ssn char(11) NULL CONSTRAINT UQ_people_ssn UNIQUE,
  joined datetime NOT NULL CONSTRAINT DF_people_joined DEFAULT (getdate()),
  token uniqueidentifier NOT NULL DEFAULT (newid()),
  status varchar(10) NOT NULL DEFAULT ('new'),
  level char(1) NOT NULL DEFAULT ('A'),
  score int NULL DEFAULT ((0)),
  CONSTRAINT UQ_people_region_badge UNIQUE (region, badge)
);
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Everyone who joined, once each',
  @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'people';
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Where we write to them; it''s optional',
  @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'people',
  @level2type = N'COLUMN', @level2name = N'email';`;

/** A table of the same name in another schema: kept apart only under target.schemas perSource. */
const SALES = `
CREATE SCHEMA sales;
CREATE TABLE sales.people (seller_id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL);`;

/**
 * Foreign keys: between published tables they are declared at the run's end; one whose parent the run
 * does not publish is listed as not carried.
 */
const KEYS = `
CREATE TABLE dbo.customers (
  customer_id int NOT NULL CONSTRAINT PK_customers PRIMARY KEY,
  email varchar(100) NOT NULL CONSTRAINT UQ_customers_email UNIQUE
);
CREATE TABLE dbo.regions (region_id int NOT NULL PRIMARY KEY);
CREATE TABLE dbo.orders (
  order_id int NOT NULL PRIMARY KEY,
  customer_id int NOT NULL CONSTRAINT FK_orders_customers REFERENCES dbo.customers (customer_id),
  customer_email varchar(100) NULL,
  region_id int NULL,
  CONSTRAINT FK_orders_email FOREIGN KEY (customer_email) REFERENCES dbo.customers (email),
  CONSTRAINT FK_orders_regions FOREIGN KEY (region_id) REFERENCES dbo.regions (region_id)
);`;

/**
 * Exactness: a key whose REFERENCES lists the parent's columns in another order than the parent's key
 * (each child column must reference the column it names, not the one at its position), and two keys of
 * one name in two source schemas, which land in one Snowflake schema under target.schemas single.
 */
const EXACT_KEYS = `
CREATE TABLE dbo.versions (doc_id int NOT NULL, rev int NOT NULL, CONSTRAINT PK_versions PRIMARY KEY (doc_id, rev));
CREATE TABLE dbo.notes (
  id int NOT NULL PRIMARY KEY,
  note_rev int NOT NULL,
  note_doc int NOT NULL,
  CONSTRAINT FK_notes_versions FOREIGN KEY (note_rev, note_doc) REFERENCES dbo.versions (rev, doc_id));
CREATE TABLE dbo.kits (kit_id int NOT NULL PRIMARY KEY);
CREATE TABLE dbo.kit_items (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL,
  CONSTRAINT FK_items_parent FOREIGN KEY (parent_id) REFERENCES dbo.kits (kit_id));
CREATE TABLE sales.bundles (bundle_id int NOT NULL PRIMARY KEY);
CREATE TABLE sales.bundle_items (id int NOT NULL PRIMARY KEY, parent_id int NOT NULL,
  CONSTRAINT FK_items_parent FOREIGN KEY (parent_id) REFERENCES sales.bundles (bundle_id));`;

describe('structure carried (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SOURCE, SALES, KEYS, EXACT_KEYS]);
    await env.sqlserver.bulkInsert(
      'dbo.people',
      ['person_id', 'email', 'region', 'badge', 'ssn'],
      Array.from({ length: 30 }, (_, i) => [i + 1, i === 0 ? null : `p${i}@x.example`, 'EU', i, null]),
    );
    await env.sqlserver.bulkInsert(
      'sales.people',
      ['seller_id', 'name'],
      Array.from({ length: 40 }, (_, i) => [i + 1, `seller ${i}`]),
    );
    await env.sqlserver.bulkInsert('dbo.customers', ['customer_id', 'email'], [[1, 'a@x.example']]);
    await env.sqlserver.bulkInsert(
      'dbo.orders',
      ['order_id', 'customer_id', 'customer_email', 'region_id'],
      [[10, 1, 'a@x.example', 7]],
    );
    await env.startWorker(env.config());
  });
  afterAll(() => env?.close());

  it('declares the primary key, the unique constraints over copied columns and the defaults Snowflake can express', async () => {
    const config = env.config({
      migration: { tables: [{ source: 'dbo.people', excludeColumns: ['ssn'] }], batchSize: 10 },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 30, state: 'published' });
    const described = await env.snowflakeRows<Record<string, string>>(
      'DESCRIBE TABLE "STEVE_MCP"."DATA_MIGRATION"."PEOPLE"',
    );
    // MS_Description (sp_addextendedproperty) as the column's and the table's COMMENT.
    expect(described.filter((c) => c.comment).map((c) => [c.name, c.comment])).toEqual([
      ['EMAIL', "Where we write to them; it's optional"],
    ]);
    const [table] = await env.snowflakeRows<Record<string, string>>(
      `SHOW TABLES LIKE 'PEOPLE' IN SCHEMA "STEVE_MCP"."DATA_MIGRATION"`,
    );
    expect(table?.comment).toBe('Everyone who joined, once each');
    expect(described.map((c) => [c.name, c['primary key'], c['unique key'], c.default])).toEqual([
      ['PERSON_ID', 'Y', 'N', null],
      ['EMAIL', 'N', 'Y', null],
      ['REGION', 'N', 'Y', null],
      ['BADGE', 'N', 'Y', null],
      ['JOINED', 'N', 'N', 'CURRENT_TIMESTAMP()'],
      ['TOKEN', 'N', 'N', 'UUID_STRING()'],
      ['STATUS', 'N', 'N', "'new'"],
      ['LEVEL', 'N', 'N', null], // char: SQL Server pads its default, a VARCHAR default would not
      ['SCORE', 'N', 'N', '0'],
      ['IS_MIGRATED', 'N', 'N', 'TRUE'],
      ['MIGRATED_AT', 'N', 'N', null],
    ]);
    // A row inserted in Snowflake without them gets the defaults.
    await env.snowflakeRows(
      'INSERT INTO "STEVE_MCP"."DATA_MIGRATION"."PEOPLE" ("PERSON_ID", "REGION", "BADGE", "LEVEL", "TOKEN", "MIGRATED_AT") ' +
        "VALUES (99, 'US', 1, 'B', 'x', CURRENT_TIMESTAMP())",
    );
    expect(
      await env.snowflakeRows(
        'SELECT "STATUS", "SCORE", "JOINED" IS NOT NULL AS "JOINED_SET" FROM "STEVE_MCP"."DATA_MIGRATION"."PEOPLE" WHERE "PERSON_ID" = 99',
      ),
    ).toEqual([{ STATUS: 'new', SCORE: '0', JOINED_SET: true }]);
  });

  it('declares the foreign keys between published tables at the run end, and lists the others as not carried', async () => {
    const config = env.config({
      target: { database: 'KEYS' },
      migration: { tables: ['dbo.orders', 'dbo.customers'], batchSize: 10 },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.foreignKeys).toEqual([
      { table: 'dbo.orders', name: 'FK_ORDERS_CUSTOMERS' },
      { table: 'dbo.orders', name: 'FK_ORDERS_EMAIL' },
      {
        table: 'dbo.orders',
        name: 'FK_orders_regions',
        notCarried: 'it references dbo.regions, which this run did not publish',
      },
    ]);
    // https://docs.snowflake.com/en/sql-reference/sql/show-imported-keys: a row per key column.
    const imported = await env.snowflakeRows<Record<string, string>>(
      'SHOW IMPORTED KEYS IN TABLE "KEYS"."DATA_MIGRATION"."ORDERS"',
    );
    expect(imported.map((k) => [k.fk_name, k.fk_column_name, k.pk_table_name, k.pk_column_name])).toEqual([
      ['FK_ORDERS_CUSTOMERS', 'CUSTOMER_ID', 'CUSTOMERS', 'CUSTOMER_ID'],
      ['FK_ORDERS_EMAIL', 'CUSTOMER_EMAIL', 'CUSTOMERS', 'EMAIL'],
    ]);
  });

  it('pairs each column with the one it references, and names two same-named keys after their schemas', async () => {
    const config = env.config({
      target: { database: 'KEYS_EXACT' },
      migration: {
        tables: [
          'dbo.versions',
          'dbo.notes',
          'dbo.kits',
          'dbo.kit_items',
          'sales.bundles',
          'sales.bundle_items',
        ],
        batchSize: 10,
      },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.foreignKeys).toEqual([
      { table: 'dbo.kit_items', name: 'DBO_FK_ITEMS_PARENT', renamedFrom: 'FK_ITEMS_PARENT' },
      { table: 'dbo.notes', name: 'FK_NOTES_VERSIONS' },
      { table: 'sales.bundle_items', name: 'SALES_FK_ITEMS_PARENT', renamedFrom: 'FK_ITEMS_PARENT' },
    ]);
    const imported = async (table: string) =>
      (
        await env.snowflakeRows<Record<string, string>>(
          `SHOW IMPORTED KEYS IN TABLE "KEYS_EXACT"."DATA_MIGRATION"."${table}"`,
        )
      ).map((k) => [k.fk_name, k.fk_column_name, k.pk_table_name, k.pk_column_name, Number(k.key_sequence)]);
    // NOTE_DOC references DOC_ID and NOTE_REV references REV, as the source declares (the pairs stand in
    // the parent key's order, (DOC_ID, REV)); pairing by position would have crossed them.
    expect(await imported('NOTES')).toEqual([
      ['FK_NOTES_VERSIONS', 'NOTE_DOC', 'VERSIONS', 'DOC_ID', 1],
      ['FK_NOTES_VERSIONS', 'NOTE_REV', 'VERSIONS', 'REV', 2],
    ]);
    expect(await imported('KIT_ITEMS')).toEqual([['DBO_FK_ITEMS_PARENT', 'PARENT_ID', 'KITS', 'KIT_ID', 1]]);
    expect(await imported('BUNDLE_ITEMS')).toEqual([
      ['SALES_FK_ITEMS_PARENT', 'PARENT_ID', 'BUNDLES', 'BUNDLE_ID', 1],
    ]);
  });

  describe('target.schemas perSource', () => {
    const perSource = (database: string, batchSize: number) =>
      env.config({
        target: { database, schemas: 'perSource' },
        migration: {
          tables: ['dbo.people', 'sales.people'],
          batchSize,
          batchesInFlight: 1,
          tablesInFlight: 2,
        },
      });
    const schemas = async (database: string) =>
      (await env.snowflakeRows(`SHOW SCHEMAS IN DATABASE "${database}"`)).map((s) => [s.name, s.comment]);

    it('publishes each table in a schema named after its source schema, created and marked by the run', async () => {
      const workflowId = await env.startRun(perSource('PER_SOURCE', 10));
      const runTag = workflowId.replace(/^migrate-test-/, ''); // see startRun in migration-env.ts
      const summary = (await env.outcome(workflowId)) as RunSummary;
      expect(summary.status).toBe('succeeded');
      expect(summary.tables.map((t) => [t.source, t.target, t.rowsCopied])).toEqual([
        ['dbo.people', 'PER_SOURCE.DBO.PEOPLE', 30],
        ['sales.people', 'PER_SOURCE.SALES.PEOPLE', 40],
      ]);
      // The stage stays in target.schema (DATA_MIGRATION by default); both table schemas carry the mark.
      const mark = createdByRunComment(runTag);
      expect((await schemas('PER_SOURCE')).filter(([, comment]) => comment === mark)).toEqual([
        ['DATA_MIGRATION', mark],
        ['DBO', mark],
        ['SALES', mark],
      ]);
      expect(
        await env.snowflakeRows('SELECT COUNT(*) AS N, MAX("NAME") AS M FROM "PER_SOURCE"."SALES"."PEOPLE"'),
      ).toEqual([{ N: '40', M: 'seller 9' }]);
    });

    it('discover, plan and check show where each table will land', async () => {
      const file = env.configFile(perSource('PER_SOURCE_SHOWN', 10));
      const saved = { ...process.env };
      Object.assign(process.env, SECRETS_ENV); // the commands read the passwords from the environment
      try {
        const discovered = capture();
        expect(await runDiscover(file, {}, discovered.out)).toBe(0);
        expect(discovered.text()).toContain('\ndbo.people -> PER_SOURCE_SHOWN.DBO.PEOPLE\n');
        expect(discovered.text()).toContain('\nsales.people -> PER_SOURCE_SHOWN.SALES.PEOPLE\n');
        const planned = capture();
        expect(await runPlan(file, { batches: 1, json: true }, planned.out)).toBe(0);
        const plan = JSON.parse(planned.text()) as { tables: { target: string; ddl: string }[] };
        expect(plan.tables.map((t) => t.target)).toEqual([
          'PER_SOURCE_SHOWN.DBO.PEOPLE',
          'PER_SOURCE_SHOWN.SALES.PEOPLE',
        ]);
        const checked = capture();
        await runCheck(file, {}, checked.out);
        expect(checked.text()).toContain(
          'ok   PER_SOURCE_SHOWN.SALES.PEOPLE does not exist yet: it will be created\n',
        );
      } finally {
        process.env = saved;
      }
    });

    it('a cancelled run drops the schemas it created, before the database', async () => {
      const workflowId = await env.startRun(perSource('PER_SOURCE_UNDONE', 1));
      // Both tables in flight, each with a batch in: both schemas exist.
      const batchesDone = async (index: number) =>
        (await env.tableProgress(workflowId, index))?.table.batchesDone ?? 0;
      while ((await batchesDone(0)) < 1 || (await batchesDone(1)) < 1) await sleep(100);
      const handle = env.client.workflow.getHandle(workflowId);
      await handle.cancel();
      await handle.result().catch(() => undefined);
      const summary = (await handle.query(summaryQuery))!;
      expect(summary.status).toBe('cancelled');
      expect(summary.rolledBack.slice(-3)).toEqual([
        {
          description:
            'drop the schema PER_SOURCE_UNDONE.DBO if this run created it and it holds nothing else',
          ok: true,
          note: 'schema dropped',
        },
        {
          description:
            'drop the schema PER_SOURCE_UNDONE.SALES if this run created it and it holds nothing else',
          ok: true,
          note: 'schema dropped',
        },
        {
          description: 'drop the database PER_SOURCE_UNDONE if this run created it and it holds nothing else',
          ok: true,
          note: 'stage dropped; schema dropped; database dropped',
        },
      ]);
      expect((await env.snowflakeRows('SHOW DATABASES')).map((d) => d.name)).not.toContain(
        'PER_SOURCE_UNDONE',
      );
    });
  });
});
