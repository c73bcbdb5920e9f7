/**
 * TLS to the stand-in through the real `mssql` driver and the pool the worker builds: encryption
 * negotiated in PRELOGIN (TDS 7.4) and TDS 8.0 strict, checked on the wire by a recording proxy; refused
 * certificates, a wrong host name and a server that requires encryption fail at once with what to do,
 * never as an outage to wait out. Certificates are made by `openssl` at test time.
 */
import sql from 'mssql';
import { ApplicationFailure } from '@temporalio/activity';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { toFailure } from '../../../src/activities/failures';
import { SourceConfigSchema } from '../../../src/config/schema';
import { createSourceConnection, sourcePoolConfig, type SourceConnection } from '../../../src/sqlserver/pool';
import { makeTestCertificates, type TestCertificates } from '../../support/tls-certificates';
import { failure, PASSWORD, poolConfig, startEmulator } from './support';
import { recordingProxy } from './wire-proxy';

/** A query marker that must never cross the wire in clear when the connection is encrypted. */
const MARKER = 'plaintext-canary-4711';
const MARKER_ON_WIRE = Buffer.from(MARKER, 'utf16le');

let certs: TestCertificates;
let trusted: SqlServerEmulator; // a certificate from the test CA
let selfSigned: SqlServerEmulator;
let forced: SqlServerEmulator; // Force Encryption on
const connections: SourceConnection[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  [trusted, selfSigned, forced] = await Promise.all([
    startEmulator({ tls: certs.server }),
    startEmulator({ tls: certs.selfSigned }),
    startEmulator({ tls: certs.server, forceEncryption: true }),
  ]);
});
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all([trusted?.close(), selfSigned?.close(), forced?.close()]);
  certs?.remove();
});

/** The worker's own pool for a source config (the migrator's options, not raw driver options). */
function sourceConnection(port: number, source: Record<string, unknown>): SourceConnection {
  const config = SourceConfigSchema.parse({
    server: '127.0.0.1',
    port,
    database: 'shop',
    user: 'sa',
    connectTimeoutMs: 15_000,
    ...source,
  });
  const connection = createSourceConnection(config, { password: PASSWORD });
  connections.push(connection);
  return connection;
}

async function marker(connection: SourceConnection): Promise<string> {
  const pool = await connection.pool();
  const result = await pool.request().query(`SELECT N'${MARKER}' AS m`);
  return (result.recordset[0] as { m: string }).m;
}

/** What Temporal is handed for an error: its type, message and hint. */
function failed(err: unknown): { type: string | null | undefined; message: string; hint: unknown } {
  const f = toFailure(err);
  expect(f).toBeInstanceOf(ApplicationFailure);
  const failure = f as ApplicationFailure;
  return {
    type: failure.type,
    message: failure.message,
    hint: (failure.details?.[0] as { hint?: string } | undefined)?.hint,
  };
}

/** Connects and expects a failure well before connectTimeoutMs (15 s): no waiting it out. */
async function refusedAtOnce(connection: SourceConnection): Promise<unknown> {
  const started = Date.now();
  const err = await failure(connection.pool());
  expect(Date.now() - started).toBeLessThan(5_000);
  return err;
}

