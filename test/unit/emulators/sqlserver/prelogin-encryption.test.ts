/**
 * The stand-in's PRELOGIN answer to a client's ENCRYPTION option, by MS-TDS 2.2.6.5's table
 * (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/60f56408-0188-4cd5-8b90-25c6f2423868).
 */
import { buildPreloginResponse, clientEncryption } from '../../../../emulators/sqlserver/tds/prelogin';
import { ENCRYPT, negotiateEncryption } from '../../../../emulators/sqlserver/tds/tls';

const { OFF, ON, NOT_SUP, REQ } = ENCRYPT;

describe('negotiateEncryption', () => {
  const certificate = { certificate: true, forceEncryption: false };
  const forced = { certificate: true, forceEncryption: true };

  it.each([
    [OFF, certificate, OFF, 'login'],
    [ON, certificate, ON, 'full'],
    [REQ, certificate, ON, 'full'],
    [NOT_SUP, certificate, NOT_SUP, 'none'],
    [OFF, forced, REQ, 'full'],
    [ON, forced, ON, 'full'],
    [NOT_SUP, forced, REQ, 'refuse'],
  ])('client %i, server %o: answers %i, encrypts %s', (client, server, answer, encryption) => {
    expect(negotiateEncryption(client, server)).toEqual({ answer, encryption });
  });

  it('answers ENCRYPT_NOT_SUP without a certificate, whatever the client asked', () => {
    for (const client of [OFF, ON, NOT_SUP, REQ]) {
      expect(negotiateEncryption(client, { certificate: false, forceEncryption: false })).toEqual({
        answer: NOT_SUP,
        encryption: 'none',
      });
    }
  });
});

describe('PRELOGIN ENCRYPTION option', () => {
  it("reads the client's option, and ENCRYPT_NOT_SUP when there is none", () => {
    // MS-TDS 4.1's sample request: VERSION, ENCRYPTION (0x01, ON), INSTOPT, THREADID, MARS.
    const sample = Buffer.from(
      '00001A000601002000010200210001030022000404002600' + '01FF0900000000000100B80D000001',
      'hex',
    );
    expect(clientEncryption(sample)).toBe(ON);
    expect(clientEncryption(Buffer.from([0xff]))).toBe(NOT_SUP);
  });

  it('answers with the negotiated value', () => {
    expect(clientEncryption(buildPreloginResponse([16, 0, 1000], REQ))).toBe(REQ);
  });
});
