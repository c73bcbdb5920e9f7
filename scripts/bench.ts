/**
 * npm run bench -- --rows 1000000: migrates a generated table through the stand-ins once per load
 * method, each with a fresh worker process (compiled, as in production), and prints rows/s, MB/s, the
 * worker's peak memory, its CPU seconds per million rows (against a floor: scripts/bench-floor.ts), the
 * stand-in's COPY rate and the cost of validation side by side. A measurement, not a test: nothing here
 * passes or fails on speed.
 *
 * Validation share: the row-level content checks run inside the batches (the worker's checksum while
 * it streams, Snowflake's checksum of what the attempt loaded), so their wall-clock cost is their summed
 * time spread over the batches in flight; the table's validation step (aggregates, and the re-read of
 * every source row unless --source-changes off) runs after the copy. Both are given as a share of the
 * copy time. --isolation and --source-changes compare migration.sourceReadIsolation and
 * migration.validation.sourceChanges settings (snapshot variants turn ALLOW_SNAPSHOT_ISOLATION on).
 *
 * --follow measures mode follow instead, under a writer at steady rates, and the cutover (scripts/bench-follow.ts).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command, InvalidArgumentError } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { queryRunProgress } from '../src/cli/live-progress';
import { buildRunInput, newRunTag, workflowIdFor } from '../src/cli/run-input';
import { selectRunTables } from '../src/cli/selected-tables';
import { loadConfigFile } from '../src/config/load';
import { withTableOutcomes } from '../src/outcomes/table-outcomes';
import { runSummary } from '../src/run-summary/records';
import type { migrateTables } from '../src/workflows';
import { benchFollow } from './bench-follow';
import { startLocalStack, localStackSecrets } from './local-stack';
import { writeWorkflowBundle } from './bundle-workflows';
import { benchSmallTables } from './bench-small-tables';
import { profileSmallTables } from './bench-profile';
import { seededRandom } from './sample-data';
import { compileProject, processCpuSeconds, scriptArgs, spawnWorkerProcess } from './worker-process';

const ROOT = join(__dirname, '..');
const FLOOR = 'floor (mssql -> gzip CSV)';
const FLOOR_WITH_CHECKSUMS = 'floor + row checksums';
const BENCH_TABLE = 'dbo.bench_rows';
const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(0);

const BENCH_TABLE_SQL = `
CREATE TABLE dbo.bench_rows (
  id bigint NOT NULL PRIMARY KEY,
  customer_id int NOT NULL,
  amount decimal(18,2) NOT NULL,
  price money NULL,
  quantity smallint NOT NULL,
  ratio float NULL,
  created_at datetime2(7) NOT NULL,
  updated_at datetimeoffset(7) NULL,
  label nvarchar(100) NULL,
  code char(8) NOT NULL,
  flag bit NOT NULL,
  guid uniqueidentifier NOT NULL
)`;
const BENCH_COLUMNS = [
  'id',
  'customer_id',
  'amount',
  'price',
  'quantity',
  'ratio',
  'created_at',
  'updated_at',
  'label',
  'code',
  'flag',
  'guid',
];

function* benchRows(count: number): Generator<unknown[]> {
  const random = seededRandom(7);
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16))
      .join('')
      .toUpperCase();
  for (let id = 1; id <= count; id += 1) {
    const second = 1_600_000_000 + Math.floor(random() * 100_000_000);
    const stamp = new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const ticks = String(Math.floor(random() * 10_000_000)).padStart(7, '0');
    yield [
      id,
      Math.floor(random() * 100_000),
      (random() * 1_000_000).toFixed(2),
      random() < 0.1 ? null : (random() * 10_000).toFixed(4),
      Math.floor(random() * 1000),
      random() < 0.1 ? null : random(),
      `${stamp}.${ticks}`,
      random() < 0.2 ? null : `${stamp}.${ticks} +05:45`,
      random() < 0.1 ? null : `Label ${id} — ünïcødé ${hex(12)}`,
      hex(8),
      random() < 0.5,
      `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    ];
  }
}

interface Measurement {
  method: string;
  rows: number;
  copySeconds: number;
  totalSeconds: number;
  megabytes: number;
  idleRssMb: number;
  peakRssMb: number;
  /** CPU seconds the process spent on the copy (the worker: from the run's start to its end). */
  cpuSeconds: number;
  /** CPU seconds of the rest during the run: the stand-ins (this process) and the Temporal server. */
  others?: { standIns: number; temporal: number };
  /**
   * Rows per second of the Snowflake stand-in's COPY INTO: while the run's COPYs ran (copy method; the
   * stand-ins share one process, so this counts the SQL Server stand-in's turns too), or alone (floor:
   * its one file loaded after the run, compared with the copy method's rate).
   */
  standInCopyRowsPerSecond?: number;
  /** Content checks in the batches, summed over batches (NaN for the floor, which validates nothing). */
  contentSeconds: number;
  /** The table step after the copy: aggregates, then publishing. */
  validateSeconds: number;
  /** Batches in flight: the content checks' summed time is spread over them. */
  inFlight: number;
}

