/**
 * The data that crosses Temporal: the workflow's input and continue-as-new state, activity inputs and
 * results, the progress query's answer and the run's summary. Descriptors and counts only; no rows,
 * no secrets (connections are the worker's; see src/config).
 */
import { z } from 'zod';
import { ForeignKeyOutcomeSchema } from './foreign-keys';
import {
  IF_TARGET_EXISTS,
  LOAD_METHODS,
  MIGRATION_MODES,
  SOURCE_READ_ISOLATIONS,
  TableConfigSchema,
  ValidationConfigSchema,
} from '../config/schema';
import {
  BatchRangeSchema,
  SnowflakeNameSchema,
  TablePlanSchema,
  TableTaskSchema,
  TARGET_CONTAINERS,
  TARGET_SCHEMA_MODES,
} from './table';

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

export const TABLE_STATES = [
  'pending',
  'preparing',
  'copying',
  'validating',
  'publishing',
  'published',
  /** mode follow: published, and applying the source's changes until cutover (then published again). */
  'following',
  'failed',
  'rolled back',
] as const;
export type TableState = (typeof TABLE_STATES)[number];

export const ValidationCheckSchema = z.object({
  name: z.string(),
  source: z.string(),
  target: z.string(),
  passed: z.boolean(),
});
export type ValidationCheck = z.infer<typeof ValidationCheckSchema>;

/** One value of a differing row: source and target canonical text (null: NULL), masked when sensitive. */
export const ValueDifferenceSchema = z.object({
  column: z.string(),
  source: z.string().nullable(),
  target: z.string().nullable(),
});
export type ValueDifference = z.infer<typeof ValueDifferenceSchema>;

export const CONTENT_DIFFERENCE_KINDS = ['changed', 'missing in target', 'not in source'] as const;
/** A row whose content differs: its key as `column=value` pairs and what differs. */
export const ContentDifferenceSchema = z.object({
  key: z.string(),
  kind: z.enum(CONTENT_DIFFERENCE_KINDS),
  values: z.array(ValueDifferenceSchema),
});
export type ContentDifference = z.infer<typeof ContentDifferenceSchema>;

/** The row-level content comparison of a batch, a table or a verify run. */
export const ContentResultSchema = z.object({
  /** Source rows compared. */
  rows: z.number().int(),
  /** Batches (or key scopes) compared. */
  scopes: z.number().int(),
  /** Rows that differ: exact when `exact`, otherwise at least this many. */
  differingRows: z.number().int(),
  exact: z.boolean(),
  /** The first differing rows, at most migration.validation.maxReportedDifferences. */
  reported: z.array(ContentDifferenceSchema),
  /** Time spent on the target checksums and on pinpointing differences. */
  durationMs: z.number(),
  /**
   * The compared source rows' checksum: rows and the exact sum of their row hashes (decimal text).
   * Summed over a table's batches it is the staging table's checksum, which validation's re-read of the
   * source then needs not ask Snowflake for. Absent in older histories.
   */
  sourceChecksum: z.object({ rows: z.number().int(), sum: z.string() }).optional(),
});
export type ContentResult = z.infer<typeof ContentResultSchema>;

