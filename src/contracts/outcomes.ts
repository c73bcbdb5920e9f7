/**
 * How a table's child and a run end: what a child tells its run (following, its outcome), the run's
 * status and summary, and the result it hands over.
 */
import { z } from 'zod';
import { ForeignKeyOutcomeSchema } from './foreign-keys';
import { LOAD_METHODS } from '../config/schema';
import { MigrationRunInputSchema } from './run-input';
import { ErrorInfoSchema, TableProgressSchema } from './progress';
import { StepOutcomeSchema } from './steps';
import { OutageRetriesSchema, PauseSchema, TableColumnsSchema } from './carried-state';

/**
 * The error type of a table that was cancelled (and undid itself), so that the report names the table
 * that stopped the run, not one cancelled because of it. Children of histories recorded before
 * `patched('table-closes-cancelled')` also failed with this failure type, their outcome as details.
 */
export const TABLE_CANCELLED = 'Cancelled';

/** mode follow: a table's child tells the run it follows now (true) or is copied again (false). */
export const TableFollowingSchema = z.object({
  index: z.number().int().min(0),
  following: z.boolean(),
});
export type TableFollowing = z.infer<typeof TableFollowingSchema>;

/**
 * How a table's child workflow ended: its result when published, its failure's details when it failed.
 * A cancelled child closes as cancelled, which carries no details: it hands its outcome to the run by
 * tableCancelledSignal and keeps it in its memo under TABLE_OUTCOME_MEMO for the report and the CLI.
 * A published table's undo and clean-up are the run's (src/publication/publication.ts), which runs them
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

/** The memo key under which a cancelled table's child keeps its outcome (read with describe()). */
export const TABLE_OUTCOME_MEMO = 'tableOutcome';

/** From a cancelled table's child to the run, before it closes as cancelled: how it ended. */
export const TableCancelledSchema = z.object({
  index: z.number().int().min(0),
  outcome: TableOutcomeSchema,
});
export type TableCancelled = z.infer<typeof TableCancelledSchema>;

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
 * with every table's details by src/outcomes/table-outcomes.ts.
 */
export const PackedRunResultSchema = RunSummarySchema.extend({
  tables: TableColumnsSchema,
  config: MigrationRunInputSchema,
});
export type PackedRunResult = z.infer<typeof PackedRunResultSchema>;
/** A run's result as read back: packed, or the summary itself, as runs of earlier versions ended. */
export const RunResultSchema = z.union([PackedRunResultSchema, RunSummarySchema]);
export type RunResult = z.infer<typeof RunResultSchema>;
