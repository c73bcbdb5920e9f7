/**
 * The benchmark's floor: one table read through `mssql` with the migrator's own SELECT and written as
 * gzip CSV by the migrator's own formatter and batch-file writer, with no Temporal and no Snowflake.
 * What the worker spends per row beyond this is orchestration and the row checksums (see --checksum).
 * Run in a process of its own by scripts/bench.ts (so its CPU time is its own); prints {"rows",
 * "cpuSeconds", "seconds"} as JSON.
 * With --copy, it then loads that one file into a fresh table with the migrator's PUT and COPY INTO and
 * adds "copySeconds": the Snowflake (stand-in's) COPY alone, with nothing else running. With --checksum,
 * the rows also pass through the row checksums the worker computes while copying (what proving each
 * batch exact costs), so that the worker's CPU beyond this floor is orchestration alone.
 * Usage: tsx scripts/bench-floor.ts --config <file> --table dbo.bench_rows [--copy] [--checksum]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfigFile } from '../src/config/load';
import type { MigratorConfig } from '../src/config/schema';
import { readSourceSecrets, readTargetSecrets } from '../src/config/secrets';
import type { TableShape } from '../src/mapping/table-shape';
import { csvRowFormatter, formatMigratedAt } from '../src/mapping/values';
import { writeGzipCsv } from '../src/load/batch-file';
import { checksummed, rowDescription } from '../src/comparison/compare-content';
import { inspectSourceTable } from '../src/source/inspect-source';
import { createTargetConnection, execute } from '../src/snowflake/connection';
import { putAndCopy } from '../src/snowflake/load';
import { createStage, createTable, dropTable, stageLocation } from '../src/sql/snowflake/statements';
import { createSourceConnection } from '../src/sqlserver/pool';
import { streamRows } from '../src/sqlserver/reader';
import { selectBatchQuery } from '../src/sql/sqlserver/queries';
import { displayTableName } from '../src/names/sqlserver-names';

const program = new Command('bench-floor')
  .requiredOption('--config <file>', 'migrator config (its source section is used)')
  .requiredOption('--table <schema.table>', 'source table')
  .option('--copy', "then time the target's COPY INTO of the file alone")
  .option('--checksum', 'checksum every row on its way, as the worker does while copying')
  .action(async (opts: { config: string; table: string; copy?: boolean; checksum?: boolean }) => {
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
      const description = rowDescription(displayTableName({ schema, table }), shape);
      // The same extra columns as a batch: IS_MIGRATED, MIGRATED_AT, batch and attempt.
      const formatRow = csvRowFormatter(description, ['TRUE', formatMigratedAt(new Date()), '1', '1']);
      const query = selectBatchQuery({ schema, table }, shape.mappings, shape.keyColumns, {
        lower: null,
        upper: null,
      });
      const path = join(folder, 'floor.csv.gz');
      const rows = streamRows(pool, query);
      const file = await writeGzipCsv(
        opts.checksum ? checksummed(description, rows).rows : rows,
        formatRow,
        path,
        () => {},
      );
      const used = process.cpuUsage(cpu);
      const result = {
        rows: file.rows,
        cpuSeconds: (used.user + used.system) / 1e6,
        seconds: (Date.now() - started) / 1000,
        copySeconds: opts.copy ? await timeCopy(config, shape, path, file.rows) : undefined,
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await source.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

/** PUT, then COPY INTO a fresh staging-shaped table (dropped afterwards): seconds of the COPY alone. */
async function timeCopy(
  config: MigratorConfig,
  shape: TableShape,
  path: string,
  rows: number,
): Promise<number> {
  const { database, schema, stage } = config.target;
  const table = { database, schema, name: 'BENCH_FLOOR_COPY' };
  const target = createTargetConnection(config.target, readTargetSecrets(config));
  try {
    return await target.use(async (session) => {
      await execute(session, createStage(database, schema, stage));
      await execute(session, dropTable(table));
      const { metadataColumns } = config.migration;
      const definition = {
        table,
        columns: shape.targetColumns,
        isMigratedColumn: metadataColumns.isMigrated,
        migratedAtColumn: metadataColumns.migratedAt,
        primaryKey: [],
      };
      await execute(session, createTable(definition, 'staging'));
      const location = stageLocation(database, schema, stage, 'bench-floor');
      // putAndCopy's PUT copies the file locally: timed with the COPY, it is a small part of it.
      const started = Date.now();
      await putAndCopy(session, {
        table,
        location,
        localPath: path,
        fileName: 'floor.csv.gz',
        expectedRows: rows,
      });
      const seconds = (Date.now() - started) / 1000;
      await execute(session, dropTable(table));
      return seconds;
    });
  } finally {
    await target.close();
  }
}

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
