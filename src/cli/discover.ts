/**
 * `migrate discover`: the type-fidelity report a data engineer reads before loading anything. For every
 * table the config selects: rows, size, the key that orders batches, a verdict per column (exact,
 * converted and how, or refused with what to do) and what Snowflake will not have. Reads the SQL
 * Server catalog only; nothing is written anywhere.
 */
import { sourceAddress } from '../config/source-address';
import { ConfigError, loadConfigFile } from '../config/load';
import type { MigratorConfig, TableConfig } from '../config/schema';
import { readSourceSecrets } from '../config/secrets';
import { tableFidelity, type TableFidelity } from '../mapping/fidelity';
import { followVerdict } from '../follow/rules';
import { readFollowFacts } from '../source/inspect-source';
import { targetSchemaName, targetTableName } from '../names/target-names';
import { displaySnowflakeName } from '../names/snowflake-names';
import { restrictionView } from '../source/read-restrictions';
import { readsInSnapshot, tableKindView } from '../source/table-kinds';
import {
  countRows,
  estimateRows,
  readReadRestrictions,
  readTableCatalog,
  readTableDeclarations,
  readTableKind,
  readUniqueKeys,
  readTableSize,
} from '../sqlserver/catalog';
import { createSourceConnection, type SourcePool } from '../sqlserver/pool';
import { displayTableName, parseTableName } from '../names/sqlserver-names';
import type { SourceTableRef } from '../contracts/table';
import { describeError } from './describe-error';
import { EXIT_CODES } from './exit-codes';
import { renderColumns, renderNotCarried } from './fidelity-view';
import { inParallel } from './in-parallel';
import { selectTables } from './selected-tables';

export type TableDiscovery = {
  source: string;
  target: string;
  rows: number;
  /**
   * How `rows` was counted: `estimate` from the catalog (sys.partitions, without reading the table; the
   * default, so that thousands of tables answer in seconds), `exact` by COUNT_BIG(*) (--exact-counts, a
   * filter, or a view, which the catalog does not count).
   */
  rowCount: 'estimate' | 'exact';
  filter?: string;
  size: { bytes: number } | { unknown: string };
  /** mode follow: Change Tracking is on for the database and the table (a problem otherwise). */
  follow?: string;
} & TableFidelity;

async function discoverTable(
  config: MigratorConfig,
  pool: SourcePool,
  table: TableConfig,
  exactCounts: boolean,
): Promise<TableDiscovery> {
  const ref = parseTableName(table.source);
  const source = displayTableName(ref);
  const catalog = await readTableCatalog(pool, ref);
  const [declarations, uniqueKeys, size, rows, restrictions, tableKind] = await Promise.all([
    readTableDeclarations(pool, ref),
    readUniqueKeys(pool, ref),
    readTableSize(pool, ref),
    countTableRows(pool, ref, table.filter, exactCounts),
    readReadRestrictions(pool, ref, catalog.type),
    readTableKind(pool, ref, catalog.type),
  ]);
  const target = { database: config.target.database, schema: targetSchemaName(ref, config.target) };
  const fidelity = tableFidelity({
    tableName: source,
    catalog,
    declarations,
    uniqueKeys,
    keyColumns: table.keyColumns,
    excludeColumns: table.excludeColumns,
    metadataColumns: config.migration.metadataColumns,
  });
  const view = restrictionView(source, restrictions, fidelity.columns, table.allowMaskedOrFiltered ?? false);
  const kind = tableKindView(source, tableKind, view.columns, {
    snapshotReads: readsInSnapshot(config.migration),
    excludeColumns: table.excludeColumns,
  });
  const keySource = !fidelity.key ? 'none' : fidelity.key.from === 'primary key' ? 'primaryKey' : 'config';
  const follow =
    config.migration.mode === 'follow'
      ? followVerdict(await readFollowFacts(pool, config.source.database, ref, { keySource }, table.filter))
      : undefined;
  const problems = [
    ...(fidelity.problem ? [fidelity.problem] : []),
    ...view.problems,
    ...kind.problems,
    ...(follow && !follow.ready ? [follow.message] : []),
  ];
  return {
    source,
    target: displaySnowflakeName({ ...target, name: targetTableName(ref, table.target) }),
    rows: rows.rows,
    rowCount: rows.kind,
    ...(table.filter ? { filter: table.filter } : {}),
    size,
    ...fidelity,
    columns: kind.columns,
    warnings: [...view.warnings, ...kind.warnings, ...fidelity.warnings],
    ...(follow?.ready ? { follow: follow.message } : {}),
    ...(problems.length ? { problem: problems.join(' ') } : {}),
  };
}

