/**
 * Microsoft Entra ID as the stand-in sees it: access tokens for Azure SQL, checked as a resource server
 * checks them (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens): a JWT signed with
 * RS256 by the tenant's key, for the audience `https://database.windows.net/`, issued by
 * `https://sts.windows.net/<tenant>/` (v1.0 tokens, what the token endpoint gives for that resource), not
 * expired nor before its `nbf`. A test plays the tenant: it makes a key pair, gives the stand-in the public
 * key and signs tokens with the private one. The principal is the token's `upn` (a user); tokens without one
 * (applications, managed identities) are refused as not implemented, since which name Azure SQL matches
 * them by is not modelled.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface EntraTenant {
  tenantId: string;
  /** PEM of the public key the tenant signs access tokens with. */
  publicKey: string;
}

/** The resource Azure SQL's access tokens are issued for. */
export const AZURE_SQL_AUDIENCE = 'https://database.windows.net/';

export type TokenCheck = { principal: string } | { refused: string };

const base64url = (text: string): Buffer => Buffer.from(text, 'base64url');

export class EntraTokens {
  private readonly key: KeyObject;

  constructor(private readonly tenant: EntraTenant) {
    this.key = createPublicKey(tenant.publicKey);
  }

  /** The principal a token stands for, or why it is refused (logged only, never sent to the client). */
  check(token: string, nowMs = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { refused: 'not a JWT' };
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(base64url(parts[0]!).toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(base64url(parts[1]!).toString('utf8')) as Record<string, unknown>;
    } catch {
      return { refused: 'not a JWT' };
    }
    if (header.alg !== 'RS256') return { refused: `alg ${String(header.alg)}` };
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('sha256', signed, this.key, base64url(parts[2]!))) return { refused: 'bad signature' };
    if (claims.aud !== AZURE_SQL_AUDIENCE) return { refused: `audience ${String(claims.aud)}` };
    if (claims.iss !== `https://sts.windows.net/${this.tenant.tenantId}/`)
      return { refused: `issuer ${String(claims.iss)}` };
    const now = nowMs / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { refused: 'expired' };
    if (typeof claims.nbf === 'number' && claims.nbf > now) return { refused: 'not valid yet' };
    if (typeof claims.upn !== 'string') return { refused: 'no upn claim (only user tokens are modelled)' };
    return { principal: claims.upn };
  }
}
