/**
 * The activities' inputs and results, as they cross between the workflows and the worker: descriptors
 * and counts only, never rows.
 */
import { z } from 'zod';
import {
  IF_TARGET_EXISTS,
  LOAD_METHODS,
  SOURCE_READ_ISOLATIONS,
  ValidationConfigSchema,
} from '../config/schema';
import { BatchRangeSchema, CatalogFactsSchema, TableTaskSchema, TARGET_CONTAINERS } from './table';
import { MetadataColumnsSchema, MigrationRunInputSchema, TargetLocationSchema } from './run-input';
import { ContentResultSchema, ErrorInfoSchema } from './progress';
import { RunStepSchema } from './steps';

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
  /** Return each table's catalog facts, for its child to reuse (absent in older histories: not returned). */
  withFacts: z.boolean().optional(),
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
  /** withFacts: what the analysis read of the table, which its child reuses (the run does not carry it). */
  facts: CatalogFactsSchema.optional(),
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
