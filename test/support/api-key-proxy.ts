/**
 * A TLS-terminating gRPC relay on loopback in front of the dev server's plaintext port that lets through
 * only calls carrying `authorization: Bearer <apiKey>`, as Temporal Cloud does for a namespace with API
 * key authentication (https://docs.temporal.io/cloud/api-keys; the SDK sends the key in that header:
 * https://typescript.temporal.io/api/interfaces/client.ConnectionOptions#apikey). Other calls get gRPC's
 * UNAUTHENTICATED (16, https://grpc.io/docs/guides/status-codes/) without reaching the server. Unlike
 * test/support/tls-proxy.ts it reads HTTP/2, to see the header.
 */
import { once } from 'node:events';
import {
  connect,
  constants,
  createSecureServer,
  type ClientHttp2Session,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface ApiKeyProxy {
  address: string;
  /** Calls refused for a missing or wrong key. */
  refused(): number;
  /** Calls relayed to the server. */
  relayed(): number;
  close(): Promise<void>;
}

const UNAUTHENTICATED = '16';

export async function startApiKeyProxy(
  target: string,
  options: { cert: string; key: string; apiKey: string },
): Promise<ApiKeyProxy> {
  let upstream: ClientHttp2Session | undefined;
  const counts = { refused: 0, relayed: 0 };
  const server = createSecureServer({ cert: options.cert, key: options.key });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    if (headers.authorization !== `Bearer ${options.apiKey}`) {
      counts.refused += 1;
      // A trailers-only response: gRPC's way to fail a call before any message.
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': UNAUTHENTICATED,
          'grpc-message': 'missing or unknown API key',
        },
        { endStream: true },
      );
      return;
    }
    counts.relayed += 1;
    if (!upstream || upstream.destroyed || upstream.closed) {
      upstream = connect(`http://${target}`);
      upstream.on('error', () => undefined);
    }
    const request = upstream.request({ ...headers, ':scheme': 'http' });
    request.on('error', () => stream.destroy());
    stream.pipe(request);
    let trailers = {};
    request.on('trailers', (received) => (trailers = received));
    request.on('response', (received) => {
      const { [constants.HTTP2_HEADER_STATUS]: status, ...rest } = received;
      stream.respond({ ':status': status, ...rest }, { waitForTrailers: true });
      request.pipe(stream);
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    // A call the client cancels (a worker's long poll at shutdown) is cancelled upstream too.
    stream.on('close', () => request.close());
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => counts.refused,
    relayed: () => counts.relayed,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const session of sessions) session.destroy();
      upstream?.destroy();
      await closed;
    },
  };
}
