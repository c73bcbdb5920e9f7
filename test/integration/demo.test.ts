/**
 * `npm run demo` as a first-time user runs it: to the end, quietly (the Web UI's address once, no
 * banners or warnings of the tools underneath); and stopped by a signal, it stops what it started. The
 * Temporal dev server is a process of its own: a demo that ended abruptly (npm's shell, or tsx's relay
 * killing a busy child, ended it without its clean-up) left the server and its Web UI running.
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

/** `npm run demo` on free ports with a small sample, its output collected. */
async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const args = ['--temporal-port', `${port}`, '--ui-port', `${uiPort}`, '--data-dir', dataDir];
  const demo = spawn('npm', ['run', 'demo', '--', ...args, '--customers', '100', '--orders', '100'], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  demo.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  const stop = () => {
    if (demo.exitCode === null) demo.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { demo, port, uiPort, output, exited, stop };
}

it('runs to the end and says each thing once: the Web UI address, no banners or warnings', async () => {
  const { uiPort, output, exited, stop } = await startDemo();
  try {
    expect(await exited).toBe(0);
    const all = `${output.stdout}${output.stderr}`;
    expect(all.split(`:${uiPort}`).length - 1).toBe(1);
    expect(all).not.toContain('0.0.0-DEV');
    expect(all).not.toMatch(/NodeVersionSupportWarning|ExperimentalWarning|DeprecationWarning/);
    expect(all).toMatch(/succeeded/i);
  } finally {
    stop();
  }
});

it('SIGTERM to npm run demo stops the Temporal dev server, its Web UI and the demo', async () => {
  const { demo, port, uiPort, output, exited, stop } = await startDemo();
  try {
    // The dev server is up once the demo seeds the SQL Server stand-in.
    while (!output.stderr.includes('Seeding the SQL Server stand-in')) {
      if (demo.exitCode !== null) throw new Error(`The demo ended before seeding:\n${output.stderr}`);
      await sleep(100);
    }
    expect(await isListening('127.0.0.1', port)).toBe(true);
    expect(await isListening('127.0.0.1', uiPort)).toBe(true);
    // Without the dev server's own banner ("CLI 0.0.0-DEV", its addresses): the demo prints the run's link.
    expect(`${output.stdout}${output.stderr}`).not.toContain('0.0.0-DEV');
    demo.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(output.stderr).toContain('SIGTERM: stopping what the demo started...');
    expect(await closedWithin(port, 30_000)).toBe(true);
    expect(await closedWithin(uiPort, 5_000)).toBe(true);
  } finally {
    stop();
  }
});
