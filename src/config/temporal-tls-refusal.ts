/**
 * Which side of a TLS connection to Temporal refused what, in words with what to do, from what Node's TLS
 * client reported (src/config/temporal-tls-probe.ts). The Temporal SDKs' own errors do not say: the CLI's
 * client (grpc-js) reports only "Failed to connect before the deadline" after its connect timeout.
 * Codes: OpenSSL's verification results as Node names them
 * (https://nodejs.org/api/tls.html#x509-certificate-error-codes) and TLS alerts from the server
 * (https://www.rfc-editor.org/rfc/rfc8446#section-6.2: certificate_required, bad_certificate, unknown_ca).
 */
import type { TemporalConfig } from './schema';

/** How a probe connection ended without the server's first HTTP/2 frame. */
export interface TlsProbeFailure {
  code?: string;
  message: string;
  /** The handshake had completed on this side: the server hung up afterwards. */
  afterHandshake: boolean;
}

/** The server's certificate chain does not lead to a CA this client trusts. */
const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const OUT_OF_DATE_SERVER = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/** Alerts by which a server refuses the client's certificate, or its absence. */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
]);
/** A plaintext server answering a TLS ClientHello. */
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/** OpenSSL's messages carry a source path after the reason: keep the reason. */
function reason(failure: TlsProbeFailure): string {
  const openssl = /:SSL routines:[^:]*:([^:]+):/.exec(failure.message);
  return `${failure.code ?? 'error'}: ${openssl ? openssl[1] : failure.message.split('\n')[0]}`;
}

/**
 * The message for a refused TLS connection, or undefined when the failure is not about TLS (refused,
 * unresolved, timed out: those are told as "cannot reach").
 */
export function describeTlsRefusal(failure: TlsProbeFailure, config: TemporalConfig): string | undefined {
  const { address } = config;
  const tls = config.tls ?? {};
  const code = failure.code ?? '';
  const signer = tls.caFile
    ? `the CA in temporal.tls.caFile (${tls.caFile}) did not sign it`
    : 'no CA this machine trusts signed it (temporal.tls.caFile is not set)';
  const clientCertificate = tls.clientCertFile ? `temporal.tls.clientCertFile (${tls.clientCertFile})` : '';
  if (UNTRUSTED_SERVER.has(code))
    return (
      `Temporal's TLS certificate at ${address} was refused (${reason(failure)}): ${signer}. ` +
      "What to do: name the CA that signed the server's certificate in temporal.tls.caFile (PEM)."
    );
  if (OUT_OF_DATE_SERVER.has(code))
    return (
      `Temporal's TLS certificate at ${address} was refused (${reason(failure)}): it is not valid at this time. ` +
      "What to do: have the server's certificate renewed (or check this machine's clock)."
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return (
      `Temporal's TLS certificate at ${address} was refused (${reason(failure)}). ` +
      'What to do: connect by a name the certificate carries (temporal.address), or give that name in temporal.tls.serverName.'
    );
  if (NOT_TLS.has(code))
    return (
      `Temporal at ${address} does not answer in TLS (${reason(failure)}). ` +
      'What to do: check the port in temporal.address; for a server without TLS, remove temporal.tls (and temporal.apiKey).'
    );
  const hungUp = failure.afterHandshake && ['ECONNRESET', 'EPIPE', 'closed'].includes(code);
  if (!CLIENT_CERTIFICATE_ALERTS.has(code) && !(hungUp && clientCertificate)) return undefined;
  if (!clientCertificate)
    return (
      `Temporal at ${address} requires a client certificate (mutual TLS) and none was given (${reason(failure)}). ` +
      'What to do: set temporal.tls.clientCertFile and temporal.tls.clientKeyFile to a certificate and its key ' +
      'signed by a CA the server trusts for clients (for Temporal Cloud: the CA certificate registered with the namespace).'
    );
  return (
    (hungUp
      ? `Temporal at ${address} closed the connection right after the TLS handshake, before answering: servers ` +
        `do so when they do not accept the client certificate, here ${clientCertificate}. `
      : `Temporal at ${address} refused the client certificate in ${clientCertificate} (${reason(failure)}). `) +
    'What to do: use a certificate signed by a CA the server trusts for clients (for Temporal Cloud: the CA ' +
    'certificate registered with the namespace), not expired, with its key in temporal.tls.clientKeyFile.'
  );
}
