/**
 * The fresh-machine demo failure: the demo probes the Temporal port before any server exists, then
 * starts one (after building the CLI) and connects. With a gRPC probe, grpc-js kept retrying the probe's
 * subchannel with a growing backoff and the real connection, sharing it, missed its deadline.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { isListening } from '../../scripts/port-probe';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('a probe with nothing listening does not delay the connection to a server started later', async () => {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const probedAt = Date.now();
  expect(await isListening('127.0.0.1', port)).toBe(false);
  // grpc-js' reconnect delays are 1 s, then x1.6 with ±20 % jitter: 19.5 s after a gRPC probe its
  // subchannel has made its 5th retry (by 18.8 s at the latest) and waits for the 6th (21.2 s at the
  // earliest), so a gRPC probe would make the connection below miss its 1.5 s deadline.
  await sleep(19_500 - (Date.now() - probedAt));
  // Any gRPC server will do: Connection.connect accepts UNIMPLEMENTED for its GetSystemInfo call.
  const server = new Server();
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  try {
    const connection = await Connection.connect({ address, connectTimeout: '1.5 seconds' });
    await connection.close();
  } finally {
    server.forceShutdown();
  }
});
