/**
 * The tables a command works on: the config's selection (explicit entries, patterns, exclude) resolved
 * against the source catalog once. `start` records the result in the workflow input, so a resumed or
 * continued run never picks up a table created later.
 */
import { sourceAddress } from '../config/source-address';
import { ConfigError } from '../config/load';
import type { MigratorConfig, TableConfig } from '../config/schema';
import { readSourceSecrets } from '../config/secrets';
import type { SourceTableRef } from '../contracts/table';
import { isPattern } from '../names/sqlserver-names';
import { resolveTableSelection } from '../selection/table-selection';
import { listBaseTables } from '../sqlserver/catalog';
import { createSourceConnection, type SourcePool } from '../sqlserver/pool';
import { describeError } from './describe-error';

/** The resolved tables, or a ConfigError (exit code 2) listing every problem with its config path. */
function resolved(
  { migration, target }: Pick<MigratorConfig, 'migration' | 'target'>,
  catalog: SourceTableRef[],
): TableConfig[] {
  const { tables, problems } = resolveTableSelection(migration, catalog, target.schemas);
  if (problems.length)
    throw new ConfigError(`Invalid table selection:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return tables;
}

export async function selectTables(
  config: Pick<MigratorConfig, 'migration' | 'target'>,
  pool: SourcePool,
): Promise<TableConfig[]> {
  return resolved(config, config.migration.tables.some(isPattern) ? await listBaseTables(pool) : []);
}

/**
 * For `start`: explicit entries as written (the run's analysis checks them, as before patterns); only
 * a config with patterns connects to SQL Server to list its tables.
 */
export async function selectRunTables(
  config: MigratorConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TableConfig[]> {
  if (!config.migration.tables.some(isPattern)) return resolved(config, []);
  const source = createSourceConnection(config.source, readSourceSecrets(config, env));
  let catalog;
  try {
    catalog = await listBaseTables(await source.pool());
  } catch (err) {
    throw new Error(
      `Cannot list the tables that migration.tables' patterns select: SQL Server at ${sourceAddress(config.source)}: ${describeError(err, 'source')}`,
    );
  } finally {
    await source.close().catch(() => undefined);
  }
  return resolved(config, catalog);
}
