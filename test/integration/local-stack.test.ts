/**
 * The local stack behind the demo and the benchmark: how it finds (or refuses) the ports it needs.
 *
 * The fresh-machine demo failure: the demo probes the Temporal port before any server exists, then
 * starts one (after building the CLI) and connects. With a gRPC probe, grpc-js kept retrying the probe's
 * subchannel with a growing backoff and the real connection, sharing it, missed its deadline.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { parse } from 'yaml';
import { startLocalStack } from '../../scripts/local-stack';
import { portClaimFile } from '../../scripts/port-claim';
import { isListening } from '../../scripts/port-probe';
import { temporalAddress } from '../support/temporal';

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

describe('startLocalStack', () => {
  let dataDir: string;
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-stack-'));
    logged.length = 0;
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function occupy(port: number): Promise<NetServer> {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return server;
  }

  it('refuses a Temporal port taken by something else, and a busy Web UI port, saying which option to use', async () => {
    const port = await freePort();
    const squatter = await occupy(port);
    try {
      await expect(
        startLocalStack({ dataDir, log, temporal: { port, uiPort: await freePort(), ui: true } }),
      ).rejects.toThrow(
        `Port ${port} is in use by something that is not a Temporal server: choose another port (--temporal-port).`,
      );
      await expect(
        startLocalStack({ dataDir, log, temporal: { port: await freePort(), uiPort: port, ui: true } }),
      ).rejects.toThrow(
        `Port ${port} for the Temporal Web UI is in use (another demo?): choose another port (--ui-port).`,
      );
    } finally {
      squatter.close();
    }
  });

  it('refuses a port another live demo claimed, and takes over a claim left by a process that is gone', async () => {
    const port = await freePort();
    writeFileSync(portClaimFile(port), String(process.pid));
    try {
      await expect(startLocalStack({ dataDir, log, temporal: { port, ui: false } })).rejects.toThrow(
        `Another demo (pid ${process.pid}) uses Temporal port ${port} and stops its server when it ends: ` +
          'wait for it, or give this one other ports (--temporal-port, --ui-port).',
      );
      writeFileSync(portClaimFile(port), '2147483646'); // no such process
      const squatter = await occupy(port);
      try {
        // Past the claim, the stack finds the port taken by something that is not Temporal.
        await expect(startLocalStack({ dataDir, log, temporal: { port, ui: false } })).rejects.toThrow(
          `Port ${port} is in use by something that is not a Temporal server`,
        );
      } finally {
        squatter.close();
      }
      expect(existsSync(portClaimFile(port))).toBe(false);
    } finally {
      rmSync(portClaimFile(port), { force: true });
    }
  });

  it('on a Temporal server it did not start, uses a task queue of its own and says so', async () => {
    const port = Number(temporalAddress().split(':').at(-1));
    const stack = await startLocalStack({ dataDir, log, temporal: { port, ui: false } });
    try {
      const config = parse(readFileSync(stack.writeConfig('shared', { tables: ['dbo.t'] }), 'utf8')) as {
        temporal: { taskQueue: string };
      };
      expect(config.temporal.taskQueue).toMatch(/^local-[a-z0-9]+$/);
      expect(logged).toContain(
        `Using the Temporal server already listening on 127.0.0.1:${port} (not started here), with this run's own task queue ${config.temporal.taskQueue}.`,
      );
    } finally {
      await stack.stop();
    }
  });
});
