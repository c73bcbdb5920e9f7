/**
 * Key-pair login (authenticator SNOWFLAKE_JWT): the client signs a JWT with its private key; the
 * server checks it against the public key registered for the user. Pure (node:crypto only).
 *
 * Claims as Snowflake requires them:
 *   iss = ACCOUNT.USER.SHA256:<base64 SHA-256 of the public key in DER (SPKI) form>
 *   sub = ACCOUNT.USER
 *   exp = expiry (snowflake-sdk 3.x writes milliseconds, the JWT standard seconds: both are read)
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { auth } from '../errors';

export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

const decode = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Seconds or milliseconds since the epoch, as milliseconds. */
const asMs = (t: unknown) => (typeof t === 'number' ? (t > 1e11 ? t : t * 1000) : NaN);

/** Throws 390144 unless `token` is a valid JWT of `account`.`user` signed by the key of `publicKeyPem`. */
export function verifyJwt(
  token: string,
  expected: { account: string; user: string; publicKeyPem: string; nowMs: number },
): void {
  const parts = token.split('.');
  if (parts.length !== 3) throw auth.badJwt('not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decode(headerPart);
    claims = decode(payloadPart);
  } catch {
    throw auth.badJwt('undecodable header or claims');
  }
  if (header.alg !== 'RS256') throw auth.badJwt(`algorithm ${String(header.alg)}`);
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    expected.publicKeyPem,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) throw auth.badJwt('signature does not match the registered public key');
  const subject = `${expected.account}.${expected.user}`.toUpperCase();
  const issuer = `${subject}.${publicKeyFingerprint(expected.publicKeyPem)}`;
  if (String(claims.sub).toUpperCase() !== subject)
    throw auth.badJwt(`sub is ${String(claims.sub)}, expected ${subject}`);
  const iss = String(claims.iss);
  const dot = iss.lastIndexOf('.SHA256:');
  if (
    dot < 0 ||
    iss.slice(0, dot).toUpperCase() !== subject ||
    iss.slice(dot + 1) !== issuer.slice(subject.length + 1)
  ) {
    throw auth.badJwt(`iss is ${iss}, expected ${issuer}`);
  }
  const exp = asMs(claims.exp);
  if (!(exp > expected.nowMs)) throw auth.badJwt('expired');
  const iat = asMs(claims.iat);
  if (iat > expected.nowMs + 60_000) throw auth.badJwt('issued in the future');
}
