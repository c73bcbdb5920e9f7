/**
 * The benchmark's floor: one table read through `mssql` with the migrator's own SELECT and written as
 * gzip CSV by the migrator's own formatter and batch-file writer, with no Temporal and no Snowflake.
 * What the worker spends per row beyond this is orchestration. Run in a process of its own by
 * scripts/bench.ts (so its CPU time is its own); prints {"rows", "cpuSeconds", "seconds"} as JSON.
 * Usage: tsx scripts/bench-floor.ts --config <file> --table dbo.bench_rows [--cpu-prof via node flags]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfigFile } from '../src/config/load';
import { readSourceSecrets } from '../src/config/secrets';
import { csvRowFormatter, formatMigratedAt } from '../src/mapping/values';
import { writeGzipCsv } from '../src/migration/batch-file';
import { inspectSourceTable } from '../src/migration/inspect-source';
import { createSourceConnection } from '../src/sqlserver/pool';
import { streamRows } from '../src/sqlserver/reader';
import { displayTableName, selectBatchQuery } from '../src/sqlserver/sql';

const program = new Command('bench-floor')
  .requiredOption('--config <file>', 'migrator config (its source section is used)')
  .requiredOption('--table <schema.table>', 'source table')
  .action(async (opts: { config: string; table: string }) => {
    const config = loadConfigFile(opts.config);
    const [schema, table] = opts.table.split('.') as [string, string];
    const source = createSourceConnection(config.source, readSourceSecrets(config));
    const folder = await mkdtemp(join(tmpdir(), 'bench-floor-'));
    try {
      const pool = await source.pool();
      const { shape } = await inspectSourceTable(
        pool,
        { source: { schema, table } },
        config.migration.metadataColumns,
      );
      const started = Date.now();
      const cpu = process.cpuUsage();
      const description = {
        tableName: displayTableName({ schema, table }),
        columns: shape.mappings,
        keyPositions: [],
      };
      // The same extra columns as a batch: IS_MIGRATED, MIGRATED_AT, batch and attempt.
      const formatRow = csvRowFormatter(description, ['TRUE', formatMigratedAt(new Date()), '1', '1']);
      const query = selectBatchQuery({ schema, table }, shape.mappings, shape.keyColumns, {
        lower: null,
        upper: null,
      });
      const file = await writeGzipCsv(
        streamRows(pool, query),
        formatRow,
        join(folder, 'floor.csv.gz'),
        () => {},
      );
      const used = process.cpuUsage(cpu);
      const result = {
        rows: file.rows,
        cpuSeconds: (used.user + used.system) / 1e6,
        seconds: (Date.now() - started) / 1000,
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await source.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
