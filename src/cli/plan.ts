/**
 * `migrate plan`: a dry run. Reads the source catalog and key boundaries and shows, per table, the
 * Snowflake DDL and the batch plan (as text, or JSON with --json). Nothing is written to SQL Server,
 * Snowflake or Temporal.
 */
import { loadConfigFile } from '../config/load';
import { hintFor, MigrationError, TABLE_REFUSALS } from '../contracts/errors';
import type { MigratorConfig, TableConfig } from '../config/schema';
import { readSourceSecrets } from '../config/secrets';
import { columnReports, type ColumnReport } from '../mapping/fidelity';
import { followVerdict } from '../follow/rules';
import { describedColumns } from '../mapping/descriptions';
import { inspectSourceTable, readFollowFacts } from '../source/inspect-source';
import { tableNames } from '../names/target-names';
import { withIdentityDefault } from '../sql/snowflake/identity';
import { createTable } from '../sql/snowflake/statements';
import { displaySnowflakeName } from '../names/snowflake-names';
import { planKeyRanges } from '../sqlserver/boundaries';
import { restrictionView } from '../source/read-restrictions';
import { kindRefusals, readsInSnapshot, tableKindView } from '../source/table-kinds';
import { countRows, readReadRestrictions, readTableKind } from '../sqlserver/catalog';
import { createSourceConnection, type SourcePool } from '../sqlserver/pool';
import { displayTableName, parseTableName } from '../names/sqlserver-names';
import { describeError } from './describe-error';
import { EXIT_CODES } from './exit-codes';
import { renderColumns } from './fidelity-view';
import { selectTables } from './selected-tables';

export interface TablePreview {
  source: string;
  target: string;
  rows: number;
  filter?: string;
  batches: number;
  key: { columns: string[]; from: 'primary key' | 'config' } | null;
  warnings: string[];
  /** Why a run would refuse the table before any DDL (a security policy filters what the login reads...). */
  refused: string[];
  /** mode follow: Change Tracking is on for the database and the table (refused otherwise). */
  follow?: string;
  /** The type-fidelity verdict of each column, as `discover` shows it. */
  columns: ColumnReport[];
  ddl: string;
  firstRanges: { index: number; lower: string[] | null; upper: string[] | null }[];
  moreRanges: boolean;
}

/** A table that cannot be migrated as configured (a refused column type, an unusable key...): no DDL. */
export interface RefusedTablePreview {
  source: string;
  target: string;
  refused: string[];
  hint?: string;
}

/** The names a run would give the table (its target in the plan). */
function planNames(config: MigratorConfig, table: TableConfig, index: number) {
  return tableNames({
    index,
    runTag: 'plan',
    source: parseTableName(table.source),
    targetOverride: table.target,
    target: config.target,
  });
}

function refusedPreview(
  config: MigratorConfig,
  table: TableConfig,
  index: number,
  err: MigrationError,
): RefusedTablePreview {
  const ref = parseTableName(table.source);
  const names = planNames(config, table, index);
  const hint = hintFor(err.type);
  return {
    source: displayTableName(ref),
    target: displaySnowflakeName(names.target),
    refused: [err.message],
    ...(hint ? { hint } : {}),
  };
}

async function previewTable(
  config: MigratorConfig,
  pool: SourcePool,
  tables: TableConfig[],
  index: number,
  shownBatches: number,
): Promise<TablePreview> {
  const { migration } = config;
  const table = tables[index]!;
  const ref = parseTableName(table.source);
  const { catalog, shape, uniqueKeys, descriptions } = await inspectSourceTable(
    pool,
    { source: ref, keyColumns: table.keyColumns, excludeColumns: table.excludeColumns },
    migration.metadataColumns,
  );
  const rows = await countRows(pool, ref, table.filter);
  const restrictions = restrictionView(
    displayTableName(ref),
    await readReadRestrictions(pool, ref, catalog.type),
    columnReports(catalog.columns, table.excludeColumns),
    table.allowMaskedOrFiltered ?? false,
  );
  const kindOptions = { snapshotReads: readsInSnapshot(migration), excludeColumns: table.excludeColumns };
  const tableKind = await readTableKind(pool, ref, catalog.type);
  const kind = tableKindView(displayTableName(ref), tableKind, restrictions.columns, kindOptions);
  const follow =
    migration.mode === 'follow'
      ? followVerdict(await readFollowFacts(pool, config.source.database, ref, shape, table.filter))
      : undefined;
  const names = planNames(config, table, index);
  const plan = await planKeyRanges(pool, {
    table: ref,
    keys: shape.keyColumns,
    filter: table.filter,
    batchSize: migration.batchSize,
    after: null,
    firstIndex: 0,
    maxBatches: shownBatches,
  });
  const keyed = shape.keyColumns.length > 0;
  const described = describedColumns(shape, descriptions);
  return {
    source: displayTableName(ref),
    target: displaySnowflakeName(names.target),
    rows,
    ...(table.filter ? { filter: table.filter } : {}),
    batches: keyed ? Math.max(1, Math.ceil(rows / migration.batchSize)) : 1,
    key: keyed
      ? {
          columns: shape.keyColumns.map((k) => k.name),
          from: shape.keySource === 'primaryKey' ? 'primary key' : 'config',
        }
      : null,
    warnings: [...restrictions.warnings, ...kind.warnings, ...shape.warnings],
    // Every refusal of the kind, an encrypted column's included: a run would refuse the table for it.
    refused: [
      ...restrictions.problems,
      ...kindRefusals(displayTableName(ref), tableKind, kindOptions),
      ...(follow && !follow.ready ? [follow.message] : []),
    ],
    ...(follow?.ready ? { follow: follow.message } : {}),
    columns: kind.columns,
    ddl: createTable(
      {
        table: names.target,
        ...described,
        // Named with the run's tag, created at publication (src/sql/snowflake/identity.ts).
        columns: withIdentityDefault(described.columns, shape.identity, names.identitySequence),
        isMigratedColumn: migration.metadataColumns.isMigrated,
        migratedAtColumn: migration.metadataColumns.migratedAt,
        primaryKey: shape.targetPrimaryKey,
        uniqueKeys: uniqueKeys.map((k) => k.columns),
      },
      'published',
    ),
    firstRanges: plan.batches.map((b) => ({ index: b.index, lower: b.lower, upper: b.upper })),
    moreRanges: !plan.done,
  };
}

