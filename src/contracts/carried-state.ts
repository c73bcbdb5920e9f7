/**
 * The state the run and each table's child carry across continue-as-new: compact, one record per table.
 */
import { z } from 'zod';
import { BatchRangeSchema, TablePlanSchema, TARGET_CONTAINERS } from './table';
import { TableProgressSchema, TableRecordSchema } from './progress';
import { RunStepSchema, StepOutcomeSchema } from './steps';

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
