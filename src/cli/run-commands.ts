/** The commands that start and steer runs through Temporal. */
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { loadConfigFile } from '../config/load';
import type { RunSummary } from '../contracts/run';
import { renderMarkdown } from '../report/render';
import type { migrateTables } from '../workflows';
import { pauseSignal, progressQuery, resumeSignal, type RunProgress } from '../workflows/messages';
import {
  MIGRATION_ROWS_COPIED,
  MIGRATION_STATUS,
  MIGRATION_TABLES,
  MIGRATION_TARGET,
} from '../workflows/search-attributes';
import { exitCodeFor, runOutcome } from './outcome';
import { createProgressView } from './progress-view';
import { buildRunInput, newRunTag, runLabels, workflowIdFor } from './run-input';
import { connectTemporal, temporalConfigFrom, webUiLink, type ConnectedClient } from './temporal-client';

export interface ConnectionFlags {
  config?: string;
  address?: string;
  namespace?: string;
}

async function withClient<T>(
  flags: ConnectionFlags,
  work: (connected: ConnectedClient) => Promise<T>,
): Promise<T> {
  const connected = await connectTemporal(temporalConfigFrom(flags));
  try {
    return await work(connected);
  } finally {
    await connected.close();
  }
}

async function existingHandle(connected: ConnectedClient, workflowId: string): Promise<WorkflowHandle> {
  const handle = connected.client.workflow.getHandle(workflowId);
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new Error(
        `No run with the workflow id ${workflowId} in namespace ${connected.config.namespace}.`,
      );
    throw err;
  }
  return handle;
}

/** Shows live progress until the run closes, then prints the summary; returns the exit code. */
async function watch(handle: WorkflowHandle, out: NodeJS.WritableStream): Promise<number> {
  const view = createProgressView();
  try {
    for (;;) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) view.update(progress);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING' && status.name !== 'CONTINUED_AS_NEW') break;
      await sleep(1_000);
    }
  } finally {
    view.stop();
  }
  const summary = await runOutcome(handle);
  printSummary(summary, out);
  return exitCodeFor(summary);
}

function printSummary(summary: RunSummary, out: NodeJS.WritableStream): void {
  out.write(`\n${renderMarkdown(summary)}`);
  if (summary.reportFiles?.length)
    out.write(`\nReport files (on the worker): ${summary.reportFiles.join(', ')}\n`);
}

export async function startRun(
  options: { config: string; wait?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const config = loadConfigFile(options.config);
  const runTag = newRunTag();
  const workflowId = workflowIdFor(runTag, new Date());
  const labels = runLabels(config);
  return withClient({ config: options.config }, async (connected) => {
    await connected.client.workflow.start<typeof migrateTables>('migrateTables', {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [buildRunInput(config, runTag)],
      memo: labels.memo,
      staticSummary: labels.summary,
      typedSearchAttributes: [
        { key: MIGRATION_STATUS, value: 'running' },
        { key: MIGRATION_TABLES, value: config.migration.tables.map((t) => t.source) },
        { key: MIGRATION_TARGET, value: `${config.target.database}.${config.target.schema}` },
        { key: MIGRATION_ROWS_COPIED, value: 0 },
      ],
    });
    out.write(`Started ${workflowId}\nWeb UI: ${webUiLink(connected.config, workflowId)}\n`);
    if (!options.wait) {
      out.write(`Follow it with: npm run migrate -- status ${workflowId}\n`);
      return 0;
    }
    return watch(connected.client.workflow.getHandle(workflowId), out);
  });
}

function describeProgress(progress: RunProgress): string {
  const lines = [`status: ${progress.status}${progress.paused ? ' (paused)' : ''}`, progress.line];
  for (const t of progress.tables) {
    lines.push(
      `  ${t.source} -> ${t.target}: ${t.state}, ${t.batchesDone}/${Math.max(t.batchesPlanned, t.batchesEstimated)} batches, ` +
        `${t.rowsCopied.toLocaleString('en-US')}/${t.rowsEstimated.toLocaleString('en-US')} rows, ${t.rowsPerSecond.toLocaleString('en-US')} rows/s`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function status(
  workflowId: string,
  flags: ConnectionFlags,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  return withClient(flags, async (connected) => {
    const handle = await existingHandle(connected, workflowId);
    const description = await handle.describe();
    out.write(
      `${workflowId}: ${description.status.name}\nWeb UI: ${webUiLink(connected.config, workflowId)}\n`,
    );
    const progress = await handle.query(progressQuery).catch(() => undefined);
    out.write(
      progress ? describeProgress(progress) : '(no worker answered the progress query: is one running?)\n',
    );
    return 0;
  });
}

export function signal(
  workflowId: string,
  what: 'pause' | 'resume',
  flags: ConnectionFlags,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  return withClient(flags, async (connected) => {
    const handle = await existingHandle(connected, workflowId);
    await handle.signal(what === 'pause' ? pauseSignal : resumeSignal);
    out.write(
      what === 'pause'
        ? `Pause sent: ${workflowId} starts no new batch until resumed (running batches finish).\n`
        : `Resume sent: ${workflowId} goes on.\n`,
    );
    return 0;
  });
}

export function cancel(
  workflowId: string,
  options: ConnectionFlags & { wait?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  return withClient(options, async (connected) => {
    const handle = await existingHandle(connected, workflowId);
    await handle.cancel();
    out.write(
      `Cancellation requested for ${workflowId}: running batches stop, then what the run created is rolled back.\n`,
    );
    return options.wait ? watch(handle, out) : 0;
  });
}

export function report(
  workflowId: string,
  options: ConnectionFlags & { json?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  return withClient(options, async (connected) => {
    const handle = await existingHandle(connected, workflowId);
    const { status: state } = await handle.describe();
    if (state.name === 'RUNNING') {
      out.write(`${workflowId} is still running; its report is written when it ends. Progress:\n`);
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) out.write(describeProgress(progress));
      return 0;
    }
    const summary = await runOutcome(handle);
    if (options.json) out.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printSummary(summary, out);
    return exitCodeFor(summary);
  });
}
