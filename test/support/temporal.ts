/** Access, from integration tests, to the dev server and workflow bundle made once by global setup. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

/** Not MIGRATOR_*: that prefix overrides config fields (src/config/load.ts), also in child workers. */
export const TEST_ENV = {
  address: 'INTEGRATION_TEMPORAL_ADDRESS',
  bundle: 'INTEGRATION_WORKFLOW_BUNDLE',
  dir: 'INTEGRATION_TEST_DIR',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run this test through jest's integration project (npm test).`);
  return value;
}

export function temporalAddress(): string {
  return required(TEST_ENV.address);
}

export function workflowBundle(): { code: string } {
  return { code: readFileSync(required(TEST_ENV.bundle), 'utf8') };
}

export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export async function connectClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Runs `fn` while a worker with the shared workflow bundle polls `taskQueue`, then shuts the worker down. */
export async function withWorker<T>(
  options: Pick<WorkerOptions, 'taskQueue' | 'activities'> & Partial<WorkerOptions>,
  fn: () => Promise<T>,
): Promise<T> {
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  try {
    const worker = await Worker.create({ connection, workflowBundle: workflowBundle(), ...options });
    return await worker.runUntil(fn);
  } finally {
    await connection.close();
  }
}
