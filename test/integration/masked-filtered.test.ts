/**
 * A least-privilege login that reads masked values (no UNMASK) or only the rows a security policy lets
 * it see: the copy and the validation would agree on the wrong data, so a run refuses such a table
 * before anything is created in Snowflake, unless the table opts in, and then the report says so.
 * `discover` and `check` say the same beforehand. (Stand-ins + dev server.)
 */
import type { ApplicationFailure } from '@temporalio/client';
import { runCheck } from '../../src/cli/check';
import { runDiscover } from '../../src/cli/discover';
import { runPlan } from '../../src/cli/plan';
import { hintFor } from '../../src/contracts/errors';
import type { RunSummary } from '../../src/contracts/outcomes';
import type { MigratorConfig } from '../../src/config/schema';
import { renderMarkdown } from '../../src/report/render';
import { capture } from '../support/capture';
import {
  createMigrationEnvironment,
  SECRETS_ENV,
  SOURCE_PASSWORD,
  type MigrationEnvironment,
} from '../support/migration-env';

const SEED = `
CREATE TABLE dbo.people (
  id int NOT NULL PRIMARY KEY,
  name nvarchar(40) MASKED WITH (FUNCTION = 'default()') NOT NULL,
  city nvarchar(40) NOT NULL DEFAULT (N'London')
);
INSERT INTO dbo.people VALUES (1, N'Ada', N'London'), (2, N'Grace', N'New York');
CREATE TABLE dbo.sales (id int NOT NULL PRIMARY KEY, region varchar(10) NOT NULL, amount int NOT NULL);
INSERT INTO dbo.sales VALUES (1, 'east', 10), (2, 'west', 20), (3, 'east', 30);
CREATE LOGIN reader WITH PASSWORD = '${SOURCE_PASSWORD}';
CREATE USER reader FOR LOGIN reader;
ALTER ROLE db_datareader ADD MEMBER reader;
GRANT VIEW DEFINITION TO reader;
CREATE LOGIN blind WITH PASSWORD = '${SOURCE_PASSWORD}';
CREATE USER blind FOR LOGIN blind;
ALTER ROLE db_datareader ADD MEMBER blind;
GRANT UNMASK TO blind;
GO
CREATE FUNCTION dbo.east_only(@region varchar(10)) RETURNS TABLE WITH SCHEMABINDING
AS RETURN SELECT 1 AS ok WHERE @region = 'east' OR USER_NAME() = 'dbo';
GO
CREATE SECURITY POLICY dbo.region_filter ADD FILTER PREDICATE dbo.east_only(region) ON dbo.sales WITH (STATE = ON);`;

const MASKED =
  'dbo.people has masked columns the source login cannot unmask: name (default()); it would read the masks (xxxx, 0, 1900-01-01) instead of the values, and validation would read the same masks. ' +
  "Grant the login UNMASK on the database (GRANT UNMASK TO <user>), or exclude the columns, or set allowMaskedOrFiltered: true on the table's entry in migration.tables to copy the masked values.";
const FILTERED =
  'dbo.sales is filtered by the security policy dbo.region_filter ([dbo].[east_only]([region])): its predicate decides which rows each login reads, the migrator cannot tell whether the source login reads them all, and validation would count the same rows. ' +
  "Use a login the predicate lets read every row (or have the policy disabled for the run: ALTER SECURITY POLICY dbo.region_filter WITH (STATE = OFF)), and set allowMaskedOrFiltered: true on the table's entry in migration.tables to go on; the report then says so.";

