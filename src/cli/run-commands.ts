/** The commands that start and steer runs through Temporal. */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import { loadConfigFile } from '../config/load';
import type { TableConfig } from '../config/schema';
import type { TableProgress } from '../contracts/progress';
import type { RunSummary } from '../contracts/outcomes';
import { renderMarkdown } from '../report/render';
import type { migrateTables } from '../workflows';
import { cutoverSignal, pauseSignal, resumeSignal, type RunProgress } from '../workflows/messages';
import {
  MIGRATION_ROWS_COPIED,
  MIGRATION_STATUS,
  MIGRATION_TABLES,
  MIGRATION_TARGET,
} from '../workflows/search-attributes';
import { followUp } from './command';
import { EXIT_CODES, exitCodeFor, RunConflictError } from './exit-codes';
import { queryRunProgress } from './live-progress';
import { tablesToRetry } from './retry-failed';
import { runOutcome } from './outcome';
import { createProgressView } from './progress-view';
import { conflictingRun, conflictMessage, openRunsQuery, type OpenRun } from './run-conflicts';
import { buildRunInput, newRunTag, runLabels, workflowIdFor } from './run-input';
import { selectRunTables } from './selected-tables';
import { copiesNote, followingLine } from '../workflows/run-state';
import {
  connectTemporal,
  missingSearchAttributes,
  registerSearchAttributesHint,
  temporalConfigFrom,
  webUiLink,
  workflowPollers,
  type ConnectedClient,
} from './temporal-client';

export interface ConnectionFlags {
  config?: string;
  address?: string;
  namespace?: string;
  /** One run of the workflow id (runs of the same tables share it); without it, the latest. */
  runId?: string;
}

/** Where a command writes: results on `out` (pure JSON with --json), notices and progress on `err`. */
export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Aborted when the user presses Ctrl-C (see client.ts); watching then stops, the run goes on. */
  interrupt?: AbortSignal;
}

const STD_IO: Io = { out: process.stdout, err: process.stderr };

function writeJson(out: NodeJS.WritableStream, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
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

async function existingHandle(
  connected: ConnectedClient,
  workflowId: string,
  runId?: string,
): Promise<WorkflowHandle> {
  const handle = connected.client.workflow.getHandle(workflowId, runId);
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new Error(
        `No run with the workflow id ${workflowId}${runId ? ` and run id ${runId}` : ''} in namespace ${connected.config.namespace}.`,
      );
    throw err;
  }
  return handle;
}

function isOpen(status: { name: string }): boolean {
  return status.name === 'RUNNING' || status.name === 'CONTINUED_AS_NEW';
}

function noWorkerNotice(taskQueue: string): string {
  return (
    `No worker polls the task queue ${taskQueue}: the run waits until one does.\n` +
    `  Start one with: npm run worker -- --config <file> (same temporal section and task queue)\n`
  );
}

/**
 * The run's live progress, or undefined when no worker could answer: without pollers a query would hang
 * until its timeout, so it is not asked.
 */
async function liveProgress(
  connected: ConnectedClient,
  handle: WorkflowHandle,
  taskQueue: string,
): Promise<RunProgress | undefined> {
  if ((await workflowPollers(connected, taskQueue)) === 0) return undefined;
  return askProgress(connected, handle);
}

/**
 * The progress query with the tables in flight live, bounded: a worker that just stopped may still be
 * listed as a poller.
 */
function askProgress(connected: ConnectedClient, handle: WorkflowHandle): Promise<RunProgress | undefined> {
  return queryRunProgress(connected.client, handle, (query) =>
    connected.client.connection.withDeadline(Date.now() + 5_000, query),
  );
}

/** Shows live progress until the run closes, then prints the summary; returns the exit code. */
async function watch(
  connected: ConnectedClient,
  handle: WorkflowHandle,
  io: Io,
  options: { json?: boolean; flags: ConnectionFlags },
): Promise<number> {
  const view = createProgressView(io.err as NodeJS.WriteStream);
  let toldNoWorker = false;
  try {
    for (;;) {
      const { status, taskQueue } = await handle.describe();
      if (!isOpen(status)) break;
      if ((await workflowPollers(connected, taskQueue)) === 0) {
        if (!toldNoWorker) io.err.write(noWorkerNotice(taskQueue));
        toldNoWorker = true;
      } else {
        toldNoWorker = false;
        const progress = await askProgress(connected, handle);
        if (progress) view.update(progress);
      }
      await sleep(1_000, undefined, { signal: io.interrupt });
    }
  } catch (err) {
    if (!io.interrupt?.aborted) throw err;
    view.stop();
    io.err.write(
      `\nStopped watching. ${handle.workflowId} goes on in Temporal.\n` +
        `  Follow it: ${followUp('status', handle.workflowId, options.flags)}\n` +
        `  Cancel it: ${followUp('cancel', handle.workflowId, options.flags)}\n`,
    );
    return EXIT_CODES.interrupted;
  } finally {
    view.stop();
  }
  const summary = await runOutcome(connected.client, handle);
  printSummary(summary, io.out, options.json);
  return exitCodeFor(summary);
}

