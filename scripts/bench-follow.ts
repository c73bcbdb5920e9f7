/**
 * npm run bench -- --follow: mode follow under a steady writer (issue 22, item 7). The generated table is
 * copied in mode follow with Change Tracking on; once it follows, a writer updates its rows through the
 * real driver at each rate of --rates for --rate-seconds, and the bench prints, per rate:
 *
 * - the changes the rounds applied per second against the writer's rate (the last two thirds of the
 *   window: the first third lets the rounds settle into the rate);
 * - the lag: the run's own bound, as `migrate status` shows it ("at most N s behind": since the last
 *   finished round began, read from the table's live state), and the lag behind the writer measured here
 *   (since the commit of the oldest write whose version the target has not applied yet);
 * - how long the rounds took to catch up once the writer stopped.
 *
 * Then the cutover with changes pending: the run is paused (its rounds stop), --pending keys are updated,
 * and cutover is sent (cutover proceeds even while paused: src/workflows/migrate-table.ts); the time from
 * the request to the run's end is the cutover time (goal: under 60 s for 1M rows and 10,000 changes),
 * split into the last round (read and apply the changes, then compare the whole table) and the rest.
 *
 * The writer changes distinct keys in key order and starts over at the first key (scripts/follow-measure.ts):
 * a round applies each changed key once, so a key written twice within one round counts once. With a small
 * --rows at a high rate that happens, and the applied rate is then below the writer's.
 */
import sql from 'mssql';
import type { Client } from '@temporalio/client';
import { buildRunInput, newRunTag, workflowIdFor } from '../src/cli/run-input';
import { selectRunTables } from '../src/cli/selected-tables';
import { loadConfigFile } from '../src/config/load';
import { withTableOutcomes } from '../src/outcomes/table-outcomes';
import type { migrateTables } from '../src/workflows';
import {
  cutoverSignal,
  pauseSignal,
  tableProgressQuery,
  type TableLiveProgress,
} from '../src/workflows/messages';
import { runSummary, tableWorkflowId } from '../src/run-summary/records';
import { windowFigures, writerRange, type Sample, type Write } from './follow-measure';
import { LOCAL_SOURCE_PASSWORD_ENV, localStackSecrets, type LocalStack } from './local-stack';
import { spawnWorkerProcess } from './worker-process';

export interface FollowBenchOptions {
  /** The generated table (already loaded) and its row count. */
  table: string;
  rows: number;
  /** Writer rates to measure, changes per second. */
  rates: number[];
  rateSeconds: number;
  /** Keys changed while the run is paused, before cutover. */
  pending: number;
  intervalSeconds: number;
  workflowBundle: string;
  workerNodeArgs: string[];
  log: (line: string) => void;
}

/** The writer's updates: one statement per tick, a tenth of the rate each. */
const TICK_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Change Tracking on, as an administrator turns it on: snapshot isolation for the rounds' reads, then
 * the database, then the table
 * (https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server).
 * Enabled after the table is loaded: its rows are the copy's, not changes.
 */
const enableChangeTracking = (table: string) => `
ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON;
ALTER DATABASE shop SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);
GO
ALTER TABLE ${table} ENABLE CHANGE_TRACKING;`;

/** An application writing to the source through the real driver; each write's commit time and version. */
class Writer {
  readonly writes: Write[] = [];
  private tick = 0;

  constructor(
    private readonly pool: sql.ConnectionPool,
    private readonly table: string,
    private readonly rows: number,
  ) {}

  /**
   * Updates `perStatement` keys in one autocommitted statement and reads the version it committed as
   * (CHANGE_TRACKING_CURRENT_VERSION: the version of the last committed transaction,
   * https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql).
   */
  async update(perStatement: number): Promise<number> {
    const [lower, upper] = writerRange(this.tick++, perStatement, this.rows);
    const result = await this.pool
      .request()
      .input('lower', sql.BigInt, lower)
      .input('upper', sql.BigInt, upper)
      .query<{ version: string }>(
        `UPDATE ${this.table} SET quantity = quantity + 1 WHERE id BETWEEN @lower AND @upper;
         SELECT CHANGE_TRACKING_CURRENT_VERSION() AS version`,
      );
    this.writes.push({ at: Date.now(), version: BigInt(result.recordset[0]!.version) });
    return upper - lower + 1;
  }

  /** `rate` changes a second until `until`; returns the changes written. */
  async steady(rate: number, until: number): Promise<number> {
    const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
    const start = Date.now();
    let written = 0;
    for (let tick = 0; Date.now() < until; tick += 1) {
      written += await this.update(perTick);
      // On schedule: a statement slower than a tick makes the next start at once (the rate then falls short).
      await sleep(start + (tick + 1) * TICK_MS - Date.now());
    }
    return written;
  }
}

