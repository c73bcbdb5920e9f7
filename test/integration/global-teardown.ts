import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TEST_ENV } from '../support/temporal';

export default async function globalTeardown(): Promise<void> {
  const env = (globalThis as Record<string, unknown>).__migratorTemporalEnv as
    TestWorkflowEnvironment | undefined;
  await env?.teardown();
  const dir = process.env[TEST_ENV.dir];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
