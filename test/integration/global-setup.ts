/**
 * Starts ONE real Temporal dev server (the official `temporal` CLI) for the whole integration suite and
 * bundles the workflow code once. Tests find both through environment variables (see test/support/temporal.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { MIGRATION_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import { TEST_ENV } from '../support/temporal';

export default async function globalSetup(): Promise<void> {
  // See test/support/driver-env.ts; set here too for workers started from this process.
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
  const cli = await ensureTemporalCli((line) => process.stderr.write(`\n${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'migrator-integration-'));
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.executable,
      dbFilename: join(dir, 'temporal.sqlite'),
      searchAttributes: [...MIGRATION_SEARCH_ATTRIBUTES],
      ui: false,
    },
  });
  // Kept for global teardown, which runs in this same context even when tests fail.
  (globalThis as Record<string, unknown>).__migratorTemporalEnv = env;

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  process.env[TEST_ENV.address] = env.address;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.dir] = dir;
}