/** CPU seconds per million rows. */
const cpuPerMillion = (r: Measurement) => (r.cpuSeconds / r.rows) * 1e6;

/** The Temporal dev server this bench started: the process serving `address`'s port. */
function temporalServerPid(address: string): number | undefined {
  const port = address.split(':').pop();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('start-dev') && args.includes(String(port))) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** CPU seconds of this process (the stand-ins) and of the Temporal server, so far. */
function othersCpu(temporalPid: number | undefined): { standIns: number; temporal: number } {
  const own = process.cpuUsage();
  return {
    standIns: (own.user + own.system) / 1e6,
    temporal: temporalPid === undefined ? Number.NaN : processCpuSeconds(temporalPid),
  };
}

/**
 * Where the CPU of a run went, per million rows, and the rate those costs allow on this machine's
 * cores: the ceiling any one of them can only lower by getting cheaper.
 */
function printCpuBudget(results: Measurement[]): void {
  const cores = availableParallelism();
  for (const r of results) {
    if (!r.others) continue;
    const perMillion = (seconds: number) => (seconds / r.rows) * 1e6;
    const parts = {
      worker: cpuPerMillion(r),
      'stand-ins': perMillion(r.others.standIns),
      Temporal: perMillion(r.others.temporal),
    };
    const total = Object.values(parts).reduce((a, b) => a + b, 0);
    console.log(
      `CPU s per million rows, ${r.method}: ${Object.entries(parts)
        .map(([name, value]) => `${name} ${value.toFixed(1)}`)
        .join(
          ' + ',
        )} = ${total.toFixed(1)}; ${cores} cores allow at most ${Math.round((cores * 1e6) / total).toLocaleString('en-US')} rows/s`,
    );
  }
}

interface FloorResult {
  rows: number;
  cpuSeconds: number;
  seconds: number;
  copySeconds?: number;
}

/**
 * scripts/bench-floor.ts in a process of its own: the same rows to gzip CSV, no Temporal, no Snowflake;
 * then its file loaded by COPY alone, or, with `checksum`, the rows also checksummed as the worker does.
 */
async function measureFloor(configPath: string, nodeArgs: string[], checksum: boolean): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...nodeArgs,
      ...scriptArgs('scripts/bench-floor.ts', true),
      '--config',
      configPath,
      '--table',
      BENCH_TABLE,
      checksum ? '--checksum' : '--copy',
    ],
    { cwd: ROOT, env: process.env },
  );
  const floor = JSON.parse(stdout.trim().split('\n').pop()!) as FloorResult;
  return {
    method: checksum ? FLOOR_WITH_CHECKSUMS : FLOOR,
    rows: floor.rows,
    copySeconds: floor.seconds,
    totalSeconds: floor.seconds,
    megabytes: Number.NaN,
    idleRssMb: Number.NaN,
    peakRssMb: Number.NaN,
    cpuSeconds: floor.cpuSeconds,
    standInCopyRowsPerSecond: floor.copySeconds ? floor.rows / floor.copySeconds : undefined,
    contentSeconds: Number.NaN,
    validateSeconds: Number.NaN,
    inFlight: Number.NaN,
  };
}

