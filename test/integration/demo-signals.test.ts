/**
 * `npm run demo` stopped by a signal stops what it started. The Temporal dev server is a process of its
 * own: a demo that ended abruptly (npm's shell, or tsx's relay killing a busy child, ended it without its
 * clean-up) left the server and its Web UI running on their ports.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isListening } from '../../scripts/port-probe';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function closedWithin(port: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    if (!(await isListening('127.0.0.1', port))) return true;
  }
  return false;
}

it('SIGTERM to npm run demo stops the Temporal dev server, its Web UI and the demo', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-signals-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const args = ['--temporal-port', `${port}`, '--ui-port', `${uiPort}`, '--data-dir', dataDir];
  const demo = spawn('npm', ['run', 'demo', '--', ...args, '--customers', '100', '--orders', '100'], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  try {
    // The dev server is up once the demo seeds the SQL Server stand-in.
    while (!stderr.includes('Seeding the SQL Server stand-in')) {
      if (demo.exitCode !== null) throw new Error(`The demo ended before seeding:\n${stderr}`);
      await sleep(100);
    }
    expect(await isListening('127.0.0.1', port)).toBe(true);
    expect(await isListening('127.0.0.1', uiPort)).toBe(true);
    // Without the dev server's own banner ("CLI 0.0.0-DEV", its addresses): the demo prints the run's link.
    expect(`${stdout}${stderr}`).not.toContain('0.0.0-DEV');
    demo.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('SIGTERM: stopping what the demo started...');
    expect(await closedWithin(port, 30_000)).toBe(true);
    expect(await closedWithin(uiPort, 5_000)).toBe(true);
  } finally {
    if (demo.exitCode === null) demo.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
