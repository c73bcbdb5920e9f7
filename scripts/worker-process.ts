/**
 * A worker in a process of its own (`src/worker.ts`, exactly as an operator starts it), for the crash
 * test (SIGKILL) and the benchmark (its memory, read from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker logged that it polls its task queue. */
  ready: Promise<void>;
  /** Resident memory now (VmRSS), in bytes; Linux only. */
  rssBytes(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
  output(): string;
}

const ROOT = join(__dirname, '..');
const READY_TIMEOUT_MS = 60_000;

export function spawnWorkerProcess(configPath: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(ROOT, 'src', 'worker.ts'), '--config', configPath],
    {
      cwd: ROOT,
      // Readiness is read from the worker's "worker started" log line, which is logged at info.
      env: { ...process.env, ...env, MIGRATOR_WORKER__LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the worker did not start within ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before it started:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
    output: () => output,
  };
}