export const ValidationResultSchema = z.object({
  passed: z.boolean(),
  sourceRows: z.number().int(),
  targetRows: z.number().int(),
  checks: z.array(ValidationCheckSchema),
  /** Rows a timed-out attempt of a batch loaded after its successor; removed before the checks. */
  lateRowsRemoved: z.number().int().optional(),
  /**
   * Every source row read again and compared with the staging table (validation.sourceChanges): rows
   * that differ were written on the source after their batch was copied.
   */
  sourceChanges: ContentResultSchema.optional(),
  /** What the table's progress should warn about (source changes accepted under `warn`). */
  warnings: z.array(z.string()).optional(),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/**
 * The failure type a table's child ends with when it was cancelled (and undid itself): a failure, not a
 * bare cancellation, so that its outcome can ride along as details for the run's report. Its error has
 * this type too, so that the report names the table that stopped the run, not one cancelled because of it.
 */
export const TABLE_CANCELLED = 'Cancelled';

export const ErrorInfoSchema = z.object({
  type: z.string().optional(),
  message: z.string(),
  hint: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** When a phase of a table began and ended, in workflow time (epoch ms; deterministic on replay). */
export const PhaseTimeSchema = z.object({ start: z.number(), end: z.number().optional() });
export type PhaseTime = z.infer<typeof PhaseTimeSchema>;
export const TABLE_PHASES = ['analyse', 'copy', 'validate', 'publish'] as const;
export type TablePhase = (typeof TABLE_PHASES)[number];
export const PhaseTimesSchema = z.partialRecord(z.enum(TABLE_PHASES), PhaseTimeSchema);
export type PhaseTimes = z.infer<typeof PhaseTimesSchema>;

/** The batch that stopped a run: its key range and how many attempts it had, when known. */
export const FailedBatchSchema = BatchRangeSchema.extend({
  attempts: z.number().int().optional(),
  worker: z.string().optional(),
});
export type FailedBatch = z.infer<typeof FailedBatchSchema>;

/**
 * A followed table (mode follow): the Change Tracking version its target reflects, as decimal text
 * (a bigint), and what the rounds applied.
 */
export const FollowProgressSchema = z.object({
  /** The version read before the copy began; the first round reads the changes after it. */
  startVersion: z.string(),
  /** Every change up to this version is in the target. */
  appliedVersion: z.string(),
  rounds: z.number().int(),
  /** Changed keys applied (one per key and round: deleted, inserted or updated). */
  changesApplied: z.number().int(),
  /** Workflow time of the last round's end. */
  lastRoundAt: z.number().optional(),
  /**
   * Workflow time the last round began (absent in older histories): it read its snapshot after, so the
   * target has every change committed before it, and is at most `now - lastRoundFrom` behind the source.
   */
  lastRoundFrom: z.number().optional(),
  /** Changed keys the last round applied. */
  lastRoundChanges: z.number().int().optional(),
  /** The content comparison of the whole table after the last round (cutover). */
  finalCheck: ContentResultSchema.optional(),
  /**
   * Each time the table was copied again from the start, and why (its changes were lost), with the rows
   * and batches of the copy it replaced (absent in older histories): the table's own counts are the
   * latest copy's.
   */
  recopies: z
    .array(
      z.object({
        afterVersion: z.string(),
        reason: z.string(),
        rowsCopied: z.number().int().optional(),
        batchesDone: z.number().int().optional(),
      }),
    )
    .optional(),
});
export type FollowProgress = z.infer<typeof FollowProgressSchema>;

export const TableProgressSchema = z.object({
  source: z.string(),
  target: z.string(),
  state: z.enum(TABLE_STATES),
  batchesDone: z.number().int(),
  batchesPlanned: z.number().int(),
  batchesEstimated: z.number().int(),
  rowsCopied: z.number().int(),
  rowsEstimated: z.number().int(),
  bytesCopied: z.number().int(),
  retriedBatches: z.number().int(),
  startedAt: z.number().optional(),
  copyFinishedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  phases: PhaseTimesSchema.optional(),
  failedBatch: FailedBatchSchema.optional(),
  validation: ValidationResultSchema.optional(),
  /** Row-level content comparison, summed over the batches copied so far. */
  content: ContentResultSchema.optional(),
  published: z.enum(['created', 'replaced', 'appended']).optional(),
  /** Snowflake key columns by which appended rows are deleted again (published: appended). */
  appendedKeyColumns: z.array(z.string()).optional(),
  warnings: z.array(z.string()),
  error: ErrorInfoSchema.optional(),
  follow: FollowProgressSchema.optional(),
  /**
   * The first run of the table's child workflow, once started: its outcome (checks, content, phases,
   * warnings) is read back from there for the report, as the run keeps only a compact record.
   */
  childRunId: z.string().optional(),
});
export type TableProgress = z.infer<typeof TableProgressSchema>;

/** What the run keeps of a table: its progress without the names, which the run's input gives. */
export const TableRecordSchema = TableProgressSchema.omit({ source: true, target: true });
export type TableRecord = z.infer<typeof TableRecordSchema>;

/** One undo (compensation) or clean-up step; each is safe to run twice. */
export const RunStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dropTable'), table: SnowflakeNameSchema, why: z.string() }),
  z.object({ kind: z.literal('removeStagedFiles'), target: TargetLocationSchema, path: z.string() }),
  /**
   * The database, schema or stage the run found missing, when the run fails: each is dropped only if it
   * carries the comment of the run with this tag and holds nothing else (src/snowflake/ownership.ts).
   * Without a tag (older histories) nothing is dropped.
   */
  z.object({
    kind: z.literal('dropCreated'),
    object: z.enum(TARGET_CONTAINERS),
    target: TargetLocationSchema,
    runTag: z.string().optional(),
  }),
  z.object({
    kind: z.literal('restoreReplaced'),
    target: SnowflakeNameSchema,
    replaced: SnowflakeNameSchema,
  }),
  z.object({
    kind: z.literal('deleteAppended'),
    target: SnowflakeNameSchema,
    staging: SnowflakeNameSchema,
    keyColumns: z.array(z.string()),
  }),
]);
export type RunStep = z.infer<typeof RunStepSchema>;

export const StepOutcomeSchema = z.object({
  description: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  /** What the step found and did, when that is not simply its description (a container kept, and why). */
  note: z.string().optional(),
});
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

export const OutageRetriesSchema = z.object({ source: z.number().int(), target: z.number().int() });

export const CopyStageSchema = z.enum(['prepare', 'copy', 'validate', 'publish', 'follow']);

export const CurrentTableSchema = z.object({
  stage: CopyStageSchema,
  /** Key after which the next batch starts; null before the first. */
  plannedAfter: z.array(z.string()).nullable(),
  nextBatchIndex: z.number().int(),
  planningDone: z.boolean(),
  pending: z.array(BatchRangeSchema),
});
export type CurrentTable = z.infer<typeof CurrentTableSchema>;

/** A pause of the run (pause signal to resume signal), in workflow time; `to` is missing while paused. */
export const PauseSchema = z.object({ from: z.number(), to: z.number().optional() });
export type Pause = z.infer<typeof PauseSchema>;

/** The parent run's state, carried across continue-as-new: compact, one record per table. */
export const RunStateSchema = z.object({
  startedAt: z.number(),
  /** Whether every table passed the analysis (nothing is created before). */
  analysed: z.boolean(),
  /** The outermost container the run creates (found missing by the analysis): dropped if nothing is published. */
  creates: z.enum(TARGET_CONTAINERS).optional(),
  /** target.schemas perSource: the tables' schemas the analysis found missing, dropped with `creates`. */
  createdSchemas: z.array(z.string()).optional(),
  tables: z.array(TableRecordSchema),
  /** Index of the next table whose child workflow is to start. */
  nextTable: z.number().int(),
  /** The undo steps failed tables ran themselves, for the report. */
  rolledBack: z.array(StepOutcomeSchema).optional(),
  paused: z.boolean(),
  continuedAsNew: z.number().int(),
  /** Calls made again after SQL Server (source) or Snowflake (target) was unreachable. */
  outageRetries: OutageRetriesSchema.optional(),
  pauses: z.array(PauseSchema).optional(),
  /** Hosts of the workers whose batches loaded rows. */
  workerHosts: z.array(z.string()).optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

/**
 * Table records column by column (`{ "state": [...], "rowsCopied": [...] }`): each field's name once, not
 * once per table. This is how records cross Temporal in bulk, which keeps a 2,000-table run's carried state
 * and result far inside Temporal's payload limit. A field a record lacks is null in its column.
 */
export const TableColumnsSchema = z.record(z.string(), z.array(z.unknown()));
export type TableColumns = z.infer<typeof TableColumnsSchema>;

/**
 * The run's state as it crosses continue-as-new: its table records column by column (or as a list, as
 * runs continued by earlier versions of the migrator carried them).
 */
export const CarriedRunStateSchema = RunStateSchema.extend({
  tables: z.union([TableColumnsSchema, z.array(TableRecordSchema)]),
});
export type CarriedRunState = z.infer<typeof CarriedRunStateSchema>;

/** What a table's child workflow needs besides its table: the run's settings without the table list. */
export const TableRunSettingsSchema = MigrationRunInputSchema.omit({ tables: true });
export type TableRunSettings = z.output<typeof TableRunSettingsSchema>;

export const TableRunInputSchema = z.object({
  settings: TableRunSettingsSchema,
  index: z.number().int().min(0),
  table: TableConfigSchema,
  /** Started while the run is paused: starts paused. */
  paused: z.boolean(),
});
export type TableRunInput = z.input<typeof TableRunInputSchema>;

/** mode follow: a table's child tells the run it follows now (true) or is copied again (false). */
export const TableFollowingSchema = z.object({
  index: z.number().int().min(0),
  following: z.boolean(),
});
export type TableFollowing = z.infer<typeof TableFollowingSchema>;

/** A table's child workflow state, carried across its own continue-as-new. */
export const TableRunStateSchema = z.object({
  plan: TablePlanSchema.nullable(),
  progress: TableProgressSchema.nullable(),
  current: CurrentTableSchema,
  compensations: z.array(RunStepSchema),
  paused: z.boolean(),
  continuedAsNew: z.number().int(),
  outageRetries: OutageRetriesSchema,
  workerHosts: z.array(z.string()),
  /** mode follow: cutover was asked for, at this workflow time (epoch ms). */
  cutoverAt: z.number().optional(),
});
export type TableRunState = z.infer<typeof TableRunStateSchema>;

/**
 * How a table's child workflow ended: its result when published, its failure's details otherwise.
 * A published table's undo and clean-up are the run's (src/migration/publication.ts), which runs them
 * when the whole run is undone (allOrNothing, cancel) or has ended.
 */
export const TableOutcomeSchema = z.object({
  /** Absent when the table failed before its analysis ended. */
  progress: TableProgressSchema.optional(),
  error: ErrorInfoSchema.optional(),
  /** The undo steps the table ran itself when it failed. */
  rolledBack: z.array(StepOutcomeSchema),
  outageRetries: OutageRetriesSchema,
  workerHosts: z.array(z.string()),
  continuedAsNew: z.number().int(),
});
export type TableOutcome = z.infer<typeof TableOutcomeSchema>;

export const RUN_STATUSES = [
  'running',
  'paused',
  /** mode follow: every table still running follows the source, waiting for the cutover. */
  'following',
  'succeeded',
  /** Some tables were published, the others failed and were rolled back one by one. */
  'completed with failures',
  'failed',
  'cancelled',
  /** mode follow: every table followed the source up to the cutover and was verified. */
  'cut over',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RunSummarySchema = z.object({
  workflowId: z.string(),
  runTag: z.string(),
  status: z.enum(RUN_STATUSES),
  source: z.string(),
  target: z.string(),
  loadMethod: z.enum(LOAD_METHODS),
  startedAt: z.number(),
  finishedAt: z.number(),
  tables: z.array(TableProgressSchema),
  /** How often the run continued as new to keep its history short (long tables). */
  continuedAsNew: z.number().int(),
  outageRetries: OutageRetriesSchema.optional(),
  pauses: z.array(PauseSchema).optional(),
  workerHosts: z.array(z.string()).optional(),
  /** The run's settings as the workflow got them (the input holds no secrets). */
  config: MigrationRunInputSchema.optional(),
  rolledBack: z.array(StepOutcomeSchema),
  /** Clean-up steps after success that failed: leftovers to remove by hand. */
  cleanupFailures: z.array(StepOutcomeSchema),
  /** The source's foreign keys on published tables: declared in Snowflake, or why not. */
  foreignKeys: z.array(ForeignKeyOutcomeSchema).optional(),
  error: ErrorInfoSchema.optional(),
  reportFiles: z.array(z.string()).optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * What the run hands over (its result, its failure's details, the report activity's input): the summary
 * with its tables' compact records column by column and without names, which the config gives. Read back
 * with every table's details by src/migration/table-outcomes.ts.
 */
export const PackedRunResultSchema = RunSummarySchema.extend({
  tables: TableColumnsSchema,
  config: MigrationRunInputSchema,
});
export type PackedRunResult = z.infer<typeof PackedRunResultSchema>;
/** A run's result as read back: packed, or the summary itself, as runs of earlier versions ended. */
export const RunResultSchema = z.union([PackedRunResultSchema, RunSummarySchema]);
export type RunResult = z.infer<typeof RunResultSchema>;

// Activity inputs and results.
export const AnalyzeTableInputSchema = z.object({
  index: z.number().int(),
  runTag: z.string(),
  table: MigrationRunInputSchema.shape.tables.element,
  target: TargetLocationSchema,
  metadataColumns: MetadataColumnsSchema,
  ifTargetExists: z.enum(IF_TARGET_EXISTS),
  expectedSourceDatabase: z.string(),
  /** mode follow: check Change Tracking and read the version the copy starts from. */
  follow: z.boolean().optional(),
  /** sourceReadIsolation snapshot: batches and validation read in SNAPSHOT transactions (table kinds). */
  snapshotReads: z.boolean().optional(),
});
export type AnalyzeTableInput = z.infer<typeof AnalyzeTableInputSchema>;

/** A page of the run's tables analysed in one call: the preflight of a large run keeps its history short. */
export const AnalyzeTablesInputSchema = AnalyzeTableInputSchema.omit({ index: true, table: true }).extend({
  firstIndex: z.number().int().min(0),
  tables: z.array(MigrationRunInputSchema.shape.tables.element),
  /**
   * Under per-table outcomes a table that cannot be migrated as configured is returned as refused and the
   * others go on; otherwise (allOrNothing, older histories) the first refusal fails the call.
   */
  refuseTablesAlone: z.boolean().optional(),
});
export type AnalyzeTablesInput = z.infer<typeof AnalyzeTablesInputSchema>;

/** What the run keeps of a table's analysis: its size, not its columns (its names come from the input). */
export const TableAnalysisSchema = z.object({
  rowCountEstimate: z.number().int(),
  keyed: z.boolean(),
  creates: z.enum(TARGET_CONTAINERS).optional(),
  createsSchema: z.string().optional(),
  warnings: z.array(z.string()),
  /** Why the table cannot be migrated as configured: it is not started, and nothing is created for it. */
  refused: ErrorInfoSchema.optional(),
});
export type TableAnalysis = z.infer<typeof TableAnalysisSchema>;

export const PlanBatchesInputSchema = z.object({
  task: TableTaskSchema,
  metadataColumns: MetadataColumnsSchema,
  batchSize: z.number().int().positive(),
  after: z.array(z.string()).nullable(),
  firstIndex: z.number().int(),
  maxBatches: z.number().int().positive(),
});
export type PlanBatchesInput = z.infer<typeof PlanBatchesInputSchema>;
export const PlanBatchesResultSchema = z.object({ batches: z.array(BatchRangeSchema), done: z.boolean() });
export type PlanBatchesResult = z.infer<typeof PlanBatchesResultSchema>;

export const CopyBatchInputSchema = z.object({
  task: TableTaskSchema,
  batch: BatchRangeSchema,
  /**
   * Attempts of this batch in earlier calls (the workflow calls again after an outage): added to
   * Temporal's attempt number, so every attempt of a batch has a number of its own and a higher one
   * than all before it (file names, late-row removal).
   */
  earlierAttempts: z.number().int().min(0).optional(),
  loadMethod: z.enum(LOAD_METHODS),
  target: TargetLocationSchema,
  metadataColumns: MetadataColumnsSchema,
  validation: ValidationConfigSchema.optional(),
  sourceReadIsolation: z.enum(SOURCE_READ_ISOLATIONS).optional(),
});
export type CopyBatchInput = z.infer<typeof CopyBatchInputSchema>;
export const CopyBatchResultSchema = z.object({
  rows: z.number().int(),
  /** Size of the loaded values as text (uncompressed CSV), for MB/s. */
  bytes: z.number().int(),
  attempt: z.number().int(),
  durationMs: z.number(),
  /** The batch's source rows compared with what this attempt loaded (absent in older histories). */
  content: ContentResultSchema.optional(),
  /** Host of the worker that loaded the batch, for the report. */
  host: z.string().optional(),
});
export type CopyBatchResult = z.infer<typeof CopyBatchResultSchema>;

export const TableStepInputSchema = z.object({
  task: TableTaskSchema,
  /** prepareTable marks the containers it creates with it (absent in older histories: no mark). */
  runTag: z.string().optional(),
  target: TargetLocationSchema,
  metadataColumns: MetadataColumnsSchema,
  /** For validateTable (absent in older histories: the defaults). */
  validation: ValidationConfigSchema.optional(),
  sourceReadIsolation: z.enum(SOURCE_READ_ISOLATIONS).optional(),
  /** validateTable: of the batches' content comparisons, summed, the differing rows and the checksum. */
  copied: ContentResultSchema.pick({ differingRows: true, sourceChecksum: true }).optional(),
});
export type TableStepInput = z.infer<typeof TableStepInputSchema>;

/**
 * create: the target did not exist when the run began; replace/append: it did (ifTargetExists);
 * swap: mode follow copied a published table again from the start, and the copy takes its place.
 */
export const PUBLISH_MODES = ['create', 'replace', 'append', 'swap'] as const;
export const PublishTableInputSchema = TableStepInputSchema.extend({ mode: z.enum(PUBLISH_MODES) });
export type PublishTableInput = z.infer<typeof PublishTableInputSchema>;
export const PublishTableResultSchema = z.object({
  published: z.enum(['created', 'replaced', 'appended']),
  undo: RunStepSchema,
  cleanups: z.array(RunStepSchema),
});
export type PublishTableResult = z.infer<typeof PublishTableResultSchema>;

export const ApplyChangesInputSchema = z.object({
  task: TableTaskSchema,
  target: TargetLocationSchema,
  metadataColumns: MetadataColumnsSchema,
  loadMethod: z.enum(LOAD_METHODS),
  /** The version the target reflects: the round reads the changes after it. */
  lastVersion: z.string(),
  /** The round's number, which names its staging table and files. */
  round: z.number().int(),
  /** Cutover: after the round, compare the whole table with the source. */
  verify: z.boolean(),
  maxReportedDifferences: z.number().int().min(0),
});
export type ApplyChangesInput = z.infer<typeof ApplyChangesInputSchema>;
export const ApplyChangesResultSchema = z.object({
  /** The version the target reflects now. */
  version: z.string(),
  /** Changed keys read (and applied), deletes among them. */
  changes: z.number().int(),
  deletes: z.number().int(),
  content: ContentResultSchema.optional(),
});
export type ApplyChangesResult = z.infer<typeof ApplyChangesResultSchema>;