function printSummary(summary: RunSummary, out: NodeJS.WritableStream, json?: boolean): void {
  if (json) return writeJson(out, summary);
  out.write(`\n${renderMarkdown(summary)}`);
  if (summary.reportFiles?.length)
    out.write(`\nReport files (on the worker): ${summary.reportFiles.join(', ')}\n`);
}

/** A start refused for missing search attributes says which and how to register them. */
async function explainStartFailure(connected: ConnectedClient, err: unknown): Promise<unknown> {
  const missing = await missingSearchAttributes(connected).catch(() => []);
  if (!missing.length) return err;
  return new Error(
    `The Temporal namespace ${connected.config.namespace} lacks the search attributes runs set (${missing.join(', ')}), so the run cannot start.\n` +
      `Register them once (or run check):\n${registerSearchAttributesHint(connected.config.namespace, missing)}`,
  );
}

/** The runs still open into a target, with the tables their memos list. */
async function openRuns(connected: ConnectedClient, target: string): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  for await (const run of connected.client.workflow.list({ query: openRunsQuery(target) })) {
    const memo = (run.memo ?? {}) as { tables?: string[]; tableCount?: number };
    const tables = memo.tables ?? [];
    runs.push({ workflowId: run.workflowId, tables, tableCount: memo.tableCount ?? tables.length });
  }
  return runs;
}

/** The tables an earlier, closed run did not publish (see retry-failed.ts). */
async function tablesOfEarlierRun(connected: ConnectedClient, workflowId: string): Promise<TableConfig[]> {
  const handle = await existingHandle(connected, workflowId);
  if (isOpen((await handle.describe()).status)) {
    throw new Error(`${workflowId} is still running: retry its failed tables once it has ended.`);
  }
  return tablesToRetry(await runOutcome(connected.client, handle));
}

export async function startRun(
  options: { config: string; wait?: boolean; json?: boolean; retryFailed?: string },
  io: Io = STD_IO,
): Promise<number> {
  const config = loadConfigFile(options.config);
  const runTag = newRunTag();
  const flags = { config: options.config };
  // The selection is resolved before Temporal is reached, so a wrong pattern is told first.
  const selected = options.retryFailed ? undefined : await selectRunTables(config);
  return withClient(flags, async (connected) => {
    const tables = selected ?? (await tablesOfEarlierRun(connected, options.retryFailed!));
    if (options.retryFailed)
      io.err.write(
        `Retrying ${tables.length} table(s) of ${options.retryFailed} that were not published: ${tables.map((t) => t.source).join(', ')}\n`,
      );
    const labels = runLabels(config, tables);
    const workflowId = workflowIdFor(config, tables);
    const { taskQueue } = config.temporal;
    const target = `${config.target.database}.${config.target.schema}`;
    // Without the search attributes the query itself fails: explained as for the start.
    const open = await openRuns(connected, target).catch(async (err: unknown) => {
      throw await explainStartFailure(connected, err);
    });
    const conflict = conflictingRun(
      open,
      tables.map((t) => t.source),
    );
    if (conflict) throw new RunConflictError(conflictMessage(conflict, target, flags));
    const handle = await connected.client.workflow
      .start<typeof migrateTables>('migrateTables', {
        taskQueue,
        workflowId,
        // While a run of the same tables is open the server refuses this start; once it has closed
        // (whatever its outcome), the tables may be migrated again.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        args: [buildRunInput(config, runTag, tables)],
        memo: labels.memo,
        staticSummary: labels.summary,
        staticDetails: labels.details,
        typedSearchAttributes: [
          { key: MIGRATION_STATUS, value: 'running' },
          { key: MIGRATION_TABLES, value: labels.searchTables },
          { key: MIGRATION_TARGET, value: target },
          { key: MIGRATION_ROWS_COPIED, value: 0 },
        ],
      })
      .catch(async (err: unknown) => {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          const shared = tables.map((t) => t.source);
          throw new RunConflictError(conflictMessage({ workflowId, shared }, target, flags));
        }
        throw await explainStartFailure(connected, err);
      });
    const runId = handle.firstExecutionRunId;
    const webUi = webUiLink(connected.config, workflowId, runId);
    if (options.json && !options.wait) writeJson(io.out, { workflowId, runId, taskQueue, webUi });
    else io.out.write(`Started ${workflowId} (run ${runId})\nWeb UI: ${webUi}\n`);
    if (options.wait) return watch(connected, handle, io, { json: options.json, flags });
    if ((await workflowPollers(connected, taskQueue)) === 0) io.err.write(noWorkerNotice(taskQueue));
    if (!options.json) io.out.write(`Follow it with: ${followUp('status', workflowId, flags)}\n`);
    return EXIT_CODES.succeeded;
  });
}

type TableLine = TableProgress & { rowsPerSecond?: number };