/** Validation's wall-clock time over the copy time (see the top of this file). */
const validationShare = (r: Measurement) =>
  (r.contentSeconds / r.inFlight + r.validateSeconds) / r.copySeconds;

function printTable(results: Measurement[]): void {
  const copyRun = results.find((r) => r.method.startsWith('copy'));
  // The floor's COPY rate is set against the migrator's (its own rate is no load's).
  const migratorRate = (r: Measurement) =>
    r.method.startsWith('floor') && copyRun ? copyRun.rows / copyRun.copySeconds : r.rows / r.copySeconds;
  const header = [
    'method',
    'rows',
    'copy time',
    'rows/s',
    'MB/s',
    'MB (CSV text)',
    'worker RSS idle',
    'worker RSS peak',
    'content checks',
    'table validation',
    'validation share',
    'run total',
    'CPU s/M rows',
    'stand-in COPY rows/s',
  ];
  const mb = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(0)} MB`);
  const seconds = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)} s`);
  const lines = results.map((r) => [
    r.method,
    r.rows.toLocaleString('en-US'),
    `${r.copySeconds.toFixed(1)} s`,
    Math.round(r.rows / r.copySeconds).toLocaleString('en-US'),
    Number.isNaN(r.megabytes) ? '-' : (r.megabytes / r.copySeconds).toFixed(2),
    Number.isNaN(r.megabytes) ? '-' : r.megabytes.toFixed(1),
    mb(r.idleRssMb),
    mb(r.peakRssMb),
    seconds(r.contentSeconds),
    seconds(r.validateSeconds),
    Number.isNaN(validationShare(r)) ? '-' : `${(validationShare(r) * 100).toFixed(1)} %`,
    `${r.totalSeconds.toFixed(1)} s`,
    cpuPerMillion(r).toFixed(1),
    r.standInCopyRowsPerSecond === undefined
      ? '-'
      : `${Math.round(r.standInCopyRowsPerSecond).toLocaleString('en-US')} (${(r.standInCopyRowsPerSecond / migratorRate(r)).toFixed(1)}x)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\n${row(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(row).join('\n')}\n`,
  );
  console.log(
    'validation share = (content checks / batches in flight + table validation) / copy time; goal: at most 15 %\n',
  );
  const floor = results.find((r) => r.method === FLOOR);
  const withChecksums = results.find((r) => r.method === FLOOR_WITH_CHECKSUMS);
  const ratio = (r: Measurement, to: Measurement) => (cpuPerMillion(r) / cpuPerMillion(to)).toFixed(2);
  if (floor && withChecksums)
    for (const r of results.filter((m) => !m.method.startsWith('floor')))
      console.log(
        `CPU per row, ${r.method}: / floor ${ratio(r, floor)}; / (floor + row checksums) ${ratio(r, withChecksums)}`,
      );
}

const list = (v: string) => v.split(',').map((item) => item.trim());
const numbers = (v: string) => list(v).map((item) => Number.parseInt(item, 10));

interface Variant {
  method: string;
  batchSize: number;
  inFlight: number;
  isolation: string;
  sourceChanges: string;
}

