/**
 * Bundles the workflow code once (webpack, as the worker would at start-up) into a file a worker can
 * load with `worker.workflowBundle`: faster worker starts and no bundler in the worker's memory.
 * Usage: npm run build:workflows [-- <output file>]   (default dist/workflow-bundle.js)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export async function writeWorkflowBundle(output: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, code);
  return output;
}

if (require.main === module) {
  const output = resolve(process.argv[2] ?? join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  writeWorkflowBundle(output)
    .then((path) => console.log(`workflow bundle written to ${path}`))
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
