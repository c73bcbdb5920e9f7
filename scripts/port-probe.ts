/**
 * Whether a server listens on host:port, found with a plain TCP connect that is closed at once.
 *
 * Not with a gRPC connection: a failed `Connection.connect` leaves its subchannel in grpc-js' process-wide
 * pool, retrying with a backoff that grows to 120 s. A later connection to the same address shares that
 * subchannel and waits out the backoff, so a server started meanwhile (the dev server after a 4-minute CLI
 * build) was reported as "Failed to connect before the deadline".
 */
import { connect } from 'node:net';

export function isListening(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
