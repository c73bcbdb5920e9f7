/**
 * A worker in a process of its own (`src/worker.ts`, exactly as an operator starts it), for the crash
 * test (SIGKILL) and the benchmark (its memory, read from /proc). Both run it compiled (`npm run build`'s
 * `dist/`), as production does; without `compiled` it runs the TypeScript, as `npm run worker` does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker logged that it polls its task queue. */
  ready: Promise<void>;
  /** Resident memory now (VmRSS), in bytes; Linux only. */
  rssBytes(): number;
  /** CPU time used so far (user + system, every thread), in seconds; Linux only. */
  cpuSeconds(): number;
  /** Rejects, with the worker's output, if it exits before kill() was called: a crash mid-run. */
  crashed: Promise<never>;
  kill(signal: NodeJS.Signals): Promise<void>;
  output(): string;
}

const ROOT = join(__dirname, '..');
/** Where `npm run build` (tsconfig.build.json) writes the compiled project. */
const DIST = join(ROOT, 'dist');
const READY_TIMEOUT_MS = 60_000;
/** /proc counts CPU time in USER_HZ ticks, 100 a second on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (utime + stime) of a live process, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Compiles the project into dist/ as `npm run build` does (the workflow bundle apart). */
export async function compileProject(): Promise<void> {
  const tsc = [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'];
  await promisify(execFile)(process.execPath, tsc, { cwd: ROOT }).catch((err: { stdout?: string }) => {
    // tsc prints its errors on stdout.
    throw new Error(
      `Compiling the project (tsc -p tsconfig.build.json) failed:\n${err.stdout ?? String(err)}`,
    );
  });
}

/** How node runs one of the project's scripts: its compiled JavaScript in dist/, or the TypeScript through tsx. */
export function scriptArgs(relativePath: string, compiled: boolean): string[] {
  return compiled
    ? [join(DIST, relativePath.replace(/\.ts$/, '.js'))]
    : ['--require', 'tsx/cjs', join(ROOT, relativePath)];
}

/**
 * `nodeArgs`: extra flags for node itself (for the benchmark's --cpu-prof); `compiled`: run dist/'s
 * worker (compileProject first).
 */
export function spawnWorkerProcess(
  configPath: string,
  env: NodeJS.ProcessEnv,
  options: { nodeArgs?: string[]; compiled?: boolean } = {},
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...scriptArgs('src/worker.ts', options.compiled ?? false),
      '--config',
      configPath,
    ],
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
  let killed = false;
  const crashed = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      if (!killed) reject(new Error(`the worker exited (${code ?? signal}) during the run:\n${output}`));
    }),
  );
  crashed.catch(() => undefined);
  return {
    child,
    ready,
    crashed,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    },
    cpuSeconds: () => processCpuSeconds(child.pid!),
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      killed = true;
      child.kill(signal);
      await exited;
    },
    output: () => output,
  };
}