function describeRange(lower: string[] | null, upper: string[] | null): string {
  const key = (values: string[] | null, open: string) => (values ? `(${values.join(', ')})` : open);
  return `${key(lower, 'start')} < key <= ${key(upper, 'end')}`;
}

function renderRefused(t: RefusedTablePreview): string {
  const lines = [
    `\n${t.source} -> ${t.target}`,
    ...t.refused.map((r) => `  refused: ${r}`),
    ...(t.hint ? [`  what to do: ${t.hint}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function renderTable(t: TablePreview): string {
  const key = t.key ? `(${t.key.columns.join(', ')}) from the ${t.key.from}` : 'none: one pass';
  const lines = [
    `\n${t.source} -> ${t.target}`,
    `  rows: ${t.rows.toLocaleString('en-US')}${t.filter ? ` (filter: ${t.filter})` : ''}; about ${t.batches} batch(es); key ${key}`,
    ...t.refused.map((r) => `  refused: ${r}`),
    ...(t.follow ? [`  follow: ${t.follow}`] : []),
    ...t.warnings.map((w) => `  warning: ${w}`),
    '',
    ...renderColumns(t.columns),
    `\n${t.ddl.replace(/^/gm, '  ')};\n`,
    '  first key ranges:',
    ...t.firstRanges.map((r) => `    #${r.index}: ${describeRange(r.lower, r.upper)}`),
    ...(t.moreRanges ? ['    ...'] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runPlan(
  configPath: string,
  options: { batches: number; json?: boolean },
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
    const settings = {
      loadMethod: migration.loadMethod,
      batchSize: migration.batchSize,
      batchesInFlight: migration.batchesInFlight,
      ifTargetExists: migration.ifTargetExists,
    };
    if (!options.json)
      out.write(
        `Dry run: nothing is written. Load method ${settings.loadMethod}, ${settings.batchSize.toLocaleString('en-US')} rows per batch, ${settings.batchesInFlight} batches in flight, ifTargetExists ${settings.ifTargetExists}.\n`,
      );
    const selected = await selectTables(config, pool);
    const tables: (TablePreview | RefusedTablePreview)[] = [];
    let refusals = 0;
    for (const index of selected.keys()) {
      // A table that cannot be migrated as configured is shown as refused; the others are still planned.
      const preview = await previewTable(config, pool, selected, index, options.batches).catch(
        (err: unknown) => {
          if (!(err instanceof MigrationError && TABLE_REFUSALS.has(err.type))) throw err;
          return refusedPreview(config, selected[index]!, index, err);
        },
      );
      tables.push(preview);
      // A masked column the login cannot unmask is refused as a column (read-restrictions.ts): a run would
      // refuse the table for it, so the plan's exit code says so too.
      const refusesColumn = 'columns' in preview && preview.columns.some((c) => c.verdict === 'refused');
      if (preview.refused.length || refusesColumn) refusals += 1;
      if (!options.json) out.write('ddl' in preview ? renderTable(preview) : renderRefused(preview));
    }
    if (options.json) out.write(`${JSON.stringify({ ...settings, tables }, null, 2)}\n`);
    return refusals ? EXIT_CODES.failed : EXIT_CODES.succeeded;
  } catch (err) {
    (options.json ? process.stderr : out).write(`${describeError(err, 'source')}\n`);
    return EXIT_CODES.failed;
  } finally {
    await source.close().catch(() => undefined);
  }
}
