/**
 * Microsoft Entra ID access tokens through tedious' azure-active-directory-access-token (LOGIN7 with the
 * FEDAUTH feature extension, security token library): the server's Entra admin creates a user FROM
 * EXTERNAL PROVIDER, whose token then logs in as that user; a token the tenant did not sign, an expired
 * one or one for another resource is refused as Azure SQL refuses it, and the migrator fails at once.
 */
import type sql from 'mssql';
import { ApplicationFailure } from '@temporalio/activity';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { toFailure } from '../../../src/activities/failures';
import { SourceConfigSchema } from '../../../src/config/schema';
import { createSourceConnection } from '../../../src/sqlserver/pool';
import { ENTRA_ADMIN, makeTestTenant, type TestTenant } from '../../support/entra-tenant';
import { connect, failure, query, startEmulator } from './support';

const USER = 'ada@contoso.com';
let tenant: TestTenant;
let emulator: SqlServerEmulator;
const pools: sql.ConnectionPool[] = [];

beforeAll(async () => {
  tenant = makeTestTenant();
  emulator = await startEmulator({
    entraId: tenant.entraId,
    seed: [
      'CREATE TABLE dbo.items (id int NOT NULL PRIMARY KEY);\nGO\nINSERT INTO dbo.items VALUES (1), (2)',
    ],
  });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(() => emulator?.close());

async function withToken(token: string): Promise<sql.ConnectionPool> {
  const pool = await connect(emulator, {
    user: undefined,
    password: undefined,
    authentication: { type: 'azure-active-directory-access-token', options: { token } },
  });
  pools.push(pool);
  return pool;
}

describe('Microsoft Entra access tokens', () => {
  it("log the server's Entra admin in, who creates a user FROM EXTERNAL PROVIDER that its token then logs in as", async () => {
    const admin = await withToken(tenant.token(ENTRA_ADMIN));
    expect(await query(admin, 'SELECT USER_NAME() AS u')).toEqual([{ u: 'dbo' }]);
    await admin
      .request()
      .batch(`CREATE USER [${USER}] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [${USER}]`);
    const ada = await withToken(tenant.token(USER));
    expect(await query(ada, 'SELECT USER_NAME() AS u, COUNT(*) AS n FROM dbo.items')).toEqual([
      { u: USER, n: 2 },
    ]);
  });

  it('cannot be created by a SQL login (only Entra connections create Entra users)', async () => {
    const sa = await connect(emulator);
    pools.push(sa);
    expect(
      await failure(sa.request().batch('CREATE USER [bob@contoso.com] FROM EXTERNAL PROVIDER')),
    ).toMatchObject({
      number: 33159,
      message:
        "Principal 'bob@contoso.com' could not be created. Only connections established with Active Directory accounts can create other Active Directory users.",
    });
  });

  it.each([
    ['signed by another key', () => tenant.forgedToken(ENTRA_ADMIN)],
    ['expired', () => tenant.token(ENTRA_ADMIN, { exp: Math.floor(Date.now() / 1000) - 10 })],
    ['for another resource', () => tenant.token(ENTRA_ADMIN, { aud: 'https://storage.azure.com/' })],
    ['not a JWT', () => 'not-a-token'],
  ])('refuses a token %s as Azure SQL does, and the migrator fails at once', async (_, token) => {
    expect(await failure(withToken(token()))).toMatchObject({
      code: 'ELOGIN',
      message: "Login failed for user '<token-identified principal>'.",
    });
    const config = SourceConfigSchema.parse({
      server: '127.0.0.1',
      port: emulator.port,
      database: 'shop',
      authentication: { type: 'azure-active-directory-access-token' },
      encrypt: false,
    });
    const source = createSourceConnection(config, { token: token() });
    try {
      const f = toFailure(await failure(source.pool())) as ApplicationFailure;
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect([f.type, f.nonRetryable]).toEqual(['SourceLoginFailed', true]);
      expect(f.message).toContain("Login failed for user '<token-identified principal>'.");
    } finally {
      await source.close();
    }
  });

  it('of a principal without a user in the database are refused like a login without one', async () => {
    expect(await failure(withToken(tenant.token('eve@contoso.com')))).toMatchObject({
      code: 'ELOGIN',
      message: "Login failed for user 'eve@contoso.com'.",
    });
  });
});