export async function benchFollow(
  stack: LocalStack,
  client: Client,
  options: FollowBenchOptions,
): Promise<void> {
  const { log, table } = options;
  await stack.sqlserver.exec(enableChangeTracking(table));
  const configPath = stack.writeConfig(
    'bench-follow',
    {
      tables: [{ source: table, target: 'BENCH_FOLLOW' }],
      loadMethod: 'copy',
      mode: 'follow',
      follow: { intervalSeconds: options.intervalSeconds },
      ifTargetExists: 'replace',
    },
    { logLevel: 'warn', workflowBundle: options.workflowBundle },
  );
  const config = loadConfigFile(configPath);
  const worker = spawnWorkerProcess(configPath, localStackSecrets(), {
    nodeArgs: options.workerNodeArgs,
    compiled: true,
  });
  const pool = new sql.ConnectionPool({
    server: stack.sqlserver.host,
    port: stack.sqlserver.port,
    user: stack.sqlserver.user,
    password: process.env[LOCAL_SOURCE_PASSWORD_ENV],
    database: 'shop',
    options: { encrypt: false, trustServerCertificate: true },
  });
  const stopWaiting = new AbortController();
  try {
    await worker.ready;
    await pool.connect();
    const tables = await selectRunTables(config);
    const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIdFor(config, tables),
      args: [buildRunInput(config, newRunTag(), tables)],
    });
    const tableHandle = client.workflow.getHandle(tableWorkflowId(handle.workflowId, 0));
    const live = () =>
      (tableHandle.query(tableProgressQuery) as Promise<TableLiveProgress | undefined>).catch(
        () => undefined,
      );
    const sample = async (): Promise<Sample & { rounds: number }> => {
      const follow = (await live())?.table.follow;
      return {
        at: Date.now(),
        changesApplied: follow?.changesApplied ?? 0,
        appliedVersion: BigInt(follow?.appliedVersion ?? 0),
        rounds: follow?.rounds ?? 0,
        ...(follow?.lastRoundFrom !== undefined ? { lastRoundFrom: follow.lastRoundFrom } : {}),
      };
    };
    const until = async (what: string, done: () => Promise<boolean>) => {
      const watching = (async () => {
        while (!(await done())) await sleep(250);
      })();
      await Promise.race([watching, worker.crashed]).catch((err: Error) => {
        throw new Error(`while waiting for ${what}: ${err.message}`);
      });
    };

    log(`Copying ${table} in mode follow (rounds every ${options.intervalSeconds} s)...`);
    const copyStarted = Date.now();
    await until('the first round', async () => (await sample()).rounds >= 1);
    log(`  following after ${seconds(Date.now() - copyStarted)}`);

    const writer = new Writer(pool, table, options.rows);
    const lines: string[][] = [];
    for (const rate of options.rates) {
      log(`Writing ${rate.toLocaleString('en-US')} changes/s for ${options.rateSeconds} s...`);
      const started = Date.now();
      const end = started + options.rateSeconds * 1000;
      const samples: Sample[] = [];
      const sampling = (async () => {
        while (Date.now() < end) {
          const s = await sample();
          // The first third: the rounds settle into the rate.
          if (s.at >= started + (end - started) / 3) samples.push(s);
          await sleep(500);
        }
      })();
      const written = await writer.steady(rate, end);
      await sampling;
      const writtenPerSecond = (written * 1000) / (Date.now() - started);
      const lastVersion = writer.writes.at(-1)!.version;
      const stopped = Date.now();
      await until('the rounds to catch up', async () => (await sample()).appliedVersion >= lastVersion);
      const caughtUp = Date.now() - stopped;
      const figures = windowFigures(samples, writer.writes);
      const lag = (l: { mean: number; max: number }) => `${l.mean.toFixed(1)} / ${l.max.toFixed(1)} s`;
      lines.push([
        rate.toLocaleString('en-US'),
        Math.round(writtenPerSecond).toLocaleString('en-US'),
        Math.round(figures.appliedPerSecond).toLocaleString('en-US'),
        (figures.appliedPerSecond / writtenPerSecond).toFixed(2),
        lag(figures.reportedLag),
        lag(figures.writerLag),
        seconds(caughtUp),
      ]);
    }

    log(`Pausing the run, writing ${options.pending.toLocaleString('en-US')} changes, then cutover...`);
    await handle.signal(pauseSignal);
    // Paused once no round ends any more: a round under way when the pause came finishes first.
    let rounds = -1;
    await until('the rounds to stop', async () => {
      const before = rounds;
      rounds = (await sample()).rounds;
      if (rounds !== before) await sleep(Math.max(3, 2 * options.intervalSeconds) * 1000);
      return rounds === before;
    });
    const perStatement = Math.min(1000, options.pending);
    for (let written = 0; written < options.pending;) written += await writer.update(perStatement);
    const asked = Date.now();
    await handle.signal(cutoverSignal);
    const outcome = client.withAbortSignal(stopWaiting.signal, () => handle.result());
    outcome.catch(() => undefined);
    const result = await Promise.race([outcome, worker.crashed]);
    const cutoverMs = Date.now() - asked;
    const summary = await withTableOutcomes(client.workflow, runSummary(result));
    const followed = summary.tables[0]!.follow!;
    const check = followed.finalCheck;

    const header = [
      'writer rate',
      'written/s',
      'applied/s',
      'applied / written',
      'lag, run (mean / max)',
      'lag, writer (mean / max)',
      'caught up after stop',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const row = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
    console.log(
      `\n${row(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(row).join('\n')}\n`,
    );
    console.log(
      'lag, run: "at most N s behind" from the table\'s live state (as migrate status); lag, writer: since the oldest write not applied yet\n',
    );
    const round = followed.lastRoundAt! - followed.lastRoundFrom!;
    console.log(
      `cutover of ${summary.tables[0]!.rowsCopied.toLocaleString('en-US')} rows with ${options.pending.toLocaleString('en-US')} changes pending: ` +
        `${seconds(cutoverMs)} from the request to the run's end (goal: under 60 s; ${(cutoverMs / 60_000).toFixed(2)} of it); status ${summary.status}`,
    );
    console.log(
      `  last round ${seconds(round)} (${followed.lastRoundChanges?.toLocaleString('en-US')} changes applied, ` +
        `${check ? `${check.rows.toLocaleString('en-US')} rows compared, ${check.differingRows} differing, checksums (worker and Snowflake) ${seconds(check.durationMs)}` : 'no comparison'}); ` +
        `before it ${seconds(followed.lastRoundFrom! - asked)}, after it ${seconds(asked + cutoverMs - followed.lastRoundAt!)}`,
    );
  } finally {
    stopWaiting.abort();
    await pool.close();
    await worker.kill('SIGTERM');
  }
}
