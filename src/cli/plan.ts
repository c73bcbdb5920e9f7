/**
 * `migrate plan`: a dry run. Reads the source catalog and key boundaries and prints, per table, the
 * Snowflake DDL and the batch plan. Nothing is written to SQL Server, Snowflake or Temporal.
 */
import { loadConfigFile } from '../config/load';
import type { MigratorConfig } from '../config/schema';
import { readSourceSecrets } from '../config/secrets';
import { inspectSourceTable } from '../migration/inspect-source';
import { tableNames } from '../migration/target-names';
import { createTable, displaySnowflakeName } from '../snowflake/sql';
import { planKeyRanges } from '../sqlserver/boundaries';
import { countRows } from '../sqlserver/catalog';
import { createSourceConnection } from '../sqlserver/pool';
import { displayTableName, parseTableName } from '../sqlserver/sql';
import { describeError } from './describe-error';

function describeRange(lower: string[] | null, upper: string[] | null): string {
  const key = (values: string[] | null, open: string) => (values ? `(${values.join(', ')})` : open);
  return `${key(lower, 'start')} < key <= ${key(upper, 'end')}`;
}

export async function runPlan(
  configPath: string,
  shownBatches: number,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  let config: MigratorConfig;
  try {
    config = loadConfigFile(configPath);
  } catch (err) {
    out.write(`${(err as Error).message}\n`);
    return 1;
  }
  const { migration } = config;
  const source = createSourceConnection(config.source, readSourceSecrets(config));
  try {
    const pool = await source.pool();
    out.write(
      `Dry run: nothing is written. Load method ${migration.loadMethod}, ${migration.batchSize.toLocaleString('en-US')} rows per batch, ${migration.batchesInFlight} batches in flight, ifTargetExists ${migration.ifTargetExists}.\n`,
    );
    for (const [index, table] of migration.tables.entries()) {
      const ref = parseTableName(table.source);
      const { shape } = await inspectSourceTable(
        pool,
        { source: ref, keyColumns: table.keyColumns, excludeColumns: table.excludeColumns },
        migration.metadataColumns,
      );
      const rows = await countRows(pool, ref, table.filter);
      const names = tableNames({
        index,
        runTag: 'plan',
        source: ref,
        targetOverride: table.target,
        database: config.target.database,
        schema: config.target.schema,
      });
      const batches = shape.keyColumns.length ? Math.max(1, Math.ceil(rows / migration.batchSize)) : 1;
      const key = shape.keyColumns.length
        ? `(${shape.keyColumns.map((k) => k.name).join(', ')}) from the ${shape.keySource === 'primaryKey' ? 'primary key' : 'config'}`
        : 'none: one pass';
      out.write(`\n${displayTableName(ref)} -> ${displaySnowflakeName(names.target)}\n`);
      out.write(
        `  rows: ${rows.toLocaleString('en-US')}${table.filter ? ` (filter: ${table.filter})` : ''}; about ${batches} batch(es); key ${key}\n`,
      );
      for (const warning of shape.warnings) out.write(`  warning: ${warning}\n`);
      out.write(
        `\n${createTable({ table: names.target, columns: shape.targetColumns, isMigratedColumn: migration.metadataColumns.isMigrated, migratedAtColumn: migration.metadataColumns.migratedAt, primaryKey: shape.targetPrimaryKey }, 'published').replace(/^/gm, '  ')};\n\n`,
      );
      const plan = await planKeyRanges(pool, {
        table: ref,
        keys: shape.keyColumns,
        filter: table.filter,
        batchSize: migration.batchSize,
        after: null,
        firstIndex: 0,
        maxBatches: shownBatches,
      });
      out.write(`  first key ranges:\n`);
      for (const batch of plan.batches)
        out.write(`    #${batch.index}: ${describeRange(batch.lower, batch.upper)}\n`);
      if (!plan.done) out.write('    ...\n');
    }
    return 0;
  } catch (err) {
    out.write(`${describeError(err, 'source')}\n`);
    return 1;
  } finally {
    await source.close().catch(() => undefined);
  }
}
