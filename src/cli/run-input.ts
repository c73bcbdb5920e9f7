/** From a loaded config to what a run is started with: the workflow input, its id and its labels. Pure. */
import type { MigratorConfig, TableConfig } from '../config/schema';
import type { MigrationRunInput } from '../contracts/run';

const TAG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newRunTag(random: () => number = Math.random): string {
  return Array.from({ length: 6 }, () => TAG_ALPHABET[Math.floor(random() * TAG_ALPHABET.length)]).join('');
}

/** migrate-20261124-101500-k3x9qa: sortable by start time, unique by tag. */
export function workflowIdFor(runTag: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `migrate-${stamp}-${runTag}`;
}

/** `tables`: the config's selection resolved (src/cli/selected-tables.ts), so the input is explicit. */
export function buildRunInput(
  config: MigratorConfig,
  runTag: string,
  tables: TableConfig[],
): MigrationRunInput {
  const { migration } = config;
  return {
    runTag,
    source: { server: `${config.source.server}:${config.source.port}`, database: config.source.database },
    target: { database: config.target.database, schema: config.target.schema, stage: config.target.stage },
    tables,
    batchSize: migration.batchSize,
    batchesInFlight: migration.batchesInFlight,
    tablesInFlight: migration.tablesInFlight,
    allOrNothing: migration.allOrNothing,
    loadMethod: migration.loadMethod,
    ifTargetExists: migration.ifTargetExists,
    metadataColumns: migration.metadataColumns,
    heartbeatTimeoutSeconds: migration.heartbeatTimeoutSeconds,
    validation: migration.validation,
    outageToleranceMinutes: migration.outageToleranceMinutes,
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

/** The one-line summary, the memo and the searchable table list shown for the run in Temporal. */
export function runLabels(
  config: MigratorConfig,
  selected: TableConfig[],
): { summary: string; memo: Record<string, unknown>; searchTables: string[] } {
  const tables = selected.map((t) => t.source);
  const target = `${config.target.database}.${config.target.schema}`;
  const named =
    tables.length > SUMMARY_TABLES + 1
      ? `${tables.slice(0, SUMMARY_TABLES).join(', ')} and ${tables.length - SUMMARY_TABLES} more tables`
      : tables.join(', ');
  return {
    summary: `Migrate ${named} from ${config.source.database} to ${target} (${config.migration.loadMethod})`,
    memo: {
      source: `${config.source.server}:${config.source.port}/${config.source.database}`,
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
