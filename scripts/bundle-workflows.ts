/**
 * Bundles the workflow code once (webpack, as the worker would at start-up) into a file a worker can
 * load with `worker.workflowBundle`: faster worker starts and no bundler in the worker's memory.
 * `--tracing` bundles the OpenTelemetry workflow interceptors too, for workers with
 * worker.tracing.otlpEndpoint: a worker cannot add them to a prebuilt bundle
 * (https://github.com/temporalio/samples-typescript/tree/main/interceptors-opentelemetry).
 * Usage: npm run build:workflows [-- [--tracing] <output file>]   (default dist/workflow-bundle.js)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACING_WORKFLOW_MODULES } from '../src/tracing';

export async function writeWorkflowBundle(
  output: string,
  options: { tracing?: boolean } = {},
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    ...(options.tracing ? { workflowInterceptorModules: TRACING_WORKFLOW_MODULES } : {}),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, code);
  return output;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const tracing = args.includes('--tracing');
  const file = args.find((arg) => arg !== '--tracing');
  const output = resolve(file ?? join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  writeWorkflowBundle(output, { tracing })
    .then((path) => console.log(`workflow bundle${tracing ? ' (with tracing)' : ''} written to ${path}`))
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
