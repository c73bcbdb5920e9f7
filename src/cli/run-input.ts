/** From a loaded config to what a run is started with: the workflow input, its id and its labels. Pure. */
import { sourceAddress } from '../config/source-address';
import { createHash } from 'node:crypto';
import type { MigratorConfig, TableConfig } from '../config/schema';
import type { MigrationRunInput } from '../contracts/run-input';

const TAG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newRunTag(random: () => number = Math.random): string {
  return Array.from({ length: 6 }, () => TAG_ALPHABET[Math.floor(random() * TAG_ALPHABET.length)]).join('');
}

/**
 * The workflow id of a run: the same for every run of the same tables into the same Snowflake schema (of
 * the same account), so
 * that Temporal itself refuses a second start while a first run is open (see startRun); Temporal's list of
 * open runs lags a start by about a second, so a check of it alone let two starts through. Runs under one
 * id are told apart by their run id and run tag. Only [a-z0-9_-], so that ids derived from it stay plain.
 * For example migrate-steve_mcp-data_migration-5f0c2a91e4.
 */
export function workflowIdFor(config: MigratorConfig, tables: TableConfig[]): string {
  const { account, database, schema } = config.target;
  // SQL Server compares table names case-insensitively; Snowflake's database and schema are exact.
  const names = tables.map((t) => t.source.toLowerCase()).sort();
  const digest = createHash('sha256')
    .update(JSON.stringify([account.toLowerCase(), database, schema, names]))
    .digest('hex')
    .slice(0, 10);
  return `migrate-${slug(database)}-${slug(schema)}-${digest}`;
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40);

/** `tables`: the config's selection resolved (src/cli/selected-tables.ts), so the input is explicit. */
export function buildRunInput(
  config: MigratorConfig,
  runTag: string,
  tables: TableConfig[],
): MigrationRunInput {
  const { migration } = config;
  return {
    runTag,
    source: { server: `${sourceAddress(config.source)}`, database: config.source.database },
    target: {
      database: config.target.database,
      schema: config.target.schema,
      stage: config.target.stage,
      // Only when not the default, so a default run's input (and its workflow id) stays as it was.
      ...(config.target.schemas === 'perSource' ? { schemas: config.target.schemas } : {}),
    },
    tables,
    batchSize: migration.batchSize,
    batchesInFlight: migration.batchesInFlight,
    tablesInFlight: migration.tablesInFlight,
    allOrNothing: migration.allOrNothing,
    loadMethod: migration.loadMethod,
    sourceReadIsolation: migration.sourceReadIsolation,
    ifTargetExists: migration.ifTargetExists,
    metadataColumns: migration.metadataColumns,
    heartbeatTimeoutSeconds: migration.heartbeatTimeoutSeconds,
    validation: migration.validation,
    outageToleranceMinutes: migration.outageToleranceMinutes,
    // Only under follow, so a snapshot run's input stays as it was.
    ...(migration.mode === 'follow'
      ? { mode: migration.mode, followIntervalSeconds: migration.follow.intervalSeconds }
      : {}),
  };
}

/**
 * Temporal refuses a search attribute value over 2 KB (limit.searchAttributesSizeOfValue) and warns on
 * a memo over 2 KB (refused over 32 KB): a run over a whole schema lists the first tables that fit,
 * keeping room for the payload's own metadata, and says how many there are in all.
 */
const SEARCH_ATTRIBUTE_LIST_BYTES = 1_800;
const MEMO_LIST_BYTES = 16_000;
const SUMMARY_TABLES = 3;
/** Tables named in the Web UI's details panel, which shows a few lines only. */
const DETAILS_TABLES = 10;

/** The first names whose JSON list stays within maxBytes. */
export function namesThatFit(names: string[], maxBytes: number): string[] {
  let bytes = 2; // []
  const kept: string[] = [];
  for (const name of names) {
    bytes += Buffer.byteLength(JSON.stringify(name)) + (kept.length ? 1 : 0);
    if (bytes > maxBytes) break;
    kept.push(name);
  }
  return kept;
}

/**
 * The one-line summary, the details (Markdown: a paragraph a line, three lines fit the Web UI's panel),
 * the memo and the searchable table list shown for the run in Temporal.
 */
export function runLabels(
  config: MigratorConfig,
  selected: TableConfig[],
): { summary: string; details: string; memo: Record<string, unknown>; searchTables: string[] } {
  const tables = selected.map((t) => t.source);
  const target = `${config.target.database}.${config.target.schema}`;
  const named =
    tables.length > SUMMARY_TABLES + 1
      ? `${tables.slice(0, SUMMARY_TABLES).join(', ')} and ${tables.length - SUMMARY_TABLES} more tables`
      : tables.join(', ');
  const { migration } = config;
  const more = tables.length > DETAILS_TABLES ? `, and ${tables.length - DETAILS_TABLES} more` : '';
  return {
    summary: `Migrate ${named} from ${config.source.database} to ${target} (${migration.loadMethod})`,
    details: [
      `From SQL Server ${sourceAddress(config.source)}, database ${config.source.database}, to Snowflake account ${config.target.account}, ${target}`,
      `Tables (${tables.length}): ${tables.slice(0, DETAILS_TABLES).join(', ')}${more}`,
      `Load method ${migration.loadMethod}, ${migration.batchSize.toLocaleString('en-US')} rows per batch, ${migration.batchesInFlight} batch(es) in flight; an existing target table: ${migration.ifTargetExists}`,
    ].join('\n\n'),
    memo: {
      source: `${sourceAddress(config.source)}/${config.source.database}`,
      target,
      tableCount: tables.length,
      tables: namesThatFit(tables, MEMO_LIST_BYTES),
      loadMethod: config.migration.loadMethod,
      batchSize: config.migration.batchSize,
      batchesInFlight: config.migration.batchesInFlight,
      tablesInFlight: config.migration.tablesInFlight,
      allOrNothing: config.migration.allOrNothing,
      ifTargetExists: config.migration.ifTargetExists,
    },
    searchTables: namesThatFit(tables, SEARCH_ATTRIBUTE_LIST_BYTES),
  };
}
