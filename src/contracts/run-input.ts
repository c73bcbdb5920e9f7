/**
 * What a run is started with, and what it hands each table's child workflow: the client's input to
 * migrateTables and migrateTables' input to migrateTable. Settings and descriptors only, no secrets
 * (connections are the worker's; see src/config).
 */
import { z } from 'zod';
import {
  IF_TARGET_EXISTS,
  LOAD_METHODS,
  MIGRATION_MODES,
  SOURCE_READ_ISOLATIONS,
  TableConfigSchema,
  ValidationConfigSchema,
} from '../config/schema';
import { PhaseTimeSchema } from './progress';
import { AnalysedFactsSchema, TARGET_SCHEMA_MODES } from './table';

export const MetadataColumnsSchema = z.object({ isMigrated: z.string(), migratedAt: z.string() });
export type MetadataColumns = z.infer<typeof MetadataColumnsSchema>;

export const TargetLocationSchema = z.object({
  database: z.string(),
  /** The schema of the stage, and of every table unless `schemas` is perSource. */
  schema: z.string(),
  stage: z.string(),
  /** Absent (older histories, and the default): single. */
  schemas: z.enum(TARGET_SCHEMA_MODES).optional(),
});
export type TargetLocation = z.infer<typeof TargetLocationSchema>;

export const MigrationRunInputSchema = z.object({
  /** Short lower-case tag that names this run's staging tables and stage folder. */
  runTag: z.string().regex(/^[a-z0-9]{4,16}$/),
  source: z.object({ server: z.string(), database: z.string() }),
  target: TargetLocationSchema,
  tables: z.array(TableConfigSchema).min(1),
  batchSize: z.number().int().positive(),
  batchesInFlight: z.number().int().positive(),
  loadMethod: z.enum(LOAD_METHODS),
  sourceReadIsolation: z.enum(SOURCE_READ_ISOLATIONS).default('readCommitted'),
  ifTargetExists: z.enum(IF_TARGET_EXISTS),
  metadataColumns: MetadataColumnsSchema,
  heartbeatTimeoutSeconds: z.number().int().positive(),
  validation: ValidationConfigSchema.default(ValidationConfigSchema.parse({})),
  /** How long one step waits for an unreachable SQL Server or Snowflake (src/contracts/outage.ts). */
  outageToleranceMinutes: z.number().positive().default(60),
  /** History length after which the run continues as new (Temporal caps a history at 51,200 events). */
  continueAsNewAfterEvents: z.number().int().positive().default(10_000),
  /** Tables migrated at once, each by a child workflow of the run. */
  tablesInFlight: z.number().int().positive().default(2),
  /** true: one failing table rolls back the whole run; false: it is rolled back alone. */
  allOrNothing: z.boolean().default(false),
  /** follow: after publishing, each table applies the source's tracked changes until cutover. */
  /** Absent: snapshot (and in runs of earlier versions). */
  mode: z.enum(MIGRATION_MODES).optional(),
  followIntervalSeconds: z.number().int().positive().optional(),
});
export type MigrationRunInput = z.input<typeof MigrationRunInputSchema>;
export type ParsedRunInput = z.output<typeof MigrationRunInputSchema>;

/** What a table's child workflow needs besides its table: the run's settings without the table list. */
export const TableRunSettingsSchema = MigrationRunInputSchema.omit({ tables: true });
export type TableRunSettings = z.output<typeof TableRunSettingsSchema>;

/** A table's analysis in the run's preflight, and when its page was analysed (the table's analyse phase). */
export const PreflightAnalysisSchema = AnalysedFactsSchema.extend({ analysed: PhaseTimeSchema });
export type PreflightAnalysis = z.infer<typeof PreflightAnalysisSchema>;

export const TableRunInputSchema = z.object({
  settings: TableRunSettingsSchema,
  index: z.number().int().min(0),
  table: TableConfigSchema,
  /** Started while the run is paused: starts paused. */
  paused: z.boolean(),
  /**
   * What the run's preflight found of the table, when the run still has it at hand (not after the run
   * continued as new, nor under mode follow): the child plans from it instead of analysing the table again.
   */
  analysis: PreflightAnalysisSchema.optional(),
});
export type TableRunInput = z.input<typeof TableRunInputSchema>;
