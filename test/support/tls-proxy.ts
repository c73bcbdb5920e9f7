/**
 * A TLS-terminating proxy on loopback in front of the dev server's plaintext gRPC port, for the tests of
 * Temporal over TLS and mTLS (`temporal server start-dev` has no TLS options). It speaks only TLS, offers
 * HTTP/2 by ALPN as gRPC clients require, and with `clientCa` demands a client certificate that CA signed,
 * as a Temporal server configured for mutual TLS does.
 */
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsProxy {
  /** host:port to give clients instead of the server's. */
  address: string;
  /** The subject CN of each client certificate the proxy accepted, one per connection. */
  clientNames: string[];
  /** Connections whose TLS handshake succeeded. */
  secureConnections(): number;
  close(): Promise<void>;
}

export async function startTlsProxy(
  target: string,
  options: { cert: string; key: string; clientCa?: string },
): Promise<TlsProxy> {
  const at = target.lastIndexOf(':');
  const [host, port] = [target.slice(0, at), Number(target.slice(at + 1))];
  const sockets = new Set<Socket>();
  const clientNames: string[] = [];
  let secure = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ALPNProtocols: ['h2'],
      ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (client: TLSSocket) => {
      secure += 1;
      if (options.clientCa) clientNames.push(String(client.getPeerCertificate().subject?.CN));
      const upstream = connect(port, host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    },
  );
  // Handshakes the proxy refuses (no client certificate, one it does not trust) end here.
  server.on('tlsClientError', () => undefined);
  server.on('connection', (socket: Socket) => track(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientNames,
    secureConnections: () => secure,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