describe('masked columns and row-level security (stand-ins + dev server)', () => {
  let env: MigrationEnvironment;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, SECRETS_ENV);
    env = await createMigrationEnvironment([SEED]);
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
  });

  /** The least-privilege login, into a Snowflake database of the test's own. */
  const asReader = (database: string, tables: unknown[]): MigratorConfig =>
    env.config({ source: { user: 'reader' }, target: { database }, migration: { tables } });
  const databases = async () => (await env.snowflakeRows('SHOW DATABASES')).map((d) => String(d.name));

  it('a masked column the login cannot unmask stops the run before anything is created in Snowflake', async () => {
    const config = asReader('MASKED_DB', ['dbo.people']);
    await env.startWorker(config);
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceReadRestricted');
    expect(failure.message).toBe(`${MASKED}\nWhat to do: ${hintFor('SourceReadRestricted')}`);
    expect((await env.failureSummary(failure)).rolledBack).toEqual([]);
    expect(await databases()).not.toContain('MASKED_DB');
  });

  it('a table a security policy filters for the login stops the run before anything is created', async () => {
    const config = asReader('FILTERED_DB', ['dbo.sales']);
    await env.startWorker(config);
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceReadRestricted');
    expect(failure.message).toBe(`${FILTERED}\nWhat to do: ${hintFor('SourceReadRestricted')}`);
    expect(await databases()).not.toContain('FILTERED_DB');
  });

  it('with allowMaskedOrFiltered the run copies what the login sees, and the report states it', async () => {
    const config = asReader('ALLOWED_DB', [{ source: 'dbo.sales', allowMaskedOrFiltered: true }]);
    await env.startWorker(config);
    const summary = (await env.outcome(await env.startRun(config))) as RunSummary;
    expect(summary.status).toBe('succeeded');
    const warning = `dbo.sales was copied as the source login reads it (allowMaskedOrFiltered: true), which may not be the table's data: ${FILTERED}`;
    expect(summary.tables[0]!.warnings).toContain(warning);
    expect(renderMarkdown(summary)).toContain(`## Warnings\n\n- ${warning}`);
    const rows = await env.snowflakeRows('SELECT ID FROM "ALLOWED_DB"."DATA_MIGRATION"."SALES" ORDER BY ID');
    expect(rows.map((r) => r.ID)).toEqual(['1', '3']); // only the rows the policy let the login see
  });

  it('discover and check say so beforehand; sa holds UNMASK, but a policy is refused for any login', async () => {
    const tables = ['dbo.people', 'dbo.sales'];
    const discovered = capture();
    expect(await runDiscover(env.configFile(asReader('D', tables)), {}, discovered.out)).toBe(1);
    const text = discovered.text();
    expect(text).toContain(`  problem: ${FILTERED}`);
    expect(text).toMatch(
      /name +nvarchar\(40\) +- +refused: masked with default\(\) and the login lacks UNMASK: the masks are copied, not the values/,
    );
    expect(text).toContain(
      'A run would stop before any DDL: dbo.people, dbo.sales cannot be migrated as configured',
    );

    // plan exits 1 for the masked column alone, as a run would refuse the table for it.
    const planned = capture();
    expect(await runPlan(env.configFile(asReader('D', ['dbo.people'])), { batches: 1 }, planned.out)).toBe(1);
    expect(planned.text()).toMatch(/name +nvarchar\(40\) +- +refused: masked with default\(\)/);

    const checked = capture();
    expect(await runCheck(env.configFile(asReader('D', tables)), {}, checked.out)).toBe(1);
    expect(checked.text()).toContain(
      'WARN the source login reader lacks UNMASK: a table with a masked column is refused',
    );
    expect(checked.text()).toContain('ok   the source login reader holds SELECT on dbo.people\n');
    expect(checked.text()).toContain('ok   the source login reader holds VIEW DEFINITION\n');
    expect(checked.text()).toContain(
      'WARN the source login reader lacks VIEW DATABASE STATE: discover shows table sizes as unknown',
    );
    expect(checked.text()).toContain(`FAIL ${MASKED}`);
    expect(checked.text()).toContain(`FAIL ${FILTERED}`);

    const asSa = capture();
    expect(await runDiscover(env.configFile(env.config({ migration: { tables } })), {}, asSa.out)).toBe(1);
    expect(asSa.text()).toMatch(/name +nvarchar\(40\) +VARCHAR\(40\) +converted: case-insensitive/);
    expect(asSa.text()).toContain('A run would stop before any DDL: dbo.sales cannot be migrated');
  });

  it('a login that may not read the security policies gets "cannot tell", not "none"', async () => {
    const config = env.config({ source: { user: 'blind' }, migration: { tables: ['dbo.people'] } });
    const discovered = capture();
    expect(await runDiscover(env.configFile(config), {}, discovered.out)).toBe(1);
    expect(discovered.text()).toContain(
      '  problem: Cannot tell whether a security policy filters dbo.people: the login lacks VIEW DEFINITION (and ALTER ANY SECURITY POLICY), without which sys.security_policies shows it no policy. ' +
        "Grant the login VIEW DEFINITION on the database, or set allowMaskedOrFiltered: true on the table's entry in migration.tables.",
    );
    // It holds UNMASK: the masked column is read as it is.
    expect(discovered.text()).toMatch(/name +nvarchar\(40\) +VARCHAR\(40\) +converted/);
    // db_datareader sees that city has a default, not its definition.
    expect(discovered.text()).toMatch(
      /\n {4}default city +default not visible \(VIEW DEFINITION missing\); not created either way\n/,
    );
    const checked = capture();
    expect(await runCheck(env.configFile(config), {}, checked.out)).toBe(1);
    expect(checked.text()).toContain(
      "FAIL the source login blind lacks VIEW DEFINITION: every table is refused: the migrator cannot see whether a security policy filters it; discover shows defaults as 'default not visible'; GRANT VIEW DEFINITION TO <user>\n",
    );
    // sa sees the definition.
    const asSa = capture();
    await runDiscover(env.configFile(env.config({ migration: { tables: ['dbo.people'] } })), {}, asSa.out);
    expect(asSa.text()).toMatch(
      /\n {4}default city \(N'London'\) +declared in Snowflake as DEFAULT 'London'\n/,
    );
  });
});
