/**
 * The Temporal connection's TLS and API key options as the SDK receives them, and the words for each way a
 * TLS connection is refused (test/integration/temporal-tls.test.ts meets them on real handshakes).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/config/load';
import { TemporalConfigSchema } from '../../../src/config/schema';
import { temporalConnectFailure, temporalConnectionOptions } from '../../../src/config/temporal-connection';
import { describeTlsRefusal, type TlsProbeFailure } from '../../../src/config/temporal-tls-refusal';

const minimal = {
  source: { server: 'sql.example.com', database: 'Sales', user: 'migrator' },
  target: { account: 'xy12345.eu-central-1', user: 'MIGRATOR' },
};

const ADDRESS = 'temporal.example.com:7233';
const temporal = (tls?: Record<string, string>) => TemporalConfigSchema.parse({ address: ADDRESS, tls });

describe('Temporal connection options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-unit-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('passes the CA, the client certificate pair and the server name to the SDK', () => {
    const config = temporal({
      caFile: file('ca.pem', 'CA PEM'),
      clientCertFile: file('client.pem', 'CLIENT PEM'),
      clientKeyFile: file('client.key', 'CLIENT KEY'),
      serverName: 'frontend.internal',
    });
    const { tls } = temporalConnectionOptions(config, {});
    expect(tls).toEqual({
      serverNameOverride: 'frontend.internal',
      serverRootCACertificate: Buffer.from('CA PEM'),
      clientCertPair: { crt: Buffer.from('CLIENT PEM'), key: Buffer.from('CLIENT KEY') },
    });
  });

  it('turns TLS on with the system CAs for an API key, read from the environment or a file', () => {
    const fromEnv = TemporalConfigSchema.parse({ address: ADDRESS, apiKey: {} });
    expect(temporalConnectionOptions(fromEnv, { TEMPORAL_API_KEY: 'key-from-env' })).toEqual({
      address: ADDRESS,
      tls: true,
      apiKey: 'key-from-env',
    });
    const fromFile = TemporalConfigSchema.parse({
      address: ADDRESS,
      apiKey: { file: file('api-key', 'key-from-file\n') },
      tls: {},
    });
    expect(temporalConnectionOptions(fromFile, {})).toEqual({
      address: ADDRESS,
      tls: {},
      apiKey: 'key-from-file',
    });
  });

  it('says which variable a missing API key belongs in', () => {
    const config = TemporalConfigSchema.parse({ address: ADDRESS, apiKey: {} });
    expect(() => temporalConnectionOptions(config, {})).toThrow(
      'The Temporal API key is missing: set the environment variable TEMPORAL_API_KEY (or name a file holding it with { file: <path> } in the config).',
    );
  });

  it('refuses an API key written into the config, without repeating it', () => {
    let message = '';
    try {
      parseConfig({ ...minimal, temporal: { apiKey: 'tcld-secret-key' } }, 'c.yaml', {});
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('- temporal.apiKey: secrets never go in the config file');
    expect(message).not.toContain('tcld-secret-key');
  });

  it('names the field of a TLS file it cannot read', () => {
    const config = temporal({ caFile: join(dir, 'missing.pem') });
    expect(() => temporalConnectionOptions(config, {})).toThrow(ConfigError);
    expect(() => temporalConnectionOptions(config, {})).toThrow(
      `temporal.tls.caFile: cannot read ${join(dir, 'missing.pem')}: ENOENT: no such file or directory`,
    );
  });

  it('refuses a client certificate without its key', () => {
    expect(() =>
      parseConfig({ ...minimal, temporal: { tls: { clientCertFile: '/etc/client.pem' } } }, 'c.yaml', {}),
    ).toThrow(
      '- temporal.tls: clientCertFile and clientKeyFile go together: give both for mutual TLS, or neither',
    );
  });
});

describe('a refused TLS connection to Temporal, in words', () => {
  const failure = (code: string, message: string, afterHandshake = false): TlsProbeFailure => ({
    code,
    message,
    afterHandshake,
  });
  const unknownIssuer = failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate');

  it("a server certificate no trusted CA signed, naming the CA file or the system's CAs", () => {
    expect(describeTlsRefusal(unknownIssuer, temporal({ caFile: '/etc/other-ca.pem' }))).toBe(
      `Temporal's TLS certificate at ${ADDRESS} was refused (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify ` +
        'the first certificate): the CA in temporal.tls.caFile (/etc/other-ca.pem) did not sign it. ' +
        "What to do: name the CA that signed the server's certificate in temporal.tls.caFile (PEM).",
    );
    expect(describeTlsRefusal(unknownIssuer, temporal({}))).toContain(
      ': no CA this machine trusts signed it (temporal.tls.caFile is not set). ',
    );
    expect(
      describeTlsRefusal(
        failure('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
        temporal({}),
      ),
    ).toMatch(/^Temporal's TLS certificate at .* was refused \(SELF_SIGNED_CERT_IN_CHAIN: /);
  });

  it('a certificate for other names, and an expired one', () => {
    const altName = failure(
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames: Host: example.com. is not in the cert's altnames: DNS:localhost",
    );
    expect(describeTlsRefusal(altName, temporal({}))).toBe(
      `Temporal's TLS certificate at ${ADDRESS} was refused (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not ` +
        "match certificate's altnames: Host: example.com. is not in the cert's altnames: DNS:localhost). " +
        'What to do: connect by a name the certificate carries (temporal.address), or give that name in temporal.tls.serverName.',
    );
    expect(
      describeTlsRefusal(failure('CERT_HAS_EXPIRED', 'certificate has expired'), temporal({})),
    ).toContain('was refused (CERT_HAS_EXPIRED: certificate has expired): it is not valid at this time.');
  });

  it('a client certificate required and not given, by the TLS 1.3 and the TLS 1.2 alert', () => {
    const required = failure(
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      '80FCEA88607F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n',
      true,
    );
    expect(describeTlsRefusal(required, temporal({ caFile: '/etc/ca.pem' }))).toBe(
      `Temporal at ${ADDRESS} requires a client certificate (mutual TLS) and none was given ` +
        '(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: tlsv13 alert certificate required). What to do: set ' +
        'temporal.tls.clientCertFile and temporal.tls.clientKeyFile to a certificate and its key signed by a CA ' +
        'the server trusts for clients (for Temporal Cloud: the CA certificate registered with the namespace).',
    );
    const bad = failure(
      'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
      'x:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:y',
    );
    expect(describeTlsRefusal(bad, temporal({}))).toContain(
      'requires a client certificate (mutual TLS) and none was given',
    );
  });

  it('a client certificate refused, by an alert or by hanging up after the handshake', () => {
    const config = temporal({ clientCertFile: '/etc/client.pem', clientKeyFile: '/etc/client.key' });
    const unknownCa = failure(
      'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
      'x:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:y',
    );
    expect(describeTlsRefusal(unknownCa, config)).toBe(
      `Temporal at ${ADDRESS} refused the client certificate in temporal.tls.clientCertFile (/etc/client.pem) ` +
        '(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: tlsv1 alert unknown ca). What to do: use a certificate signed by a CA ' +
        'the server trusts for clients (for Temporal Cloud: the CA certificate registered with the namespace), ' +
        'not expired, with its key in temporal.tls.clientKeyFile.',
    );
    expect(describeTlsRefusal(failure('closed', 'the server closed the connection', true), config)).toMatch(
      /^Temporal at \S+ closed the connection right after the TLS handshake, before answering: servers do so when they do not accept the client certificate, here temporal\.tls\.clientCertFile \(\/etc\/client\.pem\)\. What to do: /,
    );
  });

  it('a server that does not speak TLS', () => {
    const plain = failure(
      'ERR_SSL_WRONG_VERSION_NUMBER',
      '808C080C507F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
    );
    expect(describeTlsRefusal(plain, temporal({}))).toBe(
      `Temporal at ${ADDRESS} does not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER: wrong version number). ` +
        'What to do: check the port in temporal.address; for a server without TLS, remove temporal.tls (and temporal.apiKey).',
    );
  });

  it('leaves what is not a refusal to the "cannot reach" message', () => {
    const config = temporal({});
    expect(
      describeTlsRefusal(failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:7233'), config),
    ).toBeUndefined();
    expect(
      describeTlsRefusal(failure('ENOTFOUND', 'getaddrinfo ENOTFOUND temporal'), config),
    ).toBeUndefined();
    expect(describeTlsRefusal(failure('ETIMEDOUT', 'no answer in 5000 ms', true), config)).toBeUndefined();
    // Hanging up without a client certificate given says nothing certain.
    expect(
      describeTlsRefusal(failure('closed', 'the server closed the connection', true), config),
    ).toBeUndefined();
  });
});

describe('credentials Temporal refuses (gRPC UNAUTHENTICATED)', () => {
  // As the CLI's client (grpc-js) and the worker's SDK (Rust) report the same refusal.
  const fromClient = Object.assign(new Error('Failed to connect to Temporal server'), {
    cause: { code: 16, details: 'Request unauthorized.' },
  });
  const fromWorker = new Error(
    'Failed to call GetSystemInfo: code: \'The request does not have valid authentication credentials\', message: "Request unauthorized."',
  );

  it('names where the refused API key came from, for both SDK clients', () => {
    const config = TemporalConfigSchema.parse({ address: ADDRESS, namespace: 'prod.a1b2c', apiKey: {} });
    const expected =
      `Temporal at ${ADDRESS} refused the API key in the environment variable TEMPORAL_API_KEY (UNAUTHENTICATED: ` +
      'Request unauthorized.). What to do: use a key of a user or service account with access to namespace prod.a1b2c, ' +
      'neither expired nor disabled, and the endpoint for API keys in temporal.address (Temporal Cloud: ' +
      '<region>.<cloud provider>.api.temporal.io:7233).';
    expect(temporalConnectFailure(config, fromClient).message).toBe(expected);
    expect(temporalConnectFailure(config, fromWorker).message).toBe(expected);
  });

  it('says what to set when no credentials were configured', () => {
    expect(temporalConnectFailure(temporal({}), fromClient).message).toBe(
      `Temporal at ${ADDRESS} requires credentials this client did not send (UNAUTHENTICATED: Request unauthorized.). ` +
        'What to do: for a namespace with API key authentication, set temporal.apiKey (the key in TEMPORAL_API_KEY); ' +
        'for one with mutual TLS, temporal.tls.clientCertFile and temporal.tls.clientKeyFile.',
    );
  });

  it('leaves other failures to "cannot reach"', () => {
    expect(
      temporalConnectFailure(
        temporal({}),
        new Error(
          'tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))',
        ),
      ).message,
    ).toMatch(/^Cannot reach Temporal at temporal\.example\.com:7233: connection refused\. /);
  });
});
