import { createSign, generateKeyPairSync } from 'node:crypto';
import { publicKeyFingerprint, verifyJwt } from '../../../../emulators/snowflake/auth/jwt';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const now = Date.now();

function jwt(claims: Record<string, unknown>, key = keys.privateKey): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

const valid = {
  iss: `EMULATOR.MIGRATOR.${publicKeyFingerprint(publicKeyPem)}`,
  sub: 'EMULATOR.MIGRATOR',
  iat: now,
  exp: now + 60_000,
};
const expected = { account: 'emulator', user: 'migrator', publicKeyPem, nowMs: now };

describe('key-pair JWT', () => {
  it('accepts a token signed by the registered key (exp in milliseconds, as snowflake-sdk writes it, or seconds)', () => {
    expect(() => verifyJwt(jwt(valid), expected)).not.toThrow();
    expect(() => verifyJwt(jwt({ ...valid, exp: Math.floor(now / 1000) + 60 }), expected)).not.toThrow();
  });

  it.each([
    ['another key', jwt(valid, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), 'signature'],
    ['another subject', jwt({ ...valid, sub: 'EMULATOR.OTHER' }), 'sub'],
    [
      'the fingerprint of another key',
      jwt({ ...valid, iss: `EMULATOR.MIGRATOR.${publicKeyFingerprint(other)}` }),
      'iss',
    ],
    ['an expired token', jwt({ ...valid, exp: now - 1 }), 'expired'],
    ['no JWT', 'abc', 'not a JWT'],
  ])('refuses %s with 390144', (_what, token, reason) => {
    expect(() => verifyJwt(token, expected)).toThrow(
      expect.objectContaining({ code: '390144', message: expect.stringContaining(reason) }),
    );
  });
});
