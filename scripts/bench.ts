/**
 * npm run bench -- --rows 1000000: migrates a generated table through the stand-ins once per load
 * method, each with a fresh worker process, and prints rows/s, MB/s, the worker's peak memory and the
 * cost of validation side by side. A measurement, not a test: nothing here passes or fails on speed.
 *
 * Validation share: the row-level content checks run inside the batches (the worker's checksum while
 * it streams, Snowflake's checksum of what the attempt loaded), so their wall-clock cost is their summed
 * time spread over the batches in flight; the table's validation step (aggregates, then publishing)
 * runs after the copy. Both are given as a share of the copy time.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { buildRunInput, newRunTag, workflowIdFor } from '../src/cli/run-input';
import { selectRunTables } from '../src/cli/selected-tables';
import { loadConfigFile } from '../src/config/load';
import type { RunSummary } from '../src/contracts/run';
import type { migrateTables } from '../src/workflows';
import { startLocalStack, LOCAL_SOURCE_PASSWORD_ENV, LOCAL_TARGET_PASSWORD_ENV } from './local-stack';
import { writeWorkflowBundle } from './bundle-workflows';
import { seededRandom } from './sample-data';
import { spawnWorkerProcess } from './worker-process';

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
  /** Content checks in the batches, summed over batches. */
  contentSeconds: number;
  /** The table step after the copy: aggregates, then publishing. */
  validateSeconds: number;
  inFlight: number;
}

/** Validation's wall-clock time over the copy time (see the top of this file). */
const validationShare = (r: Measurement) =>
  (r.contentSeconds / r.inFlight + r.validateSeconds) / r.copySeconds;

function printTable(results: Measurement[]): void {
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
  ];
  const lines = results.map((r) => [
    r.method,
    r.rows.toLocaleString('en-US'),
    `${r.copySeconds.toFixed(1)} s`,
    Math.round(r.rows / r.copySeconds).toLocaleString('en-US'),
    (r.megabytes / r.copySeconds).toFixed(2),
    r.megabytes.toFixed(1),
    `${r.idleRssMb.toFixed(0)} MB`,
    `${r.peakRssMb.toFixed(0)} MB`,
    `${r.contentSeconds.toFixed(1)} s`,
    `${r.validateSeconds.toFixed(1)} s`,
    `${(validationShare(r) * 100).toFixed(1)} %`,
    `${r.totalSeconds.toFixed(1)} s`,
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
}

const program = new Command('bench')
  .description('Measures migration throughput through the local stand-ins, per load method, side by side.')
  .option('--rows <n>', 'rows in the generated table', (v) => Number.parseInt(v, 10), 1_000_000)
  .option('--methods <list>', 'load methods to compare, comma-separated', 'copy,insert')
  .option('--batch-size <n>', 'rows per batch', (v) => Number.parseInt(v, 10), 50_000)
  .option('--in-flight <n>', 'batches in flight', (v) => Number.parseInt(v, 10), 4)
  .option('--data-dir <dir>', 'folder for configs, reports and Temporal data', '.migrator/bench')
  .action(
    async (opts: { rows: number; methods: string; batchSize: number; inFlight: number; dataDir: string }) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const stack = await startLocalStack({ dataDir: opts.dataDir, log, temporal: { ui: false } });
      const results: Measurement[] = [];
      try {
        log(
          `Generating dbo.bench_rows with ${opts.rows.toLocaleString('en-US')} rows in the SQL Server stand-in...`,
        );
        const seeded = Date.now();
        await stack.sqlserver.exec(BENCH_TABLE_SQL);
        await stack.sqlserver.bulkInsert('dbo.bench_rows', BENCH_COLUMNS, benchRows(opts.rows));
        log(`  done in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
        // Workers load a prebuilt bundle, as in production: webpack would otherwise dominate their memory.
        const workflowBundle = await writeWorkflowBundle(join(opts.dataDir, 'workflow-bundle.js'));
        const connection = await Connection.connect({ address: stack.temporalAddress });
        const client = new Client({ connection });
        for (const method of opts.methods.split(',').map((m) => m.trim())) {
          const configPath = stack.writeConfig(
            `bench-${method}`,
            {
              tables: [{ source: 'dbo.bench_rows', target: `BENCH_${method.toUpperCase()}` }],
              batchSize: opts.batchSize,
              batchesInFlight: opts.inFlight,
              loadMethod: method,
              ifTargetExists: 'replace',
            },
            { logLevel: 'warn', workflowBundle },
          );
          const config = loadConfigFile(configPath);
          const worker = spawnWorkerProcess(configPath, {
            [LOCAL_SOURCE_PASSWORD_ENV]: process.env[LOCAL_SOURCE_PASSWORD_ENV],
            [LOCAL_TARGET_PASSWORD_ENV]: process.env[LOCAL_TARGET_PASSWORD_ENV],
          });
          try {
            await worker.ready;
            log(`Migrating with ${method}...`);
            // Peak memory while migrating; the worker's start-up (webpack bundling the workflows) is excluded.
            const idleRss = worker.rssBytes();
            let peakRss = idleRss;
            const sampler = setInterval(() => (peakRss = Math.max(peakRss, worker.rssBytes())), 200);
            const runTag = newRunTag();
            const summary: RunSummary = await client.workflow
              .execute<typeof migrateTables>('migrateTables', {
                taskQueue: config.temporal.taskQueue,
                workflowId: workflowIdFor(runTag, new Date()),
                args: [buildRunInput(config, runTag, await selectRunTables(config))],
              })
              .finally(() => clearInterval(sampler));
            const table = summary.tables[0]!;
            results.push({
              method,
              rows: table.rowsCopied,
              copySeconds: (table.copyFinishedAt! - table.startedAt!) / 1000,
              totalSeconds: (summary.finishedAt - summary.startedAt) / 1000,
              megabytes: table.bytesCopied / 1_000_000,
              idleRssMb: idleRss / 1_048_576,
              peakRssMb: peakRss / 1_048_576,
              contentSeconds: (table.content?.durationMs ?? 0) / 1000,
              validateSeconds: (table.finishedAt! - table.copyFinishedAt!) / 1000,
              inFlight: opts.inFlight,
            });
          } finally {
            await worker.kill('SIGTERM');
          }
        }
        await connection.close();
        printTable(results);
      } finally {
        await stack.stop();
      }
    },
  );

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
