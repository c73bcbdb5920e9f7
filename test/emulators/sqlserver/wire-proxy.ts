/** A TCP proxy in front of a stand-in that keeps every byte both ways: what an eavesdropper sees. */
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';

export interface RecordingProxy {
  port: number;
  /** Bytes from the client (up) and from the server (down), so far. */
  wire(): { up: Buffer; down: Buffer };
  close(): Promise<void>;
}

export async function recordingProxy(port: number): Promise<RecordingProxy> {
  const up: Buffer[] = [];
  const down: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => up.push(d));
    upstream.on('data', (d: Buffer) => down.push(d));
    client.pipe(upstream).on('error', () => client.destroy());
    upstream.pipe(client).on('error', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    wire: () => ({ up: Buffer.concat(up), down: Buffer.concat(down) }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