describe('encryption negotiated in PRELOGIN (TDS 7.4, encrypt: true)', () => {
  it('runs the session over TLS with a certificate from a CA named in caFile: nothing crosses in clear', async () => {
    const proxy = await recordingProxy(trusted.port);
    try {
      expect(await marker(sourceConnection(proxy.port, { caFile: certs.caFile }))).toBe(MARKER);
      const { up, down } = proxy.wire();
      // PRELOGIN in clear (packet type 0x12), then TLS: the query and its result never appear.
      expect(up[0]).toBe(0x12);
      expect(up.includes(MARKER_ON_WIRE)).toBe(false);
      expect(down.includes(MARKER_ON_WIRE)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('is plain TDS with encrypt: false against a server that does not require encryption (the proxy sees it)', async () => {
    const proxy = await recordingProxy(trusted.port);
    try {
      expect(await marker(sourceConnection(proxy.port, { encrypt: false }))).toBe(MARKER);
      expect(proxy.wire().up.includes(MARKER_ON_WIRE)).toBe(true);
      expect(proxy.wire().down.includes(MARKER_ON_WIRE)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('defaults to a packet size SQL Server allows for encrypted connections (16,383) and refuses a larger one', async () => {
    const config = (source: Record<string, unknown>) =>
      sourcePoolConfig(SourceConfigSchema.parse({ server: 'h', database: 'd', user: 'u', ...source }), {
        password: 'p',
      }).options?.packetSize;
    expect(config({})).toBe(16_383);
    expect(config({ encrypt: 'strict' })).toBe(16_383);
    expect(config({ encrypt: false })).toBe(32_767);
    // The driver left to ask for 32,767 on an encrypted connection: the stand-in refuses rather than guesses.
    const pool = new sql.ConnectionPool(
      poolConfig(trusted, {
        options: { encrypt: true, cryptoCredentialsDetails: { ca: certs.ca }, packetSize: 32_767 },
      }),
    );
    pool.on('error', () => undefined);
    const err = await failure(pool.connect());
    expect(err).toMatchObject({ code: 'ELOGIN' });
    expect(err.message).toContain(
      'the maximum network packet size for encrypted connections is 16,383 bytes',
    );
  });

  it('accepts a self-signed certificate named in caFile, or with trustServerCertificate', async () => {
    expect(await marker(sourceConnection(selfSigned.port, { caFile: certs.selfSigned.certFile }))).toBe(
      MARKER,
    );
    expect(await marker(sourceConnection(selfSigned.port, { trustServerCertificate: true }))).toBe(MARKER);
  });

  it('refuses a self-signed certificate it was not told to trust, at once and not as an outage', async () => {
    const err = await refusedAtOnce(sourceConnection(selfSigned.port, {}));
    expect(err).toMatchObject({ code: 'ESOCKET' });
    expect(failed(err)).toEqual({
      type: 'SourceCertificateRejected',
      message: expect.stringMatching(
        /^SQL Server's TLS certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\): .*self-signed certificate/,
      ),
      hint: expect.stringContaining('source.caFile'),
    });
  });

  it('refuses a certificate signed by a CA this machine does not trust', async () => {
    const err = await refusedAtOnce(sourceConnection(trusted.port, {}));
    expect(failed(err)).toMatchObject({
      type: 'SourceCertificateRejected',
      message: expect.stringContaining('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)'),
    });
  });

  it('refuses a certificate that names another host than the one asked for', async () => {
    const err = await refusedAtOnce(
      sourceConnection(trusted.port, { caFile: certs.caFile, hostNameInCertificate: 'sql.example.com' }),
    );
    expect(failed(err)).toMatchObject({
      type: 'SourceCertificateRejected',
      message: expect.stringMatching(
        /\(ERR_TLS_CERT_ALTNAME_INVALID\): .*Host: sql\.example\.com\. is not in the cert's altnames: DNS:localhost, IP Address:127\.0\.0\.1/,
      ),
    });
  });

  it('checks the certificate against hostNameInCertificate when it is given', async () => {
    expect(
      await marker(
        sourceConnection(trusted.port, { caFile: certs.caFile, hostNameInCertificate: 'localhost' }),
      ),
    ).toBe(MARKER);
  });
});

describe('a TLS session cut by the server', () => {
  it.each([[true], ['strict']])(
    'is an outage to wait out (encrypt: %s), not a certificate error, and TLS resumes after it',
    async (encrypt) => {
      const pool = await sourceConnection(trusted.port, { encrypt, caFile: certs.caFile }).pool();
      trusted.faults.outage({ forMs: 1_500 }); // open connections cut, new ones refused: a restart
      const err = await failure(pool.request().query('SELECT 1 AS one'));
      expect(failed(err).type).toBe('SourceUnavailable');
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(await marker(sourceConnection(trusted.port, { encrypt, caFile: certs.caFile }))).toBe(MARKER);
    },
  );
});

describe('TDS 8.0 (encrypt: strict)', () => {
  it('starts with the TLS handshake, before any TDS, and runs the session over it', async () => {
    const proxy = await recordingProxy(trusted.port);
    try {
      expect(await marker(sourceConnection(proxy.port, { encrypt: 'strict', caFile: certs.caFile }))).toBe(
        MARKER,
      );
      const { up, down } = proxy.wire();
      expect(up[0]).toBe(0x16); // a TLS handshake record, not a PRELOGIN packet
      expect(up.includes(MARKER_ON_WIRE)).toBe(false);
      expect(down.includes(MARKER_ON_WIRE)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('refuses an untrusted certificate at once', async () => {
    const err = await refusedAtOnce(sourceConnection(selfSigned.port, { encrypt: 'strict' }));
    expect(failed(err).type).toBe('SourceCertificateRejected');
  });

  it('is met by a server that requires encryption', async () => {
    expect(await marker(sourceConnection(forced.port, { encrypt: 'strict', caFile: certs.caFile }))).toBe(
      MARKER,
    );
  });
});

describe('a server that requires encryption (Force Encryption)', () => {
  it('refuses encrypt: false clearly and at once, with what to do', async () => {
    const err = await refusedAtOnce(sourceConnection(forced.port, { encrypt: false }));
    expect(err).toMatchObject({ code: 'EENCRYPT' });
    expect(failed(err)).toEqual({
      type: 'SourceEncryptionRequired',
      message:
        "SQL Server requires encryption: Server requires encryption, set 'encrypt' config option to true.",
      hint: expect.stringContaining("set source.encrypt: true (or 'strict')"),
    });
  });

  it('accepts encrypt: true', async () => {
    expect(await marker(sourceConnection(forced.port, { caFile: certs.caFile }))).toBe(MARKER);
  });
});