const program = new Command('bench')
  .description('Measures migration throughput through the local stand-ins, per load method, side by side.')
  .option('--rows <n>', 'rows in the generated table', (v) => Number.parseInt(v, 10), 1_000_000)
  .option('--methods <list>', 'load methods to compare, comma-separated', list, ['copy', 'insert'])
  .option('--batch-size <list>', 'rows per batch (a list compares them)', numbers, [50_000])
  .option('--in-flight <list>', 'batches in flight (a list compares them)', numbers, [4])
  .option('--data-dir <dir>', 'folder for configs, reports and Temporal data', '.migrator/bench')
  .option('--no-floor', 'skip the floor (the same rows to gzip CSV by a bare script)')
  .option(
    '--floor-runs <n>',
    "measure the floor this many times and keep the run of median CPU (this machine's noise)",
    (v) => {
      const runs = Number(v);
      if (!Number.isInteger(runs) || runs < 1) throw new InvalidArgumentError('a whole number from 1');
      return runs;
    },
    1,
  )
  .option('--cpu-prof <dir>', 'write V8 CPU profiles of the worker and the floor into this folder')
  .option('--worker-node-args <flags>', 'extra node flags for the worker, e.g. "--max-semi-space-size=8"', '')
  .option('--latency-ms <ms>', 'cloud-like Snowflake: delay every request to the stand-in', Number, 0)
  .option(
    '--small-tables <list>',
    'instead: runs of this many 3-row tables against one table alone, without and with --latency-ms (scripts/bench-small-tables.ts)',
    numbers,
  )
  .option(
    '--profile-small-tables <n>',
    "instead: migrate this many 3-row tables and print where the wall time went, from the Temporal histories and the stand-ins' request times (scripts/bench-profile.ts)",
    Number,
  )
  .option('--copy-file-ms <ms>', 'cloud-like Snowflake: COPY INTO costs this much more per file', Number, 0)
  .option('--isolation <list>', 'migration.sourceReadIsolation values to compare', list, ['readCommitted'])
  .option('--source-changes <list>', 'migration.validation.sourceChanges values to compare', list, ['fail'])
  .option('--follow', 'measure mode follow under a steady writer, then the cutover (scripts/bench-follow.ts)')
  .option(
    '--rates <list>',
    '--follow: writer rates to measure, changes per second',
    numbers,
    [100, 1000, 5000],
  )
  .option('--rate-seconds <s>', '--follow: how long the writer writes at each rate', Number, 30)
  .option('--pending <n>', '--follow: changes written while paused, before cutover', Number, 10_000)
  .option('--interval <s>', '--follow: migration.follow.intervalSeconds', Number, 1)
  .option(
    '--memory-every <s>',
    "log rows copied and the worker's memory this often while a run goes",
    Number,
    30,
  )
  .action(
    async (opts: {
      rows: number;
      methods: string[];
      batchSize: number[];
      inFlight: number[];
      dataDir: string;
      floor: boolean;
      floorRuns: number;
      cpuProf?: string;
      workerNodeArgs: string;
      latencyMs: number;
      copyFileMs: number;
      isolation: string[];
      sourceChanges: string[];
      memoryEvery: number;
      follow?: boolean;
      rates: number[];
      rateSeconds: number;
      pending: number;
      interval: number;
      smallTables?: number[];
      profileSmallTables?: number;
    }) => {
      const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : [];
      const workerNodeArgs = opts.workerNodeArgs.split(' ').filter(Boolean);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // No Temporal history kept between benchmarks: a run left open by an interrupted one would hold the
      // table's workflow id.
      const stack = await startLocalStack({
        dataDir: opts.dataDir,
        log,
        temporal: { ui: false, keepHistory: false },
      });
      const results: Measurement[] = [];
      let connection: Connection | undefined;
      const variants: Variant[] = opts.methods.flatMap((method) =>
        opts.batchSize.flatMap((batchSize) =>
          opts.inFlight.flatMap((inFlight) =>
            opts.isolation.flatMap((isolation) =>
              opts.sourceChanges.map((sourceChanges) => ({
                method,
                batchSize,
                inFlight,
                isolation,
                sourceChanges,
              })),
            ),
          ),
        ),
      );
      // Several settings of a kind: each row of the table says which.
      const label = (v: Variant) =>
        [
          v.method,
          ...(opts.batchSize.length > 1 || opts.inFlight.length > 1
            ? [`${v.batchSize / 1000}k x${v.inFlight}`]
            : []),
          ...(opts.isolation.length > 1 ? [v.isolation] : []),
          ...(opts.sourceChanges.length > 1 ? [`sourceChanges ${v.sourceChanges}`] : []),
        ].join(' ');
      try {
        if (opts.smallTables || opts.profileSmallTables) {
          log('Compiling the project, as npm run build does...');
          await compileProject();
          const workflowBundle = await writeWorkflowBundle(join(opts.dataDir, 'workflow-bundle.js'));
          connection = await Connection.connect({ address: stack.temporalAddress });
          const client = new Client({ connection });
          const { latencyMs } = opts;
          if (opts.profileSmallTables)
            await profileSmallTables(stack, client, {
              tables: opts.profileSmallTables,
              latencyMs,
              workflowBundle,
              log,
            });
          else
            await benchSmallTables(stack, client, {
              counts: opts.smallTables!,
              latencyMs,
              workflowBundle,
              log,
            });
          return;
        }
        log(
          `Generating dbo.bench_rows with ${opts.rows.toLocaleString('en-US')} rows in the SQL Server stand-in...`,
        );
        const seeded = Date.now();
        await stack.sqlserver.exec(BENCH_TABLE_SQL);
        await stack.sqlserver.bulkInsert(BENCH_TABLE, BENCH_COLUMNS, benchRows(opts.rows));
        log(`  done in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
        if (opts.isolation.includes('snapshot'))
          await stack.sqlserver.exec('ALTER DATABASE shop SET ALLOW_SNAPSHOT_ISOLATION ON');
        stack.snowflake.faults.setLatency(opts.latencyMs);
        stack.snowflake.faults.setCopyFileCost(opts.copyFileMs);
        // The worker and the floor run compiled, as in production (npm run build): under tsx, its loader
        // and the source maps it turns on hold about 25 MB more. Workers load a prebuilt bundle, as in
        // production: webpack would otherwise dominate their memory.
        log('Compiling the project, as npm run build does...');
        await compileProject();
        const workflowBundle = await writeWorkflowBundle(join(opts.dataDir, 'workflow-bundle.js'));
        connection = await Connection.connect({ address: stack.temporalAddress });
        const client = new Client({ connection });
        if (opts.follow) {
          await benchFollow(stack, client, {
            table: BENCH_TABLE,
            rows: opts.rows,
            rates: opts.rates,
            rateSeconds: opts.rateSeconds,
            pending: Math.min(opts.pending, opts.rows),
            intervalSeconds: opts.interval,
            workflowBundle,
            workerNodeArgs: [...nodeArgs, ...workerNodeArgs],
            log,
          });
          return;
        }
        const temporalPid = temporalServerPid(stack.temporalAddress);
        let lastConfig: string | undefined;
        for (const variant of variants) {
          const { method } = variant;
          const configPath = stack.writeConfig(
            `bench-${method}`,
            {
              tables: [{ source: BENCH_TABLE, target: `BENCH_${method.toUpperCase()}` }],
              batchSize: variant.batchSize,
              batchesInFlight: variant.inFlight,
              loadMethod: method,
              sourceReadIsolation: variant.isolation,
              validation: { sourceChanges: variant.sourceChanges },
              ifTargetExists: 'replace',
            },
            { logLevel: 'warn', workflowBundle },
          );
          lastConfig = configPath;
          const config = loadConfigFile(configPath);
          const worker = spawnWorkerProcess(configPath, localStackSecrets(), {
            nodeArgs: [...nodeArgs, ...workerNodeArgs],
            compiled: true,
          });
          const stopWaiting = new AbortController();
          let sampler: NodeJS.Timeout | undefined;
          let timeline: NodeJS.Timeout | undefined;
          try {
            await worker.ready;
            log(`Migrating with ${label(variant)}...`);
            // Peak memory while migrating; the worker's start-up is excluded.
            const idleRss = worker.rssBytes();
            const idleCpu = worker.cpuSeconds();
            const othersAtStart = othersCpu(temporalPid);
            stack.snowflake.copyStats(true);
            let peakRss = idleRss;
            sampler = setInterval(() => (peakRss = Math.max(peakRss, worker.rssBytes())), 200);
            const runTag = newRunTag();
            const tables = await selectRunTables(config);
            const handle = await client.workflow.start<typeof migrateTables>('migrateTables', {
              taskQueue: config.temporal.taskQueue,
              workflowId: workflowIdFor(config, tables),
              args: [buildRunInput(config, runTag, tables)],
            });
            // Memory against rows copied as the run goes: flat, or growing with the table.
            timeline = setInterval(() => {
              void queryRunProgress(client, handle).then((progress) => {
                const rows = progress?.tables[0]?.rowsCopied ?? 0;
                log(
                  `  ${rows.toLocaleString('en-US')} rows copied; worker RSS ${megabytes(worker.rssBytes())} MB, peak so far ${megabytes(peakRss)} MB`,
                );
              });
            }, opts.memoryEvery * 1000);
            const outcome = client.withAbortSignal(stopWaiting.signal, () => handle.result());
            outcome.catch(() => undefined); // after a crash, nothing waits for it: it is aborted below
            const result = await Promise.race([outcome, worker.crashed]);
            const cpuSeconds = worker.cpuSeconds() - idleCpu;
            const othersAtEnd = othersCpu(temporalPid);
            // The table's phases and content come from its child workflow.
            const summary = await withTableOutcomes(client.workflow, runSummary(result));
            const copy = stack.snowflake.copyStats();
            const table = summary.tables[0]!;
            results.push({
              method: label(variant),
              rows: table.rowsCopied,
              copySeconds: (table.copyFinishedAt! - table.startedAt!) / 1000,
              totalSeconds: (summary.finishedAt - summary.startedAt) / 1000,
              megabytes: table.bytesCopied / 1_000_000,
              idleRssMb: idleRss / 1_048_576,
              peakRssMb: peakRss / 1_048_576,
              cpuSeconds,
              others: {
                standIns: othersAtEnd.standIns - othersAtStart.standIns,
                temporal: othersAtEnd.temporal - othersAtStart.temporal,
              },
              standInCopyRowsPerSecond: copy.busyMs > 0 ? copy.rowsLoaded / (copy.busyMs / 1000) : undefined,
              contentSeconds: (table.content?.durationMs ?? 0) / 1000,
              validateSeconds: (table.finishedAt! - table.copyFinishedAt!) / 1000,
              inFlight: variant.inFlight,
            });
          } finally {
            stopWaiting.abort();
            clearInterval(sampler);
            clearInterval(timeline);
            await worker.kill('SIGTERM');
          }
        }
        if (opts.floor && lastConfig) {
          const floorConfig = lastConfig;
          // The median CPU of opts.floorRuns runs: the floor moves by 10 % and more between runs here.
          const medianFloor = async (checksum: boolean) => {
            const floors: Measurement[] = [];
            for (let run = 0; run < opts.floorRuns; run += 1)
              floors.push(await measureFloor(floorConfig, nodeArgs, checksum));
            floors.sort((a, b) => a.cpuSeconds - b.cpuSeconds);
            if (floors.length > 1)
              log(
                `  ${floors[0]!.method}: CPU s/M rows in ${floors.length} runs: ${floors.map((f) => cpuPerMillion(f).toFixed(1)).join(', ')}; the median is kept`,
              );
            return floors[Math.floor(floors.length / 2)]!;
          };
          log('Measuring the floor (the same rows to gzip CSV, no Temporal, no Snowflake)...');
          results.push(await medianFloor(false));
          log('Measuring the floor again with the row checksums the worker computes while copying...');
          results.push(await medianFloor(true));
        }
        printTable(results);
        printCpuBudget(results);
      } finally {
        await connection?.close();
        await stack.stop();
      }
    },
  );

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
