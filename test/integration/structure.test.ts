/**
 * Structure carried into Snowflake, end to end (stand-ins + real drivers + dev server): the primary key
 * and the UNIQUE constraints over copied columns are declared on the published table, as Snowflake
 * keeps them (declared, not enforced: https://docs.snowflake.com/en/sql-reference/constraints), and
 * DESCRIBE TABLE shows them (https://docs.snowflake.com/en/sql-reference/sql/desc-table).
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

  it('declares the primary key and the unique constraints over copied columns on the published table', async () => {
    const config = env.config({
      migration: { tables: [{ source: 'dbo.people', excludeColumns: ['ssn'] }], batchSize: 10 },
    });
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    expect(summary.tables[0]).toMatchObject({ rowsCopied: 30, state: 'published' });
    const described = await env.snowflakeRows<Record<string, string>>(
      'DESCRIBE TABLE "STEVE_MCP"."DATA_MIGRATION"."PEOPLE"',
    );
    expect(described.map((c) => [c.name, c['primary key'], c['unique key']])).toEqual([
      ['PERSON_ID', 'Y', 'N'],
      ['EMAIL', 'N', 'Y'],
      ['REGION', 'N', 'Y'],
      ['BADGE', 'N', 'Y'],
      ['IS_MIGRATED', 'N', 'N'],
      ['MIGRATED_AT', 'N', 'N'],
    ]);
  });
});
