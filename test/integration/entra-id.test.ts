/**
 * A whole run logged in to SQL Server with a Microsoft Entra access token (source.authentication type
 * azure-active-directory-access-token, the token read from a file): the stand-in plays the tenant, its
 * Entra admin creates the migrator's user FROM EXTERNAL PROVIDER with the grants the README lists, and
 * the run copies every row. A token the tenant did not sign fails the run at once as a login refused,
 * not as an outage waited out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplicationFailure } from '@temporalio/client';
import sql from 'mssql';
import { customerRows, seedSampleData } from '../../scripts/sample-data';
import { hintFor } from '../../src/contracts/errors';
import { ENTRA_ADMIN, makeTestTenant, type TestTenant } from '../support/entra-tenant';
import {
  createMigrationEnvironment,
  SOURCE_DATABASE,
  type MigrationEnvironment,
} from '../support/migration-env';
import { canonicalRows, canonicalTargetRows, SAMPLE_TABLES, selectAllQuery } from '../support/target-values';

const CUSTOMERS = 500;
const MIGRATOR = 'migrator@contoso.com';

describe('a run logged in with a Microsoft Entra access token', () => {
  let tenant: TestTenant;
  let env: MigrationEnvironment;

  beforeAll(async () => {
    tenant = makeTestTenant();
    env = await createMigrationEnvironment([], { sqlserver: { entraId: tenant.entraId } });
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: 10 });
    // As an administrator would, connected as the server's Entra admin.
    const admin = await new sql.ConnectionPool({
      server: env.sqlserver.host,
      port: env.sqlserver.port,
      database: SOURCE_DATABASE,
      authentication: {
        type: 'azure-active-directory-access-token',
        options: { token: tenant.token(ENTRA_ADMIN) },
      },
      options: { encrypt: false },
    }).connect();
    await admin
      .request()
      .batch(
        `CREATE USER [${MIGRATOR}] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [${MIGRATOR}]; GRANT VIEW DEFINITION TO [${MIGRATOR}]`,
      );
    await admin.close();
  });
  afterAll(() => env?.close());

  /** A config whose source logs in with the token in a file, on a task queue and target schema of its own. */
  async function configured(name: string, token: string) {
    const tokenFile = join(env.workDir, `${name}.token`);
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const config = env.config({
      source: {
        user: undefined,
        authentication: { type: 'azure-active-directory-access-token', token: { file: tokenFile } },
      },
      target: { schema: name },
      temporal: { taskQueue: `entra-${name.toLowerCase()}-${Date.now()}` },
      migration: { tables: ['dbo.customers'] },
    });
    await env.startWorker(config);
    return config;
  }

  it('copies every row', async () => {
    const config = await configured('ENTRA', tenant.token(MIGRATOR));
    const summary = await env.summary(await env.startRun(config));
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied, t.validation?.passed])).toEqual([
      ['dbo.customers', 'published', CUSTOMERS, true],
    ]);
    const rows = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.customers, 'STEVE_MCP', 'ENTRA'));
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, rows)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
  });

  it('fails at once on a token the tenant did not sign, saying what to check', async () => {
    const forged = tenant.forgedToken(MIGRATOR);
    const config = await configured('ENTRA_FORGED', forged);
    const started = Date.now();
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(failure.type).toBe('SourceLoginFailed');
    expect(failure.message).toBe(
      "SQL Server login failed: Login failed for user '<token-identified principal>'." +
        `\nWhat to do: ${hintFor('SourceLoginFailed')}`,
    );
    expect(failure.message).not.toContain(forged);
  });
});