/** The catalog's estimate unless exact counts are asked for or the estimate cannot answer (filter, view). */
async function countTableRows(
  pool: SourcePool,
  ref: SourceTableRef,
  filter: string | undefined,
  exact: boolean,
): Promise<{ rows: number; kind: TableDiscovery['rowCount'] }> {
  const estimate = exact || filter ? null : await estimateRows(pool, ref);
  if (estimate !== null) return { rows: estimate, kind: 'estimate' };
  return { rows: await countRows(pool, ref, filter), kind: 'exact' };
}

/** Tables discovered at once, at most the source pool's size. */
const DISCOVER_IN_PARALLEL = 8;

/** 1536 -> 1.5 KB; binary units, as SQL Server's sp_spaceused counts (KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function renderDiscovery(t: TableDiscovery): string {
  const key = t.key ? `(${t.key.columns.join(', ')}), from the ${t.key.from}` : 'none: copied in one pass';
  const size = 'bytes' in t.size ? formatBytes(t.size.bytes) : `unknown: ${t.size.unknown}`;
  const lines = [
    `\n${t.source} -> ${t.target}`,
    `  rows  ${t.rowCount === 'estimate' ? 'about ' : ''}${t.rows.toLocaleString('en-US')} (${t.rowCount === 'estimate' ? 'catalog estimate' : 'exact count'}${t.filter ? `, filter: ${t.filter}` : ''})`,
    `  size  ${size}`,
    `  key   ${key}`,
    ...(t.problem ? [`  problem: ${t.problem}`] : []),
    ...(t.follow ? [`  follow ${t.follow}`] : []),
    ...t.warnings.map((w) => `  warning: ${w}`),
    '',
    ...renderColumns(t.columns),
    ...renderNotCarried(t.notCarried),
  ];
  return `${lines.join('\n')}\n`;
}

/** Columns per verdict, over every table. */
export function countVerdicts(
  tables: TableDiscovery[],
): Record<'exact' | 'converted' | 'refused' | 'excluded', number> {
  const counts = { exact: 0, converted: 0, refused: 0, excluded: 0 };
  for (const c of tables.flatMap((t) => t.columns)) counts[c.verdict] += 1;
  return counts;
}

/** Exit 0 when every selected table can be migrated as configured; 1 when one cannot (refused columns...). */
export async function runDiscover(
  configPath: string,
  options: { json?: boolean; exactCounts?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const notices = options.json ? process.stderr : out;
  let config: MigratorConfig;
  try {
    config = loadConfigFile(configPath);
  } catch (err) {
    notices.write(`${(err as Error).message}\n`);
    return EXIT_CODES.invalidConfig;
  }
  const source = createSourceConnection(config.source, readSourceSecrets(config));
  try {
    const pool = await source.pool();
    const selected = await selectTables(config, pool);
    const where = `${sourceAddress(config.source)}/${config.source.database}`;
    if (!options.json) out.write(`${selected.length} table(s) selected in ${where}; nothing is written.\n`);
    // Several tables at once (each one's catalog reads are round trips, not work), printed in order.
    const tables = await inParallel(
      selected,
      Math.min(DISCOVER_IN_PARALLEL, config.source.poolMax),
      (table) => discoverTable(config, pool, table, options.exactCounts ?? false),
      (table) => {
        if (!options.json) out.write(renderDiscovery(table));
      },
    );
    const counts = countVerdicts(tables);
    const blocked = tables.filter((t) => t.problem || t.columns.some((c) => c.verdict === 'refused'));
    if (options.json) {
      out.write(`${JSON.stringify({ source: where, tables, columns: counts }, null, 2)}\n`);
    } else {
      out.write(
        `\n${tables.length} table(s), columns: ${counts.exact} exact, ${counts.converted} converted, ${counts.refused} refused, ${counts.excluded} excluded.\n` +
          (blocked.length
            ? `A run would stop before any DDL: ${blocked.map((t) => t.source).join(', ')} cannot be migrated as configured (see above).\n`
            : 'Every selected table can be migrated as configured.\n'),
      );
    }
    return blocked.length ? EXIT_CODES.failed : EXIT_CODES.succeeded;
  } catch (err) {
    if (err instanceof ConfigError) {
      notices.write(`${err.message}\n`);
      return EXIT_CODES.invalidConfig;
    }
    notices.write(`${describeError(err, 'source')}\n`);
    return EXIT_CODES.failed;
  } finally {
    await source.close().catch(() => undefined);
  }
}
