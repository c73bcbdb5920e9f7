/**
 * The undo (compensation) and clean-up steps the workflows hand the undoStep activity, and how each went.
 */
import { z } from 'zod';
import { SnowflakeNameSchema, TARGET_CONTAINERS } from './table';
import { TargetLocationSchema } from './run-input';

/** One undo (compensation) or clean-up step; each is safe to run twice. */
export const RunStepSchema = z.discriminatedUnion('kind', [
  /**
   * `sequences`: the identity sequences the table's column draws from (src/sql/snowflake/identity.ts),
   * dropped with it if they exist; absent in steps recorded before identity was carried.
   */
  z.object({
    kind: z.literal('dropTable'),
    table: SnowflakeNameSchema,
    why: z.string(),
    sequences: z.array(SnowflakeNameSchema).optional(),
  }),
  z.object({ kind: z.literal('removeStagedFiles'), target: TargetLocationSchema, path: z.string() }),
  /**
   * The database, schema or stage the run found missing, when the run fails: each is dropped only if it
   * carries the comment of the run with this tag and holds nothing else (src/sql/snowflake/ownership.ts).
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
    /** The run's identity sequences, dropped with the run's table before the old one is put back. */
    sequences: z.array(SnowflakeNameSchema).optional(),
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
