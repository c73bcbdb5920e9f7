/**
 * Structure carried into Snowflake, end to end (stand-ins + real drivers + dev server): the primary key
 * and the UNIQUE constraints over copied columns are declared on the published table, as Snowflake
 * keeps them (declared, not enforced: https://docs.snowflake.com/en/sql-reference/constraints), and
 * DESCRIBE TABLE shows them (https://docs.snowflake.com/en/sql-reference/sql/desc-table); so are the
 * defaults Snowflake can express (src/mapping/column-defaults.ts).
 */
import type { RunSummary } from '../../src/contracts/run';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';

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
);`;

describe('structure carried (stand-ins + real drivers + dev server)', () => {
  let env: MigrationEnvironment;
  beforeAll(async () => {
    env = await createMigrationEnvironment([SOURCE]);
    await env.sqlserver.bulkInsert(
      'dbo.people',
      ['person_id', 'email', 'region', 'badge', 'ssn'],
      Array.from({ length: 30 }, (_, i) => [i + 1, i === 0 ? null : `p${i}@x.example`, 'EU', i, null]),
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
});