/** `now`: a live run's workflow time, for how long ago a following table's last round ended. */
function describeTables(tables: TableLine[], now?: number): string[] {
  return tables.map((t) => {
    if (t.state === 'following' && t.follow && now !== undefined) return `  ${followingLine(t, now)}`;
    const followed = t.follow
      ? `; followed up to version ${t.follow.appliedVersion}, ${t.follow.changesApplied.toLocaleString('en-US')} change(s) in ${t.follow.rounds} round(s)`
      : '';
    return (
      `  ${t.source} -> ${t.target}: ${t.state}, ${t.batchesDone}/${Math.max(t.batchesPlanned, t.batchesEstimated)} batches, ` +
      `${t.rowsCopied.toLocaleString('en-US')}/${t.rowsEstimated.toLocaleString('en-US')} rows` +
      (t.rowsPerSecond === undefined ? '' : `, ${t.rowsPerSecond.toLocaleString('en-US')} rows/s`) +
      copiesNote(t) +
      followed
    );
  });
}

function describeProgress(progress: RunProgress): string {
  const head = [`status: ${progress.status}${progress.paused ? ' (paused)' : ''}`, progress.line];
  return `${[...head, ...describeTables(progress.tables, progress.now)].join('\n')}\n`;
}

function describeSummary(summary: RunSummary): string {
  const head = [`status: ${summary.status}`];
  if (summary.error) head.push(`error: ${summary.error.message}`);
  return `${[...head, ...describeTables(summary.tables)].join('\n')}\n`;
}

export function status(
  workflowId: string,
  flags: ConnectionFlags & { json?: boolean },
  io: Io = STD_IO,
): Promise<number> {
  return withClient(flags, async (connected) => {
    const handle = await existingHandle(connected, workflowId, flags.runId);
    const { status: state, taskQueue, runId } = await handle.describe();
    const webUi = webUiLink(connected.config, workflowId, runId);
    // A closed run's state comes from its result or history, which needs no worker.
    const summary = isOpen(state)
      ? undefined
      : await runOutcome(connected.client, handle).catch(() => undefined);
    const progress = isOpen(state) ? await liveProgress(connected, handle, taskQueue) : undefined;
    if (flags.json) {
      writeJson(io.out, { workflowId, runId, status: state.name, taskQueue, webUi, progress, summary });
      return EXIT_CODES.succeeded;
    }
    io.out.write(`${workflowId}: ${state.name}\nWeb UI: ${webUi}\n`);
    if (summary) io.out.write(describeSummary(summary));
    else if (progress) io.out.write(describeProgress(progress));
    else if (isOpen(state)) io.out.write(noWorkerNotice(taskQueue));
    return EXIT_CODES.succeeded;
  });
}

const SIGNALS = {
  pause: {
    signal: pauseSignal,
    sent: 'Pause sent: %s starts no new batch until resumed (running batches finish).',
  },
  resume: { signal: resumeSignal, sent: 'Resume sent: %s goes on.' },
  cutover: {
    signal: cutoverSignal,
    sent: 'Cutover sent: each table of %s applies the changes up to now, is compared whole with the source, and ends (mode follow; `migrate status` shows when the run is cut over).',
  },
} as const;

export function signal(
  workflowId: string,
  what: keyof typeof SIGNALS,
  flags: ConnectionFlags,
  io: Io = STD_IO,
): Promise<number> {
  return withClient(flags, async (connected) => {
    const handle = await existingHandle(connected, workflowId, flags.runId);
    await handle.signal(SIGNALS[what].signal);
    io.out.write(`${SIGNALS[what].sent.replace('%s', workflowId)}\n`);
    return EXIT_CODES.succeeded;
  });
}

export function cancel(
  workflowId: string,
  options: ConnectionFlags & { wait?: boolean },
  io: Io = STD_IO,
): Promise<number> {
  return withClient(options, async (connected) => {
    const handle = await existingHandle(connected, workflowId, options.runId);
    await handle.cancel();
    io.out.write(
      `Cancellation requested for ${workflowId}: running batches stop, then what the run created is rolled back.\n`,
    );
    return options.wait ? watch(connected, handle, io, { flags: options }) : EXIT_CODES.succeeded;
  });
}

export function report(
  workflowId: string,
  options: ConnectionFlags & { json?: boolean },
  io: Io = STD_IO,
): Promise<number> {
  return withClient(options, async (connected) => {
    const handle = await existingHandle(connected, workflowId, options.runId);
    const { status: state, taskQueue } = await handle.describe();
    if (isOpen(state)) {
      io.err.write(`${workflowId} is still running; its report is written when it ends.\n`);
      const progress = await liveProgress(connected, handle, taskQueue);
      io.err.write(progress ? describeProgress(progress) : noWorkerNotice(taskQueue));
      return EXIT_CODES.failed;
    }
    const summary = await runOutcome(connected.client, handle);
    printSummary(summary, io.out, options.json);
    return exitCodeFor(summary);
  });
}
