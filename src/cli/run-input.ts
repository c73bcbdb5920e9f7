/** From a loaded config to what a run is started with: the workflow input, its id and its labels. Pure. */
import type { MigratorConfig } from '../config/schema';
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

export function buildRunInput(config: MigratorConfig, runTag: string): MigrationRunInput {
  const { migration } = config;
  return {
    runTag,
    source: { server: `${config.source.server}:${config.source.port}`, database: config.source.database },
    target: { database: config.target.database, schema: config.target.schema, stage: config.target.stage },
    tables: migration.tables,
    batchSize: migration.batchSize,
    batchesInFlight: migration.batchesInFlight,
    loadMethod: migration.loadMethod,
    ifTargetExists: migration.ifTargetExists,
    metadataColumns: migration.metadataColumns,
    heartbeatTimeoutSeconds: migration.heartbeatTimeoutSeconds,
    validation: migration.validation,
    outageToleranceMinutes: migration.outageToleranceMinutes,
  };
}

/** The one-line summary and the memo shown for the run in the Temporal Web UI. */
export function runLabels(config: MigratorConfig): { summary: string; memo: Record<string, unknown> } {
  const tables = config.migration.tables.map((t) => t.source);
  const target = `${config.target.database}.${config.target.schema}`;
  return {
    summary: `Migrate ${tables.join(', ')} from ${config.source.database} to ${target} (${config.migration.loadMethod})`,
    memo: {
      source: `${config.source.server}:${config.source.port}/${config.source.database}`,
      target,
      tables,
      loadMethod: config.migration.loadMethod,
      batchSize: config.migration.batchSize,
      batchesInFlight: config.migration.batchesInFlight,
      ifTargetExists: config.migration.ifTargetExists,
    },
  };
}
