/**
 * How far a table has come: the progress the queries answer with (src/workflows/messages.ts), the record
 * the run keeps of each table, and the validation results that are part of them.
 */
import { z } from 'zod';
import { BatchRangeSchema } from './table';

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
