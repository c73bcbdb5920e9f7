/**
 * A Microsoft Entra tenant played by a test: a key pair whose public half the SQL Server stand-in trusts,
 * and access tokens for Azure SQL signed with the private half, shaped as Entra's v1.0 tokens for the
 * resource https://database.windows.net/ (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens).
 */
import { generateKeyPairSync, sign } from 'node:crypto';

export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ENTRA_ADMIN = 'dba@contoso.com';

export interface TestTenant {
  /** What the stand-in's `entraId` option takes. */
  entraId: { tenantId: string; publicKey: string; admin: string };
  /** A token for `upn`, valid for an hour; `claims` override or add claims (a wrong audience, an expiry). */
  token(upn: string, claims?: Record<string, unknown>): string;
  /** A token signed with a key the tenant does not own. */
  forgedToken(upn: string): string;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function signedToken(privateKey: Parameters<typeof sign>[2], claims: Record<string, unknown>): string {
  const body = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
}

export function makeTestTenant(): TestTenant {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const claimsFor = (upn: string, claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      aud: 'https://database.windows.net/',
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      upn,
      nbf: now - 60,
      exp: now + 3600,
      ...claims,
    };
  };
  return {
    entraId: {
      tenantId: TENANT_ID,
      publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      admin: ENTRA_ADMIN,
    },
    token: (upn, claims) => signedToken(keys.privateKey, claimsFor(upn, claims)),
    forgedToken: (upn) => signedToken(other.privateKey, claimsFor(upn)),
  };
}
