/**
 * One TLS connection to Temporal opened with Node's TLS client, to learn why a connection is refused:
 * the same CA, client certificate and server name as the SDK's connection, ALPN h2 as gRPC requires, then
 * the HTTP/2 client preface. The server's first frame (its SETTINGS) means it accepted this client: with
 * TLS 1.3 a server refuses a client certificate, or its absence, only after the client has finished its
 * side of the handshake, so the handshake alone does not tell
 * (https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2.4).
 */
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TLSConfig } from '@temporalio/client';
import type { TlsProbeFailure } from './temporal-tls-refusal';

/** RFC 9113 section 3.4: the client connection preface, then an empty SETTINGS frame. */
const HTTP2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0]),
]);

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}

/** Undefined when the server answered; else how the connection ended (code ETIMEDOUT after `timeoutMs`). */
export function probeTls(
  address: string,
  tls: TLSConfig,
  timeoutMs: number,
): Promise<TlsProbeFailure | undefined> {
  const { host, port } = hostAndPort(address);
  const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  return new Promise((resolve) => {
    let handshakeDone = false;
    const socket = connect({
      host,
      port,
      ALPNProtocols: ['h2'],
      ...(servername ? { servername } : {}),
      ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
      ...(tls.clientCertPair
        ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) }
        : {}),
    });
    const end = (failure: TlsProbeFailure | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(failure);
    };
    const timer = setTimeout(
      () =>
        end({ code: 'ETIMEDOUT', message: `no answer in ${timeoutMs} ms`, afterHandshake: handshakeDone }),
      timeoutMs,
    );
    socket.once('secureConnect', () => {
      handshakeDone = true;
      socket.write(HTTP2_PREFACE);
    });
    socket.once('data', () => end(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      end({ code: err.code, message: err.message, afterHandshake: handshakeDone }),
    );
    socket.once('close', () =>
      end({ code: 'closed', message: 'the server closed the connection', afterHandshake: handshakeDone }),
    );
  });
}
