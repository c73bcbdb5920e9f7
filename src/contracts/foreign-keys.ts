/** What the run's foreign-key step takes and returns (names only, no rows). */
import { z } from 'zod';
import { SnowflakeNameSchema, SourceTableRefSchema } from './table';

export const DeclareForeignKeysInputSchema = z.object({
  /** Every table the run published, source and Snowflake name. */
  tables: z.array(z.object({ source: SourceTableRefSchema, target: SnowflakeNameSchema })),
});
export type DeclareForeignKeysInput = z.infer<typeof DeclareForeignKeysInputSchema>;

export const ForeignKeyOutcomeSchema = z.object({
  /** The child table, as SQL Server names it (`dbo.orders`). */
  table: z.string(),
  name: z.string(),
  /** Absent: declared in Snowflake; otherwise why not. */
  notCarried: z.string().optional(),
  /**
   * Declared under `name` rather than this one, which another key of the run has in the same
   * Snowflake schema (constraint names are a schema's: src/mapping/foreign-keys.ts).
   */
  renamedFrom: z.string().optional(),
});
export type ForeignKeyOutcome = z.infer<typeof ForeignKeyOutcomeSchema>;

export const DeclareForeignKeysResultSchema = z.object({ keys: z.array(ForeignKeyOutcomeSchema) });
export type DeclareForeignKeysResult = z.infer<typeof DeclareForeignKeysResultSchema>;
